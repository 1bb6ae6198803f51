"""Budget burn and goal progress as people read them: one line each (brief digest, chat, CLI) and two tables.

Money is shown exactly, with the Project's currency symbol (¥124,000); counts
are shortened the way each language reads large numbers (1.2M, 12K in
English; 120万, 1.2万 in Chinese); the cost ratios (CPA, CPC, CPM) are money,
ROI a plain ratio, CTR a percentage. Percentages are whole numbers, halves up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import i18n
from .contract import (
    BEHIND,
    BUDGET,
    CHECK,
    GOALS,
    MET,
    METRIC,
    MISSED,
    ON_TRACK,
    OVER_BUDGET,
    WILL_OVERRUN,
    choice_label,
    flag_label,
)
from .engine.goals import RATIOS
from .engine.risks import half_up
from .i18n import N_, _

if TYPE_CHECKING:
    from .analysis_money import Money
    from .engine.goals import GoalOutcome

MONEY_SHEETS = (GOALS.name, BUDGET.name)  # their flag counts are said by these lines instead
_MONEY_METRICS = frozenset({"spend", "sales", "CPA", "CPC", "CPM"})


def amount(value: float, symbol: str = "") -> str:
    """Money, exact to the unit (cents only when there are any below 100): ¥124,000 · $12.50."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value:,.2f}" if value < 100 and round(value, 2) != round(value) else f"{value:,.0f}"
    return f"{sign}{symbol}{text}"


def count(value: float) -> str:
    """A large count shortened for the language: 1.2M / 120万; below 10,000 exact (9,500)."""
    if abs(value) < 10_000:
        return f"{value:,.0f}"
    if i18n.current() == "zh":
        unit, word = (1e8, "亿") if abs(value) >= 1e8 else (1e4, "万")
    else:
        unit, word = next((u, w) for u, w in ((1e9, "B"), (1e6, "M"), (1e3, "K")) if abs(value) >= u)
    return f"{value / unit:,.1f}".removesuffix(".0") + word


def metric_value(metric: str | None, value: float | None, symbol: str) -> str:
    """A goal's number as its metric is read: money, a count, a ratio or a rate."""
    if value is None:
        return "—"
    if metric in _MONEY_METRICS:
        return amount(value, symbol)
    if metric == "CTR":
        return f"{100 * value:.2f}%"
    if metric in RATIOS:
        return f"{value:.2f}"
    return count(value)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{half_up(value)}%"


def budget_line(money: Money) -> str | None:
    """`Budget: spent ¥124,000 of ¥200,000 (62%), forecast ¥210,000 — will overrun by 5%`; None without a budget."""
    status, symbol = money.budget, money.symbol
    if status is None:
        return None
    spent = amount(status.spent, symbol)
    basis = status.basis
    if not basis:
        return _("Budget: spent {spent}", spent=spent)
    head = _("Budget: spent {spent} of {budget} ({pct}), forecast {forecast}", spent=spent,
             budget=amount(basis, symbol), pct=pct(status.used_pct), forecast=amount(status.forecast, symbol))
    if status.spent > basis + 0.005:
        return _("{head} — over budget by {pct}", head=head, pct=pct(100 * (status.spent - basis) / basis))
    overrun = status.overrun_pct or 0.0
    if half_up(overrun) > 0:
        return _("{head} — will overrun by {pct}", head=head, pct=pct(overrun))
    return _line_over(money, head) or _("{head} — within budget", head=head)


def _line_over(money: Money, head: str) -> str | None:
    """The total within budget, but a line past its plan (its forecast, or already): name the worst one.

    A brief has no Budget table: "within budget" alone hid a platform line flagged WILL OVERRUN.
    """
    status, symbol = money.budget, money.symbol
    assert status is not None
    flagged = [o for o in status.lines.values() if o.flag in (OVER_BUDGET, WILL_OVERRUN) and o.planned is not None]
    if not flagged:
        return None
    worst = max(flagged, key=lambda o: (o.forecast or 0.0) - (o.planned or 0.0))
    planned = amount(worst.planned or 0.0, symbol)
    if worst.flag == OVER_BUDGET:
        bound = max(worst.spent or 0.0, worst.committed or 0.0)
        return _("{head} — within budget, but {item} is over its plan: {spent} of {planned}", head=head,
                 item=worst.item, spent=amount(bound, symbol), planned=planned)
    return _("{head} — within budget, but {item} will overrun: forecast {forecast} of {planned}", head=head,
             item=worst.item, forecast=amount(worst.forecast or 0.0, symbol), planned=planned)


