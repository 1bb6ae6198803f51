"""The risk register: indicators sheetsync measures from the workbook, and thresholds that trigger risks.

Pure. Each Risks row names an indicator from INDICATORS and a threshold such as
`>= 2`; sheetsync writes the indicator's current value and TRIGGERED or OK. The
vocabulary is documented here and in the README; an unknown name is a Problem
that lists the valid ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..contract import AT_RISK, DUE_SOON, OK, OPEN, OVERDUE, STATUS_BLOCKED, TRIGGERED
from ..problems import Problem
from .calendar import WorkCalendar
from .feedback import FeedbackLog
from .raci import RaciResult
from .reviews import ReviewLog
from .schedule import Schedule, Task


@dataclass(frozen=True)
class Indicator:
    name: str
    en: str
    zh: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("overdue_tasks", "unfinished Timeline tasks past their planned due", "已过截止日期的未完成任务数"),
    Indicator("due_soon_tasks", "unfinished tasks due within the due-soon window", "临近截止的任务数"),
    Indicator("at_risk_tasks", "unfinished tasks projected past their planned due", "预计延误的任务数"),
    Indicator("blocked_tasks", "unfinished tasks with Status Blocked", "受阻任务数"),
    Indicator("unowned_tasks", "unfinished tasks without an Owner", "无负责人的未完成任务数"),
    Indicator("launch_slip_days", "working days the launch is projected to slip", "上线预计延误的工作日数"),
    Indicator("largest_slip_days", "the largest slip of any task, in working days", "单个任务的最大延误工作日数"),
    Indicator(
        "min_slack_to_launch",
        "the smallest slack of an unfinished task on the path to launch",
        "通往上线路径上未完成任务的最小余量",
    ),
    Indicator("working_days_to_launch", "working days from today until the launch date", "距上线的工作日数"),
    Indicator(
        "single_points_of_failure",
        "people who are the only R on two or more unfinished milestones",
        "在两个及以上未完成里程碑上唯一负责（R）的人数",
    ),
    Indicator("overdue_reviews", "Pending reviews older than the review SLA", "超过审核时限的待审记录数"),
    Indicator("max_revision_round", "the highest revision round of any asset", "素材的最高修改轮次"),
    Indicator(
        "open_compliance_findings", "copy findings not cleared by all three gates", "未经三道审核确认的文案问题数"
    ),
    Indicator("overdue_feedback", "open client feedback past its due", "逾期未处理的客户反馈数"),
    Indicator("open_feedback", "client feedback still open or in progress", "未关闭的客户反馈数"),
)
INDICATOR_NAMES = tuple(i.name for i in INDICATORS)


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


def evaluate(
    risks: Sequence[RiskLike],
    values: dict[str, int],
    *,
    sheet: str = "Risks",
    locate: Callable[[int, str], str] = lambda row, column: f"{column}{row}",
) -> RiskLog:
    """Current value and TRIGGERED/OK for every risk whose indicator and threshold can be read."""
    log = RiskLog()
    for risk in risks:
        name = normalise_indicator(risk.indicator)
        if not name:
            log.problems.append(
                Problem(
                    sheet,
                    locate(risk.row, "Indicator"),
                    f"risk {risk.id} has no indicator",
                    "pick one of: " + ", ".join(INDICATOR_NAMES),
                )
            )
            log.items[risk.row] = RiskOutcome(None, None)
            continue
        if name not in values:
            log.problems.append(
                Problem(
                    sheet,
                    locate(risk.row, "Indicator"),
                    f'"{risk.indicator}" is not an indicator sheetsync measures',
                    "use one of: " + ", ".join(INDICATOR_NAMES),
                )
            )
            log.items[risk.row] = RiskOutcome(None, None)
            continue
        current = values[name]
        if risk.threshold is None:
            log.items[risk.row] = RiskOutcome(current, None)
            continue
        log.items[risk.row] = RiskOutcome(current, TRIGGERED if risk.threshold.met_by(current) else OK)
    return log
