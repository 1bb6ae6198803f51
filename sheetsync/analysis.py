"""Parse and compute a whole workbook: the pure middle of a sync (no backend, no writing).

One step per sheet, in dependency order: each parses its sheet (problems name
its cells), computes with the engine, and records the computed cells it wants
in `desired`. Reviews gate timeline tasks; RACI needs the tasks; the risk
register measures everything before it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import i18n
from .a1 import rowcol_to_a1
from .analysis_money import Money, analyse_money
from .contract import FEEDBACK, REVIEW_STAGE, REVIEWS, RISKS, TIMELINE, flag_label
from .engine.baseline import BaselineStatus
from .engine.baseline import compare as compare_baseline
from .engine.calendar import CalendarRangeError, WorkCalendar
from .engine.feedback import FeedbackLog, check_feedback
from .engine.findings import book_checker, review_cells
from .engine.raci import Directory, RaciResult, check_names, check_raci
from .engine.reviews import ReviewLog, check_reviews, link_to_timeline
from .engine.risks import RiskLog, Snapshot, evaluate, measure
from .engine.schedule import LaunchStatus, Schedule, Task, schedule
from .i18n import _
from .outcomes import FeedbackResult, OverdueWork, ReviewResult, RiskResult, TaskResult
from .parse.baseline import baseline_due_missing, read_baseline
from .parse.channels import Channel, parse_channels
from .parse.compliance import parse_copy_rules
from .parse.feedback import FeedbackRows, parse_feedback
from .parse.project import ProjectSettings, book_language, calendar_notice, parse_project, unconfirmed_calendar
from .parse.raci import RaciRows, TeamRows, bot_addresses, parse_raci, parse_team
from .parse.reviews import ReviewRows, parse_reviews
from .parse.risks import RiskRows, parse_risks
from .parse.schedule import TimelineRows, parse_timeline
from .parse.table_view import TableView
from .problems import Problem, column_label
from .raw import CellValue, RawWorkbook, writable

if TYPE_CHECKING:
    from .baseline_record import Recording

# sheet title → {(row, col): value} for every computed cell sheetsync wants to hold.
Desired = dict[str, dict[tuple[int, int], CellValue]]


@dataclass
class Analysis:
    """Everything one sync computes before writing."""

    workbook: RawWorkbook
    today: dt.date
    settings: ProjectSettings
    problems: list[Problem] = field(default_factory=list)
    desired: Desired = field(default_factory=dict)
    calendar: WorkCalendar | None = None  # the project's working days, built once per analysis
    timeline: TimelineRows | None = None
    tasks: list[Task] = field(default_factory=list)  # as scheduled (reviews applied)
    schedule: Schedule | None = None
    reviews: ReviewRows | None = None
    review_log: ReviewLog | None = None
    team: TeamRows | None = None
    channels: list[Channel] = field(default_factory=list)  # the optional Channels sheet: group chats
    raci: RaciRows | None = None
    raci_result: RaciResult | None = None
    feedback: FeedbackRows | None = None
    feedback_log: FeedbackLog | None = None
    risks: RiskRows | None = None
    risk_log: RiskLog | None = None
    indicators: dict[str, int] = field(default_factory=dict)
    money: Money | None = None  # the Goals and Budget sheets as computed (analysis_money.py)
    baseline: BaselineStatus | None = None  # the committed plan and the variance against it, once recorded
    recording: Recording | None = None  # what a `baseline` run recorded this time (None: a sync or check)
    lang: str = "en"  # the language every Problem and computed word was written in
    notices: list[str] = field(default_factory=list)  # said once per sync to the team (CLI, detailed digest)

    @property
    def launch(self) -> LaunchStatus | None:
        return self.schedule.launch if self.schedule else None

    def views(self) -> list[TableView]:
        """The contract sheets found, for headers sheetsync adds."""
        parts = (self.timeline, self.reviews, self.raci, self.feedback, self.risks)
        views = [p.view for p in parts if p is not None and p.view is not None]
        return views + (self.money.views() if self.money else [])

    def flag_counts(self) -> dict[str, dict[str, int]]:
        """How many rows carry each flag, per sheet (canonical sheet names)."""
        counts: dict[str, dict[str, int]] = {}
        if self.schedule:
            counts[TIMELINE.name] = dict(Counter(t.flag for t in self.schedule.tasks.values()))
        if self.review_log:
            counts[REVIEWS.name] = dict(Counter(o.flag for o in self.review_log.rows.values()))
        if self.risk_log:
            counts[RISKS.name] = dict(Counter(o.flag for o in self.risk_log.items.values() if o.flag))
        if self.feedback_log:
            counts[FEEDBACK.name] = dict(Counter(o.flag for o in self.feedback_log.items.values()))
        counts.update(self.money.flag_counts() if self.money else {})
        return {sheet: c for sheet, c in counts.items() if c}

    # --- typed results: each sheet row joined to what the engine computed for it ---

    def task_results(self) -> list[TaskResult]:
        """Every scheduled Timeline task with its dates and flag, in Timeline order."""
        if self.schedule is None:
            return []
        return [TaskResult(task, self.schedule.tasks[task.id]) for task in self.tasks]

    def schedule_order(self) -> list[TaskResult]:
        """Every scheduled task with its dates and flag, in the engine's dependency order (after what it waits on)."""
        if self.schedule is None:
            return []
        by_id = {task.id: task for task in self.tasks}
        return [TaskResult(by_id[task_id], dates) for task_id, dates in self.schedule.tasks.items()]

    def open_tasks(self) -> list[TaskResult]:
        """Unfinished tasks, soonest planned due first."""
        return sorted((r for r in self.task_results() if not r.task.is_done), key=TaskResult.soonest_first)

    def due_soon(self, workdays: int) -> list[TaskResult]:
        """Unfinished tasks due from today through `workdays` working days ahead, soonest first."""
        if self.calendar is None:
            return []
        horizon = self.calendar.add_workdays(self.today, workdays)
        return [r for r in self.open_tasks() if self.today <= r.due <= horizon]

    def review_results(self) -> list[ReviewResult]:
        """Every Reviews row with its flag, findings and age, in sheet order."""
        if self.reviews is None or self.review_log is None:
            return []
        return [ReviewResult(review, self.review_log.rows[review.row]) for review in self.reviews.reviews]

    def pending_reviews(self) -> list[ReviewResult]:
        """Reviews still waiting for a decision, in sheet order."""
        return [r for r in self.review_results() if r.pending]

    def reviews_by_stage(self) -> list[ReviewResult]:
        """Pending reviews by stage (Internal, Client, Compliance, then none), each stage in sheet order."""
        order = {stage: i for i, stage in enumerate(REVIEW_STAGE)}
        return sorted(self.pending_reviews(), key=lambda r: (order.get(r.review.stage or "", len(order)), r.review.row))

    def copy_findings(self) -> list[ReviewResult]:
        """Reviews rows whose copy has findings, in sheet order."""
        return [r for r in self.review_results() if r.findings]

    def feedback_results(self) -> list[FeedbackResult]:
        """Every client request with its due date and flag, in sheet order."""
        if self.feedback is None or self.feedback_log is None:
            return []
        return [FeedbackResult(item, self.feedback_log.items[item.row]) for item in self.feedback.items]

    def open_feedback(self) -> list[FeedbackResult]:
        """Client requests not yet Done or Won't do, in sheet order."""
        return [r for r in self.feedback_results() if r.open]

    def risk_results(self) -> list[RiskResult]:
        """Every Risks row with its indicator's current value and flag, in sheet order."""
        if self.risks is None or self.risk_log is None:
            return []
        return [RiskResult(risk, self.risk_log.items[risk.row]) for risk in self.risks.risks]

    def triggered_risks(self) -> list[RiskResult]:
        """Risks whose threshold is met, in sheet order."""
        return [r for r in self.risk_results() if r.triggered]

    def overdue(self) -> OverdueWork:
        """Tasks, pending reviews and client requests past their due, each in sheet order."""
        return OverdueWork(
            tasks=tuple(r for r in self.task_results() if r.overdue),
            reviews=tuple(r for r in self.review_results() if r.overdue),
            feedback=tuple(r for r in self.feedback_results() if r.overdue),
        )


