"""Issue 14, item 2: "sent once per day" means once per sheet, whichever folder or machine runs the command.

A real SMTP server on localhost and the fake Google Sheets API; the state folder
is each test's own $XDG_STATE_HOME (conftest), never given with --state unless
the test is about --state.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from smtp_server import smtp_server  # noqa: F401  (pytest fixture)

from sheetsync.cli import main
from sheetsync.digest.ledger import Ledger
from sheetsync.template import build_workbook

pytest_plugins = ("fake_google.plugin",)

ROOT = Path(__file__).resolve().parents[1]
CRON_DIGEST = ROOT / "scripts" / "cron-digest"
MONDAY = "2026-11-30"
TEAM_SIZE = 6  # the demo's Team: everyone gets a digest on a Monday
DEMO_PROJECT = "Qinrun Repair Serum launch (Xiaohongshu / Douyin)"


@pytest.fixture
def smtp_env(monkeypatch, smtp_server):  # noqa: F811
    monkeypatch.setenv("SHEETSYNC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SHEETSYNC_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("SHEETSYNC_SMTP_SECURITY", "none")
    monkeypatch.setenv("SHEETSYNC_SMTP_FROM", "Ops at Agency <ops@agency.example>")
    return smtp_server


@pytest.fixture
def google_env(fake_google, tmp_path, monkeypatch):
    key = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    return fake_google


def demo_gsheet(capsys, title: str = "Serum launch") -> str:
    """A demo campaign made on the fake Google; its gsheet:KEY."""
    assert main(["init", "--gsheet", title, "--demo", "--today", "2026-11-27"]) == 0
    url = re.search(r"https://docs\.google\.com/spreadsheets/d/([^/\s]+)", capsys.readouterr().out)
    assert url, "init --gsheet printed no URL"
    return f"gsheet:{url.group(1)}"


def send_from(folder: Path, target: str, capsys, monkeypatch, *extra: str) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(folder)
    code = main(["digest", target, "--send", "--today", MONDAY, "--json", *extra])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    return report["deliveries"]


def statuses(deliveries: list[dict]) -> list[str]:
    return [d["status"] for d in deliveries]


def received(server) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(m.data, policy=email.policy.default) for m in server.handler.received]


def test_a_google_sheet_is_sent_once_a_day_from_any_folder(google_env, smtp_env, tmp_path, capsys, monkeypatch):
    sheet = demo_gsheet(capsys)
    assert statuses(send_from(tmp_path / "morning", sheet, capsys, monkeypatch)) == ["sent"] * TEAM_SIZE
    # The same sheet by its URL, from another folder: nothing goes out again.
    url = f"https://docs.google.com/spreadsheets/d/{sheet.removeprefix('gsheet:')}/edit#gid=0"
    again = send_from(tmp_path / "elsewhere", url, capsys, monkeypatch)
    assert statuses(again) == ["skipped"] * TEAM_SIZE
    assert {d["reason"] for d in again} == {"already sent on 2026-11-30"}
    assert len(smtp_env.handler.received) == TEAM_SIZE
    assert not (tmp_path / "morning" / ".sheetsync").exists()  # the record is the user's, not the folder's


def test_a_workbook_reached_through_a_symlink_is_the_same_workbook(smtp_env, tmp_path, capsys, monkeypatch):
    book = tmp_path / "campaigns" / "serum.xlsx"
    book.parent.mkdir()
    build_workbook(book, lang="en", demo=True, today=dt.date(2026, 11, 27))
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "serum.xlsx").symlink_to(book)
    assert statuses(send_from(tmp_path / "a", str(book), capsys, monkeypatch)) == ["sent"] * TEAM_SIZE
    assert statuses(send_from(tmp_path / "desk", "serum.xlsx", capsys, monkeypatch)) == ["skipped"] * TEAM_SIZE
    assert len(smtp_env.handler.received) == TEAM_SIZE


def test_two_sheets_with_one_project_name_both_send_with_their_own_message_ids(
    google_env, smtp_env, tmp_path, capsys, monkeypatch
):
    first, second = demo_gsheet(capsys), demo_gsheet(capsys)
    assert statuses(send_from(tmp_path, first, capsys, monkeypatch)) == ["sent"] * TEAM_SIZE
    assert statuses(send_from(tmp_path, second, capsys, monkeypatch)) == ["sent"] * TEAM_SIZE
    messages = received(smtp_env)
    assert len(messages) == 2 * TEAM_SIZE
    assert len({m["Subject"] for m in messages}) < len(messages)  # the same project name in both subjects
    assert len({m["Message-ID"] for m in messages}) == 2 * TEAM_SIZE


def test_a_shared_state_folder_is_one_record_for_two_machines(google_env, smtp_env, tmp_path, capsys, monkeypatch):
    """Two machines (two homes) pointed at one --state folder send a sheet's digests once between them."""
    sheet = demo_gsheet(capsys)
    shared = str(tmp_path / "shared-state")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "laptop"))
    assert statuses(send_from(tmp_path / "a", sheet, capsys, monkeypatch, "--state", shared)) == ["sent"] * TEAM_SIZE
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "server"))
    assert statuses(send_from(tmp_path / "b", sheet, capsys, monkeypatch, "--state", shared)) == ["skipped"] * TEAM_SIZE


