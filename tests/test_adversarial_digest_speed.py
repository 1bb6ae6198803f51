"""An adversarial pass over the digest's speed work (digest/mime.py, smtp.py, outbox.py, render.py's shared tables).

Three of these tests failed before their fix (through the public CLI or API):

- the outbox's files are written by a thread pool; a pool thread starts without the caller's context,
  so a file that could not be written was reported in the terminal's language, not the book's;
- the SMTP fast path (send_message's bytes handed to sendmail) skipped send_message's removal of
  Resent-Bcc, so a blind copy's address would be shown to every recipient;
- a table's HTML, shared for the life of the process, kept what a customised digest_table.html.j2's
  included file said before it was edited (Jinja itself re-reads it: a `sheetsync serve` did not).

The others hold what the fast paths promised and did keep: the bytes a real SMTP server on 127.0.0.1
receives are smtplib.send_message's (Chinese display names, Bcc, an IDN sender, "From "/"."/76-character/
"="-ended/CR-LF/very long lines); two templates folders and two languages in one process keep their own
tables; a run killed mid-batch (outbox or SMTP) leaves only whole files and is finished by the next run
without a second copy; the run's one snapshot transaction failing midway saves nobody's, in the book's words.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import smtplib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import pytest
from smtp_server import HOST, LocalSmtpServer, start_server

from sheetsync.cli import main
from sheetsync.digest import render
from sheetsync.digest import smtp as digest_smtp
from sheetsync.digest.ledger import Ledger
from sheetsync.digest.model import Digest, Recipient, Table
from sheetsync.digest.render import render_html, render_message
from sheetsync.resources import TEMPLATES_ENV, templates_root

TODAY = "2026-12-08"


def _zh_book(folder: Path) -> Path:
    book = folder / "春季上新.xlsx"
    assert main(["init", str(book), "--demo", "--today", TODAY, "--lang", "zh"]) == 0
    return book


def _digest(book: Path, outbox: Path, state: Path) -> int:
    return main(["digest", str(book), "--today", TODAY, "--outbox", str(outbox), "--state", str(state)])


def test_an_outbox_file_that_cannot_be_written_is_told_in_the_books_language_and_the_rerun_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # the terminal is English: the Chinese book's words must win
    book = _zh_book(tmp_path)
    assert _digest(book, tmp_path / "clean", tmp_path / "s0") == 0
    names = sorted(p.name for p in (tmp_path / "clean").iterdir())
    assert len(names) >= 4
    capsys.readouterr()

    outbox = tmp_path / "outbox"
    blocked = outbox / names[len(names) // 2]  # a folder in the way of one file in the middle of the batch
    blocked.mkdir(parents=True)
    assert _digest(book, outbox, tmp_path / "state") != 0
    said = capsys.readouterr()
    told = said.out + said.err
    assert f"{blocked}：无法写入摘要" in told and "cannot write" not in told  # was English from a pool thread
    assert not [p for p in outbox.iterdir() if p.name.endswith(".tmp")]  # nothing half-written left

    blocked.rmdir()  # the way is clear: the next run gives everyone exactly one file, nobody skipped
    assert _digest(book, outbox, tmp_path / "state") == 0
    assert sorted(p.name for p in outbox.iterdir()) == names
    for name in names:  # and the very digest a run with nothing in the way wrote (its Date aside)
        assert _undated(outbox / name) == _undated(tmp_path / "clean" / name)


def _undated(eml: Path) -> bytes:
    return b"\n".join(line for line in eml.read_bytes().split(b"\n") if not line.startswith(b"Date: "))


SENT_AT = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# Lines SMTP and quoted-printable each treat apart: "From " and "." at a line's start, a trailing space or tab,
# a line of exactly 76 characters, one ending in "=" or ".", Chinese and an emoji, CR and CRLF inside a cell,
# a 3,400-character line.
AWKWARD = ["From the client: 改稿", ".", "..", "ends with a space ", "ends with a tab\t", "x" * 76, "y" * 75 + "=",
           "上线日期有风险。", "emoji 🚀 ok", "cell with\r\nCRLF and\rCR", "长" * 400 + " " + "z" * 3000]


@pytest.fixture
def utf8_server() -> Iterator[LocalSmtpServer]:
    """A real SMTP server on 127.0.0.1 that also takes SMTPUTF8 (an IDN sender needs it)."""
    controller, server = start_server(enable_SMTPUTF8=True)
    try:
        yield server
    finally:
        controller.stop()


def _message(sender: str, extra: dict[str, str]) -> EmailMessage:
    person = Recipient("李娜", "li.na@agency.example.com", kind="detailed")
    table = Table("逾期", ("ID", "Flag"), (("T7", "逾期"), ("From here", ".")), "无。")
    digest = Digest(person, "zh", "春季上新", dt.date(2026, 12, 8), "[春季上新] 上线", "上线 2026-12-09：按计划",
                    lines=list(AWKWARD), tables=[table], changes=list(AWKWARD), sheet="/books/春季上新.xlsx")
    message = render_message(digest, sender=sender, sent_at=SENT_AT)
    for name, value in extra.items():
        message[name] = value
    return message


@pytest.mark.parametrize(("sender", "extra", "fast"), [
    ("排期助手 <digest@agency.example.com>", {}, True),
    ("sheetsync <digest@agency.example.com>", {"Bcc": "boss@agency.example.com"}, False),
    ("sheetsync <digest@agency.example.com>", {"Resent-Bcc": "boss@agency.example.com"}, False),
    ("sheetsync <digest@agency.example.com>", {"Resent-Date": "Tue, 08 Dec 2026 09:00:00 +0800",
                                               "Resent-Bcc": "boss@agency.example.com"}, False),
    ("排期助手 <digest@例子.中国>", {}, False),  # an IDN sender: SMTPUTF8, smtplib's own way
])
def test_the_server_receives_send_messages_very_bytes_on_either_path(
    utf8_server: LocalSmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    sender: str, extra: dict[str, str], fast: bool,
) -> None:
    flattened: list[bytes] = []
    real = digest_smtp.smtp_bytes
    monkeypatch.setattr(digest_smtp, "smtp_bytes", lambda message: flattened.append(real(message)) or flattened[-1])
    with Ledger(tmp_path / "sent.sqlite") as ledger:
        done = digest_smtp.send_all([("li.na@agency.example.com", _message(sender, extra))],
                                    utf8_server.settings(sender=sender), ledger, sheet="book", day=dt.date(2026, 12, 8))
    assert [d.status for d in done] == ["sent"]
    assert bool(flattened) is fast
    with smtplib.SMTP(HOST, utf8_server.port, timeout=5) as stock:  # smtplib's own way, to the same server
        stock.send_message(_message(sender, extra), from_addr=parseaddr(sender)[1],
                           to_addrs=["li.na@agency.example.com"])
    ours, theirs = utf8_server.handler.received
    assert ours.data == theirs.data and ours.mail_from == theirs.mail_from
    assert b"boss@" not in ours.data  # a blind copy stays blind (Resent-Bcc went out on the fast path)


def _folder(root: Path, marker: str, *, include: bool = False) -> Path:
    """A copy of the digest templates whose table template says `marker` (in an included file, or itself)."""
    shutil.copytree(templates_root() / "digest", root / "digest")
    table = root / "digest" / render.TABLE_TEMPLATE
    said = '{% include "marker.html.j2" %}' if include else f"<!-- {marker} -->"
    table.write_text(said + "\n" + table.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "digest" / "marker.html.j2").write_text(f"<!-- {marker} -->\n", encoding="utf-8")
    return root


def _html(lang: str) -> str:
    person = Recipient("Li Na", "li.na@agency.example.com", kind="detailed")
    tables = [Table("Overdue", ("ID", "Flag"), (("T7", "OVERDUE"),)), Table("Triggered risks", ("ID",), ())]
    return render_html(Digest(person, lang, "Spring", dt.date(2026, 12, 8), "s", "h", tables=tables))


def test_an_edited_file_the_table_template_includes_is_picked_up_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path / "custom", "first", include=True)
    monkeypatch.setenv(TEMPLATES_ENV, str(folder))
    assert _html("en").count("<!-- first -->") == 2 and _html("zh").count("<!-- first -->") == 2
    included = folder / "digest" / "marker.html.j2"
    included.write_text("<!-- second -->\n", encoding="utf-8")
    later = included.stat().st_mtime + 10
    os.utime(included, (later, later))
    for lang in ("en", "zh"):  # as Jinja renders it: the edit, in both languages, not the HTML laid out before
        assert _html(lang).count("<!-- second -->") == 2 and "<!-- first -->" not in _html(lang)


def test_two_templates_folders_and_two_languages_in_one_process_keep_their_own_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = {name: _folder(tmp_path / name, name) for name in ("agency-a", "agency-b")}
    for name in ("agency-a", "agency-b", "agency-a", "agency-b"):  # a serve process with two books, in turn
        monkeypatch.setenv(TEMPLATES_ENV, str(folders[name]))
        for lang, none in (("zh", ">无。</p>"), ("en", ">None.</p>")):
            html = _html(lang)
            assert html.count(f"<!-- {name} -->") == 2 and "agency-" + ("b" if name == "agency-a" else "a") not in html
            assert none in html


# A digest run in its own process that is killed (SIGKILL: no cleanup, no finally) at the `at`-th call of `what`.
_KILLED_RUN = """
import os, signal, sys
from sheetsync.digest import ledger
calls = [0]
def killing(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == int(sys.argv[2]) + 1:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
if sys.argv[1] == "replace":
    os.replace = killing(os.replace)  # the outbox's rename of a written file, in a pool thread
else:
    ledger.Ledger.record = killing(ledger.Ledger.record)  # after the server said 250 and it was recorded
from sheetsync.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _killed(what: str, at: int, args: list[str]) -> int:
    return subprocess.run([sys.executable, "-c", _KILLED_RUN, what, str(at), *args], env=dict(os.environ),
                          capture_output=True, timeout=120).returncode


def test_a_run_killed_in_the_middle_of_the_outbox_batch_leaves_only_whole_files(tmp_path: Path) -> None:
    book = _zh_book(tmp_path)
    assert _digest(book, tmp_path / "clean", tmp_path / "s0") == 0
    names = sorted(p.name for p in (tmp_path / "clean").iterdir())
    outbox, state = tmp_path / "outbox", tmp_path / "state"
    args = ["digest", str(book), "--today", TODAY, "--outbox", str(outbox), "--state", str(state)]
    assert _killed("replace", 2, args) == -9  # two files renamed into place, the others in flight
    written = [p for p in outbox.iterdir() if not p.name.startswith(".")]
    assert 1 <= len(written) < len(names)
    for eml in written:  # whatever has a digest's name is that whole digest
        assert _undated(eml) == _undated(tmp_path / "clean" / eml.name)
    assert all(p.name.endswith(".tmp") for p in outbox.iterdir() if p.name.startswith("."))
    assert _digest(book, outbox, state) == 0  # the next run: everyone's file, once each, whole
    assert sorted(p.name for p in outbox.iterdir() if not p.name.startswith(".")) == names
    assert all(_undated(outbox / name) == _undated(tmp_path / "clean" / name) for name in names)


def test_a_send_killed_mid_batch_is_finished_by_the_next_run_without_a_second_copy(
    tmp_path: Path, utf8_server: LocalSmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = _zh_book(tmp_path)
    for name, value in (("HOST", HOST), ("PORT", str(utf8_server.port)), ("SECURITY", "none"),
                        ("FROM", "排期助手 <digest@agency.example.com>")):
        monkeypatch.setenv(f"SHEETSYNC_SMTP_{name}", value)
    args = ["digest", str(book), "--today", TODAY, "--send", "--state", str(tmp_path / "state")]
    assert _killed("record", 3, args) == -9  # killed after the third digest was accepted and recorded
    first = [r.rcpt_tos for r in utf8_server.handler.received]
    assert len(first) == 4  # the fourth was accepted by the server, then the process died before recording it
    assert main(args) == 0
    everyone = sorted(r.rcpt_tos for r in utf8_server.handler.received)
    again = [who for who in set(everyone) if everyone.count(who) > 1]
    assert again == [first[-1]]  # only the one SMTP cannot know about (accepted, not recorded) went twice
    assert len(set(everyone)) >= 5 and all(len(who) == 1 for who in everyone)


def test_a_snapshot_transaction_that_fails_midway_saves_none_and_says_so_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    book, state, outbox = _zh_book(tmp_path), tmp_path / "state", tmp_path / "outbox"
    assert _digest(book, tmp_path / "clean", tmp_path / "s0") == 0  # who gets one today
    people = sorted(p.name.removeprefix(f"{TODAY}-").removesuffix(".eml") for p in (tmp_path / "clean").iterdir())
    assert len(people) >= 4
    assert main(["digest", str(book), "--today", "2026-12-07", "--outbox", str(outbox), "--state", str(state)]) == 0
    ledger = sqlite3.connect(state / "sent.sqlite")
    # the disk fills up at the third row of the run's one transaction
    ledger.execute(f"CREATE TRIGGER full BEFORE INSERT ON snapshot WHEN NEW.recipient = '{people[2]}' "
                   "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    ledger.commit()
    capsys.readouterr()
    assert _digest(book, outbox, state) != 0
    said = capsys.readouterr()
    assert "无法写入摘要发送记录（database or disk is full）" in said.out + said.err
    saved = "SELECT recipient FROM snapshot WHERE day = ? ORDER BY recipient"
    assert ledger.execute(saved, (TODAY,)).fetchall() == []  # all or nothing: not the two before the failure
    ledger.execute("DROP TRIGGER full")
    ledger.commit()
    assert _digest(book, outbox, state) == 0  # the next run saves everyone's, once
    assert [row[0] for row in ledger.execute(saved, (TODAY,))] == people
    ledger.close()
