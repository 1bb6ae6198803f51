"""Find a contract sheet in a raw workbook and read its rows by header, in any column order.

A "table" here is a contract sheet's header row and the data rows under it;
TableView is where it was found, locate_table finds it.

Headers are matched in English or Chinese, case- and space-insensitively; extra
columns are left alone; missing computed columns are given a place to the right
of the table (their header is the only thing sheetsync adds).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .. import i18n
from ..a1 import column_letter, rowcol_to_a1
from ..contract import Column, SheetSpec, normalise_header, plain_text
from ..i18n import _, n_
from ..problems import Problem, joined
from ..raw import CellValue, Formula, RawSheet, RawWorkbook
from .cells import CellError, is_blank, shown

T = TypeVar("T")
_HEADER_SCAN_ROWS = 10


class Invalid:
    """Marker for a cell that was reported as a Problem (distinct from a blank cell)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass
class TableView:
    """A contract sheet located in the workbook: where its header is and where each column lives."""

    spec: SheetSpec
    sheet: RawSheet
    header_row: int
    columns: dict[str, int]  # canonical column name → 1-based column
    new_columns: dict[str, int] = field(default_factory=dict)  # computed columns sheetsync will add
    lang: str = "en"
    usable: bool = True  # False when a required column is missing

    @property
    def title(self) -> str:
        return self.sheet.name

    def col(self, name: str) -> int | None:
        return self.columns.get(name) or self.new_columns.get(name)

    def add_columns(self, names: list[str], problems: list[Problem]) -> None:
        """Give the computed columns `names` that the sheet lacks a place right of the last header.

        Only a wholly empty column is taken: a column of notes without a header is a person's, and is
        never written over (a Problem says so). Their headers are written by the next write (new_columns).
        """
        missing = [self.spec.column(n) for n in names if n not in self.columns and n not in self.new_columns]
        used = [c for c in range(1, self.sheet.max_col + 1) if not is_blank(self.sheet.value(self.header_row, c))]
        next_col = max([*used, *self.new_columns.values()], default=0) + 1
        for i, column in enumerate(missing):
            used_row = _first_used_row(self, next_col)
            if used_row is not None:
                problems.append(_no_room_problem(self, missing[i:], next_col, used_row))
                return
            self.new_columns[column.name] = next_col
            next_col += 1

    def locate(self, row: int, name: str) -> str:
        col = self.col(name)
        return rowcol_to_a1(row, col) if col else _("row {row}", row=row)

    def raw(self, row: int, name: str) -> CellValue | Formula:
        col = self.columns.get(name)
        return self.sheet.value(row, col) if col else None

    def human_columns(self) -> list[int]:
        return [self.columns[c.name] for c in self.spec.columns if not c.computed and c.name in self.columns]

    def data_rows(self) -> Iterator[int]:
        """Rows below the header that hold anything in a human-owned contract column."""
        cols = self.human_columns()
        cells = self.sheet.cells
        for row in self.sheet.filled_rows(self.header_row):
            for c in cols:
                value = cells.get((row, c))
                if value is not None and not (isinstance(value, str) and not value.strip()):  # not is_blank
                    yield row
                    break

    def last_row(self) -> int:
        return self.sheet.max_row

    def read(
        self,
        row: int,
        name: str,
        reader: Callable[[CellValue], T],
        problems: list[Problem],
        *,
        formula_ok: bool = False,
        as_written: bool = False,
    ) -> T | None | Invalid:
        """Read one cell through `reader`; a bad cell becomes a Problem and INVALID.

        Text reaches `reader` NFKC-folded (＞＝２ → >=2), unless `as_written` (free text: a project's name).
        """
        col = self.columns.get(name)
        if not col:
            return None
        value = self.sheet.value(row, col)
        if isinstance(value, Formula):
            if not formula_ok:
                problems.append(
                    Problem(
                        self.title,
                        rowcol_to_a1(row, col),
                        _(
                            "holds a formula ({formula}) where sheetsync needs a typed {column}",
                            formula=value.text,
                            column=self.spec.column(name).label(i18n.current()),
                        ),
                        _("type the value itself (copy the cell, then Paste Values)"),
                    )
                )
            if value.cached is None:
                return INVALID  # the formula is the problem; don't also call the cell empty
            value = value.cached
        if isinstance(value, str) and not as_written:
            value = plain_text(value)  # read ＞＝２, Ｔ７，Ｔ８, ２０２６－１２－０３ as typed in ASCII
        try:
            return reader(value)
        except CellError as err:
            problems.append(Problem(self.title, rowcol_to_a1(row, col), err.problem, err.fix))
            return INVALID

    def column_reader(
        self,
        name: str,
        reader: Callable[[CellValue], T],
        problems: list[Problem],
        *,
        as_written: bool = False,
    ) -> Callable[[int], T | None | Invalid]:
        """`read` of one column for row after row, each distinct plain value read once (a big book repeats them).

        Only a value read without a problem is remembered; a formula, or a value whose reading gave a
        Problem, goes through `read` for every row, so each such cell is reported at its own address.
        `reader` must give immutable answers (a date, a number, a word): rows with equal values share one.
        """
        col = self.columns.get(name)
        if not col:
            return lambda row: None
        cells = self.sheet.cells
        known: dict[tuple[type, CellValue], object] = {}

        def read(row: int) -> T | None | Invalid:
            value = cells.get((row, col))
            key = (value.__class__, value)
            if key in known:
                return known[key]  # type: ignore[return-value]
            before = len(problems)
            answer = self.read(row, name, reader, problems, as_written=as_written)
            if len(problems) == before and answer is not INVALID and value.__class__ is not Formula:
                known[key] = answer
            return answer

        return read

    def column_text(self, name: str, *, as_written: bool = False) -> Callable[[int], str]:
        """`text` (or, as_written, `prose`) of one column for row after row, each distinct value shown once."""
        col = self.columns.get(name)
        if not col:
            return lambda row: ""
        cells = self.sheet.cells
        known: dict[tuple[type, CellValue | Formula], str] = {}
        show = self.prose if as_written else self.text

        def text(row: int) -> str:
            value = cells.get((row, col))
            key = (value.__class__, value)
            shown_text = known.get(key)
            if shown_text is None:
                shown_text = known[key] = show(row, name)
            return shown_text

        return text

    def text(self, row: int, name: str) -> str:
        """A cell as text to interpret (an ID, a name, an indicator): full-width forms folded (Ｔ７ → T7)."""
        return plain_text(self.prose(row, name))

    def prose(self, row: int, name: str) -> str:
        """A cell as text exactly as written (a milestone's name, a request, copy): shown, never interpreted."""
        value = self.raw(row, name)
        if isinstance(value, Formula):
            value = value.cached
        return "" if value is None else shown(value).strip()