def analyse(workbook: RawWorkbook, *, today: dt.date | None = None, slips: dict[str, int] | None = None) -> Analysis:
    """Parse and compute the whole workbook, in its language (every Problem and computed word).

    `slips` (task ID → working days, a what-if's) moves those tasks' projected ends later.
    """
    with i18n.language(book_language(workbook)) as lang:
        analysis = _analyse(workbook, today, slips)
        analysis.lang = lang
        return analysis


def _analyse(workbook: RawWorkbook, today: dt.date | None, slips: dict[str, int] | None = None) -> Analysis:
    problems: list[Problem] = []
    settings = parse_project(workbook, problems)
    a = Analysis(workbook, today or settings.today or dt.date.today(), settings, problems)
    calendar = a.calendar = settings.work_calendar()

    a.team = parse_team(workbook, problems)
    directory = Directory(a.team.members)
    a.channels = parse_channels(workbook, a.team.members, problems)
    bot_addresses(workbook, problems)  # a group bot's address pasted anywhere: Sheet link, a column of one's own
    a.raci = parse_raci(workbook, problems)

    # Reviews and copy
    a.reviews = parse_reviews(workbook, problems)
    custom_terms = parse_copy_rules(workbook, problems)
    checker = book_checker(settings.market, settings.industry, custom_terms, settings.evidence)  # remembered copy
    view = a.reviews.view
    if view is not None and view.usable:
        a.review_log = check_reviews(
            a.reviews.reviews,
            today=a.today,
            calendar=calendar,
            sla=settings.review_sla,
            max_rounds=settings.max_revision_rounds,
            checker=checker,
            sheet=view.title,
            locate=view.locate,
            unreadable_rows=a.reviews.unreadable_rows,
        )
        checker.save()
        problems.extend(a.review_log.problems)
        outcomes = a.review_log.rows
        a.desired[view.title] = computed_cells(view, ("Findings", "Flag"), review_cells(outcomes))

    # Timeline
    a.timeline = parse_timeline(workbook, a.today, problems)
    view = a.timeline.view
    a.tasks = list(a.timeline.tasks)
    if view is not None and view.usable:
        if a.review_log is not None:
            a.tasks, link_problems = link_to_timeline(
                a.tasks,
                a.review_log.assets,
                sla=settings.review_sla,
                sheet=view.title,
                reviews_sheet=a.reviews.view.title,
                locate=view.locate,
            )
            problems.extend(link_problems)
        if settings.launch_date is not None:
            try:
                a.schedule = schedule(
                    a.tasks,
                    launch=settings.launch_date,
                    calendar=calendar,
                    today=a.today,
                    due_soon_window=settings.due_soon_window,
                    locate=view.locate,
                    known_ids=a.timeline.unscheduled_ids,
                    sheet=view.title,
                    slips=slips,
                )
            except CalendarRangeError:
                problems.append(_plan_out_of_range(view))
        if a.schedule is not None:
            problems.extend(a.schedule.problems)
            dates = {t.row: a.schedule.tasks[t.id] for t in a.tasks}
            a.desired[view.title] = computed_cells(
                view,
                ("Start", "Due", "Projected due", "Slack", "Flag"),
                {row: (d.start, d.due, d.projected_due, d.slack, flag_label(d.flag)) for row, d in dates.items()},
            )
            a.baseline = _measure_baseline(a, view, problems)
            span = [settings.launch_date, *(d for t in a.schedule.tasks.values() for d in (t.start, t.projected_due))]
            unconfirmed = unconfirmed_calendar(settings, calendar, min(span), max(span))
            if unconfirmed is not None:
                problems.append(unconfirmed)
                a.notices.append(calendar_notice(unconfirmed))

    # RACI and names
    timeline_view = a.timeline.view
    if a.raci.view is not None and a.raci.view.usable and timeline_view is not None and timeline_view.usable:
        rv = a.raci.view
        a.raci_result = check_raci(
            a.raci.rows,
            a.tasks,
            directory,
            raci_sheet=rv.title,
            raci_locate=rv.locate,
            header_cells={who: rowcol_to_a1(rv.header_row, col) for who, col in a.raci.people.items()},
            timeline_sheet=timeline_view.title,
            timeline_locate=timeline_view.locate,
            other_activities=a.timeline.unscheduled_ids | a.timeline.unscheduled_names,
        )
        problems.extend(a.raci_result.problems)
        a.desired[rv.title] = computed_cells(
            rv, ("Check",), {row: (text,) for row, text in a.raci_result.checks.items()}
        )
    if timeline_view is not None:
        problems.extend(
            check_names(
                directory,
                [(timeline_view.title, timeline_view.locate(t.row, "Owner"), t.owner) for t in a.timeline.tasks],
            )
        )

    # Feedback
    a.feedback = parse_feedback(workbook, problems)
    view = a.feedback.view
    if view is not None and view.usable:
        references = [t.id for t in a.tasks] + list(a.timeline.unscheduled_ids)
        references += [r.asset for r in a.reviews.reviews] if a.reviews else []
        a.feedback_log = check_feedback(
            a.feedback.items,
            today=a.today,
            calendar=calendar,
            response_days=settings.feedback_response,
            due_soon_window=settings.due_soon_window,
            references=references,
            sheet=view.title,
            locate=view.locate,
        )
        problems.extend(a.feedback_log.problems)
        problems.extend(
            check_names(directory, [(view.title, view.locate(f.row, "Owner"), f.owner) for f in a.feedback.items])
        )
        a.desired[view.title] = computed_cells(
            view, ("Due", "Flag"), {row: (o.due, flag_label(o.flag)) for row, o in a.feedback_log.items.items()}
        )

    a.money = analyse_money(a)  # Goals and Budget: the launch starts the flight; the risk indicators read them
    # Risks: measured from everything above
    a.indicators = measure(
        Snapshot(
            today=a.today,
            launch=settings.launch_date,
            calendar=calendar,
            tasks=a.tasks,
            schedule=a.schedule,
            reviews=a.review_log,
            review_sla=settings.review_sla,
            feedback=a.feedback_log,
            raci=a.raci_result,
            money=a.money,
        )
    )
    a.risks = parse_risks(workbook, problems)
    view = a.risks.view
    if view is not None and view.usable:
        a.risk_log = evaluate(
            a.risks.risks, a.indicators, sheet=view.title, locate=view.locate, unreadable_rows=a.risks.unreadable_rows
        )
        problems.extend(a.risk_log.problems)
        problems.extend(
            check_names(directory, [(view.title, view.locate(r.row, "Owner"), r.owner) for r in a.risks.risks])
        )
        a.desired[view.title] = computed_cells(
            view, ("Current", "Flag"), {row: (o.current, flag_label(o.flag)) for row, o in a.risk_log.items.items()}
        )
    return a


