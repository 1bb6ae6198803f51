"""Issue 19: a Google sync that fails for a reason outside sheetsync says so within 2 s, in one line.

No SHEETSYNC_GOOGLE_TIMEOUT here: the default deadline (60 s) stays for Google's own 429/5xx answers,
while a refused port, a host that swallows the connection (TCP accepted, TLS never answered) and a
name that does not resolve are told within the network's budget. Local servers on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from sheetsync.backends.gsheets import client as gclient
from sheetsync.backends.gsheets import transport
from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)

BOUND = 5.0  # generous: the budget is 1 s of failed connections (1.2 s for one that hangs), on a busy machine


@pytest.fixture
def google_env(fake_google, tmp_path, monkeypatch):
    key = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    monkeypatch.delenv("SHEETSYNC_GOOGLE_TIMEOUT", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    return fake_google


@pytest.fixture
def book(google_env):
    return google_env.create_spreadsheet("Campaign", sheets=("Project", "Timeline"))


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An https:// endpoint on 127.0.0.1 that accepts every connection and never says a word (no TLS answer)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    server.close()


def timed_sync(book: str, capsys) -> tuple[int, str, float]:
    started = time.monotonic()
    code = main(["sync", f"gsheet:{book}", "--today", "2026-12-08"])
    seconds = time.monotonic() - started
    return code, capsys.readouterr().err, seconds


def test_a_refused_port_answers_within_two_seconds_in_one_line(google_env, book, monkeypatch, capsys):
    """Before: refused connections were retried with backoff for the whole minute."""
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", google_env.closed_url)
    code, err, seconds = timed_sync(book, capsys)
    assert code == 2 and seconds < BOUND, seconds
    assert err == (
        f"Error: gsheet:{book}: cannot reach Google at 127.0.0.1 (connection refused); "
        "check the network connection and any proxy (HTTPS_PROXY), then try again.\n"
    )


def test_a_host_that_accepts_and_never_answers_is_told_within_two_seconds(google_env, book, black_hole,
                                                                          monkeypatch, capsys):
    """A firewall or proxy that takes the connection and swallows it: the TLS handshake never completes."""
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", black_hole)
    code, err, seconds = timed_sync(book, capsys)
    assert code == 2 and seconds < BOUND, seconds
    assert re.fullmatch(
        rf"Error: gsheet:{book}: Google could not be reached in time: no answer from 127\.0\.0\.1 within [12] s; "
        r"check the network connection and any proxy \(HTTPS_PROXY\), then try again \(or allow more seconds with "
        r"SHEETSYNC_GOOGLE_TIMEOUT\)\.\n",
        err,
    ), err


def test_a_chinese_terminal_hears_it_in_chinese(google_env, book, black_hole, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", black_hole)
    code, err, seconds = timed_sync(book, capsys)
    assert code == 2 and seconds < BOUND, seconds
    assert re.fullmatch(
        rf"错误：gsheet:{book}：无法及时连上 Google：127\.0\.0\.1 在 [12] 秒内没有应答；请检查网络连接和代理（HTTPS_PROXY）后再试"
        r"（或用 SHEETSYNC_GOOGLE_TIMEOUT 放宽秒数）。\n",
        err,
    ), err
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", google_env.closed_url)
    code, err, seconds = timed_sync(book, capsys)
    assert code == 2 and seconds < BOUND, seconds
    assert err == f"错误：gsheet:{book}：无法连接 Google（127.0.0.1）：连接被拒绝；请检查网络连接和代理（HTTPS_PROXY）后再试。\n"


def test_a_sign_in_endpoint_that_swallows_the_connection_is_told_within_two_seconds(
    google_env, book, black_hole, tmp_path, monkeypatch, capsys
):
    key = tmp_path / "sa.json"
    key.write_text(key.read_text(encoding="utf-8").replace(f"{google_env.url}/token", f"{black_hole}/token"),
                   encoding="utf-8")
    code, err, seconds = timed_sync(book, capsys)
    assert code == 2 and seconds < BOUND, seconds
    assert err.startswith(f"Error: gsheet:{book}: Google could not be reached in time: no answer from 127.0.0.1 ")
    assert "create a new JSON key" not in err and google_env.calls == []


def test_a_dropped_connection_is_still_retried_within_the_budget(google_env, book, monkeypatch, capsys):
    """A connection that fails once (a stale keep-alive, a blip) is tried again; the sync goes through."""
    real = transport.requests.Session.request
    failures = []

    def flaky(self, method, url, **kwargs):
        if not failures and "/v4/spreadsheets/" in url:
            failures.append(url)
            raise transport.requests.ConnectionError("Connection aborted: RemoteDisconnected")
        return real(self, method, url, **kwargs)

    monkeypatch.setattr(transport.requests.Session, "request", flaky)
    code, err, seconds = timed_sync(book, capsys)
    assert failures and code in (0, 1), err
    assert "cannot reach Google" not in err


def test_a_quota_burst_still_waits_for_google(google_env, book, monkeypatch, capsys):
    """429s and 503s keep the whole deadline (here: four refusals, then the answer), not the network's budget."""
    slept: list[float] = []
    monkeypatch.setattr(gclient, "RetryPolicy", functools.partial(transport.RetryPolicy, sleep=slept.append))
    google_env.fail_next(2, 429, "spreadsheets.get")
    google_env.fail_next(2, 503, "spreadsheets.get")
    code, err, _seconds = timed_sync(book, capsys)
    assert code in (0, 1) and "Error" not in err, err
    assert len(google_env.calls_to("spreadsheets.get")) >= 5
    assert sum(slept) > transport.NETWORK_BUDGET  # the backoff went past what a network failure may spend


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class _Session:
    """A requests.Session stand-in: each attempt takes `took` seconds on the clock, then fails or answers."""

    def __init__(self, clock: _Clock, outcomes: list[tuple[float, BaseException | None]]) -> None:
        self.clock, self.outcomes, self.headers, self.attempts = clock, outcomes, {}, 0

    def request(self, **_kwargs):
        self.attempts += 1
        took, error = self.outcomes.pop(0) if self.outcomes else (0.01, None)
        self.clock.now += took
        if error is not None:
            raise error
        answer = transport.requests.Response()
        answer.status_code, answer._content = 200, b"{}"
        return answer


