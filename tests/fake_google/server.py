"""FakeGoogle: a real HTTP server on 127.0.0.1 that answers like Sheets v4 and Drive v3.

The server thread parses each request, records it in ``fake.calls``, runs any
``before_next`` hook, injects any ``fail_next`` failure, authenticates the bearer
token it issued at ``/token``, validates query and body against the discovery
documents, checks the caller may open the file, then hands the request to the
values / batch handlers working on a copy of the spreadsheet. The copy replaces the
stored state only when the whole request succeeded.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import gzip
import hashlib
import json
import re
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import batch, cells, jsonout, metadata, values
from .schema import ApiError, Discovery, MaskSyntaxError, apply_mask, drive, parse_mask, sheets
from .state import SPREADSHEET_MIME, Spreadsheet, new_id

SERVICE_ACCOUNT_EMAIL = "sheetsync-test@fake-project.iam.gserviceaccount.com"
PROJECT_NUMBER = "123456789012"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth signs service-account assertions for Google's token endpoint, whatever token_uri says.
HANG = 0  # _handle's status for a request that is never answered (hang_next)
TOKEN_AUDIENCES = ("https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token")


class Sent(NamedTuple):
    """One answer the fake sent: its API method, the JSON's bytes, and the bytes on the wire (gzipped or not)."""

    name: str | None  # "spreadsheets.get", "oauth2.token", ... (None: no such method)
    json_bytes: int
    wire_bytes: int
    gzipped: bool
    gzip_bytes: int = 0  # what it weighs gzipped (sent so, or with ``fake.record_gzip_sizes`` on; else 0)


def wants_gzip(headers: Any) -> bool:
    """Google gzips an answer only when asked both ways: ``Accept-Encoding: gzip`` and "gzip" in the User-Agent.

    (Sheets API, Improve performance: "Compression using gzip".)
    """
    accepted = [part.split(";")[0].strip().lower() for part in (headers.get("Accept-Encoding") or "").split(",")]
    return "gzip" in accepted and "gzip" in (headers.get("User-Agent") or "").lower()


class Call(NamedTuple):
    """One HTTP request the fake received (token requests are kept apart, in ``token_requests``)."""

    method: str  # "GET", "POST", ...
    path: str  # percent-decoded: "/v4/spreadsheets/<id>/values/Timeline!A1:C3"
    query: dict[str, list[str]]  # parse_qs of the query string
    body: Any  # parsed JSON body, or None

    @property
    def name(self) -> str | None:
        """The API method, e.g. ``spreadsheets.values.get`` or ``drive.files.create``."""
        found = route(self.method, self.path)
        return found[0] if found else None


_ID = r"([^/:]+)"
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v4/spreadsheets$"), "spreadsheets.create"),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}$"), "spreadsheets.get"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}:batchUpdate$"), "spreadsheets.batchUpdate"),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchGet$"), "spreadsheets.values.batchGet"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$"), "spreadsheets.values.batchUpdate"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchClear$"), "spreadsheets.values.batchClear"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchUpdateByDataFilter$"),
     "spreadsheets.values.batchUpdateByDataFilter"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchGetByDataFilter$"),
     "spreadsheets.values.batchGetByDataFilter"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+):append$"), "spreadsheets.values.append"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+):clear$"), "spreadsheets.values.clear"),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+)$"), "spreadsheets.values.get"),
    ("PUT", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+)$"), "spreadsheets.values.update"),
    ("POST", re.compile(r"^/drive/v3/files$"), "drive.files.create"),
    ("GET", re.compile(r"^/drive/v3/files$"), "drive.files.list"),
    ("GET", re.compile(r"^/drive/v3/files/([^/]+)$"), "drive.files.get"),
    ("DELETE", re.compile(r"^/drive/v3/files/([^/]+)$"), "drive.files.delete"),
    ("POST", re.compile(r"^/drive/v3/files/([^/]+)/permissions$"), "drive.permissions.create"),
    ("GET", re.compile(r"^/drive/v3/files/([^/]+)/permissions$"), "drive.permissions.list"),
]


def route(method: str, raw_path: str) -> tuple[str, list[str]] | None:
    """(API method name, path parameters, still percent-encoded) for a request line."""
    for route_method, pattern, name in ROUTES:
        match = pattern.match(raw_path)
        if match and route_method == method:
            return name, list(match.groups())
    return None


