"""Who may call the service and how much: tokens, sizes, rates, one run per sheet, and no secret ever shown.

Every test runs the real service (uvicorn on 127.0.0.1) against the fake Google, and every
answer and access-log line they produce is scanned for the tokens and the key's private part.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import os
import re
import threading
import time

import pytest
import requests
from fake_google import FakeGoogle
from serve_server import post, running_service

from sheetsync.cli import main
from sheetsync.serve import TokenStore
from sheetsync.serve.tokens import token_digest

TODAY = "2026-11-27"


class Seen:
    """Every answer (status line, headers, body) a test got, for the secret scan."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, answer: requests.Response) -> requests.Response:
        with self._lock:
            self.texts.append(f"{answer.status_code} {dict(answer.headers)}\n{answer.text}")
        return answer


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    """One fake Google with two demo sheets for the module: (fake, keys, key file)."""
    folder = tmp_path_factory.mktemp("google")
    with FakeGoogle() as fake, pytest.MonkeyPatch.context() as env:  # `environment` sets it again for each test
        key_file = fake.service_account_file(folder / "sa.json")
        env.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake.url)
        env.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        env.setenv("SHEETSYNC_STATE_DIR", str(folder / "user-state"))
        keys = []
        for title in ("Serum launch", "Lipstick launch"):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert main(["init", "--gsheet", title, "--demo", "--today", TODAY]) == 0
            keys.append(re.search(r"/spreadsheets/d/([A-Za-z0-9_-]+)", out.getvalue()).group(1))
        environment = {name: os.environ[name] for name in ENVIRONMENT}
        yield fake, keys, key_file, environment


ENVIRONMENT = ("SHEETSYNC_SHEETS_ENDPOINT", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETSYNC_STATE_DIR")


@pytest.fixture
def world(sheets, tmp_path, monkeypatch):
    """A token for each sheet in a fresh state folder, and a secret scan of everything seen at the end."""
    fake, keys, key_file, environment = sheets
    for name, value in environment.items():  # another module's fixture, torn down late, may have undone it
        monkeypatch.setenv(name, value)
    store = TokenStore(tmp_path / "state")
    world = {
        "fake": fake, "state": tmp_path / "state", "log": tmp_path / "access.log", "keys": keys,
        "tokens": [store.add(keys[0]), store.add(keys[1])], "seen": Seen(), "store": store,
    }
    yield world
    secrets = [*world["tokens"], *world.get("revoked", [])]
    private = json.loads(key_file.read_text())["private_key"]
    body_lines = [line for line in private.splitlines() if line and "-----" not in line]
    scanned = world["seen"].texts + world["log"].read_text(encoding="utf-8").splitlines()
    assert scanned
    for text in scanned:
        assert not any(secret in text for secret in secrets), text
        assert "Bearer" not in text and "PRIVATE KEY" not in text and not any(b in text for b in body_lines), text
    for line in world["log"].read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert set(record) == {"time", "method", "path", "status", "ms", "token", "sheet", "client"}


def test_only_the_sheets_own_token_opens_it(world):
    (key, other), (token, other_token), seen = world["keys"], world["tokens"], world["seen"]
    with running_service(world["state"], log=world["log"]) as url:
        none = seen(post(url, key, "check", None))
        basic = seen(post(url, key, "check", None, authorization="Basic dXNlcjpwYXNz"))
        wrong = seen(post(url, key, "check", token[:-2] + "xx"))
        others = seen(post(url, key, "check", other_token))
        own = seen(post(url, key, "check", token, {"today": TODAY}))

        revoked = world["store"].add(key)
        world["revoked"] = [revoked]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["serve", "token", "revoke", key, "--state", str(world["state"])]) == 0
        assert out.getvalue() == f"Revoked 2 tokens of sheet {key}.\n"
        after_revoke = [seen(post(url, key, "check", t)) for t in (token, revoked)]
        still = seen(post(url, other, "check", other_token, {"today": TODAY}))
    assert [a.status_code for a in (none, basic, wrong, others, own)] == [401, 401, 401, 403, 200]
    assert none.json() == {"error": (
        "This request carries no token: in the sheetsync menu's Settings, paste the token the administrator issued "
        "for this sheet (sheetsync serve token add KEY)."
    )}
    assert wrong.json()["error"] == (
        f"This token is not valid (mistyped or revoked); ask the administrator for a new one: "
        f"sheetsync serve token add {key}"
    )
    assert others.json()["error"] == (
        f"This token belongs to another sheet; ask the administrator for this sheet's own: "
        f"sheetsync serve token add {key}"
    )
    assert [a.status_code for a in after_revoke] == [401, 401] and still.status_code == 200
    logged = [json.loads(line) for line in world["log"].read_text().splitlines()]
    assert [(r["status"], r["token"]) for r in logged[:5]] == [  # the token's short id, never the token
        (401, None), (401, None), (401, None), (403, token_digest(other_token)[:8]), (200, token_digest(token)[:8]),
    ]
    assert all(r["sheet"] == key and r["client"] == "127.0.0.1" for r in logged[:5])


