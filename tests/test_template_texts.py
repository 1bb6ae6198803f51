"""The sentences a new workbook shows come from the workbook catalogue, in the book's language.

A Chinese template's Project notes, header notes and validation messages are
the Chinese a translator wrote in sheetsync/locale/zh/*.po (read here with
Babel, not through the code that builds the book); an English template's are
the English messages. A Chinese book's Industry dropdown offers the Chinese
words, and a book that says 化妆品 is checked by the cosmetics rules.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from babel.messages.pofile import read_po
from conftest import setting_row

import sheetsync
from sheetsync import contract
from sheetsync.backends.gsheets.client import connect
from sheetsync.template.gsheets import create_campaign_sheet

pytest_plugins = ("fake_google.plugin",)
ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 27)
CJK = re.compile(r"[\u4e00-\u9fff]")


def catalogue(lang: str) -> dict[str, str]:
    """msgid → translation of every .po file of a language (English: the msgid itself)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "sheetsync" / "locale" / lang).glob("*.po")):
        with path.open("rb") as file:
            found.update({m.id: m.string for m in read_po(file, locale=lang) if m.id and isinstance(m.id, str)})
    return found


ZH = catalogue("zh")


def expected(msgid: str, lang: str, **params: object) -> str:
    """What the catalogue says for `msgid` in `lang`, its placeholders filled."""
    text = ZH[msgid] if lang == "zh" else msgid
    assert text, f"no translation of {msgid!r}"
    return text.format(**params) if params else text