def _measure_baseline(a: Analysis, view: TableView, problems: list[Problem]) -> BaselineStatus | None:
    """The variance of every task against the recorded baseline, into the Variance column; None before one."""
    unreadable: set[str] = set()  # in the baseline, its committed due unreadable: Variance blank, not "not in"
    recorded = read_baseline(view, a.tasks, problems, unreadable)
    settings = a.settings
    if not (recorded or settings.baseline or settings.baseline_launch):
        return None  # no baseline: a Variance column is not yet sheetsync's (an old book's may be the team's own)
    if view.col("Baseline due") is None:  # a baseline is named but its dates were deleted: say so, measure nothing
        problems.append(baseline_due_missing(view))
        a.desired[view.title].update(computed_cells(view, ("Variance",), {}))
        return None
    view.add_columns(["Variance"], problems)  # a baselined book whose Variance column was deleted gets it back
    status = compare_baseline(
        name=settings.baseline, launch=settings.baseline_launch, recorded=recorded, tasks=a.tasks,
        dates=a.schedule.tasks, launch_status=a.launch, calendar=a.calendar, unreadable=unreadable,
    )
    not_in, days = _("not in baseline"), status.variances
    values = {t.row: (not_in if days[t.id] is None else days[t.id],) for t in a.tasks if t.id in days}
    a.desired[view.title].update(computed_cells(view, ("Variance",), values))
    return status


