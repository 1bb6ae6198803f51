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
``redo_limit`` such tries in a row a WriteError says so. Otherwise the values
go in ONE ``values.batchUpdateByDataFilter``, each row found by the row
developer metadata sheetsync put on it, and the answer is checked (rows.py:
moves in the moment between the guard read and the write). A
``spreadsheets.batchUpdate`` comes first only when there is something for it:
colour rules to replace, a tab to grow, rows to tag (a row's first write).
Nothing changed: no write at all.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from ...a1 import column_index, rowcol_to_a1
from ...errors import SheetMovedError, TargetError, WriteError
from ...flag_colours import ColourFix
from ...i18n import _
from ...raw import CellChange, CellValue, ColourRule, Formula, RawSheet, RawWorkbook
from ...serials import SHEETS
from . import rows
from .client import SHEETS_API, CallContext, GoogleClient, connect, google_errors, sheet_url, spreadsheet_key
from .colour_rules import OPEN as _OPEN
from .colour_rules import recolour_requests as _recolour_requests
from .values import DATE_TYPES, entered_fingerprint, extended_value, number_format_type, value_fingerprint

__all__ = ["GoogleSheetsBackend", "SheetMovedError", "open_gsheet"]

# Per cell: what was typed (formulas), what it shows (a formula's result, an array's spill) and whether it is
# formatted as a date. effectiveFormat already holds the typed number format (and a formula's computed one),
# so userEnteredFormat is not asked for: a sixth of a date cell's bytes, at 25,000 rows.
_CELL_FIELDS = "userEnteredValue,effectiveValue,effectiveFormat/numberFormat/type"
READ_FIELDS = (
    "spreadsheetId,properties/title,"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount)),merges,conditionalFormats,"
    f"data(startRow,startColumn,rowData/values({_CELL_FIELDS}),rowMetadata/developerMetadata(metadataId,metadataKey)))"
)
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
    other_format: set[tuple[int, int]] = field(default_factory=set)  # a number format that is not a date's
    rules: list[dict[str, Any]] = field(default_factory=list)  # its conditional formats, as read
    tags: dict[int, int] = field(default_factory=dict)  # row -> metadataId of sheetsync's row metadata (rows.py)
    shown_only: set[tuple[int, int]] = field(default_factory=set)  # a value and nothing typed: an array's spill

    filled_rows: set[int] = field(default_factory=set)  # rows holding anything at the read


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
                    kind = number_format_type(cell)
                    as_date = kind in DATE_TYPES
                    if as_date:
                        state.dated.add((r, c))
                    elif kind:
                        state.other_format.add((r, c))
                    fingerprint = entered_fingerprint(cell)
                    if fingerprint is not None:
                        state.entered[(r, c)] = fingerprint
                        if "userEnteredValue" not in cell:
                            state.shown_only.add((r, c))
                    value = _cell_value(cell, as_date)
                    if value is not None:
                        cells[(r, c)] = value
        merged = [
            (int(m.get("startRowIndex", 0)) + 1, int(m.get("startColumnIndex", 0)) + 1,
             int(m.get("endRowIndex", 0)), int(m.get("endColumnIndex", 0)))
            for m in sheet.get("merges") or []
        ]
        state.rules = list(sheet.get("conditionalFormats") or [])
        state.tags = rows.row_tags(sheet)
        state.filled_rows = {r for r, _c in state.entered}
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


def write_requests(
    changes: Sequence[CellChange], states: Mapping[str, _SheetState], writes: Sequence[rows.RowWrite] = (),
    tagging: Sequence[rows.RowWrite] | None = None,
) -> list[dict[str, Any]]:
    """The batchUpdate requests a values write needs first: grow each tab and tag the rows with content.

    ``writes`` (rows.RowWrite): the rows ``tagging`` names (default: ``to_tag(writes, states)``) get a
    tag; the values themselves go by ``values.batchUpdateByDataFilter`` (rows.py).
    """
    grow: list[dict[str, Any]] = []
    for title in dict.fromkeys(change.sheet for change in changes):
        state = states[title]
        need_rows = max(c.row for c in changes if c.sheet == title)
        need_cols = max(c.col for c in changes if c.sheet == title)
        for dimension, have, need in (("ROWS", state.rows, need_rows), ("COLUMNS", state.cols, need_cols)):
            if need > have:
                grow.append({"appendDimension": {"sheetId": state.sheet_id, "dimension": dimension,
                                                 "length": need - have}})
    if tagging is None:
        tagging = to_tag(writes, states)
    tags = [rows.tag_request(states[w.sheet].sheet_id, w.row) for w in tagging]
    other = {title: state.other_format for title, state in states.items()}
    return grow + tags + rows.date_format_requests(writes, other)


