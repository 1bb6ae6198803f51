"""The Google Sheets backend: one read of every tab, one guarded write of the changed computed cells.

Read: ONE ``spreadsheets.get`` with grid data and a ``fields`` mask (sheet
properties, merges, and per cell what was typed, what it shows and whether it
is formatted as a date), turned into the same RawWorkbook the Excel backend
gives: dates as ``datetime.date``, formulas as ``Formula(text, cached)``.

Write: people keep editing while sheetsync plans, so just before writing it
re-reads the values of the tabs it is about to write with ONE
``values.batchGet`` and compares them with the first read. If anything moved
(a row inserted or deleted, a cell edited, a tab renamed) nothing is written
and ``SheetMovedError`` tells the caller to read and plan again; after
``redo_limit`` such tries in a row a WriteError says so. Otherwise ONE
``spreadsheets.batchUpdate`` carries every change, as ``updateCells`` per run of
adjacent cells in a column, always as plain values (a text starting with "="
stays text). Nothing changed: no write at all.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...a1 import column_index, rowcol_to_a1
from ...errors import SheetMovedError, TargetError, WriteError
from ...flag_colours import ColourFix
from ...i18n import _
from ...raw import CellChange, CellValue, ColourRule, Formula, RawSheet, RawWorkbook
from ...serials import SHEETS
from .client import CallContext, GoogleClient, connect, google_errors, sheet_url, spreadsheet_key
from .values import DATE_TYPES, cell_data, entered_fingerprint, extended_value, number_format_type, value_fingerprint

__all__ = ["GoogleSheetsBackend", "SheetMovedError", "open_gsheet"]

_CELL_FIELDS = (
    "userEnteredValue,effectiveValue,userEnteredFormat/numberFormat/type,effectiveFormat/numberFormat/type"
)
READ_FIELDS = (
    "spreadsheetId,properties/title,"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount)),merges,conditionalFormats,"
    f"data(startRow,startColumn,rowData/values({_CELL_FIELDS})))"
)
_OPEN = 10**7  # an open end of a conditional format's range (Google's grids stop at 10 million cells)
_RANGE_START = re.compile(r"!\$?([A-Za-z]+)\$?(\d+)")



# --- the read -----------------------------------------------------------------


@dataclass
class _SheetState:
    """What the first read saw of one tab: enough to address it, grow it and notice it moved."""

    title: str
    sheet_id: int
    rows: int
    cols: int
    entered: dict[tuple[int, int], str | float | bool] = field(default_factory=dict)
    dated: set[tuple[int, int]] = field(default_factory=set)
    rules: list[dict[str, Any]] = field(default_factory=list)  # its conditional formats, as read


def workbook_from_response(response: Mapping[str, Any], source: str) -> tuple[RawWorkbook, dict[str, _SheetState]]:
    """A ``spreadsheets.get`` answer (grid data included) as a RawWorkbook, plus each tab's state for the guard."""
    sheets: dict[str, RawSheet] = {}
    states: dict[str, _SheetState] = {}
    for sheet in sorted(response.get("sheets") or [], key=lambda s: (s.get("properties") or {}).get("index", 0)):
        props = sheet.get("properties") or {}
        if props.get("sheetType", "GRID") != "GRID":
            continue
        title = str(props.get("title", ""))
        grid = props.get("gridProperties") or {}
        state = _SheetState(title, int(props.get("sheetId", 0)), int(grid.get("rowCount", 0)),
                            int(grid.get("columnCount", 0)))
        cells: dict[tuple[int, int], CellValue | Formula] = {}
        for block in sheet.get("data") or []:
            top, left = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
            for r, row_data in enumerate(block.get("rowData") or [], start=top + 1):
                for c, cell in enumerate((row_data or {}).get("values") or [], start=left + 1):
                    if not cell:
                        continue
                    as_date = number_format_type(cell) in DATE_TYPES
                    if as_date:
                        state.dated.add((r, c))
                    fingerprint = entered_fingerprint(cell)
                    if fingerprint is not None:
                        state.entered[(r, c)] = fingerprint
                    value = _cell_value(cell, as_date)
                    if value is not None:
                        cells[(r, c)] = value
        merged = [
            (int(m.get("startRowIndex", 0)) + 1, int(m.get("startColumnIndex", 0)) + 1,
             int(m.get("endRowIndex", 0)), int(m.get("endColumnIndex", 0)))
            for m in sheet.get("merges") or []
        ]
        state.rules = list(sheet.get("conditionalFormats") or [])
        sheets[title] = RawSheet(title, cells, merged, sheet_id=state.sheet_id, colour_rules=_colour_rules(state.rules))
        states[title] = state
    return RawWorkbook(sheets=sheets, source=source, date_system=SHEETS), states


