"""Lenient where the meaning is plain, loud where it is not (issue 12), through a Chinese PM's eyes.

Full-width characters read as their ASCII forms; plain synonyms of the dropdown words are accepted;
the indicator descriptions sheetsync prints are indicators; choice errors list what the dropdown
offers; a Feedback, Reviews or Risks row with an unreadable cell is flagged CHECK (待修正) instead of
dropping out of the counts; one bad Stage cell is one problem.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import header_columns, setting_row

import sheetsync
from sheetsync import i18n
from sheetsync.contract import CHECK, FEEDBACK, REVIEWS, RISKS, flag_label, sheet_spec
from sheetsync.engine.risks import describe_indicator

TODAY = dt.date(2026, 11, 27)
CHECK_ZH = flag_label(CHECK, "zh")  # 待修正


def zh_book(tmp_path, name: str = "book.xlsx", lang: str = "zh") -> str:
    path = str(tmp_path / name)
    sheetsync.create(path, lang=lang, demo=True, today=TODAY)
    return path


def type_into(path: str, edits: list[tuple[str, str, int, object]], lang: str = "zh") -> None:
    """Type values as a person would: (canonical sheet, canonical column, row, value)."""
    wb = openpyxl.load_workbook(path)
    for sheet, column, row, value in edits:
        ws = wb[sheet_spec(sheet).label(lang)]
        ws.cell(row, header_columns(ws, sheet)[column]).value = value
    wb.save(path)


def cells(path: str, sheet: str, column: str, lang: str = "zh") -> list[object]:
    ws = openpyxl.load_workbook(path)[sheet_spec(sheet).label(lang)]
    col = header_columns(ws, sheet)[column]
    return [ws.cell(row, col).value for row in range(2, ws.max_row + 1)]


def problem_lines(report) -> list[tuple[str, str, str, str]]:
    return [(p.sheet, p.cell, p.problem, p.fix) for p in report.problems]


def synced_pair(tmp_path, plain: list, typed: list, lang: str = "zh"):
    """The same book synced with ASCII/dropdown words and with what a person actually typed."""
    expected, actual = zh_book(tmp_path, "expected.xlsx", lang), zh_book(tmp_path, "typed.xlsx", lang)
    type_into(expected, plain, lang)
    type_into(actual, typed, lang)
    return (expected, sheetsync.open(expected).sync(today=TODAY)), (actual, sheetsync.open(actual).sync(today=TODAY))


def test_full_width_cells_read_as_their_ascii_forms_and_stay_as_typed(tmp_path):
    plain = [
        ("Risks", "Threshold", 3, ">=1"),
        ("Timeline", "Duration", 4, "3天"),
        ("Timeline", "Depends on", 9, "T7,T8"),
        ("Feedback", "Received on", 4, "2026-11-19"),
        ("Feedback", "Related to", 4, "T9"),
    ]
    typed = [
        ("Risks", "Threshold", 3, "＞＝１"),
        ("Timeline", "Duration", 4, "３天"),
        ("Timeline", "Depends on", 9, "Ｔ７，Ｔ８"),
        ("Feedback", "Received on", 4, "２０２６－１１－１９"),
        ("Feedback", "Related to", 4, "Ｔ９"),
    ]
    (expected, want), (actual, got) = synced_pair(tmp_path, plain, typed)
    assert problem_lines(got) == problem_lines(want)
    assert got.flags == want.flags
    for sheet, column in (("Timeline", "Due"), ("Timeline", "Flag"), ("Risks", "Flag"), ("Feedback", "Due")):
        assert cells(actual, sheet, column) == cells(expected, sheet, column), (sheet, column)
    # what the person typed is never rewritten
    assert cells(actual, "Risks", "Threshold")[1] == "＞＝１"
    assert cells(actual, "Timeline", "Depends on")[7] == "Ｔ７，Ｔ８"
    assert cells(actual, "Feedback", "Received on")[2] == "２０２６－１１－１９"


@pytest.mark.parametrize(
    ("sheet", "column", "row", "dropdown", "typed"),
    [
        ("Timeline", "Status", 2, "已完成", "已完结"),
        ("Timeline", "Status", 2, "已完成", "做完"),
        ("Timeline", "Status", 9, "进行中", "处理中"),
        ("Timeline", "Status", 9, "受阻", "卡住"),
        ("Feedback", "Status", 2, "已完成", "已解决"),
        ("Reviews", "Decision", 2, "通过", "同意"),
        ("Reviews", "Decision", 3, "需修改", "需改"),
        ("Reviews", "Decision", 3, "驳回", "拒绝"),
        ("Team", "Side", 2, "客户方", "甲方"),
        ("Team", "Side", 2, "代理方", "乙方"),
        ("Team", "Cadence", 2, "每日", "每天"),
        ("Team", "Cadence", 2, "每周", "每周一"),
    ],
)
def test_a_plain_synonym_of_a_dropdown_word_reads_as_that_word(tmp_path, sheet, column, row, dropdown, typed):
    (_e, want), (_a, got) = synced_pair(tmp_path, [(sheet, column, row, dropdown)], [(sheet, column, row, typed)])
    assert problem_lines(got) == problem_lines(want)
    assert got.flags == want.flags


@pytest.mark.parametrize(("setting", "dropdown", "typed"), [("Market", "en", "英文"), ("Language", "zh", "Chinese")])
def test_a_plain_synonym_of_a_setting_reads_as_its_code(tmp_path, setting, dropdown, typed):
    books = []
    for name, value in (("expected.xlsx", dropdown), ("typed.xlsx", typed)):
        path = zh_book(tmp_path, name)
        wb = openpyxl.load_workbook(path)
        ws = wb["项目"]
        ws.cell(setting_row(ws, setting), 2).value = value
        wb.save(path)
        books.append(sheetsync.open(path).check(today=TODAY))
    assert problem_lines(books[1]) == problem_lines(books[0])


def test_finished_in_an_english_book_is_done(tmp_path):
    (_e, want), (_a, got) = synced_pair(
        tmp_path, [("Timeline", "Status", 2, "Done")], [("Timeline", "Status", 2, "finished")], lang="en"
    )
    assert problem_lines(got) == problem_lines(want)


def test_the_chinese_description_sheetsync_prints_is_accepted_as_the_indicator(tmp_path):
    with i18n.language("zh"):
        described = describe_indicator("overdue_tasks")
    assert described == "已过截止日期的未完成任务数"
    (expected, want), (actual, got) = synced_pair(
        tmp_path, [("Risks", "Indicator", 3, "overdue_tasks")], [("Risks", "Indicator", 3, described)]
    )
    assert problem_lines(got) == problem_lines(want)
    assert cells(actual, "Risks", "Flag") == cells(expected, "Risks", "Flag")


def test_an_unknown_indicator_lists_each_code_with_what_it_counts(tmp_path):
    path = zh_book(tmp_path)
    type_into(path, [("Risks", "Indicator", 3, "逾期任务")])
    report = sheetsync.open(path).sync(today=TODAY)
    [problem] = [p for p in report.problems if p.sheet == "风险"]
    assert "overdue_tasks（已过截止日期的未完成任务数）" in problem.fix
    assert "、open_feedback（" in problem.fix
    assert cells(path, "Risks", "Flag")[1] == CHECK_ZH


def test_a_bad_industry_lists_the_chinese_words_its_dropdown_offers(tmp_path):
    path = zh_book(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["项目"]
    ws.cell(setting_row(ws, "Industry"), 2).value = "美容"
    wb.save(path)
    report = sheetsync.open(path).check(today=TODAY)
    [problem] = [p for p in report.problems if p.sheet == "项目"]
    assert problem.problem == "“美容”不在可选项中：通用、药品、医疗器械、保健食品、金融、教育、化妆品、食品、医疗服务"
    assert "general" not in problem.problem


def _flag_counts_add_up(report, spec, path, column: str) -> None:
    """Every row of the sheet carries exactly one flag."""
    rows = [v for v in cells(path, spec.name, column) if v is not None]
    assert sum(report.flags[spec.name].values()) == len(rows)


@pytest.mark.parametrize(
    ("column", "typed"), [("Received on", "12/3"), ("Status", "已完jie"), ("Agreed due", "下周")]
)
def test_a_feedback_row_with_an_unreadable_cell_is_flagged_check(tmp_path, column, typed):
    path = zh_book(tmp_path)
    type_into(path, [("Feedback", column, 4, typed)])
    report = sheetsync.open(path).sync(today=TODAY)
    cell = f"{chr(64 + FEEDBACK.columns.index(FEEDBACK.column(column)) + 1)}4"
    assert [p.cell for p in report.problems if p.sheet == "反馈"] == [cell]
    assert cells(path, "Feedback", "Flag")[2] == CHECK_ZH
    assert report.flags["Feedback"][CHECK] == 1
    _flag_counts_add_up(report, FEEDBACK, path, "Request")


@pytest.mark.parametrize(("column", "typed"), [("Submitted on", "12/3"), ("Round", "第二轮"), ("Decision", "再看看")])
def test_a_review_row_with_an_unreadable_cell_is_flagged_check_and_reported_once(tmp_path, column, typed):
    path = zh_book(tmp_path)
    type_into(path, [("Reviews", column, 3, typed)])
    report = sheetsync.open(path).sync(today=TODAY)
    cell = f"{chr(64 + REVIEWS.columns.index(REVIEWS.column(column)) + 1)}3"
    assert [p.cell for p in report.problems if p.sheet == "审核"] == [cell]
    assert cells(path, "Reviews", "Flag")[1] == CHECK_ZH
    _flag_counts_add_up(report, REVIEWS, path, "Reviewer")


def test_a_review_row_without_an_asset_is_flagged_check(tmp_path):
    path = zh_book(tmp_path)
    type_into(path, [("Reviews", "Asset", 3, None)])
    report = sheetsync.open(path).sync(today=TODAY)
    assert cells(path, "Reviews", "Flag")[1] == CHECK_ZH
    assert report.flags["Reviews"][CHECK] == 1


@pytest.mark.parametrize(("column", "typed"), [("Threshold", "两个以上"), ("Threshold", None), ("ID", None)])
def test_a_risk_row_that_cannot_be_measured_is_flagged_check(tmp_path, column, typed):
    path = zh_book(tmp_path)
    type_into(path, [("Risks", column, 3, typed)])
    report = sheetsync.open(path).sync(today=TODAY)
    assert len([p for p in report.problems if p.sheet == "风险"]) == 1
    assert cells(path, "Risks", "Flag")[1] == CHECK_ZH
    _flag_counts_add_up(report, RISKS, path, "Risk")


def test_one_wrong_stage_is_one_problem(tmp_path):
    path = zh_book(tmp_path)
    type_into(path, [("Reviews", "Stage", 3, "法务")])
    report = sheetsync.open(path).sync(today=TODAY)
    stage_cell = f"{chr(64 + REVIEWS.columns.index(REVIEWS.column('Stage')) + 1)}3"
    assert [(p.cell, p.problem) for p in report.problems if p.sheet == "审核"] == [
        (stage_cell, "“法务”不在可选项中：内部、客户、合规")
    ]
