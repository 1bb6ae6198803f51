"""Writing computed cells to the rows they belong to, wherever people move those rows meanwhile.

A position read a moment ago is not a place to write to: people insert, delete
and sort rows, and insert or delete columns, while a sync runs. So:

- Each row sheetsync writes carries row developer metadata (key ``sheetsync.row``,
  DOCUMENT visibility). Google keeps row metadata on its row as rows are inserted
  or deleted above it, and deletes it with the row (Sheets API: DeveloperMetadata).
  A row's first write tags it (``createDeveloperMetadata`` in the batchUpdate that
  carries colour rules, growth and date formats); rows still empty in the guard
  read (a new Log row) are written by their grid position instead, together with
  the row above them (left as it is): when rows slide under the write, the row
  above shows it, even where the written row itself is all overwritten.
- The values go in ONE ``values.batchUpdateByDataFilter`` (USER_ENTERED, text
  quoted so it stays text, a date as ISO text where the cell has no date format yet,
  so Sheets formats it): one row array per row, found by its metadata, null in
  every cell that is not sheetsync's; null cells are left as they are, so a
  person's cells in the row are never touched.
  A deleted row's metadata is gone, so its write matches nothing and is dropped.
- Values in a row are positional from column A, and Google does not document that
  row metadata follows a sort. So the write asks for each row back
  (``includeValuesInResponse``) and compares it with the guard read plus what was
  written: a column inserted or deleted, or rows sorted, shows as a difference.
  Then the written cells are put back as the guard read had them, mapped onto the
  new layout (columns by their header row, rows by their content), and the
  caller reads and plans again (SheetMovedError).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ...a1 import column_index
from ...raw import CellChange, CellValue
from .values import DATE_FORMAT, DATE_TIME_FORMAT, to_serial, value_fingerprint

ROW_KEY = "sheetsync.row"
# Rows tagged per spreadsheet at most. Google limits how much developer metadata a spreadsheet
# may hold (reported as about 30,000 characters; we found no figure in its reference), so we
# stay far inside: 1,500 tags of this key. Rows past it (a very large book) are written by
# position, and the write's answer is checked and put back as for every row.
TAG_BUDGET = 1500
RESPONSE_OPTIONS = {"responseValueRenderOption": "FORMULA", "responseDateTimeRenderOption": "SERIAL_NUMBER"}

Grid = dict[int, dict[int, Any]]  # row -> column -> a value as values.batchGet gives it (FORMULA render), 1-based


def row_tags(sheet: Mapping[str, Any]) -> dict[int, int]:
    """Row number (1-based) -> the metadataId of sheetsync's metadata on it, from a spreadsheets.get sheet."""
    tags: dict[int, int] = {}
    for block in sheet.get("data") or []:
        for index, row in enumerate(block.get("rowMetadata") or [], start=int(block.get("startRow", 0)) + 1):
            for metadata in (row or {}).get("developerMetadata") or []:
                if metadata.get("metadataKey") == ROW_KEY and "metadataId" in metadata:
                    tags.setdefault(index, int(metadata["metadataId"]))
    return tags


def tag_request(sheet_id: int, row: int) -> dict[str, Any]:
    """createDeveloperMetadata for one row (Google picks the id; the reply gives it)."""
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": ROW_KEY,
        "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": sheet_id, "dimension": "ROWS",
                                        "startIndex": row - 1, "endIndex": row}},
    }}}