def to_tag(writes: Sequence[rows.RowWrite], states: Mapping[str, _SheetState]) -> list[rows.RowWrite]:
    """Untagged rows that held something at the read, within rows.TAG_BUDGET (others go by position, checked)."""
    room = max(0, rows.TAG_BUDGET - sum(len(state.tags) for state in states.values()))
    return [w for w in writes if w.tag is None and w.row in states[w.sheet].filled_rows][:room]


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
        moved, snapshots = self._guard(titles, states)
        if moved:
            self._redo(_(
                "{target}: {cell} changed between sheetsync's read and its write "
                "(a row inserted or deleted, or an edit); nothing was written, read and plan again.",
                target=self.target, cell=moved,
            ), moved)
        writes = rows.row_writes(changes, {title: state.sheet_id for title, state in states.items()})
        for write in writes:
            state = states[write.sheet]
            write.tag = state.tags.get(write.row)
            write.spilled = frozenset(c for r, c in state.shown_only if r == write.row and c not in write.cells)
            write.dated = frozenset(c for c, v in write.cells.items() if (write.row, c) in state.dated
                                    or rows.is_date(v) and (write.row, c) in state.other_format)
        self._states = None  # the next write needs a fresh read
        tagging = to_tag(writes, states)
        requests = write_requests(changes, states, writes, tagging) + _recolour_requests(colours, states)
        if requests:
            with google_errors(self._context("edit", WriteError)):
                reply = self.client.http_client.batch_update(self.key, {"requests": requests})
            new_tags = iter(
                int(r["createDeveloperMetadata"]["developerMetadata"]["metadataId"])
                for r in reply.get("replies") or [] if "createDeveloperMetadata" in (r or {})
            )
            for write in tagging:
                write.tag = next(new_tags, None)
        if writes:
            responses = self._write_values([w.value_range() for w in writes], "USER_ENTERED")
            misplaced = rows.check_writes(writes, responses, snapshots)
            if misplaced:
                self._put_back(misplaced, snapshots, titles)
        self._conflicts = 0

    def _write_values(self, data: list[dict[str, Any]], input_option: str) -> list[dict[str, Any]]:
        """ONE values.batchUpdateByDataFilter; each row as it reads after the write (FORMULA, serial dates)."""
        body = {"valueInputOption": input_option, "data": data, "includeValuesInResponse": True,
                **rows.RESPONSE_OPTIONS}
        url = f"{SHEETS_API}/{self.key}/values:batchUpdateByDataFilter"
        try:
            with google_errors(self._context("edit", WriteError)):
                answer = self.client.http_client.request("post", url, json=body).json()
        except WriteError as err:
            if getattr(getattr(err.__cause__, "response", None), "status_code", None) != 400:
                raise
            # A row now narrower than what was sent: columns were deleted meanwhile; Google wrote nothing.
            self._redo(_(
                "{target}: columns were deleted while sheetsync wrote; nothing was written, read and plan again.",
                target=self.target,
            ), "a column")
        return list(answer.get("responses") or [])

    def _put_back(self, misplaced: list[rows.Misplaced], snapshots: Mapping[str, rows.Grid],
                  titles: list[str]) -> None:
        """Rows or columns moved under the write: put back what it overwrote, then read and plan again."""
        _moved, fresh = self._guard(titles, {})  # a tab renamed meanwhile: nothing to map onto, nothing put back
        restore = rows.restore_ranges([m for m in misplaced if m.write.sheet in fresh], snapshots, fresh)
        if restore:
            self._write_values(restore, "USER_ENTERED")
        first = misplaced[0]
        cell = f"{first.write.sheet}!{rowcol_to_a1(first.row_now, min(first.write.cells))}"
        self._redo(_(
            "{target}: rows or columns moved while sheetsync wrote ({cell}); the cells it wrote there were put "
            "back, read and plan again.",
            target=self.target, cell=cell,
        ), cell)

    def _redo(self, message: str, cell: str) -> NoReturn:
        """SheetMovedError (the caller reads and plans again); after ``redo_limit`` in a row, a WriteError."""
        self._conflicts += 1
        self._states = None
        if self._conflicts >= self.redo_limit:
            self._conflicts = 0
            raise WriteError(
                _(
                    "{target}: the sheet kept changing while sheetsync was about to write "
                    "({tries} tries; last: {cell}); nothing was written. Run sync again when editing pauses.",
                    target=self.target, tries=self.redo_limit, cell=cell,
                )
            )
        raise SheetMovedError(message)

    def _guard(
        self, titles: list[str], states: Mapping[str, _SheetState]
    ) -> tuple[str | None, dict[str, rows.Grid]]:
        """Re-read the tabs about to be written (ONE values.batchGet): the first cell that differs, and the tabs.

        Without ``states``, nothing is compared: the tabs as they are now.
        """
        params: dict[str, Any] = {
            "valueRenderOption": "FORMULA",
            "dateTimeRenderOption": "SERIAL_NUMBER",
            "majorDimension": "ROWS",
        }
        renamed = "a tab being written (renamed or deleted)"
        try:
            with google_errors(self._context("open")):
                response = self.client.http_client.values_batch_get(self.key, guard_ranges(titles), params=params)
        except TargetError as err:
            cause = err.__cause__
            if getattr(getattr(cause, "response", None), "status_code", None) == 400:
                return renamed, {}
            raise
        value_ranges = response.get("valueRanges") or []
        if len(value_ranges) != len(titles):
            return renamed, {}
        grids = {title: rows.grid_from_values(vr) for title, vr in zip(titles, value_ranges, strict=True)}
        for title in titles if states else []:
            seen = {(r, c): value_fingerprint(v) for r, line in grids[title].items() for c, v in line.items()}
            cell = first_difference(states[title].entered, seen)
            if cell is not None:
                return f"{title}!{rowcol_to_a1(*cell)}", grids
        return None, grids


def open_gsheet(
    target: str, *, credentials: str | None = None, client: GoogleClient | None = None
) -> GoogleSheetsBackend:
    """The backend for a sheet URL or ``gsheet:KEY`` (nothing is fetched until read())."""
    return GoogleSheetsBackend(target, credentials=credentials, client=client)
