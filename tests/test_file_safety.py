"""A sync never loses a person's file: links, owners, read-only files, other editors' locks, saves made meanwhile.

Each test drives the real xlsx backend (or the real command line) on a real
workbook in tmp_path; the one seam is the moment a save is staged, where a
person's own save through an already-open handle is made (issue 11, defects
4, 5 and 6).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import sys

import pytest
from xlsx_fixtures import build_value_workbook

import sheetsync
from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.cli import main
from sheetsync.errors import WriteError
from sheetsync.raw import CellChange
from sheetsync.sync import run

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links, owners and modes")
TODAY = dt.date(2026, 3, 2)
NOTE = "Client asked to move the shoot"


def _campaign(path):
    """A demo campaign that has already been synced once, so a later day's sync changes a few cells."""
    sheetsync.create(path, demo=True, today=TODAY).sync(today=TODAY)
    return path


def _scratch(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~"))


@posix_only
def test_a_symlinked_workbook_is_written_through_to_its_target_and_stays_a_link(tmp_path):
    shared, desk = tmp_path / "shared", tmp_path / "desk"
    shared.mkdir()
    desk.mkdir()
    target = build_value_workbook(shared / "plan-2026.xlsx")
    link = desk / "campaign.xlsx"
    link.symlink_to(target)

    backend = XlsxFileBackend(link)
    backend.read()
    backend.write([CellChange("Timeline", 2, 6, "written")])

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert XlsxFileBackend(target).read().sheets["Timeline"].value(2, 6) == "written"
    assert sorted(p.name for p in desk.iterdir()) == ["campaign.xlsx"]
    assert sorted(p.name for p in shared.iterdir()) == ["plan-2026.bak.xlsx", "plan-2026.xlsx"]
    assert backend.backup == str(shared / "plan-2026.bak.xlsx")


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_sync_by_root_keeps_the_owner_group_and_mode_of_the_workbook_and_its_backup(tmp_path):
    path = _campaign(tmp_path / "campaign.xlsx")
    os.chown(path, 1000, 1001)
    os.chmod(path, 0o640)

    report = sheetsync.open(path).sync(today=TODAY + dt.timedelta(days=7))

    assert report.written
    for name in ("campaign.xlsx", "campaign.bak.xlsx"):
        info = os.stat(tmp_path / name)
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1000, 1001, 0o640), name


