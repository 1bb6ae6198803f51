"""`sheetsync serve` attacked by a hostile or careless client, and run by a careless operator.

Each test runs the real service (uvicorn on 127.0.0.1) against the fake Google and names
the defect it once showed: a crash where one line was due, a path or secret in an answer,
a token lost, a connection or worker held by someone who sends nothing.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import os
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from fake_google import FakeGoogle
from serve_server import post, running_service

from sheetsync.cli import main
from sheetsync.serve import TokenStore

TODAY = "2026-11-27"
ENVIRONMENT = ("SHEETSYNC_SHEETS_ENDPOINT", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETSYNC_STATE_DIR")


@pytest.fixture(scope="module")
def google(tmp_path_factory):
    """One fake Google with an English and a Chinese demo sheet: (fake, {lang: key}, key file, environment)."""
    folder = tmp_path_factory.mktemp("google")
    with FakeGoogle() as fake, pytest.MonkeyPatch.context() as env:
        key_file = fake.service_account_file(folder / "sa.json")
        env.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake.url)
        env.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        env.setenv("SHEETSYNC_STATE_DIR", str(folder / "user-state"))
        keys = {}
        for lang in ("en", "zh"):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert main(["init", "--gsheet", "Serum launch", "--demo", "--today", TODAY, "--lang", lang]) == 0
            keys[lang] = re.search(r"/spreadsheets/d/([A-Za-z0-9_-]+)", out.getvalue()).group(1)
        yield fake, keys, key_file, {name: os.environ[name] for name in ENVIRONMENT}


@pytest.fixture
def world(google, tmp_path, monkeypatch):
    """A token for each sheet in a fresh state folder; at the end no answer or log line shows a secret."""
    fake, keys, key_file, environment = google
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    store = TokenStore(tmp_path / "state")
    world = {
        "fake": fake, "keys": keys, "key_file": key_file, "state": tmp_path / "state", "store": store,
        "log": tmp_path / "access.log", "tokens": {lang: store.add(key) for lang, key in keys.items()},
    }
    yield world
    private = json.loads(key_file.read_text())["private_key"]
    secrets = [*world["tokens"].values(), *[line for line in private.splitlines() if line and "-----" not in line]]
    lines = world["log"].read_text(encoding="utf-8").splitlines() if world["log"].exists() else []
    for line in lines:
        assert not any(secret in line for secret in secrets), line
        assert str(key_file) not in line and str(world["state"]) not in line, line


class SlowSheet:
    """A proxy in front of the fake Google that holds every call about one sheet until released: Google stuck on it."""

    def __init__(self, upstream: str, key: str, hold: float) -> None:
        self.release = threading.Event()
        self.held = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                self.forward()

            do_POST = do_PUT = do_GET  # noqa: N815

            def forward(self) -> None:
                if key in self.path:
                    proxy.held += 1
                    proxy.release.wait(hold)
                length = int(self.headers.get("Content-Length") or 0)
                answer = requests.request(
                    self.command, upstream + self.path, data=self.rfile.read(length) if length else None,
                    headers={k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")},
                    timeout=30,
                )
                self.send_response(answer.status_code)
                for name in ("Content-Type",):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> SlowSheet:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def options(world, **more):
    return {"log": world["log"], "warm": False, "rate": 0, **more}


def test_a_deeply_nested_body_is_a_400_not_a_crash(world):
    key, token = world["keys"]["en"], world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        answers = [
            requests.post(f"{url}/v1/sheets/{key}/check", data=body, timeout=30,
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            for body in (b"[" * 100_000, b'{"a":' * 50_000)
        ]
    assert [a.status_code for a in answers] == [400, 400], [a.text for a in answers]
    assert all("\n" not in a.json()["error"] and "JSON" in a.json()["error"] for a in answers)


def test_text_with_a_lone_surrogate_is_a_400_not_a_crash(world):
    """JSON may spell "\\ud800", which is no character: echoing it back could not be encoded (a 500)."""
    key, token = world["keys"]["en"], world["tokens"]["en"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with running_service(world["state"], **options(world)) as url:
        answers = [
            requests.post(f"{url}/v1/sheets/{key}/lint", data=body, headers=headers, timeout=30)
            for body in (b'{"cells": [{"cell": "A1", "text": "\\ud800 best"}]}',
                         b'{"cells": [{"cell": "A1\\udc00", "text": "best"}]}', b'{"today": "\\ud800"}')
        ]
    assert [a.status_code for a in answers] == [400, 400, 400], [a.text for a in answers]
    assert all("\n" not in a.json()["error"] for a in answers)


def test_the_cells_error_shows_the_shape_to_send(world):
    key, token = world["keys"]["en"], world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        answer = post(url, key, "lint", token, {"cells": [{"cell": "A1", "text": 5}]})
    assert answer.status_code == 400
    assert answer.json() == {"error": '"cells" must be a list of {"cell": "Reviews!H2", "text": "the copy"} objects.'}


def test_a_trailing_slash_is_a_json_404_not_a_redirect_to_the_callers_host(world):
    """Starlette redirected /healthz/ to http://<the request's Host header>/healthz: an open redirect, no JSON."""
    key, token = world["keys"]["en"], world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        answers = [
            requests.get(f"{url}/healthz/", headers={"Host": "evil.example"}, allow_redirects=False, timeout=10),
            requests.post(f"{url}/v1/sheets/{key}/sync/", headers={"Host": "evil.example",
                          "Authorization": f"Bearer {token}"}, json={}, allow_redirects=False, timeout=10),
        ]
    assert [a.status_code for a in answers] == [404, 404]
    assert all("location" not in a.headers and list(a.json()) == ["error"] for a in answers)


