"""Issue 14, item 8 (digests): Problems are said, the timeline picture names its rows, counts are plural-correct.

Through the public API (sheetsync.open(...).digest) on the demo book in English and Chinese, with
a Problem typed into the Timeline as a person would.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
from pathlib import Path

import pytest
from conftest import Campaign, header_columns
from PIL import Image

import sheetsync
from sheetsync.contract import sheet_spec
from sheetsync.digest.chart import gantt_png, row_label
from sheetsync.digest.model import GanttBar
from sheetsync.template import build_workbook

MONDAY = dt.date(2026, 11, 30)
PROBLEMS_LINE = {
    "en": "1 cell needs fixing — the dates below may be off (see the Problems sheet).",
    "zh": "表格里有 1 处需要修正，下面的日期可能不准（见“问题”表）。",
}
PROBLEM_CELL = {"en": "Timeline!E3: ", "zh": "时间表!E3："}


def demo(tmp_path: Path, lang: str, *, broken: bool) -> Path:
    path = tmp_path / f"demo-{lang}.xlsx"
    build_workbook(path, lang=lang, demo=True, today=dt.date(2026, 11, 27))
    if broken:
        def type_words_as_a_duration(wb) -> None:
            ws = wb[sheet_spec("Timeline").label(lang)]
            ws.cell(row=3, column=header_columns(ws, "Timeline", lang)["Duration"]).value = "three days"

        Campaign(path, lang).edit(type_words_as_a_duration)
    return path


def messages(outbox: Path) -> dict[str, email.message.EmailMessage]:
    out = {}
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        out[message["To"].addresses[0].addr_spec] = message
    return out


def text(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_digests_say_the_sheet_has_problems_brief_in_one_line_detailed_with_the_cells(tmp_path, lang):
    book = demo(tmp_path, lang, broken=True)
    assert sheetsync.open(book).check(today=MONDAY).problems  # the cell is a Problem
    sheetsync.open(book).digest(today=MONDAY, outbox=tmp_path / "out")
    sent = messages(tmp_path / "out")
    brief, detailed = text(sent["li.na@agency.example.com"]), text(sent["wang.lei@agency.example.com"])
    assert brief.count(PROBLEMS_LINE[lang]) == 1
    assert PROBLEM_CELL[lang] not in brief  # a brief says it once, without the list
    assert PROBLEMS_LINE[lang] in detailed
    heading = {"en": "To fix in the sheet", "zh": "表格中待修正的问题"}[lang]
    listed = detailed.split(heading, 1)[1]
    assert re.search(rf"^- {re.escape(PROBLEM_CELL[lang])}\S", listed, re.MULTILINE)
    html = sent["wang.lei@agency.example.com"].get_body(preferencelist=("html",)).get_content()
    assert heading in html and PROBLEM_CELL[lang].replace("!", "!") in html


def test_a_sheet_without_problems_says_nothing_about_them(tmp_path):
    book = demo(tmp_path, "en", broken=False)
    sheetsync.open(book).digest(today=MONDAY, outbox=tmp_path / "out")
    for message in messages(tmp_path / "out").values():
        assert "needs fixing" not in text(message) and "To fix in the sheet" not in text(message)


def test_the_timeline_picture_names_its_rows_by_id_and_task(tmp_path):
    book = demo(tmp_path, "en", broken=False)
    run = sheetsync.open(book).digest(today=MONDAY, outbox=tmp_path / "out")
    detailed = next(d for d in run.digests if d.detailed)
    labels = [row_label(bar) for bar in detailed.gantt]
    assert "T1 Brief & proposal" in labels or all(re.fullmatch(r"T\d+ \S.*", label) for label in labels)
    assert all(bar.name for bar in detailed.gantt)

    named = [GanttBar("T1", MONDAY, MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=6), "OVERDUE",
                      name="Key visual for the Xiaohongshu launch post, second round")]
    unnamed = [GanttBar("T1", MONDAY, MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=6), "OVERDUE")]
    drawn = gantt_png(named, today=MONDAY, launch=None, projected_launch=None)
    assert drawn != gantt_png(unnamed, today=MONDAY, launch=None, projected_launch=None)
    assert Image.open(io.BytesIO(drawn)).size[0] == 720  # a long name is cut, the picture keeps its width
    assert row_label(named[0]) == "T1 Key visual for the Xiaohongshu launch post, second round"


def test_a_chinese_task_name_is_drawn_with_a_cjk_font(tmp_path):
    from sheetsync.digest.chart import cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    bar = GanttBar("T1", MONDAY, MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=4), "OK", name="小红书首发主视觉")
    question_marks = GanttBar("T1", MONDAY, MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=4), "OK",
                              name="????????")
    png = gantt_png([bar], today=MONDAY, launch=None, projected_launch=None)
    assert png != gantt_png([question_marks], today=MONDAY, launch=None, projected_launch=None)