def listed(words, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(words)


def shipped(lang: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(ROOT / "templates" / f"campaign-{lang}.xlsx")


def validations(ws) -> dict[str, object]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_project_notes_are_the_catalogues_words(lang):
    ws = shipped(lang).worksheets[0]
    for setting in contract.SETTINGS:
        flag = contract.flag_label(setting.help_flag, lang) if setting.help_flag else None
        params = {"flag": flag} if flag else {}
        note = ws.cell(setting_row(ws, setting.name), 3).value
        assert note == expected(setting.help, lang, **params), setting.name
    notes = {s.name: ws.cell(setting_row(ws, s.name), 3).value for s in contract.SETTINGS}
    if lang == "zh":
        assert notes["Due soon window"] == "截止日期前多少个工作日将任务标记为“临近截止”。"
        assert notes["Max revision rounds"] == "超过此轮次即标记为“超出修改轮次”。"
        assert "文案规则" in notes["Market"] and "摘要" not in notes["Market"]  # Market no longer picks the language
    else:
        assert notes["Due soon window"] == "Working days before a due date that a task is flagged DUE SOON."
        assert "digest" not in notes["Market"]
        assert not any(CJK.search(n) for name, n in notes.items() if name != "Calendar")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validation_messages_and_header_notes_are_the_catalogues_words(lang):
    book = shipped(lang)
    timeline, team, raci, project = (book[contract.sheet_spec(n).label(lang)] for n in ("Timeline", "Team", "RACI",
                                                                                      "Project"))
    duration = validations(timeline)["E2:E1000"]
    assert (duration.errorTitle, duration.error) == (
        expected("Working days", lang), expected("Write a whole number of working days, 0 or more, such as 3.", lang))
    status = validations(timeline)["H2:H1000"]
    words = contract.TASK_STATUS.values() if lang == "zh" else contract.TASK_STATUS
    assert (status.errorTitle, status.error) == (
        expected("Choose from the list", lang), expected("Choose one of: {choices}.", lang, choices=listed(words, lang)))
    done_on = validations(timeline)["I2:I1000"]
    assert (done_on.errorTitle, done_on.error) == (expected("Date", lang), expected("Write a date such as 2025-03-14.",
                                                                                    lang))
    email = validations(team)["C2:C1000"]
    assert (email.errorTitle, email.error) == (
        expected("Email", lang), expected("This does not look like an email address (it has no @).", lang))
    assert validations(raci)["C2:L1000"].error == expected("R, A, C, I or a combination such as A/R or R/C.", lang)
    rounds = validations(project)[f"B{setting_row(project, 'Max revision rounds')}"]
    assert (rounds.errorTitle, rounds.error) == (
        expected("Whole number", lang), expected("Write a whole number of {minimum} or more.", lang, minimum=1))
    calendar = validations(project)[f"B{setting_row(project, 'Calendar')}"]
    assert calendar.prompt == calendar.error == expected(
        "An ISO country code such as {codes}, or another country's code or name; blank = Monday–Friday.", lang,
        codes=listed(("CN", "US", "GB", "SG"), lang))
    assert timeline.cell(1, 11).comment.text == expected(
        "Computed by sheetsync: it overwrites this column on every sync. Don't type here.", lang)
    assert raci.cell(1, 1).comment.text.startswith(expected(
        "Add one column per person or role to the right of Check, holding R, A, C, I or combinations such as A/R. "
        "Each activity needs exactly one A and at least one R.", lang))
    # and nothing in another language slipped through: every message of every sheet
    texts = [t for ws in book.worksheets for dv in ws.data_validations.dataValidation
             for t in (dv.errorTitle, dv.error, dv.promptTitle, dv.prompt) if t]
    assert texts and all(bool(CJK.search(t)) == (lang == "zh") for t in texts), texts


def test_a_chinese_books_industry_dropdown_offers_the_chinese_words():
    ws = shipped("zh").worksheets[0]
    rules = validations(ws)
    industry = rules[f"B{setting_row(ws, 'Industry')}"].formula1.strip('"').split(",")
    assert industry == list(contract.INDUSTRY.values()) and "化妆品" in industry
    assert ws.cell(setting_row(ws, "Industry"), 2).value == "通用"  # the default, as the dropdown spells it
    assert rules[f"B{setting_row(ws, 'Market')}"].formula1 == '"zh,en"'  # codes in both languages
    assert rules[f"B{setting_row(ws, 'Language')}"].formula1 == '"en,zh"'
    english = shipped("en").worksheets[0]
    assert validations(english)[f"B{setting_row(english, 'Industry')}"].formula1 == '"' + ",".join(
        contract.INDUSTRY) + '"'


def test_a_chinese_google_sheet_has_the_same_words(fake_google, tmp_path):
    client = connect(str(fake_google.service_account_file(tmp_path / "sa.json")), endpoint=fake_google.url)
    key, _url = create_campaign_sheet(client, "精华上市", lang="zh")
    rows = {s.name: i for i, s in enumerate(contract.SETTINGS, start=2)}
    industry = fake_google.cell(key, f"项目!B{rows['Industry']}")
    assert [v["userEnteredValue"] for v in industry["dataValidation"]["condition"]["values"]] == list(
        contract.INDUSTRY.values())
    assert industry["userEnteredValue"] == {"stringValue": "通用"}
    note = fake_google.cell(key, f"项目!C{rows['Due soon window']}")
    assert note["userEnteredValue"] == {"stringValue": "截止日期前多少个工作日将任务标记为“临近截止”。"}
    start = fake_google.cell(key, "时间表!K1")
    assert start["note"] == ZH["Computed by sheetsync: it overwrites this column on every sync. Don't type here."]


def set_industry(path: Path, value: str) -> int:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    row = setting_row(ws, "Industry")
    ws.cell(row, 2).value = value
    wb.save(path)
    return row


def test_a_book_whose_industry_is_written_in_chinese_gets_that_industrys_rules(tmp_path):
    book = sheetsync.create(tmp_path / "a.xlsx", lang="zh", demo=True, today=TODAY)
    row = setting_row(openpyxl.load_workbook(book.target).worksheets[0], "Industry")
    assert openpyxl.load_workbook(book.target).worksheets[0].cell(row, 2).value == "化妆品"  # the demo's, in Chinese
    report = sheetsync.open(book.target).sync(today=TODAY)
    assert report.analysis.settings.industry == "cosmetics"
    assert [p for p in report.problems if p.cell == f"B{row}"] == []
    claim = [("X1", "本品可治愈痘痘")]
    assert [f.category for f in sheetsync.open(book.target).check_copy(claim).findings["X1"]] == [
        "disease_claim_non_medical"]  # a cosmetic may not claim to cure: a claim outside its licence
    set_industry(book.target, "药品")
    assert [f.category for f in sheetsync.open(book.target).check_copy(claim).findings["X1"]] == [
        "medical_efficacy_claim"]  # a medicine's cure claim is a medical claim
    set_industry(book.target, "化装品")  # a typo is a problem on the cell, not a silent default
    problems = [p for p in sheetsync.open(book.target).sync(today=TODAY).problems if p.cell == f"B{row}"]
    assert len(problems) == 1 and "化装品" in str(problems[0])
