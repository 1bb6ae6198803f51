"""The deadline engine: plan backward from launch, track forward from today.

Pure: no I/O, no workbook. Semantics are DESIGN.md's "Deadline semantics":

* A task of duration d >= 1 occupies d working days, Start..Due inclusive; a
  milestone (d = 0) is a point at the beginning of a day. Times are handled as
  *points*, the ordinal of the day whose beginning they mark: a task ends at
  the point Due + 1.
* The launch is a point at the beginning of the launch date and succeeds every
  task that has no other successor.
* Buffer b: b whole working days free between a task's end and each successor.
* Fixed due D caps a task's end at the end of D (a milestone's point at D).
* Planning is as late as possible (TaskJuggler's `scheduling alap`).
* Tracking: done tasks end on `Done on`; unfinished ones end no earlier than
  their plan, their predecessors' projected ends (buffers absorb the slip),
  and, once late, today. A task not started by its planned start starts today
  at the earliest, so its whole duration still lies ahead. A milestone moved
  off its plan (by a predecessor ending on a Friday, by a late today) lands on
  the next working day, and so does a slipping launch: projected dates are
  working days, and the launch's projected date is slip_days working days on.
* Provisional: a task whose Duration or links could not be read or kept (the
  parser's `unreadable`, a dependency that is not planned, a cycle) is planned
  with what could be read, flagged CHECK, and named in LaunchStatus.provisional,
  so the launch line never says a plain "on track" on a guess.
* Slips (a what-if's `slips`): a not-done task's projected end is moved N working days
  later, as a review round sent back moves it; the plan stays, successors follow.
* Buffer left (LaunchStatus.buffer_days): how far the work can still slip before the
  launch does (margin.py); negative = the launch's slip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..contract import (
    AT_RISK,
    BLOCKED,
    CHECK,
    DONE,
    DONE_LATE,
    DUE_SOON,
    NOT_STARTED,
    OK,
    OVERDUE,
    STATUS_BLOCKED,
    STATUS_DONE,
    TIMELINE,
)
from ..i18n import N_, _, n_, translate
from ..problems import Problem
from .calendar import WorkCalendar
from .graph import topological_order
from .margin import buffer_left

# Why a task is planned provisionally: the parser's reasons (Task.unreadable), then the engine's.
DURATION_UNREADABLE, DURATION_MISSING = "duration unreadable", "duration missing"
DEPENDS_UNREADABLE, DEPENDS_NOT_PLANNED, DEPENDS_CYCLE = "depends unreadable", "depends not planned", "depends cycle"
# reason → (the column it is about, how the launch line says it)
_REASONS = {
    DURATION_UNREADABLE: ("Duration", N_("{task}'s duration is unreadable ({cell})")),
    DURATION_MISSING: ("Duration", N_("{task} has no duration ({cell})")),
    DEPENDS_UNREADABLE: ("Depends on", N_("{task}'s dependencies are unreadable ({cell})")),
    DEPENDS_NOT_PLANNED: ("Depends on", N_("{task} depends on a task that is not planned ({cell})")),
    DEPENDS_CYCLE: ("Depends on", N_("{task} is on a dependency cycle ({cell})")),
}
_NAMED_IN_LAUNCH_LINE = 3  # more provisional tasks are counted, not named


@dataclass(frozen=True)
class Task:
    """One Timeline row, typed."""

    id: str
    duration: int
    buffer: int = 0
    depends_on: tuple[str, ...] = ()
    fixed_due: dt.date | None = None
    status: str = NOT_STARTED
    done_on: dt.date | None = None
    row: int = 0  # the Timeline row it came from, for problems
    owner: str = ""
    name: str = ""
    review_delay: int = 0  # working days added to its projection by review rounds sent back (see reviews.py)
    unreadable: tuple[str, ...] = ()  # why the parser could only guess (DURATION_UNREADABLE…): planned provisionally

    @property
    def is_milestone(self) -> bool:
        return self.duration == 0

    @property
    def is_done(self) -> bool:
        return self.status == STATUS_DONE


@dataclass(frozen=True)
class TaskDates:
    """What the engine computes for a task: the Timeline's computed columns."""

    start: dt.date
    due: dt.date
    projected_due: dt.date
    slack: int
    flag: str