def test_an_oversized_body_is_refused_before_it_is_read(world):
    key, token, seen = world["keys"][0], world["tokens"][0], world["seen"]
    big = {"cells": [{"cell": f"Reviews!H{i}", "text": "x" * 1000} for i in range(20)]}  # ~21 KB
    with running_service(world["state"], log=world["log"], max_body=16 * 1024) as url:
        declared = seen(post(url, key, "lint", token, big))
        chunked = seen(requests.post(  # no Content-Length to trust: the bytes are counted as they arrive
            f"{url}/v1/sheets/{key}/lint", data=(json.dumps(big)[i:i + 4096].encode() for i in range(0, 22000, 4096)),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, timeout=30,
        ))
        world["fake"].calls.clear()
        small = seen(post(url, key, "lint", token, {"cells": big["cells"][:2]}))
    assert declared.status_code == chunked.status_code == 413
    assert declared.json() == {"error": "The request is larger than 16 KiB; send fewer cells at a time."}
    assert small.status_code == 200 and len(small.json()["results"]) == 2


def test_a_request_storm_from_one_token_is_rate_limited_and_slows_no_other(world):
    (key, other), (token, other_token), seen = world["keys"], world["tokens"], world["seen"]
    with running_service(world["state"], log=world["log"], rate=6, burst=2) as url:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            storm = [pool.submit(post, url, key, "lint", token, {"cells": [{"cell": "A1", "text": "best"}]})
                     for _ in range(30)]
            time.sleep(0.05)
            began = time.monotonic()
            calm = seen(post(url, other, "lint", other_token, {"cells": [{"cell": "A1", "text": "best"}]}))
            calm_seconds = time.monotonic() - began
            answers = [seen(f.result()) for f in storm]
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) == 2 and statuses.count(429) == 28
    refused = next(a for a in answers if a.status_code == 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert refused.json() == {"error": f"Too many requests with this sheet's token; try again in "
                                       f"{refused.headers['Retry-After']} s."}
    assert calm.status_code == 200 and calm_seconds < 5


def test_two_syncs_of_one_sheet_take_turns(world):
    fake, key, token, seen = world["fake"], world["keys"][0], world["tokens"][0], world["seen"]

    def slow_read(_fake) -> None:  # the first sync's read takes a while: the second arrives meanwhile
        time.sleep(0.6)

    later = "2026-12-03"
    with running_service(world["state"], log=world["log"]) as url:
        fake.calls.clear()
        fake.before_next("spreadsheets.get", slow_read)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            first = pool.submit(post, url, key, "sync", token, {"today": later})
            time.sleep(0.2)
            second = pool.submit(post, url, key, "sync", token, {"today": later})
            answers = [seen(first.result()), seen(second.result())]
    assert [a.status_code for a in answers] == [200, 200]
    one, two = (a.json() for a in answers)
    assert one["written"] is True and one["changed_cells"] > 0
    assert two["written"] is False and two["changed_cells"] == 0  # it read what the first wrote: nothing left to do
    names = [c.name for c in fake.calls]
    writes = [i for i, name in enumerate(names) if "batchUpdate" in name]
    assert names[0] == names[-1] == "spreadsheets.get" and writes  # the second read comes after the first's write
    assert max(writes) < max(i for i, name in enumerate(names) if name == "spreadsheets.get")
    log = fake.values(key, "Log!A1:F20")
    assert sum(1 for row in log if "api" in row) == 1  # one Log row for the one sync that wrote

    with running_service(world["state"], log=world["log"], busy_wait=0.05) as url:
        fake.before_next("spreadsheets.get", slow_read)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            first = pool.submit(post, url, key, "check", token)
            time.sleep(0.2)
            busy = seen(post(url, key, "sync", token))
            first_answer = seen(first.result())
    assert first_answer.status_code == 200 and busy.status_code == 409
    assert busy.json() == {"error": "This sheet is busy: another sync, check or digest of it did not finish within "
                                    "0.05 s; try again in a moment."}


def test_another_sheets_sync_does_not_wait_for_a_busy_one(world, monkeypatch):
    """The per-sheet lock is per sheet: one sheet stuck on Google holds up nobody else's click."""
    fake, (key, other), (token, other_token), seen = world["fake"], world["keys"], world["tokens"], world["seen"]
    monkeypatch.setenv("SHEETSYNC_GOOGLE_TIMEOUT", "5")  # the stuck read gives up after 5 s
    with running_service(world["state"], log=world["log"]) as url:
        fake.hang_next(1, "spreadsheets.get")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            stuck = pool.submit(post, url, key, "check", token, {"today": TODAY})
            time.sleep(0.3)
            began = time.monotonic()
            quick = seen(post(url, other, "check", other_token, {"today": TODAY}))
            quick_s = time.monotonic() - began
            still_stuck = not stuck.done()
            gave_up = seen(stuck.result())
    assert quick.status_code == 200 and quick_s < 4 and still_stuck  # a check takes ~0.5 s; 4 s: a busy machine
    assert gave_up.status_code == 502 and "\n" not in gave_up.json()["error"], gave_up.json()
    assert "5 s" in gave_up.json()["error"] or "timed out" in gave_up.json()["error"], gave_up.json()
