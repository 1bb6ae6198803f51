"""The Risks sheet → typed rows: an indicator and the threshold that triggers each risk (engine/risks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..contract import RISKS, plain_text
from ..i18n import _
from ..problems import Problem
from ..raw import Formula, RawWorkbook
from .cells import CellError, is_blank, shown
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
        raise CellError(
            _('"{value}" is not a threshold', value=shown(value)),
            _("write an operator and a number, such as >= 2 or < 3"),
        )
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
    unreadable_rows: list[int] = field(default_factory=list)  # rows without an ID: reported, flagged CHECK


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
                threshold = to_threshold(plain_text(raw.text))
            except CellError as err:
                problems.append(Problem(view.title, view.locate(row, "Threshold"), err.problem, err.fix))
                threshold = INVALID
        else:
            threshold = view.read(row, "Threshold", to_threshold, problems)
        risk_id = view.text(row, "ID")
        if not risk_id:
            problems.append(
                Problem(view.title, view.locate(row, "ID"), _("the risk has no ID"), _("give it an ID such as R4"))
            )
            result.unreadable_rows.append(row)
            continue
        result.risks.append(
            RiskRow(
                row=row,
                id=risk_id,
                risk=view.prose(row, "Risk"),
                indicator=view.text(row, "Indicator"),
                threshold=threshold if isinstance(threshold, Threshold) else None,
                owner=view.text(row, "Owner"),
                plan=view.prose(row, "Contingency plan"),
            )
        )
        if threshold is None and view.text(row, "Indicator"):
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Threshold"),
                    _("risk {risk} has no threshold", risk=risk_id),
                    _("write when it triggers, such as >= 2"),
                )
            )
    return result