class Memo(Generic[T]):
    """A cell reader that reads each distinct value once per parse.

    The same date, round number or stage fills thousands of rows of a big book; an equal value of the
    same type gets the same answer, or the same CellError (raised afresh). Only for readers whose answer
    is immutable (a date, a number, a word), since every row with that value shares it.
    """

    def __init__(self, reader: Callable[[CellValue], T]) -> None:
        self._reader = reader
        self._seen: dict[tuple[type, CellValue], tuple[bool, object]] = {}
        self.hits = 0

    def __call__(self, value: CellValue) -> T:
        key = (value.__class__, value)
        seen = self._seen.get(key)
        if seen is None:
            try:
                seen = (True, self._reader(value))
            except CellError as err:
                seen = (False, (err.problem, err.fix))
            self._seen[key] = seen
        else:
            self.hits += 1
        ok, answer = seen
        if ok:
            return answer  # type: ignore[return-value]
        raise CellError(*answer)  # type: ignore[misc]


def find_sheet(workbook: RawWorkbook, spec: SheetSpec) -> RawSheet | None:
    for title, sheet in workbook.sheets.items():
        if spec.matches(title):
            return sheet
    return None


def locate_table(
    workbook: RawWorkbook, spec: SheetSpec, problems: list[Problem], *, required: bool = True
) -> TableView | None:
    """Find the sheet and its header row; report what is missing. None if the sheet is absent."""
    sheet = find_sheet(workbook, spec)
    if sheet is None:
        if required:
            lang = i18n.current()  # the book's language: its own name for the sheet first, the other in brackets
            problems.append(
                Problem(
                    spec.label(lang),
                    "",
                    _(
                        'the workbook has no "{sheet}" sheet ({other})',
                        sheet=spec.label(lang),
                        other=spec.label("en" if lang == "zh" else "zh"),
                    ),
                    _(
                        'add a sheet named "{sheet}" with the contract\'s headers '
                        "(sheetsync init new.xlsx makes a template to copy from)",
                        sheet=spec.label(lang),
                    ),
                )
            )
        return None

    header_row, matches, lang = _find_header(sheet, spec)
    view = TableView(spec=spec, sheet=sheet, header_row=header_row, columns=matches, lang=lang)
    headers = {col: sheet.value(header_row, col) for col in range(1, sheet.max_col + 1)}
    unknown = [str(v) for c, v in headers.items() if not is_blank(v) and c not in matches.values()]

    for column in spec.columns:
        if column.name in matches:
            continue
        if column.computed:
            continue
        if column.required:
            view.usable = False
            hint = difflib.get_close_matches(column.name, unknown, n=1, cutoff=0.6) or difflib.get_close_matches(
                column.zh, unknown, n=1, cutoff=0.5
            )
            fix = (
                _('rename the header "{header}" to "{column}"', header=hint[0], column=column.label(lang))
                if hint
                else _('add a column headed "{column}" to row {row}', column=column.label(lang), row=header_row)
            )
            problems.append(
                Problem(
                    sheet.name,
                    rowcol_to_a1(header_row, 1),
                    _(
                        'required column "{column}" ({other}) is missing',
                        column=column.label(lang),
                        other=column.label("en" if lang == "zh" else "zh"),
                    ),
                    fix,
                )
            )

    if view.usable:
        view.add_columns([c.name for c in spec.computed if not c.on_demand], problems)
    _report_merged(view, problems)
    return view


