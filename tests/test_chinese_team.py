"""A Chinese team's day, end to end: nothing sheetsync writes or prints in a Chinese book is English.

A Chinese demo book gets a mistake of every kind a person makes (an unreadable
工期, an unknown 前置任务, a status and a date nobody can read, a bad e-mail, a
risk threshold in words, a review round 0, a late request with a word for a
date…) and work in every state (blocked, finished late). Then the team's day
runs through the command line as they would: sync, check, what-if, digests to
the outbox, the demo itself. Every line printed, every computed cell, the
问题 and 日志 sheets and every digest (subject, text, HTML) is searched for
English words; only IDs, codes, cell references, names and addresses may be
Latin letters.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

import sheetsync
from sheetsync import contract
from sheetsync.cli import main

TODAY = dt.date(2026, 11, 27)
# Latin words a Chinese book may show: IDs and cell references (T4, R2, E9, B3:B5), the RACI sheet's own
# name and letters, codes people type or pick (CN, zh, en), and what is not words at all (addresses, files).
ALLOWED = {"RACI", "CN", "zh", "en", "Excel", "LibreOffice"}
COMMAND = re.compile(r"`[^`]*`")  # a command to type, such as `sheetsync sync 新品上市.xlsx`
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|[\w./-]*[\\/][\w./\\-]+|\b[\w-]+\.(?:xlsx|xlsm|eml|png|html)\b")
REFERENCE = re.compile(r"^(?:[A-Z]{1,3}\d+|[A-Z]{1,3})$")  # T4, R2, E9 — and column letters
CODE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")  # risk indicator codes such as overdue_tasks


def english_words(text: str, names: set[str]) -> list[str]:
    """Latin-letter words in `text` that are not IDs, references, codes, addresses or people's names."""
    words = re.findall(r"[A-Za-z][A-Za-z_']*", ADDRESS.sub(" ", COMMAND.sub(" ", text)))
    return [w for w in words if w not in ALLOWED and w not in names and not REFERENCE.match(w) and not CODE.match(w)]


def _column(ws, spec_name: str, name: str) -> int:
    label = contract.sheet_spec(spec_name).column(name).zh
    return next(c.column for c in ws[1] if c.value == label)


def _row_of(ws, spec_name: str, column: str, value: str) -> int:
    col = _column(ws, spec_name, column)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == value)


def _set(wb, spec_name: str, row: int, column: str, value) -> None:
    ws = wb[contract.sheet_spec(spec_name).zh]
    ws.cell(row, _column(ws, spec_name, column)).value = value


def _setting(wb, name: str, value) -> None:
    ws = wb[contract.sheet_spec("Project").zh]
    setting = next(s for s in contract.SETTINGS if s.name == name)
    row = next(r for r in range(2, ws.max_row + 1) if setting.matches(ws.cell(r, 1).value))
    ws.cell(row, 2).value = value