def raw_value(value: CellValue) -> str | float | int | bool:
    """A computed value for the values API with RAW input: dates as Sheets serials, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date):
        return to_serial(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)


def entered_value(value: CellValue, dated: bool) -> str | float | int | bool:
    """A computed value as USER_ENTERED input that stores exactly it, never a formula.

    Text is quoted (a leading ``'``: "=1+1" stays text). A date goes as a serial
    where the cell is already formatted as a date, else as ISO text, which Sheets
    stores as that date with a date format: no format write by position is needed.
    """
    if isinstance(value, dt.date) and not dated:
        return value.strftime("%Y-%m-%d %H:%M:%S" if isinstance(value, dt.datetime) else "%Y-%m-%d")
    plain = raw_value(value)
    return "'" + plain if isinstance(plain, str) and plain else plain


def is_date(value: CellValue) -> bool:
    return isinstance(value, dt.date)


def date_format_requests(writes: Sequence[RowWrite], other_format: Mapping[str, set[tuple[int, int]]]
                         ) -> list[dict[str, Any]]:
    """A date format for each date going into a cell formatted otherwise (Plain text, Number...).

    ISO text typed into such a cell is not made a date (a Plain text cell keeps it as text,
    and the write's check would see a difference and put it back on every sync), so these
    dates go as serials (RowWrite.dated) into cells given a date format here, by position
    in the batchUpdate that tags rows: a format, never a value, if the row moved meanwhile.
    """
    requests = []
    for write in writes:
        for col, value in write.cells.items():
            if is_date(value) and (write.row, col) in other_format.get(write.sheet, ()):
                number_format = DATE_TIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
                requests.append({"repeatCell": {
                    "range": {"sheetId": write.sheet_id, "startRowIndex": write.row - 1, "endRowIndex": write.row,
                              "startColumnIndex": col - 1, "endColumnIndex": col},
                    "cell": {"userEnteredFormat": {"numberFormat": dict(number_format)}},
                    "fields": "userEnteredFormat.numberFormat",
                }})
    return requests


@dataclass
class RowWrite:
    """The computed cells of one row, and how the write finds the row: its metadata, else its position."""

    sheet: str
    sheet_id: int
    row: int  # where the guard read saw it
    cells: dict[int, CellValue]
    tag: int | None = None
    dated: frozenset[int] = frozenset()  # columns of this row already formatted as dates at the read
    # Columns of this row showing an array formula's spill (nothing typed): the write itself may change
    # what they show (a person's ARRAYFORMULA over the computed columns), so the check leaves them out.
    spilled: frozenset[int] = frozenset()

    @property
    def with_row_above(self) -> bool:
        """A row written by position is written with the row above it (left as it is): the answer
        then shows whether rows shifted meanwhile, which the written row alone cannot show when
        every cell of it is written (a Log entry that slid onto the new Log row's place)."""
        return self.tag is None and self.row > 1

    def data_filter(self) -> dict[str, Any]:
        if self.tag is not None:
            return {"developerMetadataLookup": {"metadataId": self.tag}}
        top = self.row - 2 if self.with_row_above else self.row - 1
        return {"gridRange": {"sheetId": self.sheet_id, "startRowIndex": top, "endRowIndex": self.row}}

    def value_range(self, line: list[Any] | None = None) -> dict[str, Any]:
        if line is None:
            line = [None] * max(self.cells)
            for col, value in self.cells.items():
                line[col - 1] = entered_value(value, col in self.dated)
        values = [[], line] if self.with_row_above else [line]
        return {"dataFilter": self.data_filter(), "majorDimension": "ROWS", "values": values}

    def expected(self, snapshot: Grid) -> dict[int, Any]:
        """The row as it must read after the write: the guard read's row with the written cells put in."""
        seen = {c: value_fingerprint(v) for c, v in snapshot.get(self.row, {}).items()}
        for col, value in self.cells.items():
            seen[col] = value_fingerprint(raw_value(value))
        return {c: v for c, v in seen.items() if v is not None}


def row_writes(changes: Sequence[CellChange], sheet_ids: Mapping[str, int]) -> list[RowWrite]:
    by_row: dict[tuple[str, int], dict[int, CellValue]] = {}
    for change in changes:
        by_row.setdefault((change.sheet, change.row), {})[change.col] = change.value
    return [RowWrite(title, sheet_ids[title], row, cells) for (title, row), cells in by_row.items()]


def written_rows(response: Mapping[str, Any]) -> tuple[int, list[dict[int, Any]]]:
    """(top row number now, each row as column -> fingerprint) of one UpdateValuesByDataFilterResponse."""
    data = response.get("updatedData") or {}
    found = str(data.get("range") or response.get("updatedRange") or "")
    cells = found.rsplit("!", 1)[-1].split(":")[0]
    letters = "".join(ch for ch in cells if ch.isalpha()) or "A"
    digits = "".join(ch for ch in cells if ch.isdigit()) or "0"
    left = column_index(letters)
    lines = []
    for line in data.get("values") or []:
        seen = {left + j: value_fingerprint(v) for j, v in enumerate(line or [])}
        lines.append({c: v for c, v in seen.items() if v is not None})
    return int(digits), lines


def _fingerprints(line: Mapping[int, Any]) -> dict[int, Any]:
    seen = {c: value_fingerprint(v) for c, v in line.items()}
    return {c: v for c, v in seen.items() if v is not None}


@dataclass
class Misplaced:
    """A row whose write did not land as planned: the write, where the row is now, what it reads now."""

    write: RowWrite
    row_now: int
    now: dict[int, Any] = field(default_factory=dict)
    held: int | None = None  # a row written by position: the guard-read row its place held before the write


def check_writes(writes: Sequence[RowWrite], responses: Sequence[Mapping[str, Any]],
                 snapshots: Mapping[str, Grid]) -> list[Misplaced]:
    """The rows whose content after the write is not the guard read's plus what was written."""
    by_filter = {_filter_key(r.get("dataFilter") or {}): r for r in responses}
    by_row = {(w.sheet, w.row): w for w in writes}
    wrong = []
    for write in writes:
        response = by_filter.get(_filter_key(write.data_filter()))
        if response is None:
            continue  # the row was deleted meanwhile: its metadata went with it, nothing was written
        top, lines = written_rows(response)
        if write.with_row_above:
            lines = (lines + [{}, {}])[:2]
            above, now = lines
            grid = snapshots[write.sheet]
            before = _fingerprints(grid.get(write.row - 1, {}))
            neighbour = by_row.get((write.sheet, write.row - 1))  # written in this same request: either state
            after = neighbour.expected(grid) if neighbour is not None else before
            if above not in (before, after):
                # Rows inserted (k > 0) or deleted (k < 0) above: the row above is the guard's row - 1 - k.
                shifts = [k for k in range(-write.row, write.row + 1)
                          if above and _fingerprints(grid.get(write.row - 1 - k, {})) == above]
                wrong.append(Misplaced(write, top + 1, now, write.row - min(shifts, key=abs) if shifts else None))
            elif _without(now, write.spilled) != _without(write.expected(grid), write.spilled):
                wrong.append(Misplaced(write, top + 1, now))
            continue
        now = (lines or [{}])[0]
        if _without(now, write.spilled) != _without(write.expected(snapshots[write.sheet]), write.spilled):
            wrong.append(Misplaced(write, top, now))
    return wrong


def _without(line: Mapping[int, Any], columns: frozenset[int]) -> dict[int, Any]:
    return {c: v for c, v in line.items() if c not in columns}


def _filter_key(data_filter: Mapping[str, Any]) -> tuple[Any, ...]:
    lookup = data_filter.get("developerMetadataLookup") or {}
    grid = data_filter.get("gridRange") or {}
    return (lookup.get("metadataId"), grid.get("sheetId"), grid.get("startRowIndex"))


# --- putting misplaced cells back ---------------------------------------------------


def restore_ranges(misplaced: Sequence[Misplaced], snapshots: Mapping[str, Grid],
                   fresh: Mapping[str, Grid]) -> list[dict[str, Any]]:
    """DataFilterValueRanges (USER_ENTERED) that put back what the misplaced writes overwrote.

    For each cell written, the value it held just before: the guard read's value of the
    same column (matched by header) in the same row (matched by the cells not written).
    A column inserted meanwhile was blank: it is emptied.
    """
    ranges = []
    for item in misplaced:
        old, now = snapshots[item.write.sheet], fresh[item.write.sheet]
        if item.held is not None:  # a position write onto a row that slid there: it held guard row ``held``
            line = [None] * max(item.write.cells)
            for col in item.write.cells:
                line[col - 1] = _entered(old.get(item.held, {}).get(col))
            ranges.append(item.write.value_range(line))
            continue
        columns = column_map(old, now)
        written = set(item.write.cells)
        old_row = _old_row(item, old, now, columns, written)
        if old_row is None:
            continue
        line: list[Any] = [None] * max(written)
        for col in written:
            old_col = columns.get(col)
            before = old.get(old_row, {}).get(old_col) if old_col is not None else None
            if value_fingerprint(before) != value_fingerprint(now.get(item.row_now, {}).get(col)):
                line[col - 1] = _entered(before)
        if any(value is not None for value in line):
            ranges.append(item.write.value_range(line))
    return ranges


def column_map(old: Grid, now: Grid) -> dict[int, int]:
    """Column now -> column in the guard read, by aligning the header rows (the first row with 2+ cells)."""
    old_header = _header(old)
    width = 1 + max((c for grid in (old, now) for line in grid.values() for c in line), default=0)
    if old_header is None:
        return {c: c for c in range(1, width)}
    before = [value_fingerprint(old[old_header].get(c)) for c in range(1, width)]
    best: tuple[float, int] = (-1.0, -old_header)
    for row in sorted(now)[:20]:  # rows inserted above the header move it down
        ratio = SequenceMatcher(None, before, [value_fingerprint(now[row].get(c)) for c in range(1, width)]).ratio()
        best = max(best, (ratio, -row))
    after = [value_fingerprint(now.get(-best[1], {}).get(c)) for c in range(1, width)]
    mapping: dict[int, int] = {}
    for block in SequenceMatcher(None, before, after, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            mapping[block.b + k + 1] = block.a + k + 1
    return mapping


def grid_from_values(value_range: Mapping[str, Any]) -> Grid:
    """A values.batchGet ValueRange as row -> column -> value, empty cells left out."""
    found = str(value_range.get("range") or "").rsplit("!", 1)[-1].split(":")[0]
    letters = "".join(ch for ch in found if ch.isalpha()) or "A"
    top = int("".join(ch for ch in found if ch.isdigit()) or 1)
    grid: Grid = {}
    for r, line in enumerate(value_range.get("values") or [], start=top):
        for c, value in enumerate(line or [], start=column_index(letters)):
            if value_fingerprint(value) is not None:
                grid.setdefault(r, {})[c] = value
    return grid


def _header(grid: Grid) -> int | None:
    return next((r for r in sorted(grid) if len(grid[r]) >= 2), None)


def _old_row(item: Misplaced, old: Grid, now: Grid, columns: Mapping[int, int], written: set[int]) -> int | None:
    """The guard-read row whose cells are what row ``row_now`` holds now outside the written cells.

    The planned row is tried first; after a sort the row's cells may be another row's.
    0: the row holds nothing else (inserted meanwhile); None: no row matches (edited too).
    """
    line = now.get(item.row_now, {})
    kept = {columns[c]: value_fingerprint(line.get(c)) for c in columns if c not in written}
    for row in sorted(old, key=lambda r: r != item.write.row):
        if all(value_fingerprint(old[row].get(c)) == v for c, v in kept.items()):
            return row
    if all(v is None for v in kept.values()):
        return 0  # nothing else in the row: a row inserted meanwhile, blank before the write
    return None


def _entered(value: Any) -> str | float | int | bool:
    """A guard-read value as USER_ENTERED input that gives it back: text quoted, formulas as typed."""
    if value is None or value == "":
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return text if text.startswith("=") else "'" + text
