"""`sync` and `check` answer with the items, in the book's language; JSON, dry run, counts and Log times read right.

Issue 12, "Answers that name the items" and silent gaps (d) and (g): a sync or check names what
is overdue (task, review, client request, each with its owner and date), what is at risk and
which risks triggered, like the demo does; a Chinese book gets all of it in Chinese; --json keeps
Chinese readable; a dry run shows dates as dates; the changed-cell count is the same in the
text, the JSON and the Log row; the Log's time is local with its UTC offset.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys

import openpyxl
import pytest

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.contract import sheet_spec
from sheetsync.report_text import launch_line

TODAY = dt.date(2026, 11, 27)  # the README demo's day

EN_ITEMS = [
    "Overdue (3):",
    "  task T4 Internal review, Wang Lei: due 2026-11-25, now projected 2026-11-27",
    "  review Douyin script round 1: pending at Internal (Wang Lei) since 2026-11-23, for 4 working days",
    '  feedback "Make the logo larger in the Douyin video\'s first frame" from Liu Yang (Wang Lei): due 2026-11-23',
    "At risk (5):",
    "  task T5 Client feedback & revisions, Li Na: due 2026-11-27, now projected 2026-12-01",
    "  task T9 Asset production, Wang Lei: due 2026-12-09, now projected 2026-12-10",
    "Risks triggered (3):",
    "  R2 Technical failure: ad account or asset upload fails — overdue_tasks 1 >= 1; Chen Chen: "
    "Keep back-up assets in every platform format; agree a spare ad account with the media agency.",
    "Timeline: 1 OVERDUE, 1 BLOCKED, 5 AT RISK, 1 DONE LATE, 1 DONE, 4 OK",
    "No problems.",
]
ZH_ITEMS = [
    "已逾期（3）：",
    "  任务 T4 内部审核，王磊：截止 2026-11-25，现预计 2026-11-27 完成",
    "  审核 抖音口播脚本 第 1 轮：内部审核待定（王磊），2026-11-23 提交，已等 4 个工作日",
    "  反馈“抖音视频首帧品牌标识放大”，来自 刘洋（负责人 王磊）：截止 2026-11-23",
    "有风险（5）：",
    "  任务 T5 客户反馈与修改，李娜：截止 2026-11-27，现预计 2026-12-01 完成",
    "已触发的风险（3）：",
    "时间表：已逾期 1，受阻 1，有风险 5，延期完成 1，已完成 1，正常 4",
    "没有问题。",
]


def demo_book(tmp_path, lang: str):
    return sheetsync.create(tmp_path / f"campaign-{lang}.xlsx", lang=lang, demo=True, today=TODAY)


def cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("command", ["check", "sync"])
@pytest.mark.parametrize(("lang", "items"), [("en", EN_ITEMS), ("zh", ZH_ITEMS)])
def test_sync_and_check_name_each_overdue_and_at_risk_item_with_owner_and_date(tmp_path, capsys, command, lang, items):
    book = demo_book(tmp_path, lang)
    code, out = cli(capsys, command, book.target, "--today", TODAY.isoformat())
    assert code == 0, out
    lines = out.splitlines()
    for item in items:
        assert item in lines, f"{item!r} not in:\n{out}"
    assert [line for line in lines if line.startswith(("  R1 ", "  R2 ", "  R3 "))] != []


def book_words(path) -> set[str]:
    """Every ASCII word the workbook itself holds (IDs, names, codes, its content): not sheetsync's to translate."""
    words: set[str] = set()
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    words |= set(re.findall(r"[A-Za-z_]+", value))
    return words


@pytest.mark.parametrize("command", ["check", "sync", "dry-run"])
def test_a_chinese_book_gets_a_chinese_summary(tmp_path, capsys, command):
    book = demo_book(tmp_path, "zh")
    args = ["sync", book.target, "--dry-run"] if command == "dry-run" else [command, book.target]
    code, out = cli(capsys, *args, "--today", TODAY.isoformat())
    assert code == 0, out
    with i18n.language("zh"):  # the launch line is worded by its own part (provisional plans)
        launch = launch_line(book.check(today=TODAY).launch)
    allowed = book_words(book.target) | set(re.findall(r"[A-Za-z_]+", book.target))
    # what a dry run shows of the cells it would write: values, flag words included, are the workbook's business
    text = "\n".join(line for line in out.splitlines() if line != launch and not line.startswith("  将写入 "))
    english = sorted(set(re.findall(r"[A-Za-z_]{2,}", text)) - allowed)
    assert english == [], f"English words {english} in:\n{text}"
    assert "时间表：" in text and "没有问题。" in text


def test_json_is_utf8_with_chinese_as_written_whatever_the_locale(tmp_path):
    book = demo_book(tmp_path, "zh")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    result = subprocess.run(
        [sys.executable, "-m", "sheetsync", "sync", book.target, "--dry-run", "--json", "--today", TODAY.isoformat()],
        capture_output=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    text = result.stdout.decode("utf-8")
    assert "\\u" not in text and "时间表" in text
    report = json.loads(text)
    assert {"sheet": "时间表", "cell": "K2", "value": "2026-11-17"} in report["changes"]


def test_a_dry_run_shows_dates_as_dates(tmp_path, capsys):
    book = demo_book(tmp_path, "en")
    code, out = cli(capsys, "sync", book.target, "--dry-run", "--today", TODAY.isoformat())
    assert code == 0
    assert "  would write Timeline!K2 = 2026-11-17" in out.splitlines()
    assert "datetime" not in out


def test_the_changed_cell_count_is_the_same_in_the_text_the_json_and_the_log_row(tmp_path, capsys):
    book = demo_book(tmp_path, "en")
    twin = tmp_path / "twin.xlsx"
    shutil.copy(book.target, twin)
    today = TODAY.isoformat()
    _, dry = cli(capsys, "sync", book.target, "--dry-run", "--json", "--today", today)
    _, text = cli(capsys, "sync", book.target, "--today", today)
    _, as_json = cli(capsys, "sync", str(twin), "--json", "--today", today)
    said = int(re.search(r": synced, (\d+) cells changed", text).group(1))
    logged = [log_row(path)[3] for path in (book.target, twin)]
    assert said == json.loads(as_json)["changed_cells"] == json.loads(dry)["changed_cells"] == logged[0] == logged[1]
    assert said == len(json.loads(dry)["changes"])


def log_row(path, lang: str = "en") -> list[object]:
    """The values of the Log's first row (Time, Action, By, Changed cells, Problems, Note)."""
    log = openpyxl.load_workbook(path)[sheet_spec("Log").label(lang)]
    return [cell.value for cell in log[2]]


@pytest.mark.parametrize(("tz", "offset"), [("Asia/Shanghai", "+08:00"), ("Etc/GMT+5", "-05:00")])
def test_the_log_time_is_local_with_its_utc_offset_and_its_words_are_the_books(tmp_path, tz, offset):
    book = demo_book(tmp_path, "zh")
    env = {**os.environ, "TZ": tz}
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = subprocess.run(
        [sys.executable, "-m", "sheetsync", "sync", book.target, "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    time, action, by, *_rest = log_row(book.target, "zh")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}", time), time
    assert time.endswith(offset)  # neither zone has daylight saving time
    stamped = dt.datetime.fromisoformat(time.replace(" ", "T", 1).replace(" ", ""))
    assert before <= stamped <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert (action, by) == ("同步", "命令行")