def make_mistakes(path: Path) -> None:
    """The mistakes and states a week of real work leaves in a Chinese book."""
    wb = openpyxl.load_workbook(path)
    tl = wb[contract.TIMELINE.zh]
    row = {task: _row_of(tl, "Timeline", "ID", task) for task in ("T2", "T3", "T6", "T7", "T8", "T9")}
    _set(wb, "Timeline", row["T8"], "Duration", "三周左右")  # unreadable: the task stays in the plan, 待修正
    _set(wb, "Timeline", row["T9"], "Duration", "3天")  # lenient: 3 working days, no problem
    _set(wb, "Timeline", row["T7"], "Depends on", "T6, T99")  # an unknown task
    _set(wb, "Timeline", row["T6"], "Status", "差不多了")  # not a status
    _set(wb, "Timeline", row["T3"], "Fixed due", "下周")  # not a date
    team = wb[contract.TEAM.zh]
    _set(wb, "Team", 3, "Email", "王磊@")
    risks = wb[contract.RISKS.zh]
    _set(wb, "Risks", 2, "Threshold", "很多")
    _set(wb, "Risks", 3, "Indicator", "天气")
    _set(wb, "Reviews", 2, "Round", 0)
    _set(wb, "Feedback", 2, "Received on", "昨天")
    _setting(wb, "Due soon window", "很快")
    del team, risks
    wb.save(path)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def run_cli(capsys, *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code in (0, 1), (code, out, err)
    return out + "\n" + err


@pytest.fixture
def chinese_book(tmp_path):
    path = tmp_path / "新品上市.xlsx"
    sheetsync.create(path, lang="zh", demo=True, today=TODAY)
    make_mistakes(path)
    return path


def _people(path: Path) -> set[str]:
    """Latin words the team itself typed (names, brands, quoted copy such as LOGO): sheetsync may repeat them."""
    wb = openpyxl.load_workbook(path)
    typed: set[str] = {"sheetsync"}  # the product's name
    for ws in wb.worksheets:
        spec = next((s for s in contract.SHEETS if s.matches(ws.title)), None)
        if spec is None or spec.wholly_computed:
            continue
        computed = {c.zh for c in spec.columns if c.computed}
        for column in ws[1]:
            if column.value in computed:
                continue
            for r in range(1, ws.max_row + 1):
                value = ws.cell(r, column.column).value
                if isinstance(value, str):
                    typed.update(re.findall(r"[A-Za-z][A-Za-z_']*", value))
    return typed


def written_text(path: Path) -> dict[str, str]:
    """Everything sheetsync wrote: every computed cell, the 问题 and 日志 sheets — cell → text."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for spec in contract.SHEETS:
        if spec.zh not in wb.sheetnames:
            continue
        ws = wb[spec.zh]
        computed = {c.zh for c in spec.columns if c.computed} if not spec.wholly_computed else None
        for column in ws[1]:
            if column.value is None or (computed is not None and column.value not in computed):
                continue
            for r in range(2, ws.max_row + 1):
                value = ws.cell(r, column.column).value
                if isinstance(value, str) and value:
                    out[f"{ws.title}!{ws.cell(r, column.column).coordinate}"] = value
    return out


def test_a_chinese_book_with_every_kind_of_mistake_answers_only_in_chinese(chinese_book, tmp_path, capsys):
    names = _people(chinese_book)
    today = TODAY.isoformat()
    printed = {
        "sync": run_cli(capsys, "sync", str(chinese_book), "--today", today),
        "check": run_cli(capsys, "check", str(chinese_book), "--today", today),
        "sync --json": run_cli(capsys, "check", str(chinese_book), "--today", today, "--json"),
        "whatif": run_cli(capsys, "whatif", str(chinese_book), "--today", today, "--delay", "T5=2"),
        "digest": run_cli(capsys, "digest", str(chinese_book), "--today", today, "--outbox", str(tmp_path / "out")),
    }
    json_text = printed.pop("sync --json")
    assert "\\u" not in json_text
    report = json.loads(json_text.strip())
    assert len(report["problems"]) >= 10, report["problems"]
    # JSON keys and codes are for programs; what a person reads in it must be Chinese
    printed["--json problems"] = "\n".join(p["problem"] + " " + p["fix"] for p in report["problems"])
    printed["--json notices"] = "\n".join(report.get("notices") or [])

    written = written_text(chinese_book)
    flags = {v for k, v in written.items() if v in {f.zh for f in contract.FLAGS}}
    assert {"已逾期", "有风险", "受阻", "已完成", "延期完成", "已触发", "待修正"} <= flags, flags

    mails = {}
    for eml in sorted((tmp_path / "out").rglob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        mails[eml.name] = f"{message['Subject']}\n{body}\n{html_text(html)}"
    assert mails, "no digest was written"

    english = {
        where: words
        for where, text in {**printed, **written, **mails}.items()
        if (words := english_words(text, names))
    }
    assert not english, "\n".join(f"{k}: {sorted(set(v))}" for k, v in english.items())


def test_the_chinese_demo_says_everything_in_chinese(tmp_path, capsys):
    out = run_cli(capsys, "demo", str(tmp_path / "演示"), "--lang", "zh", "--today", TODAY.isoformat())
    names = _people(tmp_path / "演示" / "campaign-demo.xlsx")
    assert "已逾期" in out
    assert english_words(out, names) == []
    assert not {k: w for k, v in written_text(tmp_path / "演示" / "campaign-demo.xlsx").items()
                if (w := english_words(v, names))}


def test_the_readme_shows_what_a_chinese_sync_prints(tmp_path, capsys, monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    command = "$ sheetsync sync campaign-zh.xlsx --today 2026-11-30     # the Monday after\n"
    shown = readme[readme.index(command) + len(command) :].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    run_cli(capsys, "init", "campaign-zh.xlsx", "--lang", "zh", "--demo", "--today", "2026-11-27")
    assert main(["sync", "campaign-zh.xlsx", "--today", "2026-11-30"]) == 0
    assert capsys.readouterr().out == shown
