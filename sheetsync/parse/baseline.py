"""The Timeline's baseline columns → the committed dates of each task, with a Problem for each unreadable cell.

Only `sheetsync baseline` writes `Baseline start` and `Baseline due` (and the
Project's `Baseline` and `Baseline launch`); a sync reads them back as they are
and recomputes `Variance`. A date there that cannot be read is reported on its
cell and the task is measured as if it had no baseline.
"""

from __future__ import annotations

import datetime as dt

from ..engine.schedule import Task
from ..problems import Problem
from .cells import to_date
from .table_view import INVALID, TableView

Recorded = dict[str, tuple[dt.date | None, dt.date]]  # task ID → (Baseline start, Baseline due)


def read_baseline(view: TableView, tasks: list[Task], problems: list[Problem]) -> Recorded:
    """Each task's recorded (Baseline start, Baseline due); tasks without a readable Baseline due are left out."""
    if view.col("Baseline due") is None or "Baseline due" in view.new_columns:
        return {}
    recorded: Recorded = {}
    has_start = view.col("Baseline start") is not None and "Baseline start" not in view.new_columns
    for task in tasks:
        due = view.read(task.row, "Baseline due", to_date, problems)
        start = view.read(task.row, "Baseline start", to_date, problems) if has_start else None
        if due is None or due is INVALID:
            continue
        recorded[task.id] = (None if start is INVALID else start, due)
    return recorded


__all__ = ["Recorded", "read_baseline"]