def _api(name: str) -> tuple[Discovery, str]:
    return (drive(), name[len("drive.") :]) if name.startswith("drive.") else (sheets(), name)


@dataclass
class _Failure:
    pattern: str | None
    status: int
    remaining: int
    message: str | None


def quota_error(http_method: str, service: str = "sheets.googleapis.com") -> ApiError:
    """Google's 429 for a per-user-per-minute quota (read quota for GET, write quota otherwise)."""
    kind = "Read" if http_method == "GET" else "Write"
    return ApiError(
        429,
        f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per minute per user' "
        f"of service '{service}' for consumer 'project_number:{PROJECT_NUMBER}'.",
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "consumer": f"projects/{PROJECT_NUMBER}",
                    "quota_limit": f"{kind}RequestsPerMinutePerUser",
                    "quota_limit_value": "60",
                    "quota_location": "global",
                    "quota_metric": f"{service.split('.')[0]}.googleapis.com/{kind.lower()}_requests",
                    "service": service,
                },
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                    {
                        "description": "Request a higher quota limit.",
                        "url": "https://cloud.google.com/docs/quotas/help/request_increase",
                    }
                ],
            },
        ],
    )


FAILURE_MESSAGES = {
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


def _drive_error(code: int, message: str, reason: str, location: str | None = None) -> ApiError:
    entry: dict[str, Any] = {"message": message, "domain": "global", "reason": reason}
    if location:
        entry.update(location=location, locationType="parameter")
    return ApiError(code, message, errors=[entry])


class FakeGoogle:
    """Sheets v4 + the Drive v3 calls gspread makes, served on ``self.url``. See the package docs."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._books: dict[str, Spreadsheet] = {}
        self._tokens: dict[str, str] = {}
        self._public_keys: dict[str, rsa.RSAPublicKey] = {}
        self._private_key: rsa.RSAPrivateKey | None = None
        self._key_id = secrets.token_hex(20)
        self._before: list[tuple[str | None, Callable[[FakeGoogle], None]]] = []
        self._failures: list[_Failure] = []
        self._denied: set[tuple[str, str | None]] = set()
        self._other_files: dict[str, dict[str, Any]] = {}  # Drive files that are not Google Sheets
        self._unshareable: set[str] = set()  # addresses Drive refuses to share with
        self._hangs: list[_Failure] = []
        self._stopping = threading.Event()
        self._token_refusal: dict[str, str] | None = None
        # Bound but never listening: a connection to it is refused, and no other process can take the port.
        self._closed = socket.socket()
        self._closed.bind(("127.0.0.1", 0))
        self.calls: list[Call] = []
        self.sent: list[Sent] = []  # every answer with a body, token answers included
        self.record_gzip_sizes = False  # Sent.gzip_bytes for answers sent plain too (a benchmark's "had it been")
        self.token_requests: list[dict[str, Any]] = []
        self.service_account_email = SERVICE_ACCOUNT_EMAIL
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGoogle:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-google", daemon=True
        )
        self._thread.start()
        return self

    @property
    def closed_url(self) -> str:
        """A base URL on 127.0.0.1 where nothing listens: every connection to it is refused."""
        host, port = self._closed.getsockname()[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._stopping.set()  # let hanging requests go (their connections close unanswered)
        self._closed.close()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- credentials ----------------------------------------------------------------------------

    def service_account_file(self, path: Path | str) -> Path:
        """Write a service-account JSON key whose ``token_uri`` is this fake's ``/token``."""
        if self._private_key is None:
            self._private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self._public_keys[self.service_account_email] = self._private_key.public_key()
        pem = self._private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        info = {
            "type": "service_account",
            "project_id": "fake-project",
            "private_key_id": self._key_id,
            "private_key": pem,
            "client_email": self.service_account_email,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": f"{self.url}/token",
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/sheetsync-test",
            "universe_domain": "googleapis.com",
        }
        target = Path(path)
        target.write_text(json.dumps(info, indent=2), encoding="utf-8")
        return target

    # -- test hooks -----------------------------------------------------------------------------

    def before_next(self, method_pattern: str | None, callback: Callable[[FakeGoogle], None]) -> None:
        """Run ``callback(fake)`` once, just before the next request whose API method matches."""
        with self._lock:
            self._before.append((method_pattern, callback))

    def cancel_before_next(self) -> None:
        """Drop every ``before_next`` callback not run yet."""
        with self._lock:
            self._before.clear()

    def fail_next(
        self, n: int = 1, status: int = 429, method_pattern: str | None = None, message: str | None = None
    ) -> None:
        """Answer the next ``n`` matching requests with ``status`` and Google's error body for it."""
        with self._lock:
            self._failures.append(_Failure(method_pattern, status, n, message))

    def hang_next(self, n: int = 1, method_pattern: str | None = None) -> None:
        """Accept the next ``n`` matching requests and never answer them (until the fake stops).

        ``method_pattern`` matches API method names as in ``fail_next``; ``oauth2.token`` is the
        token endpoint (``None`` matches every request, the token endpoint included).
        """
        with self._lock:
            self._hangs.append(_Failure(method_pattern, 0, n, None))

    def refuse_tokens(self, error: str = "invalid_grant", description: str = "Invalid grant: account not found") -> None:
        """Answer every token request with HTTP 400 and Google's OAuth error body ``{error, error_description}``.

        Google's answers: a deleted or disabled service account ``invalid_grant`` / ``Invalid grant:
        account not found``; a deleted key ``invalid_grant`` / ``Invalid JWT Signature.``; a client the
        project no longer knows ``invalid_client`` / ``The OAuth client was not found.``
        """
        with self._lock:
            self._token_refusal = {"error": error, "error_description": description}

    def deny(self, email: str | None = None, spreadsheet_id: str | None = None) -> None:
        """Take access away from ``email`` (default: the service account), on one file or on all."""
        with self._lock:
            self._denied.add((email or self.service_account_email, spreadsheet_id))

    def share(self, spreadsheet_id: str, email: str | None = None, role: str = "writer") -> None:
        """Share a file with ``email`` (default: the service account) as a Drive role."""
        with self._lock:
            who = email or self.service_account_email
            self.spreadsheet(spreadsheet_id).permissions[who] = role
            self._denied.discard((who, spreadsheet_id))
            self._denied.discard((who, None))

    def refuse_sharing_with(self, email: str) -> None:
        """Drive answers 400 invalidSharingRequest to sharing anything with ``email`` (a domain's policy, say)."""
        with self._lock:
            self._unshareable.add(email)

    def calls_to(self, method_pattern: str) -> list[Call]:
        """The recorded calls whose API method matches, e.g. ``spreadsheets.values.*``."""
        return [call for call in self.calls if call.name and fnmatch.fnmatchcase(call.name, method_pattern)]

    # -- direct state access (no HTTP, no call recorded) ----------------------------------------

    def create_spreadsheet(
        self,
        title: str = "Campaign",
        sheets: tuple[str, ...] | list[str] = ("Sheet1",),
        *,
        rows: int = 1000,
        cols: int = 26,
        spreadsheet_id: str | None = None,
        owner: str = "owner@agency.example.com",
        share_with_service_account: bool = True,
    ) -> str:
        """Create a spreadsheet as a person would (owned by ``owner``); return its id."""
        with self._lock:
            book = Spreadsheet.new(title, tuple(sheets), rows=rows, cols=cols, spreadsheet_id=spreadsheet_id)
            book.permissions[owner] = "owner"
            if share_with_service_account:
                book.permissions[self.service_account_email] = "writer"
            self._books[book.spreadsheet_id] = book
            return book.spreadsheet_id

    def add_drive_file(
        self, name: str = "campaign.xlsx", mime_type: str = XLSX_MIME, *, owner: str = "owner@agency.example.com"
    ) -> str:
        """Upload a file that is not a Google Sheet (an .xlsx kept on Drive), shared with the service account."""
        with self._lock:
            file_id = "1" + secrets.token_urlsafe(32).replace("-", "x").replace("_", "y")[:43]
            self._other_files[file_id] = {
                "kind": "drive#file", "id": file_id, "name": name, "mimeType": mime_type,
                "owners": [{"kind": "drive#user", "emailAddress": owner, "me": False}],
                "webViewLink": f"https://docs.google.com/spreadsheets/d/{file_id}/edit?usp=drivesdk&ouid=1&rtpof=true",
            }
            return file_id

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        """The live state of a spreadsheet (mutate it inside ``before_next`` callbacks or between calls)."""
        with self._lock:
            try:
                return self._books[spreadsheet_id]
            except KeyError:
                raise KeyError(f"no spreadsheet {spreadsheet_id!r} in the fake") from None

    def spreadsheet_ids(self) -> list[str]:
        with self._lock:
            return list(self._books)

    def set_values(
        self, spreadsheet_id: str, a1: str, rows: list[list[Any]], *, value_input_option: str = "USER_ENTERED"
    ) -> None:
        """Type values into cells from the top-left of ``a1`` (a person editing the sheet)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            values.write(book, a1, {"values": rows}, value_input_option)
            book.touch()

    def values(
        self, spreadsheet_id: str, a1: str, *, render: str = "FORMATTED_VALUE", dates: str = "SERIAL_NUMBER"
    ) -> list[list[Any]]:
        """What ``values.get`` would return for ``a1`` (trailing blanks dropped)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            _, box = book.box(a1)
            return book.read_values(box, render=render, dates=dates)

    def cell(self, spreadsheet_id: str, a1: str) -> dict[str, Any]:
        """The CellData Google would return for one cell (with effective and formatted values)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            sheet, box = book.box(a1)
            return cells.cell_data(sheet.cells.get((box.row0, box.col0), {}), book.properties["defaultFormat"])

    def format_cells(self, spreadsheet_id: str, a1: str, user_entered_format: dict[str, Any]) -> None:
        """Merge a CellFormat into every cell of ``a1`` (e.g. ``{"numberFormat": {"type": "DATE"}}``)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            sheet, box = book.box(a1)
            for r in range(box.row0, box.row1):
                for c in range(box.col0, box.col1):
                    stored = cells.clone(sheet.cells.get((r, c), {}))
                    cells.merge(stored.setdefault("userEnteredFormat", {}), user_entered_format)
                    sheet.set_cell(r, c, stored)
            book.touch()

    def set_formula_result(self, spreadsheet_id: str, a1: str, result: float | str | bool) -> None:
        """Give a formula cell the value Google would have computed (the fake does not evaluate)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            sheet, box = book.box(a1)
            stored = dict(sheet.cells.get((box.row0, box.col0), {}))  # replaced, not changed: twins share cells
            if isinstance(result, bool):
                stored["_result"] = {"boolValue": result}
            elif isinstance(result, (int, float)):
                stored["_result"] = {"numberValue": result}
            else:
                stored["_result"] = {"stringValue": result}
            sheet.set_cell(box.row0, box.col0, stored)

    def insert_rows(self, spreadsheet_id: str, sheet: str, at: int, n: int = 1) -> None:
        """Insert ``n`` blank rows so that the first of them is row ``at`` (1-based, as in the UI)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            book.sheet_by_title(sheet).insert("ROWS", at - 1, n)
            book.touch()

    def insert_columns(self, spreadsheet_id: str, sheet: str, at: int, n: int = 1) -> None:
        """Insert ``n`` blank columns so that the first of them is column ``at`` (1-based: A is 1)."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            book.sheet_by_title(sheet).insert("COLUMNS", at - 1, n)
            book.touch()

    def delete_columns(self, spreadsheet_id: str, sheet: str, at: int, n: int = 1) -> None:
        """Delete ``n`` columns starting at column ``at`` (1-based); columns right of them move left."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            book.sheet_by_title(sheet).delete("COLUMNS", at - 1, at - 1 + n)
            book.touch()

    def sort_rows(self, spreadsheet_id: str, sheet: str, first: int, last: int, by: int, *, descending: bool = False) -> None:
        """Sort rows ``first``..``last`` (1-based, inclusive) by column ``by`` (1-based), as Data → Sort range."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            book.sheet_by_title(sheet).sort_rows(first - 1, last, by - 1, descending=descending)
            book.touch()

    def copy_spreadsheet(self, spreadsheet_id: str) -> str:
        """A copy of a spreadsheet under a new id, same access (direct state: a test's untouched twin)."""
        with self._lock:
            return self.adopt_spreadsheet(self.spreadsheet(spreadsheet_id))

    def adopt_spreadsheet(self, book: Spreadsheet) -> str:
        """A copy of ``book`` (this fake's or another's: a sheet made once for a module) under a new id, same access."""
        with self._lock:
            twin = book.snapshot()
            twin.spreadsheet_id = new_id()
            self._books[twin.spreadsheet_id] = twin
            return twin.spreadsheet_id

    def delete_rows(self, spreadsheet_id: str, sheet: str, at: int, n: int = 1) -> None:
        """Delete ``n`` rows starting at row ``at`` (1-based); rows below move up."""
        with self._lock:
            book = self.spreadsheet(spreadsheet_id)
            book.sheet_by_title(sheet).delete("ROWS", at - 1, at - 1 + n)
            book.touch()

    # -- request handling -----------------------------------------------------------------------

    def _handle(self, method: str, target: str, headers: Any, raw_body: bytes) -> tuple[int, bytes | None]:
        """(HTTP status, JSON body or None for an empty answer), the body written while holding the lock.

        Responses share parts with the stored state (no copies), so they are turned into
        text before any other request or test helper can change that state.
        """
        if self._hang(method, target):
            self._stopping.wait()
            return HANG, None
        pretty = (parse_qs(urlsplit(target).query).get("prettyPrint") or ["true"])[-1].lower() != "false"
        with self._lock:
            status, payload = self._answer(method, target, headers, raw_body)
            if payload is None and status == 200:
                return status, None
            text = jsonout.dumps(payload, pretty=pretty)
            return status, (text + "\n" if pretty else text).encode("utf-8")

    def _hang(self, method: str, target: str) -> bool:
        path = urlsplit(target).path
        found = route(method, path)
        name = "oauth2.token" if path == "/token" else found[0] if found else None
        with self._lock:
            for hang in self._hangs:
                if hang.remaining > 0 and _matches(hang.pattern, name):
                    hang.remaining -= 1
                    if name != "oauth2.token":
                        self.calls.append(Call(method, unquote(path), parse_qs(urlsplit(target).query), None))
                    return True
        return False

    def _answer(self, method: str, target: str, headers: Any, raw_body: bytes) -> tuple[int, Any]:
        split = urlsplit(target)
        query = parse_qs(split.query, keep_blank_values=True)
        if split.path == "/token" and method == "POST":
            with self._lock:
                return self._token(raw_body)
        body: Any = None
        bad_json = False
        if raw_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                bad_json = True
        with self._lock:
            found = route(method, split.path)
            call = Call(method, unquote(split.path), query, body)
            self.calls.append(call)
            name = found[0] if found else None
            for hook in [h for h in self._before if _matches(h[0], name)]:
                self._before.remove(hook)
                hook[1](self)
            try:
                self._inject_failure(name, method)
                email = self._authenticate(headers)
                if found is None:
                    raise ApiError(404, f"Method not found: {method} {split.path}")
                if bad_json:
                    raise ApiError(400, "Invalid JSON payload received. Unexpected token.")
                return 200, self._dispatch(name or "", [unquote(p) for p in found[1]], query, body, email, method)
            except ApiError as error:
                return error.code, error.body()

    def _inject_failure(self, name: str | None, method: str) -> None:
        for failure in self._failures:
            if failure.remaining > 0 and _matches(failure.pattern, name):
                failure.remaining -= 1
                service = "drive.googleapis.com" if (name or "").startswith("drive.") else "sheets.googleapis.com"
                if failure.status == 429 and failure.message is None:
                    raise quota_error(method, service)
                raise ApiError(failure.status, failure.message or FAILURE_MESSAGES.get(failure.status, "Error"))

    def _authenticate(self, headers: Any) -> str:
        header = headers.get("Authorization") or ""
        if not header:
            raise ApiError(
                401,
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential. See "
                "https://developers.google.com/identity/sign-in/web/devconsole-project.",
            )
        token = header.removeprefix("Bearer ").strip()
        if token not in self._tokens:
            raise ApiError(401, FAILURE_MESSAGES[401])
        return self._tokens[token]

    def _dispatch(
        self, name: str, params: list[str], query: dict[str, list[str]], body: Any, email: str, http_method: str
    ) -> Any:
        api, method_id = _api(name)
        checked_query = api.validate_query(method_id, query)
        fields_text = checked_query.pop("fields", None)
        fields = None
        if fields_text:
            fields = self._fields_mask(api, method_id, fields_text)
        checked_body = api.validate_body(method_id, body)
        if name.startswith("drive."):
            result = self._drive(name, params, checked_query, checked_body, email)
        else:
            result = self._sheets(name, params, checked_query, checked_body, email, fields)
        if result is None:
            return None
        return apply_mask(result, fields) if fields else result

    def _fields_mask(self, api: Discovery, method_id: str, text: str) -> dict[str, Any]:
        response = api.methods[method_id].get("response", {}).get("$ref")
        try:
            tree = parse_mask(text)
        except MaskSyntaxError:
            # Google names the first comma-separated part it could not match (e.g. " sheets.properties").
            parts = [p for p in text.split(",") if not re.fullmatch(r"[A-Za-z_*][\w./()*]*", p)] or [text]
            raise ApiError(
                400, f"Error expanding 'fields' parameter. Cannot find matching fields for path '{parts[0]}'."
            ) from None
        unknown = api.check_mask(tree, response) if response else []
        if unknown:
            raise ApiError(
                400, f"Error expanding 'fields' parameter. Cannot find matching fields for path '{unknown[0]}'."
            )
        return tree

    # -- Sheets ---------------------------------------------------------------------------------

    def _open(self, spreadsheet_id: str, email: str, *, write: bool) -> Spreadsheet:
        if spreadsheet_id in self._other_files:  # what Sheets answers for an .xlsx (or any non-Sheets file) on Drive
            raise ApiError(400, "This operation is not supported for this document")
        book = self._books.get(spreadsheet_id)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if not self._may(book, email, write=write):
            raise ApiError(403, "The caller does not have permission")
        return book

    def _may(self, book: Spreadsheet, email: str, *, write: bool) -> bool:
        if (email, None) in self._denied or (email, book.spreadsheet_id) in self._denied:
            return False
        role = book.permissions.get(email) or book.permissions.get("anyone")
        if role is None:
            return False
        return role in ("owner", "organizer", "fileOrganizer", "writer") if write else True

    def _change(self, book: Spreadsheet, apply: Callable[[Spreadsheet], Any]) -> Any:
        """Apply a change to a copy; keep it only if it fully succeeds (all-or-nothing)."""
        work = book.snapshot()
        result = apply(work)
        work.touch()
        book.__dict__.update(work.__dict__)
        return result

    def _sheets(
        self, name: str, params: list[str], query: dict[str, Any], body: Any, email: str, fields: dict[str, Any] | None
    ) -> Any:
        if name == "spreadsheets.create":
            return self._create_spreadsheet(body or {}, email)
        spreadsheet_id = params[0]
        reading = name in ("spreadsheets.get", "spreadsheets.values.get", "spreadsheets.values.batchGet",
                           "spreadsheets.values.batchGetByDataFilter")
        book = self._open(spreadsheet_id, email, write=not reading)
        if name == "spreadsheets.get":
            wants_data = bool(query.get("includeGridData")) or bool(
                fields and isinstance(fields.get("sheets"), dict) and "data" in fields["sheets"]
            )
            return book.resource(ranges=query.get("ranges") or None, include_grid_data=wants_data, lazy=True)
        if name == "spreadsheets.values.get":
            return values.value_range(book, params[1], query)
        if name == "spreadsheets.values.batchGet":
            ranges = query.get("ranges") or []
            return {
                "spreadsheetId": book.spreadsheet_id,
                "valueRanges": [values.value_range(book, text, query) for text in ranges],
            }
        if name == "spreadsheets.batchUpdate":
            return self._change(book, lambda work: batch.apply_batch(work, body or {}))
        if name == "spreadsheets.values.batchUpdateByDataFilter":
            return self._change(book, lambda work: metadata.batch_update_by_data_filter(work, body or {}))
        if name == "spreadsheets.values.batchGetByDataFilter":
            return metadata.batch_get_by_data_filter(book, body or {})
        if name == "spreadsheets.values.update":
            return self._change(book, lambda work: values.update(work, params[1], body or {}, query))
        if name == "spreadsheets.values.batchUpdate":
            return self._change(book, lambda work: values.batch_update(work, body or {}))
        if name == "spreadsheets.values.append":
            return self._change(book, lambda work: values.append(work, params[1], body or {}, query))
        if name == "spreadsheets.values.clear":
            cleared = self._change(book, lambda work: values.clear(work, params[1]))
            return {"spreadsheetId": book.spreadsheet_id, "clearedRange": cleared}
        if name == "spreadsheets.values.batchClear":
            cleared = self._change(
                book, lambda work: [values.clear(work, text) for text in (body or {}).get("ranges") or []]
            )
            return {"spreadsheetId": book.spreadsheet_id, "clearedRanges": cleared}
        raise ApiError(501, f"The fake Sheets API does not implement {name}.")

    def _create_spreadsheet(self, body: dict[str, Any], email: str) -> dict[str, Any]:
        title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
        wanted = [sheet.get("properties") or {} for sheet in body.get("sheets") or []]
        titles = tuple(props.get("title") or f"Sheet{i + 1}" for i, props in enumerate(wanted)) or ("Sheet1",)
        if len({t.lower() for t in titles}) != len(titles):
            raise ApiError(400, "Invalid sheets: sheet titles must be unique.")
        book = Spreadsheet.new(title, titles)
        for sheet, props in zip(book.sheets, wanted, strict=False):
            grid = props.get("gridProperties") or {}
            sheet.grid.update(grid)
            if "sheetId" in props:
                sheet.properties["sheetId"] = props["sheetId"]
        for name in ("locale", "timeZone", "autoRecalc"):
            if name in (body.get("properties") or {}):
                book.properties[name] = body["properties"][name]
        book.permissions[email] = "owner"
        self._books[book.spreadsheet_id] = book
        return book.resource()

    # -- Drive ----------------------------------------------------------------------------------

    def _file(self, book: Spreadsheet) -> dict[str, Any]:
        owners = [email for email, role in book.permissions.items() if role == "owner"]
        return {
            "kind": "drive#file",
            "id": book.spreadsheet_id,
            "name": book.title,
            "mimeType": SPREADSHEET_MIME,
            "version": str(book.version),
            "createdTime": book.created_time,
            "modifiedTime": book.modified_time,
            "owners": [{"kind": "drive#user", "emailAddress": email, "me": False} for email in owners],
            "webViewLink": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit?usp=drivesdk",
        }

    @staticmethod
    def _file_summary(file: dict[str, Any]) -> dict[str, Any]:
        return {key: file[key] for key in ("kind", "id", "name", "mimeType")}

    def _drive_file(self, file_id: str, email: str) -> Spreadsheet:
        book = self._books.get(file_id)
        if book is None or not self._may(book, email, write=False):
            raise _drive_error(404, f"File not found: {file_id}.", "notFound", "fileId")
        return book

    def _drive(self, name: str, params: list[str], query: dict[str, Any], body: Any, email: str) -> Any:
        if name == "drive.files.create":
            body = body or {}
            if body.get("mimeType") != SPREADSHEET_MIME:
                raise ApiError(501, "The fake Drive API only creates Google Sheets files.")
            book = Spreadsheet.new(body.get("name") or "Untitled spreadsheet")
            book.permissions[email] = "owner"
            self._books[book.spreadsheet_id] = book
            return self._file(book) if query.get("fields") else self._file_summary(self._file(book))
        if name == "drive.files.list":
            files = [self._file(book) for book in self._books.values() if self._may(book, email, write=False)]
            files = [file for file in files if _drive_query_matches(query.get("q") or "", file)]
            return {"kind": "drive#fileList", "incompleteSearch": False, "files": files}
        if name == "drive.files.get" and params[0] in self._other_files:
            return self._other_files[params[0]]
        book = self._drive_file(params[0], email)
        if name == "drive.files.get":
            return self._file(book)
        if name == "drive.files.delete":
            if book.permissions.get(email) != "owner":
                raise _drive_error(
                    403, "The user does not have sufficient permissions for this file.", "insufficientFilePermissions"
                )
            del self._books[book.spreadsheet_id]
            return None
        if name == "drive.permissions.list":
            return {
                "kind": "drive#permissionList",
                "permissions": [_permission(e, r) for e, r in book.permissions.items()],
            }
        if name == "drive.permissions.create":
            if not self._may(book, email, write=True):
                raise _drive_error(
                    403, "The user does not have sufficient permissions for this file.", "insufficientFilePermissions"
                )
            body = body or {}
            who = body.get("emailAddress") if body.get("type") in ("user", "group") else body.get("type")
            if not who or not body.get("role"):
                raise _drive_error(
                    400, "A permission needs a type, a role and (for users) an emailAddress.", "required"
                )
            if who in self._unshareable:  # Drive's documented answer (developers.google.com/drive/api/guides/handle-errors)
                raise _drive_error(400, 'Bad Request. User message: "ACL change not allowed."', "invalidSharingRequest")
            book.permissions[who] = body["role"]
            book.touch()
            return _permission(who, body["role"])
        raise ApiError(501, f"The fake Drive API does not implement {name}.")

    # -- OAuth2 token endpoint ------------------------------------------------------------------

    def _token(self, raw_body: bytes) -> tuple[int, dict[str, Any]]:
        if self._token_refusal is not None:
            return 400, dict(self._token_refusal)
        form = parse_qs(raw_body.decode("utf-8"))
        grant = (form.get("grant_type") or [""])[0]
        if grant != JWT_BEARER:
            return 400, {"error": "unsupported_grant_type", "error_description": f"Invalid grant_type: {grant}"}
        assertion = (form.get("assertion") or [""])[0]
        try:
            head_b64, claims_b64, signature_b64 = assertion.split(".")
            header = json.loads(_b64decode(head_b64))
            claims = json.loads(_b64decode(claims_b64))
            signature = _b64decode(signature_b64)
        except ValueError:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT: malformed assertion."}
        key = self._public_keys.get(claims.get("iss", ""))
        if key is None or header.get("alg") != "RS256":
            return 400, {"error": "invalid_grant", "error_description": "Invalid grant: account not found"}
        try:
            key.verify(signature, f"{head_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        now = dt.datetime.now(dt.UTC).timestamp()
        if claims.get("aud") not in (*TOKEN_AUDIENCES, f"{self.url}/token"):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT: Failed audience check."}
        if not (claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0)) or claims["exp"] - claims["iat"] > 3600:
            return 400, {
                "error": "invalid_grant",
                "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                "timeframe. Check your iat and exp values in the JWT claim.",
            }
        if not claims.get("scope"):
            return 400, {
                "error": "invalid_scope",
                "error_description": "Invalid OAuth scope or ID token audience provided.",
            }
        token = "ya29.fake-" + secrets.token_urlsafe(32)
        self._tokens[token] = claims["iss"]
        self.token_requests.append(claims)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}


def _permission(who: str, role: str) -> dict[str, Any]:
    permission_id = "anyoneWithLink" if who == "anyone" else str(int(hashlib.sha1(who.encode()).hexdigest()[:15], 16))
    out = {
        "kind": "drive#permission",
        "id": permission_id,
        "type": "anyone" if who == "anyone" else "user",
        "role": role,
    }
    if who != "anyone":
        out["emailAddress"] = who
    return out


_CLAUSE = re.compile(
    r"""^\s*(?:(mimeType|name)\s*(=|!=|contains)\s*(["'])(.*?)\3|(["'])(.*?)\5\s+in\s+parents|parents\s+in\s+(["'])(.*?)\7"""
    r"""|trashed\s*=\s*(true|false))\s*$""",
    re.IGNORECASE,
)


def _drive_query_matches(q: str, file: dict[str, Any]) -> bool:
    """Drive's ``q`` for the clauses gspread sends: mimeType/name =, name contains, parents, trashed."""
    if not q:
        return True
    for clause in re.split(r"\s+and\s+", q):
        match = _CLAUSE.match(clause)
        if not match:
            raise _drive_error(400, "Invalid Value", "invalid", "q")
        field_name, op, _, literal = match.group(1), match.group(2), match.group(3), match.group(4)
        if field_name is None:
            if (match.group(9) or "false").lower() == "true":
                return False
            continue  # every fake file sits in the root folder
        actual = file["mimeType" if field_name == "mimeType" else "name"]
        if op == "=" and actual != literal or op == "!=" and actual == literal:
            return False
        if op.lower() == "contains" and literal.lower() not in actual.lower():
            return False
    return True


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _matches(pattern: str | None, name: str | None) -> bool:
    return pattern is None or (name is not None and fnmatch.fnmatchcase(name, pattern))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        fake: FakeGoogle = self.server.fake  # type: ignore[attr-defined]
        status, data = fake._handle(self.command, self.path, self.headers, raw_body)
        if status == HANG:  # accepted, never answered: close without a word
            self.close_connection = True
            return
        if data is None:
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        plain = len(data)
        gzipped = wants_gzip(self.headers)
        if gzipped:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        zipped = len(data) if gzipped else len(gzip.compress(data, 6, mtime=0)) if fake.record_gzip_sizes else 0
        path = urlsplit(self.path).path
        found = route(self.command, path)
        name = "oauth2.token" if path == "/token" else found[0] if found else None
        with fake._lock:
            fake.sent.append(Sent(name, plain, len(data), gzipped, zipped))
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's signature
        pass
