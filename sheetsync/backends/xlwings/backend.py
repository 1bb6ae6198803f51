"""The live-Excel backend: the workbook open in Excel, read and written through xlwings.

Every call into Excel is a round trip to another process (COM on Windows,
AppleScript on a Mac), so reading takes whole used ranges, one sheet at a
time (its values, plus its formulas where the engine can give them), and
writing groups the changed cells into rectangles written with one
``range.value = [[...]]`` each. Dates need no number-format calls: xlwings
already hands date cells over as datetimes (Excel's own variant type tells
it), and a datetime at midnight is the plain date the file backend reads.

The same code runs on xlwings' remote engine (``xw.Book(json=...)``), which
is how the tests drive it without Excel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...a1 import rowcol_to_a1
from ...errors import SheetsyncError, TargetError, WriteError
from ...flag_colours import ColourFix
from ...i18n import _
from ...raw import CellChange, CellValue, Formula, RawSheet, RawWorkbook, whole_number
from ..base import file_identity

__all__ = ["Block", "XlwingsBookBackend", "blocks"]

# Text that Excel would turn into a number, date, time, boolean or formula when
# assigned through Range.Value, as if typed: digits with number/date punctuation
# (also 年月日, which zh-CN Excel parses as dates), TRUE/FALSE, or a leading = + - @.
_COERCIBLE = re.compile(r"^[\s\d.,:/%$€¥£()+\-eE年月日时分秒]*\d[\s\d.,:/%$€¥£()+\-eE年月日时分秒]*$")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Block:
    """A rectangle of changed cells written with one call: top-left corner and rows of values."""

    sheet: str
    row: int
    col: int
    values: tuple[tuple[CellValue, ...], ...]

    @property
    def height(self) -> int:
        return len(self.values)

    @property
    def width(self) -> int:
        return len(self.values[0])


class XlwingsBookBackend:
    """A workbook open in Excel (an ``xlwings.Book``), read and written the way sheetsync needs."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.target: str = _fullname(book)

    def __repr__(self) -> str:
        return f"XlwingsBookBackend({self.target!r})"

    @property
    def identity(self) -> str:
        """A saved book is its file (the same identity as syncing that file); an unsaved one is its Excel name."""
        if os.path.isfile(self.target):
            return file_identity(self.target)
        return f"excel:{self.target}"

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Nothing to hold: Excel runs one macro at a time, and sheetsync writes through Excel, not the file."""
        return contextlib.nullcontext()

    def read(self) -> RawWorkbook:
        """Every sheet's used range, in tab order: two calls per sheet (values, formulas) on desktop Excel."""
        sheets: dict[str, RawSheet] = {}
        for sheet in self.book.sheets:
            name = sheet.name
            try:
                sheets[name] = _read_sheet(sheet, name)
            except SheetsyncError:
                raise
            except Exception as exc:  # COM / AppleScript errors: Excel is busy or the sheet is protected
                raise TargetError(
                    _(
                        "{target}: Excel did not hand over sheet {sheet} ({error}); "
                        "finish editing any cell (press Enter or Esc) and run sheetsync again.",
                        target=self.target, sheet=name, error=exc,
                    )
                ) from exc
        return RawWorkbook(sheets, source=self.target)

    def selected_texts(self) -> tuple[list[tuple[str, str]], str] | None:
        """(cell such as "Reviews!H3", its text) for each selected cell holding text, and the selection's address.

        None when nothing is selected or no selected cell holds text.
        """
        selection = self.book.selection
        if selection is None:
            return None
        values = selection.options(ndim=2).value
        top, left, sheet = selection.row, selection.column, selection.sheet.name
        texts = []
        for r, row in enumerate(values or ()):
            for c, value in enumerate(row):
                value = cell_value(value)
                if isinstance(value, str) and value.strip():
                    texts.append((f"{sheet}!{rowcol_to_a1(top + r, left + c)}", value))
        if not texts:
            return None
        address = selection.address.replace("$", "")
        return texts, f"{sheet}!{address}"

    def write(self, changes: Sequence[CellChange], colours: Sequence[ColourFix] = ()) -> None:
        """Write the changed cells, one call per rectangle of adjacent changes; nothing when there are none.

        Flag colour rules are not brought up to date in live Excel: read() gives no
        RawSheet.colour_rules, so a sync never asks (``colours`` stays empty). Saving the book
        and syncing the file once (or ``sheetsync sync`` on it closed) updates them.
        """
        if not changes:
            return
        for block in blocks(changes):
            try:
                target = self.book.sheets[block.sheet].range(
                    (block.row, block.col), (block.row + block.height - 1, block.col + block.width - 1)
                )
                target.value = [[excel_value(v) for v in row] for row in block.values]
            except Exception as exc:
                where = f"{block.sheet}!{rowcol_to_a1(block.row, block.col)}"
                raise WriteError(
                    _(
                        "{target}: Excel refused to write {cell} ({error}); "
                        "unprotect the sheet or finish editing the cell, then sync again.",
                        target=self.target, cell=where, error=exc,
                    )
                ) from exc


