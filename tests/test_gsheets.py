"""The Google Sheets backend: pure conversions first, then the real client against the fake Sheets API.

The fake (tests/fake_google) is a real HTTP server that validates every request
against Google's discovery documents; these tests run the real gspread +
google-auth + requests stack against it, so call counts are HTTP requests.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bench_workbooks import TODAY as BENCH_TODAY
from bench_workbooks import build_campaign_workbook

from sheetsync import contract
from sheetsync.a1 import rowcol_to_a1
from sheetsync.analysis import analyse
from sheetsync.backends.gsheets import rows as rows_module
from sheetsync.backends.gsheets.backend import (
    GoogleSheetsBackend,
    SheetMovedError,
    first_difference,
    workbook_from_response,
    write_requests,
)
from sheetsync.backends.gsheets.client import RetryPolicy, connect, spreadsheet_key
from sheetsync.backends.gsheets.rows import row_writes
from sheetsync.backends.gsheets.values import cell_data, from_serial, to_serial
from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.contract import ROW_FLAG_COLOURS
from sheetsync.errors import TargetError, UsageError, WriteError
from sheetsync.raw import CellChange, Formula
from sheetsync.sync import plan, run
from sheetsync.template import build_workbook
from sheetsync.template.gsheets import create_campaign_sheet

pytest_plugins = ("fake_google.plugin",)

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc"
ACCOUNT = "sheetsync-test@fake-project.iam.gserviceaccount.com"
DEMO_TODAY = dt.date(2026, 3, 2)

# --- pure: targets, serials, values -------------------------------------------


@pytest.mark.parametrize(
    ("target", "key"),
    [
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", KEY),
        (f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing", KEY),
        (f"https://docs.google.com/spreadsheets/d/{KEY}", KEY),
        (f"gsheet:{KEY}", KEY),
        ("campaign.xlsx", None),
        ("gsheet:short", None),
        ("https://example.com/spreadsheets/d/" + KEY, None),
    ],
)
def test_spreadsheet_key_from_url_or_prefix(target, key):
    assert spreadsheet_key(target) == key


@pytest.mark.parametrize(
    "value",
    [dt.date(1899, 12, 30), dt.date(1900, 1, 1), dt.date(1900, 3, 1), dt.date(2026, 3, 14),
     dt.datetime(2026, 3, 2, 9, 30), dt.datetime(2026, 3, 2, 23, 59, 59)],
)
def test_serial_round_trip(value):
    assert from_serial(to_serial(value)) == value


def test_serials_match_sheets_epoch():
    # Sheets counts from 1899-12-30 with no 1900 leap-year bug: 1 is 1899-12-31, 61 is 1900-03-01.
    assert to_serial(dt.date(1899, 12, 31)) == 1
    assert to_serial(dt.date(1900, 3, 1)) == 61
    assert to_serial(dt.date(2026, 3, 2)) == 46083
    assert to_serial(dt.datetime(2026, 3, 2, 12)) == 46083.5


def test_cell_data_writes_plain_values_never_formulas():
    assert cell_data("=SUM(A1:A3)") == {"userEnteredValue": {"stringValue": "=SUM(A1:A3)"}}
    assert cell_data("+1") == {"userEnteredValue": {"stringValue": "+1"}}
    assert cell_data(3) == {"userEnteredValue": {"numberValue": 3}}
    assert cell_data(True) == {"userEnteredValue": {"boolValue": True}}
    assert cell_data(None) == {}
    assert cell_data(dt.date(2026, 3, 2)) == {
        "userEnteredValue": {"numberValue": 46083},
        "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
    }


def _cell(entered=None, effective=None, number_format=None):
    cell = {}
    if entered is not None:
        cell["userEnteredValue"] = entered
    if effective is not None:
        cell["effectiveValue"] = effective
    if number_format:
        cell["effectiveFormat"] = {"numberFormat": {"type": number_format}}
    return cell


def test_read_response_becomes_the_raw_workbook_the_parser_knows():
    response = {
        "spreadsheetId": KEY,
        "sheets": [
            {
                "properties": {"sheetId": 7, "title": "Timeline", "index": 1,
                               "gridProperties": {"rowCount": 100, "columnCount": 20}},
                "merges": [{"sheetId": 7, "startRowIndex": 4, "endRowIndex": 6, "startColumnIndex": 1,
                            "endColumnIndex": 3}],
                "data": [{"rowData": [
                    {"values": [_cell({"stringValue": "ID"}, {"stringValue": "ID"}),
                                _cell({"stringValue": "Due"}, {"stringValue": "Due"})]},
                    {"values": [_cell({"stringValue": "T1"}, {"stringValue": "T1"}),
                                _cell({"numberValue": 46083}, {"numberValue": 46083}, "DATE"),
                                _cell({"numberValue": 3}, {"numberValue": 3}),
                                _cell({"numberValue": 2.5}, {"numberValue": 2.5}),
                                _cell({"formulaValue": "=TODAY()"}, {"numberValue": 46083}, "DATE"),
                                _cell({"formulaValue": "=1/0"}, {"errorValue": {"type": "DIVIDE_BY_ZERO"}}),
                                _cell({"boolValue": True}, {"boolValue": True}),
                                _cell({"stringValue": "=not a formula"}, {"stringValue": "=not a formula"}),
                                {},
                                _cell({"numberValue": 46083.75}, {"numberValue": 46083.75}, "DATE_TIME")]},
                ]}],
            },
            {"properties": {"sheetId": 0, "title": "Project", "index": 0}},
            {"properties": {"sheetId": 9, "title": "Chart", "index": 2, "sheetType": "OBJECT"}},
        ],
    }
    workbook, states = workbook_from_response(response, "gsheet:" + KEY)
    assert list(workbook.sheets) == ["Project", "Timeline"]
    sheet = workbook.sheets["Timeline"]
    assert sheet.sheet_id == 7
    assert sheet.merged == [(5, 2, 6, 3)]
    assert sheet.cells == {
        (1, 1): "ID", (1, 2): "Due",
        (2, 1): "T1", (2, 2): dt.date(2026, 3, 2), (2, 3): 3, (2, 4): 2.5,
        (2, 5): Formula("=TODAY()", cached=dt.date(2026, 3, 2)),
        (2, 6): Formula("=1/0", cached="#DIV/0!"),
        (2, 7): True, (2, 8): "=not a formula", (2, 10): dt.datetime(2026, 3, 2, 18),
    }
    assert type(sheet.cells[(2, 3)]) is int
    assert states["Timeline"].dated == {(2, 2), (2, 5), (2, 10)}
    assert states["Timeline"].entered[(2, 5)] == "=TODAY()"  # the guard compares formulas, not their results


def test_write_requests_grow_and_tag_rows_with_content_and_values_go_by_tag():
    response = {"sheets": [{"properties": {"sheetId": 3, "title": "Timeline", "index": 0,
                                           "gridProperties": {"rowCount": 5, "columnCount": 12}},
                            "data": [{"rowData": [{}, {"values": [{}] * 11 + [
                                _cell({"numberValue": 1}, {"numberValue": 1}, "DATE")]}]}]}]}
    _, states = workbook_from_response(response, "x")
    changes = [
        CellChange("Timeline", 2, 12, dt.date(2026, 3, 2)),  # L2 is already a date cell: value only
        CellChange("Timeline", 3, 12, dt.date(2026, 3, 3)),  # L3 is not: value, and its format by position
        CellChange("Timeline", 4, 12, dt.date(2026, 3, 4)),
        CellChange("Timeline", 2, 15, "OK"),
        CellChange("Timeline", 3, 15, None),
        CellChange("Timeline", 7, 15, "=1+1"),  # past the grid's 5 rows and 12 columns
    ]
    writes = row_writes(changes, {"Timeline": 3})
    requests = write_requests(changes, states, writes)
    assert requests[:2] == [
        {"appendDimension": {"sheetId": 3, "dimension": "ROWS", "length": 2}},
        {"appendDimension": {"sheetId": 3, "dimension": "COLUMNS", "length": 3}},
    ]
    # Row 2 holds something: it gets sheetsync's row metadata. Rows 3, 4 and 7 are empty: written by position.
    assert requests[2] == {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": "sheetsync.row", "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": 3, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}}}
    assert len(requests) == 3  # nothing goes by position but growth and tags: no values, no formats

    writes[0].tag, writes[0].dated = 77, frozenset({12})
    assert writes[0].value_range() == {
        "dataFilter": {"developerMetadataLookup": {"metadataId": 77}}, "majorDimension": "ROWS",
        "values": [[None] * 11 + [46083, None, None, "'OK"]]}  # null: a person's cell, left as it is
    # L3 has no date format yet: ISO text, which Sheets (USER_ENTERED) stores as the date, date-formatted.
    # By position, with the row above sent empty (left as it is): the answer shows rows that slid under the write.
    assert writes[1].value_range()["values"] == [[], [None] * 11 + ["2026-03-03", None, None, ""]]
    assert writes[1].value_range()["dataFilter"] == {
        "gridRange": {"sheetId": 3, "startRowIndex": 1, "endRowIndex": 3}}
    assert writes[3].value_range()["values"][-1][14] == "'=1+1"  # quoted: stays text


def test_first_difference_in_reading_order():
    before = {(1, 1): "ID", (2, 1): "T1", (3, 1): "T2"}
    assert first_difference(before, dict(before)) is None
    assert first_difference(before, {(1, 1): "ID", (2, 1): "T0", (3, 1): "T1", (4, 1): "T2"}) == (2, 1)
    assert first_difference(before, {(1, 1): "ID", (2, 1): "T1"}) == (3, 1)


def test_retry_waits_grow_with_jitter_and_stop_at_the_budget():
    policy = RetryPolicy(max_wait=60, first=1, cap=16, jitter=lambda: 1.0)
    assert list(policy.delays()) == [1, 2, 4, 8, 16, 16, 13]
    low = RetryPolicy(max_wait=60, first=1, cap=16, jitter=lambda: 0.0)
    assert list(low.delays())[:3] == [0.5, 1, 2]
    assert sum(low.delays()) == 60
    assert list(RetryPolicy(max_wait=0).delays()) == []


# --- against the fake Sheets API ------------------------------------------------------


class Waits(list):
    """A sleep that only records: retries run at once, and the test sees the backoff."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def client(fake_google, tmp_path, waits):
    key_file = fake_google.service_account_file(tmp_path / "sa.json")
    return connect(str(key_file), endpoint=fake_google.url, sleep=waits, max_wait=60)


