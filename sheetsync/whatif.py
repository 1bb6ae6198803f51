"""What-if for change requests: how the launch, the milestones, the buffers and the risks would move.

A what-if edits a copy of the workbook's cells in memory exactly as a person
would (the launch date, a task's Duration) and analyses it beside the real one,
so it reports the same dates a sync would give after the edit. Nothing is written.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from . import i18n
from .analysis import Analysis, analyse
from .contract import PROJECT, SETTINGS, TIMELINE
from .engine.risks import normalise_indicator
from .engine.schedule import TaskDates
from .errors import UsageError
from .i18n import _
from .parse.cells import shown
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


@dataclass
class WhatIfReport:
    target: str
    today: dt.date
    launch_change: dt.date | None
    delays: dict[str, int]
    before: Analysis
    after: Analysis
    moves: list[TaskMove] = field(default_factory=list)
    risks: list[RiskHit] = field(default_factory=list)

    def launch_dict(self, a: Analysis) -> dict[str, object] | None:
        return a.launch.as_dict() | {"margin_days": a.launch.margin_days} if a.launch else None

    @property
    def buffer_used(self) -> int | None:
        if not (self.before.launch and self.after.launch):
            return None
        return self.before.launch.margin_days - self.after.launch.margin_days

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "today": self.today.isoformat(),
            "change": {
                "launch": self.launch_change.isoformat() if self.launch_change else None,
                "delays": self.delays,
            },
            "launch": {"before": self.launch_dict(self.before), "after": self.launch_dict(self.after)},
            "buffer_used_days": self.buffer_used,
            "tasks": [
                {"id": m.id, "milestone": m.milestone, "before": _jsonable(m.before), "after": _jsonable(m.after)}
                for m in self.moves
            ],
            "risks": [r.__dict__ for r in self.risks],
            "problems": [p.as_dict() for p in self.after.problems if p not in set(self.before.problems)],
        }


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
) -> WhatIfReport:
    """Analyse the workbook as it is and as it would be after the change; compare."""
    delays = dict(delays or {})
    before = analyse(workbook, today=today)
    changed = copy.deepcopy(workbook)
    with i18n.language(before.lang):  # a change that cannot be made is said in the book's language
        if launch is not None:
            _set_launch(changed, launch)
        for task_id, days in delays.items():
            _add_duration(changed, task_id, days)
    after = analyse(changed, today=before.today)
    report = WhatIfReport(target, before.today, launch, delays, before, after)

    if before.launch and after.launch:
        dates_before = {r.task.id: r.dates for r in before.task_results()}
        # In the engine's (dependency) order, so that a move reads after what pushed it.
        for moved in after.schedule_order():
            old = dates_before.get(moved.task.id)
            if old != moved.dates:
                report.moves.append(TaskMove(moved.task.id, moved.task.name, old, moved.dates))
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
        if view.text(row, "ID") == task_id:
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
            view.sheet.cells[(row, col)] = base + days
            return
    raise UsageError(
        _('no task "{task}" in the {sheet}; use one of its IDs, such as --delay T3=2', task=task_id, sheet=view.title)
    )


__all__ = ["WhatIfReport", "what_if"]
