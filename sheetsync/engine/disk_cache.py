"""The user's cache folder, where answers that depend only on installed data are kept between processes.

A fresh process per Sync click pays for every start: the rule packs' prepared regexes
(compliance_cache) and each country-year's holidays (calendar) are worked out once and kept
here. Whatever is found here is checked against its key by the caller; a missing, unreadable
or unwritable folder is never an error, the work is simply done again.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import stat
import tempfile
from pathlib import Path

CACHE_ENV = "SHEETSYNC_CACHE_DIR"


def cache_dir() -> Path:
    """Where answers are kept: `$SHEETSYNC_CACHE_DIR`, else the user cache folder's sheetsync."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sheetsync"


def installed(package: str) -> str:
    """Which copy of a package is installed, without importing it: its entry file's path, size and modification
    time (pip rewrites it on an upgrade), or "PACKAGE|-" when it is not installed. Kept answers that depend on
    what a package reads or spells carry this in their key."""
    spec = importlib.util.find_spec(package)
    origin = spec.origin if spec is not None else None
    try:
        found = os.stat(origin) if origin else None
    except OSError:
        found = None
    return f"{package}|{origin}|{found.st_size}|{found.st_mtime_ns}" if found else f"{package}|-"


def read(path: Path) -> bytes | None:
    """A kept file's bytes, or None: missing, unreadable, or one that someone else could have written.

    What is kept here is read back with marshal and trusted (findings that clear a text, the variable a
    webhook is read from); a cache folder set to a shared place must not let another user plant answers.
    On POSIX the file must be the user's own and writable by no one else, as `keep` writes it.
    """
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            foreign = os.name == "posix" and (info.st_uid != os.geteuid() or shared)
            if foreign or not stat.S_ISREG(info.st_mode):
                return None
            return file.read()
    except OSError:
        return None


def load(path: Path) -> object:
    """A kept file's marshal value, or None: missing, unreadable, someone else's (see `read`) or damaged."""
    data = read(path)
    if data is None:
        return None
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


def keep(path: Path, data: bytes) -> None:
    """Write atomically (another process may be reading); a folder that cannot be written is no error."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
