"""Save a workbook so that a crash, a kill, a full disk or someone else's save never loses a version.

The new package is written to a temp file of its own (tempfile.mkstemp, so two
saves never share one) in the workbook's folder (same file system, so the final
rename is atomic), forced to disk, given the workbook's owner, group and mode,
and only then renamed over it. The previous version is first copied, byte for
byte, to `<stem>.bak<suffix>` (a real copy: a hard link would be the same file
as the workbook, and an edit saved into it later would be lost with the next
backup). While copying it is hashed: if the workbook is no longer what sheetsync
read (size, mtime_ns and SHA-256, `Fingerprint`), nothing is renamed and
SheetMovedError tells the sync to read and plan again, so a save made meanwhile
by another program, or through a handle opened before the sync, is never
overwritten. A symlink is written through to its target (the link stays a
link), and a read-only workbook is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ...errors import SheetMovedError, WriteError
from ...i18n import _

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Fingerprint:
    """What a workbook file was when sheetsync read it; a save only replaces the same file."""

    size: int
    mtime_ns: int
    sha256: str


def _stat_key(info: os.stat_result) -> tuple[int, int]:
    return info.st_size, info.st_mtime_ns


def _hash_stream(source: BinaryIO, copy_to: BinaryIO | None = None) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest()


def fingerprint(path: str | os.PathLike[str]) -> Fingerprint:
    """Size, mtime_ns and SHA-256 of the file at path (OSError when it cannot be read)."""
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        return Fingerprint(info.st_size, info.st_mtime_ns, _hash_stream(fh))


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a save must replace: a symlink's final target, so the link stays a link."""
    return Path(os.path.realpath(path))


def backup_path(path: str | os.PathLike[str]) -> Path:
    """campaign.xlsx → campaign.bak.xlsx, beside it (Excel still opens it by its suffix)."""
    workbook = Path(path)
    return workbook.with_name(f"{workbook.stem}.bak{workbook.suffix}")


def scratch_prefix(path: str | os.PathLike[str]) -> str:
    """The name every scratch file of this workbook starts with (temp files here, the lock in locks.py)."""
    return f".~sheetsync-{Path(path).name}."


def remove_leftovers(path: Path) -> None:
    """Delete temp files a killed save left beside the workbook; only safe while holding the sync lock.

    Only this workbook's own (mkstemp's 8 random characters, or the older fixed names):
    `.~sheetsync-a.xlsx.xlsx.lock` belongs to another workbook and must stay.
    """
    leftover = re.compile(re.escape(scratch_prefix(path)) + r"(?:[a-z0-9_]{8}\.)?(?:tmp|bak)")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if leftover.fullmatch(entry.name):
                _remove_quietly(Path(entry.path))


def refuse_if_read_only(shown: str, path: Path) -> None:
    """Raise WriteError, naming the file and the fix, when the workbook may not be written (before anything is)."""
    try:
        info = os.stat(path)
    except OSError:
        return  # opening it will say what is wrong
    if info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) and os.access(path, os.W_OK):
        return
    mode = f"{stat.S_IMODE(info.st_mode):04o}"
    raise WriteError(
        _(
            "{name} is read-only (mode {mode}); nothing was written. "
            "Make it writable (chmod u+w {path}, or untick Read-only in its Properties) and sync again.",
            name=os.path.basename(shown), mode=mode, path=shown,
        )
    )


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


def _like_original(temp: Path, original: os.stat_result) -> None:
    """Give a new file the workbook's owner, group and mode (owner only where allowed: root, or the owner)."""
    if hasattr(os, "chown"):
        mine = os.stat(temp)
        if (mine.st_uid, mine.st_gid) != (original.st_uid, original.st_gid):
            try:
                os.chown(temp, original.st_uid, original.st_gid)
            except PermissionError:
                with contextlib.suppress(OSError):
                    os.chown(temp, -1, original.st_gid)  # the group, at least, when we are one of its members
    os.chmod(temp, stat.S_IMODE(original.st_mode))


def _new_scratch(workbook: Path, purpose: str) -> tuple[BinaryIO, Path]:
    fd, name = tempfile.mkstemp(prefix=scratch_prefix(workbook), suffix=f".{purpose}", dir=workbook.parent)
    return os.fdopen(fd, "wb"), Path(name)


def stage(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write the new version to a fresh temp file beside the workbook and force it to disk; return its path."""
    workbook = Path(path)
    temp: Path | None = None
    try:
        fh, temp = _new_scratch(workbook, "tmp")
        with fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _like_original(temp, os.stat(workbook))
    except Exception as exc:
        if temp is not None:
            _remove_quietly(temp)
        raise WriteError(
            _("Could not save {name}: {error}; the workbook is unchanged.", name=workbook.name, error=exc)
        ) from exc
    return temp


def _copy_for_backup(workbook: Path) -> tuple[Path, Fingerprint]:
    """A byte-for-byte copy of the workbook as it is now, and the fingerprint of what was copied."""
    fh, temp = _new_scratch(workbook, "bak")
    try:
        with fh, open(workbook, "rb") as source:
            info = os.fstat(source.fileno())
            digest = _hash_stream(source, fh)
            fh.flush()
            os.fsync(fh.fileno())
        _like_original(temp, info)
    except BaseException:
        _remove_quietly(temp)
        raise
    return temp, Fingerprint(info.st_size, info.st_mtime_ns, digest)


def _changed(workbook: Path) -> SheetMovedError:
    return SheetMovedError(
        _(
            "{name} changed on disk after sheetsync read it (someone saved it meanwhile); "
            "nothing was written, read and plan again.",
            name=workbook.name,
        )
    )


def commit(temp: Path, path: str | os.PathLike[str], seen: Fingerprint, keep_backup: bool) -> None:
    """Swap the staged file in for the workbook, if it is still the file read (`seen`); else nothing changes.

    Raises SheetMovedError when the workbook changed since it was read, WriteError when the swap fails.
    """
    workbook = Path(path)
    backup: Path | None = None
    try:
        if keep_backup:
            backup, now = _copy_for_backup(workbook)
        else:
            now = fingerprint(workbook)
        # The hash above proves the content; size and mtime again, just before the renames, catch a save since.
        if now != seen or _stat_key(os.stat(workbook)) != (seen.size, seen.mtime_ns):
            raise _changed(workbook)
        if backup is not None:
            os.replace(backup, backup_path(workbook))
        os.replace(temp, workbook)
    except Exception as exc:
        _remove_quietly(temp)
        if backup is not None:
            _remove_quietly(backup)
        if isinstance(exc, SheetMovedError):
            raise
        raise WriteError(
            _("Could not save {name}: {error}; the workbook is unchanged.", name=workbook.name, error=exc)
        ) from exc
    _fsync_directory(workbook.parent)
