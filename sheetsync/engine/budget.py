"""The Budget sheet's lines against the plan and the spend rate, and the totals against the approved Budget.

Pure. The numbers sheetsync writes on a Budget line:

- **Spent** (read, not written) — as typed; when blank and the line names a
  Platform, that platform's Results spend through today (rows in another
  currency than the Project's are left out before this).
- **Remaining** — Planned − max(Spent, Committed): what is still free to
  promise. Committed is everything promised so far, what is already spent
  included, so the larger of the two is what the line is already bound to.
  Negative when the line is over.
- **Used %** — 100 × Spent / Planned, one decimal (blank when Planned is 0).
- **Forecast** — the spend rate so far carried to the flight's end:
  Spent / elapsed days × flight days, on calendar days, both inclusive (the
  flight runs from the start — the Launch date, or the first Results day when
  that is earlier (a warm-up before the launch spends money too) —
  through the Flight end, else the latest By of the Goals). Before the start,
  after the end, or without a flight it is Spent itself (nothing to project).
  When Spent comes from the Results, the elapsed days run through the last
  day that platform's Results cover when that is before today (the export imported this morning
  ends yesterday: counting today, with no spend yet, would understate the rate
  and hide an overrun); a typed Spent is as of today.
  Never less than Committed: what is signed will be paid. A line that is not
  an ad platform's (Platform blank or "other": production, KOL fees) and has a
  Committed is a signed cost, not a daily spend: its Forecast is
  max(Spent, Committed) — 18,500 paid up front of 20,000 signed is not
  projected at a daily rate to 90,000.
- **Flag** — OVER BUDGET when Spent or Committed is more than Planned; WILL
  OVERRUN when the Forecast is more than Planned (the overrun seen before it
  happens); else OK. CHECK when a cell of the line could not be read.

The totals (`BudgetStatus`) add the lines up and measure them against the
approved Budget (the Project setting; without it, the lines' Planned total):
used % = 100 × total Spent / that; the total Forecast is the lines' Forecasts
added up; overrun % = 100 × (total Forecast − that) / that; remaining = that −
Σ max(Spent, Committed) of the lines (so the total row
of a table adds up its lines). Without lines (a Budget setting alone), Spent is
the Results spend of every platform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..contract import CHECK, OK, OVER_BUDGET, WILL_OVERRUN


@dataclass(frozen=True)
class Flight:
    """The days the ads run: start..end, both inclusive (calendar days)."""

    start: dt.date | None
    end: dt.date | None

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None or self.end < self.start:
            return None
        return (self.end - self.start).days + 1

    def elapsed(self, today: dt.date) -> int | None:
        """Days of the flight through today (0 before it starts, all of them after it ends)."""
        total = self.days
        if total is None or self.start is None:
            return None
        return max(0, min(total, (today - self.start).days + 1))

    def forecast(self, spent: float, today: dt.date) -> float:
        """`spent` carried at the same daily rate to the flight's end (module docstring)."""
        total, elapsed = self.days, self.elapsed(today)
        if not total or not elapsed:
            return spent
        return spent / elapsed * total


@dataclass(frozen=True)
class LineOutcome:
    item: str
    planned: float | None
    committed: float | None
    spent: float | None  # typed, or the platform's Results spend (`from_results`)
    remaining: float | None
    used_pct: float | None
    forecast: float | None
    flag: str
    from_results: bool = False


