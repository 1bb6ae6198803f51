"""The Timeline sheet → engine Tasks, with a Problem for each unreadable cell.

The Tasks are what engine/schedule.py plans and tracks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..contract import NOT_STARTED, STATUS_DONE, TASK_STATUS, TIMELINE
from ..engine.schedule import Task
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import to_choice, to_date, to_days, to_id, to_ids
from .table_view import INVALID, TableView, locate_table


@dataclass
class TimelineRows:
    """The parsed Timeline: tasks to schedule and the rows that could not be scheduled."""

    view: TableView | None
    tasks: list[Task] = field(default_factory=list)
    unscheduled_rows: list[int] = field(default_factory=list)  # data rows with a fatal problem
    unscheduled_ids: set[str] = field(default_factory=set)
    unscheduled_names: set[str] = field(default_factory=set)  # milestone names of those rows


def parse_timeline(workbook: RawWorkbook, today: dt.date, problems: list[Problem]) -> TimelineRows:
    view = locate_table(workbook, TIMELINE, problems)
    result = TimelineRows(view=view)
    if view is None or not view.usable:
        return result
    seen: dict[str, str] = {}  # id → cell of first occurrence
    for row in view.data_rows():
        before = len(problems)
        task_id = view.read(row, "ID", to_id, problems)
        duration = view.read(row, "Duration", to_days, problems)
        buffer = view.read(row, "Buffer", to_days, problems)
        depends = view.read(row, "Depends on", to_ids, problems)
        fixed_due = view.read(row, "Fixed due", to_date, problems)
        status = view.read(row, "Status", lambda v: to_choice(v, TASK_STATUS), problems)
        done_on = view.read(row, "Done on", to_date, problems)
        name = view.text(row, "Milestone")
        fatal = task_id is INVALID or duration is INVALID
        if name:
            result.unscheduled_names.add(name)  # removed again below if the row is scheduled

        if task_id is None:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "ID"),
                    f'the row "{name or "…"}" has no ID',
                    "give it a unique ID such as T12",
                )
            )
            fatal = True
        elif task_id is not INVALID and task_id in seen:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "ID"),
                    f'ID "{task_id}" is used twice (first at {seen[task_id]}); this row is not scheduled',
                    "give each row its own ID",
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
                    f"{task_id or 'this row'} has no duration",
                    "write its working days, or 0 for a milestone",
                )
            )
            fatal = True
        if not name and not fatal:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Milestone"),
                    f"{task_id} has no name",
                    "write what the task or milestone is",
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
                    f"{task_id} is marked done on {done_on.isoformat()}, after today ({today.isoformat()})",
                    "correct the date it was finished, or clear it until it is done",
                )
            )
            done_on = None
        if status == STATUS_DONE and done_on is None and len(problems) == before:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Done on"),
                    f"{task_id} is Done but has no Done on date; it is taken as done on time",
                    "write the date it was finished",
                )
            )
        if done_on and status != STATUS_DONE:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Status"),
                    f"{task_id} has a Done on date but its Status is {status}; it is taken as done",
                    "set Status to Done, or clear Done on",
                )
            )
            status = STATUS_DONE
        result.tasks.append(
            Task(
                id=task_id,
                duration=duration,
                buffer=buffer if isinstance(buffer, int) else 0,
                depends_on=tuple(depends) if isinstance(depends, list) else (),
                fixed_due=fixed_due if isinstance(fixed_due, dt.date) else None,
                status=status,
                done_on=done_on,
                row=row,
                owner=view.text(row, "Owner"),
                name=name,
            )
        )
    return result
