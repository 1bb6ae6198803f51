"""The real google-auth + requests + gspread stack, pointed at a FakeGoogle.

Nothing is patched: :class:`RedirectSession` is google-auth's own
``AuthorizedSession`` that rewrites the two Google API hosts gspread hard-codes
(``https://sheets.googleapis.com`` and ``https://www.googleapis.com``) to the fake's
base URL before each request goes out. Tokens come from the fake's ``/token``
because the service-account file names it as ``token_uri``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.service_account import Credentials

from .server import FakeGoogle

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")


def rewrite(url: str, base: str) -> str:
    """``https://sheets.googleapis.com/v4/...`` -> ``<base>/v4/...`` (other URLs untouched)."""
    for google in GOOGLE_BASES:
        if url.startswith(google + "/"):
            return base.rstrip("/") + url[len(google) :]
    return url


class RedirectSession(AuthorizedSession):
    """An AuthorizedSession that sends Google API calls to ``base`` instead of Google."""

    def __init__(self, credentials: Credentials, base: str) -> None:
        super().__init__(credentials)
        self.base = base
        self.trust_env = False  # never route 127.0.0.1 through an environment proxy

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().request(method, rewrite(url, self.base), *args, **kwargs)


def service_account_credentials(fake: FakeGoogle, key_file: Path) -> Credentials:
    """Service-account credentials from a key file the fake wrote (``fake.service_account_file``)."""
    if not key_file.exists():
        fake.service_account_file(key_file)
    return Credentials.from_service_account_file(str(key_file), scopes=list(SCOPES))


def gspread_client(
    fake: FakeGoogle, key_file: Path, http_client: type[gspread.HTTPClient] = gspread.HTTPClient
) -> gspread.Client:
    """A real ``gspread.Client`` talking to the fake through :class:`RedirectSession`."""
    credentials = service_account_credentials(fake, key_file)
    return gspread.Client(credentials, session=RedirectSession(credentials, fake.url), http_client=http_client)
