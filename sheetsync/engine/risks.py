"""The risk register: indicators sheetsync measures from the workbook, and thresholds that trigger risks.

Pure. Each Risks row names an indicator from INDICATORS and a threshold such as
`>= 2`; sheetsync writes the indicator's current value and TRIGGERED or OK. The
vocabulary is documented here and in the README; an unknown name is a Problem
that lists the valid ones.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .. import i18n
from ..contract import (
    AT_RISK,
    BEHIND,
    CHECK,
    DUE_SOON,
    MISSED,
    OK,
    OPEN,
    OVERDUE,
    STATUS_BLOCKED,
    TRIGGERED,
    normalise_header,
)
from ..i18n import N_, _, translate
from ..problems import Problem, one_of
from .budget import BudgetStatus
from .calendar import WorkCalendar
from .feedback import FeedbackLog
from .goals import GoalOutcome
from .raci import RaciResult
from .reviews import ReviewLog
from .schedule import Schedule, Task


@dataclass(frozen=True)
class Indicator:
    """Something sheetsync measures for the Risks sheet: its code (what people type) and what it counts."""

    name: str  # the code a Risks row names, e.g. overdue_tasks; never translated
    description: str  # English, marked for the catalogues; describe() gives it in the active language

    def describe(self) -> str:
        """What the indicator counts, in the active language (the book's)."""
        return translate(self.description)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("overdue_tasks", N_("unfinished Timeline tasks past their planned due")),
    Indicator("due_soon_tasks", N_("unfinished tasks due within the due-soon window")),
    Indicator("at_risk_tasks", N_("unfinished tasks projected past their planned due")),
    Indicator("blocked_tasks", N_("unfinished tasks with Status Blocked")),
    Indicator("unowned_tasks", N_("unfinished tasks without an Owner")),
    Indicator("launch_slip_days", N_("working days the launch is projected to slip")),
    Indicator("largest_slip_days", N_("the largest slip of any task, in working days")),
    Indicator("min_slack_to_launch", N_("the smallest slack of an unfinished task on the path to launch")),
    Indicator("working_days_to_launch", N_("working days from today until the launch date")),
    Indicator("single_points_of_failure", N_("people who are the only R on two or more unfinished milestones")),
    Indicator("overdue_reviews", N_("Pending reviews older than the review SLA")),
    Indicator("max_revision_round", N_("the highest revision round of any asset")),
    Indicator("open_compliance_findings", N_("copy findings not cleared by all three gates")),
    Indicator("overdue_feedback", N_("open client feedback past its due")),
    Indicator("open_feedback", N_("client feedback still open or in progress")),
    Indicator("budget_used_pct", N_("percent of the budget spent so far, rounded")),
    Indicator(
        "budget_forecast_overrun_pct",
        N_("percent the forecast spend goes past the budget by the flight's end, rounded (0 when within it)"),
    ),
    Indicator("goals_behind", N_("goals flagged BEHIND or MISSED")),
    Indicator("cpa_vs_target_pct", N_("percent the CPA is above its target, rounded (negative: below it)")),
)
INDICATOR_NAMES = tuple(i.name for i in INDICATORS)
INDICATOR_BY_NAME = {i.name: i for i in INDICATORS}


def describe_indicator(name: str) -> str:
    """What the indicator `name` counts, in the active language; an unknown name as it is."""
    indicator = INDICATOR_BY_NAME.get(name)
    return indicator.describe() if indicator else name


def indicator_name(text: str) -> str:
    """How a report names the indicator a Risks cell names (by code or by name, either language): its code in
    English (as people type it), what it counts in Chinese; an unknown one as it is."""
    code = indicator_code(text)
    if code is None:
        return text
    return describe_indicator(code) if i18n.current() == "zh" else code


@dataclass
class Snapshot:
    """Everything the indicators are measured from (one sync's results)."""

    today: dt.date
    launch: dt.date | None
    calendar: WorkCalendar
    tasks: Sequence[Task] = ()
    schedule: Schedule | None = None
    reviews: ReviewLog | None = None
    review_sla: int = 2
    feedback: FeedbackLog | None = None
    raci: RaciResult | None = None
    money: MoneyLike | None = None  # analysis_money.Money: the Goals and Budget sheets as computed


class MoneyLike(Protocol):
    budget: BudgetStatus | None

    def goal_list(self) -> list[GoalOutcome]: ...


