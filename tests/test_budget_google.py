"""The Goals and Budget computed columns on a Google Sheet: the normal sync writes them (the fake Google)."""

from __future__ import annotations

import json
import re

from money_case import BUDGET, GOALS, RESULTS, SETTINGS, TODAY

from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)


def typed(value: object) -> object:
    """A cell as a person types it in Google Sheets (dates as ISO text, read back as dates: USER_ENTERED)."""
    return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else value


def test_a_google_sheet_gets_the_goal_and_budget_columns(fake_google, tmp_path, monkeypatch, capsys):
    key_file = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    assert main(["init", "--gsheet", "Money", "--today", TODAY.isoformat()]) == 0
    key = re.search(r"/spreadsheets/d/([^/\s]+)", capsys.readouterr().out).group(1)
    project = fake_google.values(key, "Project")
    for row, cells in enumerate(project, start=1):
        if cells and cells[0] in SETTINGS:
            fake_google.set_values(key, f"Project!B{row}", [[typed(SETTINGS[cells[0]])]])
    for sheet, rows in (("Goals", GOALS), ("Budget", BUDGET), ("Results", RESULTS)):
        fake_google.set_values(key, f"{sheet}!A2", [[typed(v) for v in r] for r in rows])

    main(["sync", f"gsheet:{key}", "--today", TODAY.isoformat(), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["budget"]["spent"] == 3900 and report["budget"]["overrun_pct"] == 31
    goals = fake_google.values(key, "Goals!F2:I7")
    assert [row[-1] for row in goals] == ["ON TRACK", "BEHIND", "MET", "BEHIND", "MISSED", "CHECK"]
    assert goals[1][:2] == ["4500", "22.5"]  # Actual and Progress (a percentage number) as Google shows them
    budget = fake_google.values(key, "Budget!H2:K4")
    assert budget == [["3300", "45", "9000", "WILL OVERRUN"], ["-500", "33.3", "3500", "OVER BUDGET"],
                      ["800", "20", "600", "OK"]]
    main(["sync", f"gsheet:{key}", "--today", TODAY.isoformat(), "--json"])
    assert json.loads(capsys.readouterr().out)["changed_cells"] == 0  # a second sync writes nothing
