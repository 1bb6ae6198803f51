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
from pathlib import Path

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