def _read_sheet(sheet: Any, name: str) -> RawSheet:
    used = sheet.used_range
    top, left = used.row, used.column
    values = used.options(ndim=2).value
    formulas = _formulas(used)
    cells: dict[tuple[int, int], CellValue | Formula] = {}
    for r, row in enumerate(values or ()):
        for c, value in enumerate(row):
            text = formulas[r][c] if formulas is not None else None
            cell = cell_value(value)
            if isinstance(text, str) and text.startswith("="):
                cells[(top + r, left + c)] = Formula(text, cell)
            elif cell is not None:
                cells[(top + r, left + c)] = cell
    return RawSheet(name, cells)


def _formulas(used: Any) -> list[list[object]] | None:
    """The used range's formulas, or None when the engine cannot read them synchronously (xlwings' remote engine)."""
    try:
        formulas = used.formula
    except NotImplementedError:
        return None
    if not isinstance(formulas, (list, tuple)):
        return [[formulas]]
    if formulas and not isinstance(formulas[0], (list, tuple)):
        return [list(formulas)]
    return [list(row) for row in formulas]


def cell_value(value: object) -> CellValue:
    """A value as xlwings hands it over, typed as the file backend reads it.

    Whole floats become ints (Excel stores every number as a double), a
    datetime at midnight becomes a date, and empty text counts as empty.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return whole_number(value)
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
        return moment.date() if moment.time() == dt.time(0) else moment
    if isinstance(value, dt.date):
        return value
    return str(value)


def excel_value(value: CellValue) -> object:
    """A value to assign through Range.Value so that Excel stores exactly it.

    Text Excel would parse as typed input (``2026-03-14``, ``1,2``, ``= 1``)
    gets the apostrophe prefix, which keeps it text and is not part of the value.
    """
    if isinstance(value, str) and value and (value.startswith(_FORMULA_START) or _COERCIBLE.match(value)
                                              or value.strip().upper() in ("TRUE", "FALSE")):
        return "'" + value
    return value


def blocks(changes: Iterable[CellChange]) -> list[Block]:
    """Group cell changes into as few filled rectangles as possible (one Excel call each).

    Changes are first joined into runs down each column and then runs with the
    same rows side by side are joined, or the other way round (rows first);
    whichever gives fewer rectangles wins. Only changed cells are covered: a
    cell that keeps its value is never rewritten.
    """
    by_sheet: dict[str, dict[tuple[int, int], CellValue]] = {}
    for change in changes:
        by_sheet.setdefault(change.sheet, {})[(change.row, change.col)] = change.value
    out: list[Block] = []
    for sheet, cells in by_sheet.items():
        down = _rectangles(cells, transpose=False)
        across = _rectangles(cells, transpose=True)
        for top, left, bottom, right in min(down, across, key=len):
            rows = tuple(tuple(cells[(r, c)] for c in range(left, right + 1)) for r in range(top, bottom + 1))
            out.append(Block(sheet, top, left, rows))
    return out


def _rectangles(cells: dict[tuple[int, int], CellValue], *, transpose: bool) -> list[tuple[int, int, int, int]]:
    """(top, left, bottom, right) rectangles: runs along one axis, then merged along the other."""
    keys = sorted(((c, r) if not transpose else (r, c)) for (r, c) in cells)
    runs: list[list[int]] = []  # [line, start, end] along the run axis
    for line, pos in keys:
        if runs and runs[-1][0] == line and runs[-1][2] == pos - 1:
            runs[-1][2] = pos
        else:
            runs.append([line, pos, pos])
    merged: list[list[int]] = []  # [first line, last line, start, end]
    open_by_span: dict[tuple[int, int], list[int]] = {}
    for line, start, end in runs:
        previous = open_by_span.get((start, end))
        if previous is not None and previous[1] == line - 1:
            previous[1] = line
        else:
            previous = [line, line, start, end]
            merged.append(previous)
            open_by_span[(start, end)] = previous
    if transpose:  # lines are rows, positions are columns
        return [(first, start, last, end) for first, last, start, end in merged]
    return [(start, first, end, last) for first, last, start, end in merged]


def _fullname(book: Any) -> str:
    try:
        return str(book.fullname)
    except Exception:  # an engine that cannot tell (remote books know only their name)
        return str(book.name)