def test_a_damaged_token_file_does_not_tell_strangers_where_it_is(world, capfd):
    """/healthz needs no token: its answer (and a 401's) named the state folder's full path."""
    world["store"].path.write_text("{not json", encoding="utf-8")
    with running_service(world["state"], **options(world)) as url:
        health = requests.get(f"{url}/healthz", timeout=10)
        refused = post(url, world["keys"]["en"], "check", "not-a-token")
    assert health.status_code == refused.status_code == 503
    for answer in (health, refused):
        assert str(world["state"]) not in answer.text and "serve-tokens.json" in answer.text
    assert str(world["store"].path) in capfd.readouterr().err  # the operator's log says where


def test_credential_errors_do_not_show_the_key_files_path(world, tmp_path, capfd):
    """A sheet's user cannot act on the server's file paths; the operator's log has them."""
    key, token = world["keys"]["en"], world["tokens"]["en"]
    missing, broken = tmp_path / "secret-dir" / "missing.json", tmp_path / "secret-dir" / "broken.json"
    broken.parent.mkdir()
    broken.write_text('{"type": "service_account"}', encoding="utf-8")
    answers = []
    for credentials in (missing, broken):
        with running_service(world["state"], **options(world, credentials=str(credentials))) as url:
            answers.append(post(url, key, "check", token))
    world["fake"].refuse_tokens("invalid_grant", "Invalid JWT Signature.")  # the key was deleted in Google Cloud
    try:
        with running_service(world["state"], **options(world)) as url:
            answers.append(post(url, key, "check", token))
    finally:
        with world["fake"]._lock:
            world["fake"]._token_refusal = None
    assert [a.status_code for a in answers] == [502, 502, 502]
    assert "sa.json" not in answers[2].text and "Invalid JWT Signature" in answers[2].text, answers[2].text
    for answer in answers:
        assert "secret-dir" not in answer.text and str(world["key_file"]) not in answer.text and "\n" not in answer.json()["error"], answer.text
        assert "the service's key file" in answer.json()["error"], answer.text
    assert str(missing) in capfd.readouterr().err


def test_two_processes_adding_tokens_at_once_lose_none(world):
    """Two `serve token add` (or a serve and an add) on one state folder: each read, appended and replaced the file."""
    key, state = world["keys"]["en"], world["state"]
    stores = [TokenStore(state), TokenStore(state)]  # one each, as two processes have: no lock in common
    start = threading.Barrier(len(stores))

    def add_many(store: TokenStore) -> list[str]:
        start.wait()
        return [store.add(key) for _ in range(15)]

    with concurrent.futures.ThreadPoolExecutor(len(stores)) as pool:
        issued = [token for tokens in pool.map(add_many, stores) for token in tokens]
    world["tokens"].update({f"issued{i}": token for i, token in enumerate(issued)})
    with running_service(state, **options(world)) as url:
        statuses = [post(url, key, "lint", token, {"cells": 5}).status_code for token in issued]
    assert statuses.count(401) == 0 and statuses == [400] * len(issued)  # known: the body's fault, not the token's


