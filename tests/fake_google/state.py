"""What the fake keeps: spreadsheets, their sheets, cells and the Drive file around them.

Everything here is plain data that ``copy.deepcopy`` can snapshot, which is how a
batch is applied all-or-nothing: handlers work on a copy (``Spreadsheet.snapshot``)
and the server swaps it in only when every request in the batch succeeded.

Stored cells are replaced, never changed in place, by the request handlers (they copy
a cell, change the copy and ``set_cell`` it), so a snapshot copies each tab's cell
dict but shares the cells themselves; everything else in it is deep-copied.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from . import cells
from .jsonout import LazyRows
from .ranges import A1, Box, column_letters, exceeds_grid, parse_a1, quote_title
from .schema import ApiError

# A new spreadsheet's properties, as recorded in gspread's ClientTest.test_create cassette.
THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100


def now_rfc3339() -> str:
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_id() -> str:
    """A spreadsheet id shaped like Google's (44 URL-safe characters)."""
    return "1" + secrets.token_urlsafe(33)[:43]


@dataclass
class Sheet:
    """One tab: its SheetProperties, its cells by (row, column), and its sheet-level objects."""

    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sheet_id(self) -> int:
        return self.properties["sheetId"]

    @property
    def title(self) -> str:
        return self.properties["title"]

    @property
    def grid(self) -> dict[str, Any]:
        return self.properties["gridProperties"]

    @property
    def row_count(self) -> int:
        return self.grid["rowCount"]

    @property
    def column_count(self) -> int:
        return self.grid["columnCount"]

    def whole(self) -> Box:
        return Box(self.sheet_id, self.title, 0, self.row_count, 0, self.column_count)

    def check_inside(self, box: Box) -> None:
        if box.row0 < 0 or box.col0 < 0 or box.row1 > self.row_count or box.col1 > self.column_count:
            raise exceeds_grid(box, self.row_count, self.column_count)

    def last_row_with_data(self, col0: int = 0, col1: int | None = None) -> int:
        """1 + the index of the last row holding a value in [col0, col1); 0 when none does."""
        rows = [
            r for (r, c), cell in self.cells.items() if cell.get("userEnteredValue") and col0 <= c < (col1 or 1 << 30)
        ]
        return max(rows) + 1 if rows else 0

    def set_cell(self, row: int, col: int, cell: dict[str, Any]) -> None:
        if cell:
            self.cells[(row, col)] = cell
        else:
            self.cells.pop((row, col), None)

    # -- rows and columns move everything below/right of them -----------------------------------

    def insert(self, dimension: str, start: int, count: int) -> None:
        axis = 0 if dimension == "ROWS" else 1
        self.cells = {_shift(key, axis, start, count): cell for key, cell in self.cells.items()}
        for grid_range in self._grid_ranges():
            _shift_range(grid_range, axis, start, count)
        for dimension_range in self._dimension_ranges(dimension):  # metadata moves with its rows or columns
            _shift_range(dimension_range, 2, start, count)
        self.grid["rowCount" if axis == 0 else "columnCount"] += count

    def delete(self, dimension: str, start: int, end: int) -> None:
        axis = 0 if dimension == "ROWS" else 1
        count = end - start
        self.cells = {
            _shift(key, axis, end, -count): cell for key, cell in self.cells.items() if not start <= key[axis] < end
        }
        self.merges = [m for m in self.merges if _shrink_range(m, axis, start, end)]
        for rule in self.conditional_formats:
            rule["ranges"] = [r for r in rule.get("ranges", []) if _shrink_range(r, axis, start, end)]
        self.conditional_formats = [rule for rule in self.conditional_formats if rule["ranges"]]
        self.protected_ranges = [
            p for p in self.protected_ranges if _shrink_range(p.get("range", {}), axis, start, end)
        ]
        self.developer_metadata = [  # a deleted row or column takes its metadata with it
            m for m in self.developer_metadata
            if (m.get("location") or {}).get("dimensionRange", {}).get("dimension") != dimension
            or _shrink_range(m["location"]["dimensionRange"], 2, start, end)
        ]
        self.grid["rowCount" if axis == 0 else "columnCount"] -= count

    def sort_rows(self, start: int, end: int, key_col: int, *, descending: bool = False) -> None:
        """Sort rows [start, end) by one column's values, as a person's Data → Sort range does.

        Every cell of a row moves with it; row metadata does not (Google does not say it
        follows a sort; the fake keeps it on its row position, the harder case).
        """
        def key(row: int) -> tuple[int, Any]:
            shown = cells.render_for_values(self.cells.get((row, key_col), {}), "UNFORMATTED_VALUE", "SERIAL_NUMBER")
            return (0, shown) if isinstance(shown, (int, float)) and not isinstance(shown, bool) else (1, str(shown))

        filled = [r for r in range(start, end) if key(r) != (1, "")]
        order = sorted(filled, key=key, reverse=descending)
        order += [r for r in range(start, end) if r not in filled]  # blank keys go last, either way, as Google does
        moved = {(r, c): cell for (r, c), cell in self.cells.items() if start <= r < end}
        for r, c in moved:
            del self.cells[(r, c)]
        for new_row, old_row in enumerate(order, start=start):
            for (r, c), cell in moved.items():
                if r == old_row:
                    self.cells[(new_row, c)] = cell

    def _dimension_ranges(self, dimension: str) -> list[dict[str, Any]]:
        return [
            r for m in self.developer_metadata
            if (r := (m.get("location") or {}).get("dimensionRange")) and r.get("dimension") == dimension
        ]

    def snapshot(self) -> Sheet:
        """A copy whose cell dict is new but whose cells are shared (see the module docstring).

        The rest is JSON-shaped (no object appears twice), so ``cells.clone`` copies it: a 5,000-row
        tab's row metadata is copied at every batch, and ``copy.deepcopy`` took seconds for it.
        """
        copied = {
            spec.name: dict(self.cells) if spec.name == "cells" else cells.clone(getattr(self, spec.name))
            for spec in dataclasses.fields(self)
        }
        return Sheet(**copied)

    def _grid_ranges(self) -> list[dict[str, Any]]:
        found = list(self.merges)
        for rule in self.conditional_formats:
            found.extend(rule.get("ranges", []))
        found.extend(p["range"] for p in self.protected_ranges if "range" in p)
        return found


