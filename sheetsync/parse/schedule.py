"""The Timeline sheet → engine Tasks, with a Problem for each unreadable cell.

The Tasks are what engine/schedule.py plans and tracks. A task whose Duration or
Depends on cannot be read is still planned, provisionally (PROVISIONAL_DURATION,
the links that could be read) and marked so the engine flags it CHECK; only a row
without a usable ID is left out of the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..contract import NOT_STARTED, STATUS_DONE, TASK_STATUS, TIMELINE, choice_label
from ..engine.schedule import DEPENDS_UNREADABLE, DURATION_MISSING, DURATION_UNREADABLE, Task
from ..i18n import _, n_
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import ID_PATTERN, id_parts, to_choice, to_date, to_days, to_id, to_ids
from .table_view import INVALID, Memo, TableView, locate_table

# The working days a task is planned with until its unreadable or missing Duration is corrected:
# the shortest a task can be, so the guess moves its predecessors as little as possible.
PROVISIONAL_DURATION = 1


@dataclass
class TimelineRows:
    """The parsed Timeline: tasks to schedule and the rows that could not be scheduled."""

    view: TableView | None
    tasks: list[Task] = field(default_factory=list)
    unscheduled_rows: list[int] = field(default_factory=list)  # data rows without a usable ID
    unscheduled_ids: set[str] = field(default_factory=set)
    unscheduled_names: set[str] = field(default_factory=set)  # milestone names of those rows


def parse_timeline(workbook: RawWorkbook, today: dt.date, problems: list[Problem]) -> TimelineRows:
    view = locate_table(workbook, TIMELINE, problems)
    result = TimelineRows(view=view)
    if view is None or not view.usable:
        return result
    seen: dict[str, str] = {}  # id → cell of first occurrence
    # each distinct duration, date and status is read once (IDs and dependency lists are each a row's own)
    read_duration = view.column_reader(
        "Duration", Memo(lambda v: to_days(v, date_system=workbook.date_system)), problems
    )
    read_buffer = view.column_reader("Buffer", Memo(to_days), problems)
    read_date = Memo(to_date)
    read_fixed_due = view.column_reader("Fixed due", read_date, problems)
    read_done_on = view.column_reader("Done on", read_date, problems)
    read_status = view.column_reader("Status", Memo(lambda v: to_choice(v, TASK_STATUS)), problems)
    for row in view.data_rows():
        before = len(problems)
        task_id = view.read(row, "ID", to_id, problems)
        duration = read_duration(row)
        buffer = read_buffer(row)
        depends = view.read(row, "Depends on", to_ids, problems)
        fixed_due = read_fixed_due(row)
        status = read_status(row)
        done_on = read_done_on(row)
        name = view.prose(row, "Milestone")
        fatal = task_id is INVALID
        unreadable: list[str] = []
        if duration is INVALID and task_id is not None:
            unreadable.append(DURATION_UNREADABLE)
            cell = view.locate(row, "Duration")
            at = next(i for i in range(before, len(problems)) if problems[i].cell == cell)
            problems[at] = replace(problems[at], fix=_planned_as(problems[at].fix))
        if depends is INVALID:
            unreadable.append(DEPENDS_UNREADABLE)
            depends = [p for p in id_parts(view.text(row, "Depends on")) if ID_PATTERN.match(p)]
        if name:
            result.unscheduled_names.add(name)  # removed again below if the row is scheduled

        if task_id is None:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "ID"),
                    _('the row "{name}" has no ID', name=name or "…"),
                    _("give it a unique ID such as T12"),
                )
            )
            fatal = True
        elif task_id is not INVALID and task_id in seen:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "ID"),
                    _(
                        'ID "{task}" is used twice (first at {cell}); this row is not scheduled',
                        task=task_id,
                        cell=seen[task_id],
                    ),
                    _("give each row its own ID"),
                )
            )
            result.unscheduled_ids.add(task_id)
            result.unscheduled_rows.append(row)
            continue
        if duration is None and task_id is not None:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Duration"),
                    _("{task} has no duration", task=task_id if isinstance(task_id, str) else _("this row")),
                    _planned_as(_("write its working days, or 0 for a milestone")),
                )
            )
            unreadable.append(DURATION_MISSING)
        if not name and not fatal:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Milestone"),
                    _("{task} has no name", task=task_id),
                    _("write what the task or milestone is"),
                )
            )
        if fatal:
            if isinstance(task_id, str):
                result.unscheduled_ids.add(task_id)
                seen.setdefault(task_id, view.locate(row, "ID"))
            result.unscheduled_rows.append(row)
            continue
        seen[task_id] = view.locate(row, "ID")
        result.unscheduled_names.discard(name)

        status = status if isinstance(status, str) else NOT_STARTED
        done_on = done_on if isinstance(done_on, dt.date) else None
        if done_on and done_on > today:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Done on"),
                    _(
                        "{task} is marked done on {day}, after today ({today})",
                        task=task_id,
                        day=done_on.isoformat(),
                        today=today.isoformat(),
                    ),
                    _("correct the date it was finished, or clear it until it is done"),
                )
            )
            done_on = None
        if status == STATUS_DONE and done_on is None and len(problems) == before:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Done on"),
                    _("{task} is Done but has no Done on date; it is taken as done on time", task=task_id),
                    _("write the date it was finished"),
                )
            )
        if done_on and status != STATUS_DONE:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Status"),
                    _(
                        "{task} has a Done on date but its Status is {status}; it is taken as done",
                        task=task_id,
                        status=choice_label(status, TASK_STATUS),
                    ),
                    _("set Status to {done}, or clear Done on", done=choice_label(STATUS_DONE, TASK_STATUS)),
                )
            )
            status = STATUS_DONE
        result.tasks.append(
            Task(
                id=task_id,
                duration=duration if isinstance(duration, int) else PROVISIONAL_DURATION,
                buffer=buffer if isinstance(buffer, int) else 0,
                depends_on=tuple(depends) if isinstance(depends, list) else (),
                fixed_due=fixed_due if isinstance(fixed_due, dt.date) else None,
                status=status,
                done_on=done_on,
                row=row,
                owner=view.text(row, "Owner"),
                name=name,
                unreadable=tuple(unreadable),
            )
        )
    return result


def _planned_as(fix: str) -> str:
    """A Duration problem's fix, saying what the task is planned with until then."""
    return n_(
        "{fix}; until then it is planned as {n} working day",
        "{fix}; until then it is planned as {n} working days",
        PROVISIONAL_DURATION,
        fix=fix,
    )
