"""`whatif --record ROW`: the change request's impact goes into that Feedback row's Impact cell, with a Log row.

Only the computed Impact cell (and its header, for a book made before it) and the Log row are written;
the person's cells of the request — Received on, From, Request, Status … — never are. On the demo
(today Tue 2026-12-08) Feedback row 5 is the client's "Confirm the KOL list and their rates"; slipping T5
by 2 working days moves the launch from Thu 24 to Fri 25 (tests/test_whatif_slip.py works it by hand).
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from google_demo import google_with_demo

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.whatif_record import ACTION

TODAY = "2026-12-08"
IMPACT = (
    "T5 finishes 2 working days late: what-if of 2026-12-08; "
    "launch on track (2026-12-24) → at risk by 1 working day (2026-12-25); "
    "buffer left 1 → -1 working day (the launch slips 1 working day); "
    "2 decisions needed (T4, T5)"
)


def every_cell(path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


def log_rows(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Log"]
    return [row for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]


def test_the_impact_goes_into_the_requests_impact_cell_and_nothing_else_of_it(demo, capsys):
    before = every_cell(demo)
    code = main(["whatif", str(demo), "--slip", "T5=2", "--record", "5", "--today", TODAY])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[-1] == f"Written to Feedback!K5: {IMPACT}"
    after = every_cell(demo)
    assert after[("Feedback", "K1")] == "Impact" and after[("Feedback", "K5")] == IMPACT
    changed = {cell for cell in before.keys() | after.keys() if before.get(cell) != after.get(cell)}
    assert {cell for cell in changed if cell[0] != "Log"} == {("Feedback", "K5")}  # the request itself untouched
    time, action, by, cells, problems, note = log_rows(demo)[-1]
    assert (action, by, cells, problems, note) == ("what-if", "command line", 7, 0, "change request: Feedback row 5")
    assert time.startswith("2026-")


def test_the_json_says_where_it_was_recorded(demo, capsys):
    code = main(["whatif", str(demo), "--slip", "T5=2", "--record", "5", "--today", TODAY, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["recorded"] == {"sheet": "Feedback", "row": 5, "cell": "K5", "impact": IMPACT}
    assert report["record_problems"] == []


def test_a_book_made_before_the_impact_column_gets_it(demo, capsys):
    wb = openpyxl.load_workbook(demo)
    wb["Feedback"]["K1"] = None
    wb.save(demo)
    assert main(["whatif", str(demo), "--slip", "T5=2", "--record", "3", "--today", TODAY]) == 0
    capsys.readouterr()
    feedback = {c: v for (sheet, c), v in every_cell(demo).items() if sheet == "Feedback"}
    assert feedback["K1"] == "Impact" and feedback["K3"] == IMPACT
    assert "K5" not in feedback and log_rows(demo)[-1][2:] == ("command line", 8, 0, "change request: Feedback row 3")


def test_no_room_for_the_impact_column_is_a_problem_and_writes_nothing(demo, capsys):
    wb = openpyxl.load_workbook(demo)
    wb["Feedback"]["K1"] = None
    wb["Feedback"]["K4"] = "call the client back on Friday"  # a person's note in the column it would take
    wb.save(demo)
    before = demo.read_bytes()
    code = main(["whatif", str(demo), "--slip", "T5=2", "--record", "5", "--today", TODAY])
    out = capsys.readouterr().out
    assert code == 1
    assert demo.read_bytes() == before
    assert "Feedback" in out and "K4" in out and "Written to" not in out


@pytest.mark.parametrize("row", ["1", "6", "40"])
def test_a_row_that_is_not_a_request_is_refused_naming_the_sheet(demo, capsys, row):
    before = demo.read_bytes()
    code = main(["whatif", str(demo), "--slip", "T5=2", "--record", row, "--today", TODAY])
    err = capsys.readouterr().err
    assert code == 2
    assert f"row {row} is not a request on the Feedback sheet (its requests are in rows 2–5)" in err
    assert demo.read_bytes() == before


def test_a_chinese_book_records_in_its_own_words(tmp_path, capsys):
    book = tmp_path / "演示.xlsx"
    sheetsync.create(book, demo=True, lang="zh", today=dt.date(2026, 12, 8))
    report = sheetsync.open(book).what_if(today=dt.date(2026, 12, 8), slips={"T5": 2}, record=5)
    assert (report.recorded.sheet, report.recorded.cell) == ("反馈", "K5")
    wb = openpyxl.load_workbook(book)
    assert wb["反馈"]["K1"].value == "影响评估" and wb["反馈"]["K5"].value == report.recorded.impact
    assert "有风险" in report.recorded.impact and "T4，T5" in report.recorded.impact  # the book's words and commas
    log = [row for row in wb["日志"].iter_rows(min_row=2, values_only=True) if row[0]][-1]
    with i18n.language("zh"):
        assert log[1:3] == (i18n.translate(ACTION), i18n.translate("api"))
        assert log[5] == i18n._("change request: {sheet} row {row}", sheet="反馈", row=5)


def test_recorded_on_a_google_sheet(tmp_path, capsys):
    with google_with_demo(tmp_path, TODAY) as (fake, key, _client):
        feedback = fake.values(key, "Feedback")
        code = main(["whatif", f"gsheet:{key}", "--slip", "T5=2", "--record", "5", "--today", TODAY])
        out = capsys.readouterr().out
        assert code == 0, out
        after = fake.values(key, "Feedback")
        assert after[4][10] == IMPACT
        after[4][10:] = feedback[4][10:]
        assert after == feedback  # every other cell of the Feedback sheet as it was
        log = fake.values(key, "Log")[-1]
        assert log[1:3] == ["what-if", "command line"] and log[-1] == "change request: Feedback row 5"


class InsertsARequestBeforeTheFirstWrite:
    """The xlsx backend, but someone adds a request at the top of Feedback between the read and the first write."""

    def __init__(self, path) -> None:
        self.inner, self.path, self.writes = sheetsync.open(path).backend, path, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def write(self, changes, colours=()) -> None:
        self.writes += 1
        if self.writes == 1:
            wb = openpyxl.load_workbook(self.path)
            wb["Feedback"].insert_rows(2)
            for col, value in enumerate([dt.datetime(2026, 12, 8), "Liu Yang", "New hero image", "T9"], start=1):
                wb["Feedback"].cell(2, col).value = value
            wb.save(self.path)
        self.inner.write(changes, colours)


def test_a_request_that_moved_while_recording_is_found_again(demo):
    backend = InsertsARequestBeforeTheFirstWrite(demo)
    report = sheetsync.Workbook(backend).what_if(today=dt.date(2026, 12, 8), slips={"T5": 2}, record=5)
    assert backend.writes == 2 and (report.recorded.row, report.recorded.cell) == (6, "K6")
    ws = openpyxl.load_workbook(demo)["Feedback"]
    assert ws["C6"].value == "Confirm the KOL list and their rates" and ws["K6"].value == IMPACT
    assert ws["K2"].value is None and ws["K5"].value is None
    assert log_rows(demo)[-1][-1] == "change request: Feedback row 6"