def _shift(key: tuple[int, int], axis: int, start: int, count: int) -> tuple[int, int]:
    if key[axis] < start:
        return key
    moved = list(key)
    moved[axis] += count
    return (moved[0], moved[1])


_AXIS_KEYS = (("startRowIndex", "endRowIndex"), ("startColumnIndex", "endColumnIndex"), ("startIndex", "endIndex"))


def _shift_range(grid_range: dict[str, Any], axis: int, start: int, count: int) -> None:
    lo, hi = _AXIS_KEYS[axis]
    if lo in grid_range and grid_range[lo] >= start:
        grid_range[lo] += count
    if hi in grid_range and grid_range[hi] > start:
        grid_range[hi] += count


def _shrink_range(grid_range: dict[str, Any], axis: int, start: int, end: int) -> bool:
    """Cut [start, end) out of a range; False when nothing of it is left."""
    lo, hi = _AXIS_KEYS[axis]
    a, b = grid_range.get(lo, 0), grid_range.get(hi)
    count = end - start

    def moved(index: int) -> int:
        return index if index <= start else max(start, index - count) if index < end else index - count

    a2 = moved(a)
    b2 = moved(b) if b is not None else None
    if b2 is not None and b2 <= a2:
        return False
    if lo in grid_range or a2:
        grid_range[lo] = a2
    if b2 is not None:
        grid_range[hi] = b2
    return True


