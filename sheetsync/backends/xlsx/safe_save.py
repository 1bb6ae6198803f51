"""Save a workbook so that a crash, a kill or a full disk never leaves half a file.

The new package is written to a temp file beside the workbook (same file
system, so the final rename is atomic), forced to disk, and only then renamed
over the original. The previous version is kept as `<stem>.bak<suffix>` by a
hard link, so there is no moment at which the workbook's own name is missing.
Also here: Excel's lock file check, because saving over a workbook that Excel
has open loses whichever side saves last.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ...errors import WorkbookLockedError, WriteError


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


def refuse_if_open_in_excel(path: str | os.PathLike[str], force: bool) -> None:
    """Raise WorkbookLockedError when Excel has the workbook open, unless the caller forces it."""
    if force:
        return
    lock = excel_lock_file(path)
    if lock is not None:
        name = Path(path).name
        raise WorkbookLockedError(
            f"{name} is open in Excel (lock file {lock.name}); close it there, or pass --force to sync anyway."
        )


def backup_path(path: str | os.PathLike[str]) -> Path:
    """campaign.xlsx → campaign.bak.xlsx, beside it (Excel still opens it by its suffix)."""
    workbook = Path(path)
    return workbook.with_name(f"{workbook.stem}.bak{workbook.suffix}")


def temp_path(path: str | os.PathLike[str], purpose: str = "tmp") -> Path:
    """The hidden scratch file beside the workbook; a leftover from a killed run is simply overwritten."""
    workbook = Path(path)
    return workbook.with_name(f".~sheetsync-{workbook.name}.{purpose}")


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable; not every OS can open a directory, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Point `<stem>.bak<suffix>` at the current workbook, replacing an older backup atomically."""
    staged = temp_path(path, "bak")
    _remove_quietly(staged)
    try:
        os.link(path, staged)  # the old bytes stay reachable after the workbook's name moves on
    except OSError:
        shutil.copy2(path, staged)  # file systems without hard links (FAT, some network shares)
    os.replace(staged, backup_path(path))


def stage(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write the new version to the temp file and force it to disk; return the temp path."""
    workbook = Path(path)
    temp = temp_path(workbook)
    try:
        with open(temp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            shutil.copymode(workbook, temp)
    except Exception as exc:
        _remove_quietly(temp)
        raise WriteError(f"Could not save {workbook.name}: {exc}; the workbook is unchanged.") from exc
    return temp


def commit(temp: Path, path: str | os.PathLike[str], keep_backup: bool) -> None:
    """Swap the staged file in for the workbook (keeping a backup first); on failure nothing changes."""
    workbook = Path(path)
    try:
        if keep_backup:
            _keep_backup(workbook)
        os.replace(temp, workbook)
    except Exception as exc:
        _remove_quietly(temp)
        _remove_quietly(temp_path(workbook, "bak"))
        raise WriteError(f"Could not save {workbook.name}: {exc}; the workbook is unchanged.") from exc
    _fsync_directory(workbook.parent)
