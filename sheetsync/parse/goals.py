"""The Goals sheet → typed rows: a kickoff target (metric, number, by when) that Results are measured against.

Pure reading: engine/goals.py computes Actual, Progress, Expected by now and
the Flag. An unreadable Metric, Target or By is a Problem on its cell and the
row's Flag is CHECK (nothing is guessed about a target nobody can read).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from ..contract import GOALS, METRIC
from ..i18n import _
from ..problems import Problem, column_label
from ..raw import RawWorkbook
from .cells import to_amount, to_choice, to_date
from .table_view import INVALID, TableView, locate_table

# The words the platforms' Chinese reports (and people) use for a metric, beside the dropdown's own (曝光, 转化…):
# each means one metric, so a Metric typed as a report names it is read as that metric, never rewritten.
METRIC_WORDS = {
    "impressions": ("曝光量", "曝光次数", "展现量", "展现", "展示数", "展示"),
    "reach": ("触达人数", "到达人数", "覆盖人数"),
    "clicks": ("点击量", "点击数", "点击次数"),
    "engagements": ("互动量", "互动数", "互动次数"),
    "followers": ("涨粉", "涨粉数", "粉丝", "新增关注", "关注量"),
    "leads": ("线索数", "线索量", "表单提交", "留资"),
    "conversions": ("转化数", "转化量", "转化次数"),
    "sales": ("GMV", "成交金额", "成交额", "销售金额"),
    "spend": ("消耗", "消费", "花费金额", "消耗金额"),
    "ROI": ("投产比", "投入产出比", "ROAS"),
    "CPA": ("转化成本", "平均转化成本"),
    "CPM": ("千次展现成本", "千次曝光成本", "千次展示成本", "平均千次展现费用", "平均千次展示费用"),
    "CPC": ("点击成本", "平均点击单价", "平均点击成本", "单次点击成本"),
}
_WORD_METRIC = {unicodedata.normalize("NFKC", w).casefold(): m for m, words in METRIC_WORDS.items() for w in words}


def to_metric(value: object) -> str | None:
    """A Metric cell: the dropdown's word (曝光, CPA…) or a report's (曝光量, 转化成本…); else to_choice's error."""
    if isinstance(value, str):
        word = _WORD_METRIC.get(unicodedata.normalize("NFKC", value).strip().casefold())
        if word is not None:
            return word
    return to_choice(value, METRIC)


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
        metric = view.read(row, "Metric", to_metric, problems)
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


__all__ = ["METRIC_WORDS", "GoalRow", "GoalRows", "parse_goals", "to_metric"]
