"""A book Excel or LibreOffice has open (all day, for a PM) is read as last saved by every command that writes nothing.

Only writing (sync) needs --force: Excel saves its own copy over the file later.
"""

from __future__ import annotations

import datetime as dt

import pytest
from smtp_server import smtp_server  # noqa: F401  (pytest fixture)

import sheetsync
from sheetsync.cli import main
from sheetsync.errors import WorkbookLockedError
from sheetsync.template import build_workbook

TODAY = "2026-11-27"
EXCEL_NOTE = "Excel has this book open (~$campaign.xlsx): read the last saved version"
REFUSAL = "Error: campaign.xlsx is open in Excel (lock file ~$campaign.xlsx); close it there, or pass --force to sync anyway."


@pytest.fixture
def open_in_excel(tmp_path):
    """The demo campaign, with the owner file Excel keeps beside a book it has open."""
    path = tmp_path / "campaign.xlsx"
    build_workbook(path, demo=True, today=dt.date(2026, 11, 27))
    (tmp_path / "~$campaign.xlsx").write_bytes(b"\x05Ann Lee")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["whatif", "--delay", "T3=2"],
        ["digest", "--outbox", "{tmp}/outbox"],
        ["sync", "--dry-run"],
        ["check", "--json"],
    ],
)
def test_commands_that_write_nothing_read_the_last_saved_version(open_in_excel, tmp_path, capsys, command):
    before = open_in_excel.read_bytes()
    argv = [command[0], str(open_in_excel), "--today", TODAY, *(a.format(tmp=tmp_path) for a in command[1:])]

    status = main(argv)

    out, err = capsys.readouterr()
    assert status in (0, 1) and out.strip()
    assert err.splitlines() == [EXCEL_NOTE]  # one line, and no error
    assert open_in_excel.read_bytes() == before


def test_digest_send_reads_a_book_excel_has_open(open_in_excel, tmp_path, capsys, monkeypatch,
                                                  smtp_server):  # noqa: F811
    monkeypatch.setenv("SHEETSYNC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SHEETSYNC_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("SHEETSYNC_SMTP_SECURITY", "none")
    monkeypatch.setenv("SHEETSYNC_SMTP_FROM", "digest@agency.example.com")

    status = main(["digest", str(open_in_excel), "--send", "--today", TODAY, "--state", str(tmp_path / "state")])

    assert status == 0 and smtp_server.handler.received
    assert capsys.readouterr().err.splitlines() == [EXCEL_NOTE]


def test_library_reads_frames_and_previews_with_a_note(open_in_excel, tmp_path):
    book = sheetsync.open(open_in_excel)
    assert book.note is None  # nothing read yet

    frames = book.frames(today=dt.date(2026, 11, 27))
    assert book.note == EXCEL_NOTE and len(frames["Timeline"]) > 10
    run = book.digest(today=dt.date(2026, 11, 27), preview=True, outbox=tmp_path / "outbox")
    assert run.deliveries and book.note == EXCEL_NOTE
    with pytest.raises(WorkbookLockedError, match="open in Excel"):
        book.sync(today=dt.date(2026, 11, 27))


def test_a_libreoffice_lock_gives_the_same_note(open_in_excel, capsys):
    (open_in_excel.parent / "~$campaign.xlsx").unlink()
    lock = open_in_excel.parent / ".~lock.campaign.xlsx#"
    lock.write_text("Ann Lee,ann-laptop,ann,07.12.2026 10:02,file:///home/ann/.config/libreoffice/4;", encoding="utf-8")

    assert main(["check", str(open_in_excel), "--today", TODAY]) in (0, 1)
    assert capsys.readouterr().err == "LibreOffice has this book open (.~lock.campaign.xlsx#): read the last saved version\n"


def test_sync_without_force_still_refuses_even_with_nothing_to_write(open_in_excel, capsys):
    before = open_in_excel.read_bytes()
    assert main(["sync", str(open_in_excel), "--today", TODAY]) == 2
    assert capsys.readouterr().err == REFUSAL + "\n"
    assert open_in_excel.read_bytes() == before

    assert main(["sync", str(open_in_excel), "--today", TODAY, "--force"]) in (0, 1)
    assert open_in_excel.read_bytes() != before
    capsys.readouterr()
    synced = open_in_excel.read_bytes()

    assert main(["sync", str(open_in_excel), "--today", TODAY]) == 2  # up to date, and still refused
    assert capsys.readouterr().err == REFUSAL + "\n"
    assert open_in_excel.read_bytes() == synced


def test_no_note_when_nobody_has_the_book_open(open_in_excel, capsys):
    (open_in_excel.parent / "~$campaign.xlsx").unlink()
    assert main(["check", str(open_in_excel), "--today", TODAY]) in (0, 1)
    assert capsys.readouterr().err == ""
