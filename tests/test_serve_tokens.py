"""`sheetsync serve token add|revoke|list` and TokenStore: shown once, stored hashed (mode 600), never listed."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sheetsync.cli import main
from sheetsync.serve import TokenStore

REPO = Path(__file__).resolve().parents[1]
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
OTHER = "1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210"


def sheetsync(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sheetsync", *argv], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_add_prints_the_token_alone_and_stores_only_its_digest(tmp_path):
    done = sheetsync("serve", "token", "add", KEY, "--state", str(tmp_path))
    assert done.returncode == 0, done.stderr
    token = done.stdout.removesuffix("\n")
    assert "\n" not in token and len(token) == 43 and done.stderr == ""  # 32 bytes, URL-safe base64

    stored = tmp_path / "serve-tokens.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    text = stored.read_text()
    assert token not in text
    digest = hashlib.sha256(token.encode()).hexdigest()
    [record] = json.loads(text)["tokens"]
    assert record["key"] == KEY and record["sha256"] == digest and record["id"] == digest[:8]
    assert TokenStore(tmp_path).verify(token).key == KEY
    assert TokenStore(tmp_path).verify(token[:-1]) is None


def test_list_shows_sheet_id_and_time_never_the_token(tmp_path):
    store = TokenStore(tmp_path)
    tokens = [store.add(KEY), store.add(f"https://docs.google.com/spreadsheets/d/{OTHER}/edit#gid=0")]
    done = sheetsync("serve", "token", "list", "--state", str(tmp_path))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        [KEY, hashlib.sha256(tokens[0].encode()).hexdigest()[:8]],
        [OTHER, hashlib.sha256(tokens[1].encode()).hexdigest()[:8]],
    ]
    assert all(token not in done.stdout + done.stderr for token in tokens)
    assert "sha256" not in done.stdout and hashlib.sha256(tokens[0].encode()).hexdigest() not in done.stdout


def test_revoke_removes_every_token_of_the_sheet_and_says_how_many(tmp_path, capsys):
    store = TokenStore(tmp_path)
    mine = [store.add(KEY), store.add(KEY)]
    other = store.add(OTHER)
    assert main(["serve", "token", "revoke", KEY, "--state", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"Revoked 2 tokens of sheet {KEY}.\n"
    assert [store.verify(t) for t in mine] == [None, None] and store.verify(other).key == OTHER
    assert main(["serve", "token", "revoke", KEY, "--state", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"Sheet {KEY} had no token; nothing revoked.\n"
    assert stat.S_IMODE((tmp_path / "serve-tokens.json").stat().st_mode) == 0o600


def test_the_default_state_folder_is_the_digest_ledgers(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHEETSYNC_STATE_DIR", str(tmp_path / "state"))
    assert main(["serve", "token", "add", KEY]) == 0
    token = capsys.readouterr().out.strip()
    assert TokenStore(tmp_path / "state").verify(token).key == KEY


def test_a_running_service_sees_a_token_added_or_revoked_by_another_process(tmp_path):
    service_side = TokenStore(tmp_path)
    assert service_side.verify("anything") is None  # read (empty) before the token exists
    token = sheetsync("serve", "token", "add", KEY, "--state", str(tmp_path)).stdout.strip()
    assert service_side.verify(token).key == KEY
    sheetsync("serve", "token", "revoke", KEY, "--state", str(tmp_path))
    assert service_side.verify(token) is None


@pytest.mark.parametrize("key", ["", "not a key", "https://example.com/d/short"])
def test_add_refuses_what_is_not_a_sheet_key(tmp_path, key):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["serve", "token", "add", key, "--state", str(tmp_path)]) == 2
    assert out.getvalue() == "" and err.getvalue().startswith("Error: ") and "is not a Google Sheet" in err.getvalue()
    assert not (tmp_path / "serve-tokens.json").exists()
