"""Issue 19: a Google sync reads few bytes (compact, gzipped, a tight fields mask) in no more calls than before.

The fake Google answers as Google documents it: indented JSON unless ``prettyPrint=false``, gzip only
for ``Accept-Encoding: gzip`` with "gzip" in the User-Agent, and a field not in the ``fields`` mask is
absent, so a mask that dropped something the parse needs shows here as a wrong cell.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from google_demo import google_with_demo

import sheetsync
from sheetsync.backends.gsheets import backend as gbackend
from sheetsync.backends.gsheets.client import SHEETS_API, connect
from sheetsync.raw import Formula

pytest_plugins = ("fake_google.plugin",)

# The read's mask before issue 19 (userEnteredFormat as well), asked for as python-requests asks: indented, not gzipped.
BEFORE_FIELDS = gbackend.READ_FIELDS.replace(
    "effectiveFormat/numberFormat/type", "userEnteredFormat/numberFormat/type,effectiveFormat/numberFormat/type"
)
BEFORE_HEADERS = {"User-Agent": "python-requests", "Accept-Encoding": "gzip, deflate"}


def before_read(client, key: str):
    """The read as it was sent before: same call, the old mask, Google's default (indented) JSON, no gzip."""
    url = f"{SHEETS_API}/{key}".replace("https://sheets.googleapis.com", client.http_client.endpoint)
    params = {"includeGridData": "true", "fields": BEFORE_FIELDS}
    return client.http_client.session.request("GET", url, params=params, headers=BEFORE_HEADERS, timeout=30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with google_with_demo(tmp_path_factory.mktemp("gbytes")) as found:
        yield found


def test_a_sync_reads_a_fifth_of_the_bytes_in_the_same_calls(demo):
    fake, key, client = demo
    sheetsync.open(f"gsheet:{key}").sync(today=dt.date(2026, 12, 8))  # the first sync writes; this one need not
    fake.calls.clear()
    fake.sent.clear()
    report = sheetsync.open(f"gsheet:{key}").sync(today=dt.date(2026, 12, 8))
    assert not report.written
    assert [call.name for call in fake.calls] == ["spreadsheets.get"]  # one read, as before
    read = [sent for sent in fake.sent if sent.name == "spreadsheets.get"]
    assert len(read) == 1 and read[0].gzipped
    get = fake.calls[0]
    assert get.query["prettyPrint"] == ["false"] and "userEnteredFormat" not in get.query["fields"][0]

    fake.sent.clear()
    before = before_read(client, key)
    old = fake.sent[-1]
    assert not old.gzipped and old.wire_bytes == old.json_bytes == len(before.content)
    print(f"read before: {old}; after: {read[0]}")
    assert read[0].wire_bytes * 5 <= old.wire_bytes, (read[0], old)  # the aim: a fifth of the bytes, or less
    assert read[0].json_bytes * 2 <= old.json_bytes  # even unzipped: no indentation, no userEnteredFormat


def test_the_compact_answer_is_the_same_json_without_whitespace(demo):
    fake, key, client = demo
    params = {"includeGridData": "true", "fields": gbackend.READ_FIELDS}
    url = f"{client.http_client.endpoint}/v4/spreadsheets/{key}"
    pretty = client.http_client.session.request("GET", url, params=params, headers=BEFORE_HEADERS, timeout=30)
    compact = client.http_client.request("get", f"{SHEETS_API}/{key}", params=params)
    assert compact.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in pretty.headers
    assert compact.json() == pretty.json()
    assert b"\n" not in compact.content and b'": ' not in compact.content
    assert compact.content == json.dumps(pretty.json(), ensure_ascii=False, separators=(",", ":")).encode()
    assert len(gzip.compress(compact.content)) < len(compact.content) / 5


def test_without_gzip_in_the_user_agent_google_does_not_compress(demo):
    fake, key, client = demo
    url = f"{client.http_client.endpoint}/v4/spreadsheets/{key}"
    answer = client.http_client.session.request(
        "GET", url, params={"fields": "spreadsheetId"}, timeout=30,
        headers={"User-Agent": "python-requests", "Accept-Encoding": "gzip"},
    )
    assert "Content-Encoding" not in answer.headers and fake.sent[-1].gzipped is False


def test_a_field_not_asked_for_is_absent(demo):
    """The fake applies the mask as Google does: no userEnteredFormat now, and no effectiveValue unless asked."""
    fake, key, client = demo
    sheet = client.http_client.spreadsheets_get(key, params={
        "includeGridData": "true", "ranges": "Timeline!A1:P3", "fields": gbackend.READ_FIELDS,
    })
    cells = [c for row in sheet["sheets"][0]["data"][0]["rowData"] for c in row.get("values", []) if c]
    assert cells and all(set(c) <= {"userEnteredValue", "effectiveValue", "effectiveFormat"} for c in cells)
    dated = [c for c in cells if (c.get("effectiveFormat") or {}).get("numberFormat", {}).get("type") == "DATE"]
    assert dated, "the demo's Timeline has date cells: their format comes in effectiveFormat"
    only_typed = client.http_client.spreadsheets_get(key, params={
        "includeGridData": "true", "ranges": "Timeline!A1:P3", "fields": "sheets/data/rowData/values/userEnteredValue",
    })
    assert "effectiveValue" not in json.dumps(only_typed)


def test_dates_formulas_and_their_results_read_as_before(fake_google, tmp_path):
    """What the parse takes from the tighter mask: dates (by effectiveFormat alone), formulas with their results."""
    key = fake_google.create_spreadsheet("Campaign", sheets=("Timeline",))
    fake_google.set_values(key, "Timeline!A1", [["Due", "Days", "Plain", "Spilled"],
                                                ["2026-03-10", "=A2-DATE(2026,3,1)", "x", ""]])
    fake_google.format_cells(key, "Timeline!E2", {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}})
    fake_google.set_formula_result(key, "Timeline!B2", 9)
    client = connect(str(fake_google.service_account_file(tmp_path / "sa.json")), endpoint=fake_google.url)
    backend = gbackend.GoogleSheetsBackend(f"gsheet:{key}", client=client)
    sheet = backend.read().sheets["Timeline"]
    assert sheet.cells[(2, 1)] == dt.date(2026, 3, 10)
    assert sheet.cells[(2, 2)] == Formula("=A2-DATE(2026,3,1)", cached=9)
    assert sheet.cells[(2, 3)] == "x"
    state = backend._states["Timeline"]
    assert (2, 1) in state.dated and (2, 5) in state.dated  # a date format with nothing typed yet, too