def goal_detail(goal: GoalOutcome, symbol: str) -> str:
    """`Impressions 1.2M of 2M, 58% — expected 70% by now` (a ratio: `CPA ¥62.00, target ¥50.00`)."""
    actual, target = metric_value(goal.metric, goal.actual, symbol), metric_value(goal.metric, goal.target, symbol)
    if goal.metric in RATIOS:
        return _("{goal} {actual}, target {target}", goal=goal.goal, actual=actual, target=target)
    if goal.flag == BEHIND and goal.expected_pct is not None:
        return _("{goal} {actual} of {target}, {pct} — expected {expected} by now", goal=goal.goal, actual=actual,
                 target=target, pct=pct(goal.progress), expected=pct(goal.expected_pct))
    return _("{goal} {actual} of {target}, {pct}", goal=goal.goal, actual=actual, target=target,
             pct=pct(goal.progress))


def goals_line(money: Money) -> str | None:
    """`Goals: 2 of 4 on track, 1 behind (Impressions 1.2M of 2M, 58% — expected 70% by now), 1 met`."""
    goals = money.goal_list()
    if not goals:
        return None
    by_flag = {flag: [g for g in goals if g.flag == flag] for flag in (ON_TRACK, BEHIND, MISSED, MET, CHECK)}
    on_track = len(by_flag[ON_TRACK])  # "0 of 5 on track" says nothing the rest does not
    parts = [_("{n} of {total} on track", n=on_track, total=len(goals))] if on_track else []
    words = {BEHIND: N_("{n} behind"), MISSED: N_("{n} missed"), MET: N_("{n} met"), CHECK: N_("{n} to check")}
    for flag, word in words.items():
        these = by_flag[flag]
        if not these:
            continue
        part = _(word, n=len(these))
        if flag in (BEHIND, MISSED):
            part += i18n.pick(None, " ({detail})", "（{detail}）").format(detail=goal_detail(these[0], money.symbol))
        parts.append(part)
    return _("Goals: {parts}", parts=i18n.pick(None, ", ", "，").join(parts))


def money_lines(money: Money | None) -> list[str]:
    """The budget line and the goals line, each when the book has them."""
    if money is None:
        return []
    return [line for line in (budget_line(money), goals_line(money)) if line]


def budget_rows(money: Money) -> list[tuple[str, ...]]:
    """The Budget table's rows: each line, then the total against the approved budget."""
    status, symbol = money.budget, money.symbol
    if status is None:
        return []

    def cash(value: float | None) -> str:
        return "" if value is None else amount(value, symbol)

    rows = [(o.item, cash(o.planned), cash(o.spent), cash(o.remaining), pct(o.used_pct) if o.used_pct is not None
             else "", cash(o.forecast), flag_label(o.flag)) for _row, o in sorted(status.lines.items())]
    if status.lines or status.approved:
        rows.append((_("Total"), cash(status.basis), cash(status.spent),
                     cash(status.remaining),
                     pct(status.used_pct) if status.used_pct is not None else "", cash(status.forecast), ""))
    return rows


def goal_rows(money: Money) -> list[tuple[str, ...]]:
    """The Goals table's rows, in sheet order."""
    symbol = money.symbol
    return [(g.goal, choice_label(g.metric, METRIC) if g.metric else "", metric_value(g.metric, g.target, symbol),
             g.by.isoformat() if g.by else "", metric_value(g.metric, g.actual, symbol), pct(g.progress),
             pct(g.expected_pct), flag_label(g.flag)) for g in money.goal_list()]


def money_json(money: Money | None) -> dict[str, object]:
    """`sync --json`'s `budget` and `goals` keys (None when the book has neither)."""
    if money is None:
        return {"budget": None, "goals": None}
    budget = None
    if money.budget is not None:
        budget = {"currency": money.currency, **money.budget.as_dict()}
    goals = [{"goal": g.goal, "metric": g.metric, "target": g.target, "by": g.by.isoformat() if g.by else None,
              "actual": g.actual, "progress_pct": g.progress, "expected": g.expected, "flag": g.flag}
             for g in money.goal_list()] or None
    return {"budget": budget, "goals": goals}


__all__ = ["MONEY_SHEETS", "amount", "budget_line", "budget_rows", "count", "goal_rows", "goals_line",
           "metric_value", "money_json", "money_lines"]
