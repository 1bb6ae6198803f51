"""Client feedback: when each request is due and whether it is being answered in time.

Pure. DESIGN.md, Feedback: `Due` is the agreed due, or the received date plus
`Feedback response` working days; flags OPEN, DUE SOON, OVERDUE, DONE, DONE LATE;
`Related to` must name a Timeline ID or a Reviews asset. A row with a missing or unreadable
cell is flagged CHECK (its Problem says which), so no request drops out of the counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..contract import (
    CHECK,
    DONE,
    DONE_LATE,
    DUE_SOON,
    FEEDBACK,
    FEEDBACK_CLOSED,
    FEEDBACK_STATUS,
    OPEN,
    OVERDUE,
    choice_label,
    normalise_header,
)
from ..i18n import _
from ..problems import Problem, column_label, or_list
from .calendar import WorkCalendar


class FeedbackLike(Protocol):
    row: int
    received_on: dt.date | None
    request: str
    related_to: str
    owner: str
    agreed_due: dt.date | None
    status: str
    closed_on: dt.date | None
    unreadable: tuple[str, ...]  # columns missing or unreadable (already reported)


@dataclass(frozen=True)
class FeedbackOutcome:
    due: dt.date | None  # None: neither an agreed due nor a date received to count from
    flag: str


@dataclass
class FeedbackLog:
    items: dict[int, FeedbackOutcome] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def response_due(received: dt.date, response_days: int, calendar: WorkCalendar) -> dt.date:
    """The `response_days`-th working day after the day it was received."""
    if response_days <= 0:
        return received
    first = calendar.first_workday_from(received.toordinal() + 1)
    return dt.date.fromordinal(calendar.shift_workdays(first, response_days - 1))


def check_feedback(
    items: Sequence[FeedbackLike],
    *,
    today: dt.date,
    calendar: WorkCalendar,
    response_days: int,
    due_soon_window: int,
    references: Iterable[str],
    sheet: str = "Feedback",
    locate: Callable[[int, str], str] = lambda row, column: f"{column}{row}",
) -> FeedbackLog:
    log = FeedbackLog()
    known = {normalise_header(r) for r in set(references)}  # 20,000 reviews name a few thousand assets

    def problem(row: int, column: str, what: str, fix: str) -> None:
        log.problems.append(Problem(sheet, locate(row, column), what, fix))

    for item in items:
        due = item.agreed_due or (item.received_on and response_due(item.received_on, response_days, calendar))
        closed = item.status in FEEDBACK_CLOSED
        guessed = item.unreadable  # reported already: not also "missing" or contradicting
        if not item.related_to:
            problem(
                item.row,
                "Related to",
                _("the feedback is not related to anything"),
                _("write the Timeline ID or Reviews asset it is about"),
            )
        elif normalise_header(item.related_to) not in known:
            problem(
                item.row,
                "Related to",
                _('"{related_to}" is neither a Timeline ID nor a Reviews asset', related_to=item.related_to),
                _("write the Timeline ID or Reviews asset it is about"),
            )
        if item.agreed_due and item.received_on and item.agreed_due < item.received_on:
            problem(
                item.row,
                "Agreed due",
                _("agreed due {due} is before it was received", due=item.agreed_due.isoformat()),
                _("correct one of the two dates"),
            )
        if closed and item.closed_on is None and "Closed on" not in guessed:
            problem(
                item.row,
                "Closed on",
                _(
                    "the feedback is {status} but has no {closed_on} date",
                    status=choice_label(item.status, FEEDBACK_STATUS),
                    closed_on=column_label(FEEDBACK, "Closed on"),
                ),
                _("write the date it was closed"),
            )
        if not closed and item.closed_on is not None and "Status" not in guessed:
            problem(
                item.row,
                "Status",
                _(
                    "the feedback has a {closed_on} date but its {status_column} is {status}",
                    closed_on=column_label(FEEDBACK, "Closed on"),
                    status_column=column_label(FEEDBACK, "Status"),
                    status=choice_label(item.status, FEEDBACK_STATUS),
                ),
                _(
                    "set {status_column} to {closed}, or clear {closed_on}",
                    status_column=column_label(FEEDBACK, "Status"),
                    closed=or_list(choice_label(s, FEEDBACK_STATUS) for s in FEEDBACK_CLOSED),
                    closed_on=column_label(FEEDBACK, "Closed on"),
                ),
            )
        if guessed or due is None:
            flag = CHECK  # its flag would rest on a guess; every row still carries one
        elif closed:
            flag = DONE_LATE if item.closed_on and item.closed_on > due else DONE
        elif due < today:
            flag = OVERDUE
        elif calendar.count(today.toordinal() + 1, due.toordinal() + 1) <= due_soon_window:
            flag = DUE_SOON
        else:
            flag = OPEN
        log.items[item.row] = FeedbackOutcome(due, flag)
    return log
