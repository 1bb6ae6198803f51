"""A Chinese book's delivery report is Chinese: refused recipients, a server that cannot be reached, bad settings.

Reasons are made while the digests of the book are sent, so they follow the
book's language; the SMTP settings are read before any book is, so their errors
follow the terminal's (LANG). English books and terminals stay English (the
exact English lines are in test_digest_deliver.py and test_digest_send.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from smtp_server import HOST, closed_port, smtp_server, smtp_waits  # noqa: F401  (pytest fixtures)

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.digest.ledger import Ledger
from sheetsync.digest.smtp import SmtpSettings, send_all
from sheetsync.errors import SheetsyncError, UsageError
from sheetsync.template import build_workbook

ROOT = Path(sheetsync.__file__).resolve().parents[1]
MONDAY = "2026-11-30"
# An English word may be an env-var name, a security mode (a value to type), a protocol or the product's name.
ALLOWED = {"sheetsync", "ssl", "starttls", "none", "TLS", "STARTTLS", "AUTH", "PLAIN", "LOGIN", "ASCII", "JSON"}
# Addresses, env-var names, host names (smtp.example.com, 127.0.0.1:25) and a value typed, quoted back “so”.
ADDRESS = re.compile(r"\S+@[\w.-]+|\bSHEETSYNC_[A-Z_]+|\w[\w-]*(\.[\w-]+)+(:\d+)?|“[^”]*”")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
BASE_ENV = {"SHEETSYNC_SMTP_HOST": "smtp.example.com", "SHEETSYNC_SMTP_FROM": "digest@agency.example.com"}


def english_words(text: str) -> set[str]:
    """Latin words that are neither an address, an env-var name, a host nor an allowed code."""
    return {w for w in WORD.findall(ADDRESS.sub(" ", text)) if w not in ALLOWED}


@pytest.fixture
def demo_zh(tmp_path: Path) -> Path:
    path = tmp_path / "演示.xlsx"
    build_workbook(path, lang="zh", demo=True, today=dt.date(2026, 11, 27))
    return path


def send_env(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("SHEETSYNC_SMTP_HOST", HOST)
    monkeypatch.setenv("SHEETSYNC_SMTP_PORT", str(port))
    monkeypatch.setenv("SHEETSYNC_SMTP_SECURITY", "none")
    monkeypatch.setenv("SHEETSYNC_SMTP_FROM", "排期助手 <digest@agency.example.com>")


def test_a_refused_recipient_is_reported_in_chinese(demo_zh, tmp_path, capsys, monkeypatch, smtp_server):  # noqa: F811
    send_env(monkeypatch, smtp_server.port)
    smtp_server.handler.fail_permanently("li.na@agency.example.com")
    code = main(["digest", str(demo_zh), "--send", "--today", MONDAY, "--state", str(tmp_path / "state")])
    out = capsys.readouterr().out
    assert code == 1
    line = next(line for line in out.splitlines() if "li.na@" in line)
    assert line == "发送失败  李娜 <li.na@agency.example.com> (简要)：550 5.1.1 mailbox unavailable（永久性错误）"
    # The server's own words are quoted as it said them; everything sheetsync says around them is Chinese.
    assert english_words(out.replace("mailbox unavailable", "")) == set()
    assert len(smtp_server.handler.received) == 5


def test_a_closed_port_is_reported_in_chinese_and_the_password_never_shows(
    demo_zh, tmp_path, capsys, monkeypatch, closed_port, smtp_waits  # noqa: F811
):
    send_env(monkeypatch, closed_port)
    monkeypatch.setenv("SHEETSYNC_SMTP_USER", "digest")
    monkeypatch.setenv("SHEETSYNC_SMTP_PASSWORD", "hunter2-secret")
    code = main(["digest", str(demo_zh), "--send", "--today", MONDAY, "--state", str(tmp_path / "state")])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.out.splitlines()
    assert f"发送失败  赵静 <zhao.jing@agency.example.com> (简要)：无法连接 {HOST}:{closed_port}：连接被拒绝" in lines
    assert english_words(captured.out + captured.err) == set()
    assert "hunter2-secret" not in captured.out + captured.err
    assert len(smtp_waits) == 3  # the first message's retries; the rest fail with the server's reason


def test_smtp_replies_and_login_refusals_follow_the_active_language(tmp_path, smtp_server):  # noqa: F811
    message = EmailMessage()
    message["Subject"], message["X-Sheetsync-Digest"] = "摘要", "brief"
    message.set_content("正文")
    smtp_server.handler.fail_permanently("li.na@agency.example.com")
    settings = smtp_server.settings()
    with i18n.language("zh"), Ledger(tmp_path / "sent.sqlite") as ledger:
        refused = send_all([("li.na@agency.example.com", message)], settings, ledger, sheet="p", day=dt.date.today())
        login = send_all(
            [("wang.lei@agency.example.com", message)],
            smtp_server.settings(user="digest", password="hunter2-secret"),  # the server offers no login
            ledger,
            sheet="p",
            day=dt.date.today(),
        )
    assert refused[0].reason == "550 5.1.1 mailbox unavailable（永久性错误）"
    assert login[0].reason == (
        f"{HOST}:{smtp_server.port} 不提供登录（AUTH）；大多数服务器只在 TLS 连接上提供登录："
        "请设置 SHEETSYNC_SMTP_SECURITY=starttls 或 ssl"
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"SHEETSYNC_SMTP_HOST": ""},
        {"SHEETSYNC_SMTP_FROM": ""},
        {"SHEETSYNC_SMTP_FROM": "digest"},
        {"SHEETSYNC_SMTP_PORT": "587a"},
        {"SHEETSYNC_SMTP_SECURITY": "tls"},
        {"SHEETSYNC_SMTP_USER": "digest"},
        {"SHEETSYNC_SMTP_PASSWORD": "hunter2-secret"},
    ],
)
def test_every_settings_error_reads_in_chinese(changes: dict[str, str]) -> None:
    with i18n.language("zh"), pytest.raises(UsageError) as caught:
        SmtpSettings.from_env({**BASE_ENV, **changes})
    said = str(caught.value)
    assert re.search(r"[\u4e00-\u9fff]", said), said
    assert english_words(said) == set(), said
    assert "hunter2-secret" not in said


def sheetsync_cli(*args: str, cwd: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHEETSYNC_SMTP_")}
    env.update(LANG=lang, LC_ALL="", LC_MESSAGES="", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "sheetsync", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_a_missing_smtp_host_is_told_in_the_terminals_language(demo_zh):
    args = ("digest", demo_zh.name, "--send", "--today", MONDAY)
    chinese = sheetsync_cli(*args, cwd=demo_zh.parent, lang="zh_CN.UTF-8")
    assert chinese.returncode == 2
    assert chinese.stderr.endswith(
        "未设置 SHEETSYNC_SMTP_HOST：请设为邮件服务器的主机名，例如 SHEETSYNC_SMTP_HOST=smtp.example.com。\n"
    )
    assert english_words(chinese.stderr) == set()

    english = sheetsync_cli(*args, cwd=demo_zh.parent, lang="en_GB.UTF-8")
    assert english.returncode == 2
    assert english.stderr.endswith(
        "SHEETSYNC_SMTP_HOST is not set; set it to your mail server's name, e.g. SHEETSYNC_SMTP_HOST=smtp.example.com.\n"
    )


def test_a_broken_sent_record_is_reported_in_the_books_language(demo_zh, tmp_path, capsys):
    state = tmp_path / "state"
    state.mkdir()
    (state / "sent.sqlite").write_text("not a database")
    code = main(["digest", str(demo_zh), "--today", MONDAY, "--state", str(state), "--outbox", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "sent.sqlite：无法打开摘要发送记录（file is not a database）；请检查文件夹是否可写" in err
    with pytest.raises(SheetsyncError, match="cannot open the digest ledger"):
        Ledger(state / "sent.sqlite")  # outside a book: the terminal's language (English here)
