"""The Goals and Budget sheets in one sync: read them and the Results, compute, and record the computed cells.

`analysis.py` calls `analyse_money` once, after the Timeline (the launch date
starts the flight) and before the Risks (the money indicators measure what is
computed here). The results are `Analysis.money` (a `Money`): the goals'
outcomes, the budget's lines and totals, and the day-by-day Results spend the
detailed digest draws its burn-down picture from.

Results rows in another currency than the Project's Currency are a Problem on
their Currency cell and are left out of every sum (Goals' Actual too: a CPA
mixing yuan and dollars means nothing). A row without a currency is taken to
be in the Project's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import i18n
from .contract import BUDGET, GOALS, PROJECT, flag_label
from .engine.budget import BudgetStatus, Flight, evaluate_budget
from .engine.goals import GoalOutcome, evaluate_goals
from .i18n import _
from .parse.budget import BudgetLines, parse_budget
from .parse.goals import GoalRows, parse_goals
from .parse.results import ResultRow, ResultsRows, parse_results
from .parse.table_view import TableView
from .problems import Problem, column_label

if TYPE_CHECKING:
    from .analysis import Analysis

# The spellings people type for the same currency: compared by this code.
_CURRENCY_ALIASES = {
    "¥": "CNY", "￥": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币": "CNY", "元": "CNY",
    "$": "USD", "US$": "USD", "USD": "USD", "美元": "USD",
    "€": "EUR", "EUR": "EUR", "欧元": "EUR", "£": "GBP", "GBP": "GBP", "英镑": "GBP",
    "HK$": "HKD", "HKD": "HKD", "港币": "HKD", "JPY": "JPY", "日元": "JPY",
}
_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "¥"}


def currency_code(text: str) -> str:
    """The currency a cell names, as one code (¥, RMB, 人民币 → CNY); other words as written, upper-cased."""
    word = text.strip().upper()
    return _CURRENCY_ALIASES.get(word, word)


def currency_symbol(code: str) -> str:
    """How an amount is prefixed: ¥ for CNY, $ for USD…; another code followed by a space; nothing when blank."""
    if not code:
        return ""
    return _SYMBOLS.get(code, f"{code} ")


@dataclass
class Money:
    """The Goals and Budget sheets as computed: what digests, the CLI and the indicators read."""

    currency: str  # the Project's Currency as one code ("" when blank)
    goals: GoalRows | None = None
    outcomes: dict[int, GoalOutcome] = field(default_factory=dict)  # Goals row → outcome
    budget_lines: BudgetLines | None = None
    budget: BudgetStatus | None = None  # None: no Budget sheet lines and no Budget setting
    daily_spend: list[tuple[dt.date, float]] = field(default_factory=list)  # Results spend per day, in date order

    @property
    def symbol(self) -> str:
        return currency_symbol(self.currency)

    def views(self) -> list[TableView]:
        return [p.view for p in (self.goals, self.budget_lines) if p is not None and p.view is not None]

    def flag_counts(self) -> dict[str, dict[str, int]]:
        counts = {GOALS.name: dict(Counter(o.flag for o in self.outcomes.values()))}
        if self.budget is not None:
            counts[BUDGET.name] = dict(Counter(o.flag for o in self.budget.lines.values()))
        return {sheet: c for sheet, c in counts.items() if c}

    def goal_list(self) -> list[GoalOutcome]:
        """The goals in sheet order."""
        return [self.outcomes[row] for row in sorted(self.outcomes)]


def analyse_money(a: Analysis) -> Money:
    """Read Goals, Budget and Results; compute; put the computed columns into `a.desired` (analysis.computed_cells)."""
    from .analysis import computed_cells  # analysis imports this module

    problems, settings = a.problems, a.settings
    money = Money(currency=currency_code(settings.currency))
    money.goals = parse_goals(a.workbook, problems)
    money.budget_lines = parse_budget(a.workbook, problems)
    has_goals = money.goals.view is not None and money.goals.view.usable and money.goals.goals
    has_lines = money.budget_lines.view is not None and money.budget_lines.view.usable and money.budget_lines.lines
    if not (has_goals or has_lines or settings.budget):
        return money  # nothing to compute: the Results sheet is not even read
    results = parse_results(a.workbook, problems)
    rows = _same_currency(results, money.currency, problems)
    # the flight starts at the launch, or earlier with the first result (a warm-up before the launch counts)
    start = min((d for d in (settings.launch_date, min((r.day for r in rows), default=None)) if d), default=None)
    bys = [g.by for g in money.goals.goals if g.by]
    flight = Flight(start, settings.flight_end or max(bys, default=None))
    spend = [r for r in rows if (start is None or r.day >= start) and r.day <= a.today]
    by_day: dict[dt.date, float] = {}
    platform_spend: dict[str, float] = {}
    last_days: dict[str, dt.date] = {}  # each platform's last Results day: its spend rate runs through it
    for r in spend:
        amount = r.values.get("spend")
        if amount is not None:
            by_day[r.day] = by_day.get(r.day, 0.0) + amount
            platform_spend[r.platform] = platform_spend.get(r.platform, 0.0) + amount
            last_days[r.platform] = max(r.day, last_days.get(r.platform, r.day))
    money.daily_spend = sorted(by_day.items())
    # the rate and the pro-rata run through the last day the Results cover (this morning's export ends yesterday)
    as_of = max((r.day for r in spend), default=None)

    view = money.goals.view
    if view is not None and view.usable:
        money.outcomes = evaluate_goals(money.goals.goals, rows, start=start, today=a.today,
                                        flight_end=settings.flight_end, as_of=as_of)
        a.desired[view.title] = computed_cells(
            view,
            ("Actual", "Progress", "Expected by now", "Flag"),
            {row: (o.actual, o.progress, o.expected, flag_label(o.flag)) for row, o in money.outcomes.items()},
        )
    view = money.budget_lines.view
    if view is not None and view.usable:
        a.desired[view.title] = computed_cells(view, ("Remaining", "Used %", "Forecast", "Flag"), {})
    if has_lines or settings.budget:
        lines = money.budget_lines.lines
        money.budget = evaluate_budget(lines, flight=flight, today=a.today, approved=settings.budget,
                                       platform_spend=platform_spend, last_days=last_days)
        if view is not None and view.usable:
            a.desired[view.title] = computed_cells(
                view,
                ("Remaining", "Used %", "Forecast", "Flag"),
                {row: (o.remaining, o.used_pct, o.forecast, flag_label(o.flag))
                 for row, o in money.budget.lines.items()},
            )
        if money.budget.over_plan:
            problems.append(_over_plan(a, money))
        if has_lines:
            problems.extend(_unbudgeted(money, platform_spend))
    return money


def _same_currency(results: ResultsRows, currency: str, problems: list[Problem]) -> list[ResultRow]:
    """The rows in the Project's currency (or none written); each other one a Problem on its Currency cell."""
    if not currency or results.view is None:
        return list(results.rows)
    kept = []
    view = results.view
    for r in results.rows:
        if not r.currency or currency_code(r.currency) == currency:
            kept.append(r)
            continue
        problems.append(
            Problem(
                view.title,
                view.locate(r.row, "Currency"),
                _("the row is in {theirs}, not the project's {ours}, so it is left out of every total",
                  theirs=r.currency, ours=currency),
                _("convert its amounts to {ours} and write {ours}, or import the export in {ours}", ours=currency),
            )
        )
    return kept


