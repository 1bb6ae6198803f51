"""A what-if written down: a change request's impact in its Feedback row, so request, impact and decision sit together.

The only write a what-if makes (`whatif --record ROW`): the Feedback sheet's computed
`Impact` cell of that row (its header too, for a book made before the column existed),
and a Log row naming the row. The person's cells of the request (Request, Status …)
are never written. Like a sync it holds the backend's lock from its read to its write,
and reads and plans again when the sheet moved in between.
"""

from __future__ import annotations

import datetime as dt
import re

from . import i18n
from .a1 import rowcol_to_a1
from .backends.base import Backend
from .contract import FEEDBACK
from .errors import SheetMovedError, UsageError
from .i18n import _
from .parse.cells import is_blank, shown
from .parse.table_view import TableView, locate_table
from .problems import Problem
from .raw import CellChange, CellValue, RawWorkbook
from .report_whatif import impact_line
from .sync import log_changes
from .whatif import Recorded, WhatIfReport, what_if

ACTION = "what-if"  # the Log's Action of a recorded what-if (sync.LOG_WORDS gives its words)


def run_what_if(
    backend: Backend,
    *,
    today: dt.date | None = None,
    launch: dt.date | None = None,
    delays: dict[str, int] | None = None,
    slips: dict[str, int] | None = None,
    record: int | None = None,
    started_by: str = "api",
) -> WhatIfReport:
    """The what-if of the workbook behind `backend`; with `record` (a Feedback row number), its impact written there.

    When the Impact column has no room, nothing is written and `report.record_problems` says why.
    """
    change = {"target": backend.target, "today": today, "launch": launch, "delays": delays, "slips": slips}
    if record is None:
        return what_if(backend.read(), **change)
    request: tuple[CellValue, ...] | None = None  # the request's own cells, to find it again if rows moved
    with backend.exclusive():
        while True:
            workbook = backend.read()
            report = what_if(workbook, **change)
            with i18n.language(report.before.lang):
                view = _feedback_view(workbook)
                row = record if request is None else _find_request(view, record, request)
            changes = plan_record(workbook, report, row, started_by)
            if report.record_problems:
                return report
            request = request or _request_cells(view, row)
            try:
                backend.write(changes)
            except SheetMovedError:
                continue  # someone sorted or inserted rows meanwhile: read, find the request, plan again
            return report


def plan_record(workbook: RawWorkbook, report: WhatIfReport, row: int, started_by: str) -> list[CellChange]:
    """The cells that record `report` into Feedback row `row`: its Impact (and that header if new), and a Log row.

    Sets `report.recorded`, or `report.record_problems` (and returns no change) when Impact has no room.
    """
    with i18n.language(report.before.lang):
        view = _feedback_view(workbook)
        _check_row(view, row)
        problems: list[Problem] = []
        view.add_columns(["Impact"], problems)
        if problems:
            report.record_problems = problems
            return []
        col = view.col("Impact")
        taken = _merged(view, row, col) or _persons_note(view, row, col)
        if taken is not None:
            report.record_problems = [taken]
            return []
        impact = impact_line(report)
        changes = [CellChange(view.title, view.header_row, c, view.spec.column(n).label(view.lang))
                   for n, c in view.new_columns.items()]
        changes.append(CellChange(view.title, row, col, impact))
        note = _("change request: {sheet} row {row}", sheet=view.title, row=row)
        changes += log_changes(workbook, ACTION, started_by, len(changes), len(report.after.problems), note)
        report.recorded = Recorded(view.title, row, changes[len(view.new_columns)].a1, impact)
        return changes


def _merged(view: TableView, row: int, col: int) -> Problem | None:
    """The Problem when the Impact cell is covered by a merge it does not anchor: a value there would not show."""
    bounds = view.sheet.merged_range_at(row, col)
    if bounds is None or (row, col) == bounds[:2]:
        return None
    merged = f"{rowcol_to_a1(bounds[0], bounds[1])}:{rowcol_to_a1(bounds[2], bounds[3])}"
    return Problem(
        view.title,
        merged,
        _("{cell}, where the impact goes, is merged into {range}, so it cannot hold a value",
          cell=rowcol_to_a1(row, col), range=merged),
        _("unmerge {range}, then run the what-if again", range=merged),
    )


def _persons_note(view: TableView, row: int, col: int) -> Problem | None:
    """The Problem when the Impact cell holds what a person typed (an old book's own "Impact" column, say); an
    impact recorded before ("what-if of DATE", in either language) is sheetsync's to replace."""
    value = view.sheet.value(row, col)
    if is_blank(value) or isinstance(value, str) and any(m.search(value) for m in _recorded_markers()):
        return None
    text = shown(value)
    return Problem(
        view.title,
        rowcol_to_a1(row, col),
        _('it holds "{text}", which sheetsync did not write; recording the impact there would overwrite it',
          text=text if len(text) <= 80 else text[:79] + "…"),
        _("move that note to another cell (or clear it), then run the what-if again"),
    )


def _recorded_markers() -> list[re.Pattern[str]]:
    """How an impact line sheetsync wrote reads, in each language: "what-if of 2026-12-08"."""
    markers = []
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            words = _("what-if of {day}", day="\0")
        markers.append(re.compile(re.escape(words).replace(re.escape("\0"), r"\d{4}-\d{2}-\d{2}")))
    return markers


def _feedback_view(workbook: RawWorkbook) -> TableView:
    sink: list[Problem] = []
    view = locate_table(workbook, FEEDBACK, sink, required=False)
    if view is None or not view.usable:
        raise UsageError(
            _("the workbook has no usable {sheet} sheet to record the change request in",
              sheet=FEEDBACK.label(i18n.current()))
        )
    return view


def _check_row(view: TableView, row: int) -> None:
    """`row` must be a request on the Feedback sheet: the change request the impact belongs to."""
    rows = list(view.data_rows())
    if row in rows:
        return
    if not rows:
        raise UsageError(
            _("the {sheet} sheet has no request yet; write the change request in a row of it, then give its number",
              sheet=view.title)
        )
    if len(rows) == 1:  # never "rows 2–2"
        raise UsageError(
            _("row {row} is not a request on the {sheet} sheet (its only request is in row {first}); "
              "give the row number of the change request", row=row, sheet=view.title, first=rows[0])
        )
    raise UsageError(
        _(
            "row {row} is not a request on the {sheet} sheet (its requests are in rows {first}–{last}); "
            "give the row number of the change request",
            row=row,
            sheet=view.title,
            first=rows[0],
            last=rows[-1],
        )
    )


def _request_cells(view: TableView, row: int) -> tuple[CellValue, ...]:
    """What a person wrote in the request's row: how it is known again after rows moved."""
    return tuple(view.raw(row, c.name) for c in FEEDBACK.columns if not c.computed)


def _find_request(view: TableView, row: int, request: tuple[CellValue, ...]) -> int:
    """The row that now holds `request` (first read at `row`); a UsageError when it is gone or not alone."""
    if row in view.data_rows() and _request_cells(view, row) == request:
        return row
    found = [r for r in view.data_rows() if _request_cells(view, r) == request]
    if len(found) == 1:
        return found[0]
    raise UsageError(
        _("the request in row {row} of the {sheet} sheet changed while its impact was being written; "
          "nothing was written: run the command again", row=row, sheet=view.title)
    )


__all__ = ["ACTION", "plan_record", "run_what_if"]