def _client(clock: _Clock, outcomes) -> tuple[transport.SheetsHTTPClient, _Session]:
    session = _Session(clock, outcomes)
    auth = type("Auth", (), {"valid": True})()
    policy = transport.RetryPolicy(max_wait=60, sleep=clock.sleep, clock=clock, jitter=lambda: 1.0)
    client = transport.SheetsHTTPClient(auth, session, retry=policy)  # type: ignore[arg-type]
    client.auth = auth  # gspread keeps the credentials only when it makes the session itself
    return client, session


def test_a_big_answer_cut_off_midway_is_tried_again_as_before():
    clock = _Clock()
    dropped = transport.requests.ConnectionError("Connection broken: IncompleteRead")
    client, session = _client(clock, [(8.0, dropped), (8.0, dropped)])
    assert client.request("get", "https://sheets.googleapis.com/v4/spreadsheets/x").ok
    assert session.attempts == 3


def test_failing_to_connect_stops_at_the_network_budget_on_a_fake_clock():
    clock = _Clock()
    refused = transport.requests.ConnectionError(ConnectionRefusedError("Connection refused"))
    client, session = _client(clock, [(0.001, refused)] * 100)
    with pytest.raises(transport.GaveUp) as caught:
        client.request("get", "https://sheets.googleapis.com/v4/spreadsheets/x")
    assert clock.now <= transport.NETWORK_BUDGET + 0.1 and 2 <= session.attempts <= 5
    assert caught.value.reason == "connection refused" and caught.value.code == 0