@posix_only
def test_a_read_only_workbook_is_refused_before_anything_is_written(tmp_path, capsys):
    path = _campaign(tmp_path / "campaign.xlsx")
    (tmp_path / "campaign.bak.xlsx").unlink()
    os.chmod(path, 0o444)
    before = path.read_bytes()

    status = main(["sync", str(path), "--today", "2026-03-09"])

    assert status == 2
    assert capsys.readouterr().err == (
        "Error: campaign.xlsx is read-only (mode 0444); nothing was written. "
        f"Make it writable (chmod u+w {path}, or untick Read-only in its Properties) and sync again.\n"
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.xlsx"]


def test_an_edit_saved_through_a_handle_opened_before_the_sync_survives(tmp_path, monkeypatch):
    path = _campaign(tmp_path / "campaign.xlsx")
    edited = tmp_path / "edited.xlsx"  # what the person's program will save: the workbook with a note typed
    shutil.copy(path, edited)
    XlsxFileBackend(edited, keep_backup=False).write([CellChange("Timeline", 2, 10, NOTE)])
    their_save = edited.read_bytes()
    edited.unlink()
    handle = open(path, "r+b")  # noqa: SIM115 - their program opened the file before the sync started
    real_fsync = os.fsync
    saves = []

    def person_saves_while_sheetsync_stages(fd):
        real_fsync(fd)
        if not saves:  # the sync has just staged its new version: the person saves, in place, right now
            handle.seek(0)
            handle.write(their_save)
            handle.truncate()
            handle.flush()
            real_fsync(handle.fileno())
            saves.append(True)

    monkeypatch.setattr(os, "fsync", person_saves_while_sheetsync_stages)
    try:
        report = run(XlsxFileBackend(path), today=TODAY + dt.timedelta(days=7))
    finally:
        handle.close()

    assert saves and report.written
    timeline = XlsxFileBackend(path).read().sheets["Timeline"]
    assert timeline.value(2, 10) == NOTE  # their note is in the workbook, not only in the backup
    assert not run(XlsxFileBackend(path), today=TODAY + dt.timedelta(days=7)).written  # and the sync's cells too
    assert _scratch(tmp_path) == []


def test_libreoffice_lock_file_refuses_a_sync_unless_forced(tmp_path, capsys):
    path = _campaign(tmp_path / "campaign.xlsx")
    lock = tmp_path / ".~lock.campaign.xlsx#"
    lock.write_text("Ann Lee,ann-laptop,ann,07.12.2026 10:02,file:///home/ann/.config/libreoffice/4;", encoding="utf-8")
    before = path.read_bytes()

    status = main(["sync", str(path), "--today", "2026-03-09"])

    assert status == 2
    assert capsys.readouterr().err == (
        "Error: campaign.xlsx is open in LibreOffice by Ann Lee (lock file .~lock.campaign.xlsx#); "
        "close it there, or pass --force to sync anyway.\n"
    )
    assert path.read_bytes() == before

    assert main(["sync", str(path), "--today", "2026-03-09", "--force"]) in (0, 1)
    assert path.read_bytes() != before and lock.exists()  # LibreOffice's own file is never ours to remove


def test_a_sync_waits_for_another_sync_and_then_says_the_workbook_is_busy(tmp_path, capsys, monkeypatch):
    path = _campaign(tmp_path / "campaign.xlsx")
    before = path.read_bytes()
    monkeypatch.setenv("SHEETSYNC_LOCK_TIMEOUT", "0.3")

    with XlsxFileBackend(path).exclusive():  # another sync is between its read and its write
        status = main(["sync", str(path), "--today", "2026-03-09"])

    assert status == 2
    assert capsys.readouterr().err == (
        "Error: campaign.xlsx is busy: another sheetsync is syncing it (lock file .~sheetsync-campaign.xlsx.lock) "
        "and did not finish within 0.3 s; try again later, or set SHEETSYNC_LOCK_TIMEOUT to wait longer.\n"
    )
    assert path.read_bytes() == before
    assert _scratch(tmp_path) == []  # the lock file goes with the lock
    assert main(["sync", str(path), "--today", "2026-03-09"]) in (0, 1)


def test_a_file_that_keeps_changing_under_the_save_is_given_up_on_with_a_message(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    backend = XlsxFileBackend(path, redo_limit=2)
    messages = []
    for attempt in range(2):
        backend.read()
        os.utime(path, ns=(1, 1_000_000_000 * (attempt + 1)))  # someone saves after every read
        with pytest.raises(WriteError) as caught:
            backend.write([CellChange("Timeline", 2, 6, "late")])
        messages.append(str(caught.value))
    assert messages == [
        "campaign.xlsx changed on disk after sheetsync read it (someone saved it meanwhile); "
        "nothing was written, read and plan again.",
        "campaign.xlsx kept changing while sheetsync was about to save it (2 tries); nothing was written. "
        "Run sync again when editing pauses.",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.xlsx"]


def test_a_save_clears_its_own_killed_temp_files_and_nobody_elses(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    ours = [".~sheetsync-campaign.xlsx.k3x_9q0a.tmp", ".~sheetsync-campaign.xlsx.p0zz8w1b.bak"]
    others = [".~sheetsync-campaign.xlsx.xlsx.lock", ".~sheetsync-campaign.xlsx.xlsx.k3x_9q0a.tmp"]
    for name in ours + others:
        (tmp_path / name).write_bytes(b"left by a killed run")

    XlsxFileBackend(path).write([CellChange("Timeline", 2, 6, "A")])

    assert _scratch(tmp_path) == sorted(others)
