"""Issue 14, item 3: every call to Google is bounded, and its failure says whether the network or the key is at fault.

Run through the CLI against the fake Google: an endpoint that accepts the
connection and never answers (SHEETSYNC_GOOGLE_TIMEOUT kept small so the test
stays quick), a port where nothing listens, and the token endpoint's own refusals.
"""

from __future__ import annotations

import json
import re

import pytest

from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)

ACCOUNT = "sheetsync-test@fake-project.iam.gserviceaccount.com"
NEW_KEY = "create a new JSON key"


@pytest.fixture
def google_env(fake_google, tmp_path, monkeypatch):
    key = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    monkeypatch.setenv("SHEETSYNC_GOOGLE_TIMEOUT", "1.5")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    return fake_google


@pytest.fixture
def book(google_env):
    return google_env.create_spreadsheet("Campaign", sheets=("Project", "Timeline"))


def check(book: str, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["check", f"gsheet:{book}", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- cannot reach Google ------------------------------------------------------------------


def test_a_sheets_endpoint_that_never_answers_gives_up_at_the_deadline(google_env, book, capsys):
    """It took 1,262 s (ten 120 s read timeouts plus the backoff); the deadline is SHEETSYNC_GOOGLE_TIMEOUT."""
    google_env.hang_next(1000, "spreadsheets.get")
    code, out, err = check(book, capsys)
    assert code == 2 and out == ""
    assert re.fullmatch(
        rf"Error: gsheet:{book}: Google could not be reached in time: no answer from 127\.0\.0\.1 within \d+ s; "
        r"check the network connection and any proxy \(HTTPS_PROXY\), then try again \(or allow more seconds with "
        r"SHEETSYNC_GOOGLE_TIMEOUT\)\.\n",
        err,
    ), err
    assert len(google_env.calls_to("spreadsheets.get")) == 1  # the one attempt used the whole deadline


def test_a_sign_in_endpoint_that_never_answers_gives_up_at_the_deadline(google_env, book, capsys):
    google_env.hang_next(1000, "oauth2.token")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert err.startswith(f"Error: gsheet:{book}: Google could not be reached in time: no answer from 127.0.0.1 ")
    assert NEW_KEY not in err and google_env.calls == []


def test_a_closed_port_is_a_network_failure_in_words_not_a_python_type(google_env, book, monkeypatch, capsys):
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", google_env.closed_url)
    code, _out, err = check(book, capsys)
    assert code == 2
    assert re.fullmatch(
        rf"Error: gsheet:{book}: cannot reach Google at 127\.0\.0\.1 \(connection refused\); "
        r"check the network connection and any proxy \(HTTPS_PROXY\), then try again\.\n",
        err,
    ), err
    assert "refused the service-account key" not in err and "Error(" not in err


def test_a_chinese_terminal_is_told_in_chinese_that_google_did_not_answer(google_env, book, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    google_env.hang_next(1000, "spreadsheets.get")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert re.fullmatch(
        rf"错误：gsheet:{book}：无法及时连上 Google：127\.0\.0\.1 在 \d+ 秒内没有应答；请检查网络连接和代理（HTTPS_PROXY）后再试"
        r"（或用 SHEETSYNC_GOOGLE_TIMEOUT 放宽秒数）。\n",
        err,
    ), err


def test_a_closed_port_in_chinese(google_env, book, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", google_env.closed_url)
    code, _out, err = check(book, capsys)
    assert code == 2
    assert err == f"错误：gsheet:{book}：无法连接 Google（127.0.0.1）：连接被拒绝；请检查网络连接和代理（HTTPS_PROXY）后再试。\n"


def test_the_deadline_must_be_a_number_of_seconds(google_env, book, monkeypatch, capsys):
    monkeypatch.setenv("SHEETSYNC_GOOGLE_TIMEOUT", "a minute")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert err == (
        "Error: SHEETSYNC_GOOGLE_TIMEOUT=a minute is not a number of seconds; write e.g. SHEETSYNC_GOOGLE_TIMEOUT=60 "
        "(how long one call to Google may take, retries included).\n"
    )


# --- Google refused to sign the service account in ---------------------------------------------


def test_invalid_grant_is_a_refused_key_said_in_a_sentence_not_a_python_tuple(google_env, book, tmp_path, capsys):
    google_env.refuse_tokens("invalid_grant", "Invalid grant: account not found")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert err == (
        f"Error: gsheet:{book}: Google refused the service-account key in {tmp_path / 'sa.json'} ({ACCOUNT}): "
        "Invalid grant: account not found (invalid_grant); create a new JSON key for the service account and "
        "point GOOGLE_APPLICATION_CREDENTIALS (or --credentials) at it.\n"
    )


def test_invalid_client_is_a_refused_key_too(google_env, book, capsys):
    google_env.refuse_tokens("invalid_client", "The OAuth client was not found.")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert ": The OAuth client was not found (invalid_client); create a new JSON key " in err


def test_a_wrong_clock_is_not_blamed_on_the_key(google_env, book, capsys):
    google_env.refuse_tokens(
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat "
        "and exp values in the JWT claim.",
    )
    code, _out, err = check(book, capsys)
    assert code == 2 and NEW_KEY not in err
    assert f"Google refused to sign {ACCOUNT} in because this computer's clock is wrong (" in err
    assert err.endswith("set the date and time right (automatic time, NTP) and try again.\n")


def test_other_token_refusals_do_not_advise_a_new_key(google_env, book, capsys):
    google_env.refuse_tokens("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert err == (
        f"Error: gsheet:{book}: Google's sign-in endpoint gave {ACCOUNT} no token: Invalid OAuth scope or ID token "
        "audience provided (invalid_scope); try again in a few minutes.\n"
    )


def test_a_refused_key_in_chinese(google_env, book, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    google_env.refuse_tokens("invalid_grant", "Invalid JWT Signature.")
    code, _out, err = check(book, capsys)
    assert code == 2
    assert "Google 拒绝了服务账号密钥" in err and "Invalid JWT Signature (invalid_grant)" in err
    assert "('" not in err


# --- --json: the error is JSON on stdout as well ------------------------------------------------


def test_with_json_a_google_error_is_a_json_object_on_stdout_and_a_line_on_stderr(google_env, book, capsys):
    google_env.refuse_tokens()
    code, out, err = check(book, capsys, "--json")
    assert code == 2
    error = json.loads(out)
    assert error == {"error": err.removeprefix("Error: ").rstrip("\n"), "exit": 2}
    assert error["error"].startswith(f"gsheet:{book}: Google refused the service-account key")