def test_a_body_dribbled_byte_by_byte_is_cut_off(world):
    """A client that sends its body slower than anyone types held its connection for as long as it liked."""
    key, token = world["keys"]["en"], world["tokens"]["en"]
    body = b'{"today": "2026-11-27"}'
    with running_service(world["state"], **options(world, body_timeout=0.6)) as url:
        host, port = url.removeprefix("http://").split(":")
        began = time.monotonic()
        with socket.create_connection((host, int(port)), timeout=10) as client:
            client.sendall(f"POST /v1/sheets/{key}/check HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode())
            answer = b""
            with contextlib.suppress(OSError):
                for byte in body:
                    client.sendall(bytes([byte]))
                    time.sleep(0.15)
                    client.settimeout(0.01)
                    with contextlib.suppress(TimeoutError):
                        answer += client.recv(65536)
                    if answer:
                        break
            client.settimeout(5)
            with contextlib.suppress(OSError):
                while chunk := client.recv(65536):
                    answer += chunk
        seconds = time.monotonic() - began
        still = post(url, key, "lint", token, {"cells": [{"cell": "A1", "text": "best"}]})
    head, _sep, text = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer
    assert json.loads(text)["error"] and seconds < 2  # all of it would have taken 3.5 s
    assert still.status_code == 200


def test_copy_checks_of_one_stuck_sheet_leave_threads_for_the_others(world, monkeypatch):
    """Lint took no per-sheet turn: every Check copy of a sheet Google is stuck on held a worker thread,
    and 40 of them (the pool's size) left none for any other sheet's click."""
    fake, keys, tokens = world["fake"], world["keys"], world["tokens"]
    with SlowSheet(fake.url, keys["en"], hold=5) as slow, \
            running_service(world["state"], **options(world, busy_wait=0.3)) as url:
        monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", slow.url)
        cells = {"cells": [{"cell": "A1", "text": "best"}]}
        with concurrent.futures.ThreadPoolExecutor(45) as pool:
            stuck = [pool.submit(post, url, keys["en"], "lint", tokens["en"], cells) for _ in range(45)]
            time.sleep(0.5)
            began = time.monotonic()
            other = post(url, keys["zh"], "lint", tokens["zh"], cells)
            other_seconds = time.monotonic() - began
            slow.release.set()
            statuses = [f.result().status_code for f in stuck]
    assert other.status_code == 200 and other_seconds < 3, other_seconds
    assert slow.held <= 2 and statuses.count(200) >= 1 and set(statuses) <= {200, 409}, (slow.held, statuses)


def test_a_caller_without_this_sheets_token_is_not_told_the_sheets_language(world):
    """Refusals said the sheet's language once the service had read it: to anyone, whether the key is served here."""
    key, token, other = world["keys"]["zh"], world["tokens"]["zh"], world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        assert post(url, key, "check", token, {"today": TODAY}).json()["lang"] == "zh"
        strangers = [post(url, key, "check", t, accept_language="en-GB") for t in (None, "not-a-token", other)]
        owner = post(url, key, "check", token, {"today": "27.11.2026"}, accept_language="en-GB")
    assert [a.status_code for a in strangers] == [401, 401, 403]
    assert not any(re.search("[\u4e00-\u9fff]", a.json()["error"]) for a in strangers), [a.text for a in strangers]
    assert owner.status_code == 400 and re.search("[\u4e00-\u9fff]", owner.json()["error"]), owner.text


@pytest.mark.parametrize("path_key", ["%2E%2E", "a%0Ab", "A" * 9000, "%E4%B8%AD%E6%96%87", "gsheet:1AbCdEfGhIjKlMnOpQrStUv"])
def test_a_key_that_is_no_sheet_key_is_a_short_404(world, path_key):
    """Any path segment was taken for a key and echoed in the answer: a newline, nine thousand letters."""
    token = world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        answer = requests.post(f"{url}/v1/sheets/{path_key}/check", json={}, timeout=10,
                               headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404, answer.text
    error = answer.json()["error"]
    assert "\n" not in error and len(error) < 300, error
    assert path_key not in world["log"].read_text(encoding="utf-8") or len(path_key) < 100


def test_what_needs_no_token_says_nothing_of_the_sheets(world):
    """Held already: /healthz counts sheets without naming them; other methods and paths get JSON one-liners."""
    key, token = world["keys"]["en"], world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        health = requests.get(f"{url}/healthz", timeout=10)
        head = requests.head(f"{url}/healthz", timeout=10)
        wrong = [requests.request(method, f"{url}/v1/sheets/{key}/sync", timeout=10) for method in ("GET", "OPTIONS")]
        lost = requests.post(f"{url}/v2/anything", timeout=10)
        in_query = requests.post(f"{url}/v1/sheets/{key}/check?token={token}&access_token={token}", json={}, timeout=10)
    assert health.json() == {"ok": True, "version": health.json()["version"], "sheets": 2}
    assert not any(k in health.text for k in world["keys"].values())
    assert head.status_code == 200 and head.content == b""
    assert [w.status_code for w in wrong] == [405, 405] and lost.status_code == 404
    assert all(list(a.json()) == ["error"] and "\n" not in a.json()["error"] for a in (*wrong, lost, in_query))
    assert in_query.status_code == 401  # a token in the address (kept in proxies' logs) is never taken
    # answers name people, addresses and sheets: no cache on the way may keep any of them
    assert {a.headers.get("cache-control") for a in (health, head, *wrong, lost, in_query)} == {"no-store"}


def test_a_client_that_leaves_mid_sync_lets_the_sync_finish_and_the_next_one_run(world):
    fake, key, token = world["fake"], world["keys"]["en"], world["tokens"]["en"]
    body = b'{"today": "2026-12-02"}'
    fake.before_next("spreadsheets.get", lambda _fake: time.sleep(0.5))
    with running_service(world["state"], **options(world)) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as client:
            client.sendall(f"POST /v1/sheets/{key}/sync HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            time.sleep(0.2)  # the sync is reading the sheet: hang up
        began = time.monotonic()
        after = post(url, key, "sync", token, {"today": "2026-12-02"})
    assert after.status_code == 200 and time.monotonic() - began < 5
    assert after.json()["changed_cells"] == 0  # the abandoned sync wrote it all; its lock was released


def test_a_google_failure_mid_sync_is_one_line_in_the_sheets_language(world, monkeypatch):
    fake, key, token = world["fake"], world["keys"]["zh"], world["tokens"]["zh"]
    monkeypatch.setenv("SHEETSYNC_GOOGLE_TIMEOUT", "1")
    with running_service(world["state"], **options(world)) as url:
        assert post(url, key, "check", token, {"today": TODAY}).status_code == 200  # the service learns it is zh
        fake.fail_next(1000, status=500, method_pattern="*batchUpdate*")
        try:
            failed = post(url, key, "sync", token, {"today": "2026-12-05"}, accept_language="en")
        finally:
            with fake._lock:
                fake._failures.clear()
        again = post(url, key, "sync", token, {"today": "2026-12-05"})
    assert failed.status_code == 502, failed.text
    error = failed.json()["error"]
    assert "\n" not in error and re.search("[\u4e00-\u9fff]{4}", error) and "HTTP 500" in error, error
    assert again.status_code == 200 and again.json()["written"] is True


def test_copy_sent_twice_for_one_cell_keeps_each_texts_own_findings(world):
    """Findings were looked up by cell name: the last text of a name gave its findings to every text of that name."""
    key, token = world["keys"]["en"], world["tokens"]["en"]
    cells = [{"cell": "A1", "text": "The best ever serum"}, {"cell": "A1", "text": "A gentle serum"},
             {"cell": "", "text": "Guaranteed to cure acne"}, {"cell": "", "text": "Hello"}]
    with running_service(world["state"], **options(world)) as url:
        answer = post(url, key, "lint", token, {"cells": cells})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["cell"], r["text"]) for r in results] == [(c["cell"], c["text"]) for c in cells]
    assert [bool(r["findings"]) for r in results] == [True, False, True, False], results


def test_a_path_cannot_break_a_line_of_the_access_log(world):
    """The log wrote the path's characters as they came: U+2028 and U+0085 end a line for str.splitlines and editors,
    so one request made two lines, neither of them JSON."""
    forged = '{"time":"2026-01-01T00:00:00.000+00:00","method":"POST","status":200,"token":"forged"}'
    with running_service(world["state"], **options(world)) as url:
        for separator in ("%E2%80%A8", "%C2%85", "%1E", "%0B"):
            requests.get(f"{url}/x{separator}{forged}", timeout=10)
    lines = world["log"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line)["token"] is None for line in lines), lines


