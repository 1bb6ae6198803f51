"""An in-process fake of Google Sheets v4 (and the Drive v3 calls gspread makes).

Tests run the real gspread + google-auth + requests stack against a real HTTP
server on 127.0.0.1; no test reaches the internet. Every request body and query
string is validated against Google's published discovery documents
(``googleapiclient/discovery_cache/documents/sheets.v4.json`` and ``drive.v3.json``),
and Google's semantic checks are applied (grid limits, sheet ids, duplicate titles,
A1 that does not parse, field masks). Response shapes were checked against real
recordings from gspread's test cassettes (see ``recorded/`` and
``tests/test_fake_google.py``).

Using it
--------
Load the fixture with ``pytest_plugins = ("fake_google.plugin",)`` in a test module
(the plugin module holds only the fixture, so pytest can assertion-rewrite it), then::

    def test_sync(fake_google, tmp_path):
        book = fake_google.create_spreadsheet("Campaign", sheets=("Timeline", "Team"))
        fake_google.set_values(book, "Timeline!A1", [["ID", "Milestone"], ["T1", "Proposal"]])
        client = gspread_client(fake_google, tmp_path / "sa.json")      # real gspread
        assert client.open_by_key(book).worksheet("Timeline").acell("B2").value == "Proposal"

Fixture and helpers (stable API)
--------------------------------
``fake_google`` (pytest fixture, in ``fake_google.plugin``)
    A started :class:`FakeGoogle` on a free 127.0.0.1 port, stopped after the test.
``FakeGoogle()``
    Also a context manager (``with FakeGoogle() as fake:``); ``start()`` / ``stop()``.
``fake.url -> str``
    Base URL, e.g. ``http://127.0.0.1:54321``. Sheets is served at
    ``{url}/v4/spreadsheets...`` and Drive at ``{url}/drive/v3/...`` exactly as Google
    lays them out, so replacing ``https://sheets.googleapis.com`` and
    ``https://www.googleapis.com`` with ``fake.url`` is all a client needs.
``fake.service_account_file(path) -> Path``
    Writes a service-account JSON (fresh RSA key, ``client_email`` =
    ``fake.service_account_email`` = ``sheetsync-test@fake-project.iam.gserviceaccount.com``,
    ``token_uri`` = ``{url}/token``). ``Credentials.from_service_account_file`` works
    with it; ``POST /token`` checks the JWT-bearer assertion is signed by that key, for
    that audience, with a scope, then issues an access token that API calls must bear.
``gspread_client(fake, key_file, http_client=gspread.HTTPClient) -> gspread.Client``
    Real gspread over :class:`RedirectSession` (google-auth's ``AuthorizedSession`` that
    rewrites the Google hosts to ``fake.url``). ``rewrite(url, base)`` is the pure rewrite.
``service_account_credentials(fake, key_file) -> Credentials``

Test hooks
----------
``fake.calls: list[Call]``
    Every API request in order: ``Call(method, path, query, body)`` (a NamedTuple; ``path``
    percent-decoded, ``query`` as ``parse_qs`` gives it, ``body`` parsed JSON or None) with
    ``call.name`` the API method (``spreadsheets.values.get``, ``drive.files.create``).
    Token requests are not in ``calls``; they are in ``fake.token_requests`` (JWT claims).
    ``fake.calls_to("spreadsheets.values.*") -> list[Call]`` filters by fnmatch pattern.
``fake.before_next(method_pattern, callback)``
    Runs ``callback(fake)`` once, right before the server handles the next request whose
    API method matches the fnmatch pattern (``None`` matches any): a person editing the
    sheet between sheetsync's read and its write.
``fake.fail_next(n=1, status=429, method_pattern=None, message=None)``
    The next ``n`` matching requests fail with Google's body for ``status``: 429
    RESOURCE_EXHAUSTED ``Quota exceeded for quota metric 'Write requests' and limit
    'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer
    'project_number:123456789012'.`` ('Read requests' for GETs), 500 INTERNAL ``Internal
    error encountered.``, 503 UNAVAILABLE ``The service is currently unavailable.``
``fake.hang_next(n=1, method_pattern=None)``
    The next ``n`` matching requests are accepted and never answered (the connection stays
    open until the fake stops): a Google that does not answer in time. ``oauth2.token`` is
    the token endpoint's name; hung API requests are still recorded in ``calls``.
``fake.refuse_tokens(error="invalid_grant", description="Invalid grant: account not found")``
    Every token request is answered HTTP 400 with Google's OAuth error body
    ``{"error": ..., "error_description": ...}`` (a deleted key, a disabled account).
``fake.closed_url -> str``
    A base URL on 127.0.0.1 where nothing listens (the port stays bound, never listening,
    while the fake runs): every connection is refused.
``fake.deny(email=None, spreadsheet_id=None)`` / ``fake.share(spreadsheet_id, email=None, role="writer")``
    Take access away from (default) the service account, on one file or every file, or
    grant it. Without access Sheets answers 403 PERMISSION_DENIED ``The caller does not
    have permission``; a ``reader`` role may read but not write. An unknown id is 404
    NOT_FOUND ``Requested entity was not found.`` (Drive: 404 ``File not found: <id>.``).
``fake.refuse_sharing_with(email)``
    Drive answers ``permissions.create`` for that address with 400 invalidSharingRequest
    ``Bad Request. User message: "ACL change not allowed."`` (a domain's sharing policy).
``fake.add_drive_file(name="campaign.xlsx", mime_type=XLSX_MIME, *, owner=...) -> str``
    A Drive file that is not a Google Sheet (an uploaded .xlsx): every Sheets call on it
    answers 400 INVALID_ARGUMENT ``This operation is not supported for this document``,
    as Google does; Drive's ``files.get`` gives its metadata.

Direct state access (no HTTP, nothing recorded in ``calls``)
------------------------------------------------------------
``fake.create_spreadsheet(title="Campaign", sheets=("Sheet1",), *, rows=1000, cols=26,
spreadsheet_id=None, owner="owner@agency.example.com", share_with_service_account=True) -> str``
``fake.spreadsheet(id) -> Spreadsheet`` (live state: ``.sheets``, ``.version``,
``.modified_time``, ``.permissions``; ``Sheet.cells[(row, col)]``, ``.merges``,
``.conditional_formats``, ``.protected_ranges``, ``.properties``)
``fake.set_values(id, "Timeline!A1", rows, *, value_input_option="USER_ENTERED")``
``fake.values(id, "Timeline", *, render="FORMATTED_VALUE", dates="SERIAL_NUMBER") -> list[list]``
``fake.cell(id, "Timeline!B2") -> dict`` (CellData with effective/formatted values)
``fake.format_cells(id, "Timeline!E2:E9", {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}})``
``fake.set_formula_result(id, "Timeline!F2", 46083)``
``fake.insert_rows(id, "Timeline", at, n=1)`` / ``fake.delete_rows(id, "Timeline", at, n=1)``
(``at`` is the 1-based row number, as in the Sheets UI; merges, rules, protected
ranges and row developer metadata move with the rows; a deleted row's metadata goes with it).
``fake.insert_columns(id, "Timeline", at, n=1)`` / ``fake.delete_columns(id, "Timeline", at, n=1)``
(``at`` 1-based: A is 1; the same for columns).
``fake.sort_rows(id, "Timeline", first, last, by, descending=False)``: a person's Data → Sort
range of rows ``first``..``last`` by column ``by`` (1-based); whole rows' cells move, blank
keys last; row metadata stays on its row position (Google does not say it follows a sort).
``fake.copy_spreadsheet(id) -> str``: a twin under a new id (same cells, metadata, access).
``fake.cancel_before_next()``: drop ``before_next`` callbacks that have not run.
These are person's actions: call them from ``fake.before_next(pattern, callback)`` to make
them happen at a chosen point of a sync.

Every successful change (over HTTP or through these helpers) bumps the Drive
``version`` and ``modifiedTime`` (``drive.files.get?fields=version,modifiedTime``).

Served methods
--------------
Sheets: ``spreadsheets.create/get`` (``ranges``, ``includeGridData``, ``fields``),
``spreadsheets.batchUpdate`` with updateCells, repeatCell, appendCells, addSheet,
deleteSheet, updateSheetProperties, updateSpreadsheetProperties, setDataValidation,
addConditionalFormatRule, deleteConditionalFormatRule, addProtectedRange,
deleteProtectedRange, insertDimension, appendDimension, deleteDimension, mergeCells,
unmergeCells, autoResizeDimensions, updateDimensionProperties, createDeveloperMetadata,
deleteDeveloperMetadata (other kinds Google knows answer 501 UNIMPLEMENTED: a limit of the
fake), and ``spreadsheets.values.get/batchGet/update/batchUpdate/append/clear/batchClear/
batchUpdateByDataFilter/batchGetByDataFilter`` (DataFilters by a1Range, gridRange or a
developerMetadataLookup; see metadata.py for what is modelled and how). Row and column
metadata come back in ``data[].rowMetadata[].developerMetadata`` of spreadsheets.get.
Drive: ``files.create`` (spreadsheets), ``files.get``, ``files.list`` (``q`` with
mimeType/name/parents/trashed), ``files.delete``, ``permissions.create/list``.

What is validated
-----------------
Bodies and query parameters against the discovery schema (unknown names, types,
enums, ``$ref``s resolved; camelCase or snake_case names accepted as Google does);
``fields`` masks on every method against the response schema (``Error expanding
'fields' parameter. Cannot find matching fields for path 'sheets.foo'.``); update masks
of updateCells/repeatCell/update*Properties against CellData/SheetProperties; A1
ranges (``Unable to parse range: X``); grid limits (``Range ('Sheet1'!A1001)
exceeds grid limits. Max rows: 1000, max columns: 26``); sheet ids (``No grid with
id: 123``); duplicate titles; deleting every sheet/row; batchUpdate applied
all-or-nothing, each failure prefixed ``Invalid requests[i].<kind>:``.

What is sent
------------
Answers are 2-space indented JSON unless the request says ``prettyPrint=false`` (then no
whitespace at all), and gzipped (``Content-Encoding: gzip``) only when the request has both
``Accept-Encoding: gzip`` and "gzip" in its User-Agent, as Google documents (Sheets API, Improve
performance). ``fake.sent`` lists every answer with a body: its method, the JSON's size and the
bytes on the wire.

Known simplifications
---------------------
Formulas are stored, not evaluated: ``effectiveValue``/``formattedValue`` of a formula
cell are absent unless ``set_formula_result`` seeded them. Dates are serial numbers
from 1899-12-30; a DATE cell renders through its pattern (``yyyy-mm-dd`` when none).
USER_ENTERED parses numbers, TRUE/FALSE, percentages, ``2026-03-10`` and
``3/10/2026``. Row/column pixel sizes and hiding are validated but not modelled;
inserted rows do not inherit formatting.
"""

from __future__ import annotations

from .cells import from_serial, serial
from .client import RedirectSession, gspread_client, rewrite, service_account_credentials
from .schema import ApiError
from .server import SERVICE_ACCOUNT_EMAIL, Call, FakeGoogle, Sent
from .state import Sheet, Spreadsheet

__all__ = [
    "SERVICE_ACCOUNT_EMAIL",
    "ApiError",
    "Call",
    "FakeGoogle",
    "Sent",
    "RedirectSession",
    "Sheet",
    "Spreadsheet",
    "from_serial",
    "gspread_client",
    "rewrite",
    "serial",
    "service_account_credentials",
]
