"""The fake Google Sheets API: checked against real recordings, then driven by real gspread.

Part 1 replays, against the fake, the requests behind responses recorded from the real
API in gspread's MIT-licensed cassettes (tests/fake_google/recorded/) and compares
keys, value types and, where ids do not differ, the values themselves.
Part 2 runs gspread + google-auth unmodified through the fake: creating, writing,
reading, rejected bodies, grid limits, all-or-nothing batches, 403/404/429.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gspread
import pytest
from fake_google import FakeGoogle, RedirectSession, gspread_client, serial, service_account_credentials
from google.auth.exceptions import RefreshError

pytest_plugins = ("fake_google.plugin",)

RECORDED = json.loads(
    (Path(__file__).parent / "fake_google" / "recorded" / "gspread_cassettes.json").read_text("utf-8")
)
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"
NOT_SHARED = {"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}}


@pytest.fixture
def session(fake_google: FakeGoogle, tmp_path: Path) -> RedirectSession:
    """google-auth's AuthorizedSession, service-account authenticated, aimed at the fake."""
    return RedirectSession(service_account_credentials(fake_google, tmp_path / "sa.json"), fake_google.url)


@pytest.fixture
def client(fake_google: FakeGoogle, tmp_path: Path) -> gspread.Client:
    return gspread_client(fake_google, tmp_path / "sa.json")


