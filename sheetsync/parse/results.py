"""The Results sheet → typed rows: one day of one platform's campaign, with its spend and counts.

`sheetsync import` appends these rows from the ad platforms' exports; people
may type or correct rows too. The Goals' Actual and the Budget's spend rate are
sums over them (engine/goals.py, engine/budget.py). An unreadable number is a
Problem on its cell and counts as empty; a row without a date or platform is
reported and left out of every sum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..contract import AD_PLATFORM, RESULTS
from ..i18n import _
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import to_amount, to_choice, to_date
from .table_view import INVALID, TableView, locate_table

# The Results columns that hold a number to sum, canonical name → the metric word (contract.METRIC) it feeds.
MEASURES = {
    "Spend": "spend",
    "Impressions": "impressions",
    "Reach": "reach",
    "Clicks": "clicks",
    "Engagements": "engagements",
    "Followers": "followers",
    "Leads": "leads",
    "Conversions": "conversions",
    "Sales": "sales",
}


@dataclass(frozen=True)
class ResultRow:
    row: int
    day: dt.date
    platform: str  # canonical (contract.AD_PLATFORM)
    campaign: str
    currency: str  # as written, upper-cased ("" when blank)
    values: dict[str, float]  # metric word → the row's number; a blank or unreadable cell is absent

    @property
    def key(self) -> tuple[dt.date, str, str]:
        """What makes a row one day of one campaign: a re-import of the same day adds nothing."""
        return (self.day, self.platform, self.campaign.casefold())


@dataclass
class ResultsRows:
    view: TableView | None
    rows: list[ResultRow] = field(default_factory=list)

    def total(self, metric: str, *, until: dt.date | None = None) -> float:
        """The sum of one metric over the rows (through `until`, inclusive)."""
        return sum(r.values.get(metric, 0.0) for r in self.rows if until is None or r.day <= until)

    @property
    def last_day(self) -> dt.date | None:
        return max((r.day for r in self.rows), default=None)


def parse_results(workbook: RawWorkbook, problems: list[Problem]) -> ResultsRows:
    """Every readable Results row; each unreadable cell a Problem naming it."""
    view = locate_table(workbook, RESULTS, problems, required=False)
    result = ResultsRows(view=view)
    if view is None or not view.usable:
        return result
    for row in view.data_rows():
        day = view.read(row, "Date", to_date, problems, formula_ok=True)
        platform = view.read(row, "Platform", lambda v: to_choice(v, AD_PLATFORM), problems)
        values: dict[str, float] = {}
        for column, metric in MEASURES.items():
            number = view.read(row, column, to_amount, problems, formula_ok=True)
            if isinstance(number, float):
                values[metric] = number
        if day is None or platform is None:
            missing = "Date" if day is None else "Platform"
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, missing),
                    _("the result row has no {column}, so it is left out of every total",
                      column=RESULTS.column(missing).label(view.lang)),
                    _("fill it in, or delete the row"),
                )
            )
        if not isinstance(day, dt.date) or platform is INVALID or platform is None:
            continue
        result.rows.append(
            ResultRow(
                row=row,
                day=day,
                platform=platform,
                campaign=view.prose(row, "Campaign").strip(),
                currency=view.text(row, "Currency").strip().upper(),
                values=values,
            )
        )
    return result


__all__ = ["MEASURES", "ResultRow", "ResultsRows", "parse_results"]