@dataclass
class Spreadsheet:
    """A spreadsheet plus the Drive file metadata (version, times, who may open it)."""

    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet]
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    permissions: dict[str, str] = field(default_factory=dict)  # email -> Drive role
    version: int = 1
    created_time: str = field(default_factory=now_rfc3339)
    modified_time: str = field(default_factory=now_rfc3339)
    next_ids: int = 1

    @classmethod
    def new(
        cls,
        title: str,
        sheet_titles: tuple[str, ...] = ("Sheet1",),
        *,
        rows: int = 1000,
        cols: int = 26,
        spreadsheet_id: str | None = None,
    ) -> Spreadsheet:
        properties = {
            "title": title,
            "locale": "en_US",
            "autoRecalc": "ON_CHANGE",
            "timeZone": "Etc/GMT",
            "defaultFormat": copy.deepcopy(cells.DEFAULT_FORMAT),
            "spreadsheetTheme": {
                "primaryFontFamily": "Arial",
                "themeColors": [{"colorType": kind, "color": {"rgbColor": rgb}} for kind, rgb in THEME_COLORS],
            },
        }
        book = cls(spreadsheet_id or new_id(), properties, [])
        for index, sheet_title in enumerate(sheet_titles):
            sheet_id = 0 if index == 0 else book.fresh_sheet_id()
            book.sheets.append(Sheet(grid_sheet_properties(sheet_id, sheet_title, index, rows, cols)))
        return book

    @property
    def title(self) -> str:
        return self.properties["title"]

    def touch(self) -> None:
        """Record a change: Drive's version goes up and modifiedTime moves."""
        self.version += 1
        self.modified_time = now_rfc3339()

    def snapshot(self) -> Spreadsheet:
        """A copy to apply a batch to: as ``copy.deepcopy`` but sharing the (never mutated) stored cells."""
        memo: dict[int, Any] = {}
        copied: dict[str, Any] = {}
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if spec.name == "sheets":
                copied["sheets"] = [sheet.snapshot() for sheet in value]
            else:
                copied[spec.name] = copy.deepcopy(value, memo)
        return Spreadsheet(**copied)

    def fresh_sheet_id(self) -> int:
        used = {sheet.sheet_id for sheet in self.sheets}
        while True:
            candidate = secrets.randbelow(2_000_000_000) + 1
            if candidate not in used:
                return candidate

    def fresh_id(self) -> int:
        self.next_ids += 1
        return self.next_ids * 1_000_003 % 2_000_000_000

    # -- finding sheets and ranges --------------------------------------------------------------

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise ApiError(400, f"No grid with id: {sheet_id}")

    def sheet_by_title(self, title: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise ApiError(400, f"Unable to parse range: {title}")

    def reindex(self) -> None:
        self.sheets.sort(key=lambda sheet: sheet.properties["index"])
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def a1(self, text: str) -> tuple[Sheet, A1]:
        """Resolve A1 text to a sheet and the bounds it gave (open bounds stay None)."""
        for sheet in self.sheets:
            if text in (sheet.title, quote_title(sheet.title, always=True)):
                return sheet, A1(sheet.title, None, None, None, None, text)
        parsed = parse_a1(text)
        if parsed.title is None:
            return self.sheets[0], parsed
        for sheet in self.sheets:
            if sheet.title == parsed.title:
                return sheet, parsed
        raise ApiError(400, f"Unable to parse range: {text}")

    def box(self, text: str, *, check: bool = True) -> tuple[Sheet, Box]:
        """A1 text as a closed rectangle, open bounds running to the grid's edge."""
        sheet, parsed = self.a1(text)
        box = Box(
            sheet.sheet_id,
            sheet.title,
            parsed.row0 if parsed.row0 is not None else 0,
            parsed.row1 if parsed.row1 is not None else max(sheet.row_count, (parsed.row0 or 0) + 1),
            parsed.col0 if parsed.col0 is not None else 0,
            parsed.col1 if parsed.col1 is not None else max(sheet.column_count, (parsed.col0 or 0) + 1),
        )
        if check:
            sheet.check_inside(box)
        return sheet, box

    def grid_box(self, grid_range: dict[str, Any]) -> tuple[Sheet, Box]:
        """A GridRange (open bounds run to the grid's edge), checked against the grid."""
        sheet = self.sheet_by_id(grid_range.get("sheetId", 0))
        box = Box(
            sheet.sheet_id,
            sheet.title,
            grid_range.get("startRowIndex", 0),
            grid_range.get("endRowIndex", sheet.row_count),
            grid_range.get("startColumnIndex", 0),
            grid_range.get("endColumnIndex", sheet.column_count),
        )
        if box.row1 < box.row0 or box.col1 < box.col0:
            raise ApiError(400, f"Invalid range: start index is after end index in {box.a1(always_quote=True)}")
        sheet.check_inside(box)
        return sheet, box

    # -- reading --------------------------------------------------------------------------------

    def resource(
        self, *, ranges: list[str] | None = None, include_grid_data: bool = False, lazy: bool = False
    ) -> dict[str, Any]:
        """The Spreadsheet resource of spreadsheets.get (before any ``fields`` mask).

        ``lazy``: each GridData's ``rowData`` is a :class:`~fake_google.jsonout.LazyRows`
        (for the server, which writes the response out at once with ``jsonout.dumps``).
        """
        wanted: dict[int, list[Box]] = {}
        for text in ranges or []:
            sheet, box = self.box(text)
            wanted.setdefault(sheet.sheet_id, []).append(box)
        sheets_out = []
        for sheet in self.sheets:
            if ranges and sheet.sheet_id not in wanted:
                continue
            entry: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
            if include_grid_data:
                entry["data"] = [
                    self.grid_data(sheet, box, lazy=lazy) for box in wanted.get(sheet.sheet_id, [sheet.whole()])
                ]
            if sheet.merges:
                entry["merges"] = copy.deepcopy(sheet.merges)
            if sheet.conditional_formats:
                entry["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
            if sheet.protected_ranges:
                entry["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
            on_sheet = [m for m in sheet.developer_metadata if "dimensionRange" not in (m.get("location") or {})]
            if on_sheet:  # row and column metadata are in data[].rowMetadata / columnMetadata
                entry["developerMetadata"] = copy.deepcopy(on_sheet)
            sheets_out.append(entry)
        out: dict[str, Any] = {
            "spreadsheetId": self.spreadsheet_id,
            "properties": copy.deepcopy(self.properties),
            "sheets": sheets_out,
        }
        if self.named_ranges:
            out["namedRanges"] = copy.deepcopy(self.named_ranges)
        if self.developer_metadata:
            out["developerMetadata"] = copy.deepcopy(self.developer_metadata)
        out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"
        return out

    def grid_data(self, sheet: Sheet, box: Box, *, lazy: bool = False) -> dict[str, Any]:
        """GridData for a rectangle: trailing empty rows and cells dropped, as Google does."""
        default_format = self.properties["defaultFormat"]
        by_row: dict[int, dict[int, dict[str, Any]]] = {}
        for (r, c), cell in sheet.cells.items():
            if box.row0 <= r < box.row1 and box.col0 <= c < box.col1 and cells.shows_anything(cell):
                by_row.setdefault(r, {})[c] = cell
        rows: list[list[dict[str, Any]] | None] = []
        if by_row:
            empty: dict[str, Any] = {}
            for r in range(box.row0, max(by_row) + 1):
                found = by_row.get(r)
                rows.append(None if found is None else [found.get(c, empty) for c in range(box.col0, max(found) + 1)])
        data: dict[str, Any] = {}
        if box.row0:
            data["startRow"] = box.row0
        if box.col0:
            data["startColumn"] = box.col0
        if rows:
            lazy_rows = LazyRows(rows, default_format)
            data["rowData"] = lazy_rows if lazy else lazy_rows.materialize()
        if lazy:  # written out at once: one dict can stand for every row
            data["rowMetadata"] = [{"pixelSize": DEFAULT_ROW_PIXELS}] * box.rows
            data["columnMetadata"] = [{"pixelSize": DEFAULT_COLUMN_PIXELS}] * box.cols
        else:
            data["rowMetadata"] = [{"pixelSize": DEFAULT_ROW_PIXELS} for _ in range(box.rows)]
            data["columnMetadata"] = [{"pixelSize": DEFAULT_COLUMN_PIXELS} for _ in range(box.cols)]
        for key, dimension, first in (("rowMetadata", "ROWS", box.row0), ("columnMetadata", "COLUMNS", box.col0)):
            for metadata in sheet.developer_metadata:
                found = (metadata.get("location") or {}).get("dimensionRange") or {}
                if found.get("dimension") != dimension:
                    continue
                for index in range(max(found["startIndex"], first), min(found["endIndex"], first + len(data[key]))):
                    entry = data[key][index - first] = dict(data[key][index - first])
                    entry["developerMetadata"] = [*entry.get("developerMetadata", []), copy.deepcopy(metadata)]
        return data

    def read_values(
        self, box: Box, *, major: str = "ROWS", render: str = "FORMATTED_VALUE", dates: str = "SERIAL_NUMBER"
    ) -> list[list[Any]]:
        """values.get's ``values``: trailing empty cells and rows dropped."""
        sheet = self.sheet_by_id(box.sheet_id)
        # Past the last row and column holding a value every cell reads "", which is dropped anyway (a cell
        # with a format or a rule alone, as a template's 1,000 rows have, reads "" too).
        last_row = last_col = -1
        stored = sheet.cells
        if box.rows * box.cols < len(stored):  # a small box (a row or two): look its cells up, not every cell
            keys = [(r, c) for r in range(box.row0, box.row1) for c in range(box.col0, box.col1) if (r, c) in stored]
        else:
            keys = [(r, c) for r, c in stored if box.row0 <= r < box.row1 and box.col0 <= c < box.col1]
        for r, c in keys:
            if not _holds_value(stored[(r, c)]):
                continue
            last_row, last_col = max(last_row, r), max(last_col, c)
        outer, inner = (range(box.row0, last_row + 1), range(box.col0, last_col + 1))
        if major == "COLUMNS":
            outer, inner = inner, outer
        grid: list[list[Any]] = []
        for a in outer:
            line = []
            for b in inner:
                key = (a, b) if major != "COLUMNS" else (b, a)
                line.append(cells.render_for_values(sheet.cells.get(key, {}), render, dates))
            while line and line[-1] == "":
                line.pop()
            grid.append(line)
        while grid and not grid[-1]:
            grid.pop()
        return grid


def _holds_value(cell: dict[str, Any]) -> bool:
    """Whether values.get can show anything but "" for the cell: something typed, or a seeded result."""
    return bool(cell.get("userEnteredValue")) or cell.get("_result") is not None


def grid_sheet_properties(sheet_id: int, title: str, index: int, rows: int = 1000, cols: int = 26) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": rows, "columnCount": cols},
    }


def cell_a1(row: int, col: int) -> str:
    return f"{column_letters(col)}{row + 1}"