def _unbudgeted(money: Money, platform_spend: dict[str, float]) -> list[Problem]:
    """Results spend of a platform no Budget line names: the totals leave it out, and say so.

    Not added to the totals: a line without a Platform may already hold it, typed by hand.
    """
    from .results.report import platform_name

    assert money.budget_lines is not None and money.budget_lines.view is not None
    named = {line.platform for line in money.budget_lines.lines if line.platform}
    return [
        Problem(
            money.budget_lines.view.title,
            "",
            _("{platform}'s Results spend of {amount} is in no Budget line, so the totals leave it out",
              platform=platform_name(platform, i18n.current()), amount=money.symbol + format(amount, ",.0f")),
            _("add a line with that Platform, or set that Platform on the line that pays for it (a blank Spent "
              "takes the Results spend)"),
        )
        for platform, amount in sorted(platform_spend.items())
        if platform not in named and amount
    ]


def _over_plan(a: Analysis, money: Money) -> Problem:
    """The lines plan more than the approved Budget: one Problem on the Budget setting, with both numbers."""
    status, symbol = money.budget, money.symbol
    assert status is not None and status.approved is not None
    lang = i18n.current()  # a.lang is only set once the whole analysis is done: this runs inside it
    planned, approved = symbol + format(status.planned, ",.0f"), symbol + format(status.approved, ",.0f")
    return Problem(
        a.settings.sheet or PROJECT.label(lang),
        a.settings.cells.get("Budget", ""),
        _("the {sheet} sheet's lines plan {planned}, more than the approved budget of {approved}",
          sheet=BUDGET.label(lang), planned=planned, approved=approved),
        _("cut the {planned} of some lines, or record the budget change as a Feedback change request and then "
          "raise the Budget here", planned=column_label(BUDGET, "Planned")),
    )


__all__ = ["Money", "analyse_money", "currency_code", "currency_symbol"]
