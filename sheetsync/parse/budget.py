"""The Budget sheet → typed lines: what each item (often one platform) may cost, has committed and has spent.

Pure reading: engine/budget.py computes Remaining, Used %, Forecast and the
Flag. An unreadable amount is a Problem on its cell and the line's Flag is
CHECK; a blank Spent with a Platform is filled from that platform's Results
spend by the engine, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import AD_PLATFORM, BUDGET
from ..i18n import _
from ..problems import Problem, column_label
from ..raw import RawWorkbook
from .cells import to_amount, to_choice
from .table_view import INVALID, TableView, locate_table

_AMOUNTS = ("Planned", "Committed", "Spent")


@dataclass(frozen=True)
class BudgetLine:
    row: int
    item: str
    platform: str | None  # canonical (contract.AD_PLATFORM); None: blank or unreadable
    owner: str
    planned: float | None
    committed: float | None
    spent: float | None  # as typed; None: blank (the engine may take the platform's Results spend)
    unreadable: tuple[str, ...] = ()  # columns reported unreadable: the line's flag is CHECK


@dataclass
class BudgetLines:
    view: TableView | None
    lines: list[BudgetLine] = field(default_factory=list)


def parse_budget(workbook: RawWorkbook, problems: list[Problem]) -> BudgetLines:
    """Every Budget line; each unreadable cell a Problem naming it (parse.cells.to_amount gives the fix)."""
    view = locate_table(workbook, BUDGET, problems, required=False)
    if view is not None and view.col("Planned") is None:
        view = None  # a sheet of the person's own that happens to be called Budget (no Planned): left alone
    result = BudgetLines(view=view)
    if view is None or not view.usable:
        return result
    for row in view.data_rows():
        platform = view.read(row, "Platform", lambda v: to_choice(v, AD_PLATFORM), problems)
        amounts = {c: view.read(row, c, to_amount, problems, formula_ok=True) for c in _AMOUNTS}
        unreadable = tuple(c for c, v in (("Platform", platform), *amounts.items()) if v is INVALID)
        if amounts["Planned"] is None:
            unreadable += ("Planned",)
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Planned"),
                    _("the budget line has no {column}, so it cannot be measured",
                      column=column_label(BUDGET, "Planned")),
                    _("write the amount the plan gives it (0 for none), or delete the row"),
                )
            )
        number = {c: (v if isinstance(v, float) else None) for c, v in amounts.items()}
        result.lines.append(
            BudgetLine(
                row=row,
                item=view.prose(row, "Item"),
                platform=platform if isinstance(platform, str) else None,
                owner=view.text(row, "Owner"),
                planned=number["Planned"],
                committed=number["Committed"],
                spent=number["Spent"],
                unreadable=unreadable,
            )
        )
    return result


__all__ = ["BudgetLine", "BudgetLines", "parse_budget"]
