"""Who else has the workbook: other syncs (an OS advisory lock), Excel (`~$NAME`) and LibreOffice (`.~lock.NAME#`).

Two syncs of one book at once (a cron run and a button click) must not both
read the old file and both save: one write would be lost. So a sync holds an
exclusive advisory lock (flock on POSIX, msvcrt.locking on Windows) from its
read to its rename, on `.~sheetsync-NAME.lock` beside the book: the `.~`
prefix hides it on POSIX and makes file-sync tools (Dropbox, OneDrive) treat it
as a temporary file, like LibreOffice's own `.~lock.NAME#`; the `sheetsync-`
part matches the scratch files safe_save.py writes, so one glob finds them all.
A later sync waits for it (bounded) and then reads the new file.

The lock file is removed on release, while still held, and a sync that wins
the lock checks that the file it locked is still the one at that name, or it
tries again: removing a lock file is what lets two processes both think they
hold it (one locked the old inode, the other a new file), and this check is
what closes that gap. The OS drops the lock when a process dies, so a killed
sync never leaves the book locked; at worst an empty lock file.

Excel and LibreOffice only announce an open workbook with an owner file; they
cannot be locked out, so a sync refuses to write (unless forced) while one is
there (so do `baseline` and `whatif --record`, which write). Reading is never refused: a PM keeps
the book open all day, and `check`, `whatif` and `digest` read the last saved version, with a note saying so.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import WorkbookLockedError
from ...i18n import _

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    _REMOVE_WHILE_HELD = False  # Windows cannot remove an open file; removing it after closing is safe there
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    _REMOVE_WHILE_HELD = True

#: Seconds a sync waits for another sync of the same workbook; SHEETSYNC_LOCK_TIMEOUT overrides it.
DEFAULT_LOCK_TIMEOUT = 30.0
_POLL = 0.05


def lock_path(workbook: str | os.PathLike[str]) -> Path:
    """campaign.xlsx → .~sheetsync-campaign.xlsx.lock, beside it."""
    path = Path(workbook)
    return path.with_name(f".~sheetsync-{path.name}.lock")


def lock_timeout(value: float | None = None) -> float:
    """The wait for a busy workbook: the caller's value, else $SHEETSYNC_LOCK_TIMEOUT, else the default."""
    if value is not None:
        return max(0.0, float(value))
    try:
        return max(0.0, float(os.environ.get("SHEETSYNC_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def _open_lock_file(path: Path) -> int | None:
    """A descriptor on the lock file (created if need be); None when the folder cannot hold one (read-only)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        pass
    except OSError:
        return None
    try:  # another user's lock file in a shared folder: a read-only descriptor can be locked too
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


@contextlib.contextmanager
def workbook_lock(workbook: str | os.PathLike[str], timeout: float) -> Iterator[bool]:
    """Hold the workbook's sync lock; yields whether it is held (False: the folder cannot hold a lock file).

    Raises WorkbookLockedError when another sync still holds it after `timeout` seconds.
    A folder where no lock file can be made is one where no save can be made either,
    so the sync goes on and a write fails with its own message.
    """
    path = lock_path(workbook)
    deadline = time.monotonic() + timeout
    while True:
        fd = _open_lock_file(path)
        if fd is None:
            yield False
            return
        if _try_lock(fd):
            if _same_file(fd, path):
                break
            os.close(fd)  # its holder removed it after we opened it: lock the file now at that name
            continue
        os.close(fd)
        if time.monotonic() >= deadline:
            seconds = f"{timeout:g}"
            raise WorkbookLockedError(
                _(
                    "{name} is busy: another sheetsync is syncing it (lock file {lock}) and did not finish "
                    "within {seconds} s; try again later, or set SHEETSYNC_LOCK_TIMEOUT to wait longer.",
                    name=Path(workbook).name, lock=path.name, seconds=seconds,
                )
            )
        time.sleep(_POLL)
    try:
        yield True
    finally:
        if _REMOVE_WHILE_HELD:
            with contextlib.suppress(OSError):
                path.unlink()
        _unlock(fd)
        os.close(fd)
        if not _REMOVE_WHILE_HELD:
            with contextlib.suppress(OSError):
                path.unlink()  # fails, harmlessly, while another process has it open


def excel_lock_file(path: str | os.PathLike[str]) -> Path | None:
    """The `~$` owner file Excel keeps beside a workbook it has open, if there is one.

    Excel names it `~$` + the file name, but for longer names it overwrites the
    first two characters instead, so both spellings are checked.
    """
    workbook = Path(path)
    names = [f"~${workbook.name}"]
    if len(workbook.stem) > 2:
        names.append(f"~${workbook.name[2:]}")
    for name in names:
        candidate = workbook.with_name(name)
        if candidate.exists():
            return candidate
    return None


def libreoffice_lock_file(path: str | os.PathLike[str]) -> Path | None:
    """The `.~lock.NAME#` file LibreOffice (and OpenOffice) keeps beside a document it has open, if there is one."""
    candidate = Path(path).with_name(f".~lock.{Path(path).name}#")
    return candidate if candidate.exists() else None


def _libreoffice_user(lock: Path) -> str:
    """Who LibreOffice says has it open: the first field of its lock file (`Name,host,user,date,profile;`)."""
    try:
        first = lock.read_text(encoding="utf-8", errors="replace").split(",", 1)[0].strip()
    except OSError:
        return ""
    return first if first and first.isprintable() and len(first) <= 80 else ""


@dataclass(frozen=True)
class OpenElsewhere:
    """Excel or LibreOffice has the workbook open: which editor, its owner file, and who (LibreOffice says)."""

    workbook: str  # the workbook's file name
    editor: str  # "Excel" or "LibreOffice"
    lock_file: str  # the owner file's name
    user: str = ""

    def refusal(self) -> str:
        """Why a write is refused, and what to do."""
        if self.user:
            return _(
                "{name} is open in {editor} by {user} (lock file {lock}); "
                "close it there, or pass --force to sync anyway.",
                name=self.workbook, editor=self.editor, user=self.user, lock=self.lock_file,
            )
        return _(
            "{name} is open in {editor} (lock file {lock}); close it there, or pass --force to sync anyway.",
            name=self.workbook, editor=self.editor, lock=self.lock_file,
        )

    def note(self) -> str:
        """One line for a command that only reads: it read what was last saved."""
        return _(
            "{editor} has this book open ({lock}): read the last saved version",
            editor=self.editor, lock=self.lock_file,
        )


def open_elsewhere(path: str | os.PathLike[str]) -> OpenElsewhere | None:
    """Whether Excel or LibreOffice has the workbook open (its owner file is beside it).

    A symlinked workbook is checked under both names: the editor may have opened either.
    """
    names = [Path(path)]
    real = Path(os.path.realpath(path))
    if real != Path(os.path.abspath(path)):
        names.append(real)
    for workbook in names:
        lock = excel_lock_file(workbook)
        if lock is not None:
            return OpenElsewhere(workbook.name, "Excel", lock.name)
        lock = libreoffice_lock_file(workbook)
        if lock is not None:
            return OpenElsewhere(workbook.name, "LibreOffice", lock.name, _libreoffice_user(lock))
    return None


def refuse_if_open_elsewhere(path: str | os.PathLike[str], force: bool) -> None:
    """Raise WorkbookLockedError when Excel or LibreOffice has the workbook open, unless the caller forces it.

    Only a write is refused: the editor keeps its changes in memory and saves over the file
    later, so what sheetsync wrote would be lost. Reading the last saved version is safe.
    """
    if force:
        return
    other = open_elsewhere(path)
    if other is not None:
        raise WorkbookLockedError(other.refusal(), reword=other.refusal)
