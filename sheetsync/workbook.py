"""The library API: open a campaign workbook, check or sync it, read its sheets as DataFrames.

The CLI is a thin shell over this module (STYLE.md: the library and its CLI are twins).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from . import contract
from .backends import open_backend
from .parse.cells import is_blank
from .parse.tables import locate_table
from .problems import Problem
from .sync import Backend, SyncReport, analyse, run
from .table import Formula, RawSheet
from .whatif import WhatIfReport, what_if

if TYPE_CHECKING:  # pandas costs a third of a second to import: only frames() needs it
    import pandas as pd


class Workbook:
    """A campaign workbook behind some backend (Excel file today; live Excel and Google Sheets later)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @property
    def target(self) -> str:
        return self.backend.target

    def __repr__(self) -> str:
        return f"<sheetsync.Workbook {self.target!r}>"

    def check(self, *, today: dt.date | None = None) -> SyncReport:
        """Compute and validate everything; write nothing."""
        return run(self.backend, today=today, action="check")

    def sync(self, *, today: dt.date | None = None, dry_run: bool = False, started_by: str = "api") -> SyncReport:
        """Recompute every computed cell and write the ones that changed (nothing at all if none did)."""
        return run(self.backend, today=today, dry_run=dry_run, started_by=started_by)

    def what_if(
        self, *, today: dt.date | None = None, launch: dt.date | None = None, delays: dict[str, int] | None = None
    ) -> WhatIfReport:
        """How a change request would move the launch, the milestones, the buffers and the risks; writes nothing."""
        return what_if(self.backend.read(), target=self.target, today=today, launch=launch, delays=delays)

    def frames(self, *, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
        """Every contract sheet as a DataFrame, computed columns filled as a sync would write them.

        Columns carry canonical English names (extra columns keep their own header); the
        index is the sheet row number, so a row can be found in the workbook again.
        """
        raw = self.backend.read()
        analysis = analyse(raw, today=today)
        out: dict[str, pd.DataFrame] = {}
        for spec in contract.SHEETS:
            if spec.name == "Problems":
                out[spec.name] = problems_frame(analysis.problems)
                continue
            sink: list[Problem] = []
            view = locate_table(raw, spec, sink, required=False)
            if view is None:
                continue
            sheet = _with_changes(view.sheet, analysis.desired.get(view.title, {}))
            out[spec.name] = _frame(sheet, view.header_row, view.columns | view.new_columns, spec)
        return out

    def frame(self, sheet: str, *, today: dt.date | None = None) -> pd.DataFrame:
        """One sheet (canonical or Chinese name) as a DataFrame; see frames()."""
        frames = self.frames(today=today)
        for spec in contract.SHEETS:
            if spec.matches(sheet) and spec.name in frames:
                return frames[spec.name]
        raise KeyError(f"no sheet {sheet!r} in {self.target}")


def open(  # noqa: A001 - mirrors builtins.open on purpose
    target: str | os.PathLike, *, force: bool = False, credentials: str | None = None
) -> Workbook:
    """Open a campaign workbook: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY."""
    return Workbook(open_backend(target, force=force, credentials=credentials))


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([p.as_dict() for p in problems], columns=["sheet", "cell", "problem", "fix"])


def _with_changes(sheet: RawSheet, desired: dict) -> RawSheet:
    cells = dict(sheet.cells)
    for key, value in desired.items():
        if value is None:
            cells.pop(key, None)
        else:
            cells[key] = value
    return RawSheet(sheet.name, cells, list(sheet.merged), sheet.sheet_id)


def _frame(sheet: RawSheet, header_row: int, columns: dict[str, int], spec: contract.SheetSpec) -> pd.DataFrame:
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
    records, index = [], []
    for row in range(header_row + 1, sheet.max_row + 1):
        values = {}
        for col, name in headers.items():
            value = sheet.value(row, col)
            values[name] = value.cached if isinstance(value, Formula) else value
        if all(is_blank(v) for v in values.values()):
            continue
        records.append(values)
        index.append(row)
    frame = pd.DataFrame(records, columns=list(headers.values()), index=pd.Index(index, name="row"))
    for column in spec.columns:
        if column.kind == "date" and column.name in frame:
            frame[column.name] = pd.to_datetime(frame[column.name], errors="coerce")
    return frame
