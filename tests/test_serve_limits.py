"""The service's limits one by one (token buckets, the Google pacer, Accept-Language) and the pacer in a real run."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
import requests
from serve_server import post, running_service

from sheetsync import i18n
from sheetsync.backends.gsheets import transport
from sheetsync.cli import main
from sheetsync.serve import TokenStore, messages
from sheetsync.serve.limits import GooglePacer, RateLimiter, TokenBucket

pytest_plugins = ("fake_google.plugin",)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_token_bucket_allows_its_burst_then_its_rate():
    clock = Clock()
    bucket = TokenBucket(rate=0.5, capacity=2, clock=clock)
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 2.0]  # two at once, then one every 2 s
    clock.now += 1.0
    assert bucket.take() == pytest.approx(1.0)
    clock.now += 1.0
    assert bucket.take() == 0.0


def test_each_token_has_its_own_bucket_and_zero_means_unlimited():
    limiter = RateLimiter(per_minute=6, burst=1)
    assert limiter.retry_after("a") == 0 and limiter.retry_after("a") == 10  # 6 a minute: one every 10 s
    assert limiter.retry_after("b") == 0  # another token is not slowed by a's storm
    unlimited = RateLimiter(per_minute=0)
    assert all(unlimited.retry_after("a") == 0 for _ in range(100))


def test_the_google_pacer_spaces_calls_after_its_burst():
    clock = Clock()
    pacer = GooglePacer(per_minute=60, burst=2, sleep=clock.sleep)
    pacer._bucket.clock = clock  # the bucket reads the same fake time the pacer sleeps on
    pacer._bucket.stamp = clock.now
    for _ in range(5):
        pacer()
    assert clock.now == pytest.approx(103.0) and pacer.waited == pytest.approx(3.0)  # 2 at once, then 1 a second


@pytest.mark.parametrize(("header", "lang"), [
    (None, "en"), ("", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("zh", "zh"), ("en-US,zh;q=0.5", "en"),
    ("zh;q=0, en", "en"), ("fr-FR", "en"), ("*", "en"),
])
def test_the_callers_language_comes_from_accept_language(header, lang):
    assert messages.accepted_language(header) == lang


def test_refusals_before_the_sheet_is_read_follow_accept_language(tmp_path):
    with running_service(tmp_path, warm=False) as url:
        zh = post(url, "1AbCdEfGhIjKlMnOpQrStUvWxYz0123", "sync", None, accept_language="zh-CN,zh;q=0.9")
        en = post(url, "1AbCdEfGhIjKlMnOpQrStUvWxYz0123", "sync", None, accept_language="en-GB")
        lost = requests.get(f"{url}/v1/nowhere", headers={"Accept-Language": "zh-CN"}, timeout=10)
    with i18n.language("zh"):
        assert zh.json() == {"error": messages.no_token()}
        assert lost.json() == {"error": messages.not_found()}
    with i18n.language("en"):
        assert en.json() == {"error": messages.no_token()}


def test_the_service_paces_every_google_call_while_it_runs(fake_google, tmp_path, monkeypatch):
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(fake_google.service_account_file(tmp_path / "sa.json")))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["init", "--gsheet", "Serum launch", "--demo", "--today", "2026-11-27"]) == 0
    key = re.search(r"/spreadsheets/d/([A-Za-z0-9_-]+)", out.getvalue()).group(1)
    token = TokenStore(tmp_path / "state").add(key)
    assert transport._pace is transport._unpaced
    with running_service(tmp_path / "state", google_rate=120, google_burst=1) as url:
        pacer = transport._pace
        assert isinstance(pacer, GooglePacer) and pacer.per_minute == 120
        fake_google.calls.clear()
        answer = post(url, key, "sync", token, {"today": "2026-12-03"})
        assert answer.status_code == 200 and len(fake_google.calls) == 3
        # 3 calls, 1 at once, then one each half second: the last waits for what computing did not use of 1 s
        assert 0 < pacer.waited <= 1.0
    assert transport._pace is transport._unpaced  # the command line is never paced
