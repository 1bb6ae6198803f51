"""Goals against Results: what each kickoff target has reached, what it should have reached by now, and its flag.

Pure. The numbers sheetsync writes on a Goals row:

- **Actual** — the metric summed over the Results rows dated from the start
  (the Launch date, or the first Results day when that is earlier: a
  pre-launch warm-up's results count) through min(today,
  By). A ratio metric is the ratio of those sums: ROI = sales / spend, CPA =
  spend / conversions, CPM = 1000 × spend / impressions, CPC = spend / clicks,
  CTR = clicks / impressions (a fraction: 0.012 is 1.2%), over the rows that
  report both parts (a platform whose export has no conversions column leaves
  its spend out of the CPA; a 0 typed is a day without any and counts). Blank
  when a ratio's denominator is 0 (nothing to divide yet).
- **Progress** — Actual / Target as a percentage (62.5 means 62.5%); for the
  cost ratios, where lower is better (CPA, CPM, CPC), Target / Actual, so
  100 or more is always good.
- **Expected by now** — where a count should be today if it grew evenly:
  Target × (calendar days from the start through today) / (calendar days from
  the start through By), both inclusive, capped at the Target; 0 before the
  start. A ratio's expected value is the Target itself. Blank without a start
  or a By.
- **Flag** — MET when a count reaches its Target (even before By: a goal met
  early stays met, a count never falls), or when a ratio is at or better than
  its Target on By or after; MISSED when By has passed short of it; BEHIND
  when a count is below Expected by now, or a ratio is worse than its Target;
  else ON TRACK. CHECK when the row's Metric or Target could not be read.

A blank By is the flight's end (the Project's Flight end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..contract import BEHIND, CHECK, MET, MISSED, ON_TRACK

# ratio metric → (numerator metric, denominator metric, scale)
RATIOS: dict[str, tuple[str, str, float]] = {
    "ROI": ("sales", "spend", 1.0),
    "CPA": ("spend", "conversions", 1.0),
    "CPM": ("spend", "impressions", 1000.0),
    "CPC": ("spend", "clicks", 1.0),
    "CTR": ("clicks", "impressions", 1.0),
}
LOWER_IS_BETTER = frozenset({"CPA", "CPM", "CPC"})  # cost ratios: a smaller number is the better result


class GoalLike:
    """What the engine reads of a Goals row (parse.goals.GoalRow)."""

    row: int
    goal: str
    metric: str | None
    target: float | None
    by: dt.date | None
    unreadable: tuple[str, ...]


class ResultLike:
    """What the engine reads of a Results row (parse.results.ResultRow)."""

    day: dt.date
    values: dict[str, float]


@dataclass(frozen=True)
class GoalOutcome:
    """One goal's computed numbers (module docstring); None is a blank cell."""

    goal: str
    metric: str | None
    target: float | None
    by: dt.date | None
    actual: float | None
    progress: float | None  # percent, 1 decimal: 62.5 is 62.5%
    expected: float | None
    flag: str

    @property
    def expected_pct(self) -> float | None:
        """Expected by now as a percentage of the Target (a ratio's: 100)."""
        if self.expected is None or not self.target:
            return None
        if self.metric in LOWER_IS_BETTER:
            return 100.0
        return round(100 * self.expected / self.target, 1)


def metric_total(rows: Sequence[ResultLike], metric: str, start: dt.date | None, end: dt.date) -> float | None:
    """A count summed over rows dated start..end (inclusive), or a ratio of two such sums (None: divide by 0)."""
    inside = [r for r in rows if (start is None or r.day >= start) and r.day <= end]
    if metric in RATIOS:
        top, bottom, scale = RATIOS[metric]
        # only the rows that report both parts: a blank 转化 (a platform not tracking it) is not 0 conversions
        inside = [r for r in inside if top in r.values and bottom in r.values]
        denominator = sum(r.values[bottom] for r in inside)
        if denominator == 0:
            return None
        return scale * sum(r.values[top] for r in inside) / denominator
    return sum(r.values.get(metric, 0.0) for r in inside)


def expected_by_now(target: float, start: dt.date | None, by: dt.date | None, today: dt.date) -> float | None:
    """The Target pro-rata on calendar days start..today over start..By (inclusive), capped at the Target."""
    if start is None or by is None:
        return None
    if today < start:
        return 0.0
    total = (by - start).days + 1
    if total <= 0:
        return target
    return target * min(1.0, ((today - start).days + 1) / total)


def evaluate_goal(goal: GoalLike, rows: Sequence[ResultLike], *, start: dt.date | None, today: dt.date,
                  flight_end: dt.date | None = None, as_of: dt.date | None = None) -> GoalOutcome:
    """One goal's Actual, Progress, Expected by now and Flag (module docstring).

    `as_of` is the last day the Results cover (yesterday, when this morning's export is imported): Expected by
    now runs through it, as the Actual does, so a goal is not a day behind only because today has no data yet.
    """
    by = goal.by or flight_end
    metric, target = goal.metric, goal.target
    if goal.unreadable or metric is None or target is None:
        return GoalOutcome(goal.goal, metric, target, by, None, None, None, CHECK)
    end = min(today, by) if by else today
    actual = metric_total(rows, metric, start, end)
    lower = metric in LOWER_IS_BETTER
    if metric in RATIOS:
        expected: float | None = target
        progress = None if not actual else (target / actual if lower else actual / target)
        reached = actual is not None and (actual <= target if lower else actual >= target)
        met = reached and by is not None and today >= by
        behind = actual is not None and not reached
    else:
        expected = expected_by_now(target, start, by, min(today, as_of or today))
        progress = (actual or 0.0) / target
        met = (actual or 0.0) >= target
        behind = expected is not None and (actual or 0.0) < expected
    if met:
        flag = MET
    elif by is not None and today > by:
        flag = MISSED
    elif behind:
        flag = BEHIND
    else:
        flag = ON_TRACK
    pct = None if progress is None else round(100 * progress, 1)
    return GoalOutcome(goal.goal, metric, target, by, _round(actual), pct, _round(expected), flag)


def _round(value: float | None) -> float | None:
    """Counts stay whole; money and ratios keep what a person reads (4 significant decimals for a CTR)."""
    if value is None:
        return None
    return round(value, 4) if abs(value) < 10 else round(value, 2)


def evaluate_goals(goals: Sequence[GoalLike], rows: Sequence[ResultLike], *, start: dt.date | None,
                   today: dt.date, flight_end: dt.date | None = None,
                   as_of: dt.date | None = None) -> dict[int, GoalOutcome]:
    """Every goal's outcome, by sheet row."""
    return {g.row: evaluate_goal(g, rows, start=start, today=today, flight_end=flight_end, as_of=as_of)
            for g in goals}


__all__ = ["LOWER_IS_BETTER", "RATIOS", "GoalOutcome", "evaluate_goal", "evaluate_goals", "expected_by_now",
           "metric_total"]
