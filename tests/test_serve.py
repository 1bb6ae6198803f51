"""`sheetsync serve` run for real (uvicorn on 127.0.0.1) against the fake Google: what each endpoint answers and writes.

A sync through the service must be the command line's sync: the same calls to Google
with the same bodies, the same cells afterwards, and the same JSON as `sync --json`.
"""

from __future__ import annotations

import contextlib
import copy
import html
import io
import json
import os
import re
from pathlib import Path

import pytest
import requests
from fake_google import FakeGoogle
from serve_server import post, running_service

from sheetsync.cli import main
from sheetsync.serve import TokenStore

TODAY = "2026-11-27"
LATER = "2026-12-03"  # flags move on: a sync writes
LOG_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d")


@pytest.fixture(scope="module")
def google_env(tmp_path_factory):
    """One fake Google for the module (its demo sheets are made once: each takes a second)."""
    folder = tmp_path_factory.mktemp("google")
    with FakeGoogle() as fake, pytest.MonkeyPatch.context() as env:  # `environment` sets it again for each test
        env.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake.url)
        env.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(fake.service_account_file(folder / "sa.json")))
        env.setenv("SHEETSYNC_STARTED_BY", "api")  # the CLI's Log row says "api", as the service's does
        env.setenv("SHEETSYNC_STATE_DIR", str(folder / "user-state"))
        fake.environment = {name: os.environ[name] for name in ENVIRONMENT}
        yield fake


ENVIRONMENT = ("SHEETSYNC_SHEETS_ENDPOINT", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETSYNC_STARTED_BY",
               "SHEETSYNC_STATE_DIR")


@pytest.fixture(autouse=True)
def environment(google_env, monkeypatch):
    """The module's environment for each test (another module's fixture, torn down late, may have undone it)."""
    for name, value in google_env.environment.items():
        monkeypatch.setenv(name, value)


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(argv))
    return code, out.getvalue()


def demo_sheet(lang: str = "en") -> str:
    code, out = cli("init", "--gsheet", "Serum launch", "--demo", "--today", TODAY, "--lang", lang)
    assert code == 0, out
    return re.search(r"/spreadsheets/d/([A-Za-z0-9_-]+)", out).group(1)


def tabs(fake, key: str) -> dict[str, list[list[object]]]:
    book = fake.spreadsheet(key)
    return {title: fake.values(key, f"'{title}'!A1:Z200") for title in [s.title for s in book.sheets]}


def calls(fake) -> list[tuple[str | None, str]]:
    """Every API call as (method name, body), the Log row's wall-clock time blanked."""
    return [(c.name, LOG_TIME.sub("TIME", json.dumps(c.body, sort_keys=True))) for c in fake.calls]


@pytest.fixture(scope="module")
def en_demo(google_env) -> str:
    return demo_sheet("en")


@pytest.fixture
def en_sheet(en_demo, tmp_path):
    return en_demo, TokenStore(tmp_path / "state").add(en_demo)


def test_health_check_needs_no_token(google_env, tmp_path, en_sheet):
    with running_service(tmp_path / "state") as url:
        answer = requests.get(f"{url}/healthz", timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "version": "0.1.0", "sheets": 1}


def test_a_sync_through_the_service_is_the_command_lines_sync(google_env, tmp_path, en_sheet):
    """Same calls with the same bodies, same cells afterwards, same JSON as `sync gsheet:KEY --json`."""
    fake, (key, token) = google_env, en_sheet
    before = copy.deepcopy(fake.spreadsheet(key))

    fake.calls.clear()
    code, out = cli("sync", f"gsheet:{key}", "--today", LATER, "--json")
    by_cli, cli_calls, cli_cells = json.loads(out), calls(fake), tabs(fake, key)
    assert code == 0 and by_cli["written"] is True and by_cli["changed_cells"] > 0

    with fake._lock:  # the sheet as it was before the command line's sync
        fake._books[key] = before
    with running_service(tmp_path / "state") as url:
        fake.calls.clear()
        answer = post(url, key, "sync", token, {"today": LATER})
        service_calls, service_cells = calls(fake), tabs(fake, key)
    assert answer.status_code == 200, answer.text
    assert answer.json() == by_cli
    assert answer.headers["cache-control"] == "no-store"
    assert service_calls == cli_calls  # the same requests in the same order, bodies and all
    assert cli_calls[0][0] == "spreadsheets.get" and any("batchUpdate" in name for name, _ in cli_calls)
    assert {t: [[LOG_TIME.sub("TIME", str(v)) for v in row] for row in rows] for t, rows in service_cells.items()} == {
        t: [[LOG_TIME.sub("TIME", str(v)) for v in row] for row in rows] for t, rows in cli_cells.items()
    }


