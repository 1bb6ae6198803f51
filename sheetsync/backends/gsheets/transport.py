"""Every HTTP call to Google, bounded: connect and read timeouts, retries, one deadline per call.

A call is one Sheets or Drive request together with the sign-in (token) request
it may need and its retries on 429/5xx answers and dropped connections. The whole
call gives up after ``SHEETSYNC_GOOGLE_TIMEOUT`` seconds (default 60: the README's
"retried … for up to a minute in all"): each attempt may only wait for what is
left of it, so an endpoint that accepts the connection and never answers costs
one deadline, not ten read timeouts and the backoff in between.

No network is told apart sooner: opening a connection (TCP, and TLS for https) may
take CONNECT_TIMEOUT (1.2 s), and failures to connect (or connections closed at once) are
retried only within NETWORK_BUDGET (1 s), so a refused port, a name that does not resolve or
a black hole that swallows the handshake answers in under 2 s; a connection cut off after it
got through (a big answer) is retried within the deadline, as before. Google's own answers
(429/5xx) keep the whole deadline: a quota burst is worth waiting for; a missing
network is not. The wait for an answer once the request is sent stays the deadline's,
since Google may take many seconds to build a big book's grid data.

Answers are asked for small (Sheets API, Improve performance): ``prettyPrint=false``
(no indentation: about a third of the JSON's size) and gzip (``Accept-Encoding: gzip`` plus "gzip"
in the User-Agent, both of which Google requires before it compresses).
"""

from __future__ import annotations

import functools
import os
import random
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import Request
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from ...errors import UsageError
from ...i18n import _

__all__ = [
    "TIMEOUT_ENV", "GaveUp", "RetryPolicy", "SheetsHTTPClient", "deadline_from_env", "network_failure", "set_pacer",
]

TIMEOUT_ENV = "SHEETSYNC_GOOGLE_TIMEOUT"
DEFAULT_DEADLINE = 60.0  # seconds for one call, retries included (README: "for up to a minute in all")
CONNECT_TIMEOUT = 1.2  # opening a TCP+TLS connection (2 round trips); a live Google or proxy answers well within it
NETWORK_BUDGET = 1.0  # seconds of one call spent on connection failures (and the waits after them) before giving up
NETWORK_FIRST = 0.25  # the first wait before retrying a failed connection (then doubled, within NETWORK_BUDGET)
USER_AGENT = "sheetsync (gzip)"  # Google gzips only for a User-Agent containing "gzip" (and Accept-Encoding)
LAST_ATTEMPT = 1.0  # seconds kept for one more try: with less left, the call gives up instead of waiting

SHEETS_BASE = "https://sheets.googleapis.com"
GOOGLEAPIS_BASE = "https://www.googleapis.com"  # Drive: /drive/v3/..., /upload/drive/v2/...

# 429 is the per-minute quota (Sheets API: 300 requests per minute per project,
# 60 per user; https://developers.google.com/sheets/api/limits); 5xx are
# Google's own hiccups. Both are worth waiting for; nothing else is.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_DRIVE_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


def _unpaced() -> None:
    """No pacing: a command-line run makes a handful of calls and waits for nobody."""


_pace: Callable[[], None] = _unpaced


def set_pacer(pace: Callable[[], None] | None) -> None:
    """Install ``pace``, called before every attempt of every call to Google in this process (None: no pacing).

    `sheetsync serve` syncs many sheets with one service account, whose per-minute quota
    all of them share (https://developers.google.com/sheets/api/limits): its pacer spaces the calls
    so that one busy sheet cannot spend the quota of the others. 429s are still retried below.
    """
    global _pace
    _pace = pace or _unpaced


def deadline_from_env() -> float:
    """The seconds one call to Google may take, from SHEETSYNC_GOOGLE_TIMEOUT (default 60)."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_DEADLINE
    try:
        seconds = float(text)
        if not 0 < seconds < float("inf"):
            raise ValueError(text)
    except ValueError:
        raise UsageError(
            _(
                "{variable}={value} is not a number of seconds; write e.g. {variable}=60 (how long one call to "
                "Google may take, retries included).",
                variable=TIMEOUT_ENV, value=text,
            )
        ) from None
    return seconds


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter; ``max_wait`` is the deadline of one call, answers awaited included."""

    max_wait: float = DEFAULT_DEADLINE  # seconds: sleeping plus waiting for Google, summed over one call
    first: float = 1.0
    cap: float = 16.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic

    def delays(self) -> Iterator[float]:
        """The waits before each retry, until their total would pass max_wait."""
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
    """Google kept refusing (429/5xx) or could not be reached before the call's deadline."""

    def __init__(
        self,
        response: requests.Response | None,
        waited: float,
        attempts: int,
        reason: str,
        *,
        url: str = "",
        timed_out: bool = False,
    ) -> None:
        self.waited = waited  # seconds the call took, sleeping and waiting for answers
        self.attempts = attempts
        self.reason = reason  # a phrase in the active language: "connection refused"
        self.host = urlsplit(url).hostname or ""
        self.timed_out = timed_out
        if response is not None:
            super().__init__(response)
            self.code = response.status_code
        else:
            Exception.__init__(self, reason)
            self.error = {"code": 0, "message": reason, "status": "UNAVAILABLE"}
            self.code = 0

    def __str__(self) -> str:
        return f"{self.reason} after {self.attempts} attempts over {self.waited:.0f} s"


