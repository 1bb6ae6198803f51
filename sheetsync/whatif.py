"""What-if for change requests: how the launch, the milestones, the buffers and the risks would move.

A what-if edits a copy of the workbook's cells in memory exactly as a person
would (the launch date, a task's Duration) and analyses it beside the real one,
so it reports the same dates a sync would give after the edit. A slip ("the copy
will be 3 days late") is no edit of the plan: the engine moves the task's projected
end (`analyse(slips=...)`), as a real late finish would. Finished work is history:
a longer Duration re-plans backward, but a Done task keeps its dates and flag.
The decisions needed are the unfinished tasks whose new plan is already past.
Nothing is written here; whatif_record.py writes a change request's impact.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from . import i18n
from .analysis import Analysis, analyse
from .contract import NOT_STARTED, PROJECT, SETTINGS, STATUS_BLOCKED, TIMELINE, normalise_header
from .engine.risks import normalise_indicator
from .engine.schedule import TaskDates
from .errors import UsageError
from .i18n import _, n_
from .parse.cells import MAX_DAYS, shown
from .parse.table_view import locate_table
from .problems import Problem
from .raw import RawWorkbook


@dataclass(frozen=True)
class TaskMove:
    """A task whose computed dates or flag the change moves (`before` is None for a task the change adds)."""

    id: str
    milestone: str
    before: TaskDates | None
    after: TaskDates


@dataclass(frozen=True)
class RiskHit:
    id: str
    risk: str
    indicator: str
    threshold: str
    current: int
    owner: str
    plan: str
    new: bool  # not triggered before the change


@dataclass(frozen=True)
class Decision:
    """An unfinished task whose new plan is already past: someone must decide (cut it, overlap it, add people)."""

    id: str
    milestone: str
    status: str
    start: dt.date
    due: dt.date
    due_past: bool  # its new Due is before today (else: not started, and its new Start is before today)
    new: bool  # not a decision before the change


@dataclass
class WhatIfReport:
    target: str
    today: dt.date
    launch_change: dt.date | None
    delays: dict[str, int]
    before: Analysis
    after: Analysis
    slips: dict[str, int] = field(default_factory=dict)
    moves: list[TaskMove] = field(default_factory=list)
    risks: list[RiskHit] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    recorded: Recorded | None = None  # set by whatif_record when the impact was written into a Feedback row
    record_problems: list[Problem] = field(default_factory=list)  # why the impact could not be written

    def launch_dict(self, a: Analysis) -> dict[str, object] | None:
        return a.launch.as_dict() | {"buffer_days": a.launch.buffer_days} if a.launch else None

    @property
    def buffer_used(self) -> int | None:
        """Working days of buffer the change uses up (negative: it gives buffer back)."""
        if not (self.before.launch and self.after.launch):
            return None
        return self.before.launch.buffer_days - self.after.launch.buffer_days

    @property
    def feasible(self) -> bool | None:
        """Can the launch still be made from today after the change (not at risk)? None when nothing is planned."""
        return None if self.after.launch is None else not self.after.launch.at_risk

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "today": self.today.isoformat(),
            "change": {
                "launch": self.launch_change.isoformat() if self.launch_change else None,
                "delays": self.delays,
                "slips": self.slips,
            },
            "launch": {"before": self.launch_dict(self.before), "after": self.launch_dict(self.after)},
            "feasible": self.feasible,
            "buffer_used_days": self.buffer_used,
            "tasks": [
                {"id": m.id, "milestone": m.milestone, "before": _jsonable(m.before), "after": _jsonable(m.after)}
                for m in self.moves
            ],
            "decisions": [
                {"id": d.id, "milestone": d.milestone, "status": d.status, "start": d.start.isoformat(),
                 "due": d.due.isoformat(), "past": "due" if d.due_past else "start", "new": d.new}
                for d in self.decisions
            ],
            "risks": [r.__dict__ for r in self.risks],
            "problems": [p.as_dict() for p in self.after.problems if p not in set(self.before.problems)],
            "recorded": self.recorded.as_dict() if self.recorded else None,
            "record_problems": [p.as_dict() for p in self.record_problems],
        }


@dataclass(frozen=True)
class Recorded:
    """Where a change request's impact was written: the Feedback row, and the line written into it."""

    sheet: str
    row: int
    cell: str
    impact: str

    def as_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "cell": self.cell, "impact": self.impact}


