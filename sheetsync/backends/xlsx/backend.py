"""The Excel file backend: read an .xlsx/.xlsm in one pass, write computed cells back without losing anything.

No Excel is needed. Reading streams the package (read.py); writing patches
only the worksheet XML the changes touch and copies every other part as it
was (write.py), then swaps the file in atomically with a backup beside it
(safe_save.py). A workbook that Excel has open is refused unless forced.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ...errors import SheetsyncError, TargetError, WriteError
from ...raw import CellChange, RawWorkbook
from .package import PACKAGE_ERRORS, damaged, open_package, read_workbook_map
from .read import read_workbook
from .safe_save import backup_path, commit, refuse_if_open_in_excel, stage
from .write import plan_parts, write_package

__all__ = ["XlsxFileBackend", "open_xlsx"]


class XlsxFileBackend:
    """An .xlsx/.xlsm workbook on disk, read and written the way sheetsync needs."""

    def __init__(self, path: str | os.PathLike[str], *, force: bool = False, keep_backup: bool = True) -> None:
        self.target: str = os.fspath(path)
        self.force = force
        self.keep_backup = keep_backup

    def __repr__(self) -> str:
        return f"XlsxFileBackend({self.target!r})"

    @property
    def backup(self) -> str:
        """Where the previous version is kept after a write (campaign.xlsx → campaign.bak.xlsx)."""
        return str(backup_path(self.target))

    def read(self) -> RawWorkbook:
        """Every worksheet's cells, in tab order; TargetError when the file is not a readable workbook."""
        refuse_if_open_in_excel(self.target, self.force)
        return read_workbook(self.target)

    def write(self, changes: Sequence[CellChange]) -> None:
        """Apply the changes and save atomically; cells hidden inside a merged range are skipped.

        Nothing is written (not even a backup) when there is nothing to change.
        """
        changes = list(changes)
        if not changes:
            return
        refuse_if_open_in_excel(self.target, self.force)
        name = os.path.basename(self.target)
        with open_package(self.target) as zf:
            try:
                book = read_workbook_map(zf, self.target)
            except TargetError:
                raise
            except PACKAGE_ERRORS as exc:
                raise damaged(self.target, exc) from exc
            try:
                parts = plan_parts(zf, book, changes, name)
            except SheetsyncError:
                raise
            except Exception as exc:
                raise WriteError(f"Could not save {name}: {exc}; the workbook is unchanged.") from exc
            if not parts:
                return
            temp = stage(self.target, lambda out: write_package(zf, parts, out))
        commit(temp, self.target, self.keep_backup)


def open_xlsx(path: str | os.PathLike[str], force: bool = False) -> XlsxFileBackend:
    """The backend for an .xlsx/.xlsm path (the file is only opened by read() or write())."""
    return XlsxFileBackend(path, force=force)
