"""Defaults that fit the book: a Chinese book plans on China's calendar and Chinese rules, an English one on English
rules; the Calendar is written as a code or a country's name; every fixed-vocabulary setting has a dropdown; flags are
written in the book's language and coloured whichever language they are in.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import setting_row

import sheetsync
from sheetsync import contract
from sheetsync.backends.gsheets.client import connect
from sheetsync.cli import main
from sheetsync.template.gsheets import create_campaign_sheet

pytest_plugins = ("fake_google.plugin",)
TODAY = dt.date(2026, 11, 27)
CHOICE_SETTINGS = ("Market", "Industry", "Calendar", "Language")


def project_values(path) -> dict[str, object]:
    """Project sheet: canonical setting name → value."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {s.name: ws.cell(setting_row(ws, s.name), 2).value for s in contract.SETTINGS}


def test_init_zh_plans_on_chinas_calendar_with_chinese_rules(tmp_path, capsys):
    path = tmp_path / "campaign.xlsx"
    assert main(["init", str(path), "--lang", "zh"]) == 0
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert (ws.cell(setting_row(ws, "Calendar"), 1).value, ws.cell(setting_row(ws, "Calendar"), 2).value) == (
        "日历", "CN")
    assert (ws.cell(setting_row(ws, "Market"), 1).value, ws.cell(setting_row(ws, "Market"), 2).value) == (
        "市场", "zh")


def test_init_in_english_sets_market_en_and_no_calendar(tmp_path, capsys):
    path = tmp_path / "campaign.xlsx"
    assert main(["init", str(path)]) == 0
    values = project_values(path)
    assert (values["Market"], values["Calendar"]) == ("en", None)


@pytest.mark.parametrize(("written", "code"), [("US", "US"), ("美国", "US"), ("United Kingdom", "GB"), ("英国", "GB")])
def test_init_calendar_takes_a_code_or_a_name(tmp_path, capsys, written, code):
    path = tmp_path / "campaign.xlsx"
    assert main(["init", str(path), "--calendar", written]) == 0
    assert project_values(path)["Calendar"] == code


def test_init_calendar_refuses_an_unknown_country_before_writing(tmp_path, capsys):
    path = tmp_path / "campaign.xlsx"
    assert main(["init", str(path), "--calendar", "Narnia"]) == 2
    assert capsys.readouterr().err == (
        'Error: Unknown calendar "Narnia"; give an ISO country code such as CN, US, GB or SG, '
        "or the country's name (China, 中国).\n"
    )
    assert not path.exists()
    assert main(["init", str(path), "--lang", "zh", "--calendar", "中國"]) == 2  # a new Chinese book: Chinese
    assert capsys.readouterr().err == "错误：不认识的日历“中國”；请填写 ISO 国家代码（如 CN、US、GB、SG）或国家名称（如 中国、美国）。\n"
    assert not path.exists()


def test_library_create_and_demo_take_the_calendar(tmp_path):
    book = sheetsync.create(tmp_path / "a.xlsx", lang="zh", calendar="SG")
    assert project_values(book.target)["Calendar"] == "SG"
    run = sheetsync.make_demo(tmp_path / "demo", today=TODAY, lang="en", calendar="Hong Kong")
    assert project_values(run.path)["Calendar"] == "HK"


@pytest.mark.parametrize("written", ["CN", "cn", "China", "中国", "中国大陆", " china "])
def test_the_calendar_setting_accepts_chinas_code_or_name(tmp_path, written):
    book = sheetsync.create(tmp_path / "a.xlsx", lang="zh", demo=True, today=TODAY)
    wb = openpyxl.load_workbook(book.target)
    ws = wb.worksheets[0]
    ws.cell(setting_row(ws, "Calendar"), 2).value = written
    wb.save(book.target)
    report = sheetsync.open(book.target).sync(today=TODAY)
    assert report.problems == []
    assert report.analysis.settings.calendar == "CN"
    # 2026-10-01..07 is the National Day holiday: a China calendar skips Monday 5 October, Monday–Friday would not.
    assert report.analysis.calendar.is_workday(dt.date(2026, 10, 5)) is False