def _jsonable(dates: TaskDates | None) -> dict[str, object]:
    if dates is None:
        return {}
    values = {"start": dates.start, "due": dates.due, "projected_due": dates.projected_due}
    return {k: v.isoformat() for k, v in values.items()} | {"slack": dates.slack, "flag": dates.flag}


def what_if(
    workbook: RawWorkbook,
    *,
    target: str = "",
    today: dt.date | None = None,
    launch: dt.date | None = None,
    delays: dict[str, int] | None = None,
    slips: dict[str, int] | None = None,
) -> WhatIfReport:
    """Analyse the workbook as it is and as it would be after the change; compare.

    `delays`: task ID → working days more of Duration (a re-estimate: the backward plan moves);
    `slips`: task ID → working days it will finish later than now projected (the plan stays).
    """
    before = analyse(workbook, today=today)
    delays, slips = _by_task_id(before, delays or {}), _by_task_id(before, slips or {})
    changed = copy.deepcopy(workbook)
    with i18n.language(before.lang):  # a change that cannot be made is said in the book's language
        _check_slips(before, slips)
        if launch is not None:
            _set_launch(changed, launch)
        for task_id, days in delays.items():
            _add_duration(changed, task_id, days)
        after = analyse(changed, today=before.today, slips=slips)
        _check_planned(before, after)
    report = WhatIfReport(target, before.today, launch, delays, before, after, slips)

    if before.launch and after.launch:
        dates_before = {r.task.id: r.dates for r in before.task_results()}
        done = {t.id for t in before.tasks if t.is_done}
        for task_id in done & after.schedule.tasks.keys() & dates_before.keys():
            after.schedule.tasks[task_id] = dates_before[task_id]  # finished work is history: a re-plan keeps it
        # In the engine's (dependency) order, so that a move reads after what pushed it.
        for moved in after.schedule_order():
            old = dates_before.get(moved.task.id)
            if old != moved.dates:
                report.moves.append(TaskMove(moved.task.id, moved.task.name, old, moved.dates))
        already = {d.id for d in decisions_needed(before, set())}
        report.decisions = decisions_needed(after, already)
    triggered_before = {r.risk.row for r in before.triggered_risks()}
    for hit in after.triggered_risks():
        risk = hit.risk
        report.risks.append(
            RiskHit(
                id=risk.id,
                risk=risk.risk,
                indicator=normalise_indicator(risk.indicator),
                threshold=str(risk.threshold),
                current=hit.current,
                owner=risk.owner,
                plan=risk.plan,
                new=risk.row not in triggered_before,
            )
        )
    return report


def _by_task_id(before: Analysis, days: dict[str, int]) -> dict[str, int]:
    """The typed IDs as the Timeline spells them: matched as the Timeline matches IDs (NFKC, case-insensitive), so
    `t5` and `Ｔ５` are the book's T5; the days of two spellings of one task add up. An unknown ID stays as typed."""
    known = {normalise_header(t.id): t.id for t in before.tasks}
    found: dict[str, int] = {}
    for typed, n in days.items():
        task_id = known.get(normalise_header(typed), typed)
        found[task_id] = found.get(task_id, 0) + n
    return found


def decisions_needed(analysis: Analysis, already: set[str]) -> list[Decision]:
    """Unfinished tasks whose planned Due is before today, or not started with a planned Start before today.

    `already`: the tasks that were decisions before the change (the rest are new). In Timeline order.
    """
    today, found = analysis.today, []
    for result in analysis.task_results():
        task, dates = result.task, result.dates
        if task.is_done:
            continue
        due_past = dates.due < today
        if due_past or (task.status in (NOT_STARTED, STATUS_BLOCKED) and dates.start < today):
            new = task.id not in already
            found.append(Decision(task.id, task.name, task.status, dates.start, dates.due, due_past, new))
    return found