@dataclass(frozen=True)
class Provisional:
    """A task planned on a guess, why, and the cell to correct (sheet!A1)."""

    task: str
    reason: str  # DURATION_UNREADABLE, DURATION_MISSING, DEPENDS_UNREADABLE, DEPENDS_NOT_PLANNED, DEPENDS_CYCLE
    sheet: str
    cell: str

    def describe(self) -> str:
        """"T8's duration is unreadable (Timeline!E9)", in the active language."""
        return translate(_REASONS[self.reason][1], task=self.task, cell=f"{self.sheet}!{self.cell}")

    def as_dict(self) -> dict[str, str]:
        return {"task": self.task, "reason": self.reason, "sheet": self.sheet, "cell": self.cell}


@dataclass(frozen=True)
class LaunchStatus:
    """Will the ads go live on time?"""

    date: dt.date
    projected: dt.date
    slip_days: int  # working days the launch would slip; 0 when on track
    at_risk: bool
    late_tasks: tuple[str, ...] = ()  # tasks without a successor projected past launch
    margin_days: int = 0  # working days between the last projected end and launch (negative = the slip)
    buffer_days: int = 0  # working days the unfinished work can still slip before the launch does (negative = slip)
    provisional: tuple[Provisional, ...] = ()  # tasks planned on a guess: the status is only as good as they are

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "projected": self.projected.isoformat(),
            "slip_days": self.slip_days,
            "at_risk": self.at_risk,
            "provisional": [p.as_dict() for p in self.provisional],
        }

    def provisional_note(self) -> str:
        """"provisional: T8's duration is unreadable (Timeline!E9)", or "" when nothing is a guess."""
        if not self.provisional:
            return ""
        named = [p.describe() for p in self.provisional[:_NAMED_IN_LAUNCH_LINE]]
        rest = len(self.provisional) - len(named)
        if rest:
            named.append(n_("{n} more", "{n} more", rest))
        return _("provisional: {reasons}", reasons=_("; ").join(named))


@dataclass
class Schedule:
    """The engine's answer for a whole timeline."""

    tasks: dict[str, TaskDates]
    launch: LaunchStatus
    problems: list[Problem] = field(default_factory=list)
    successors: dict[str, list[str]] = field(default_factory=dict)


# Where a problem about a task field lives: (row, column name) → "D7".
Locator = Callable[[int, str], str]


def _default_locator(row: int, column: str) -> str:
    return f"{column} of row {row}" if row else column


