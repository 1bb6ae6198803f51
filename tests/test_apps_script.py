"""The Google Sheets menu (templates/apps-script/) run in Node over a shim of Google's services, against the
real `sheetsync serve` (uvicorn on 127.0.0.1) and the fake Google; and `sheetsync apps-script DIR`.

tests/apps_script_run.py plays a scenario: tests/apps_script/runner.js loads the .gs files in a vm context with
tests/apps_script/shim.js, plays one scenario and prints everything the script did (each call, the menus,
sidebars, dialogs, properties, triggers, cells).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import json
import re
import time
import tomllib
from pathlib import Path

import pytest
from apps_script_run import run_scenario, script_text, shown
from fake_google.server import FakeGoogle
from serve_server import post, running_service

from sheetsync.apps_script import FILES, template_folder
from sheetsync.cli import main
from sheetsync.serve import TokenStore

# The manifest's scopes, each the narrowest that lets its job work (the README names the same list).
SCOPES = [
    "https://www.googleapis.com/auth/spreadsheets.currentonly",  # this sheet only: id, locale, selection, select a cell
    "https://www.googleapis.com/auth/script.container.ui",  # the menu, the sidebar, the Settings dialog
    "https://www.googleapis.com/auth/script.external_request",  # UrlFetchApp: call the sheetsync service
    "https://www.googleapis.com/auth/script.scriptapp",  # ScriptApp: install and remove the hourly trigger
]


def run_script(tmp_path: Path, scenario: str, **config: object) -> dict:
    """Play `scenario` in Node; the record of what the script did."""
    return run_scenario(tmp_path, scenario, config)


def links(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(s), html.unescape(c)) for s, c in re.findall(r'data-sheet="([^"]*)" data-cell="([^"]*)"', page)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The zh demo campaign on the fake Google with one Duration made unreadable (a problem to link to),
    the running service, and a token for that sheet; demo["en"]: the same for an English demo.
    Made once for the module (each costs ~1.5 s)."""
    tmp = tmp_path_factory.mktemp("menu")
    with FakeGoogle() as google, pytest.MonkeyPatch.context() as env:
        env.setenv("SHEETSYNC_SHEETS_ENDPOINT", google.url)
        env.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(google.service_account_file(tmp / "sa.json")))
        key, english_key = new_demo_sheet("zh"), new_demo_sheet("en")
        state = tmp / "state"
        token, english_token = TokenStore(state).add(key), TokenStore(state).add(english_key)
        with running_service(state, warm=False, rate=0, google_rate=0) as address:  # limits: test_serve*
            found = {"google": google, "key": key, "token": token, "address": address, "tmp": tmp}
            found["broken"] = break_a_duration(found, row=3)
            found["en"] = {**found, "key": english_key, "token": english_token}
            yield found


def new_demo_sheet(lang: str) -> str:
    """`sheetsync init --gsheet … --demo` on the fake Google; the new sheet's key."""
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main(["init", "--gsheet", "Serum launch", "--demo", "--today", "2026-11-27", "--lang", lang]) == 0
    url = re.search(r"https://docs.google.com/spreadsheets/d/\S+", said.getvalue()).group(0)
    return url.split("/d/")[1].split("/")[0]


def sheet_cells(fake_google, key: str) -> dict[str, list[list[object]]]:
    """The shim's spreadsheet: every sheet of the fake Google's copy, as values."""
    return {s.title: fake_google.values(key, s.title) for s in fake_google.spreadsheet(key).sheets}


def script_config(demo: dict, **extra: object) -> dict:
    settings = {"sheetsync.address": demo["address"], "sheetsync.token": demo["token"]}
    config = {"id": demo["key"], "locale": "zh_CN", "properties": settings,
              "sheets": sheet_cells(demo["google"], demo["key"])}
    return {**config, **extra}