def network_failure(exc: BaseException) -> tuple[str, str, bool] | None:
    """(host, why, timed out) when EXC (or what caused it) is a network failure, else None.

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
    url = getattr(getattr(failed, "request", None), "url", None) or ""
    host = urlsplit(url).hostname or ""
    text = " ".join(str(e) for e in chain)
    timed_out = False
    if any(isinstance(e, requests.exceptions.ProxyError) for e in chain):
        why = _("the proxy failed")
    elif any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        why = _("connection refused")
    elif any(isinstance(e, requests.Timeout | TimeoutError) for e in chain) or "timed out" in text:
        why, timed_out = _("no answer in time"), True
    elif any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in text:
        why = _("the name does not resolve")
    elif any(isinstance(e, requests.exceptions.SSLError) for e in chain):
        why = _("the secure (TLS) connection failed")
    else:
        why = _("the connection failed")
    return host, why, timed_out


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, pointed at ``endpoint`` when given; every call bounded by ``retry.max_wait``."""

    def __init__(
        self,
        auth: Any,
        session: requests.Session | None = None,
        *,
        endpoint: str | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(auth, session)
        self.session.headers["User-Agent"] = f"{USER_AGENT} {self.session.headers.get('User-Agent', '')}".strip()
        self.session.headers["Accept-Encoding"] = "gzip"
        self.endpoint = endpoint.rstrip("/") if endpoint else None
        self.retry = retry or RetryPolicy()
        self._token_request = Request()

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
        params = _compact(params)
        delays = self.retry.delays()
        spent, attempts = 0.0, 0  # spent: slept + waited for answers, whatever clock the sleep uses
        offline = 0.0  # the part of `spent` lost to failed connections, and the waits after them
        network_wait = NETWORK_FIRST
        while True:
            attempts += 1
            response: requests.Response | None = None
            timed_out = False
            began = self.retry.clock()
            try:
                _pace()  # the service's quota pacer (set_pacer); its wait is counted in `spent` below
                timeout = _timeout(self.retry.max_wait - spent)
                self._sign_in(timeout)
                response = self.session.request(
                    method=method, url=url, json=json, params=params, data=data, files=files,
                    headers=headers, timeout=timeout,
                )
            except auth_exceptions.TransportError as exc:  # signing in: not retried (see _sign_in)
                failure = network_failure(exc)
                if failure is None or not failure[2]:
                    raise
                elapsed = spent + self.retry.clock() - began
                raise GaveUp(None, elapsed, attempts, failure[1], url=_token_uri(self.auth), timed_out=True) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                failure = network_failure(exc)
                reason, timed_out = (failure[1], failure[2]) if failure else (_("the connection failed"), False)
                elapsed = self.retry.clock() - began
                if isinstance(exc, requests.ReadTimeout):  # no answer for what was left (or no TLS handshake)
                    offline = NETWORK_BUDGET
                elif elapsed > CONNECT_TIMEOUT and not isinstance(exc, requests.ConnectTimeout):
                    offline = 0.0  # dropped after it got through (a big answer cut off): the network is up
                else:  # refused, no such name, no connection in time, closed at once
                    offline += elapsed
            else:
                if response.ok:
                    return response
                if not _retryable(response):
                    raise APIError(response)
                reason = f"HTTP {response.status_code}"
            finally:
                spent += self.retry.clock() - began
            # The last wait stops short of the deadline by one attempt's worth, so the last try has time to answer.
            delay = min(next(delays, 0.0), self.retry.max_wait - spent - LAST_ATTEMPT)
            if response is None:  # no answer at all: the network's budget, not Google's backoff
                delay = min(network_wait * (0.5 + 0.5 * self.retry.jitter()), NETWORK_BUDGET - offline,
                            self.retry.max_wait - spent - LAST_ATTEMPT)
                network_wait *= 2
                offline += max(delay, 0.0)
            if delay <= 0:
                raise GaveUp(response, spent, attempts, reason, url=url, timed_out=timed_out)
            self.retry.sleep(delay)
            spent += delay

    def _sign_in(self, timeout: tuple[float, float]) -> None:
        """Get (or renew) the access token within ``timeout``: google-auth would otherwise wait 120 s per read.

        A TransportError (unreachable) or RefreshError (refused) goes to google_errors: another
        attempt would be refused the same way, and an unreachable sign-in has used the time.
        """
        credentials = self.auth
        if getattr(credentials, "valid", True):
            return
        credentials.refresh(functools.partial(self._token_request, timeout=timeout))


def _token_uri(credentials: Any) -> str:
    return str(getattr(credentials, "_token_uri", "") or "https://oauth2.googleapis.com/token")


def _compact(params: Any) -> Any:
    """The query with ``prettyPrint=false`` added (Google's answers without indentation), whatever form it has."""
    if params is None:
        return {"prettyPrint": "false"}
    if isinstance(params, Mapping):
        return {**params, "prettyPrint": "false"}
    if isinstance(params, (list, tuple)):
        return [*params, ("prettyPrint", "false")]
    return params  # an encoded query string: left as given


def _timeout(left: float) -> tuple[float, float]:
    """(connect, read) seconds for one attempt: never past the call's deadline."""
    left = max(left, 0.1)
    return min(CONNECT_TIMEOUT, left), left


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
