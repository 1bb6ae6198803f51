"""`sheetsync digest --send` end to end: the demo workbook, a real SMTP server on localhost, the sent-record."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import pytest
from smtp_server import closed_port, smtp_server, smtp_waits  # noqa: F401  (pytest fixtures)

from sheetsync.cli import main
from sheetsync.template import build_workbook

MONDAY = "2026-11-30"


@pytest.fixture
def demo_zh(tmp_path):
    path = tmp_path / "demo.xlsx"
    build_workbook(path, lang="zh", demo=True, today=dt.date(2026, 11, 27))
    return path


def smtp_env(monkeypatch, port: int) -> None:
    monkeypatch.setenv("SHEETSYNC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SHEETSYNC_SMTP_PORT", str(port))
    monkeypatch.setenv("SHEETSYNC_SMTP_SECURITY", "none")
    monkeypatch.setenv("SHEETSYNC_SMTP_FROM", "排期助手 <digest@agency.example.com>")


def send(capsys, path, state, *extra):
    code = main(["digest", str(path), "--send", "--today", MONDAY, "--state", str(state), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def parsed(received):
    return email.message_from_bytes(received.data, policy=email.policy.default)


def test_send_delivers_each_digest_once_with_both_parts_and_the_picture(demo_zh, tmp_path, capsys, monkeypatch,
                                                                        smtp_server):  # noqa: F811
    smtp_env(monkeypatch, smtp_server.port)
    code, report = send(capsys, demo_zh, tmp_path / "state")
    assert code == 0
    assert [d["status"] for d in report["deliveries"]] == ["sent"] * 6
    handler = smtp_server.handler
    assert sorted(r for m in handler.received for r in m.rcpt_tos) == sorted(d["email"] for d in report["deliveries"])

    boss = parsed(handler.delivered_to("zhang.min@agency.example.com")[0])
    assert boss["Subject"].startswith("【") and "上线日期 2026-12-15" in boss["Subject"]
    assert boss["From"].addresses[0].display_name == "排期助手"
    assert boss["To"].addresses[0].display_name == "张敏"
    plain = boss.get_body(preferencelist=("plain",))
    html = boss.get_body(preferencelist=("html",))
    assert plain.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    assert "等你处理" in html.get_content() or "已逾期" in plain.get_content()
    images = [part for part in boss.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 2  # the timeline and the budget's burn-down (the demo has a budget)
    for image in images:
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"cid:{image['Content-ID'].strip('<>')}" in html.get_content()

    client = parsed(handler.delivered_to("liu.yang@brand.example.com")[0])
    assert not [p for p in client.walk() if p.get_content_type() == "image/png"]  # brief: no picture
    assert "客户审核" in client.get_body(preferencelist=("plain",)).get_content()  # her task T6

    # a second cron run the same day sends nothing again
    code, report = send(capsys, demo_zh, tmp_path / "state")
    assert code == 0 and [d["status"] for d in report["deliveries"]] == ["skipped"] * 6
    assert len(handler.received) == 6


def test_one_refused_recipient_fails_alone_and_is_sent_next_run(demo_zh, tmp_path, capsys, monkeypatch,
                                                                smtp_server):  # noqa: F811
    smtp_env(monkeypatch, smtp_server.port)
    smtp_server.handler.fail_permanently("li.na@agency.example.com")
    code, report = send(capsys, demo_zh, tmp_path / "state")
    assert code == 1
    failed = [d for d in report["deliveries"] if d["status"] == "failed"]
    assert [d["email"] for d in failed] == ["li.na@agency.example.com"]
    assert failed[0]["reason"].startswith("550")
    smtp_server.handler.heal()
    code, report = send(capsys, demo_zh, tmp_path / "state")
    assert code == 0
    assert {d["email"]: d["status"] for d in report["deliveries"]}["li.na@agency.example.com"] == "sent"
    assert all(len(smtp_server.handler.delivered_to(d["email"])) == 1 for d in report["deliveries"])


def test_text_output_and_missing_settings(demo_zh, tmp_path, capsys, monkeypatch, closed_port, smtp_waits):  # noqa: F811
    monkeypatch.delenv("SHEETSYNC_SMTP_HOST", raising=False)
    code = main(["digest", str(demo_zh), "--send", "--today", MONDAY, "--state", str(tmp_path / "s")])
    assert code == 2 and "SHEETSYNC_SMTP_HOST" in capsys.readouterr().err
    smtp_env(monkeypatch, closed_port)
    monkeypatch.setenv("SHEETSYNC_SMTP_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("SHEETSYNC_SMTP_USER", "digest")
    code = main(["digest", str(demo_zh), "--send", "--today", MONDAY, "--state", str(tmp_path / "s")])
    captured = capsys.readouterr()
    assert code == 1
    assert f"发送失败  张敏 <zhang.min@agency.example.com> (详细)：无法连接 127.0.0.1:{closed_port}：连接被拒绝\n" in captured.out
    assert "hunter2-secret" not in captured.out + captured.err
    assert len(smtp_waits) == 3  # the first message's retries; the rest fail with the server's reason
