"""The fake's developer metadata and data-filter values methods behave as Google documents them.

Row metadata follows its row when rows are inserted or deleted above it and goes
with a deleted row; ``values:batchUpdateByDataFilter`` writes from the top-left of
the matched row, skips null cells, fails when the values do not fit and answers
with the whole matched range; ``values:batchGetByDataFilter`` answers
MatchedValueRanges. Real gspread HTTP through the fake, schema-validated.
"""

from __future__ import annotations

import pytest
from fake_google import gspread_client

pytest_plugins = ("fake_google.plugin",)


@pytest.fixture
def sheet(fake_google, tmp_path):
    key = fake_google.create_spreadsheet("Campaign", sheets=("Timeline",), rows=10, cols=5)
    fake_google.set_values(key, "Timeline!A1", [["ID", "Owner", "Flag"], ["T1", "Li Na"], ["T2", "Wang Lei"]])
    client = gspread_client(fake_google, fake_google.service_account_file(tmp_path / "sa.json"))
    return fake_google, key, client.http_client


def tag(http, key, row: int) -> int:
    reply = http.batch_update(key, {"requests": [{"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": "sheetsync.row", "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": row - 1, "endIndex": row}},
    }}}]})
    created = reply["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert created["location"]["locationType"] == "ROW"
    return created["metadataId"]


def write(fake, http, key, metadata_id: int, line: list) -> dict:
    body = {"valueInputOption": "RAW", "includeValuesInResponse": True, "responseValueRenderOption": "FORMULA",
            "data": [{"dataFilter": {"developerMetadataLookup": {"metadataId": metadata_id}}, "values": [line]}]}
    return http.request("post", f"{fake.url}/v4/spreadsheets/{key}/values:batchUpdateByDataFilter", json=body).json()


def test_row_metadata_follows_its_row_and_the_write_skips_null_cells(sheet):
    fake, key, http = sheet
    t2 = tag(http, key, 3)
    fake.insert_rows(key, "Timeline", 2, 2)  # T2 is now row 5
    answer = write(fake, http, key, t2, [None, None, "OVERDUE"])
    assert answer["responses"][0]["updatedRange"] == "Timeline!A5:C5"
    assert answer["responses"][0]["updatedData"] == {  # the whole matched row, after the write
        "range": "Timeline!A5:E5", "majorDimension": "ROWS", "values": [["T2", "Wang Lei", "OVERDUE"]]}
    assert answer["totalUpdatedCells"] == 1
    grid = http.spreadsheets_get(key, params={
        "includeGridData": "true", "fields": "sheets(data(rowMetadata/developerMetadata(metadataId,metadataKey)))"})
    rows = grid["sheets"][0]["data"][0]["rowMetadata"]
    assert rows[4] == {"developerMetadata": [{"metadataId": t2, "metadataKey": "sheetsync.row"}]}
    assert rows[2] == {}


def test_a_deleted_row_takes_its_metadata_and_a_write_to_it_matches_nothing(sheet):
    fake, key, http = sheet
    t1 = tag(http, key, 2)
    fake.delete_rows(key, "Timeline", 2)
    answer = write(fake, http, key, t1, [None, None, "DONE"])
    assert "responses" not in answer
    assert fake.values(key, "Timeline") == [["ID", "Owner", "Flag"], ["T2", "Wang Lei"]]


def test_values_wider_than_the_matched_row_fail_and_nothing_is_written(sheet):
    fake, key, http = sheet
    t1 = tag(http, key, 2)
    fake.delete_columns(key, "Timeline", 1, 2)  # 3 columns left
    with pytest.raises(Exception) as caught:
        write(fake, http, key, t1, [None, None, None, "X"])
    assert caught.value.response.status_code == 400
    assert fake.values(key, "Timeline") == [["Flag"]]


def test_a_sort_moves_cells_not_row_metadata_and_blank_keys_go_last(sheet):
    fake, key, http = sheet
    t1 = tag(http, key, 2)
    fake.sort_rows(key, "Timeline", 2, 4, by=1, descending=True)  # rows 2..4: T1, T2 and a blank row
    assert fake.values(key, "Timeline!A2:A4") == [["T2"], ["T1"]]
    answer = write(fake, http, key, t1, [None, None, "FLAG"])
    assert answer["responses"][0]["updatedData"]["values"] == [["T2", "Wang Lei", "FLAG"]]  # still row 2


def test_batch_get_by_data_filter_answers_matched_value_ranges(sheet):
    fake, key, http = sheet
    t2 = tag(http, key, 3)
    body = {"dataFilters": [{"developerMetadataLookup": {"metadataId": t2}}, {"a1Range": "Timeline!A1:B1"}],
            "valueRenderOption": "FORMULA"}
    answer = http.request("post", f"{fake.url}/v4/spreadsheets/{key}/values:batchGetByDataFilter", json=body).json()
    assert [m["valueRange"]["values"] for m in answer["valueRanges"]] == [[["T2", "Wang Lei"]], [["ID", "Owner"]]]
    assert answer["valueRanges"][0]["dataFilters"] == [{"developerMetadataLookup": {"metadataId": t2}}]
    deleted = http.batch_update(key, {"requests": [{"deleteDeveloperMetadata": {
        "dataFilter": {"developerMetadataLookup": {"metadataKey": "sheetsync.row"}}}}]})
    assert [m["metadataId"] for m in deleted["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]] == [t2]
