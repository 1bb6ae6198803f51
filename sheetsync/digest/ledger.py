"""The delivery ledger: a durable record of which digest went to whom on which day.

It is what makes "a re-run the same day never sends the same digest twice" true
across processes and crashes, so it lives in an SQLite file (WAL journal, one
transaction per record) rather than in memory, and every send is recorded the
moment the server accepts it. It also keeps the composer's per-person snapshot,
from which the next detailed digest says what changed since the last one.

Records are keyed by the spreadsheet's identity (`Backend.identity`: a file's
resolved path, a Google Sheet's key), never by its Project name: two sheets
that share a name are two projects, and one sheet is the same one from any
folder. The column is still called `project` so older ledgers open unchanged;
`adopt` moves their name-keyed records over to the sheet's identity once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
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
CREATE TABLE IF NOT EXISTS pending (
    project    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (project, recipient, day, kind)
);
CREATE TABLE IF NOT EXISTS lease (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS adopted (
    source     TEXT NOT NULL,
    name       TEXT NOT NULL,
    sheet      TEXT NOT NULL,
    adopted_at TEXT NOT NULL,
    PRIMARY KEY (source, name)
);
"""


_SENT_COLUMNS = "recipient, day, kind, message_id, sent_at"
_SNAPSHOT_COLUMNS = "recipient, channel, day, body, saved_at"


class LedgerError(SheetsyncError):
    """The ledger file cannot be opened, read or written (sqlite3 errors, translated)."""


def recipient_key(address: str) -> str:
    """The ledger's spelling of an address: stripped and case-folded.

    Team sheets are typed by people, so `Li.Na@Agency.example.com` one day and
    `li.na@agency.example.com` the next must count as the same person, or the
    re-run guarantee breaks on a capital letter.
    """
    return address.strip().casefold()