def _check_slips(before: Analysis, slips: dict[str, int]) -> None:
    """A slip is about a planned task that is not finished yet, by one working day or more."""
    tasks = {t.id: t for t in before.tasks}
    timeline = before.timeline.view.title if before.timeline and before.timeline.view else TIMELINE.label(before.lang)
    for task_id, days in slips.items():
        task = tasks.get(task_id)
        if task is None:
            raise UsageError(
                _('no task "{task}" in the {sheet}; use one of its IDs, such as --slip T3=2',
                  task=task_id, sheet=timeline)
            )
        if task.is_done:
            raise UsageError(
                _(
                    "{task} is already Done, so it cannot finish later; to re-estimate it use --delay {task}=N, "
                    "or correct its {done_on} date on the {sheet} sheet",
                    task=task_id,
                    done_on=TIMELINE.column("Done on").label(before.lang),
                    sheet=timeline,
                )
            )
        if days < 1:
            raise UsageError(
                _("--slip {task}={days}: say how many working days late it finishes, 1 or more",
                  task=task_id, days=days)
            )
        if days > MAX_DAYS:
            raise UsageError(
                _("--slip {task}={days}: a task cannot finish more than {limit} working days late; "
                  "give a number of working days up to {limit}", task=task_id, days=days, limit=MAX_DAYS)
            )


def _check_planned(before: Analysis, after: Analysis) -> None:
    """A change whose plan runs past the calendars leaves nothing planned: say so, never "no milestone moves"."""
    if before.schedule is not None and after.schedule is None and after.settings.launch_date is not None:
        raise UsageError(
            _("the change moves the plan past the dates a calendar can count (1900–2200), so nothing can be "
              "planned; try fewer working days or a nearer launch date")
        )


def _set_launch(workbook: RawWorkbook, launch: dt.date) -> None:
    sink: list[Problem] = []
    view = locate_table(workbook, PROJECT, sink)
    if view is None or not view.usable:
        raise UsageError(
            _("the workbook has no {sheet} sheet to change the launch date in", sheet=PROJECT.label(i18n.current()))
        )
    setting = next(s for s in SETTINGS if s.name == "Launch date")
    for row in view.data_rows():
        if setting.matches(view.text(row, "Setting")):
            view.sheet.cells[(row, view.col("Value"))] = launch
            return
    raise UsageError(
        _('the {sheet} sheet has no "{setting}" row to change', sheet=view.title, setting=setting.label(i18n.current()))
    )


def _add_duration(workbook: RawWorkbook, task_id: str, days: int) -> None:
    sink: list[Problem] = []
    view = locate_table(workbook, TIMELINE, sink)
    if view is None or not view.usable:
        raise UsageError(_("the workbook has no usable {sheet} sheet", sheet=TIMELINE.label(i18n.current())))
    for row in view.data_rows():
        if normalise_header(view.text(row, "ID")) == normalise_header(task_id):
            col = view.col("Duration")
            current = view.sheet.value(row, col)
            try:
                base = int(float(shown(current)))
            except (TypeError, ValueError):
                raise UsageError(
                    _(
                        "{task}'s {duration} ({value}) is not a number; fix it first",
                        task=task_id,
                        duration=TIMELINE.column("Duration").label(i18n.current()),
                        value=shown(current),
                    )
                ) from None
            if base + days < 0 < base:  # the copy's negative Duration would be blamed on the book's cell
                raise UsageError(
                    n_(
                        "{task}'s {duration} is {base} working day; the most it can shrink is --delay {task}=-{base}",
                        "{task}'s {duration} is {base} working days; the most it can shrink is --delay {task}=-{base}",
                        base,
                        task=task_id,
                        duration=TIMELINE.column("Duration").label(i18n.current()),
                        base=base,
                    )
                )
            if not 0 <= base + days <= MAX_DAYS:  # else the made-up Duration would be blamed on the book's cell
                raise UsageError(
                    _(
                        "--delay {task}={days} would make {task}'s {duration} {total} working days; "
                        "a {duration} is 0 to {limit}",
                        task=task_id,
                        days=days,
                        duration=TIMELINE.column("Duration").label(i18n.current()),
                        total=base + days,
                        limit=MAX_DAYS,
                    )
                )
            view.sheet.cells[(row, col)] = base + days
            return
    raise UsageError(
        _('no task "{task}" in the {sheet}; use one of its IDs, such as --delay T3=2', task=task_id, sheet=view.title)
    )


__all__ = ["Decision", "Recorded", "WhatIfReport", "decisions_needed", "what_if"]
