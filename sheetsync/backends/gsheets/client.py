"""The Google transport: service-account credentials, Sheets and Drive calls with retry, errors in sheetsync's words.

gspread does the talking (its ``HTTPClient`` and ``Client``); this module adds
what a sync run from cron needs: a bounded, jittered backoff on 429 and 5xx
answers, an endpoint switch (``SHEETSYNC_SHEETS_ENDPOINT``) for API gateways
and the test server, and one place where Google's errors become sheetsync's
(naming the service account to share the sheet with).
"""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import gspread
import requests
from google.auth import exceptions as auth_exceptions
from google.oauth2.service_account import Credentials
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from ...errors import SheetsyncError, TargetError, UsageError
from ...i18n import _
from .address import sheet_url, spreadsheet_key

__all__ = [
    "CREDENTIALS_ENV",
    "ENDPOINT_ENV",
    "GoogleClient",
    "RetryPolicy",
    "SheetsHTTPClient",
    "connect",
    "google_errors",
    "sheet_url",
    "spreadsheet_key",
]

CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
ENDPOINT_ENV = "SHEETSYNC_SHEETS_ENDPOINT"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
SHEETS_BASE = "https://sheets.googleapis.com"
GOOGLEAPIS_BASE = "https://www.googleapis.com"  # Drive: /drive/v3/..., /upload/drive/v2/...
SHEETS_API = SHEETS_BASE + "/v4/spreadsheets"

# 429 is the per-minute quota (Sheets API: 300 requests per minute per project,
# 60 per user; https://developers.google.com/sheets/api/limits); 5xx are
# Google's own hiccups. Both are worth waiting for; nothing else is.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_DRIVE_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})