def test_a_token_file_that_cannot_be_read_is_a_json_503(world):
    """Only a file that did not parse was foreseen: one that cannot be read at all (here a folder) was a plain-text 500."""
    path = world["store"].path
    path.unlink()
    path.mkdir()
    with running_service(world["state"], **options(world)) as url:
        health = requests.get(f"{url}/healthz", timeout=10)
        refused = post(url, world["keys"]["en"], "check", world["tokens"]["en"])
    assert health.status_code == refused.status_code == 503, (health.text, refused.text)
    assert health.json()["ok"] is False and "serve-tokens.json" in health.json()["error"]
    assert str(world["state"]) not in health.text + refused.text


def test_an_access_log_that_cannot_be_written_stops_the_start_not_every_request(world, tmp_path):
    """--log in a folder that does not exist: the service ran with no access log and a traceback per request."""
    from sheetsync.errors import UsageError

    with pytest.raises(UsageError, match="access log"), running_service(
        world["state"], **options(world, log=tmp_path / "no-such-folder" / "access.log")
    ):
        pass


def test_a_google_outage_is_said_before_the_menus_fetch_gives_up(world, monkeypatch):
    """Each call to Google retried for 60 s, as the command line's do: Apps Script's UrlFetchApp gives up at 60 s
    (not configurable), so the person saw a fetch timeout instead of the service's one line."""
    from sheetsync.serve.limits import GOOGLE_WAIT

    fake, key, token = world["fake"], world["keys"]["en"], world["tokens"]["en"]
    monkeypatch.delenv("SHEETSYNC_GOOGLE_TIMEOUT", raising=False)
    with running_service(world["state"], **options(world, google_wait=1.5)) as url:
        fake.fail_next(1000, status=503, method_pattern="spreadsheets.get")
        try:
            began = time.monotonic()
            failed = post(url, key, "check", token, {"today": TODAY})
            seconds = time.monotonic() - began
        finally:
            with fake._lock:
                fake._failures.clear()
    assert failed.status_code == 502 and "HTTP 503" in failed.json()["error"], failed.text
    assert seconds < 5, seconds
    assert 2 * GOOGLE_WAIT + 5 < 60  # the default: a read and a write that both give up still answer in time


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31"])
def test_a_today_no_calendar_holds_is_a_400(world, today):
    """A digest for year 1 was a 500 (a date overflow), for year 9999 a 502 blaming the sheet; a sync wrote its flags."""
    fake, key, token = world["fake"], world["keys"]["en"], world["tokens"]["en"]
    with running_service(world["state"], **options(world)) as url:
        fake.calls.clear()
        answers = [post(url, key, action, token, {"today": today}) for action in ("digest", "check", "sync")]
    assert [a.status_code for a in answers] == [400, 400, 400], [a.text for a in answers]
    assert all(today in a.json()["error"] and "\n" not in a.json()["error"] for a in answers)
    assert not fake.calls  # refused before the sheet is read


