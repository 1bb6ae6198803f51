"""A digest run's disk work, made cheaper without losing what it promised.

- Each person's snapshot (what the next detailed digest compares against) is saved in one
  transaction for the whole run: one commit, where 50 commits were 50 syncs to disk.
- The outbox's .eml files are written several at once (each still synced before its rename, so a
  reader never sees half a message); a file that cannot be written still stops the run with its
  one-line WriteError, naming that file.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

import pytest
from test_digest_speed_mime import SENT_AT

from sheetsync.digest.ledger import Ledger
from sheetsync.digest.model import Digest, Recipient
from sheetsync.digest.outbox import write_outbox
from sheetsync.digest.render import render_message
from sheetsync.errors import WriteError

DAY = dt.date(2026, 12, 8)
SHEET = "/books/campaign.xlsx"


def test_a_runs_snapshots_are_saved_in_one_commit_and_each_read_back(tmp_path: Path) -> None:
    people = [f"Person.{i}@Agency.example.com" for i in range(20)]
    shared = {"launch": "Launch 2026-12-09: on track", "tasks": {"T1": {"flag": "OK"}}}
    statements: list[str] = []
    with Ledger(tmp_path / "sent.sqlite") as ledger:
        ledger._db.set_trace_callback(statements.append)
        ledger.save_snapshots(SHEET, "outbox", DAY, [(who, shared) for who in people[:-1]]
                              + [(people[-1], {"launch": "王总"})])
        ledger._db.set_trace_callback(None)
        assert [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT")] == ["BEGIN IMMEDIATE", "COMMIT"]
        assert all(ledger.last_snapshot(SHEET, who.lower(), "outbox") == shared for who in people[:-1])
        assert ledger.last_snapshot(SHEET, people[-1], "outbox") == {"launch": "王总"}
        assert ledger.last_snapshot(SHEET, people[0], "smtp") is None  # another channel's record is its own
        ledger.save_snapshots(SHEET, "outbox", DAY, [])  # nobody got one: nothing written, no error


def _message(i: int) -> tuple[str, EmailMessage]:
    person = Recipient(f"Person {i}", f"person.{i}@agency.example.com")
    digest = Digest(person, "zh", "春季上新", DAY, subject=f"[春季上新] 第 {i} 封", headline="上线 2026-12-09：按计划")
    return person.email, render_message(digest, sender="sheetsync <digest@agency.example.com>", sent_at=SENT_AT)


def test_the_outbox_writes_every_file_whole_with_the_messages_bytes(tmp_path: Path) -> None:
    messages = [_message(i) for i in range(12)]
    done = write_outbox(messages, tmp_path / "outbox", day=DAY)
    assert [d.status for d in done] == ["written"] * 12
    for (recipient, message), delivery in zip(messages, done, strict=True):
        assert Path(delivery.path).name == f"2026-12-08-{recipient}.eml"
        assert Path(delivery.path).read_bytes() == message.as_bytes()
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == sorted(Path(d.path).name for d in done)


def test_a_file_that_cannot_be_written_stops_the_run_with_its_name(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    (outbox / "2026-12-08-person.3@agency.example.com.eml").mkdir(parents=True)  # a folder in the file's way
    with pytest.raises(WriteError) as failed:
        write_outbox([_message(i) for i in range(8)], outbox, day=DAY)
    assert "2026-12-08-person.3@agency.example.com.eml: cannot write the digest" in str(failed.value)
    assert not [p for p in outbox.iterdir() if p.name.endswith(".tmp")]  # no half-written file left behind