def test_check_and_dry_run_write_nothing_and_answer_as_the_command_line(google_env, tmp_path, en_sheet):
    fake, (key, token) = google_env, en_sheet
    later = "2026-12-10"  # a day no other test syncs at: the dry run has changes to show
    _, out = cli("check", f"gsheet:{key}", "--today", later, "--json")
    by_cli = json.loads(out)
    with running_service(tmp_path / "state") as url:
        fake.calls.clear()
        checked = post(url, key, "check", token, {"today": later})
        dry = post(url, key, "sync", token, {"today": later, "dry_run": True})
    assert [c.name for c in fake.calls] == ["spreadsheets.get", "spreadsheets.get"]
    assert checked.status_code == 200 and checked.json() == by_cli and by_cli["action"] == "check"
    assert dry.json()["written"] is False and dry.json()["changes"]


def test_attention_lists_the_flagged_rows_overdue_first(google_env, tmp_path, en_sheet):
    key, token = en_sheet
    with running_service(tmp_path / "state") as url:
        report = post(url, key, "sync", token, {"today": TODAY}).json()
    attention = report["attention"]
    assert attention[0] == {
        "sheet": "Timeline", "cell": "O5", "id": "T4", "what": "Internal review", "flag": "OVERDUE",
        "label": "OVERDUE", "due": "2026-11-25",
    }
    flags = [row["flag"] for row in attention]
    assert flags == sorted(flags, key=["OVERDUE", "TRIGGERED", "BLOCKED", "AT RISK", "DUE SOON"].index)
    counted = {f: sum(c.get(f, 0) for c in report["flags"].values()) for f in set(flags)}
    assert {f: flags.count(f) for f in set(flags)} == counted  # every flagged row, each once


def test_a_chinese_sheet_answers_in_chinese(google_env, tmp_path):
    key = demo_sheet("zh")
    token = TokenStore(tmp_path / "state").add(key)
    with running_service(tmp_path / "state") as url:
        report = post(url, key, "sync", token, {"today": TODAY}).json()
        preview = post(url, key, "digest", token, {"today": TODAY}).json()
    assert report["lang"] == "zh"
    overdue = [row for row in report["attention"] if row["flag"] == "OVERDUE"]
    assert [(r["sheet"], r["cell"], r["id"], r["label"]) for r in overdue] == [
        ("时间表", "O5", "T4", "已逾期"), ("审核", "K6", None, "已逾期"), ("反馈", "J4", None, "已逾期"),
    ]
    at_risk = [row for row in report["attention"] if row["flag"] == "AT RISK"]
    assert [r["id"] for r in at_risk] == ["T5", "T6", "T7", "T8", "T9"] and {r["label"] for r in at_risk} == {"有风险"}
    assert preview["lang"] == "zh" and preview["digests"]
    assert all('lang="zh' in d["html"] and re.search("[\u4e00-\u9fff]", d["subject"]) for d in preview["digests"])

    with running_service(tmp_path / "state") as url:
        post(url, key, "check", token, {"today": TODAY})  # a new service learns the sheet's language
        google_env.deny(spreadsheet_id=key)  # then the sheet is no longer shared: Google's refusal, in Chinese
        refused = post(url, key, "sync", token, {"today": TODAY}, accept_language="en-US")
    assert refused.status_code == 502
    assert re.search("[\u4e00-\u9fff]{4}", refused.json()["error"]), refused.json()


def test_digest_preview_gives_each_persons_html_and_sends_nothing(google_env, tmp_path, en_sheet):
    fake, (key, token) = google_env, en_sheet
    state = tmp_path / "state"
    with running_service(state) as url:
        fake.calls.clear()
        answer = post(url, key, "digest", token, {"today": "2026-11-30"})
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["lang"] == "en" and len(preview["digests"]) == 6  # as `sheetsync digest` writes six .eml files
    kinds = {d["kind"] for d in preview["digests"]}
    assert kinds == {"brief", "detailed"}
    for digest in preview["digests"]:
        assert set(digest) == {"person", "address", "kind", "subject", "html"}
        assert digest["html"].startswith("<!DOCTYPE html>") and html.escape(digest["subject"]) in digest["html"]
    for digest in preview["digests"]:  # the detailed digest's timeline picture is in the page, not a cid: part
        assert ("data:image/png;base64," in digest["html"]) == (digest["kind"] == "detailed")
        assert "cid:" not in digest["html"]
    assert [c.name for c in fake.calls] == ["spreadsheets.get"]  # read only
    assert sorted(p.name for p in state.iterdir()) == ["serve-tokens.json"]  # no ledger, no outbox
    assert not list(tmp_path.glob("**/*.eml")) and not list(Path(os.environ["SHEETSYNC_STATE_DIR"]).glob("*"))