def test_the_bench_section_reports_before_and_now_side_by_side(tmp_path):
    """scripts/bench --only gbytes on a small campaign: the same calls, and the bytes on the wire a fifth or less."""
    import runpy
    from pathlib import Path

    bench = runpy.run_path(str(Path(__file__).resolve().parent.parent / "scripts" / "bench"), run_name="bench")
    bench_gbytes, bench_workbooks = bench["bench_gbytes"], bench["bench_workbooks"]
    load_into_fake, google_env, XlsxFileBackend = bench["load_into_fake"], bench["google_env"], bench["XlsxFileBackend"]
    figures = bench_gbytes.bench_gbytes(
        [20], tmp_path, today=bench_workbooks.TODAY, progress=lambda _m: None,
        build=lambda path, rows: bench_workbooks.build_campaign_workbook(path, rows, seed=1),
        content=lambda path: XlsxFileBackend(path).read(), load_into_fake=load_into_fake, google_env=google_env,
    )
    size = figures["sizes"][0]
    for which in ("first", "second"):
        assert size[f"before_{which}"]["calls"] == size[f"now_{which}"]["calls"]
        assert size[f"{which}_wire_ratio"] <= 0.2
    assert size["now_second"]["calls"] == {"spreadsheets.get": 1}
    text = "\n".join(bench_gbytes.render_gbytes(figures))
    assert "wire/before" in text and "    20  first" in text
