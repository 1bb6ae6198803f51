"""The contract sheets as pandas DataFrames (Workbook.frames): values as the engine read them.

Separate from workbook.py so that the library's commands do not carry the
frame-building code; pandas itself is imported only when a frame is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import contract
from .parse.cells import CellError, is_blank, to_choice, to_date, to_days, to_id, to_ids
from .problems import Problem
from .raw import CellValue, Formula, RawSheet

if TYPE_CHECKING:
    import pandas as pd


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([p.as_dict() for p in problems], columns=["sheet", "cell", "problem", "fix"])


def with_changes(sheet: RawSheet, desired: dict) -> RawSheet:
    cells = dict(sheet.cells)
    for key, value in desired.items():
        if value is None:
            cells.pop(key, None)
        else:
            cells[key] = value
    return RawSheet(sheet.name, cells, list(sheet.merged), sheet.sheet_id)


def sheet_frame(sheet: RawSheet, header_row: int, columns: dict[str, int], spec: contract.SheetSpec) -> pd.DataFrame:
    import pandas as pd

    by_col = {col: name for name, col in columns.items()}
    headers: dict[int, str] = {}
    for col in range(1, sheet.max_col + 1):
        if col in by_col:
            headers[col] = by_col[col]
        else:
            value = sheet.value(header_row, col)
            if not is_blank(value):
                headers[col] = str(value)
    readers = {name: _reader(spec.column(name)) for name in columns}
    records, index = [], []
    for row in sheet.filled_rows(header_row):
        values = {}
        for col, name in headers.items():
            value = sheet.value(row, col)
            values[name] = value.cached if isinstance(value, Formula) else value
        if all(is_blank(v) for v in values.values()):
            continue
        records.append({name: _as_read(value, readers.get(name)) for name, value in values.items()})
        index.append(row)
    frame = pd.DataFrame(records, columns=list(headers.values()), index=pd.Index(index, name="row"))
    for column in spec.columns:
        if column.name not in columns:
            continue
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
        elif column.kind in ("days", "int"):  # Variance's "not in baseline" is no number: empty here
            frame[column.name] = pd.to_numeric(frame[column.name], errors="coerce").astype("Int64")
    return frame


_FLAG_WORDS = {flag.name: flag.zh for flag in contract.FLAGS}


def _reader(column: contract.Column) -> Callable[[CellValue], object] | None:
    """The parse layer's reader the engine reads `column` with; None: the column is shown as typed."""
    choices = column.choices
    if column.kind == "date":
        return to_date
    if column.name == "Flag":  # written in the book's language; the canonical word, like Status
        return lambda value: contract.canonical_choice(value, _FLAG_WORDS) or value
    if column.computed:  # sheetsync's own numbers (Slack may be negative): as written
        return None
    if column.kind in ("days", "int"):
        return to_days
    if column.kind == "ids":
        return to_ids
    if choices is not None:
        return lambda value: to_choice(value, choices)
    if column.name == "ID":
        return to_id
    return None


def _as_read(value: CellValue, reader: Callable[[CellValue], object] | None) -> object:
    """A cell as the engine read it: a cell it could not read is empty here (the Problems frame says why)."""
    if reader is None or is_blank(value):
        return value
    try:
        return reader(value)
    except CellError:
        return None


__all__ = ["problems_frame", "sheet_frame", "with_changes"]