def _colour_rules(rules: list[dict[str, Any]]) -> list[ColourRule]:
    """The custom-formula rules of a tab, keyed by their index in its list of conditional formats."""
    found = []
    for index, rule in enumerate(rules):
        condition = (rule.get("booleanRule") or {}).get("condition") or {}
        values = condition.get("values") or []
        if condition.get("type") != "CUSTOM_FORMULA" or len(values) != 1:
            continue
        ranges = tuple(
            (int(g.get("startRowIndex", 0)) + 1, int(g.get("startColumnIndex", 0)) + 1,
             int(g.get("endRowIndex", _OPEN)), int(g.get("endColumnIndex", _OPEN)))
            for g in rule.get("ranges") or []
        )
        found.append(ColourRule(index, str(values[0].get("userEnteredValue", "")), ranges))
    return found


def _recolour_requests(fixes: Sequence[ColourFix], states: Mapping[str, _SheetState]) -> list[dict[str, Any]]:
    """Each fixed rule deleted and added back at its place with the new formula, ranges and colours kept."""
    requests: list[dict[str, Any]] = []
    for fix in sorted(fixes, key=lambda f: f.key is None):  # replaced in place first, then added after them
        state = states[fix.sheet]
        if fix.key is None and fix.colours is not None:
            requests.append({"addConditionalFormatRule": {"rule": _new_rule(state, fix), "index": len(state.rules)}})
            continue
        index = int(fix.key)  # type: ignore[call-overload]
        rule = copy.deepcopy(state.rules[index])
        rule["booleanRule"]["condition"]["values"] = [{"userEnteredValue": fix.formula}]
        requests += [
            {"deleteConditionalFormatRule": {"sheetId": state.sheet_id, "index": index}},
            {"addConditionalFormatRule": {"rule": rule, "index": index}},
        ]
    return requests


def _new_rule(state: _SheetState, fix: ColourFix) -> dict[str, Any]:
    """A flag's colour rule for Google, as the template makes it (0-based, end-exclusive grid ranges)."""
    assert fix.colours is not None
    fill, font = fix.colours
    grids = []
    for r1, c1, r2, c2 in fix.ranges:
        grid = {"sheetId": state.sheet_id, "startRowIndex": r1 - 1, "startColumnIndex": c1 - 1}
        grid |= {"endRowIndex": r2} if r2 < _OPEN else {}
        grid |= {"endColumnIndex": c2} if c2 < _OPEN else {}
        grids.append(grid)
    return {
        "ranges": grids,
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": fix.formula}]},
            "format": {"backgroundColor": _rgb(fill), "textFormat": {"foregroundColor": _rgb(font)}},
        },
    }


