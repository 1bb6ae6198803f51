"""The Risks and Feedback sheets → typed rows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..contract import FEEDBACK, FEEDBACK_STATUS, RISKS
from ..problems import Problem
from ..raw import Formula, RawWorkbook
from .cells import CellError, is_blank, shown, to_choice, to_date
from .table_view import INVALID, TableView, locate_table

_THRESHOLD = re.compile(r"^\s*(>=|<=|>|<|=|==|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*$")
_OPERATORS = {"≥": ">=", "≤": "<=", "==": "="}


@dataclass(frozen=True)
class Threshold:
    operator: str  # >= > <= < =
    number: float

    def met_by(self, value: float) -> bool:
        return {
            ">=": value >= self.number,
            ">": value > self.number,
            "<=": value <= self.number,
            "<": value < self.number,
            "=": value == self.number,
        }[self.operator]

    def __str__(self) -> str:
        number = int(self.number) if self.number.is_integer() else self.number
        return f"{self.operator} {number}"


def to_threshold(value: object) -> Threshold | None:
    if is_blank(value):
        return None
    m = _THRESHOLD.match(shown(value))
    if not m:
        raise CellError(f'"{shown(value)}" is not a threshold', "write an operator and a number, such as >= 2 or < 3")
    return Threshold(_OPERATORS.get(m.group(1), m.group(1)), float(m.group(2)))


@dataclass(frozen=True)
class RiskRow:
    row: int
    id: str
    risk: str
    indicator: str
    threshold: Threshold | None
    owner: str
    plan: str


@dataclass
class RiskRows:
    view: TableView | None
    risks: list[RiskRow] = field(default_factory=list)


def parse_risks(workbook: RawWorkbook, problems: list[Problem]) -> RiskRows:
    view = locate_table(workbook, RISKS, problems, required=False)
    result = RiskRows(view=view)
    if view is None or not view.usable:
        return result
    for row in view.data_rows():
        raw = view.raw(row, "Threshold")
        if isinstance(raw, Formula):
            # Typing "= 1" into Excel makes a formula; the person meant the threshold "= 1".
            try:
                threshold = to_threshold(raw.text)
            except CellError as err:
                problems.append(Problem(view.title, view.locate(row, "Threshold"), err.problem, err.fix))
                threshold = INVALID
        else:
            threshold = view.read(row, "Threshold", to_threshold, problems)
        risk_id = view.text(row, "ID")
        if not risk_id:
            problems.append(
                Problem(view.title, view.locate(row, "ID"), "the risk has no ID", "give it an ID such as R4")
            )
            continue
        result.risks.append(
            RiskRow(
                row=row,
                id=risk_id,
                risk=view.text(row, "Risk"),
                indicator=view.text(row, "Indicator"),
                threshold=threshold if isinstance(threshold, Threshold) else None,
                owner=view.text(row, "Owner"),
                plan=view.text(row, "Contingency plan"),
            )
        )
        if threshold is None and view.text(row, "Indicator"):
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Threshold"),
                    f"risk {risk_id} has no threshold",
                    "write when it triggers, such as >= 2",
                )
            )
    return result


@dataclass(frozen=True)
class FeedbackRow:
    row: int
    received_on: dt.date | None
    sender: str
    request: str
    related_to: str
    owner: str
    agreed_due: dt.date | None
    status: str  # Open | In progress | Done | Won't do
    closed_on: dt.date | None


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
                    "the feedback has no date received",
                    "write the date the client sent it",
                )
            )
        if received is INVALID or received is None:
            continue
        result.items.append(
            FeedbackRow(
                row=row,
                received_on=received,
                sender=view.text(row, "From"),
                request=view.text(row, "Request"),
                related_to=view.text(row, "Related to"),
                owner=view.text(row, "Owner"),
                agreed_due=agreed if isinstance(agreed, dt.date) else None,
                status=status if isinstance(status, str) else "Open",
                closed_on=closed if isinstance(closed, dt.date) else None,
            )
        )
    return result
