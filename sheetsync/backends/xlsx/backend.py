"""The Excel file backend: read an .xlsx/.xlsm in one pass, write computed cells back without losing anything.

No Excel is needed. Reading streams the package (read.py) and remembers what
file it read (a Fingerprint); writing patches only the worksheet XML the
changes touch and copies every other part as it was (write.py), then swaps the
file in atomically with a backup beside it, only if the file is still the one
read (safe_save.py). A sync holds the workbook's lock from read to write, so
two syncs of one book take turns. A workbook that Excel or LibreOffice has open
is read as last saved (``note`` says so) but never written unless forced
(locks.py): a sync refuses as it takes the lock, before reading.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence

from ...errors import SheetMovedError, SheetsyncError, TargetError, WriteError
from ...flag_colours import ColourFix
from ...i18n import _
from ...raw import CellChange, RawWorkbook
from .locks import OpenElsewhere, lock_timeout, open_elsewhere, refuse_if_open_elsewhere, workbook_lock
from .package import PACKAGE_ERRORS, damaged, open_package, read_workbook_map
from .read import read_workbook
from .safe_save import (
    Fingerprint,
    backup_path,
    commit,
    fingerprint,
    real_path,
    refuse_if_read_only,
    remove_leftovers,
    stage,
)
from .write import plan_parts, write_package

__all__ = ["XlsxFileBackend", "open_xlsx"]


class XlsxFileBackend:
    """An .xlsx/.xlsm workbook on disk, read and written the way sheetsync needs.

    ``lock_timeout``: seconds to wait for another sync of the same workbook
    (default $SHEETSYNC_LOCK_TIMEOUT, else 30); ``redo_limit``: how many times in
    a row the file may change under a write before the write gives up.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        force: bool = False,
        keep_backup: bool = True,
        lock_timeout: float | None = None,
        redo_limit: int = 3,
    ) -> None:
        self.target: str = os.fspath(path)
        self.force = force
        self.keep_backup = keep_backup
        self.lock_timeout = lock_timeout
        self.redo_limit = redo_limit
        self._seen: Fingerprint | None = None
        self._lock_depth = 0
        self._lock_held = False
        self._conflicts = 0
        self._opened_by: OpenElsewhere | None = None  # who had the book open at the last read()

    def __repr__(self) -> str:
        return f"XlsxFileBackend({self.target!r})"

    @property
    def note(self) -> str | None:
        """What the last read() has to say about how it read (Excel had the book open), worded when asked:
        a command says it in the book's language, which is known only after the read."""
        return self._opened_by.note() if self._opened_by is not None else None

    @property
    def identity(self) -> str:
        """The file's resolved real path (Backend.identity): the same from any folder, through any symlink."""
        return "file:" + str(real_path(self.target))

    @property
    def backup(self) -> str:
        """Where the previous version is kept after a write (campaign.xlsx → campaign.bak.xlsx, beside the file)."""
        return str(backup_path(real_path(self.target)))

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the workbook's sync lock (re-entrant): another sync of it waits, then reads what this one wrote.

        Only a sync takes it, so this is where a workbook open in Excel or LibreOffice
        is refused (unless forced): before anything is read or computed.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        refuse_if_open_elsewhere(self.target, self.force)
        with workbook_lock(real_path(self.target), lock_timeout(self.lock_timeout)) as held:
            self._lock_depth, self._lock_held = 1, held
            try:
                yield
            finally:
                self._lock_depth, self._lock_held = 0, False

    def read(self) -> RawWorkbook:
        """Every worksheet's cells, in tab order; TargetError when the file is not a readable workbook.

        A workbook open in Excel or LibreOffice is read as it was last saved, and ``note``
        says so in one line (None when nothing needs saying).
        """
        self._opened_by = open_elsewhere(self.target)
        try:
            seen: Fingerprint | None = fingerprint(self.target)  # before parsing: what is parsed is at least this new
        except OSError:
            seen = None  # reading it says what is wrong
        workbook = read_workbook(self.target)
        self._seen = seen
        return workbook

    def write(self, changes: Sequence[CellChange], colours: Sequence[ColourFix] = ()) -> None:
        """Apply the changes and colour fixes and save atomically; cells hidden inside a merged range are skipped.

        Nothing is written (not even a backup) when there is nothing to change.
        Raises SheetMovedError (nothing written) when the file changed since read();
        after ``redo_limit`` of those in a row, a WriteError that says so.
        """
        changes, colours = list(changes), list(colours)
        if not changes and not colours:
            return
        with self.exclusive():
            refuse_if_open_elsewhere(self.target, self.force)
            real = real_path(self.target)
            refuse_if_read_only(self.target, real)
            if self._lock_held:
                remove_leftovers(real)
            seen, self._seen = self._seen, None  # the next write needs a fresh read
            try:
                self._save(real, changes, colours, seen)
            except SheetMovedError:
                self._conflicts += 1
                if self._conflicts >= self.redo_limit:
                    self._conflicts = 0
                    raise WriteError(
                        _(
                            "{name} kept changing while sheetsync was about to save it ({tries} tries); "
                            "nothing was written. Run sync again when editing pauses.",
                            name=os.path.basename(self.target), tries=self.redo_limit,
                        )
                    ) from None
                raise
            self._conflicts = 0

    def _save(
        self, real: os.PathLike[str], changes: list[CellChange], colours: list[ColourFix], seen: Fingerprint | None
    ) -> None:
        name = os.path.basename(self.target)
        target = os.fspath(real)
        if seen is None:  # written without a read first: at least no save made from this moment on is lost
            with contextlib.suppress(OSError):
                seen = fingerprint(self.target)
        with open_package(self.target) as zf:
            try:
                book = read_workbook_map(zf, self.target)
            except TargetError:
                raise
            except PACKAGE_ERRORS as exc:
                raise damaged(self.target, exc) from exc
            try:
                parts = plan_parts(zf, book, changes, name, colours)
            except SheetsyncError:
                raise
            except Exception as exc:
                raise WriteError(
                    _("Could not save {name}: {error}; the workbook is unchanged.", name=name, error=exc)
                ) from exc
            if not parts:
                return
            assert seen is not None  # open_package succeeded, so the file was readable
            temp = stage(target, lambda out: write_package(zf, parts, out))
        commit(temp, target, seen, self.keep_backup)


def open_xlsx(path: str | os.PathLike[str], force: bool = False) -> XlsxFileBackend:
    """The backend for an .xlsx/.xlsm path (the file is only opened by read() or write())."""
    return XlsxFileBackend(path, force=force)