def _rgb(hex_rgb: str) -> dict[str, float]:
    red, green, blue = (int(hex_rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}


def _cell_value(cell: Mapping[str, Any], as_date: bool) -> CellValue | Formula:
    entered = cell.get("userEnteredValue") or {}
    if "formulaValue" in entered:
        return Formula(str(entered["formulaValue"]), cached=extended_value(cell.get("effectiveValue"), as_date))
    if entered:
        return extended_value(entered, as_date)
    return extended_value(cell.get("effectiveValue"), as_date)


# --- the guard and the write --------------------------------------------------


def _a1_range(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def guard_ranges(titles: Iterable[str]) -> list[str]:
    """The whole of each tab about to be written, as ``values.batchGet`` ranges."""
    return [_a1_range(title) for title in titles]


def _grid_from_values(value_range: Mapping[str, Any]) -> dict[tuple[int, int], str | float | bool]:
    match = _RANGE_START.search(str(value_range.get("range", "")))
    top, left = (int(match.group(2)), column_index(match.group(1))) if match else (1, 1)
    grid: dict[tuple[int, int], str | float | bool] = {}
    for r, row in enumerate(value_range.get("values") or [], start=top):
        for c, value in enumerate(row or [], start=left):
            fingerprint = value_fingerprint(value)
            if fingerprint is not None:
                grid[(r, c)] = fingerprint
    return grid


def first_difference(
    before: Mapping[tuple[int, int], object], after: Mapping[tuple[int, int], object]
) -> tuple[int, int] | None:
    """The first cell (in reading order) whose content differs between two reads, or None."""
    moved = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
    return min(moved) if moved else None


def write_requests(changes: Sequence[CellChange], states: Mapping[str, _SheetState]) -> list[dict[str, Any]]:
    """The batchUpdate requests for ``changes``: grow each tab if needed, then ``updateCells`` per column run."""
    grow: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    by_column: dict[tuple[str, int], dict[int, CellValue]] = {}
    for change in changes:
        by_column.setdefault((change.sheet, change.col), {})[change.row] = change.value
    for title in dict.fromkeys(change.sheet for change in changes):
        state = states[title]
        need_rows = max(c.row for c in changes if c.sheet == title)
        need_cols = max(c.col for c in changes if c.sheet == title)
        for dimension, have, need in (("ROWS", state.rows, need_rows), ("COLUMNS", state.cols, need_cols)):
            if need > have:
                grow.append({"appendDimension": {"sheetId": state.sheet_id, "dimension": dimension,
                                                 "length": need - have}})
    for (title, col), cells in by_column.items():
        state = states[title]
        run: list[tuple[int, CellValue]] = []
        run_formats = False
        for row in sorted(cells):
            needs_format = _needs_date_format(cells[row], (row, col), state)
            if run and (row != run[-1][0] + 1 or needs_format != run_formats):
                updates.append(_update_cells(state, col, run))
                run = []
            run.append((row, cells[row]))
            run_formats = needs_format
        if run:
            updates.append(_update_cells(state, col, run))
    return grow + updates


def _needs_date_format(value: CellValue, cell: tuple[int, int], state: _SheetState) -> bool:
    return isinstance(value, dt.date) and cell not in state.dated


def _update_cells(state: _SheetState, col: int, run: list[tuple[int, CellValue]]) -> dict[str, Any]:
    first_row, first_value = run[0]
    with_format = _needs_date_format(first_value, (first_row, col), state)
    return {
        "updateCells": {
            "start": {"sheetId": state.sheet_id, "rowIndex": first_row - 1, "columnIndex": col - 1},
            "rows": [{"values": [cell_data(value, date_format=with_format)]} for _cell, value in run],
            "fields": "userEnteredValue,userEnteredFormat.numberFormat" if with_format else "userEnteredValue",
        }
    }


# --- the backend ----------------------------------------------------------------


class GoogleSheetsBackend:
    """A campaign Google Sheet, read in one call and written in at most one, guarded against concurrent edits."""

    def __init__(
        self,
        target: str,
        *,
        client: GoogleClient | None = None,
        credentials: str | None = None,
        redo_limit: int = 3,
    ) -> None:
        key = spreadsheet_key(target)
        if key is None:
            raise TargetError(
                _(
                    "{target}: not a Google Sheet address; give https://docs.google.com/spreadsheets/d/KEY/... "
                    "or gsheet:KEY.",
                    target=target,
                )
            )
        self.target = target
        self.key = key
        self.redo_limit = redo_limit
        self._client = client
        self._credentials = credentials
        self._states: dict[str, _SheetState] | None = None
        self._conflicts = 0

    def __repr__(self) -> str:
        return f"GoogleSheetsBackend({self.target!r})"

    @property
    def identity(self) -> str:
        """The spreadsheet's key (Backend.identity): the same for every address of the sheet."""
        return f"gsheet:{self.key}"

    @property
    def url(self) -> str:
        return sheet_url(self.key)

    @property
    def client(self) -> GoogleClient:
        if self._client is None:
            self._client = connect(self._credentials)
        return self._client

    def _context(self, doing: str, error: type[TargetError] | type[WriteError] = TargetError) -> CallContext:
        client = self.client
        return CallContext(self.target, self.key, client.account_email, client.key_file, doing, error)

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Nothing to hold: Google has no lock to take; write() re-reads and compares instead (SheetMovedError)."""
        return contextlib.nullcontext()

    def read(self) -> RawWorkbook:
        """Every tab's cells, in tab order, from ONE spreadsheets.get."""
        params = {"includeGridData": "true", "fields": READ_FIELDS}
        with google_errors(self._context("open")):
            response = self.client.http_client.spreadsheets_get(self.key, params=params)
        workbook, self._states = workbook_from_response(response, self.target)
        return workbook

    def write(self, changes: Sequence[CellChange], colours: Sequence[ColourFix] = ()) -> None:
        """Write the changed cells in ONE batchUpdate, after ONE guard read shows nothing moved since read().

        Flag colour rules to bring up to date (``colours``) are replaced in the same batchUpdate.

        Raises SheetMovedError (nothing written) when the tabs changed meanwhile;
        after ``redo_limit`` of those in a row, a WriteError that says so.
        """
        changes, colours = list(changes), list(colours)
        if not changes and not colours:
            return
        if self._states is None:
            raise WriteError(
                _("{target}: read the sheet before writing to it (sheetsync.sync.run does both).", target=self.target)
            )
        states = self._states
        missing = [c.sheet for c in [*changes, *colours] if c.sheet not in states]
        if missing:
            raise WriteError(
                _("{target}: no tab named {tab}; nothing was written.", target=self.target, tab=repr(missing[0]))
            )
        titles = list(dict.fromkeys(c.sheet for c in [*changes, *colours]))
        moved = self._guard(titles, states)
        if moved:
            self._conflicts += 1
            self._states = None
            if self._conflicts >= self.redo_limit:
                self._conflicts = 0
                raise WriteError(
                    _(
                        "{target}: the sheet kept changing while sheetsync was about to write "
                        "({tries} tries; last: {cell}); nothing was written. Run sync again when editing pauses.",
                        target=self.target, tries=self.redo_limit, cell=moved,
                    )
                )
            raise SheetMovedError(
                _(
                    "{target}: {cell} changed between sheetsync's read and its write "
                    "(a row inserted or deleted, or an edit); nothing was written, read and plan again.",
                    target=self.target, cell=moved,
                )
            )
        body = {"requests": write_requests(changes, states) + _recolour_requests(colours, states)}
        with google_errors(self._context("edit", WriteError)):
            self.client.http_client.batch_update(self.key, body)
        self._conflicts = 0
        self._states = None  # the next write needs a fresh read

    def _guard(self, titles: list[str], states: Mapping[str, _SheetState]) -> str | None:
        """Re-read the tabs about to be written (ONE values.batchGet); the first cell that differs, or None."""
        params: dict[str, Any] = {
            "valueRenderOption": "FORMULA",
            "dateTimeRenderOption": "SERIAL_NUMBER",
            "majorDimension": "ROWS",
        }
        try:
            with google_errors(self._context("open")):
                response = self.client.http_client.values_batch_get(self.key, guard_ranges(titles), params=params)
        except TargetError as err:
            cause = err.__cause__
            if getattr(getattr(cause, "response", None), "status_code", None) == 400:
                return "a tab being written (renamed or deleted)"
            raise
        value_ranges = response.get("valueRanges") or []
        if len(value_ranges) != len(titles):
            return "a tab being written (renamed or deleted)"
        for title, value_range in zip(titles, value_ranges, strict=True):
            cell = first_difference(states[title].entered, _grid_from_values(value_range))
            if cell is not None:
                return f"{title}!{rowcol_to_a1(*cell)}"
        return None


def open_gsheet(
    target: str, *, credentials: str | None = None, client: GoogleClient | None = None
) -> GoogleSheetsBackend:
    """The backend for a sheet URL or ``gsheet:KEY`` (nothing is fetched until read())."""
    return GoogleSheetsBackend(target, credentials=credentials, client=client)
