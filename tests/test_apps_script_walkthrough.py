"""README's "The Google Sheets menu", walked through as a Shanghai agency's team would: a zh campaign
(`sheetsync init --gsheet 上海秋季新品 --demo --lang zh`), a zh_CN sheet, Chinese typos, 小红书-style
evasions in the copy, settings pasted from a chat window with an IME still in full-width mode, the service down.

The menu's .gs files run in Node over tests/apps_script/shim.js against the real service (uvicorn on
127.0.0.1) and the fake Google; one demo and one service for the module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import http.server
import io
import json
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from apps_script_run import run_scenario, script_text, shown
from fake_google.server import FakeGoogle
from serve_server import running_service

from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.engine.compliance import CATEGORY_NAMES, category_name
from sheetsync.engine.schedule import _REASONS as PROVISIONAL_REASONS
from sheetsync.serve import TokenStore


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    """The zh demo on the fake Google, the running service and the sheet's token (made once: ~2 s)."""
    tmp = tmp_path_factory.mktemp("walk")
    with FakeGoogle() as google, pytest.MonkeyPatch.context() as env:
        env.setenv("SHEETSYNC_SHEETS_ENDPOINT", google.url)
        env.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(google.service_account_file(tmp / "sa.json")))
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            assert main(["init", "--gsheet", "上海秋季新品", "--demo", "--lang", "zh", "--today", "2026-11-27"]) == 0
        key = re.search(r"/spreadsheets/d/([\w-]+)", said.getvalue()).group(1)
        token = TokenStore(tmp / "state").add(key)
        with running_service(tmp / "state", warm=False, rate=0, google_rate=0) as address:
            yield {"google": google, "key": key, "token": token, "address": address, "tmp": tmp,
                   "closed": google.closed_url}


def play(walk: dict, scenario: str, **config: object) -> dict:
    """Play `scenario` in the zh_CN sheet (settings saved unless `properties` is given); the script's record."""
    google, key = walk["google"], walk["key"]
    config.setdefault("properties", {"sheetsync.address": walk["address"], "sheetsync.token": walk["token"]})
    config.setdefault("sheets", {s.title: google.values(key, s.title) for s in google.spreadsheet(key).sheets})
    return run_scenario(walk["tmp"], scenario, {"id": key, "locale": "zh_CN", **config})


def error_line(page: str) -> str:
    [line] = re.findall(r'<p class="error">([^<]*)</p>', page)
    return html.unescape(line)