def test_upgrading_honours_the_record_an_older_version_kept_beside_the_workbook(
    smtp_env, tmp_path, capsys, monkeypatch
):
    """The old default was .sheetsync/sent.sqlite beside the workbook, keyed by the Project name."""
    book = tmp_path / "serum.xlsx"
    build_workbook(book, lang="en", demo=True, today=dt.date(2026, 11, 27))
    with Ledger(tmp_path / ".sheetsync" / "sent.sqlite") as old:  # the same tables; rows keyed by the name
        old.record(DEMO_PROJECT, "li.na@agency.example.com", dt.date(2026, 11, 30), "brief", "<old@agency.example>")
    deliveries = {d["email"]: d["status"] for d in send_from(tmp_path / "cron", str(book), capsys, monkeypatch)}
    assert deliveries.pop("li.na@agency.example.com") == "skipped"
    assert set(deliveries.values()) == {"sent"}
    assert "li.na@agency.example.com" not in {r for m in smtp_env.handler.received for r in m.rcpt_tos}


def test_the_date_header_is_the_real_send_time_with_the_local_offset(smtp_env, tmp_path):
    """It was always `08:00:00 -0000` on the --today day; now it is when the message left, even for a past --today."""
    book = tmp_path / "serum.xlsx"
    build_workbook(book, lang="en", demo=True, today=dt.date(2026, 11, 27))
    env = {**os.environ, "TZ": "Asia/Shanghai", "PYTHONPATH": str(ROOT)}
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run = subprocess.run(
        [sys.executable, "-m", "sheetsync", "digest", str(book), "--send", "--today", MONDAY,
         "--to", "li.na@agency.example.com"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    (message,) = received(smtp_env)
    assert message["Date"].endswith(" +0800")
    sent = message["Date"].datetime
    assert before <= sent <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)


def test_a_view_only_share_still_gets_its_digests_from_the_cron_wrapper(
    google_env, smtp_env, tmp_path, capsys, prepared_copy_rules
):
    """Issue 14, item 4: the wrapper synced first, and a Viewer's sync failing (403 on write) sent nothing."""
    if shutil.which("flock") is None:
        pytest.skip("flock (util-linux) is not installed")
    sheet = demo_gsheet(capsys)
    google_env.share(sheet.removeprefix("gsheet:"), role="reader")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "sheetsync"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sheetsync "$@"\n')
    shim.chmod(0o755)
    home = tmp_path / "home"
    prepared_copy_rules(home)  # the rule packs' cache, as after any earlier run (test_copy_loading tests a cold one)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(ROOT),
        "SHEETSYNC_TEMPLATES_DIR": os.environ.get("SHEETSYNC_TEMPLATES_DIR", str(ROOT / "templates")),
        "SHEETSYNC_LOCK_DIR": str(tmp_path), "SHEETSYNC_DIR": str(tmp_path),
        **{name: os.environ[name] for name in os.environ if name.startswith(("SHEETSYNC_SMTP_", "SHEETSYNC_SHEETS_"))},
        "GOOGLE_APPLICATION_CREDENTIALS": os.environ["GOOGLE_APPLICATION_CREDENTIALS"],
    }
    run = subprocess.run([str(CRON_DIGEST), sheet], env=env, capture_output=True, text=True)
    log = (home / ".local" / "state" / "sheetsync" / "cron.log").read_text()
    sent = len(smtp_env.handler.received)
    assert sent >= 5, log  # the demo's daily readers, whatever today is
    assert run.returncode == 2, log  # the sync could not write: cron mails that one line
    assert ", digest --send exit 0" in log

    run = subprocess.run([str(CRON_DIGEST), "--digest-only", sheet], env=env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    assert len(smtp_env.handler.received) == sent  # once a day: the wrapper's state folder is the user's


def test_runs_opening_a_new_ledger_at_the_same_moment_all_get_it(tmp_path):
    """SQLite answers "database is locked" at once, without waiting, to one of two connections
    switching a new file to WAL together; before the ledger started over on that, about one
    round in twelve of four openers failed (CI saw it as a chat digest that never ran)."""
    import threading

    failures: list[Exception] = []
    for round_ in range(60):
        path = tmp_path / f"round{round_}" / "sent.sqlite"
        start = threading.Barrier(4)

        def open_it(path: Path = path, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                with Ledger(path) as ledger:
                    ledger.was_sent("sheet", "a@example.com", dt.date(2026, 11, 30), "brief")
            except Exception as exc:  # noqa: BLE001  (collected and asserted on below)
                failures.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert failures == []