NOT_A_SHEET = "This operation is not supported for this document"  # Sheets API's 400 for an .xlsx on Drive


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter, capped per wait and in total (the run never hangs longer)."""

    max_wait: float = 60.0  # seconds of sleeping, summed over one request's retries
    first: float = 1.0
    cap: float = 16.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def delays(self) -> Iterator[float]:
        """The waits before each retry, until the total would pass max_wait."""
        waited, attempt = 0.0, 0
        while True:
            delay = min(self.cap, self.first * 2**attempt) * (0.5 + 0.5 * self.jitter())
            if waited + delay > self.max_wait:
                delay = self.max_wait - waited
                if delay <= 0:
                    return
            waited += delay
            attempt += 1
            yield delay


class GaveUp(APIError):
    """Google kept refusing (429/5xx) or could not be reached for the whole retry budget."""

    def __init__(self, response: requests.Response | None, waited: float, attempts: int, reason: str) -> None:
        self.waited = waited
        self.attempts = attempts
        self.reason = reason
        if response is not None:
            super().__init__(response)
            self.code = response.status_code
        else:
            Exception.__init__(self, reason)
            self.error = {"code": 0, "message": reason, "status": "UNAVAILABLE"}
            self.code = 0

    def __str__(self) -> str:
        return f"{self.reason} after {self.attempts} attempts over {self.waited:.0f} s"


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, pointed at ``endpoint`` when given, retrying 429/5xx within a bounded wait."""

    def __init__(
        self,
        auth: Any,
        session: requests.Session | None = None,
        *,
        endpoint: str | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(auth, session)
        self.endpoint = endpoint.rstrip("/") if endpoint else None
        self.retry = retry or RetryPolicy()
        self.timeout = (10, 120)

    def url(self, url: str) -> str:
        """Google's URL, or the same path on the configured endpoint."""
        if self.endpoint:
            for base in (SHEETS_BASE, GOOGLEAPIS_BASE):
                if url.startswith(base + "/"):
                    return self.endpoint + url[len(base) :]
        return url

    def request(  # type: ignore[override]
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Any = None,
    ) -> requests.Response:
        url = self.url(endpoint)
        delays = self.retry.delays()
        waited, attempts = 0.0, 0
        while True:
            attempts += 1
            response: requests.Response | None = None
            try:
                response = self.session.request(
                    method=method, url=url, json=json, params=params, data=data, files=files,
                    headers=headers, timeout=self.timeout,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = f"could not reach {url.split('?')[0]} ({type(exc).__name__})"
            else:
                if response.ok:
                    return response
                if not _retryable(response):
                    raise APIError(response)
                reason = f"HTTP {response.status_code}"
            delay = next(delays, None)
            if delay is None:
                raise GaveUp(response, waited, attempts, reason)
            self.retry.sleep(delay)
            waited += delay


def _retryable(response: requests.Response) -> bool:
    if response.status_code in RETRY_STATUSES:
        return True
    if response.status_code == 403:  # Drive reports its rate limits as 403 usageLimits
        try:
            errors = response.json()["error"].get("errors") or []
        except (ValueError, KeyError, AttributeError):
            return False
        return any(e.get("reason") in _DRIVE_RATE_REASONS for e in errors if isinstance(e, dict))
    return False


class GoogleClient(gspread.Client):
    """A gspread Client whose transport retries and can be pointed elsewhere; knows its service account."""

    def __init__(
        self,
        credentials: Any,
        *,
        endpoint: str | None = None,
        retry: RetryPolicy | None = None,
        key_file: str = "",
    ) -> None:
        self.http_client: SheetsHTTPClient = SheetsHTTPClient(credentials, endpoint=endpoint, retry=retry)
        self.key_file = key_file

    @property
    def account_email(self) -> str:
        """The service account's address: what people share the sheet with."""
        return str(getattr(self.http_client.auth, "service_account_email", "") or "the service account")


def load_credentials(path: str | os.PathLike[str] | None = None) -> tuple[Credentials, str]:
    """Service-account credentials from ``path``, else from GOOGLE_APPLICATION_CREDENTIALS; and the file used."""
    chosen = os.fspath(path) if path else os.environ.get(CREDENTIALS_ENV, "")
    if not chosen:
        raise UsageError(
            _(
                "Google Sheets need a service-account key: pass --credentials key.json "
                "or set {variable}=/path/to/key.json (README: Google Sheets).",
                variable=CREDENTIALS_ENV,
            )
        )
    try:
        credentials = Credentials.from_service_account_file(chosen, scopes=list(SCOPES))
    except FileNotFoundError as exc:
        raise UsageError(
            _("{path}: no such file; give the service-account key downloaded from Google Cloud.", path=chosen)
        ) from exc
    except (ValueError, KeyError, OSError) as exc:
        raise UsageError(
            _(
                "{path} is not a service-account key ({error}); in Google Cloud console create a JSON key "
                "for the service account (IAM → Service accounts → Keys → Add key).",
                path=chosen, error=exc,
            )
        ) from exc
    return credentials, chosen


def connect(
    credentials: str | os.PathLike[str] | Credentials | None = None,
    *,
    endpoint: str | None = None,
    max_wait: float | None = None,
    sleep: Callable[[float], None] | None = None,
) -> GoogleClient:
    """A client for the Sheets and Drive APIs acting as the service account whose key file is given.

    ``credentials``: a key file path, loaded credentials, or None for GOOGLE_APPLICATION_CREDENTIALS.

    ``endpoint`` (default: SHEETSYNC_SHEETS_ENDPOINT) replaces https://sheets.googleapis.com
    and https://www.googleapis.com; ``max_wait`` bounds the seconds spent waiting on 429/5xx.
    """
    key_file = ""
    if isinstance(credentials, Credentials):
        creds = credentials
    else:
        creds, key_file = load_credentials(credentials)
    retry = RetryPolicy()
    if max_wait is not None:
        retry.max_wait = max_wait
    if sleep is not None:
        retry.sleep = sleep
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or None
    return GoogleClient(creds, endpoint=endpoint, retry=retry, key_file=key_file)


@dataclass
class CallContext:
    """What a translated error names: the target as typed, the sheet's ID, the account, what was being done."""

    target: str
    key: str = ""
    account: str = "the service account"
    key_file: str = ""
    doing: str = "open"  # open | edit | create | share
    error: type[SheetsyncError] = TargetError
    extra: dict[str, str] = field(default_factory=dict)


@contextmanager
def google_errors(context: CallContext) -> Iterator[None]:
    """Re-raise Google's and the network's errors as sheetsync errors that say what to do."""
    try:
        yield
    except GaveUp as exc:
        raise context.error(_gave_up_message(exc, context)) from exc
    except APIError as exc:
        raise context.error(_api_message(exc, context)) from exc
    except auth_exceptions.GoogleAuthError as exc:
        unreachable = _unreachable(exc)
        if unreachable is not None:  # the network failed, not the key: a new key would not help
            host, why = unreachable
            raise context.error(
                _(
                    "{target}: cannot reach Google's sign-in endpoint {host} to get a token for "
                    "{account} ({why}); check the network connection and any proxy (HTTPS_PROXY), then try again.",
                    target=context.target, host=host, account=context.account, why=why,
                )
            ) from exc
        source = _(" in {key_file}", key_file=context.key_file) if context.key_file else ""
        raise context.error(
            _(
                "{target}: Google refused the service-account key{source} ({account}): {google}; "
                "create a new JSON key for the service account and point {variable} (or --credentials) at it.",
                target=context.target, source=source, account=context.account, google=_first_line(str(exc)),
                variable=CREDENTIALS_ENV,
            )
        ) from exc
    except requests.RequestException as exc:
        raise context.error(
            _("{target}: {error}; check the network connection and try again.", target=context.target, error=exc)
        ) from exc


def _unreachable(exc: BaseException) -> tuple[str, str] | None:
    """(host, why) when signing in failed because the token endpoint could not be reached, else None.

    google-auth raises TransportError (a GoogleAuthError, like the RefreshError of
    an invalid_grant) with the requests error as its cause, so the chain tells a
    refused connection, a name that does not resolve or a timeout from a refusal.
    """
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    if not any(isinstance(e, (auth_exceptions.TransportError, requests.RequestException)) for e in chain):
        return None
    failed = next((e for e in chain if isinstance(e, requests.RequestException)), None)
    url = getattr(getattr(failed, "request", None), "url", None) or "https://oauth2.googleapis.com/token"
    host = urlsplit(url).hostname or "oauth2.googleapis.com"
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, requests.exceptions.ProxyError) for e in chain):
        why = "the proxy failed"
    elif any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        why = "connection refused"
    elif any(isinstance(e, requests.Timeout | TimeoutError) for e in chain):
        why = "no answer: timed out"
    elif any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in text:
        why = "the name does not resolve"
    elif any(isinstance(e, requests.exceptions.SSLError) for e in chain):
        why = "TLS failed"
    else:
        why = _first_line(str(failed or exc))
    return host, why


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _gave_up_message(exc: GaveUp, context: CallContext) -> str:
    said = {"target": context.target, "attempts": exc.attempts, "seconds": f"{exc.waited:.0f}"}
    if exc.code == 429 or exc.code == 403:
        return _(
            "{target}: Google Sheets quota exceeded: still refused after {attempts} attempts "
            "over {seconds} s; wait a minute and run again (the Sheets API allows 60 requests a minute per "
            "user and 300 per project; ask for more in Google Cloud console → Quotas).",
            **said,
        )
    if exc.code:
        return _(
            "{target}: Google Sheets is unavailable (HTTP {status}) after {attempts} attempts "
            "over {seconds} s; try again in a few minutes.",
            status=exc.code, **said,
        )
    return _(
        "{target}: {reason} after {attempts} attempts over {seconds} s; check the network and try again.",
        reason=exc.reason, **said,
    )


