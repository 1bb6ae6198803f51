"""The Google client: service-account credentials, sheet addresses, and Google's errors in sheetsync's words.

gspread does the talking (its ``Client``, over transport.py's bounded
``SheetsHTTPClient``); this module adds what a sync run from cron needs: an
endpoint switch (``SHEETSYNC_SHEETS_ENDPOINT``) for API gateways and the test
server, and one place where Google's errors become sheetsync's (naming the
service account to share the sheet with, telling "cannot reach Google" from
"Google refused the key").
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests
from google.auth import exceptions as auth_exceptions
from google.oauth2.service_account import Credentials
from gspread.exceptions import APIError

from ...errors import SheetsyncError, TargetError, UsageError
from ...i18n import _
from .address import sheet_url, spreadsheet_key
from .transport import (
    GOOGLEAPIS_BASE,
    SHEETS_BASE,
    TIMEOUT_ENV,
    GaveUp,
    RetryPolicy,
    SheetsHTTPClient,
    deadline_from_env,
    network_failure,
)

__all__ = [
    "CREDENTIALS_ENV",
    "ENDPOINT_ENV",
    "GOOGLEAPIS_BASE",
    "SHEETS_API",
    "GoogleClient",
    "RetryPolicy",
    "SheetsHTTPClient",
    "TIMEOUT_ENV",
    "connect",
    "google_errors",
    "sheet_url",
    "spreadsheet_key",
]

CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
ENDPOINT_ENV = "SHEETSYNC_SHEETS_ENDPOINT"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
SHEETS_API = SHEETS_BASE + "/v4/spreadsheets"

NOT_A_SHEET = "This operation is not supported for this document"  # Sheets API's 400 for an .xlsx on Drive


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
    and https://www.googleapis.com; ``max_wait`` (default: SHEETSYNC_GOOGLE_TIMEOUT, else 60) is the
    deadline in seconds of each call, its sign-in and retries included.
    """
    key_file = ""
    if isinstance(credentials, Credentials):
        creds = credentials
    else:
        creds, key_file = load_credentials(credentials)
    retry = RetryPolicy(max_wait=deadline_from_env() if max_wait is None else max_wait)
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
        raise context.error(_sign_in_message(exc, context)) from exc
    except requests.RequestException as exc:
        host, why, _timed_out = network_failure(exc) or ("", _("the connection failed"), False)
        raise context.error(_unreachable_message(context, host or "googleapis.com", why)) from exc


# What Google's token endpoint says when it will not sign the service account in
# (RFC 6749 §5.2): only these mean the key itself is bad, deleted or disabled.
_KEY_REFUSED = frozenset({"invalid_grant", "invalid_client", "unauthorized_client"})


def _sign_in_message(exc: auth_exceptions.GoogleAuthError, context: CallContext) -> str:
    """Why the service account could not sign in: the network, the computer's clock, or the key."""
    failure = network_failure(exc)
    if failure is not None:  # the network failed, not the key: a new key would not help
        host, why, _timed_out = failure
        return _(
            "{target}: cannot reach Google's sign-in endpoint {host} to get a token for "
            "{account} ({why}); check the network connection and any proxy (HTTPS_PROXY), then try again.",
            target=context.target, host=host or "oauth2.googleapis.com", account=context.account, why=why,
        )
    code, reason = _refusal(exc)
    if code in _KEY_REFUSED and ("iat" in reason or "timeframe" in reason):
        return _(
            "{target}: Google refused to sign {account} in because this computer's clock is wrong ({google}); "
            "set the date and time right (automatic time, NTP) and try again.",
            target=context.target, account=context.account, google=reason,
        )
    if code in _KEY_REFUSED:
        source = _(" in {key_file}", key_file=context.key_file) if context.key_file else ""
        return _(
            "{target}: Google refused the service-account key{source} ({account}): {google}; "
            "create a new JSON key for the service account and point {variable} (or --credentials) at it.",
            target=context.target, source=source, account=context.account, google=reason,
            variable=CREDENTIALS_ENV,
        )
    return _(
        "{target}: Google's sign-in endpoint gave {account} no token: {google}; try again in a few minutes.",
        target=context.target, account=context.account, google=reason,
    )


def _refusal(exc: BaseException) -> tuple[str, str]:
    """(OAuth error code, the reason as a sentence) from google-auth's RefreshError, never its args tuple.

    google-auth raises ``RefreshError("invalid_grant: Invalid JWT Signature.", {"error": …,
    "error_description": …})``, whose str() is the Python tuple of both.
    """
    answer = next((arg for arg in exc.args if isinstance(arg, Mapping)), None)
    if answer is not None:
        code, description = str(answer.get("error") or ""), str(answer.get("error_description") or "")
    else:
        text = _first_line(" ".join(str(arg) for arg in exc.args if isinstance(arg, str)))
        found = re.match(r"^([a-z_]+): (.*)$", text)
        code, description = (found.group(1), found.group(2)) if found else ("", text)
    description = description.strip().rstrip(".")
    if code and description:
        return code, f"{description} ({code})"
    return code, description or code or type(exc).__name__


def _unreachable_message(context: CallContext, host: str, why: str) -> str:
    return _(
        "{target}: cannot reach Google at {host} ({why}); check the network connection and any proxy "
        "(HTTPS_PROXY), then try again.",
        target=context.target, host=host, why=why,
    )


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
    if exc.timed_out:
        return _(
            "{target}: Google could not be reached in time: no answer from {host} within {seconds} s; check the "
            "network connection and any proxy (HTTPS_PROXY), then try again (or allow more seconds with {variable}).",
            host=exc.host or "googleapis.com", variable=TIMEOUT_ENV, target=context.target, seconds=said["seconds"],
        )
    return _unreachable_message(context, exc.host or "googleapis.com", exc.reason)


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
                "Sheet yourself, share it with {who} (Editor) and lay it out with: sheetsync init ITS_URL. ({google})",
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