@dataclass
class BudgetStatus:
    """The lines and their totals against the approved budget (`approved`: the Budget setting, or None)."""

    lines: dict[int, LineOutcome] = field(default_factory=dict)
    approved: float | None = None
    planned: float = 0.0
    committed: float = 0.0
    spent: float = 0.0
    forecast: float = 0.0
    bound: float = 0.0  # Σ max(Spent, Committed) of the lines: what they are already bound to
    flight: Flight = field(default_factory=lambda: Flight(None, None))

    @property
    def basis(self) -> float | None:
        """What the spend is measured against: the approved Budget, else the lines' Planned total."""
        if self.approved:
            return self.approved
        return self.planned or None

    @property
    def remaining(self) -> float | None:
        """basis − what the lines are bound to (each line's max(Spent, Committed); without lines, Spent)."""
        return None if not self.basis else self.basis - max(self.bound, self.spent)

    @property
    def used_pct(self) -> float | None:
        """100 × Spent / basis."""
        return None if not self.basis else 100 * self.spent / self.basis

    @property
    def overrun_pct(self) -> float | None:
        """How far the Forecast goes past the basis, in percent of it (negative: it stays under)."""
        return None if not self.basis else 100 * (self.forecast - self.basis) / self.basis

    @property
    def over_plan(self) -> bool:
        """The lines plan more than the approved Budget."""
        return self.approved is not None and self.planned > self.approved + 0.005

    def as_dict(self) -> dict[str, object]:
        return {
            "approved": self.approved,
            "planned": round(self.planned, 2),
            "committed": round(self.committed, 2),
            "spent": round(self.spent, 2),
            "forecast": round(self.forecast, 2),
            "remaining": None if self.remaining is None else round(self.remaining, 2),
            "used_pct": None if self.used_pct is None else round(self.used_pct, 1),
            "overrun_pct": None if self.overrun_pct is None else round(self.overrun_pct, 1),
            "flags": {flag: sum(1 for o in self.lines.values() if o.flag == flag)
                      for flag in {o.flag for o in self.lines.values()}},
        }


class LineLike:
    """What the engine reads of a Budget line (parse.budget.BudgetLine)."""

    row: int
    item: str
    platform: str | None
    planned: float | None
    committed: float | None
    spent: float | None
    unreadable: tuple[str, ...]


SIGNED_COSTS = (None, "other")  # Platform values of lines that are not spent day by day on an ad platform


def line_forecast(line: LineLike, spent: float | None, flight: Flight, as_of: dt.date) -> float:
    """Spent at its daily rate to the flight's end, never below Committed; a signed cost's is max(Spent, Committed)."""
    committed = line.committed or 0.0
    if line.platform in SIGNED_COSTS and line.committed is not None:
        return max(spent or 0.0, committed)
    return max(flight.forecast(spent or 0.0, as_of), committed)


def evaluate_line(line: LineLike, flight: Flight, today: dt.date, platform_spend: dict[str, float],
                  last_days: dict[str, dt.date] | None = None) -> LineOutcome:
    """One line's Remaining, Used %, Forecast and Flag (module docstring); `last_days`: each platform's last
    Results day (an export that lags is projected over the days it covers, not over a fresher platform's)."""
    spent, from_results, as_of = line.spent, False, None
    if spent is None and line.platform and line.platform in platform_spend:
        spent, from_results = platform_spend[line.platform], True
        as_of = (last_days or {}).get(line.platform)
    planned, committed = line.planned, line.committed
    bound = max(spent or 0.0, committed or 0.0)
    # Results spend runs through the Results' last day; a typed Spent is as of today, when it was typed
    forecast = line_forecast(line, spent, flight, min(today, as_of or today) if from_results else today)
    if line.unreadable or planned is None:
        return LineOutcome(line.item, planned, committed, spent, None, None, _money(forecast), CHECK, from_results)
    remaining = planned - bound
    used = None if planned == 0 else round(100 * (spent or 0.0) / planned, 1)
    if bound > planned + 0.005:
        flag = OVER_BUDGET
    elif forecast > planned + 0.005:
        flag = WILL_OVERRUN
    else:
        flag = OK
    return LineOutcome(line.item, planned, committed, spent, _money(remaining), used, _money(forecast), flag,
                       from_results)


def evaluate_budget(
    lines: Sequence[LineLike],
    *,
    flight: Flight,
    today: dt.date,
    approved: float | None,
    platform_spend: dict[str, float],
    last_days: dict[str, dt.date] | None = None,
) -> BudgetStatus:
    """Every line's outcome and the totals. Without lines, the Results spend of every platform is the total spent."""
    status = BudgetStatus(approved=approved, flight=flight)
    for line in lines:
        outcome = status.lines[line.row] = evaluate_line(line, flight, today, platform_spend, last_days)
        status.planned += outcome.planned or 0.0
        status.committed += outcome.committed or 0.0
        status.spent += outcome.spent or 0.0
        status.bound += max(outcome.spent or 0.0, outcome.committed or 0.0)
        status.forecast += outcome.forecast or 0.0
    if not lines:
        status.spent = sum(platform_spend.values())
        status.forecast = flight.forecast(status.spent, min(today, max((last_days or {}).values(), default=today)))
    return status


def _money(value: float) -> float:
    return round(value, 2)


__all__ = ["BudgetStatus", "Flight", "LineOutcome", "evaluate_budget", "evaluate_line", "line_forecast"]
