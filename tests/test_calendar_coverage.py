"""Calendar coverage: a plan reaching a year whose official holiday arrangement the installed `holidays` data lacks
(China's 2027 make-up workdays, announced by the State Council late in 2026) is said once per sync, with what to do.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import setting_row

import sheetsync
from sheetsync.engine.calendar import WorkCalendar

SPRING_FESTIVAL_2027_LAUNCH = dt.date(2027, 2, 20)
TODAY = dt.date(2027, 1, 5)


def demo_book(tmp_path, lang: str, launch: dt.date, today: dt.date, **settings: object):
    """The demo campaign launched on `launch`, with Project settings changed by canonical name."""
    book = sheetsync.create(tmp_path / f"{lang}.xlsx", lang=lang, demo=True, launch=launch, today=today)
    if settings:
        wb = openpyxl.load_workbook(book.target)
        ws = wb.worksheets[0]
        for name, value in settings.items():
            ws.cell(setting_row(ws, name.replace("_", " ").capitalize()), 2).value = value
        wb.save(book.target)
    return book


def calendar_row(path) -> int:
    return setting_row(openpyxl.load_workbook(path).worksheets[0], "Calendar")


def test_a_chinese_plan_across_the_2027_spring_festival_is_told_the_calendar_needs_confirming(tmp_path):
    book = demo_book(tmp_path, "zh", SPRING_FESTIVAL_2027_LAUNCH, TODAY)
    report = book.sync(today=TODAY)
    row = calendar_row(book.target)
    problem = (
        f"项目!B{row}: 已安装的节假日数据中还没有 CN 2027 年的官方放假安排：该年的放假和调休日期只是推测; "
        "官方安排公布后，请把调休上班日填入“额外工作日”、多放的假日填入“额外假日”，或升级 holidays（pip install -U holidays）"
    )
    assert [str(p) for p in report.problems] == [problem]
    assert report.analysis.notices == [
        f"日历待确认（项目!B{row}）：已安装的节假日数据中还没有 CN 2027 年的官方放假安排：该年的放假和调休日期只是推测；"
        "官方安排公布后，请把调休上班日填入“额外工作日”、多放的假日填入“额外假日”，或升级 holidays（pip install -U holidays）。"
    ]
    problems_sheet = openpyxl.load_workbook(book.target)["问题"]
    assert [c.value for c in problems_sheet[2]] == ["项目", f"B{row}", *problem.split(": ", 1)[1].split("; ")]


def test_an_english_book_on_chinas_calendar_is_told_in_english(tmp_path):
    book = demo_book(tmp_path, "en", SPRING_FESTIVAL_2027_LAUNCH, TODAY)
    report = book.sync(today=TODAY)
    row = calendar_row(book.target)
    assert [str(p) for p in report.problems] == [
        f"Project!B{row}: the installed holiday data has no official CN holiday arrangement for 2027 yet: "
        "the plan's days off and make-up workdays there are a guess; once the arrangement is announced, enter its "
        "make-up workdays in Extra workdays and its extra days off in Extra holidays, or upgrade holidays "
        "(pip install -U holidays)"
    ]
    assert len(report.analysis.notices) == 1
    assert report.analysis.notices[0].startswith(f"The calendar needs confirming (Project!B{row}): ")


def test_a_plan_within_2026_is_not_warned(tmp_path):
    report = demo_book(tmp_path, "zh", dt.date(2026, 12, 17), dt.date(2026, 11, 27)).sync(today=dt.date(2026, 11, 27))
    assert report.problems == []
    assert report.analysis.notices == []


def test_a_plan_starting_in_2026_and_ending_in_2027_names_only_2027(tmp_path):
    book = demo_book(tmp_path, "en", dt.date(2027, 1, 8), dt.date(2026, 12, 1))
    problems = book.sync(today=dt.date(2026, 12, 1)).problems
    assert [p.problem.split(" for ")[1].split(" yet")[0] for p in problems] == ["2027"]


def test_the_make_up_workdays_entered_in_extra_workdays_confirm_the_year(tmp_path):
    book = demo_book(tmp_path, "zh", SPRING_FESTIVAL_2027_LAUNCH, TODAY, extra_workdays="2027-02-20")
    report = book.sync(today=TODAY)
    assert report.problems == []
    assert report.analysis.notices == []


@pytest.mark.parametrize("calendar", ["", "US"])
def test_calendars_without_yearly_announcements_are_not_warned(tmp_path, calendar):
    book = demo_book(tmp_path, "en", SPRING_FESTIVAL_2027_LAUNCH, TODAY, calendar=calendar or None)
    report = book.sync(today=TODAY)
    assert report.problems == []
    assert report.analysis.notices == []


def test_unconfirmed_years_are_the_years_without_make_up_workdays_in_the_data():
    china = WorkCalendar("CN")
    assert china.unconfirmed_years(dt.date(2025, 6, 1), dt.date(2026, 12, 31)) == []
    assert china.unconfirmed_years(dt.date(2026, 6, 1), dt.date(2028, 1, 31)) == [2027, 2028]
    assert WorkCalendar("CN", extra_workdays=[dt.date(2027, 2, 7)]).unconfirmed_years(
        dt.date(2026, 6, 1), dt.date(2027, 3, 1)) == []
