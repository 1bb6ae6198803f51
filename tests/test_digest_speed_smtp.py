"""SMTP trouble outside sheetsync answers within 2 s: real servers on 127.0.0.1, real waits (nothing patched).

Reaching the server has smtp.CONNECT_BUDGET (1.5 s) in all, retries included: a closed port is tried four
times (waits 0.1, 0.2, 0.4 s), a server that accepts and never greets is waited for 1.5 s, not the 30 s
timeout four times over with 1 + 2 + 4 s between; a server that comes up while the retries run still gets
the digests.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from smtp_server import HOST, FaultyHandler, LocalSmtpServer, free_port

from sheetsync.cli import main
from sheetsync.digest.ledger import Ledger
from sheetsync.digest.smtp import CONNECT_BUDGET, send_all
from sheetsync.template import build_workbook

DAY = dt.date(2026, 11, 30)
TEAM = ["li.na@agency.example.com", "wang.lei@agency.example.com", "zhang.min@agency.example.com"]


def messages() -> list[tuple[str, EmailMessage]]:
    out = []
    for address in TEAM:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "digest@agency.example.com", address, "Digest"
        message["X-Sheetsync-Digest"] = "brief"
        message["Message-ID"] = f"<{address}@sheetsync.local>"
        message.set_content("On track.\n")
        out.append((address, message))
    return out


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "sent.sqlite") as opened:
        yield opened


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (a firewall's black hole, a wrong service)."""
    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen(8)
        yield silent.getsockname()[1]


def timed_send(port: int, ledger: Ledger, **options: object) -> tuple[float, list]:
    settings = LocalSmtpServer(handler=None, port=port).settings(timeout=30.0)  # type: ignore[arg-type]
    started = time.monotonic()
    deliveries = send_all(messages(), settings, ledger, sheet="book", day=DAY, **options)  # type: ignore[arg-type]
    return time.monotonic() - started, deliveries


def test_a_closed_port_is_retried_and_reported_within_two_seconds(ledger: Ledger) -> None:
    port = free_port()
    seconds, deliveries = timed_send(port, ledger)
    reason = f"cannot connect to {HOST}:{port}: connection refused"
    assert [(d.status, d.reason, d.attempts) for d in deliveries] == [
        ("failed", reason, 4), ("failed", reason, 0), ("failed", reason, 0)
    ]
    assert 0.7 <= seconds < 2.0  # the real waits 0.1 + 0.2 + 0.4 s (plus jitter), then the others at once


def test_a_server_that_never_answers_is_given_up_within_two_seconds(silent_port: int, ledger: Ledger) -> None:
    seconds, deliveries = timed_send(silent_port, ledger)
    reason = f"cannot connect to {HOST}:{silent_port}: no answer within {CONNECT_BUDGET:g} s"  # what was left
    assert [(d.status, d.reason) for d in deliveries] == [("failed", reason)] * 3
    assert CONNECT_BUDGET - 0.05 <= seconds < 2.0  # waited the budget for the greeting, not the 30 s timeout


def test_a_server_that_comes_up_during_the_retries_gets_every_digest(ledger: Ledger) -> None:
    port = free_port()
    handler = FaultyHandler()
    controller = Controller(handler, hostname=HOST, port=port)
    waits: list[float] = []

    def restarted_while_waiting(seconds: float) -> None:  # refused at first: a server restarting
        if not waits:
            controller.start()
        waits.append(seconds)
        time.sleep(seconds)

    try:
        seconds, deliveries = timed_send(port, ledger, sleep=restarted_while_waiting)
    finally:
        controller.stop()
    assert [d.status for d in deliveries] == ["sent"] * 3
    assert deliveries[0].attempts > 1  # the first attempt was refused, a retry got through
    assert sorted(r.rcpt_tos for r in handler.received) == [(a,) for a in sorted(TEAM)]
    assert seconds < 2.0


def test_the_digest_command_reports_a_silent_server_in_chinese_within_two_seconds_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], silent_port: int
) -> None:
    book = tmp_path / "演示.xlsx"
    build_workbook(book, lang="zh", demo=True, today=dt.date(2026, 11, 27))
    monkeypatch.setenv("SHEETSYNC_SMTP_HOST", HOST)
    monkeypatch.setenv("SHEETSYNC_SMTP_PORT", str(silent_port))
    monkeypatch.setenv("SHEETSYNC_SMTP_SECURITY", "none")
    monkeypatch.setenv("SHEETSYNC_SMTP_FROM", "排期助手 <digest@agency.example.com>")
    common = ["digest", str(book), "--today", "2026-11-30"]
    started = time.monotonic()
    assert main([*common, "--outbox", str(tmp_path / "out"), "--state", str(tmp_path / "s1")]) == 0
    to_outbox = time.monotonic() - started
    started = time.monotonic()
    code = main([*common, "--send", "--state", str(tmp_path / "s2")])
    sending = time.monotonic() - started
    out = capsys.readouterr().out
    assert code == 1
    assert f"无法连接 {HOST}:{silent_port}" in out and f"{CONNECT_BUDGET:g} 秒" in out
    assert sending - to_outbox < 2.0  # the same run, plus the budget spent waiting for a greeting