# ---- opening the sheet ----


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        ("zh_CN", ["立即同步", "检查文案", "预览摘要", None, "每小时同步", "设置"]),
        ("en_US", ["Sync now", "Check copy", "Preview digest", None, "Hourly sync", "Settings"]),
        ("de_DE", ["Sync now", "Check copy", "Preview digest", None, "Hourly sync", "Settings"]),
    ],
)
def test_opening_the_sheet_builds_the_menu_in_its_language(tmp_path, locale, labels):
    record = run_script(tmp_path, "open", id="KEY", locale=locale, sheets={"Timeline": [["ID"]]})
    [menu] = record["menus"]
    assert menu["caption"] == "sheetsync"
    assert [item.get("label") for item in menu["items"]] == labels
    assert [item.get("fn") for item in menu["items"]] == [
        "sheetsyncSyncNow", "sheetsyncCheckCopy", "sheetsyncPreviewDigest", None, "sheetsyncToggleHourly",
        "sheetsyncShowSettings",
    ]
    assert not any(c["call"].startswith(("UrlFetchApp", "ScriptApp")) for c in record["calls"])  # onOpen is simple


def test_every_visible_text_has_both_languages_with_the_same_placeholders(tmp_path):
    table = run_script(tmp_path, "open", id="KEY", locale="en_US", sheets={})["text"]
    assert len(table) > 40
    for key, (en, zh) in table.items():
        assert en and zh, key
        assert sorted(re.findall(r"\{\w+\}", en)) == sorted(re.findall(r"\{\w+\}", zh)), key
        assert key in ("menu", "errorTitle") or re.search(r"[\u4e00-\u9fff]", zh), key


def test_the_script_keeps_to_es2019_and_calls_no_service_beyond_its_scopes():
    code = script_text()
    assert not re.search(r"\?\.[\w(\[]|\?\?", code)  # optional chaining and ?? came in ES2020
    used = set(re.findall(r"\b([A-Z]\w+(?:App|Service))\.", code))
    assert used == {"SpreadsheetApp", "UrlFetchApp", "PropertiesService", "HtmlService", "ScriptApp"}
    assert set(re.findall(r"\b(Utilities)\.", code)) == {"Utilities"}  # formatDate: no scope needed


# ---- Sync now, against the running service ----


def break_a_duration(demo: dict, *, row: int) -> str:
    """Type words into a Duration cell of the Timeline, as a person might; the problem's cell, "时间表!E3"."""
    google, key = demo["google"], demo["key"]
    timeline = "时间表"  # the zh demo's Timeline
    header = google.values(key, f"{timeline}!A1:Z1")[0]
    column = chr(ord("A") + header.index("工期"))
    google.set_values(key, f"{timeline}!{column}{row}", [["很快"]])  # "三天" would be read as 3
    return f"{timeline}!{column}{row}"


def test_sync_now_shows_the_services_answer_in_the_sidebar(demo, capsys):
    broken = demo["broken"]
    record = run_script(demo["tmp"], "sync", **script_config(demo))
    [fetch] = [c for c in record["calls"] if c["call"] == "UrlFetchApp.fetch"]
    url, params = fetch["args"]
    assert url == f"{demo['address']}/v1/sheets/{demo['key']}/sync"
    assert params["method"] == "post" and params["muteHttpExceptions"] is True
    assert json.loads(params["payload"]) == {"today": dt.datetime.now(dt.UTC).date().isoformat()}  # Etc/GMT
    assert params["headers"] == {"Authorization": f"Bearer {demo['token']}", "Accept-Language": "zh-CN"}

    # What the sheet now says, read by the CLI after the service's sync: the sidebar must show the same.
    assert main(["check", f"gsheet:{demo['key']}", "--json"]) in (0, 1)
    truth = json.loads(capsys.readouterr().out)
    [sidebar] = record["sidebars"]
    text = shown(sidebar["html"])
    assert sidebar["title"] == "sheetsync：同步"
    launch = truth["launch"]
    if launch["at_risk"]:
        assert f"上线日期 {launch['date']}：有风险，将推迟 {launch['slip_days']} 个工作日（预计 {launch['projected']}）" in text
    else:
        assert f"上线日期 {launch['date']}：按计划进行" in text
    assert truth["attention"], "the demo has overdue and at-risk rows"
    positions = []
    for row in truth["attention"]:
        what = " ".join(part for part in (row["label"], row["id"], row["what"]) if part)
        line = what + (f" · 截止 {row['due']}" if row["due"] else "")
        assert line in text, line
        positions.append(text.index(line))
    assert positions == sorted(positions)  # overdue first, as the service orders them
    assert truth["problems"] and broken in [f"{p['sheet']}!{p['cell']}" for p in truth["problems"]]
    for problem in truth["problems"]:
        assert problem["problem"] in text
    page_links = links(sidebar["html"])
    assert [(p["sheet"], p["cell"]) for p in truth["problems"]] == page_links[len(truth["attention"]):]
    assert [(r["sheet"], r["cell"]) for r in truth["attention"]] == page_links[: len(truth["attention"])]


