"""The Feedback sheet → typed rows: client requests, when received, agreed due, status (engine/feedback.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..contract import FEEDBACK, FEEDBACK_STATUS, STATUS_OPEN
from ..i18n import _
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import to_choice, to_date
from .table_view import INVALID, TableView, locate_table


@dataclass(frozen=True)
class FeedbackRow:
    row: int
    received_on: dt.date | None  # None: missing or unreadable (the row is flagged CHECK)
    sender: str
    request: str
    related_to: str
    owner: str
    agreed_due: dt.date | None
    status: str  # Open | In progress | Done | Won't do
    closed_on: dt.date | None
    unreadable: tuple[str, ...] = ()  # columns reported unreadable or missing: the row's flag is CHECK


@dataclass
class FeedbackRows:
    view: TableView | None
    items: list[FeedbackRow] = field(default_factory=list)


def parse_feedback(workbook: RawWorkbook, problems: list[Problem]) -> FeedbackRows:
    view = locate_table(workbook, FEEDBACK, problems, required=False)
    result = FeedbackRows(view=view)
    if view is None or not view.usable:
        return result
    for row in view.data_rows():
        received = view.read(row, "Received on", to_date, problems)
        agreed = view.read(row, "Agreed due", to_date, problems)
        status = view.read(row, "Status", lambda v: to_choice(v, FEEDBACK_STATUS), problems)
        closed = view.read(row, "Closed on", to_date, problems)
        if received is None:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Received on"),
                    _("the feedback has no date received"),
                    _("write the date the client sent it"),
                )
            )
        read = {"Received on": received, "Agreed due": agreed, "Status": status, "Closed on": closed}
        unreadable = tuple(c for c, value in read.items() if value is INVALID or (c == "Received on" and not value))
        result.items.append(
            FeedbackRow(
                row=row,
                received_on=received if isinstance(received, dt.date) else None,
                sender=view.text(row, "From"),
                request=view.prose(row, "Request"),
                related_to=view.text(row, "Related to"),
                owner=view.text(row, "Owner"),
                agreed_due=agreed if isinstance(agreed, dt.date) else None,
                status=status if isinstance(status, str) else STATUS_OPEN,
                closed_on=closed if isinstance(closed, dt.date) else None,
                unreadable=unreadable,
            )
        )
    return result