def schedule(
    tasks: Sequence[Task],
    *,
    launch: dt.date,
    calendar: WorkCalendar,
    today: dt.date,
    due_soon_window: int = 2,
    locate: Locator = _default_locator,
    known_ids: Iterable[str] = (),
    sheet: str = TIMELINE.name,
    slips: dict[str, int] | None = None,
) -> Schedule:
    """Plan every task backward from `launch` and track it forward from `today`.

    `known_ids` are IDs that exist in the sheet but were not scheduled (rows with
    errors already reported): depending on them is not reported again, but the
    task is still provisional. `sheet` is the Timeline's title, for problems. `slips`
    (task ID → working days) moves those unfinished tasks' projected ends later (a what-if).
    """
    problems: list[Problem] = []
    by_id = {t.id: t for t in tasks}
    silent = set(known_ids)
    reasons: dict[str, list[str]] = {t.id: list(t.unreadable) for t in tasks}

    preds: dict[str, list[str]] = {t.id: [] for t in tasks}
    for task in tasks:
        for dep in task.depends_on:
            if dep == task.id:
                preds[task.id].append(dep)  # a self-loop is a cycle of one
            elif dep in by_id:
                preds[task.id].append(dep)
            else:
                reasons[task.id].append(DEPENDS_NOT_PLANNED)
                if dep not in silent:
                    problems.append(
                        Problem(
                            sheet,
                            locate(task.row, "Depends on"),
                            _('{task} depends on "{dependency}", which is not an ID in the {sheet}',
                              task=task.id, dependency=dep, sheet=sheet),
                            _("use the ID of an existing row, or remove it"),
                        )
                    )

    order, cyclic = topological_order(tasks, preds)
    for component in cyclic:
        ids = sorted(component, key=lambda i: (by_id[i].row, i))
        cells = ", ".join(locate(by_id[i].row, "Depends on") for i in ids)
        problems.append(
            Problem(
                sheet,
                locate(by_id[ids[0]].row, "Depends on"),
                _(
                    "dependency cycle: {cycle} (cells {cells}); their links are ignored",
                    cycle=" → ".join(ids + [ids[0]]),
                    cells=cells,
                ),
                _("remove one of these dependencies so the tasks form a sequence"),
            )
        )
        members = set(component)
        for i in component:
            preds[i] = [p for p in preds[i] if p not in members]
            reasons[i].append(DEPENDS_CYCLE)

    succs: dict[str, list[str]] = {t.id: [] for t in tasks}
    for tid, ps in preds.items():
        for p in ps:
            succs[p].append(tid)

    L = launch.toordinal()
    cal = calendar

    # --- backward: as late as possible ------------------------------------
    start_pt: dict[str, int] = {}
    due_day: dict[str, int] = {}
    for tid in reversed(order):
        task = by_id[tid]
        if succs[tid]:
            bound = min(cal.back(start_pt[s], task.buffer) for s in succs[tid])
        else:
            bound = cal.back(L, task.buffer)
        if task.fixed_due is not None:
            cap = task.fixed_due.toordinal() + (0 if task.is_milestone else 1)
            bound = min(bound, cap)
        if task.is_milestone:
            start_pt[tid] = due_day[tid] = bound
        else:
            due = cal.last_workday_before(bound)
            due_day[tid] = due
            start_pt[tid] = cal.shift_workdays(due, -(task.duration - 1))

    # --- forward: projected from today -------------------------------------
    T = today.toordinal()
    end_pt: dict[str, int] = {}  # projected end point
    projected: dict[str, int] = {}
    slips = slips or {}
    for tid in order:
        task = by_id[tid]
        late_by = task.review_delay + slips.get(tid, 0)  # both move its projected end, not its plan
        planned_end = due_day[tid] + (0 if task.is_milestone else 1)
        if task.is_done:
            done = task.done_on.toordinal() if task.done_on else due_day[tid]
            projected[tid] = done
            end_pt[tid] = done + (0 if task.is_milestone else 1)
            continue
        earliest = max((end_pt[p] for p in preds[tid]), default=None)
        not_started = task.status in (NOT_STARTED, STATUS_BLOCKED)
        if not_started and start_pt[tid] < T:
            earliest = T if earliest is None else max(earliest, T)
        if task.is_milestone:
            point = max(due_day[tid], T, earliest if earliest is not None else T)
            if point > due_day[tid]:  # moved off its plan: to the beginning of the next working day
                point = cal.first_workday_from(point)
            if late_by:
                point = cal.shift_workdays(cal.first_workday_from(point), late_by)
            projected[tid] = end_pt[tid] = point
        else:
            end = planned_end
            if earliest is not None:
                first = cal.first_workday_from(earliest)
                end = max(end, cal.shift_workdays(first, task.duration - 1) + 1)
            if end <= T:  # already late: it can end today at the earliest
                end = cal.first_workday_from(T) + 1
            if late_by:
                end = cal.shift_workdays(end - 1, late_by) + 1
            end_pt[tid] = end
            projected[tid] = end - 1

    # --- flags and slack ------------------------------------------------------
    results: dict[str, TaskDates] = {}
    for tid in order:
        task = by_id[tid]
        offset = 0 if task.is_milestone else 1
        slack = cal.count(end_pt[tid], due_day[tid] + offset)
        due = due_day[tid]
        if reasons[tid]:
            flag = CHECK
        elif task.is_done:
            flag = DONE_LATE if projected[tid] > due else DONE
        elif due < T:
            flag = OVERDUE
        elif task.status == STATUS_BLOCKED:
            flag = BLOCKED
        elif projected[tid] > due:
            flag = AT_RISK
        elif cal.count(T + 1, due + 1) <= due_soon_window:
            flag = DUE_SOON
        else:
            flag = OK
        results[tid] = TaskDates(
            start=dt.date.fromordinal(start_pt[tid]),
            due=dt.date.fromordinal(due),
            projected_due=dt.date.fromordinal(projected[tid]),
            slack=slack,
            flag=flag,
        )

    # --- launch -----------------------------------------------------------------
    sinks = [tid for tid in order if not succs[tid]]
    ready = max((end_pt[tid] for tid in sinks), default=L)
    slip = cal.count(L, ready) if ready > L else 0
    late = tuple(tid for tid in sinks if end_pt[tid] > L and cal.count(L, end_pt[tid]) > 0)
    status = LaunchStatus(
        date=launch,
        projected=dt.date.fromordinal(cal.first_workday_from(ready)) if slip else launch,
        slip_days=slip,
        at_risk=slip > 0,
        late_tasks=late,
        margin_days=-slip if slip else cal.count(ready, L),
        buffer_days=-slip if slip else buffer_left(order, by_id, succs, end_pt, due_day, L, cal, slips),
        provisional=tuple(
            Provisional(t.id, reason, sheet, locate(t.row, _REASONS[reason][0]))
            for t in sorted(tasks, key=lambda t: t.row)
            for reason in dict.fromkeys(reasons[t.id])
        ),
    )
    return Schedule(tasks=results, launch=status, problems=problems, successors=succs)