def test_an_english_book_gets_an_english_sidebar_whatever_the_locale(demo, capsys):
    english = demo["en"]
    record = run_script(english["tmp"], "sync", **script_config(english, locale="zh_CN"))
    assert main(["check", f"gsheet:{english['key']}", "--json"]) in (0, 1)
    truth = json.loads(capsys.readouterr().out)
    [sidebar] = record["sidebars"]
    text = shown(sidebar["html"])
    launch = truth["launch"]
    days = "working day" if launch["slip_days"] == 1 else "working days"
    assert sidebar["title"] == "sheetsync: sync" and text.startswith(
        f"Launch {launch['date']}: AT RISK by {launch['slip_days']} {days} (projected {launch['projected']})"
        if launch["at_risk"] else f"Launch {launch['date']}: on track"
    )
    assert "Needs attention" in text and "OVERDUE" in text
    assert ("No problems." in text) == (not truth["problems"])


def test_a_problem_link_selects_its_cell(demo):
    broken = demo["broken"]
    record = run_script(demo["tmp"], "select", **script_config(demo, click=broken))
    sheet, cell = broken.split("!")
    assert record["clicked"] == {"sheet": sheet, "cell": cell, "prevented": True, "status": ""}
    assert record["activeRange"] == {"sheet": sheet, "a1": cell}
    assert {"call": "google.script.run.sheetsyncSelect", "args": [sheet, cell]} in record["calls"]


def test_a_link_to_a_sheet_since_renamed_says_so_in_the_sidebar(demo):
    cells = sheet_cells(demo["google"], demo["key"])
    cells["时间表（旧）"] = cells.pop("时间表")
    record = run_script(demo["tmp"], "select", **script_config(demo, sheets=cells, click=demo["broken"]))
    assert record["activeRange"] is None
    assert record["clicked"]["status"] == "已没有名为 时间表 的工作表；是否改了名？"


def test_a_wrong_token_shows_the_services_one_line_error(demo):
    demo = demo["en"]  # an English book: English lines (a Chinese book's tabs make them Chinese whatever the locale)
    config = script_config(demo, locale="en_US")
    config["properties"]["sheetsync.token"] = "not-" + demo["token"]
    record = run_script(demo["tmp"], "sync", **config)
    [sidebar] = record["sidebars"]
    [error] = re.findall(r'<p class="error">([^<]*)</p>', sidebar["html"])
    answer = post(demo["address"], demo["key"], "sync", "not-" + demo["token"], Accept_Language="en")
    assert answer.status_code == 401
    assert html.unescape(error) == answer.json()["error"] and "\n" not in error and "not-" not in error
    assert "The address and token are in the sheetsync menu → Settings." in shown(sidebar["html"])
    assert record["dialogs"] == []


