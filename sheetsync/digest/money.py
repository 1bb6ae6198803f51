"""Budget and goals in a digest: the brief's two lines, the detailed digest's two tables and its burn-down data.

The words are report_money's (the CLI says the same lines), so a client's
brief, a group chat and `sheetsync check` never disagree about the money.
A book without a Budget or Goals gets none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import i18n
from ..contract import BUDGET, GOALS
from ..i18n import _
from ..report_money import budget_rows, goal_rows, money_lines
from .burndown import BurnDown
from .model import Table

if TYPE_CHECKING:
    from ..analysis import Analysis


def brief_lines(a: Analysis) -> list[str]:
    """`Budget: spent … — will overrun by 5%` and `Goals: 2 of 4 on track, …`, each when the book has it."""
    return money_lines(a.money)


def money_tables(a: Analysis) -> list[Table]:
    """The detailed digest's Budget table (every line and the total) and Goals table (every goal)."""
    money, lang = a.money, i18n.current()
    if money is None:
        return []
    tables = []
    rows = budget_rows(money)
    if rows:
        columns = (BUDGET.column("Item").label(lang), BUDGET.column("Planned").label(lang),
                   BUDGET.column("Spent").label(lang), BUDGET.column("Remaining").label(lang),
                   BUDGET.column("Used %").label(lang), BUDGET.column("Forecast").label(lang),
                   BUDGET.column("Flag").label(lang))
        tables.append(Table(_("Budget"), columns, tuple(rows), _("None.")))
    rows = goal_rows(money)
    if rows:
        columns = tuple(GOALS.column(c).label(lang) for c in ("Goal", "Metric", "Target", "By", "Actual", "Progress",
                                                               "Expected by now", "Flag"))
        tables.append(Table(_("Goals"), columns, tuple(rows), _("None.")))
    return tables


def burn_down(a: Analysis) -> BurnDown | None:
    """The burn-down picture's data, or None without a budget, a flight (start and end) or anything spent."""
    money = a.money
    status = money.budget if money else None
    if money is None or status is None or not status.basis:
        return None
    flight = status.flight
    if flight.start is None or flight.end is None or flight.end < flight.start or a.today < flight.start:
        return None
    cumulative, points = 0.0, []
    for day, spend in money.daily_spend:
        if day <= flight.end:
            cumulative += spend
            points.append((day, round(cumulative, 2)))
    if abs(cumulative - status.spent) > 0.5:  # Spent typed on the Budget sheet, not (only) in Results: as of today
        points.append((min(a.today, flight.end), round(status.spent, 2)))
    return BurnDown(flight.start, flight.end, status.basis, tuple(points), round(status.forecast, 2),
                    min(a.today, flight.end), money.symbol)


__all__ = ["brief_lines", "burn_down", "money_tables"]