def _open(path: Path, *, patience: float = 30.0) -> sqlite3.Connection:
    """Connect, switch to WAL and create the tables, waiting out a second process doing the same.

    SQLite's busy timeout does not cover every lock: two processes opening a new
    ledger at once can have one told "database is locked" at once by the switch
    to WAL or by the first CREATE TABLE (SQLite refuses to wait where waiting
    could deadlock). Both steps are idempotent, so the loser starts over.
    """
    deadline = time.monotonic() + patience
    while True:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per record.
        db = sqlite3.connect(path, timeout=patience, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # FULL: a record must survive power loss too, not only a crashed process.
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        except BaseException:
            db.close()
            raise


class Ledger:
    """What was sent, per sheet, recipient, day and kind; plus each person's last digest snapshot.

    `sheet` is the spreadsheet's identity (Backend.identity); every method takes it first.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = _open(self.path)
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

    def was_sent(self, sheet: str, recipient: str, day: dt.date, kind: str) -> bool:
        """True when this kind of digest already went to this person for this sheet on this day."""
        row = self._query(
            "SELECT 1 FROM sent WHERE project = ? AND recipient = ? AND day = ? AND kind = ?",
            (sheet, recipient_key(recipient), day.isoformat(), kind),
        )
        return row is not None

    def record(self, sheet: str, recipient: str, day: dt.date, kind: str, message_id: str) -> None:
        """Note that the server accepted this digest; committed before returning, so a crash cannot lose it."""
        key = (sheet, recipient_key(recipient), day.isoformat(), kind)
        self._write(
            "INSERT OR REPLACE INTO sent (project, recipient, day, kind, message_id, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (*key, message_id, _now()),
            then=("DELETE FROM pending WHERE project = ? AND recipient = ? AND day = ? AND kind = ?", key),
        )

    def begin(self, sheet: str, recipient: str, day: dt.date, kind: str) -> None:
        """Note that a post is about to leave; `record` clears it. One left behind means a run was interrupted.

        Chat webhooks cannot be asked whether a post arrived, so the next run
        posts it again (nothing is lost) after saying it may be a repeat (`was_begun`).
        """
        self._write(
            "INSERT OR REPLACE INTO pending (project, recipient, day, kind, started_at) VALUES (?, ?, ?, ?, ?)",
            (sheet, recipient_key(recipient), day.isoformat(), kind, _now()),
        )

    def was_begun(self, sheet: str, recipient: str, day: dt.date, kind: str) -> bool:
        """True when an earlier run began this very post and never recorded it: it may have arrived."""
        row = self._query(
            "SELECT 1 FROM pending WHERE project = ? AND recipient = ? AND day = ? AND kind = ?",
            (sheet, recipient_key(recipient), day.isoformat(), kind),
        )
        return row is not None

    def abandon(self, sheet: str, recipient: str, day: dt.date, kind: str) -> None:
        """Forget a begun post that certainly did not arrive (refused, or never connected)."""
        self._write(
            "DELETE FROM pending WHERE project = ? AND recipient = ? AND day = ? AND kind = ?",
            (sheet, recipient_key(recipient), day.isoformat(), kind),
        )

    @contextlib.contextmanager
    def hold(self, name: str, *, ttl: float = 300.0, wait: float = 330.0,
             sleep: Callable[[float], None] = time.sleep) -> Iterator[Callable[[], None]]:
        """Hold the lease `name` while delivering, so two runs on one state folder take turns.

        Checking the record, sending and recording is not one transaction (a
        send takes seconds), so two runs at once — cron and a person, or two
        machines sharing --state — would both send. The lease makes the second
        wait until the first is done; it then finds everything recorded. A
        holder that was killed stops blocking when its lease expires (`ttl`
        seconds after its last renewal: call the yielded function after each
        send; at once when it ran on this machine). Raises LedgerError after
        waiting `wait` seconds.
        """
        me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        waited = 0.0
        while not self._take(name, me, ttl):
            if waited >= wait:
                raise LedgerError(_("{path}: another digest run for this sheet has been sending for over {minutes} "
                                    "minutes; try again when it is done.", path=self.path, minutes=int(wait // 60)))
            sleep(0.5)
            waited += 0.5
        try:
            yield lambda: self._take(name, me, ttl)
        finally:
            self._write("DELETE FROM lease WHERE name = ? AND holder = ?", (name, me))

    def _take(self, name: str, me: str, ttl: float) -> bool:
        """Take or renew the lease in one transaction; False when someone else holds it and it has not expired."""
        now = time.time()
        with self._transaction() as db:
            row = db.execute("SELECT holder, expires FROM lease WHERE name = ?", (name,)).fetchone()
            free = row is None or row[0] == me or row[1] < now or _gone(row[0])
            if free:
                db.execute("INSERT OR REPLACE INTO lease (name, holder, expires) VALUES (?, ?, ?)",
                           (name, me, now + ttl))
        return bool(free)

    def message_id(self, sheet: str, recipient: str, day: dt.date, kind: str) -> str | None:
        """The Message-ID recorded for a sent digest, to find it in a mailbox or a server log."""
        row = self._query(
            "SELECT message_id FROM sent WHERE project = ? AND recipient = ? AND day = ? AND kind = ?",
            (sheet, recipient_key(recipient), day.isoformat(), kind),
        )
        return None if row is None else str(row[0])

    def last_snapshot(self, sheet: str, recipient: str, channel: str) -> dict[str, Any] | None:
        """The most recent snapshot the composer saved for this person, or None before their first digest."""
        row = self._query(
            "SELECT body FROM snapshot WHERE project = ? AND recipient = ? AND channel = ? ORDER BY day DESC LIMIT 1",
            (sheet, recipient_key(recipient), channel),
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

    def save_snapshot(self, sheet: str, recipient: str, channel: str, day: dt.date, snapshot: dict[str, Any]) -> None:
        """Keep what this person's digest showed today; a second save the same day replaces the first."""
        self.save_snapshots(sheet, channel, day, [(recipient, snapshot)])

    def save_snapshots(
        self, sheet: str, channel: str, day: dt.date, snapshots: Iterable[tuple[str, dict[str, Any]]]
    ) -> None:
        """Keep what each person's digest showed today, all in one transaction (one commit, one sync to disk).

        A commit per person was 50 syncs to disk for 50 digests. A run's digests share the book's one
        snapshot (digest/book.py; it is never changed once made): the same dict is written as JSON once.
        """
        rows = [(sheet, recipient_key(recipient), channel, day.isoformat(), self._snapshot_json(recipient, snapshot),
                 _now()) for recipient, snapshot in snapshots]
        if not rows:
            return
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO snapshot (project, recipient, channel, day, body, saved_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def _snapshot_json(self, recipient: str, snapshot: dict[str, Any]) -> str:
        try:
            last = getattr(self, "_last_snapshot", None)
            if last is not None and last[0] is snapshot:
                body = last[1]
            else:
                body = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
                self._last_snapshot = (snapshot, body)
        except (TypeError, ValueError) as exc:
            raise LedgerError(
                _("the snapshot for {recipient} cannot be stored as JSON ({error}).", recipient=recipient, error=exc)
            ) from exc
        return body

    def adopt(self, source: Path, name: str, sheet: str) -> int:
        """Take over the records an older sheetsync kept under the Project `name` in the ledger at `source`.

        Before sent-records were keyed by the sheet, they were keyed by the Project
        name in `.sheetsync/sent.sqlite` beside the workbook (for a Google Sheet: in
        the folder the command ran in). Copying them to `sheet` means upgrading does
        not re-send today's digests and keeps "what changed" going. Each (ledger,
        name) is adopted once, by the first sheet that asks: the old record cannot
        say which of two same-named sheets it meant. Returns how many records moved.
        """
        source = Path(source)
        key = str(source.resolve())
        if name == sheet or self._query("SELECT 1 FROM adopted WHERE source = ? AND name = ?", (key, name)):
            return 0
        same_file = source.resolve() == self.path.resolve()
        prefix = "main." if same_file else "old."
        moved = 0
        try:
            if not same_file:  # ATTACH cannot run inside a transaction
                self._db.execute("ATTACH DATABASE ? AS old", (str(source),))
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for table, columns in (("sent", _SENT_COLUMNS), ("snapshot", _SNAPSHOT_COLUMNS)):
                        cursor = self._db.execute(
                            f"INSERT OR IGNORE INTO main.{table} (project, {columns}) "  # noqa: S608 - fixed names
                            f"SELECT ?, {columns} FROM {prefix}{table} WHERE project = ?",
                            (sheet, name),
                        )
                        moved += max(cursor.rowcount, 0)
                    self._db.execute(
                        "INSERT OR IGNORE INTO adopted (source, name, sheet, adopted_at) VALUES (?, ?, ?, ?)",
                        (key, name, sheet, _now()),
                    )
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                if not same_file:
                    self._db.execute("DETACH DATABASE old")
        except sqlite3.Error as exc:
            raise LedgerError(
                _("{path}: cannot take over the older sent-record {source} ({error}).",
                  path=self.path, source=source, error=exc)
            ) from exc
        return moved

    def _query(self, sql: str, params: tuple[str, ...]) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise LedgerError(_("{path}: cannot read the digest ledger ({error}).", path=self.path, error=exc)) from exc
        return row

    def _write(self, sql: str, params: tuple[Any, ...], *, then: tuple[str, tuple[str, ...]] | None = None) -> None:
        with self._transaction() as db:
            db.execute(sql, params)
            if then is not None:  # in the same transaction: both happen or neither
                db.execute(*then)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on leaving, rolled back on any error; sqlite3 errors translated."""
        try:
            # IMMEDIATE takes the write lock up front, so two runs on one ledger queue instead of failing mid-way.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
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


def _gone(holder: str) -> bool:
    """Whether a lease's holder was a process on this machine that no longer runs (killed: its lease is void).

    POSIX only: signal 0 asks whether a process exists; Windows has no such
    question (its signal 0 is CTRL_C_EVENT), so there a killed holder's lease
    lasts until it expires.
    """
    host, _sep, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if os.name != "posix" or host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, run by someone else
        return False
    return False


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