def half_up(value: float) -> int:
    """A percentage as the indicators give it: a whole number, halves away from zero (62.5 → 63, -2.5 → -3)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def money_indicators(money: MoneyLike) -> dict[str, int]:
    """The four money indicators, each 0 when the book lacks what it measures.

    budget_used_pct: 100 × total Spent / the approved Budget (without one, the lines' Planned total).
    budget_forecast_overrun_pct: 100 × (total Forecast − that) / that, 0 when the forecast stays within it.
    goals_behind: the goals flagged BEHIND or MISSED.
    cpa_vs_target_pct: 100 × (Actual CPA − Target) / Target of the CPA goal furthest above its target
    (negative: every CPA goal is below its target, the best news; 0 without a CPA goal with an Actual).
    """
    values = dict.fromkeys(("budget_used_pct", "budget_forecast_overrun_pct", "goals_behind", "cpa_vs_target_pct"), 0)
    budget = money.budget
    if budget is not None and budget.used_pct is not None:
        values["budget_used_pct"] = half_up(budget.used_pct)
        values["budget_forecast_overrun_pct"] = max(0, half_up(budget.overrun_pct or 0.0))
    goals = money.goal_list()
    values["goals_behind"] = sum(1 for g in goals if g.flag in (BEHIND, MISSED))
    cpa = [100 * (g.actual - g.target) / g.target for g in goals
           if g.metric == "CPA" and g.actual is not None and g.target]
    if cpa:
        values["cpa_vs_target_pct"] = half_up(max(cpa))
    return values


def measure(snap: Snapshot) -> dict[str, int]:
    """The current value of every indicator."""
    values = dict.fromkeys(INDICATOR_NAMES, 0)
    unfinished = [t for t in snap.tasks if not t.is_done]
    if snap.schedule:
        dates = snap.schedule.tasks
        flags = Counter(dates[t.id].flag for t in snap.tasks if t.id in dates)
        values["overdue_tasks"] = flags[OVERDUE]
        values["due_soon_tasks"] = flags[DUE_SOON]
        values["at_risk_tasks"] = flags[AT_RISK]
        values["launch_slip_days"] = snap.schedule.launch.slip_days
        values["largest_slip_days"] = max((max(0, -d.slack) for d in dates.values()), default=0)
        values["min_slack_to_launch"] = min((dates[t.id].slack for t in unfinished if t.id in dates), default=0)
    values["blocked_tasks"] = sum(1 for t in unfinished if t.status == STATUS_BLOCKED)
    values["unowned_tasks"] = sum(1 for t in unfinished if not t.owner.strip())
    if snap.launch:
        values["working_days_to_launch"] = max(0, snap.calendar.workdays_between(snap.today, snap.launch))
    if snap.raci:
        sole = Counter()
        for task in unfinished:
            responsible = snap.raci.holders(task.id, "R")
            if len(responsible) == 1:
                sole[responsible[0]] += 1
        values["single_points_of_failure"] = sum(1 for n in sole.values() if n >= 2)
    if snap.reviews:
        values["overdue_reviews"] = sum(
            1 for o in snap.reviews.rows.values() if o.age is not None and o.age > snap.review_sla
        )
        values["max_revision_round"] = max((a.latest_round for a in snap.reviews.assets.values()), default=0)
        values["open_compliance_findings"] = sum(a.open_findings for a in snap.reviews.assets.values())
    if snap.feedback:
        feedback_flags = Counter(o.flag for o in snap.feedback.items.values())
        values["overdue_feedback"] = feedback_flags[OVERDUE]
        values["open_feedback"] = sum(feedback_flags[f] for f in (OVERDUE, DUE_SOON, OPEN))
    if snap.money is not None:
        values.update(money_indicators(snap.money))
    return values


class RiskLike(Protocol):
    row: int
    id: str
    indicator: str
    threshold: object  # parse.risks.Threshold


@dataclass(frozen=True)
class RiskOutcome:
    current: int | None
    flag: str | None

    @property
    def triggered(self) -> bool:
        return self.flag == TRIGGERED


@dataclass
class RiskLog:
    items: dict[int, RiskOutcome] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def normalise_indicator(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def indicator_code(text: str) -> str | None:
    """The indicator a Risks row names: its code, or what it counts as sheetsync prints it (either language)."""
    code = normalise_indicator(text)
    if code in INDICATOR_BY_NAME:
        return code
    key = normalise_header(text)
    for indicator in INDICATORS:
        for lang in i18n.LANGUAGES:
            with i18n.language(lang):
                if normalise_header(indicator.describe()) == key:
                    return indicator.name
    return None


def _indicator_choices() -> str:
    """The indicators to pick from: codes; in a Chinese book each with what it counts, to tell them apart."""
    if i18n.current() == "zh":
        return one_of(f"{i.name}（{i.describe()}）" for i in INDICATORS)
    return one_of(INDICATOR_NAMES)


def evaluate(
    risks: Sequence[RiskLike],
    values: dict[str, int],
    *,
    sheet: str = "Risks",
    locate: Callable[[int, str], str] = lambda row, column: f"{column}{row}",
    unreadable_rows: Sequence[int] = (),
) -> RiskLog:
    """Current value and TRIGGERED/OK for every risk whose indicator and threshold can be read; CHECK for the
    others and for `unreadable_rows` (each named by a Problem), so no row is left without a flag."""
    log = RiskLog()
    for risk in risks:
        name = indicator_code(risk.indicator) or normalise_indicator(risk.indicator)
        if not name:
            log.problems.append(
                Problem(
                    sheet,
                    locate(risk.row, "Indicator"),
                    _("risk {risk} has no indicator", risk=risk.id),
                    _("pick one of: {indicators}", indicators=_indicator_choices()),
                )
            )
            log.items[risk.row] = RiskOutcome(None, CHECK)
            continue
        if name not in values:
            log.problems.append(
                Problem(
                    sheet,
                    locate(risk.row, "Indicator"),
                    _('"{indicator}" is not an indicator sheetsync measures', indicator=risk.indicator),
                    _("use one of: {indicators}", indicators=_indicator_choices()),
                )
            )
            log.items[risk.row] = RiskOutcome(None, CHECK)
            continue
        current = values[name]
        if risk.threshold is None:  # missing or unreadable, a Problem either way: the row cannot say OK
            log.items[risk.row] = RiskOutcome(current, CHECK)
            continue
        log.items[risk.row] = RiskOutcome(current, TRIGGERED if risk.threshold.met_by(current) else OK)
    for row in unreadable_rows:
        log.items[row] = RiskOutcome(None, CHECK)
    return log
