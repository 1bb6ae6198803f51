"""The delivery ledger: a durable record of which digest went to whom on which day.

It is what makes "a re-run the same day never sends the same digest twice" true
across processes and crashes, so it lives in an SQLite file (WAL journal, one
transaction per record) rather than in memory, and every send is recorded the
moment the server accepts it. It also keeps the composer's per-person snapshot,
from which the next detailed digest says what changed since the last one.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from sheetsync.errors import SheetsyncError
from sheetsync.i18n import _

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    project    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (project, recipient, day, kind)
);
CREATE TABLE IF NOT EXISTS snapshot (
    project   TEXT NOT NULL,
    recipient TEXT NOT NULL,
    channel   TEXT NOT NULL,
    day       TEXT NOT NULL,
    body      TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    PRIMARY KEY (project, recipient, channel, day)
);
"""


class LedgerError(SheetsyncError):
    """The ledger file cannot be opened, read or written (sqlite3 errors, translated)."""


def recipient_key(address: str) -> str:
    """The ledger's spelling of an address: stripped and case-folded.

    Team sheets are typed by people, so `Li.Na@Agency.example.com` one day and
    `li.na@agency.example.com` the next must count as the same person, or the
    re-run guarantee breaks on a capital letter.
    """
    return address.strip().casefold()


class Ledger:
    """What was sent, per project, recipient, day and kind; plus each person's last digest snapshot."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per record.
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a record must survive power loss too, not only a crashed process.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError(
                _(
                    "{path}: cannot open the digest ledger ({error}); check the folder is writable "
                    "and the file is a sheetsync ledger.",
                    path=self.path,
                    error=exc,
                )
            ) from exc

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file; every record is already committed."""
        self._db.close()

    def was_sent(self, project: str, recipient: str, day: dt.date, kind: str) -> bool:
        """True when this kind of digest already went to this person for this project on this day."""
        row = self._query(
            "SELECT 1 FROM sent WHERE project = ? AND recipient = ? AND day = ? AND kind = ?",
            (project, recipient_key(recipient), day.isoformat(), kind),
        )
        return row is not None

    def record(self, project: str, recipient: str, day: dt.date, kind: str, message_id: str) -> None:
        """Note that the server accepted this digest; committed before returning, so a crash cannot lose it."""
        self._write(
            "INSERT OR REPLACE INTO sent (project, recipient, day, kind, message_id, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (project, recipient_key(recipient), day.isoformat(), kind, message_id, _now()),
        )

    def message_id(self, project: str, recipient: str, day: dt.date, kind: str) -> str | None:
        """The Message-ID recorded for a sent digest, to find it in a mailbox or a server log."""
        row = self._query(
            "SELECT message_id FROM sent WHERE project = ? AND recipient = ? AND day = ? AND kind = ?",
            (project, recipient_key(recipient), day.isoformat(), kind),
        )
        return None if row is None else str(row[0])

    def last_snapshot(self, project: str, recipient: str, channel: str) -> dict[str, Any] | None:
        """The most recent snapshot the composer saved for this person, or None before their first digest."""
        row = self._query(
            "SELECT body FROM snapshot WHERE project = ? AND recipient = ? AND channel = ? ORDER BY day DESC LIMIT 1",
            (project, recipient_key(recipient), channel),
        )
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except json.JSONDecodeError as exc:
            raise LedgerError(
                _(
                    "{path}: the snapshot for {recipient} is not JSON ({error}).",
                    path=self.path,
                    recipient=recipient,
                    error=exc,
                )
            ) from exc
        return value if isinstance(value, dict) else None

    def save_snapshot(self, project: str, recipient: str, channel: str, day: dt.date, snapshot: dict[str, Any]) -> None:
        """Keep what this person's digest showed today; a second save the same day replaces the first."""
        try:
            body = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise LedgerError(
                _("the snapshot for {recipient} cannot be stored as JSON ({error}).", recipient=recipient, error=exc)
            ) from exc
        self._write(
            "INSERT OR REPLACE INTO snapshot (project, recipient, channel, day, body, saved_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (project, recipient_key(recipient), channel, day.isoformat(), body, _now()),
        )

    def _query(self, sql: str, params: tuple[str, ...]) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise LedgerError(_("{path}: cannot read the digest ledger ({error}).", path=self.path, error=exc)) from exc
        return row

    def _write(self, sql: str, params: tuple[str, ...]) -> None:
        try:
            # IMMEDIATE takes the write lock up front, so two runs on one ledger queue instead of failing mid-way.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise LedgerError(
                _(
                    "{path}: cannot write the digest ledger ({error}); check the disk has space "
                    "and the file is writable.",
                    path=self.path,
                    error=exc,
                )
            ) from exc


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