def english(text: str, *allowed: str) -> list[str]:
    """Latin words in a Chinese line, once the allowed names (an address, 'sheetsync') are taken out."""
    for name in (*allowed, "sheetsync"):
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def to_full_width(text: str) -> str:
    """What a Chinese IME in full-width mode types for ASCII text (Ａ for A, ： for :)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# ---- Sync now: the sidebar in Chinese, links to the cells to fix ----


def test_chinese_typos_in_a_date_and_a_dependency_are_problems_whose_links_select_their_cells(walk):
    google, key = walk["google"], walk["key"]
    google.set_values(key, "时间表!G4", [["2026-12-1O"]])  # a letter O for the zero
    google.set_values(key, "时间表!D6", [["T4、T99"]])  # the IME's 、 between two ids, one of them unknown
    try:
        record = play(walk, "select", click="时间表!D6")
        page = record["sidebars"][0]["html"]
        text = shown(page)
        assert text.startswith("上线日期 2026-12-15：")
        assert "时间表!G4 “2026-12-1O”不是日期" in text and "时间表!D6 T5 的前置任务“T99”不是时间表中的编号" in text
        assert record["activeRange"] == {"sheet": "时间表", "a1": "D6"}
        assert english(text) == []  # menu words, flags, problems and fixes: all Chinese
    finally:
        google.set_values(key, "时间表!G4", [[""]])
        google.set_values(key, "时间表!D6", [["T4"]])


def test_two_clicks_on_sync_now_both_answer_and_say_the_same(walk):
    answers = {}

    def click(n: int) -> None:
        answers[n] = play(walk, "sync")

    clicks = [threading.Thread(target=click, args=(n,)) for n in (1, 2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    first, second = (answers[n]["sidebars"][0]["html"] for n in (1, 2))
    drop_written = re.compile(r'<p class="written">[^<]*</p>')
    assert drop_written.sub("", first) == drop_written.sub("", second)
    assert "有风险" in shown(first) or "按计划进行" in shown(first)


def test_a_teammate_finishing_a_task_while_sync_now_runs_is_not_flagged(walk):
    google, key = walk["google"], walk["key"]
    reads = []

    def finish_t10(fake) -> None:  # between sheetsync's first read and its guard read before writing
        reads.append(1)
        fake.set_values(key, "时间表!H11:I11", [["已完成", "2026-12-07"]])

    google.before_next("spreadsheets.values.batchGet", finish_t10)  # the read is spreadsheets.get
    original = google.values(key, "时间表!H11:I11")
    google.set_values(key, "时间表!O12", [[""]])  # a flag wiped by hand: this sync has something to write
    try:
        text = shown(play(walk, "sync")["sidebars"][0]["html"])
        assert reads == [1]
        assert " T10 媒介排期" not in text
        assert google.values(key, "时间表!H11")[0] == ["已完成"]
    finally:
        google.set_values(key, "时间表!H11:I11", [original[0] + [""] * (2 - len(original[0]))])


# ---- Check copy ----


def test_check_copy_of_a_selection_over_two_sheets_names_each_findings_category_in_chinese(walk):
    sheets = {s.title: walk["google"].values(walk["key"], s.title) for s in walk["google"].spreadsheet(walk["key"]).sheets}
    sheets["审核"][1][7] = "全网最*好的精华，zui好用，7天根治痘痘"  # 审核!H2 (文案), typed and not yet synced
    sheets["草稿"] = [["这是最好的面霜"], ["100%有效，国家级"]]
    selection = [{"sheet": "审核", "a1": "H2"}, {"sheet": "草稿", "a1": "A1:A2"}]
    record = play(walk, "lint", sheets=sheets, selection=selection, click="草稿!A2")
    [fetch] = [c for c in record["calls"] if c["call"] == "UrlFetchApp.fetch"]
    assert [c["cell"] for c in json.loads(fetch["args"][1]["payload"])["cells"]] == ["审核!H2", "草稿!A1", "草稿!A2"]
    page = record["sidebars"][0]["html"]
    findings = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
                for li in re.findall(r"<li>(<b class=\"severity\">.*?)</li>", page)]
    assert findings[0].startswith("高 绝对化用语 “最*好”"), findings
    assert any(f.startswith("高 绝对化用语 “zui好用”") for f in findings)
    assert any(f.startswith("高 医疗功效宣称 “根治”") or "宣称治病 “根治”" in f for f in findings), findings
    assert record["activeRange"] == {"sheet": "草稿", "a1": "A2"}
    assert english(shown(page), "zui") == []  # the copy's own pinyin aside


def test_the_sidebars_category_names_are_the_books(walk):
    table = play(walk, "open", sheets={}, properties={})["categories"]
    assert sorted(table) == sorted(CATEGORY_NAMES)
    with i18n.language("zh"):
        assert {c: names[1] for c, names in table.items()} == {c: category_name(c) for c in CATEGORY_NAMES}
    with i18n.language("en"):
        assert {c: names[0] for c, names in table.items()} == {c: category_name(c) for c in CATEGORY_NAMES}


# ---- Settings typed with a Chinese IME ----


def test_a_token_pasted_with_full_width_letters_and_chat_spaces_is_saved_as_the_token(walk):
    token = walk["token"]
    typed = "\u200b" + token[:-4] + to_full_width(token[-4:]) + "\u3000"  # a chat's zero-width space, an IME
    record = play(walk, "settings", properties={}, form={"address": walk["address"], "token": typed})
    assert record["submitted"]["status"] == "已保存。"
    assert record["properties"]["sheetsync.token"] == token
    assert shown(record["sidebars"][0]["html"]).startswith("上线日期")


def test_a_token_with_a_chinese_character_is_refused_in_chinese_and_not_saved(walk):
    record = play(walk, "settings", properties={}, form={"address": walk["address"], "token": walk["token"][:-1] + "令"})
    assert record["submitted"]["status"] == "令牌只能包含英文字母、数字和 - _ 等符号；请从运行服务的人那里重新复制完整的令牌。"
    assert record["properties"] == {} and record["closed"] == 0


def test_a_token_saved_before_with_a_full_width_letter_is_said_in_chinese_not_as_a_network_error(walk):
    saved = {"sheetsync.address": walk["address"], "sheetsync.token": walk["token"][:-1] + "Ａ"}
    record = play(walk, "sync", properties=saved)
    page = record["sidebars"][0]["html"]
    assert error_line(page) == "令牌只能包含英文字母、数字和 - _ 等符号；请从运行服务的人那里重新复制完整的令牌。"
    assert "地址和令牌可在 sheetsync 菜单 → 设置 中修改。" in shown(page)
    assert not any(c["call"] == "UrlFetchApp.fetch" for c in record["calls"])


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https：//sheets.agency.cn/", "https://sheets.agency.cn"),  # the IME's colon
        ("ｈｔｔｐｓ：／／sheets.agency.cn", "https://sheets.agency.cn"),  # full-width throughout
        ("sheets.agency.cn/", "https://sheets.agency.cn"),  # no scheme: https, the only one it may be
        ("localhost:8787", "http://localhost:8787"),  # a trial on the laptop
        ("\ufeffhttps://sheets.agency.cn\u200b", "https://sheets.agency.cn"),  # pasted from a chat
    ],
)
def test_an_address_typed_with_a_chinese_ime_or_without_https_is_understood(walk, typed, kept):
    record = play(walk, "settings", properties={}, form={"address": typed, "token": walk["token"]})
    assert record["submitted"]["status"] == "已保存。"
    assert record["properties"]["sheetsync.address"] == kept


def test_an_address_without_a_scheme_on_this_machine_reaches_the_service(walk):
    bare = walk["address"].removeprefix("http://") + "/"
    record = play(walk, "settings", properties={}, form={"address": bare, "token": walk["token"]})
    assert record["properties"]["sheetsync.address"] == walk["address"]
    assert shown(record["sidebars"][0]["html"]).startswith("上线日期")


# ---- the service down ----


def test_the_service_down_is_one_chinese_line_with_the_details_folded_away(walk):
    down = walk["closed"]
    record = play(walk, "sync", properties={"sheetsync.address": down, "sheetsync.token": walk["token"]})
    page = record["sidebars"][0]["html"]
    line = error_line(page)
    assert line == f"无法连接 sheetsync 服务 {down}：服务是否在运行？地址是否正确？"
    assert english(line, down) == []
    assert re.search(r"<details><summary>详情</summary>[^<]*Address unavailable[^<]*</details>", page)
    assert walk["key"] not in line


# ---- the service's one-line errors, in the sheet ----


def test_no_access_for_the_service_account_is_said_without_the_clis_gsheet_key_prefix(walk):
    google, key = walk["google"], walk["key"]
    google.deny(spreadsheet_id=key)
    try:
        page = play(walk, "sync")["sidebars"][0]["html"]
    finally:
        google.share(key)
    line = error_line(page)
    assert line.startswith(f"{google.service_account_email} 无权打开这个 Google 表格；请把表格共享给"), line
    assert "gsheet:" not in line and key not in line


def test_the_sync_sidebars_heading_covers_triggered_risks_too(walk):
    page = play(walk, "sync")["sidebars"][0]["html"]
    flags = re.findall(r'<li data-flag="([^"]+)">', page)
    assert "TRIGGERED" in flags and "OVERDUE" in flags
    assert "<h3>需要关注</h3>" in page and "逾期与风险" not in page


def test_a_launch_planned_on_a_guess_says_so_as_the_cli_does(walk, capsys):
    google, key = walk["google"], walk["key"]
    [original] = google.values(key, "时间表!E5")
    google.set_values(key, "时间表!E5", [["三天左右"]])  # T4's 工期 in words: planned on a guess
    try:
        page = play(walk, "sync")["sidebars"][0]["html"]
        assert main(["check", f"gsheet:{key}"]) in (0, 1)
    finally:
        google.set_values(key, "时间表!E5", [original])
    [cli_line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("上线日期")]
    assert "暂定：T4 的工期无法识别（时间表!E5）" in cli_line
    [launch] = re.findall(r'<p class="launch">([^<]*)</p>', page)
    assert html.unescape(launch) == cli_line


def test_the_sidebars_reasons_for_a_guess_are_the_engines(walk):
    table = play(walk, "open", sheets={}, properties={})["provisional"]
    assert sorted(table) == sorted(PROVISIONAL_REASONS)
    for lang, column in (("en", 0), ("zh", 1)):
        with i18n.language(lang):
            for reason, (_, words) in PROVISIONAL_REASONS.items():
                assert table[reason][column] == i18n.translate(words, task="{task}", cell="{cell}"), (lang, reason)


class _ProxyPage(http.server.BaseHTTPRequestHandler):
    """A reverse proxy whose sheetsync service behind it is down: Caddy's and nginx's bare 502 page."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_proxy_whose_service_is_down_is_said_in_chinese(walk):
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ProxyPage)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        page = play(walk, "sync", properties={"sheetsync.address": address, "sheetsync.token": walk["token"]})
    finally:
        proxy.shutdown()
    line = error_line(page["sidebars"][0]["html"])
    assert line == f"{address} 返回了 HTTP 502，却不是 sheetsync 服务的应答：它后面的 sheetsync 服务是否在运行？"