def test_no_settings_opens_the_settings_dialog_saying_why(tmp_path):
    record = run_script(tmp_path, "nosettings", id="KEY", locale="zh_CN", sheets={"Timeline": [["ID"]]})
    assert record["sidebars"] == [] and not any(c["call"] == "UrlFetchApp.fetch" for c in record["calls"])
    [dialog] = record["dialogs"]
    assert dialog["title"] == "sheetsync 设置"
    assert '<p class="why">请先填写 sheetsync 服务地址和本表的令牌' in dialog["html"]


# ---- Hourly sync ----


def test_hourly_sync_installs_exactly_one_trigger_and_the_second_toggle_removes_it(demo):
    record = run_script(demo["tmp"], "hourly", **script_config(demo))
    opened, on, fired, off = record["snapshots"]
    assert opened["triggers"] == [] and opened["menu"][0]["items"][4]["label"] == "每小时同步"
    assert [(t["handler"], t["type"], t["everyHours"]) for t in on["triggers"]] == [("sheetsyncHourly", "CLOCK", 1)]
    assert on["menu"][0]["items"][4]["label"] == "每小时同步 ✓（已开启）"
    assert fired["fetches"] == 1  # the handler synced, touching no UI (the shim refuses getUi then)
    assert off["triggers"] == [] and off["menu"][0]["items"][4]["label"] == "每小时同步"
    assert record["triggers"] == [] and "sheetsync.hourly" not in record["properties"]
    assert [c["args"] for c in record["calls"] if c["call"] == "ScriptApp.newTrigger"] == [["sheetsyncHourly"]]


def test_hourly_sync_without_settings_installs_nothing_and_asks_for_them(tmp_path):
    record = run_script(tmp_path, "toggle", id="KEY", locale="en_US", sheets={"Timeline": [["ID"]]})
    assert record["triggers"] == [] and record["alerts"] == []
    [dialog] = record["dialogs"]
    assert "Set the sheetsync service address and this sheet&#39;s token first" in dialog["html"]


def test_hourly_sync_that_another_editor_turned_on_is_not_installed_twice(tmp_path):
    now_ms = int(time.time() * 1000)
    settings = {"sheetsync.address": "https://sheetsync.example.com", "sheetsync.token": "t" * 32}
    alive = {**settings, "sheetsync.hourly": str(now_ms - 50 * 60 * 1000)}  # their trigger ran 50 minutes ago
    record = run_script(tmp_path, "toggle2", id="KEY", locale="zh_CN", sheets={}, properties=alive)
    assert record["triggers"] == [] and not any(c["call"] == "ScriptApp.newTrigger" for c in record["calls"])
    assert record["alerts"] == ["每小时同步已由另一位编辑者开启，只有该编辑者可以关闭。"] * 2
    assert record["snapshots"][0]["menu"][0]["items"][4]["label"] == "每小时同步 ✓（已开启）"

    stale = {**settings, "sheetsync.hourly": str(now_ms - 4 * 60 * 60 * 1000)}  # silent for four hours: gone
    record = run_script(tmp_path, "toggle", id="KEY", locale="zh_CN", sheets={}, properties=stale)
    assert record["snapshots"][0]["menu"][0]["items"][4]["label"] == "每小时同步"
    assert [t["handler"] for t in record["triggers"]] == ["sheetsyncHourly"]
    assert record["alerts"] == ["每小时同步已开启：本表每小时同步一次。"]


def test_the_hourly_handler_syncs_the_sheet_without_a_person(demo):
    google, key = demo["google"], demo["key"]
    broken = break_a_duration(demo, row=4)
    run_script(demo["tmp"], "hourly", **script_config(demo))
    problems = google.values(key, "问题!A1:D20")
    assert any(broken.split("!")[1] in " ".join(map(str, row)) for row in problems), problems


# ---- Settings ----