def shape(value: Any) -> Any:
    """Keys and JSON value types, ids and texts left out; a list is the set of its items' shapes."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes: list[Any] = []
        for item in value:
            if shape(item) not in shapes:
                shapes.append(shape(item))
        return sorted(shapes, key=json.dumps)
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def without(value: Any, *keys: str) -> Any:
    """``value`` with the named keys removed at every depth (ids differ between runs)."""
    if isinstance(value, dict):
        return {k: without(v, *keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(item, *keys) for item in value]
    return value


# -- part 1: the fake answers as Google answered in gspread's recordings ----------------------------


def _create(session: RedirectSession, title: str = "Test Spreadsheet") -> str:
    response = session.post(
        DRIVE,
        params={"supportsAllDrives": True},
        json={"name": title, "mimeType": "application/vnd.google-apps.spreadsheet"},
    )
    assert response.status_code == 200, response.text
    return response.json()["id"]


def _batch(session: RedirectSession, book: str, *requests: dict[str, Any]) -> Any:
    return session.post(f"{SHEETS}/{book}:batchUpdate", json={"requests": list(requests)})


def drive_files_create(session: RedirectSession) -> Any:
    return session.post(
        DRIVE,
        params={"supportsAllDrives": True},
        json={"name": "Test Spreadsheet", "mimeType": "application/vnd.google-apps.spreadsheet"},
    )


def spreadsheets_get(session: RedirectSession) -> Any:
    return session.get(f"{SHEETS}/{_create(session)}", params={"includeGridData": "false"})


def spreadsheets_get_merges(session: RedirectSession) -> Any:
    book = _create(session, "Test CellTest")
    session.put(
        f"{SHEETS}/{book}/values/'Sheet1'!A1:B2",
        params={"valueInputOption": "RAW"},
        json={"values": [[42, 43], [43, 44]]},
    )
    grid = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}
    assert _batch(session, book, {"mergeCells": {"mergeType": "MERGE_ROWS", "range": grid}}).status_code == 200
    return session.get(f"{SHEETS}/{book}", params={"includeGridData": "false", "fields": "sheets"})


def spreadsheets_get_fields_empty(session: RedirectSession) -> Any:
    return session.get(f"{SHEETS}/{_create(session)}", params={"fields": "sheets.data.rowData.values.note"})


def spreadsheets_get_fields_notes(session: RedirectSession) -> Any:
    book = _create(session)
    notes = [(0, 0, "read my note"), (1, 1, "Or don't")]
    _batch(
        session,
        book,
        *[
            {
                "updateCells": {
                    "range": {
                        "startRowIndex": r,
                        "endRowIndex": r + 1,
                        "startColumnIndex": c,
                        "endColumnIndex": c + 1,
                        "sheetId": 0,
                    },
                    "fields": "note",
                    "rows": [{"values": [{"note": note}]}],
                }
            }
            for r, c, note in notes
        ],
    )
    return session.get(f"{SHEETS}/{book}", params={"fields": "sheets/data/rowData/values/note"})


def batch_update_add_sheet(session: RedirectSession) -> Any:
    properties = {
        "title": "🌵 test_values_batch_get 1",
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 10, "columnCount": 10},
    }
    return _batch(session, _create(session), {"addSheet": {"properties": properties}})


def _cactus_sheet(session: RedirectSession) -> tuple[str, Any]:
    book = _create(session)
    batch_reply = _batch(
        session,
        book,
        {
            "addSheet": {
                "properties": {
                    "title": "🌵 test_values_batch_get 1",
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 10, "columnCount": 10},
                }
            }
        },
    )
    update = session.put(
        f"{SHEETS}/{book}/values/🌵 test_values_batch_get 1!A1",
        params={"valueInputOption": "RAW"},
        json={"values": [["🍇", "🍉", "🍋"], ["🍐", "🍎", "🍓"]]},
    )
    return book, (batch_reply, update)


def values_update(session: RedirectSession) -> Any:
    return _cactus_sheet(session)[1][1]


def values_batch_get(session: RedirectSession) -> Any:
    book, _ = _cactus_sheet(session)
    ranges = ["🌵 test_values_batch_get 1!A:A", "🌵 test_values_batch_get 1!B:B"]
    return session.get(f"{SHEETS}/{book}/values:batchGet", params={"ranges": ranges})


def batch_update_delete_sheet(session: RedirectSession) -> Any:
    book, (added, _) = _cactus_sheet(session)
    sheet_id = added.json()["replies"][0]["addSheet"]["properties"]["sheetId"]
    return _batch(session, book, {"deleteSheet": {"sheetId": sheet_id}})


def values_get(session: RedirectSession) -> Any:
    book = _create(session)
    _batch(session, book, {"addSheet": {"properties": {"title": "wksht_test", "gridProperties": {"rowCount": 10}}}})
    session.put(
        f"{SHEETS}/{book}/values/wksht_test!A1:A10",
        params={"valueInputOption": "RAW"},
        json={"values": [["test_update_cells 1\ntest_update_cells 1"], ["test_update_cells 2"]]},
    )
    return session.get(f"{SHEETS}/{book}/values/wksht_test!A1:A10")


def values_clear(session: RedirectSession) -> Any:
    return session.post(f"{SHEETS}/{_create(session)}/values/'Sheet1':clear")


def values_append(session: RedirectSession) -> Any:
    row = [f"test_append_row {i}" for i in range(1, 11)]
    return session.post(
        f"{SHEETS}/{_create(session)}/values/'Sheet1':append",
        params={"valueInputOption": "RAW", "includeValuesInResponse": False},
        json={"values": [row]},
    )


def error_not_found(session: RedirectSession) -> Any:
    return session.get(f"{SHEETS}/test", params={"includeGridData": "false"})


SCENARIOS: dict[str, Callable[[RedirectSession], Any]] = {
    "drive_files_create": drive_files_create,
    "spreadsheets_get": spreadsheets_get,
    "spreadsheets_get_merges": spreadsheets_get_merges,
    "spreadsheets_get_fields_empty": spreadsheets_get_fields_empty,
    "spreadsheets_get_fields_notes": spreadsheets_get_fields_notes,
    "batch_update_add_sheet": batch_update_add_sheet,
    "values_update": values_update,
    "values_batch_get": values_batch_get,
    "batch_update_delete_sheet": batch_update_delete_sheet,
    "values_get": values_get,
    "values_clear": values_clear,
    "values_append": values_append,
    "error_not_found": error_not_found,
}
# Where the recording was made on a spreadsheet with another title, the title is not compared.
IGNORED = ("spreadsheetId", "id", "sheetId", "spreadsheetUrl", "title")


def test_every_recording_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == sorted(key for key in RECORDED if not key.startswith("_"))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_fake_answers_like_the_recording(name: str, session: RedirectSession) -> None:
    recorded = RECORDED[name]
    response = SCENARIOS[name](session)
    body = response.json()
    assert response.status_code == recorded["status"]
    assert shape(body) == shape(recorded["body"])
    if name != "spreadsheets_get":  # the recorded theme is trimmed; its shape is compared above
        assert without(body, *IGNORED) == without(recorded["body"], *IGNORED)


def test_new_spreadsheet_properties_match_the_recording(session: RedirectSession) -> None:
    body = spreadsheets_get(session).json()
    recorded = RECORDED["spreadsheets_get"]["body"]
    assert without(body["properties"], "title", "spreadsheetTheme") == without(
        recorded["properties"], "title", "spreadsheetTheme"
    )
    assert body["sheets"] == recorded["sheets"]
    assert body["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{body['spreadsheetId']}/edit"


# -- part 2: real gspread through the fake ----------------------------------------------------------


def test_gspread_creates_writes_and_reads(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book = client.create("Campaign")
    timeline = book.add_worksheet("Timeline", rows=20, cols=6)
    book.add_worksheet("Team", rows=10, cols=4)
    timeline.update(
        [["ID", "Milestone", "Due"], ["T1", "Proposal", "2026-03-02"]], "A1", value_input_option="USER_ENTERED"
    )

    assert [ws.title for ws in book.worksheets()] == ["Sheet1", "Timeline", "Team"]
    assert timeline.get_all_values() == [["ID", "Milestone", "Due"], ["T1", "Proposal", "2026-03-02"]]
    assert timeline.get("C2", value_render_option="UNFORMATTED_VALUE") == [[serial(dt.date(2026, 3, 2))]]
    assert fake_google.values(book.id, "Timeline!C2", render="UNFORMATTED_VALUE") == [[46083]]
    assert fake_google.cell(book.id, "Timeline!C2")["userEnteredFormat"] == {
        "numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}
    }


def test_batch_update_cells_with_a_field_mask(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book = client.create("Campaign")
    book.batch_update(
        {
            "requests": [
                {
                    "updateCells": {
                        "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 2},
                        "rows": [
                            {
                                "values": [
                                    {
                                        "userEnteredValue": {"numberValue": 46090},
                                        "userEnteredFormat": {
                                            "numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}
                                        },
                                    }
                                ]
                            }
                        ],
                        "fields": "userEnteredValue,userEnteredFormat.numberFormat",
                    }
                }
            ]
        }
    )

    assert book.sheet1.acell("C2").value == "09/03/2026"
    mask = (
        "sheets(properties(sheetId,title,gridProperties),data(startRow,startColumn,rowData(values(userEnteredValue,"
        "effectiveValue,formattedValue,userEnteredFormat.numberFormat,effectiveFormat.numberFormat))),merges)"
    )
    got = book.fetch_sheet_metadata({"fields": mask, "ranges": "Sheet1!C2"})
    assert got == {
        "sheets": [
            {
                "properties": {
                    "sheetId": 0,
                    "title": "Sheet1",
                    "gridProperties": {"rowCount": 1000, "columnCount": 26},
                },
                "data": [
                    {
                        "startRow": 1,
                        "startColumn": 2,
                        "rowData": [
                            {
                                "values": [
                                    {
                                        "userEnteredValue": {"numberValue": 46090},
                                        "effectiveValue": {"numberValue": 46090},
                                        "formattedValue": "09/03/2026",
                                        "userEnteredFormat": {
                                            "numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}
                                        },
                                        "effectiveFormat": {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}},
                                    }
                                ]
                            }
                        ],
                    }
                ],
            }
        ]
    }


def _api_error(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(gspread.exceptions.APIError) as caught:
        call()
    return caught.value.error


def test_unknown_field_is_rejected_like_google(client: gspread.Client) -> None:
    book = client.create("Campaign")
    error = _api_error(lambda: book.batch_update({"requests": [{"updateCells": {"foo": 1, "fields": "*"}}]}))
    message = "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].update_cells': Cannot find field."
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == message
    assert error["details"][0]["fieldViolations"] == [{"field": "requests[0].update_cells", "description": message}]


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        (
            {"requests": [{"frobnicate": {}}]},
            "Invalid JSON payload received. Unknown name \"frobnicate\" at 'requests[0]': Cannot find field.",
        ),
        (
            {"requests": [{"addSheet": {"properties": {"sheetType": "CHART_ONLY"}}}]},
            "Invalid value at 'requests[0].add_sheet.properties.sheet_type' "
            '(type.googleapis.com/google.apps.sheets.v4.SheetType), "CHART_ONLY"',
        ),
        (
            {"requests": [{"updateCells": {"start": {"rowIndex": "two"}, "fields": "*"}}]},
            "Invalid value at 'requests[0].update_cells.start.row_index' (TYPE_INT32), \"two\"",
        ),
        (
            {"requests": [{"updateCells": {"start": {"sheetId": 123}, "rows": [], "fields": "userEnteredValue"}}]},
            "Invalid requests[0].updateCells: No grid with id: 123",
        ),
        (
            {"requests": [{"updateCells": {"start": {"sheetId": 0}, "rows": [], "fields": "userEnteredValue.colour"}}]},
            "Invalid requests[0].updateCells: Invalid field mask 'userEnteredValue.colour': field "
            "'userEnteredValue.colour' does not exist in CellData.",
        ),
        (
            {"requests": [{"addSheet": {"properties": {"title": "sheet1"}}}]},
            'Invalid requests[0].addSheet: A sheet with the name "sheet1" already exists. Please enter another name.',
        ),
        ({"requests": []}, "Must specify at least one request."),
    ],
)
def test_batch_update_rejects_what_google_rejects(
    client: gspread.Client, request_body: dict[str, Any], message: str
) -> None:
    book = client.create("Campaign")
    error = _api_error(lambda: book.batch_update(request_body))
    assert (error["code"], error["message"]) == (400, message)


def test_ranges_outside_the_grid_are_rejected(client: gspread.Client, fake_google: FakeGoogle) -> None:
    sheet = client.create("Campaign").sheet1
    error = _api_error(lambda: sheet.update([["late"]], "A1001"))
    assert error["message"] == "Range ('Sheet1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    error = _api_error(
        lambda: sheet.spreadsheet.batch_update(
            {
                "requests": [
                    {
                        "repeatCell": {
                            "range": {
                                "sheetId": 0,
                                "startRowIndex": 0,
                                "endRowIndex": 1,
                                "startColumnIndex": 25,
                                "endColumnIndex": 27,
                            },
                            "cell": {"note": "x"},
                            "fields": "note",
                        }
                    }
                ]
            }
        )
    )
    assert error["message"] == (
        "Invalid requests[0].repeatCell: Range ('Sheet1'!Z1:AA1) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    error = _api_error(lambda: sheet.spreadsheet.values_get("Nowhere!A1"))
    assert error["message"] == "Unable to parse range: Nowhere!A1"


def test_a_batch_applies_all_or_nothing(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book = client.create("Campaign")
    book.sheet1.update([["before"]], "A1")
    version = fake_google.spreadsheet(book.id).version
    error = _api_error(
        lambda: book.batch_update(
            {
                "requests": [
                    {
                        "updateCells": {
                            "start": {"sheetId": 0},
                            "rows": [{"values": [{"userEnteredValue": {"stringValue": "after"}}]}],
                            "fields": "userEnteredValue",
                        }
                    },
                    {"addSheet": {"properties": {"title": "Timeline"}}},
                    {"deleteSheet": {"sheetId": 999}},
                ]
            }
        )
    )
    assert error["message"] == "Invalid requests[2].deleteSheet: No sheet with id: 999"
    assert fake_google.values(book.id, "Sheet1") == [["before"]]
    assert [sheet.title for sheet in fake_google.spreadsheet(book.id).sheets] == ["Sheet1"]
    assert fake_google.spreadsheet(book.id).version == version


def test_bad_query_enum_and_fields_mask(session: RedirectSession) -> None:
    book = _create(session)
    response = session.put(
        f"{SHEETS}/{book}/values/Sheet1!A1", params={"valueInputOption": "TYPED"}, json={"values": [["x"]]}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"TYPED\""
    )
    response = session.get(f"{SHEETS}/{book}", params={"fields": "properties, sheets.properties"})
    assert (response.status_code, response.json()["error"]["message"]) == (
        400,
        "Error expanding 'fields' parameter. Cannot find matching fields for path ' sheets.properties'.",
    )
    response = session.get(f"{SHEETS}/{book}", params={"fields": "sheets(properties(sheetId,colour))"})
    assert (response.status_code, response.json()["error"]["message"]) == (
        400,
        "Error expanding 'fields' parameter. Cannot find matching fields for path 'sheets.properties.colour'.",
    )
    response = session.put(f"{SHEETS}/{book}/values/Sheet1!A1", json={"values": [["x"]]})
    assert response.json()["error"]["message"] == "'valueInputOption' is required but not specified"


def test_not_shared_is_403_and_unknown_is_404(client: gspread.Client, fake_google: FakeGoogle) -> None:
    private = fake_google.create_spreadsheet("Private", share_with_service_account=False)
    with pytest.raises(PermissionError) as caught:
        client.open_by_key(private)
    assert caught.value.__cause__.response.json() == NOT_SHARED

    shared = fake_google.create_spreadsheet("Campaign")
    fake_google.deny(spreadsheet_id=shared)
    with pytest.raises(PermissionError):
        client.open_by_key(shared)

    with pytest.raises(gspread.SpreadsheetNotFound) as missing:
        client.open_by_key("no-such-sheet")
    assert missing.value.__cause__.response.json() == RECORDED["error_not_found"]["body"]


def test_a_reader_may_read_but_not_write(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book_id = fake_google.create_spreadsheet("Campaign")
    fake_google.share(book_id, role="reader")
    sheet = client.open_by_key(book_id).sheet1
    assert sheet.get_all_values() == [[]]  # gspread's rendering of an empty values.get
    assert _api_error(lambda: sheet.update([["x"]], "A1")) == NOT_SHARED["error"]


def test_quota_exhausted_message(client: gspread.Client, fake_google: FakeGoogle) -> None:
    sheet = client.create("Campaign").sheet1
    fake_google.fail_next(1, status=429, method_pattern="spreadsheets.values.update")
    with pytest.raises(gspread.exceptions.APIError) as caught:
        sheet.update([["x"]], "A1")
    assert str(caught.value) == (
        "APIError: [429]: Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per "
        "user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789012'."
    )
    assert caught.value.error["status"] == "RESOURCE_EXHAUSTED"
    assert caught.value.error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"


def test_429s_then_success_with_gspread_backoff(
    fake_google: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(gspread.http_client.time, "sleep", waits.append)  # the clock, not the client
    client = gspread_client(fake_google, tmp_path / "sa.json", http_client=gspread.BackOffHTTPClient)
    sheet = client.create("Campaign").sheet1
    fake_google.fail_next(2, status=429, method_pattern="spreadsheets.values.update")

    sheet.update([["saved"]], "A1")

    assert waits == [2, 4]
    assert [call.name for call in fake_google.calls_to("spreadsheets.values.update")] == [
        "spreadsheets.values.update"
    ] * 3
    assert fake_google.values(sheet.spreadsheet_id, "Sheet1") == [["saved"]]


def test_calls_are_counted(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book_id = fake_google.create_spreadsheet("Campaign", sheets=("Timeline", "Team"))
    fake_google.set_values(book_id, "Timeline!A1", [["ID"], ["T1"]])
    book = client.open_by_key(book_id)
    fake_google.calls.clear()

    book.values_batch_get(["Timeline!A:A", "Team!A:A"])
    book.values_batch_update({"valueInputOption": "RAW", "data": [{"range": "Timeline!B1", "values": [["Due"]]}]})

    assert [(call.method, call.name) for call in fake_google.calls] == [
        ("GET", "spreadsheets.values.batchGet"),
        ("POST", "spreadsheets.values.batchUpdate"),
    ]
    assert fake_google.calls[0].query["ranges"] == ["Timeline!A:A", "Team!A:A"]
    assert fake_google.calls[1].body["data"][0]["values"] == [["Due"]]


def test_a_person_inserts_a_row_between_read_and_write(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book_id = fake_google.create_spreadsheet("Campaign", sheets=("Timeline",))
    fake_google.set_values(book_id, "Timeline!A1", [["ID", "Due"], ["T1", ""], ["T2", ""]])
    sheet = client.open_by_key(book_id).worksheet("Timeline")
    rows = sheet.get_all_values()

    fake_google.before_next("spreadsheets.values.update", lambda fake: fake.insert_rows(book_id, "Timeline", at=2))
    sheet.update([["2026-03-09"]], f"B{rows.index(['T2', '']) + 1}")

    # The write landed where T2 was when it was read; the person's new row pushed T2 down.
    assert fake_google.values(book_id, "Timeline") == [["ID", "Due"], [], ["T1", "2026-03-09"], ["T2"]]


def test_a_person_deletes_a_row_and_edits_a_cell(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book_id = fake_google.create_spreadsheet("Campaign", sheets=("Timeline",))
    fake_google.set_values(book_id, "Timeline!A1", [["ID", "Owner"], ["T1", "Li Na"], ["T2", "Wang Lei"]])
    version = fake_google.spreadsheet(book_id).version

    def person(fake: FakeGoogle) -> None:
        fake.delete_rows(book_id, "Timeline", at=2)
        fake.set_values(book_id, "Timeline!B2", [["Zhang Min"]])

    fake_google.before_next("spreadsheets.get", person)
    client.open_by_key(book_id)

    assert fake_google.values(book_id, "Timeline") == [["ID", "Owner"], ["T2", "Zhang Min"]]
    assert fake_google.spreadsheet(book_id).version == version + 2


def test_drive_version_moves_on_every_change(session: RedirectSession) -> None:
    book = _create(session)

    def version() -> int:
        return int(session.get(f"{DRIVE}/{book}", params={"fields": "version,modifiedTime"}).json()["version"])

    before = version()
    session.put(f"{SHEETS}/{book}/values/A1", params={"valueInputOption": "RAW"}, json={"values": [["x"]]})
    assert version() == before + 1
    session.get(f"{SHEETS}/{book}/values/A1")
    assert version() == before + 1


def test_drive_share_and_openall(client: gspread.Client, fake_google: FakeGoogle) -> None:
    book = client.create("Campaign")
    book.share("li.na@agency.example.com", perm_type="user", role="writer", notify=False)
    fake_google.create_spreadsheet("Someone else's", share_with_service_account=False)

    assert fake_google.spreadsheet(book.id).permissions["li.na@agency.example.com"] == "writer"
    assert [sheet.title for sheet in client.openall()] == ["Campaign"]
    assert client.open("Campaign").id == book.id


def test_dates_render_per_option(fake_google: FakeGoogle) -> None:
    book_id = fake_google.create_spreadsheet("Campaign")
    fake_google.set_values(book_id, "Sheet1!A1", [["2026-03-02", "3/10/2026", "=A1+1", "50%", "TRUE"]])
    fake_google.set_formula_result(book_id, "Sheet1!C1", 46084)
    fake_google.format_cells(book_id, "Sheet1!C1", {"numberFormat": {"type": "DATE"}})

    assert fake_google.values(book_id, "Sheet1") == [["2026-03-02", "3/10/2026", "2026-03-03", "50%", "TRUE"]]
    assert fake_google.values(book_id, "Sheet1", render="UNFORMATTED_VALUE") == [[46083, 46091, 46084, 0.5, True]]
    assert fake_google.values(book_id, "Sheet1", render="FORMULA", dates="FORMATTED_STRING") == [
        ["2026-03-02", "3/10/2026", "=A1+1", 0.5, True]
    ]


def test_token_endpoint_checks_the_signature(fake_google: FakeGoogle, tmp_path: Path) -> None:
    with FakeGoogle() as other:
        key_file = other.service_account_file(tmp_path / "other.json")
    info = json.loads(key_file.read_text())
    info["token_uri"] = f"{fake_google.url}/token"
    fake_google.service_account_file(tmp_path / "sa.json")  # the fake now knows its own key only
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(info))
    credentials = service_account_credentials(fake_google, forged)
    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        RedirectSession(credentials, fake_google.url).get(f"{SHEETS}/anything")


def test_requests_without_a_token_are_401(fake_google: FakeGoogle) -> None:
    import requests

    response = requests.get(f"{fake_google.url}/v4/spreadsheets/x", timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