def test_a_connection_that_never_finishes_its_request_head_is_closed(world):
    """uvicorn times out only a keep-alive connection with no bytes at all: one that sent nothing yet, or sends its
    headers a byte at a time, was held open for good (slowloris: enough of them and no one else gets a socket)."""
    with running_service(world["state"], **options(world, head_timeout=0.5)) as url:
        host, port = url.removeprefix("http://").split(":")

        def closed_within(client: socket.socket, seconds: float, dribble: bytes | None = None) -> bool:
            """Whether the service closes ``client`` in time, while it sends ``dribble`` a byte every 0.1 s."""
            deadline = time.monotonic() + seconds
            client.settimeout(0.1)
            for byte in (dribble or b"").ljust(200, b"x"):
                if time.monotonic() > deadline:
                    return False
                with contextlib.suppress(TimeoutError):
                    if client.recv(65536) == b"":
                        return True
                if dribble is not None:
                    with contextlib.suppress(OSError):
                        client.sendall(bytes([byte]))
            return False

        with socket.create_connection((host, int(port))) as silent, \
                socket.create_connection((host, int(port))) as dribbler:
            dribbler.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())  # one request, answered
            dribbler.settimeout(5)
            assert dribbler.recv(65536).startswith(b"HTTP/1.1 200")
            closed = [closed_within(silent, 3), closed_within(dribbler, 3, b"POST /v1/sheets/")]
        health = requests.get(f"{url}/healthz", timeout=10)
    assert closed == [True, True] and health.status_code == 200
