"""A Chinese project manager's first day with group-chat digests (企业微信 + 钉钉), following only the README.

Each test is something 王芳 did and what she saw that the README or the product's
own messages contradict; it fails while the defect is there. Everything runs on
the Chinese demo book against the local fakes in tests/fake_chat.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import pytest
from chat_samples import zh_brief
from fake_chat.dingtalk import FakeDingTalk
from fake_chat.wecom import FakeWeCom

from sheetsync.chat.post import ChannelPost, post_all
from sheetsync.chat.secrets import Webhook
from sheetsync.digest.ledger import Ledger
from sheetsync.parse.channels import Channel

TODAY = dt.date(2026, 12, 7)
REPO = Path(__file__).resolve().parent.parent
KEY = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"


class EchoingProxy:
    """A corporate proxy in front of the robot: 302 to its login page with ?next=<the path asked for>."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(302)
                self.send_header("Location", "http://portal.example/login?next=" + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/cgi-bin/webhook/send?key={KEY}"


def test_a_proxy_that_echoes_the_webhook_path_does_not_print_the_key(tmp_path: Path) -> None:
    """README: "a redirect (a proxy or login page in the way) ... is one line saying what to fix, with the key
    masked". The reason quotes the Location, which carries the key in ?next=/cgi-bin/...?key=…; only the
    whole webhook URL is masked, so the key is printed (and logged by cron)."""
    proxy = EchoingProxy()
    try:
        message = zh_brief(platform="wecom")
        channel = Channel(row=2, name=message.channel, platform="wecom", digest="brief", cadence="daily",
                          mention_all=False, mentions=(), cell="群聊!A2")
        target = ChannelPost(channel, message, Webhook(proxy.url(), None, "SHEETSYNC_CHAT_XIANGMUQUN_URL"))
        with Ledger(tmp_path / "state" / "sent.sqlite") as ledger:
            [delivery] = post_all([target], ledger, sheet="/books/c.xlsx", day=TODAY, sleep=lambda s: None)
    finally:
        proxy.server.shutdown()
    assert delivery.status == "failed"
    assert KEY not in delivery.reason, delivery.reason


def zh_book(tmp_path: Path, *rows: tuple[object, ...]) -> Path:
    from test_chat_deliver import zh_demo

    return Path(zh_demo(tmp_path, *rows).target)


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command as she types it, in its own process (so stray log lines reach stderr as they do for her)."""
    return subprocess.run([sys.executable, "-m", "sheetsync", *args, "--today", TODAY.isoformat()],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO), **env},
                          timeout=120)


def test_a_chat_toml_others_can_read_is_refused_in_chinese_for_a_chinese_book(tmp_path: Path) -> None:
    """The chmod-600 refusal is worded in Chinese but prefixed "Error: " — the prefix's language is guessed by
    counting letters, and the chat.toml path (printed twice) has more Latin letters than the sentence has
    Chinese characters. Other errors on the same book say "错误：…"."""
    book = zh_book(tmp_path)
    config = tmp_path / "chat.toml"
    config.write_text('["项目群"]\nurl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"\n',
                      encoding="utf-8")
    config.chmod(0o644)
    done = run_cli("digest", str(book), "--chat", env={"SHEETSYNC_CHAT_CONFIG": str(config)})
    assert done.returncode == 2
    assert done.stderr.startswith("错误："), done.stderr


def test_a_failed_post_is_said_once_in_chinese_with_no_english_log_line(tmp_path: Path) -> None:
    """A refused post prints its Chinese line, then an English copy from the logger's last-resort handler:
    "chat 项目群 (wecom) part 1 not posted: …" (and that copy is not masked like the printed line)."""
    book = zh_book(tmp_path)
    with FakeWeCom() as fake:
        done = run_cli("digest", str(book), "--chat",
                       env={"SHEETSYNC_CHAT_XIANGMUQUN_URL": fake.url("wrong-key"),
                            "XDG_STATE_HOME": str(tmp_path / "state")})
    assert done.returncode == 1
    assert "发送失败" in done.stdout
    assert "not posted" not in done.stderr, done.stderr


def test_forgetting_the_dingtalk_secret_says_to_set_the_secret_not_to_fix_the_clock(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    """The README's 钉钉 row: choose 加签 and copy the SEC… secret into …_SECRET. She set only the URL. The run
    knows it sent no signature, yet tells her to set the computer's clock (请校准本机时钟); it should name
    SHEETSYNC_CHAT_KEHUQUN_SECRET, as the no-address line names the _URL variable."""
    from test_chat_deliver import zh_demo

    book = zh_demo(tmp_path, ("客户群", "钉钉", "详细", "每日", "张敏、李娜"))
    with FakeDingTalk(secret="SECabc123") as fake:
        monkeypatch.setenv("SHEETSYNC_CHAT_KEHUQUN_URL", fake.url())
        [delivery] = book.digest(today=TODAY, chat="post").deliveries
    assert delivery.status == "failed"
    assert "时钟" not in delivery.reason, delivery.reason
    assert "SHEETSYNC_CHAT_KEHUQUN_SECRET" in delivery.reason, delivery.reason


def test_a_webhook_pasted_into_a_new_column_of_the_channels_sheet_is_a_problem(tmp_path: Path) -> None:
    """README: the webhook "never goes in the workbook (a pasted one is a Problem on its cell)". The first place
    she pastes it is a column of her own, 机器人地址, beside the row: no Problem, it stays in the shared book."""
    book = zh_book(tmp_path, ("项目群", "企业微信", "简要", "每日", "所有人"))
    wb = openpyxl.load_workbook(book)
    wb["群聊"]["F1"] = "机器人地址"
    wb["群聊"]["F2"] = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
    wb.save(book)
    done = run_cli("check", str(book), env={})
    assert "群聊!F2" in done.stdout, done.stdout


def test_a_webhook_in_a_team_chat_cell_is_told_to_write_a_mobile_or_id_not_a_channel_name(tmp_path: Path) -> None:
    """The Problem on 团队!G (聊天账号) ends "再在这里填写群聊名称" — the wording for the Channels 名称 cell.
    In 聊天账号 she must write the person's mobile or user ID."""
    book = zh_book(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["团队"]["G3"] = f"https://oapi.dingtalk.com/robot/send?access_token={KEY}"
    wb.save(book)
    done = run_cli("check", str(book), env={})
    [line] = [x for x in done.stdout.splitlines() if "团队!G3" in x]
    assert "群聊名称" not in line, line


def test_a_row_whose_platform_is_not_valid_is_said_in_the_chat_run(tmp_path: Path) -> None:
    """A third row 微信群 / 微信 (not a platform): `digest --chat` posts the other two, prints nothing about it and
    exits 0; `--channel 微信群` then says there is no channel named 微信群 (现有：项目群), though the row is there."""
    book = zh_book(tmp_path, ("项目群", "企业微信", "简要", "每日", "所有人"), ("微信群", "微信", "简要", "每日", ""))
    with FakeWeCom() as fake:
        env = {"SHEETSYNC_CHAT_XIANGMUQUN_URL": fake.url(), "XDG_STATE_HOME": str(tmp_path / "state")}
        everything = run_cli("digest", str(book), "--chat", env=env)
        one = run_cli("digest", str(book), "--chat", "--channel", "微信群", env=env)
    assert "有问题  群聊!B3：“微信”不在可选项中" in everything.stdout, everything.stdout  # the row, by its cell
    assert everything.returncode == 1  # a row that cannot be posted is not "all went out"
    assert "没有名为" not in one.stderr and "群聊!B3" in one.stderr, one.stderr


@pytest.mark.parametrize("typed", ["品牌方（钉钉）"])
def test_a_chat_toml_table_named_exactly_as_the_sheet_cell_is_found(tmp_path: Path, typed: str) -> None:
    """Spaces in a Chinese channel name are ignored when matching chat.toml (["沁润客户群"] finds "沁润 客户群"),
    but a name with full-width brackets, copied from the sheet into chat.toml as typed, is not found: the run
    prints the name with half-width brackets and asks for ["品牌方(钉钉)"]."""
    book = zh_book(tmp_path, (typed, "钉钉", "简要", "每日", ""))
    with FakeDingTalk() as fake:
        config = tmp_path / "chat.toml"
        config.write_text(f'["{typed}"]\nurl = "{fake.url()}"\n', encoding="utf-8")
        config.chmod(0o600)
        done = run_cli("digest", str(book), "--chat",
                       env={"SHEETSYNC_CHAT_CONFIG": str(config), "XDG_STATE_HOME": str(tmp_path / "state")})
        assert len(fake.accepted) == 1, done.stdout


def test_dingtalks_current_expired_signature_answer_is_read_as_the_clock() -> None:
    """DingTalk now words an out-of-window timestamp "description:机器人发送签名过期;solution:签名生成时间和发送时间
    请保持在 timestampms 以内" (quoted in https://github.com/0wQ/air780e-forwarder/issues/51, 2024). It contains
    签名, so it is read as a wrong secret and she is told to copy the secret again, not to fix the clock."""
    import json

    from sheetsync import i18n
    from sheetsync.chat import dingtalk

    said = {"errcode": 310000, "errmsg": "description:机器人发送签名过期;solution:签名生成时间和发送时间请保持在 timestampms 以内;"}
    with i18n.language("zh"):
        reason = dingtalk.PLATFORM.outcome(200, {}, json.dumps(said, ensure_ascii=False).encode()).reason
    assert "时钟" in reason, reason


def test_an_email_in_the_chat_cell_is_a_problem_for_a_dingtalk_mention(tmp_path: Path) -> None:
    """README: a Mention name whose Chat cell cannot be @-ed on that platform is a Problem saying what to write.
    李娜's 聊天账号 holds her e-mail: the 钉钉 module will not @ it (atMobiles and atUserIds stay empty), yet
    `check` says 没有问题 — the check takes any non-empty cell as reachable on 钉钉 and 企业微信."""
    book = zh_book(tmp_path, ("客户群", "钉钉", "简要", "每日", "李娜"))
    wb = openpyxl.load_workbook(book)
    wb["团队"]["G3"] = "li.na@agency.example.com"
    wb.save(book)
    done = run_cli("check", str(book), env={})
    assert "群聊!E2" in done.stdout, done.stdout


def test_a_webhook_pasted_into_the_project_sheets_link_setting_is_a_problem_and_never_posted(tmp_path: Path) -> None:
    """项目!表格链接 says "本工作簿的链接"; pasting the bot's address there (a link, after all) raises no Problem, and
    every group digest then shows it as 打开表格 — the webhook published to the client's group."""
    book = zh_book(tmp_path, ("客户群", "钉钉", "简要", "每日", ""))
    hook = f"https://oapi.dingtalk.com/robot/send?access_token={KEY}"
    wb = openpyxl.load_workbook(book)
    ws = wb["项目"]
    [row] = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "表格链接"]
    ws.cell(row, 2).value = hook
    wb.save(book)
    checked = run_cli("check", str(book), env={})
    preview = tmp_path / "preview"
    run_cli("digest", str(book), "--chat", "--outbox", str(preview), env={"XDG_STATE_HOME": str(tmp_path / "s")})
    posted = "".join(p.read_text(encoding="utf-8") for p in preview.glob("*.json"))
    assert f"项目!B{row}" in checked.stdout, checked.stdout
    assert KEY not in posted