def test_settings_keep_the_token_in_document_properties_never_in_a_cell(demo):
    demo = demo["en"]  # an English book, for the English dialog
    config = script_config(demo, locale="en_US", properties={})
    config["form"] = {"address": demo["address"] + "/", "token": demo["token"]}
    before = json.loads(json.dumps(config["sheets"]))
    record = run_script(demo["tmp"], "settings", **config)
    token = demo["token"]
    assert record["submitted"] == {"status": "Saved.", "prevented": True} and record["closed"] == 1
    assert record["properties"] == {"sheetsync.address": demo["address"], "sheetsync.token": token}
    assert record["cells"] == before  # not one cell written
    assert token not in json.dumps(record["cells"], ensure_ascii=False)
    for dialog in record["dialogs"]:
        assert token not in dialog["html"]
    assert f"A token is saved (…{token[-4:]}); leave empty to keep it." in record["dialogs"][1]["html"]
    # The token travels only to the document's properties and, as the bearer header, to the service.
    carriers = {c["call"] for c in record["calls"] if token in json.dumps(c, ensure_ascii=False)}
    assert carriers == {"google.script.run.sheetsyncSaveSettings", "Properties.setProperties", "UrlFetchApp.fetch"}
    assert not any(c["call"].startswith("Range.set") for c in record["calls"])
    assert shown(record["sidebars"][0]["html"]).startswith("Launch ")  # the saved settings work
    style = (template_folder() / "Style.html").read_text(encoding="utf-8")
    assert style in record["dialogs"][0]["html"] and style in record["sidebars"][0]["html"]  # include('Style')


@pytest.mark.parametrize(
    "address",
    ["http://sheetsync.example.com", "ftp://127.0.0.1", "https://", "javascript:alert(1)", "http://127.0.0.1.evil.com"],
)
def test_settings_refuse_an_address_that_would_send_the_token_in_the_clear(tmp_path, address):
    config = {"id": "KEY", "locale": "en_US", "sheets": {"Timeline": [["ID"]]},
              "form": {"address": address, "token": "secret-token-1234"}}
    record = run_script(tmp_path, "settings", **config)
    assert record["submitted"]["status"] == (
        "The address must start with https:// (http:// only for 127.0.0.1 or localhost, for a trial)."
    )
    assert record["properties"] == {} and record["closed"] == 0


# ---- Check copy and Preview digest ----


def test_check_copy_sends_the_selected_cells_and_links_each_finding_to_its_cell(demo):
    cells = sheet_cells(demo["google"], demo["key"])
    reviews = cells["审核"]
    column = reviews[0].index("文案")
    letter = chr(ord("A") + column)
    cells["审核"][1][column] = "全网最好的精华，7天根治痘痘"  # typed by a person, not yet synced
    config = script_config(demo, sheets=cells, selection=[{"sheet": "审核", "a1": f"{letter}2:{letter}3"}],
                           click=f"审核!{letter}2")
    record = run_script(demo["tmp"], "lint", **config)
    [fetch] = [c for c in record["calls"] if c["call"] == "UrlFetchApp.fetch"]
    sent = json.loads(fetch["args"][1]["payload"])
    expected = [{"cell": f"审核!{letter}{row}", "text": str(reviews[row - 1][column]).strip()} for row in (2, 3)
                if str(reviews[row - 1][column]).strip()]
    assert fetch["args"][0].endswith("/lint") and sent == {"cells": expected}
    [sidebar] = record["sidebars"]
    assert sidebar["title"] == "sheetsync：文案检查"
    assert ("审核", f"{letter}2") in links(sidebar["html"]) and "最好" in shown(sidebar["html"])
    assert record["activeRange"] == {"sheet": "审核", "a1": f"{letter}2"}


def test_check_copy_with_nothing_selected_asks_for_every_copy_cell(demo):
    record = run_script(demo["tmp"], "lint", **script_config(demo, selection=[]))
    [fetch] = [c for c in record["calls"] if c["call"] == "UrlFetchApp.fetch"]
    assert fetch["args"][1]["payload"] == "{}"
    assert re.search(r"已检查审核表的 \d+ 条文案", shown(record["sidebars"][0]["html"]))