@pytest.fixture(scope="module")
def made_demo() -> dict[str, object]:
    """The demo sheet as the module's first demo_sheet made it (a fake Spreadsheet), for the later tests to copy."""
    return {}


@pytest.fixture
def demo_sheet(fake_google, client, made_demo):
    """The demo campaign created by init --gsheet --demo; the calls list starts empty.

    The first test makes it through the API; later tests get a copy of that sheet in their own fake
    (what init makes is init's tests' subject, and the same every time).
    """
    if "book" in made_demo:
        key = fake_google.adopt_spreadsheet(made_demo["book"])
    else:
        key, _ = create_campaign_sheet(client, "Serum launch", demo=True, today=DEMO_TODAY)
        made_demo["book"] = fake_google.spreadsheet(key).snapshot()
    fake_google.calls.clear()
    return key


def sync(backend, **kwargs):
    """sync.run, redone while the sheet moves under it (the loop proposed for sync.run itself)."""
    while True:
        try:
            return run(backend, **kwargs)
        except SheetMovedError:
            continue


def names(fake) -> list[str]:
    return [call.name for call in fake.calls]


def typed(value):
    """A raw cell as a person types it (USER_ENTERED): text forced with a leading ', dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "'" + value


def load_into_fake(fake, workbook) -> str:
    """A Google Sheet holding the same cells as ``workbook`` (a RawWorkbook read from an xlsx file)."""
    rows = max(1000, *(sheet.max_row + 10 for sheet in workbook.sheets.values()))
    key = fake.create_spreadsheet("Campaign", sheets=tuple(workbook.sheets), rows=rows)
    for title, sheet in workbook.sheets.items():
        grid = [[typed(v) for v in row] for row in sheet.rows()]
        if grid:
            fake.set_values(key, f"'{title}'!A1", grid)
        for (r, c), value in sheet.cells.items():
            if isinstance(value, Formula) and value.cached is not None:
                fake.set_formula_result(key, f"'{title}'!{rowcol_to_a1(r, c)}", value.cached)
    return key


def assert_consistent(backend, today) -> None:
    """Every computed cell holds what its own row says: a fresh plan changes nothing."""
    _, changes = plan(backend.read(), today=today)
    assert changes == []


# init --gsheet


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_creates_the_whole_contract_in_two_calls_and_shares(fake_google, client, lang):
    key, url = create_campaign_sheet(client, "Serum launch", share=["li.na@agency.example.com"], lang=lang)

    assert url == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert names(fake_google) == ["spreadsheets.create", "spreadsheets.batchUpdate", "drive.permissions.create"]
    book = fake_google.spreadsheet(key)
    assert book.permissions["li.na@agency.example.com"] == "writer"
    assert [sheet.title for sheet in book.sheets] == [spec.label(lang) for spec in contract.SHEETS]
    sheets = {spec.name: book.sheet_by_title(spec.label(lang)) for spec in contract.SHEETS}
    for spec in contract.SHEETS:
        title = spec.label(lang)
        assert fake_google.values(key, f"'{title}'!1:1")[0][: len(spec.columns)] == [c.label(lang) for c in spec.columns]
        assert sheets[spec.name].grid["frozenRowCount"] == 1
    assert sheets["Timeline"].grid["frozenColumnCount"] == 2

    timeline = contract.TIMELINE.label(lang)
    due = fake_google.cell(key, f"{timeline}!L1")  # Due: computed
    assert due["note"].startswith("Computed by sheetsync" if lang == "en" else "由 sheetsync 计算")
    assert due["userEnteredFormat"]["backgroundColor"] == {"red": 0.8667, "green": 0.9216, "blue": 0.9686}
    assert "note" not in fake_google.cell(key, f"{timeline}!H1")  # Status: people's
    status_rule = fake_google.cell(key, f"{timeline}!H1000")["dataValidation"]
    labels = list(contract.TASK_STATUS.values()) if lang == "zh" else list(contract.TASK_STATUS)
    assert [v["userEnteredValue"] for v in status_rule["condition"]["values"]] == labels
    assert status_rule["strict"] is True
    assert fake_google.cell(key, f"{timeline}!E2")["dataValidation"]["condition"]["type"] == "CUSTOM_FORMULA"
    assert fake_google.cell(key, f"{contract.TEAM.label(lang)}!C2")["dataValidation"]["condition"]["type"] == (
        "TEXT_IS_EMAIL"
    )
    for a1 in ("G2", "I500", "K2", "L1000", "M2"):  # Fixed due, Done on, Start, Due, Projected due
        assert fake_google.cell(key, f"{timeline}!{a1}")["userEnteredFormat"]["numberFormat"] == {
            "type": "DATE", "pattern": "yyyy-mm-dd"}
    assert fake_google.cell(key, f"{timeline}!D2")["userEnteredFormat"]["numberFormat"] == {"type": "TEXT"}

    # Computed columns: warning-only protection; Problems and Log wholly.
    protected = [(p["range"].get("startColumnIndex"), p["range"].get("endColumnIndex"), p["warningOnly"])
                 for p in sheets["Timeline"].protected_ranges]
    assert protected == [(col, col + 1, True) for col in range(10, 18)]  # Start … Flag, Baseline start … Variance
    for name in ("Problems", "Log"):
        assert [p["range"] for p in sheets[name].protected_ranges] == [{"sheetId": sheets[name].sheet_id}]
        assert sheets[name].protected_ranges[0]["warningOnly"] is True

    # Flag colours: the live overdue rule first, then one rule per flag with the template's colours.
    rules = sheets["Timeline"].conditional_formats
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules]
    assert formulas[0].startswith('=AND($L2<>"",$L2<TODAY(),$H2<>"Done"')
    assert formulas[1:] == [f'=OR($O2="{flag}",$O2="{contract.FLAG_BY_NAME[flag].zh}")' for flag in contract.FLAG_COLOURS]
    for rule, flag in zip(rules[1:], contract.FLAG_COLOURS, strict=True):
        fill = rule["booleanRule"]["format"]["backgroundColor"]
        assert "".join(f"{round(fill[k] * 255):02X}" for k in ("red", "green", "blue")) == ROW_FLAG_COLOURS[flag][0]
    review_flags = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
                    for r in sheets["Reviews"].conditional_formats]
    assert '=OR($K2="REVISION LOOP",$K2="超出修改轮次")' in review_flags
    assert '=OR($K2="APPROVED WITH FINDINGS",$K2="带问题通过")' in review_flags


def test_init_refuses_bad_arguments_before_calling_google(fake_google, client):
    with pytest.raises(UsageError, match='Unknown language "fr"'):
        create_campaign_sheet(client, "x", lang="fr")
    with pytest.raises(UsageError) as caught:
        create_campaign_sheet(client, "x", share=["li.na"])
    assert str(caught.value) == '--share li.na: "li.na" is not an email address; write one address such as name@example.com.'
    with pytest.raises(UsageError) as caught:  # the second of a comma-separated list is checked before anything is made
        create_campaign_sheet(client, "x", share=["li.na@agency.example.com, Wang Lei <wang.lei@agency.example.com>"])
    assert str(caught.value) == (
        '--share Wang Lei <wang.lei@agency.example.com>: "Wang Lei <wang.lei@agency.example.com>" has a name or '
        "angle brackets around the address; keep only the address itself, e.g. wang.lei@agency.example.com."
    )
    assert fake_google.calls == []


# sync, check, digest: the same results as the Excel file


def test_demo_sheet_syncs_like_the_demo_workbook(fake_google, client, demo_sheet, tmp_path):
    path = build_workbook(tmp_path / "demo.xlsx", demo=True, today=DEMO_TODAY)
    excel = run(XlsxFileBackend(path), today=DEMO_TODAY)
    google = run(GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client), today=DEMO_TODAY)

    assert google.analysis.desired == excel.analysis.desired
    assert google.problems == excel.problems
    assert [c for c in google.changes if c.sheet != "Log"] == [c for c in excel.changes if c.sheet != "Log"]
    assert google.flags == excel.flags
    # A first sync: the batchUpdate tags the rows it writes (row metadata), the values go by those tags.
    assert names(fake_google) == ["spreadsheets.get", "spreadsheets.values.batchGet", "spreadsheets.batchUpdate",
                                  "spreadsheets.values.batchUpdateByDataFilter"]
    assert fake_google.values(demo_sheet, "Timeline!K5:O5") == [["2026-02-27", "2026-02-27", "2026-03-02", "-2",
                                                                 "OVERDUE"]]


@pytest.mark.parametrize("rows", [50, pytest.param(5000, marks=pytest.mark.slow)])
def test_same_results_as_excel_in_the_same_few_calls_at_any_size(fake_google, client, tmp_path, rows, monkeypatch):
    # Every row by its tag (past the budget, 25,000 position writes with the row above each are more than
    # this Python fake answers in minutes; the budget's path is tested on the demo in test_gsheets_moves.py).
    monkeypatch.setattr(rows_module, "TAG_BUDGET", 10**6)
    # The fake, a Python server checking 25,000 data filters one by one, needs over a minute for the
    # 5,000-row values write on a busy 2-core machine; Google's own time is not what this measures.
    client = connect(client.key_file, endpoint=fake_google.url, sleep=lambda _s: None, max_wait=600)
    path = tmp_path / "campaign.xlsx"
    build_campaign_workbook(path, rows)
    excel_backend = XlsxFileBackend(path)
    key = load_into_fake(fake_google, excel_backend.read())
    google_backend = GoogleSheetsBackend(f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0", client=client)

    check = run(google_backend, today=BENCH_TODAY, action="check")
    assert names(fake_google) == ["spreadsheets.get"]  # check never writes
    fake_google.calls.clear()
    tokens = len(fake_google.token_requests)

    google = run(google_backend, today=BENCH_TODAY)
    excel = run(excel_backend, today=BENCH_TODAY)
    assert google.analysis.desired == excel.analysis.desired == check.analysis.desired
    assert google.problems == excel.problems
    assert google.changed_cells == excel.changed_cells > 0
    # A first sync: the batchUpdate tags the rows it writes (row metadata), the values go by those tags.
    assert names(fake_google) == ["spreadsheets.get", "spreadsheets.values.batchGet", "spreadsheets.batchUpdate",
                                  "spreadsheets.values.batchUpdateByDataFilter"]
    assert len(fake_google.token_requests) == tokens <= 1  # one token for the whole session

    # What landed in each computed cell is what the Excel file got.
    after_google, after_excel = google_backend.read(), excel_backend.read()
    for title, cells in excel.analysis.desired.items():
        for row, col in cells:
            assert after_google.sheets[title].value(row, col) == after_excel.sheets[title].value(row, col), (
                title, rowcol_to_a1(row, col))

    fake_google.calls.clear()
    again = run(google_backend, today=BENCH_TODAY)
    assert (again.written, again.changes) == (False, [])
    assert names(fake_google) == ["spreadsheets.get"]  # nothing changed: the read only


def test_digest_from_the_sheet_equals_digest_from_the_file(fake_google, client, tmp_path):
    from sheetsync.digest.compose import compose, recipients

    path = tmp_path / "campaign.xlsx"
    build_campaign_workbook(path, 30)
    excel = analyse(XlsxFileBackend(path).read(), today=BENCH_TODAY)
    key = load_into_fake(fake_google, XlsxFileBackend(path).read())
    google = analyse(GoogleSheetsBackend(f"gsheet:{key}", client=client).read(), today=BENCH_TODAY)
    people = recipients(excel)
    assert people and recipients(google) == people
    for person in people:
        assert compose(google, person, None) == compose(excel, person, None)


# people editing between sheetsync's read and its write


def test_row_inserted_above_is_seen_and_the_sync_redone(fake_google, client, demo_sheet):
    backend = GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client)
    fake_google.before_next("spreadsheets.values.batchGet",
                            lambda fake: fake.insert_rows(demo_sheet, "Timeline", 3))
    report = sync(backend, today=DEMO_TODAY)

    assert report.written
    assert names(fake_google) == ["spreadsheets.get", "spreadsheets.values.batchGet",
                                  "spreadsheets.get", "spreadsheets.values.batchGet", "spreadsheets.batchUpdate",
                                  "spreadsheets.values.batchUpdateByDataFilter"]
    rows = fake_google.values(demo_sheet, "Timeline!A2:O5")
    assert rows[1] == []  # the new blank row got no computed value
    assert (rows[2][0], rows[2][-1]) == ("T2", "BLOCKED")  # T2's flag is on T2's row, now row 4
    assert_consistent(backend, DEMO_TODAY)


def test_row_deleted_is_seen_and_the_sync_redone(fake_google, client, demo_sheet):
    backend = GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client)
    fake_google.before_next("spreadsheets.values.batchGet",
                            lambda fake: fake.delete_rows(demo_sheet, "Timeline", 3))  # T2
    report = sync(backend, today=DEMO_TODAY)

    assert report.written
    assert [row[0] for row in fake_google.values(demo_sheet, "Timeline!A2:A4")] == ["T1", "T3", "T4"]
    assert fake_google.values(demo_sheet, "Timeline!O3:O4") == [["DONE LATE"], ["OVERDUE"]]  # T3, T4
    assert any(p.sheet == "Timeline" and "T2" in p.problem for p in report.problems)  # T10 depends on T2
    assert_consistent(backend, DEMO_TODAY)


def test_a_persons_edit_is_kept_and_the_plan_follows_it(fake_google, client, demo_sheet):
    backend = GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client)

    def finish_t4(fake):  # Wang Lei marks the internal review done while sheetsync is planning
        fake.set_values(demo_sheet, "Timeline!H5:I5", [["Done", "2026-03-02"]])

    fake_google.before_next("spreadsheets.values.batchGet", finish_t4)
    sync(backend, today=DEMO_TODAY)

    assert fake_google.values(demo_sheet, "Timeline!H5:I5") == [["Done", "2026-03-02"]]
    assert fake_google.values(demo_sheet, "Timeline!O5") == [["DONE LATE"]]  # not the stale OVERDUE
    assert_consistent(backend, DEMO_TODAY)


def test_a_sheet_that_keeps_moving_gives_up_with_nothing_written(fake_google, client, demo_sheet):
    backend = GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client, redo_limit=3)

    def keep_inserting(fake):
        fake.insert_rows(demo_sheet, "Timeline", 3)
        fake.before_next("spreadsheets.values.batchGet", keep_inserting)

    fake_google.before_next("spreadsheets.values.batchGet", keep_inserting)
    with pytest.raises(WriteError) as caught:
        sync(backend, today=DEMO_TODAY)
    assert not isinstance(caught.value, SheetMovedError)
    assert str(caught.value) == (
        f"gsheet:{demo_sheet}: the sheet kept changing while sheetsync was about to write (3 tries; last: "
        "Timeline!A5); nothing was written. Run sync again when editing pauses."
    )
    assert fake_google.calls_to("spreadsheets.*batchUpdate*") == []


def test_values_that_look_like_formulas_are_written_as_text(fake_google, client, demo_sheet):
    backend = GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client)
    backend.read()
    backend.write([CellChange("Problems", 2, 3, "=HYPERLINK(\"x\")"), CellChange("Problems", 2, 4, "+1"),
                   CellChange("Log", 1200, 1, "beyond the grid")])
    assert fake_google.cell(demo_sheet, "Problems!C2")["userEnteredValue"] == {"stringValue": '=HYPERLINK("x")'}
    assert fake_google.cell(demo_sheet, "Problems!D2")["userEnteredValue"] == {"stringValue": "+1"}
    assert fake_google.values(demo_sheet, "Log!A1200") == [["beyond the grid"]]


# quotas and errors


def test_429_answers_are_retried_with_growing_waits(fake_google, client, demo_sheet, waits):
    fake_google.fail_next(3, 429, "spreadsheets.get")
    report = sync(GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client), today=DEMO_TODAY)
    assert report.written
    assert len(fake_google.calls_to("spreadsheets.get")) == 4
    assert len(waits) == 3 and 0.5 <= waits[0] <= 1 <= waits[1] <= 2 <= waits[2] <= 4


def test_5xx_on_the_write_is_retried(fake_google, client, demo_sheet, waits):
    fake_google.fail_next(1, 503, "spreadsheets.batchUpdate")
    report = sync(GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client), today=DEMO_TODAY)
    assert report.written and len(waits) == 1
    assert len(fake_google.calls_to("spreadsheets.batchUpdate")) == 2


def test_quota_exhausted_after_the_bounded_wait_says_what_to_do(fake_google, tmp_path, demo_sheet, waits):
    client = connect(str(tmp_path / "sa.json"), endpoint=fake_google.url, sleep=waits, max_wait=20)
    fake_google.fail_next(1000, 429, "spreadsheets.get")
    with pytest.raises(TargetError) as caught:
        GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client).read()
    assert 15 < sum(waits) <= 19  # the deadline (20 s) counts the answers awaited; the last try keeps 1 s
    message = str(caught.value)
    assert message.startswith(f"gsheet:{demo_sheet}: Google Sheets quota exceeded: still refused after ")
    assert re.search(r"over (19|20) s; wait a minute and run again", message)


def test_no_access_names_the_service_account_to_share_with(fake_google, client, demo_sheet):
    fake_google.deny()
    with pytest.raises(TargetError) as caught:
        run(GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client), today=DEMO_TODAY)
    assert str(caught.value) == (
        f"gsheet:{demo_sheet}: {ACCOUNT} may not open this Google Sheet; share the sheet with {ACCOUNT} "
        "(Editor, or Viewer for check and digest) and run again."
    )


def test_viewer_access_can_check_but_not_sync(fake_google, client, demo_sheet):
    fake_google.share(demo_sheet, role="reader")
    backend = GoogleSheetsBackend(f"gsheet:{demo_sheet}", client=client)
    assert run(backend, today=DEMO_TODAY, action="check").analysis.desired
    with pytest.raises(WriteError) as caught:
        run(backend, today=DEMO_TODAY)
    assert str(caught.value) == (
        f"gsheet:{demo_sheet}: {ACCOUNT} may not edit this Google Sheet; share the sheet with {ACCOUNT} (Editor) "
        "and run again."
    )


def test_unknown_sheet_says_not_found(fake_google, client):
    missing = "1" + "x" * 43
    with pytest.raises(TargetError) as caught:
        GoogleSheetsBackend(f"gsheet:{missing}", client=client).read()
    assert str(caught.value) == (
        f"gsheet:{missing}: no Google Sheet with ID {missing} (deleted, or a typo in the link); "
        "copy the sheet's address from the browser and try again."
    )


def test_not_a_sheet_address():
    with pytest.raises(TargetError, match="not a Google Sheet address"):
        GoogleSheetsBackend("https://docs.google.com/document/d/abc/edit")


def test_credentials_and_endpoint_from_the_environment(fake_google, tmp_path, demo_sheet, monkeypatch):
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "sa.json"))
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    workbook = GoogleSheetsBackend(f"gsheet:{demo_sheet}").read()
    assert workbook.sheets["Timeline"].value(2, 1) == "T1"


def test_missing_credentials_say_how_to_give_them(monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    with pytest.raises(UsageError) as caught:
        GoogleSheetsBackend(f"gsheet:{KEY}").read()
    assert str(caught.value) == (
        "Google Sheets need a service-account key: pass --credentials key.json or set "
        "GOOGLE_APPLICATION_CREDENTIALS=/path/to/key.json (README: Google Sheets)."
    )
