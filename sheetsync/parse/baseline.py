"""The Timeline's baseline columns → the committed dates of each task, with a Problem for each unreadable cell.

Only `sheetsync baseline` writes `Baseline start` and `Baseline due` (and the
Project's `Baseline` and `Baseline launch`); a sync reads them back as they are
and recomputes `Variance`. A date there that cannot be read is reported on its
cell and the task is left unmeasured (its Variance blank): it was in the baseline,
so it is not counted as a task added after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..a1 import rowcol_to_a1
from ..contract import TIMELINE
from ..engine.schedule import Task
from ..i18n import _
from ..problems import Problem
from .cells import to_date
from .table_view import INVALID, TableView

Recorded = dict[str, tuple[dt.date | None, dt.date]]  # task ID → (Baseline start, Baseline due)


def read_baseline(
    view: TableView, tasks: list[Task], problems: list[Problem], unreadable_ids: set[str] | None = None
) -> Recorded:
    """Each task's recorded (Baseline start, Baseline due); tasks without a readable Baseline due are left out.

    A task whose Baseline due holds something that is not a date (待定 typed over it) was in the baseline all the
    same: its ID goes into `unreadable_ids`, so it is left unmeasured, never counted as added after the baseline.
    """
    if view.col("Baseline due") is None or "Baseline due" in view.new_columns:
        return {}
    recorded: Recorded = {}
    has_start = view.col("Baseline start") is not None and "Baseline start" not in view.new_columns
    unreadable: list[Problem] = []
    for task in tasks:
        due = view.read(task.row, "Baseline due", to_date, unreadable)
        start = view.read(task.row, "Baseline start", to_date, unreadable) if has_start else None
        if due is INVALID and unreadable_ids is not None:
            unreadable_ids.add(task.id)
        if due is None or due is INVALID:
            continue
        recorded[task.id] = (None if start is INVALID else start, due)
    fix = _("write back the date the baseline committed to, such as 2026-03-01, or record the current plan as the "
            "baseline again with sheetsync baseline")  # any date would do for the reader, not for the commitment
    problems.extend(replace(problem, fix=fix) for problem in unreadable)
    return recorded


def baseline_due_missing(view: TableView) -> Problem:
    """A baselined Timeline without its Baseline due column (deleted while tidying, say): every committed date is
    gone, which must not read as "every task added after the baseline"."""
    col = view.col("Baseline start") or view.col("Variance") or 1
    return Problem(
        view.title,
        rowcol_to_a1(view.header_row, col),
        _('the "{column}" column is missing, so no task can be measured against the baseline',
          column=TIMELINE.column("Baseline due").label(view.lang)),
        _("put the column back (undo its deletion), or record the current plan as the baseline again with "
          "sheetsync baseline"),
    )


__all__ = ["Recorded", "baseline_due_missing", "read_baseline"]