def _first_used_row(view: TableView, col: int) -> int | None:
    """The first row where column `col` holds anything (or is merged, at or below the header), else None."""
    sheet = view.sheet
    rows = [r for (r, c), v in sheet.cells.items() if c == col and v is not None and v != ""]
    rows += [max(r1, view.header_row) for r1, c1, r2, c2 in sheet.merged if c1 <= col <= c2 and r2 >= view.header_row]
    return min(rows, default=None)


def _no_room_problem(view: TableView, missing: list[Column], col: int, row: int) -> Problem:
    """Computed columns that cannot be added: the column where they would go is not empty."""
    labels = [column.label(view.lang) for column in missing]
    named = joined(i18n.pick(None, f'"{label}"', f"“{label}”") for label in labels)
    letter = column_letter(col)
    return Problem(
        view.title,
        rowcol_to_a1(row, col),
        n_(
            "the computed column {named} is missing, and column {letter}, where sheetsync would add it, "
            "holds cells without a header; they are left as they are",
            "the computed columns {named} are missing, and column {letter}, where sheetsync would add them, "
            "holds cells without a header; they are left as they are",
            len(missing),
            named=named,
            letter=letter,
        ),
        _(
            "add a {named} header in an empty column (sheetsync fills it), or give column {letter} a header of its own",
            named=named,
            letter=letter,
        ),
    )


def _find_header(sheet: RawSheet, spec: SheetSpec) -> tuple[int, dict[str, int], str]:
    """The row (of the first few) whose cells name the most contract columns."""
    # Column.matches, with each column's keys and each cell's key made once (not once per cell and column)
    keys = [(column, normalise_header(column.name), normalise_header(column.zh)) for column in spec.columns]
    best_row, best, best_lang = 1, {}, "en"
    for row in range(1, min(sheet.max_row, _HEADER_SCAN_ROWS) + 1):
        found: dict[str, int] = {}
        zh_hits = 0
        for col in range(1, sheet.max_col + 1):
            value = sheet.value(row, col)
            if is_blank(value) or isinstance(value, Formula):
                continue
            key = normalise_header(value)
            for column, name_key, zh_key in keys:
                if column.name not in found and key in (name_key, zh_key):
                    found[column.name] = col
                    if key == zh_key != name_key:
                        zh_hits += 1
                    break
        if len(found) > len(best):
            best_row, best = row, found
            best_lang = "zh" if zh_hits * 2 > len(found) else "en"
    return best_row, best, best_lang


def _report_merged(view: TableView, problems: list[Problem]) -> None:
    table_cols = set(view.columns.values()) | set(view.new_columns.values())
    for r1, c1, r2, c2 in view.sheet.merged:
        if r2 < view.header_row:
            continue
        if not any(c1 <= c <= c2 for c in table_cols):
            continue
        ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
        problems.append(
            Problem(
                view.title,
                ref,
                _(
                    "cells {range} are merged; sheetsync reads only {cell} and never writes the others",
                    range=ref,
                    cell=rowcol_to_a1(r1, c1),
                ),
                _("unmerge them and fill each row's cell"),
            )
        )


def merged_non_anchor(sheet: RawSheet, row: int, col: int) -> bool:
    """True for a cell covered by a merged range but not its top-left cell (it cannot hold a value)."""
    bounds = sheet.merged_range_at(row, col)
    return bounds is not None and (row, col) != (bounds[0], bounds[1])