def _api_message(exc: APIError, context: CallContext) -> str:
    status = exc.response.status_code if getattr(exc, "response", None) is not None else exc.code
    google = _first_line(str(exc.error.get("message", ""))) if isinstance(exc.error, Mapping) else str(exc)
    who = context.account
    if status == 403:
        lowered = google.lower()
        if "has not been used" in lowered or "is disabled" in lowered or "service_disabled" in lowered:
            return _(
                "{target}: the Google Sheets or Drive API is not enabled for {who}'s project; "
                "enable both in Google Cloud console → APIs & Services, then run again. ({google})",
                target=context.target, who=who, google=google,
            )
        if "storage quota" in lowered:
            return _(
                "{target}: {who} has no Drive storage to create the sheet in; create an empty Google "
                "Sheet yourself, share it with {who} (Editor) and sync that instead. ({google})",
                target=context.target, who=who, google=google,
            )
        if context.doing == "create":
            return _("{target}: {who} may not create here: {google}.", target=context.target, who=who, google=google)
        if context.doing == "share":
            return _("{target}: {who} may not share here: {google}.", target=context.target, who=who, google=google)
        if context.doing == "edit":
            return _(
                "{target}: {who} may not edit this Google Sheet; share the sheet with {who} (Editor) and run again.",
                target=context.target, who=who,
            )
        return _(
            "{target}: {who} may not open this Google Sheet; "
            "share the sheet with {who} (Editor, or Viewer for check and digest) and run again.",
            target=context.target, who=who,
        )
    if status == 400 and NOT_A_SHEET.lower() in google.lower():
        return _(
            "{target}: this Drive file is not a Google Sheet (an Excel file stored on Drive, for instance); "
            "open it in Google Sheets, choose File → Save as Google Sheets and use the new sheet's address, "
            "or download it and sync the file.",
            target=context.target,
        )
    if status == 404:
        return _(
            "{target}: no Google Sheet with ID {key} (deleted, or a typo in the link); "
            "copy the sheet's address from the browser and try again.",
            target=context.target, key=context.key or "?",
        )
    if status == 401:
        return _(
            "{target}: Google did not accept {who}'s credentials ({google}); "
            "check the key file {key_file} and create a new key if it was revoked.",
            target=context.target, who=who, google=google, key_file=context.key_file or CREDENTIALS_ENV,
        )
    return _(
        "{target}: Google Sheets refused the request (HTTP {status}): {google}.",
        target=context.target, status=status, google=google,
    )
