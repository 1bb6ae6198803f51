"""Malformed input: each bad cell is a Problem naming sheet and cell with the fix; nothing crashes,
no human-owned cell changes, and the rest of the workbook still syncs."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from conftest import TODAY, header_columns, setting_row
from openpyxl.worksheet.formula import ArrayFormula  # noqa: F401  (documents that formulas are real)

from sheetsync.cli import main
from sheetsync.contract import sheet_spec

TL = "Timeline"


def cell(column: str, row: int, value):
    """Set one Timeline cell by column name (row 2 = T1 … row 5 = T4)."""

    def change(wb):
        ws = wb[TL]
        ws.cell(row, header_columns(ws, TL)[column]).value = value

    return change


def text(column: str, row: int, value: str):
    """Type text that begins with '=' (a person prefixing it with an apostrophe in Excel)."""

    def change(wb):
        ws = wb[TL]
        target = ws.cell(row, header_columns(ws, TL)[column])
        target.value = value
        target.data_type = "s"

    return change


def setting(name: str, value):
    def change(wb):
        ws = wb["Project"]
        ws.cell(setting_row(ws, name), 2).value = value

    return change


def both(*changes):
    def change(wb):
        for c in changes:
            c(wb)

    return change


def merge(ref: str):
    def change(wb):
        wb[TL].merge_cells(ref)

    return change


def delete_sheet(title: str):
    def change(wb):
        del wb[title]

    return change


def rename_header(old: str, new: str):
    def change(wb):
        ws = wb[TL]
        for c in ws[1]:
            if c.value == old:
                c.value = new

    return change


def add_row(values: dict):
    def change(wb):
        ws = wb[TL]
        cols = header_columns(ws, TL)
        for name, value in values.items():
            ws.cell(6, cols[name], value)

    return change


NUMBER_FIX = "write a whole number such as 3"
DATE_FIX = "write it as 2026-03-01 (or 2026/3/1, 2026年3月1日)"
FORMULA_FIX = "type the value itself (copy the cell, then Paste Values)"
PLANNED = "; until then it is planned as 1 working day"  # a task with an unreadable Duration is still planned

# When row 3 loses its ID "T2", T3's dependency on T2 points nowhere: that is reported too.
DANGLING_T2 = (TL, "D4", 'T3 depends on "T2", which is not an ID in the Timeline', "use the ID of an existing row, or remove it")
# ... and so does the RACI row for T2.
RACI_T2 = ("RACI", "A3", '"T2" matches no Timeline ID or milestone', "use a Timeline ID or milestone name, or delete the row")

# (id, change, [(sheet, cell, problem, fix)])
CASES = [
    ("duration-words", cell("Duration", 3, "3 weeks"),
     [(TL, "E3", '"3 weeks" is not a number of working days', NUMBER_FIX + PLANNED)]),
    ("duration-negative", cell("Duration", 3, -1),
     [(TL, "E3", "-1 is negative", "write 0 or a positive whole number" + PLANNED)]),
    ("duration-fraction", cell("Duration", 3, 2.5),
     [(TL, "E3", "2.5 is not a whole number of working days", "round it to a whole number such as 3" + PLANNED)]),
    ("duration-bool", cell("Duration", 3, True),
     [(TL, "E3", "True is not a number of working days", NUMBER_FIX + PLANNED)]),
    ("duration-date", cell("Duration", 3, dt.datetime(2026, 3, 1)),
     [(TL, "E3", "2026-03-01 is a date, not a number of working days",
       NUMBER_FIX + " (and set the cell's format to General or Number)" + PLANNED)]),
    ("duration-missing", cell("Duration", 3, None),
     [(TL, "E3", "T2 has no duration", "write its working days, or 0 for a milestone" + PLANNED)]),
    ("buffer-text", cell("Buffer", 2, "one"), [(TL, "F2", '"one" is not a number of working days', NUMBER_FIX)]),
    ("fixed-due-impossible", cell("Fixed due", 3, "2026-02-30"),
     [(TL, "G3", '"2026-02-30" is not a real date (2026-02 has 28 days)', "correct the day or month")]),
    ("fixed-due-words", cell("Fixed due", 3, "next week"), [(TL, "G3", '"next week" is not a date', DATE_FIX)]),
    ("done-on-month-13", cell("Done on", 2, "2026/13/01"),
     [(TL, "I2", '"2026/13/01" is not a real date (there is no month 13)', "correct the day or month")]),
    ("done-on-future", both(cell("Status", 2, "Done"), cell("Done on", 2, "2026-03-20")),
     [(TL, "I2", "T1 is marked done on 2026-03-20, after today (2026-03-02)",
       "correct the date it was finished, or clear it until it is done")]),
    ("status-unknown", cell("Status", 2, "Paused"),
     [(TL, "H2", '"Paused" is not one of Not started, In progress, Done, Blocked', "pick one from the dropdown")]),
    ("done-without-date", cell("Status", 2, "Done"),
     [(TL, "I2", "T1 is Done but has no Done on date; it is taken as done on time", "write the date it was finished")]),
    ("date-without-done", cell("Done on", 2, "2026-02-27"),
     [(TL, "H2", "T1 has a Done on date but its Status is Not started; it is taken as done",
       "set Status to Done, or clear Done on")]),
    ("duplicate-id", cell("ID", 3, "T1"),
     [(TL, "A3", 'ID "T1" is used twice (first at A2); this row is not scheduled', "give each row its own ID"),
      DANGLING_T2, RACI_T2]),
    ("missing-id", cell("ID", 3, None),
     [(TL, "A3", 'the row "First draft" has no ID', "give it a unique ID such as T12"), DANGLING_T2, RACI_T2]),
    ("id-with-equals", text("ID", 3, "=T2"),
     [(TL, "A3", '"=T2" begins with "=" and is not an ID', "write the plain ID, such as T3"), DANGLING_T2, RACI_T2]),
    ("id-with-space", cell("ID", 3, "T 2"),
     [(TL, "A3", '"T 2" is not a valid ID',
       "use letters, digits, '-', '_' or '.', such as T3 (separate several by commas)"),
      DANGLING_T2, RACI_T2]),
    ("formula-id", cell("ID", 3, '="T"&2'),
     [(TL, "A3", 'holds a formula (="T"&2) where sheetsync needs a typed ID', FORMULA_FIX), DANGLING_T2, RACI_T2]),
    ("depends-unknown", cell("Depends on", 3, "T1, T9"),
     [(TL, "D3", 'T2 depends on "T9", which is not an ID in the Timeline', "use the ID of an existing row, or remove it")]),
    ("depends-equals", text("Depends on", 3, "=T1"),
     [(TL, "D3", '"=T1" begins with "=" and is not an ID', "write the plain ID, such as T3")]),
    ("depends-plus", cell("Depends on", 3, "T1+T2"),
     [(TL, "D3", '"T1+T2" is not a valid ID',
       "use letters, digits, '-', '_' or '.', such as T3 (separate several by commas)")]),
    ("cycle-two", cell("Depends on", 2, "T2"),
     [(TL, "D2", "dependency cycle: T1 → T2 → T1 (cells D2, D3); their links are ignored",
       "remove one of these dependencies so the tasks form a sequence")]),
    ("cycle-three", cell("Depends on", 2, "T3"),
     [(TL, "D2", "dependency cycle: T1 → T2 → T3 → T1 (cells D2, D3, D4); their links are ignored",
       "remove one of these dependencies so the tasks form a sequence")]),
    ("self-dependency", cell("Depends on", 4, "T2, T3"),
     [(TL, "D4", "dependency cycle: T3 → T3 (cells D4); their links are ignored",
       "remove one of these dependencies so the tasks form a sequence")]),
    ("formula-duration", cell("Duration", 3, "=1+2"),
     [(TL, "E3", "holds a formula (=1+2) where sheetsync needs a typed Duration", FORMULA_FIX + PLANNED)]),
    ("formula-fixed-due", cell("Fixed due", 3, '=DATE(2026,3,10)'),
     [(TL, "G3", "holds a formula (=DATE(2026,3,10)) where sheetsync needs a typed Fixed due", FORMULA_FIX)]),
    ("merged-cells", merge("B3:B4"),
     [(TL, "B3:B4", "cells B3:B4 are merged; sheetsync reads only B3 and never writes the others",
       "unmerge them and fill each row's cell"),
      (TL, "B4", "T3 has no name", "write what the task or milestone is")]),
    ("missing-timeline", delete_sheet("Timeline"),
     [("Timeline", "", 'the workbook has no "Timeline" sheet (时间表)',
       'add a sheet named "Timeline" with the contract\'s headers (sheetsync init new.xlsx makes a template to copy from)')]),
    ("missing-project", delete_sheet("Project"),
     [("Project", "", 'the workbook has no "Project" sheet (项目)',
       'add a sheet named "Project" with the contract\'s headers (sheetsync init new.xlsx makes a template to copy from)')]),
    ("misspelt-column", rename_header("Duration", "Duraton"),
     [(TL, "A1", 'required column "Duration" (工期) is missing', 'rename the header "Duraton" to "Duration"')]),
    ("missing-column", rename_header("ID", "Nr"),
     [(TL, "A1", 'required column "ID" (编号) is missing', 'add a column headed "ID" to row 1')]),
    ("launch-missing", setting("Launch date", None),
     [("Project", "B4", "the launch date is missing, so no deadline can be planned",
       'write the ad launch date in the Value column of the "Launch date" row, such as 2026-03-01')]),
    ("launch-words", setting("Launch date", "soon"), [("Project", "B4", '"soon" is not a date', DATE_FIX)]),
    ("calendar-unknown", setting("Calendar", "XX"),
     [("Project", "B5", '"XX" is not a country the holiday calendar knows',
       "write an ISO country code such as CN, US, GB or SG, or the country's name (China, 中国), "
       "or leave it blank for Monday–Friday")]),
    ("window-words", setting("Due soon window", "two"),
     [("Project", "B8", '"two" is not a number of working days', NUMBER_FIX)]),
    ("extra-holiday-bad", setting("Extra holidays", "2026-03-10, tomorrow"),
     [("Project", "B6", '"tomorrow" is not a date', DATE_FIX)]),
    ("market-unknown", setting("Market", "fr"),
     [("Project", "B12", '"fr" is not one of zh, en', "pick one from the dropdown")]),
    ("rounds-negative", setting("Max revision rounds", -2),
     [("Project", "B10", "-2 is negative", "write 0 or a positive whole number")]),
    ("row-without-name", add_row({"ID": "T5", "Duration": 1}),
     [(TL, "A6", "T5 has no RACI row", "add a row for T5 to the RACI sheet: who is R, A, C and I"),
      (TL, "B6", "T5 has no name", "write what the task or milestone is")]),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_a_located_problem_and_nothing_human_changes(make_campaign, capsys, change, expected):
    campaign = make_campaign()
    campaign.edit(change)
    before = campaign.human_cells()
    code = main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    out = capsys.readouterr().out
    report = json.loads(out)
    assert code == 1
    got = [(p["sheet"], p["cell"], p["problem"], p["fix"]) for p in report["problems"]]
    assert got == expected
    assert campaign.human_cells() == before
    # the Problems sheet holds the same findings, one row each
    wb = openpyxl.load_workbook(campaign.path)
    rows = [tuple(c.value for c in row[:4]) for row in wb["Problems"].iter_rows(min_row=2) if row[0].value]
    assert rows == [(s, c or None, p, f) for s, c, p, f in expected]


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", ["duration-words", "depends-unknown", "cycle-two", "fixed-due-words"])
def test_the_rest_still_syncs(make_campaign, capsys, case):
    change = dict((c[0], c[1]) for c in CASES)[case]
    campaign = make_campaign()
    campaign.edit(change)
    main(["sync", str(campaign.path), "--today", TODAY.isoformat()])
    capsys.readouterr()
    flags = campaign.cells("Timeline")
    # the launch milestone T4 is planned whatever happened above it
    assert flags["L5"] == dt.datetime(2026, 3, 14) and flags["O5"] in ("OK", "AT RISK")


def test_chinese_sheet_names_appear_in_problems(make_campaign, capsys):
    campaign = make_campaign(lang="zh")

    def change(wb):
        ws = wb[sheet_spec("Timeline").zh]
        ws.cell(3, header_columns(ws, TL)["Duration"], "三周")

    campaign.edit(change)
    main(["check", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert problems[0]["sheet"] == "时间表" and problems[0]["cell"] == "E3"


def test_not_a_workbook_and_corrupt_files_are_clear_errors(tmp_path, capsys):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Name,Due\nA,2026-03-01\n")
    assert main(["sync", str(fake)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "fake.xlsx" in err and "Traceback" not in err