def _plan_out_of_range(view: TableView) -> Problem:
    """Each Duration and Buffer is bounded, but a chain of dependent tasks adds them up past any calendar."""
    return Problem(
        view.title,
        view.locate(view.header_row, "Duration"),
        _(
            "the chain of dependent tasks adds up to more working days than a calendar can count (1900–2200), "
            "so nothing is planned",
        ),
        _(
            "check the {duration}, {buffer} and {depends_on} of the longest chain",
            duration=column_label(TIMELINE, "Duration"),
            buffer=column_label(TIMELINE, "Buffer"),
            depends_on=column_label(TIMELINE, "Depends on"),
        ),
    )


def computed_cells(
    view: TableView, names: tuple[str, ...], values: dict[int, tuple[CellValue, ...]]
) -> dict[tuple[int, int], CellValue]:
    """The computed columns `names` of a sheet: `values` by row (as written), and blanks for every other row.

    Rows that are not computed (errors, or emptied by a person) must not keep stale results. Only the
    sheet's actual cells are visited, so one far-away cell (row 1,048,576) costs nothing.
    """
    cols = [view.col(n) for n in names]  # None: a column with no place (table_view: only where wholly empty)
    cells: dict[tuple[int, int], CellValue] = {}
    texts: dict[str, CellValue] = {}  # computed words repeat down a column: each made writable once
    for row, row_values in values.items():
        for col, value in zip(cols, row_values, strict=True):
            if col is not None:
                if value.__class__ is str:
                    text = texts.get(value)
                    cells[(row, col)] = text if text is not None else texts.setdefault(value, writable(value))
                else:
                    cells[(row, col)] = writable(value)
    computed = set(cols) - {None}
    for (row, col), value in view.sheet.cells.items():
        if col in computed and row > view.header_row and row not in values and value is not None:
            cells[(row, col)] = None
    return cells


__all__ = ["Analysis", "Desired", "analyse", "computed_cells"]
