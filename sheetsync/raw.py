"""The raw cells: what a backend reads and writes, before any parsing.

Raw cell grids (RawWorkbook, RawSheet, Formula, whole_number) and the computed-cell
changes (CellChange).

Backends turn a workbook into a RawWorkbook (no interpretation beyond the cell's
own type) and apply a list of CellChange; everything in between is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Union

from .a1 import rowcol_to_a1
from .serials import EXCEL_1900

# A cell value as a backend hands it over. Dates are datetime.date or
# datetime.datetime when the cell is date-formatted; numbers are int or float.
CellValue = Union[str, int, float, bool, dt.date, dt.datetime, None]  # noqa: UP007 (a runtime alias on 3.10)


# Beyond 2**53 a double no longer holds every whole number, so "it is whole" says nothing there.
_EXACT_WHOLE = 2.0**53


def whole_number(number: float) -> int | float:
    """A number as every backend hands it over: int when it is whole (spreadsheets keep only doubles)."""
    return int(number) if number.is_integer() and -_EXACT_WHOLE < number < _EXACT_WHOLE else number


# Excel's limit on the characters of one cell (Excel specifications and limits: 32,767). Google Sheets
# allows 50,000 ("Your input contains more than the maximum of 50000 characters in a single cell"); the
# smaller holds for every backend, so a book moved between them keeps the same text and still compares equal.
MAX_CELL_TEXT = 32_767
CUT_MARKER = " … (cut)"
# Characters no spreadsheet file can carry (XML 1.0: control characters, lone surrogates, U+FFFE/U+FFFF).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def writable(value: CellValue) -> CellValue:
    """A computed value as every backend stores it, so what is compared next sync is what was written.

    Text loses the characters a file cannot carry and is cut to MAX_CELL_TEXT (counted, as Excel
    counts, in UTF-16 units) with CUT_MARKER at the end; other values are returned as they are.
    """
    if not isinstance(value, str):
        return value
    text = _UNWRITABLE.sub("", value)
    if len(text) <= MAX_CELL_TEXT // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_CELL_TEXT:
        return text
    budget = MAX_CELL_TEXT - len(CUT_MARKER)
    units = end = 0
    for end, char in enumerate(text):  # noqa: B007 (end is the cut)
        units += 2 if ord(char) > 0xFFFF else 1
        if units > budget:
            break
    return text[:end] + CUT_MARKER


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula: its text (with the leading '=') and the cached result, if any."""

    text: str
    cached: CellValue = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ColourRule:
    """A formula conditional-format rule as a backend found it; ``key`` is the backend's own handle on it."""

    key: object
    formula: str  # with its '='
    ranges: tuple[tuple[int, int, int, int], ...]  # (min_row, min_col, max_row, max_col) of each range


@dataclass
class RawSheet:
    """One sheet's cells, 1-based, as the backend found them."""

    name: str
    cells: dict[tuple[int, int], CellValue | Formula] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    sheet_id: int | None = None  # backend-specific id (Google sheetId), informative only
    colour_rules: list[ColourRule] = field(default_factory=list)  # formula rules (flag_colours.py reads them)

    @property
    def max_row(self) -> int:
        return self._extent()[0]

    @property
    def max_col(self) -> int:
        return self._extent()[1]

    def _extent(self) -> tuple[int, int]:
        # Cached by cell count: the parser asks often, and sheets are not edited after reading.
        cached = self.__dict__.get("_extent_cache")
        if cached is None or cached[0] != len(self.cells):
            rows = max((r for r, _ in self.cells), default=0)
            cols = max((c for _, c in self.cells), default=0)
            cached = (len(self.cells), rows, cols)
            self.__dict__["_extent_cache"] = cached
        return cached[1], cached[2]

    def value(self, row: int, col: int) -> CellValue | Formula:
        return self.cells.get((row, col))

    def filled_rows(self, below: int = 0) -> list[int]:
        """Rows after `below` that hold any cell, in order.

        Loops over these rather than range(max_row): one cell at row 1,048,576 must not cost a million rows.
        """
        return sorted({r for r, _ in self.cells if r > below})

    def merged_range_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        for bounds in self.merged:
            r1, c1, r2, c2 = bounds
            if r1 <= row <= r2 and c1 <= col <= c2:
                return bounds
        return None

    def rows(self) -> list[list[CellValue | Formula]]:
        """Dense rows 1..max_row, columns 1..max_col (handy for pandas and tests)."""
        width, height = self.max_col, self.max_row
        grid: list[list[CellValue | Formula]] = [[None] * width for _ in range(height)]
        for (r, c), v in self.cells.items():
            grid[r - 1][c - 1] = v
        return grid


@dataclass
class RawWorkbook:
    """All sheets of a workbook, in workbook order, read in one go."""

    sheets: dict[str, RawSheet]
    source: str = ""
    date_system: str = EXCEL_1900  # how date cells' serials were read (serials.DATE_SYSTEMS)

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(name)


@dataclass(frozen=True)
class CellChange:
    """Set one cell to a value (None clears it). Backends write only these."""

    sheet: str
    row: int
    col: int
    value: CellValue

    @property
    def a1(self) -> str:
        return rowcol_to_a1(self.row, self.col)

    def __str__(self) -> str:
        return f"{self.sheet}!{self.a1} = {self.value!r}"