def test_an_unknown_calendar_is_a_problem_saying_how_to_write_it(tmp_path):
    book = sheetsync.create(tmp_path / "a.xlsx", demo=True, today=TODAY)
    wb = openpyxl.load_workbook(book.target)
    ws = wb.worksheets[0]
    row = setting_row(ws, "Calendar")
    ws.cell(row, 2).value = "Narnia"
    wb.save(book.target)
    problems = [p for p in sheetsync.open(book.target).sync(today=TODAY).problems if p.cell == f"B{row}"]
    assert [str(p) for p in problems] == [
        f'Project!B{row}: "Narnia" is not a country the holiday calendar knows; write an ISO country code such as '
        "CN, US, GB or SG, or the country's name (China, 中国), or leave it blank for Monday–Friday"
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_fixed_vocabulary_setting_has_a_dropdown_in_the_xlsx(tmp_path, lang):
    path = sheetsync.create(tmp_path / "a.xlsx", lang=lang).target
    ws = openpyxl.load_workbook(path).worksheets[0]
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
    for name in CHOICE_SETTINGS:
        assert f"B{setting_row(ws, name)}" in lists, name
    calendar = lists[f"B{setting_row(ws, 'Calendar')}"]
    assert calendar.formula1.strip('"').split(",")[:3] == ["CN", "HK", "MO"]
    assert "US" in calendar.formula1 and "GB" in calendar.formula1
    assert calendar.errorStyle == "information"  # other countries' codes and names are fine
    assert lists[f"B{setting_row(ws, 'Market')}"].errorStyle in (None, "stop")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_fixed_vocabulary_setting_has_a_dropdown_in_the_google_sheet(fake_google, tmp_path, lang):
    client = connect(str(fake_google.service_account_file(tmp_path / "sa.json")), endpoint=fake_google.url)
    key, _url = create_campaign_sheet(client, "Serum launch", lang=lang)  # requests checked against Google's schema
    project = contract.PROJECT.label(lang)
    rows = {s.name: i for i, s in enumerate(contract.SETTINGS, start=2)}
    for name in CHOICE_SETTINGS:
        rule = fake_google.cell(key, f"{project}!B{rows[name]}")["dataValidation"]
        assert rule["condition"]["type"] == "ONE_OF_LIST", name
        assert rule["strict"] is (name != "Calendar"), name  # a Calendar may be any country
    calendar = fake_google.cell(key, f"{project}!B{rows['Calendar']}")
    assert [v["userEnteredValue"] for v in calendar["dataValidation"]["condition"]["values"]][:3] == ["CN", "HK", "MO"]
    assert calendar.get("userEnteredValue") == ({"stringValue": "CN"} if lang == "zh" else None)
    market = fake_google.cell(key, f"{project}!B{rows['Market']}")
    assert market["userEnteredValue"] == {"stringValue": lang}


# --- flags in the book's language ---------------------------------------------------------------------


def flag_cells(path, sheet: str) -> list[object]:
    spec = contract.sheet_spec(sheet)
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if spec.matches(ws.title))
    column = [c.name for c in spec.columns].index("Flag") + 1
    return [ws.cell(row, column).value for row in range(2, ws.max_row + 1) if ws.cell(row, 1).value is not None]


def test_a_chinese_book_holds_chinese_flags_and_an_english_book_english_ones(tmp_path):
    zh = sheetsync.make_demo(tmp_path / "zh", today=TODAY, lang="zh").path
    en = sheetsync.make_demo(tmp_path / "en", today=TODAY, lang="en").path
    assert flag_cells(zh, "Timeline")[:4] == ["已完成", "受阻", "延期完成", "已逾期"]
    assert flag_cells(en, "Timeline")[:4] == ["DONE", "BLOCKED", "DONE LATE", "OVERDUE"]
    zh_words = {f.zh for f in contract.FLAGS}
    for sheet in ("Timeline", "Reviews", "Risks", "Feedback"):
        assert set(flag_cells(zh, sheet)) <= zh_words, sheet
        assert set(flag_cells(en, sheet)) <= set(contract.FLAG_BY_NAME), sheet
    assert "已触发" in flag_cells(zh, "Risks") and "TRIGGERED" in flag_cells(en, "Risks")


def test_english_flags_in_a_chinese_book_are_rewritten_in_chinese(tmp_path):
    path = sheetsync.make_demo(tmp_path / "zh", today=TODAY, lang="zh").path
    chinese = {sheet: flag_cells(path, sheet) for sheet in ("Timeline", "Reviews", "Risks", "Feedback")}
    wb = openpyxl.load_workbook(path)
    english = {f.zh: f.name for f in contract.FLAGS}
    for sheet in chinese:  # what an older sheetsync wrote: the English words
        spec = contract.sheet_spec(sheet)
        ws = next(ws for ws in wb.worksheets if spec.matches(ws.title))
        column = [c.name for c in spec.columns].index("Flag") + 1
        for row in range(2, ws.max_row + 1):
            value = ws.cell(row, column).value
            if value in english:
                ws.cell(row, column).value = english[value]
    wb.save(path)
    report = sheetsync.open(path).sync(today=TODAY)
    assert report.changes  # the flag words were rewritten …
    assert {sheet: flag_cells(path, sheet) for sheet in chinese} == chinese  # … into what a new sync writes
    assert sheetsync.open(path).sync(today=TODAY).changes == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_template_colours_each_flag_in_both_languages(tmp_path, lang):
    """The rules match OVERDUE and 已逾期 alike, so switching a book's Language keeps its colours."""
    path = sheetsync.create(tmp_path / "a.xlsx", lang=lang).target
    ws = openpyxl.load_workbook(path).worksheets[1]
    formulas = [rule.formula[0] for rules in ws.conditional_formatting for rule in rules.rules]
    for word in contract.SHEET_ROW_FLAGS["Timeline"]:
        assert f'OR($O2="{word}",$O2="{contract.FLAG_BY_NAME[word].zh}")' in formulas, word


@pytest.mark.parametrize("lang, market", [("en", "en"), ("zh", "zh")])
def test_a_blank_market_means_the_copy_rules_of_the_books_language(tmp_path, lang, market):
    path = tmp_path / f"blank-market-{lang}.xlsx"
    sheetsync.create(path, lang=lang, demo=True, today=dt.date(2026, 11, 27))
    wb = openpyxl.load_workbook(path)
    ws = wb[contract.PROJECT.label(lang)]
    setting = next(s for s in contract.SETTINGS if s.name == "Market")
    row = next(r for r in range(2, ws.max_row + 1) if setting.matches(ws.cell(r, 1).value))
    ws.cell(row, 2).value = None
    wb.save(path)
    report = sheetsync.open(path).check(today=dt.date(2026, 11, 27))
    assert report.analysis.settings.market == market
