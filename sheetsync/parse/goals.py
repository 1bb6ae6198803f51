"""The Goals sheet → typed rows: a kickoff target (metric, number, by when) that Results are measured against.

Pure reading: engine/goals.py computes Actual, Progress, Expected by now and
the Flag. An unreadable Metric, Target or By is a Problem on its cell and the
row's Flag is CHECK (nothing is guessed about a target nobody can read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..contract import GOALS, METRIC
from ..i18n import _
from ..problems import Problem, column_label
from ..raw import RawWorkbook
from .cells import to_amount, to_choice, to_date
from .table_view import INVALID, TableView, locate_table


@dataclass(frozen=True)
class GoalRow:
    row: int
    goal: str  # the name as written
    metric: str | None  # canonical (contract.METRIC); None: blank or unreadable
    target: float | None  # None: blank or unreadable
    by: dt.date | None  # None: blank (the flight's end) or unreadable
    owner: str
    unreadable: tuple[str, ...] = ()  # columns reported (unreadable, or a required one blank): the row's flag is CHECK


@dataclass
class GoalRows:
    view: TableView | None
    goals: list[GoalRow] = field(default_factory=list)


def parse_goals(workbook: RawWorkbook, problems: list[Problem]) -> GoalRows:
    """Every Goals row; each unreadable or missing Metric/Target a Problem naming its cell, with the fix."""
    view = locate_table(workbook, GOALS, problems, required=False)
    result = GoalRows(view=view)
    if view is None or not view.usable:
        return result
    for row in view.data_rows():
        metric = view.read(row, "Metric", lambda v: to_choice(v, METRIC), problems)
        target = view.read(row, "Target", to_amount, problems, formula_ok=True)
        by = view.read(row, "By", to_date, problems, formula_ok=True)
        unreadable = [c for c, v in (("Metric", metric), ("Target", target), ("By", by)) if v is INVALID]
        for column, value in (("Metric", metric), ("Target", target)):
            if value is None:
                unreadable.append(column)
                problems.append(
                    Problem(
                        view.title,
                        view.locate(row, column),
                        _("the goal has no {column}, so its progress cannot be measured",
                          column=column_label(GOALS, column)),
                        _("fill it in, or delete the row"),
                    )
                )
        if isinstance(target, float) and target <= 0:
            unreadable.append("Target")
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Target"),
                    _("a target of {value} cannot be reached or measured", value=format(target, "g")),
                    _("write the number the kickoff agreed, greater than 0"),
                )
            )
        result.goals.append(
            GoalRow(
                row=row,
                goal=view.prose(row, "Goal"),
                metric=metric if isinstance(metric, str) else None,
                target=target if isinstance(target, float) and target > 0 else None,
                by=by if isinstance(by, dt.date) else None,
                owner=view.text(row, "Owner"),
                unreadable=tuple(unreadable),
            )
        )
    return result


__all__ = ["GoalRow", "GoalRows", "parse_goals"]