def test_an_address_with_a_wrong_path_is_said_in_chinese_not_as_the_services_endpoint_list(walk):
    address = walk["address"] + "/sheetsync"
    page = play(walk, "sync", properties={"sheetsync.address": address, "sheetsync.token": walk["token"]})
    html_page = page["sidebars"][0]["html"]
    line = error_line(html_page)
    assert line == f"{address} 有应答，但这里没有 sheetsync 服务（HTTP 404）：请在「设置」中检查地址。"
    assert "地址和令牌可在 sheetsync 菜单 → 设置 中修改。" in shown(html_page)


# ---- Check copy: what was checked, said once ----


def test_check_copy_with_only_the_cursor_on_a_clean_cell_says_once_what_it_checked_and_how_to_check_all(walk):
    record = play(walk, "lintonly", selection=[{"sheet": "时间表", "a1": "B3"}])  # the cursor, on 数据团队 投放人群包
    text = shown(record["sidebars"][0]["html"])
    assert text == ("已检查所选的 1 个单元格，未发现问题。 "
                    "只检查了所选的这一个单元格；要检查审核表的全部文案，请先点一个空白单元格，再点「检查文案」。")


def test_check_copy_of_the_whole_reviews_sheet_says_so(walk):
    record = play(walk, "lintonly", selection=[{"sheet": "时间表", "a1": "Z50"}])  # the cursor on an empty cell
    text = shown(record["sidebars"][0]["html"])
    assert re.match(r"已检查审核表的 \d+ 条文案。", text), text
    assert text.count("已检查") == 1