def test_check_copy_of_a_huge_selection_checks_what_fits_and_says_so(demo):
    cells = sheet_cells(demo["google"], demo["key"])
    cells["草稿"] = [[f"第{n}条：最好的精华"] for n in range(1, 251)]
    record = run_script(demo["tmp"], "lint", **script_config(demo, sheets=cells, selection=[{"sheet": "草稿", "a1": "A1:A250"}]))
    [fetch] = [c for c in record["calls"] if c["call"] == "UrlFetchApp.fetch"]
    sent = json.loads(fetch["args"][1]["payload"])["cells"]
    assert [c["cell"] for c in sent] == [f"草稿!A{n}" for n in range(1, 201)]
    assert "所选文案超出一次检查的上限：只检查了前 200 个单元格。" in shown(record["sidebars"][0]["html"])


def test_preview_digest_shows_each_persons_digest(demo):
    record = run_script(demo["tmp"], "digest", **script_config(demo))
    [sidebar] = record["sidebars"]
    page = sidebar["html"]
    frames = re.findall(r'<iframe sandbox="" class="digest-body" srcdoc="([^"]*)"></iframe>', page)
    headings = re.findall(r"<h3>([^<]*)</h3>", page)
    assert frames and len(frames) == len(headings)
    assert all(html.unescape(h).split(" · ")[1] in ("简要摘要", "详细摘要") for h in headings)
    assert all("<" in html.unescape(f) and "<" not in f for f in frames)  # the digest's HTML, quoted into srcdoc


# ---- the manifest ----


def test_the_manifest_asks_for_the_narrowest_scopes_the_readme_names():
    manifest = json.loads((template_folder() / "appsscript.json").read_text(encoding="utf-8"))
    assert manifest["oauthScopes"] == SCOPES
    assert manifest["runtimeVersion"] == "V8" and manifest["exceptionLogging"] == "STACKDRIVER"
    broad = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
    assert not [s for s in manifest["oauthScopes"] if s in broad or "/auth/drive" in s or "mail" in s]
    code = script_text()
    assert "@OnlyCurrentDoc" in code and "SpreadsheetApp.openById" not in code and "DriveApp" not in code


# ---- sheetsync apps-script DIR ----


def test_the_menu_files_travel_with_the_wheel():
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["data-files"]["share/sheetsync/templates/apps-script"]
    assert sorted(shipped) == sorted(f"templates/apps-script/{name}" for name in FILES)
    assert sorted(p.name for p in template_folder().iterdir()) == sorted(FILES)


def test_apps_script_command_writes_the_project_files_and_refuses_to_overwrite_an_edited_one(tmp_path, capsys):
    folder = tmp_path / "menu"
    assert main(["apps-script", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[: len(FILES)] == [f"wrote {folder / name}" for name in FILES]
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (folder / name).read_bytes() == (template_folder() / name).read_bytes()

    (folder / "Code.gs").write_text("// my edit\n", encoding="utf-8")
    assert main(["apps-script", str(folder), "--script-id", "1abcDEF"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Code.gs" in err and "--replace" in err
    assert (folder / "Code.gs").read_text(encoding="utf-8") == "// my edit\n" and not (folder / ".clasp.json").exists()

    assert main(["apps-script", str(folder), "--script-id", "1abcDEF", "--replace"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"replaced {folder / 'Code.gs'}" and f"unchanged {folder / 'Sidebar.html'}" in out
    assert json.loads((folder / ".clasp.json").read_text(encoding="utf-8")) == {"scriptId": "1abcDEF"}
    assert out[-1] == f"Next: cd {folder} && clasp push"
    assert (folder / "Code.gs").read_bytes() == (template_folder() / "Code.gs").read_bytes()