def test_a_preview_leaves_the_sent_record_as_it_was(google_env, tmp_path, en_sheet):
    """With a real digest sent before, the preview is what the next real run sends, and remembers nothing."""
    key, token = en_sheet
    state = tmp_path / "state"
    assert cli("digest", f"gsheet:{key}", "--today", "2026-11-27", "--outbox", str(tmp_path / "sent"),
               "--state", str(state))[0] == 0
    ledger = {p.name: p.read_bytes() for p in state.iterdir() if p.name.startswith("sent.sqlite")}
    assert ledger
    with running_service(state) as url:
        preview = post(url, key, "digest", token, {"today": "2026-11-30"}).json()
    assert {p.name: p.read_bytes() for p in state.iterdir() if p.name.startswith("sent.sqlite")} == ledger
    _, out = cli("digest", f"gsheet:{key}", "--today", "2026-11-30", "--outbox", str(tmp_path / "next"),
                 "--state", str(state), "--json")
    real = json.loads(out)["deliveries"]
    assert [(d["person"], d["address"], d["subject"]) for d in preview["digests"]] == [
        (d["name"], d["email"], d["subject"]) for d in real
    ]


def test_lint_given_cells_or_every_copy_cell(google_env, tmp_path, en_sheet):
    key, token = en_sheet
    _, by_cli = cli("lint-copy", "--market", "en", "--json", "The best serum, guaranteed to cure acne")
    with running_service(tmp_path / "state") as url:
        given = post(url, key, "lint", token, {"cells": [
            {"cell": "Reviews!H2", "text": "The best serum, guaranteed to cure acne"},
            {"cell": "Reviews!H3", "text": "A light serum for daily care"},
        ]}).json()
        every = post(url, key, "lint", token, {}).json()
        empty = post(url, key, "lint", token, {"cells": []}).json()
    assert given["lang"] == "en"
    assert [(r["cell"], len(r["findings"]) > 0) for r in given["results"]] == [("Reviews!H2", True), ("Reviews!H3", False)]
    assert given["results"][0]["findings"] == json.loads(by_cli)["findings"]
    assert every == empty and len(every["results"]) >= 3
    assert all(r["cell"].startswith("Reviews!H") for r in every["results"])
    assert any(r["findings"] for r in every["results"])


def test_a_sheet_that_google_refuses_is_a_502_with_the_command_lines_line(google_env, tmp_path):
    key = google_env.create_spreadsheet("Private", sheets=("Project", "Timeline"), share_with_service_account=False)
    token = TokenStore(tmp_path / "state").add(key)
    _, out = cli("sync", f"gsheet:{key}", "--json")
    with running_service(tmp_path / "state") as url:
        answer = post(url, key, "sync", token)
    assert answer.status_code == 502 and answer.json() == {"error": json.loads(out)["error"]}
    assert "share the sheet with sheetsync-test@fake-project.iam.gserviceaccount.com" in answer.json()["error"]


def test_bad_requests_are_one_line_errors(google_env, tmp_path, en_sheet):
    key, token = en_sheet
    with running_service(tmp_path / "state") as url:
        bad_today = post(url, key, "sync", token, {"today": "27/11/2026"})
        not_object = post(url, key, "sync", token, [1, 2])
        bad_cells = post(url, key, "lint", token, {"cells": ["Reviews!H2"]})
        broken = requests.post(f"{url}/v1/sheets/{key}/sync", data=b"{today", timeout=10,
                               headers={"Authorization": f"Bearer {token}"})
        unknown = post(url, key, "publish", token)
        nowhere = requests.get(f"{url}/v2/anything", timeout=10)
        wrong_method = requests.get(f"{url}/v1/sheets/{key}/sync", timeout=10)
    for answer, status in ((bad_today, 400), (not_object, 400), (bad_cells, 400), (broken, 400), (unknown, 404),
                           (nowhere, 404), (wrong_method, 405)):
        assert answer.status_code == status, (answer.status_code, answer.text)
        error = answer.json()["error"]
        assert set(answer.json()) == {"error"} and "\n" not in error and error
    assert bad_today.json()["error"] == (
        "\"today\" is '27/11/2026', not a date; write it as YYYY-MM-DD, such as 2026-11-27."
    )
    assert wrong_method.headers["Allow"] == "POST"
