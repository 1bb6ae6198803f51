"""Per-sheet bearer tokens for `sheetsync serve`: issued once, stored hashed, compared in constant time.

A token is 32 random bytes (secrets.token_urlsafe), shown once to whoever runs
`sheetsync serve token add KEY` and never again. The file under the state folder keeps
only its SHA-256 digest, the sheet KEY it opens, when it was made and a short id
(the digest's first 8 hex digits) that the access log and `token list` may show:
anyone who reads the file or a log line learns nothing that lets them call the service.
The file is rewritten atomically (temporary file, then rename) with mode 600, and the
running service rereads it when it changes, so a revoke takes effect at the next request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..i18n import _

TOKENS_FILE = "serve-tokens.json"
CHANGE_WAIT = 10.0  # seconds an add or revoke waits for another process's (each takes milliseconds)


@dataclass(frozen=True)
class TokenRecord:
    """One issued token as stored: never the token itself."""

    key: str  # the Google Sheet's key it opens
    id: str  # first 8 hex digits of the digest: safe to log and list
    digest: str  # SHA-256 hex of the token
    created: str  # ISO time, UTC

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "id": self.id, "sha256": self.digest, "created": self.created}


def sheet_key(text: str) -> str:
    """The sheet's key from KEY, gsheet:KEY or the sheet's address; UsageError for anything else."""
    from ..backends.gsheets.address import spreadsheet_key

    text = text.strip()
    key = spreadsheet_key(text) or spreadsheet_key(f"gsheet:{text}")
    if key is None:
        raise UsageError(_("{text} is not a Google Sheet: give its key (the part of its address after /d/), "
                           "gsheet:KEY or its address.", text=repr(text)))
    return key


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """The tokens of one state folder (`--state DIR`): add, revoke, list, and verify a presented token."""

    def __init__(self, state_dir: str | os.PathLike[str]) -> None:
        self.path = Path(state_dir) / TOKENS_FILE
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None  # (inode, mtime_ns, size) of the file last read
        self._records: list[TokenRecord] = []

    # --- the administrator's side: the CLI ---

    def add(self, key: str) -> str:
        """Issue a token for the sheet ``key``; returns the token, which is stored only as its digest."""
        key = sheet_key(key)
        token = secrets.token_urlsafe(32)
        digest = token_digest(token)
        created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with self._changing():
            records = self._load()
            records.append(TokenRecord(key, digest[:8], digest, created))
            self._save(records)
        return token

    def revoke(self, key: str) -> int:
        """Remove every token of the sheet ``key``; returns how many there were."""
        key = sheet_key(key)
        with self._changing():
            records = self._load()
            kept = [r for r in records if r.key != key]
            if len(kept) != len(records):
                self._save(kept)
        return len(records) - len(kept)

    def list(self) -> list[TokenRecord]:  # noqa: A003 - the CLI's word
        """Every stored token record (key, id, created; the digest too, never the token)."""
        with self._lock:
            return list(self._load())

    def keys(self) -> set[str]:
        """The sheets some token opens."""
        return {r.key for r in self.list()}

    # --- the service's side ---

    def verify(self, token: str) -> TokenRecord | None:
        """The record the presented token matches, or None; compared with every record in constant time."""
        presented = token_digest(token)
        found = None
        for record in self.list():
            if hmac.compare_digest(presented, record.digest):  # no early exit: timing says nothing
                found = record
        return found

    # --- the file ---

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold this store's lock and the folder's lock file while the file is read, changed and replaced.

        Two processes on one state folder (two `token add`, or one beside a running service's
        revoke) would otherwise each read the same file and the second replace would drop the
        first's token. The record cache is dropped too: a replaced file may reuse the old one's
        inode, size and (coarse) mtime.
        """
        from ..backends.xlsx.locks import workbook_lock  # the workbooks' lock file: flock, or msvcrt on Windows

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, workbook_lock(self.path, CHANGE_WAIT):
            self._seen = None
            yield

    def _load(self) -> list[TokenRecord]:
        """The records, reread only when the file changed (another process added or revoked)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._seen, self._records = None, []
            return []
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # a rewrite is a new file (os.replace): a new inode
        if seen != self._seen:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._records = [
                    TokenRecord(str(t["key"]), str(t["id"]), str(t["sha256"]), str(t["created"]))
                    for t in data.get("tokens", [])
                ]
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:  # OSError: unreadable
                raise UsageError(
                    _("{path} is not a sheetsync token file ({error}); move it away and issue the tokens again.",
                      path=self.path, error=exc)
                ) from exc
            self._seen = seen
        return list(self._records)

    def _save(self, records: list[TokenRecord]) -> None:
        """Write atomically, mode 600 from the start: a reader sees the old file or the new one, never half."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"tokens": [r.as_dict() for r in records]}, indent=1) + "\n"
        fd, scratch = tempfile.mkstemp(prefix=".serve-tokens-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(scratch, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
            raise
        self._seen = None  # reread next time (mtime granularity could hide this very write)
