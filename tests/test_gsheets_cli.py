"""The Google Sheets backend through the public CLI: init --gsheet, sync, check, digest, against the fake API."""

from __future__ import annotations

import json
import re

import pytest

from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)


@pytest.fixture
def google_env(fake_google, tmp_path, monkeypatch):
    key = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    return fake_google


def test_init_sync_check_digest_on_a_google_sheet(google_env, tmp_path, capsys):
    code = main(["init", "--gsheet", "Serum launch", "--share", "li.na@agency.example.com", "--demo",
                 "--today", "2026-11-27"])
    out = capsys.readouterr().out
    assert code == 0, out
    url = re.search(r"https://docs.google.com/spreadsheets/d/\S+", out).group(0)
    assert "Shared with li.na@agency.example.com (Editor)." in out

    google_env.calls.clear()
    code = main(["sync", url, "--today", "2026-11-27", "--json"])
    first = json.loads(capsys.readouterr().out)
    assert code == 0 and first["written"] and first["changed_cells"] > 50
    assert [c.name for c in google_env.calls] == [
        "spreadsheets.get", "spreadsheets.values.batchGet", "spreadsheets.batchUpdate"
    ]
    key = url.split("/d/")[1].split("/")[0]
    timeline = google_env.values(key, "Timeline")
    assert timeline[0][14] == "Flag" and "OVERDUE" in [row[14] for row in timeline[1:] if len(row) > 14]

    google_env.calls.clear()
    code = main(["sync", f"gsheet:{key}", "--today", "2026-11-27", "--json"])
    second = json.loads(capsys.readouterr().out)
    assert second["changed_cells"] == 0 and [c.name for c in google_env.calls] == ["spreadsheets.get"]

    code = main(["check", f"gsheet:{key}", "--today", "2026-11-27", "--json"])
    assert json.loads(capsys.readouterr().out)["flags"] == first["flags"]

    code = main(["digest", f"gsheet:{key}", "--today", "2026-11-30", "--outbox", str(tmp_path / "outbox"),
                 "--state", str(tmp_path / "state")])
    assert code == 0 and len(list((tmp_path / "outbox").glob("*.eml"))) == 6


def test_no_access_is_one_line_that_says_whom_to_share_with(google_env, capsys):
    key = google_env.create_spreadsheet("Private", sheets=("Project", "Timeline"), share_with_service_account=False)
    code = main(["sync", f"gsheet:{key}"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "share the sheet with sheetsync-test@fake-project.iam.gserviceaccount.com" in err