# ---- Preview digest ----


def test_preview_digest_heads_each_persons_digest_with_its_kind_in_words(walk):
    page = play(walk, "digest")["sidebars"][0]["html"]
    headings = [html.unescape(h) for h in re.findall(r"<h3>([^<]*)</h3>", page)]
    assert headings and all(re.fullmatch(r"\S+ · (简要摘要|详细摘要)", h) for h in headings), headings


# ---- today is the sheet's today ----


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_sync_now_and_the_digest_ask_for_today_in_the_sheets_time_zone_not_the_services(walk, zone):
    """A Shanghai morning before 08:00 is still yesterday on a service in UTC: flags one day behind."""
    answering = zone == "Asia/Shanghai"  # the others only say what they send (to where nothing listens: fast)
    address = walk["address"] if answering else walk["closed"]
    record = play(walk, "sync", timeZone=zone, properties={"sheetsync.address": address, "sheetsync.token": walk["token"]})
    [fetch] = [c for c in record["calls"] if c["call"] == "UrlFetchApp.fetch"]
    sent = json.loads(fetch["args"][1]["payload"])
    assert sent == {"today": dt.datetime.now(ZoneInfo(zone)).date().isoformat()}
    assert shown(record["sidebars"][0]["html"]).startswith("上线日期" if answering else "无法连接")


# ---- a Chinese book in a sheet whose locale is not (made by an en_US account, laid out by `init URL --lang zh`) ----


def test_a_chinese_book_in_an_en_us_sheet_gets_chinese_menus_and_lines(walk):
    record = play(walk, "nosettings", locale="en_US", properties={})
    [menu] = record["menus"]
    assert [item.get("label") for item in menu["items"]] == ["立即同步", "检查文案", "预览摘要", None, "每小时同步", "设置"]
    assert record["dialogs"][0]["title"] == "sheetsync 设置"
    english_book = play(walk, "open", locale="en_US", properties={}, sheets={"Timeline": [["ID"]]})
    assert english_book["menus"][0]["items"][0]["label"] == "Sync now"


def test_the_chinese_timeline_tab_the_script_looks_for_is_the_contracts():
    from sheetsync.contract import TIMELINE

    code = script_text()
    assert f"var ZH_TIMELINE = '{TIMELINE.label('zh')}';" in code
