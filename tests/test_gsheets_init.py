"""Issue 14, items 1, 5, 6 and 8 (init): setting up a Google Sheet as a team really does, against the fake Google.

Laying out a sheet a person made (the README's fallback when the service account has
no Drive storage), every address a browser shows, an .xlsx kept on Drive, several
--share addresses and a share Google refuses, init --demo synced, an empty timeline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import sheetsync
from sheetsync import contract
from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "sheetsync-test@fake-project.iam.gserviceaccount.com"
TODAY = "2026-11-27"


@pytest.fixture
def google_env(fake_google, tmp_path, monkeypatch):
    key = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    return fake_google


def titles(fake, key) -> list[str]:
    return [sheet.title for sheet in fake.spreadsheet(key).sheets]


# --- 1: init lays out an existing sheet --------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_lays_out_an_empty_sheet_a_person_made_and_it_syncs(google_env, capsys, lang):
    key = google_env.create_spreadsheet("Serum launch", sheets=("Sheet1",))  # a person's new, empty sheet
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"

    address = f"https://docs.google.com/spreadsheets/u/1/d/{key}/edit#gid=0"
    assert main(["init", address, "--lang", lang, "--launch", "2026-12-14"]) == 0
    out = capsys.readouterr().out
    labels = [spec.label(lang) for spec in contract.SHEETS]
    assert titles(google_env, key) == labels  # Google's blank Sheet1 became the first tab
    assert [c.name for c in google_env.calls] == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    timeline = contract.TIMELINE.label(lang)
    assert google_env.values(key, f"'{timeline}'!1:1")[0][:3] == [c.label(lang) for c in contract.TIMELINE.columns[:3]]
    assert google_env.cell(key, f"'{timeline}'!H2")["dataValidation"]["strict"] is True
    assert google_env.spreadsheet(key).sheet_by_title(timeline).grid["frozenRowCount"] == 1
    assert google_env.spreadsheet(key).sheet_by_title(timeline).conditional_formats
    if lang == "en":
        assert out.splitlines() == [
            f"Laid out {url} as the campaign template (English headers): {', '.join(labels)}.",
            f"Next: fill in the Project and Timeline tabs, then run: sheetsync sync {url}",
        ]
    else:
        assert out.splitlines()[0] == f"已将 {url} 按项目模板排好（中文表头）：{', '.join(labels)}。"

    assert main(["sync", f"gsheet:{key}", "--today", TODAY]) == 0, capsys.readouterr()


def test_a_partly_filled_sheet_keeps_the_persons_tabs_and_data(google_env, capsys):
    key = google_env.create_spreadsheet("Ours", sheets=("Media plan", "Timeline", "Team"))
    google_env.set_values(key, "'Media plan'!A1", [["Line", "EUR"], ["Media", 12000]])
    google_env.set_values(key, "Timeline!A1", [["ID", "Task", "Owner"], ["T1", "Brief", "Li Na"]])
    before = {title: google_env.values(key, title) for title in ("Media plan", "Timeline")}

    done = sheetsync.lay_out(f"gsheet:{key}")

    assert done.kept == ("Timeline",)
    assert done.added == tuple(spec.label("en") for spec in contract.SHEETS if spec.name != "Timeline")
    assert titles(google_env, key)[:3] == ["Media plan", "Timeline", "Team"]  # untouched order, Team laid out in place
    assert {title: google_env.values(key, title) for title in ("Media plan", "Timeline")} == before
    for title in ("Media plan", "Timeline"):
        sheet = google_env.spreadsheet(key).sheet_by_title(title)
        assert sheet.conditional_formats == [] and sheet.protected_ranges == []
    assert google_env.values(key, "Team!1:1")[0][:3] == [c.label("en") for c in contract.TEAM.columns[:3]]
    assert done.workbook.target == f"https://docs.google.com/spreadsheets/d/{key}/edit"

    google_env.calls.clear()
    assert main(["init", f"gsheet:{key}"]) == 0  # again: nothing left to lay out, nothing written
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        f"https://docs.google.com/spreadsheets/d/{key}/edit already has every campaign tab; nothing was laid out.",
        "Left as they were, since they already hold data (sync reads them by their headers): "
        + ", ".join(spec.label("en") for spec in contract.SHEETS) + ".",
    ]
    assert [c.name for c in google_env.calls] == ["spreadsheets.get"]


def test_demo_on_a_sheet_with_data_is_refused_before_writing(google_env, capsys):
    key = google_env.create_spreadsheet("Ours", sheets=("Timeline",))
    google_env.set_values(key, "Timeline!A1", [["ID"], ["T1"]])
    assert main(["init", f"gsheet:{key}", "--demo"]) == 2
    assert capsys.readouterr().err == (
        f"Error: gsheet:{key}: --demo needs a sheet without campaign data, and its Timeline tab already has some; "
        "lay it out without --demo, or use an empty sheet.\n"
    )
    assert [c.name for c in google_env.calls] == ["spreadsheets.get"]


def test_init_demo_on_an_empty_sheet_is_synced(google_env, capsys):
    key = google_env.create_spreadsheet("Demo", sheets=("Sheet1",))
    assert main(["init", f"https://drive.google.com/open?id={key}", "--demo", "--today", TODAY]) == 0
    out = capsys.readouterr().out
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert out.splitlines()[-1] == (
        f"Next: open {url} to see the flags; change a Status or a date, then run: sheetsync sync {url}"
    )
    flags = [row[14] for row in google_env.values(key, "Timeline")[1:] if len(row) > 14]
    assert "OVERDUE" in flags


# --- 5: addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://docs.google.com/spreadsheets/u/1/d/{key}/edit",
        "https://docs.google.com/spreadsheets/u/0/d/{key}/edit#gid=0",
        "https://drive.google.com/open?id={key}",
        "https://drive.google.com/open?id={key}&authuser=0",
        "https://drive.google.com/file/d/{key}/view?usp=sharing",
        "docs.google.com/spreadsheets/d/{key}/edit#gid=12345",
    ],
)
def test_every_address_a_browser_shows_opens_the_sheet(google_env, capsys, address):
    key = google_env.create_spreadsheet("Campaign", sheets=("Project", "Timeline"))
    google_env.set_values(key, "Project!A1", [["Setting", "Value"], ["Project", "Serum"]])
    main(["check", f"gsheet:{key}", "--json"])
    expected = json.loads(capsys.readouterr().out)
    assert main(["check", address.format(key=key), "--json"]) == 1  # opened and read: the same problems
    assert json.loads(capsys.readouterr().out)["problems"] == expected["problems"] != []


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sheetsync", *args], capture_output=True, text=True, env=env,
                          check=False, timeout=120)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_xlsx_on_drive_says_to_save_it_as_a_google_sheet(google_env, tmp_path, lang):
    file_id = google_env.add_drive_file("campaign.xlsx")
    target = f"https://drive.google.com/file/d/{file_id}/view?usp=sharing"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8"}
    result = _cli("sync", target, env=env)
    assert result.returncode == 2 and result.stdout == ""
    if lang == "en":
        assert result.stderr == (
            f"Error: {target}: this Drive file is not a Google Sheet (an Excel file stored on Drive, for instance); "
            "open it in Google Sheets, choose File → Save as Google Sheets and use the new sheet's address, "
            "or download it and sync the file.\n"
        )
    else:
        assert "另存为 Google 表格" in result.stderr and "Save as" not in result.stderr
    assert _cli("init", f"gsheet:{file_id}", env=env).stderr == result.stderr.replace(target, f"gsheet:{file_id}")


# --- 6: several --share addresses; a share Google refuses ------------------------------------


def test_share_takes_several_addresses_repeated_or_comma_separated(google_env, capsys):
    code = main(["init", "--gsheet", "Serum", "--share", "li.na@agency.example.com, wang.lei@agency.example.com",
                 "--share", "ops@agency.example.com"])
    out = capsys.readouterr().out
    assert code == 0
    (key,) = google_env.spreadsheet_ids()
    permissions = google_env.spreadsheet(key).permissions
    assert [permissions[a] for a in ("li.na@agency.example.com", "wang.lei@agency.example.com",
                                     "ops@agency.example.com")] == ["writer"] * 3
    assert "Shared with li.na@agency.example.com, wang.lei@agency.example.com, ops@agency.example.com (Editor)." in out


def test_a_bad_address_among_several_stops_init_before_google_is_called(google_env, capsys):
    assert main(["init", "--gsheet", "Serum", "--share", "li.na@agency.example.com,wang.lei@agency"]) == 2
    assert capsys.readouterr().err == (
        'Error: --share wang.lei@agency: "wang.lei@agency" does not end in a domain such as example.com; '
        "write one address such as name@example.com.\n"
    )
    assert google_env.calls == [] and google_env.spreadsheet_ids() == []


def test_a_refused_share_deletes_the_new_sheet_and_says_so(google_env, capsys):
    google_env.refuse_sharing_with("client@brand.example.com")
    code = main(["init", "--gsheet", "Serum", "--share", "li.na@agency.example.com,client@brand.example.com"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert google_env.spreadsheet_ids() == []  # no robot-owned orphan; a re-run makes exactly one sheet
    assert err.startswith("Error: Sharing the new Google Sheet with client@brand.example.com failed: ")
    assert 'ACL change not allowed.' in err
    assert err.endswith(
        "The sheet was deleted again, so nothing is left behind and running init again makes no second copy. "
        "li.na@agency.example.com got Google's invitation to it, which now leads nowhere. Give another address, "
        "or ask your Google Workspace admin to allow sharing with it, then run init again.\n"
    )
    assert [c.name for c in google_env.calls_to("drive.*")] == [
        "drive.permissions.create", "drive.permissions.create", "drive.files.delete"
    ]


def test_a_refused_share_that_cannot_be_undone_gives_the_sheet_and_how_to_share_it(google_env, capsys):
    google_env.refuse_sharing_with("client@brand.example.com")
    google_env.fail_next(1, 403, "drive.files.delete", "The user does not have sufficient permissions for this file.")
    assert main(["init", "--gsheet", "Serum", "--share", "client@brand.example.com"]) == 2
    err = capsys.readouterr().err
    (key,) = google_env.spreadsheet_ids()
    assert f"The sheet exists at https://docs.google.com/spreadsheets/d/{key}/edit, owned by {ACCOUNT}" in err
    assert err.rstrip().endswith(
        f"Do not run init --gsheet again (that makes a second sheet); share this one with: "
        f"sheetsync init gsheet:{key} --share YOUR@ADDRESS"
    )
    google_env.calls.clear()
    assert main(["init", f"gsheet:{key}", "--share", "li.na@agency.example.com"]) == 0  # what the message says works
    assert google_env.spreadsheet(key).permissions["li.na@agency.example.com"] == "writer"
    assert "drive.permissions.create" in [c.name for c in google_env.calls]


# --- 8: init --demo is synced; an empty timeline is not "on track" ---------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_demo_file_is_synced_and_says_what_to_do_with_a_demo(tmp_path, capsys, lang):
    path = tmp_path / "demo.xlsx"
    assert main(["init", str(path), "--demo", "--lang", lang, "--today", TODAY]) == 0
    out = capsys.readouterr().out
    timeline = openpyxl.load_workbook(path)[contract.TIMELINE.label(lang)]
    flags = [row[14] for row in timeline.iter_rows(min_row=2, values_only=True) if row[0]]
    assert any(flags)
    expected = sheetsync.open(path).check(today=dt.date.fromisoformat(TODAY))
    assert expected.changed_cells == 0  # init's sync already wrote everything
    if lang == "en":
        assert out.splitlines()[-1] == (
            f"Next: open {path} to see the flags; change a Status or a date, then run: sheetsync sync {path}"
        )
        assert "Launch 2026-12-" in out
    else:
        assert out.splitlines()[-1] == f"下一步：打开 {path} 查看标记；修改某个状态或日期后运行：sheetsync sync {path}"
        assert "上线日期 2026-12-" in out
    assert "fill in" not in out and "填写" not in out


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Launch 2026-12-14: nothing planned yet; add the tasks on the Timeline sheet."),
        ("zh", "上线日期 2026-12-14：尚未安排任何任务；请在“时间表”工作表中添加任务。"),
    ],
)
def test_an_empty_timeline_is_not_on_track(tmp_path, capsys, lang, line):
    path = tmp_path / "new.xlsx"
    assert main(["init", str(path), "--lang", lang, "--launch", "2026-12-14"]) == 0
    capsys.readouterr()
    assert main(["check", str(path), "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert line in out.splitlines()
    assert "on track" not in out and "按计划" not in out


@pytest.mark.parametrize(("lang", "locale", "zone"), [("zh", "zh_CN", "Asia/Shanghai"), ("en", "en_US", "Etc/GMT")])
def test_a_new_chinese_sheet_keeps_shanghai_time(google_env, capsys, lang, locale, zone):
    """The Sheets menu asks the service for today in the sheet's time zone, so a zh team's new sheet
    is on Shanghai time (before 08:00 there it is still yesterday in UTC); an English one keeps
    Google's default, as Google picks it for the account."""
    assert main(["init", "--gsheet", "上海秋季新品" if lang == "zh" else "Autumn launch", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert ("（项目模板，中文表头）" if lang == "zh" else "(campaign template, English headers)") in out
    key = out.rsplit("/d/", 1)[1].split("/")[0]
    properties = google_env.spreadsheet(key).properties
    assert (properties["locale"], properties.get("timeZone")) == (locale, zone)
