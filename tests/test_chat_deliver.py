"""`sheetsync digest --chat` end to end: the demo books posted to the local fake robots, exactly once.

Issue 15's promise is e-mail's: a re-run the same day posts nothing again, one
channel's failure never stops the others, rate limiting is waited out, and a
kill between the platform's acceptance and the record loses nothing — the next
run posts that part again, after a one-line notice that it may be a repeat
(DingTalk, which documents an idempotency key, shows it once).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import requests
from fake_chat.dingtalk import FakeDingTalk
from fake_chat.wecom import FakeWeCom

import sheetsync
from sheetsync.cli import main

TODAY = dt.date(2026, 12, 7)
REPO = Path(__file__).resolve().parent.parent
WECOM_URL, DINGTALK_URL = "SHEETSYNC_CHAT_XIANGMUQUN_URL", "SHEETSYNC_CHAT_SHENHEQUN_URL"


def zh_demo(tmp_path: Path, *channels: tuple[object, ...]) -> sheetsync.Workbook:
    book = sheetsync.create(tmp_path / "demo-zh.xlsx", lang="zh", demo=True, today=TODAY)
    if channels:
        wb = openpyxl.load_workbook(book.target)
        ws = wb["群聊"]
        for r, values in enumerate(channels, start=2):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c).value = value
        wb.save(book.target)
    return book


def digest(*args: str) -> int:
    return main(["digest", *args, "--today", TODAY.isoformat()])


def markdown(request) -> str:
    return request.json["markdown"]["content"]


@pytest.fixture
def wecom(monkeypatch):
    with FakeWeCom() as fake:
        monkeypatch.setenv(WECOM_URL, fake.url())
        yield fake


def test_the_chinese_demo_reaches_its_wecom_group_with_the_launch_line_each_persons_work_and_at_all(
    tmp_path, wecom, capsys
):
    book = zh_demo(tmp_path)
    assert digest(book.target, "--chat") == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["已发到群  #项目群（企业微信，简要）", "群聊：已发送 1 个群。"]
    [text, mention] = wecom.accepted
    content = markdown(text)
    assert content.startswith("**沁润修护精华 新品上市（小红书 / 抖音）**\n上线日期 2026-12-23：按计划进行\n")
    assert "**李娜**" in content and "T5 客户反馈与修改：截止 2026-12-07" in content
    assert "**赵静**" in content
    assert mention.json == {"msgtype": "text", "text": mention.json["text"]}
    assert mention.json["text"]["mentioned_list"] == ["@all"]
    assert not list(Path.cwd().glob("outbox/*.eml")), "--chat alone sends no e-mail"


def test_a_second_run_the_same_day_posts_nothing(tmp_path, wecom, capsys):
    book = zh_demo(tmp_path)
    assert digest(book.target, "--chat") == 0
    posted = len(wecom.requests)
    capsys.readouterr()
    assert digest(book.target, "--chat") == 0
    assert capsys.readouterr().out.splitlines() == ["已跳过  #项目群（企业微信，简要）：今天已发过", "群聊：今天已发过 1 个群。"]
    assert len(wecom.requests) == posted


def test_named_mentions_go_by_mobile_and_everyone_with_work_is_still_listed(tmp_path, wecom):
    book = zh_demo(tmp_path, ("项目群", "企业微信", "简要", "每日", "李娜、赵静"))
    assert digest(book.target, "--chat") == 0
    [text, mention] = wecom.accepted
    assert mention.json["text"]["mentioned_mobile_list"] == ["13800138002", "13800138006"]
    assert "mentioned_list" not in mention.json["text"]
    content = markdown(text)
    assert "**李娜**" in content and "**赵静**" in content and "**王磊**\n> T4 内部审核" in content


def test_a_rate_limit_storm_is_waited_out_and_each_part_posted_once(tmp_path, wecom):
    book = zh_demo(tmp_path)
    waits: list[float] = []
    wecom.fail_next(3, "rate")
    run = book.digest(today=TODAY, chat="post", chat_options={"sleep": waits.append})
    [delivery] = run.deliveries
    assert (delivery.status, delivery.attempts) == ("sent", 5)
    assert len(waits) == 3 and min(waits) >= 60.0  # WeCom's 45009 lifts after its minute
    assert len(wecom.accepted) == 2 and len(wecom.requests) == 5
    again = book.digest(today=TODAY, chat="post", chat_options={"sleep": waits.append})
    assert again.deliveries[0].status == "skipped" and len(wecom.requests) == 5


def test_a_storm_longer_than_the_retries_fails_with_the_platforms_reason_and_is_posted_next_run(tmp_path, wecom):
    book = zh_demo(tmp_path)
    wecom.fail_next(5, "rate")
    run = book.digest(today=TODAY, chat="post", chat_options={"sleep": lambda s: None})
    [delivery] = run.deliveries
    assert delivery.status == "failed" and delivery.attempts == 5
    assert delivery.reason.endswith("（已尝试 5 次，放弃）")
    assert wecom.accepted == []
    assert book.digest(today=TODAY, chat="post").deliveries[0].status == "sent"
    assert len(wecom.accepted) == 2


def test_one_channels_bad_key_never_stops_the_others(tmp_path, monkeypatch, capsys):
    book = zh_demo(tmp_path, ("项目群", "企业微信", "简要", "每日", "所有人"), ("审核群", "钉钉", "详细", "每日", "赵静"))
    with FakeWeCom() as wecom, FakeDingTalk(secret="SEC-审核") as ding:
        monkeypatch.setenv(WECOM_URL, wecom.url("wrong-key"))
        monkeypatch.setenv(DINGTALK_URL, ding.url())
        monkeypatch.setenv("SHEETSYNC_CHAT_SHENHEQUN_SECRET", "SEC-审核")
        assert digest(book.target, "--chat") == 1
        out = capsys.readouterr().out.splitlines()
        assert out[0] == (
            "发送失败  #项目群（企业微信，简要）：企业微信 Webhook 的 key 无效，或机器人已被移出群聊（errcode 93000）；"
            "请重新复制机器人的 Webhook 地址，填入该群聊的 URL 设置（设置在 SHEETSYNC_CHAT_XIANGMUQUN_URL）"
        )
        assert "wrong-key" not in "\n".join(out)
        assert out[1] == "已发到群  #审核群（钉钉，详细）"
        assert wecom.accepted == [] and len(ding.posted_uuids) >= 1
        text = ding.accepted[0].json
        assert text["at"]["atMobiles"] == ["13800138006"] and "@13800138006" in text["markdown"]["text"]


def test_the_outbox_holds_exactly_what_would_be_posted(tmp_path, wecom, capsys):
    book = zh_demo(tmp_path)
    folder = tmp_path / "preview"
    assert digest(book.target, "--chat", "--outbox", str(folder)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "群聊：已生成 1 个群的预览。"  # chats, not letters (封)
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == ["2026-12-07-chat-项目群-1.json", "2026-12-07-chat-项目群-2.json"]
    assert wecom.requests == []  # a preview posts nothing
    for file in files:  # and each file is a body the robot accepts as it is
        answer = requests.post(wecom.url(), data=file.read_bytes(), headers={"Content-Type": "application/json"},
                               timeout=5)
        assert answer.json() == {"errcode": 0, "errmsg": "ok"}
    assert "上线日期 2026-12-23：按计划进行" in json.loads(files[0].read_text(encoding="utf-8"))["markdown"]["content"]


def run_in_child(book: sheetsync.Workbook, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sheetsync", "digest", book.target, "--chat", "--today", TODAY.isoformat()],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.slow
def test_a_kill_between_acceptance_and_record_reposts_that_part_once_after_a_notice(tmp_path, wecom, own_state_folder):
    book = zh_demo(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child: list[subprocess.Popen] = []
    wecom.kill_on_accept = lambda request: os.kill(child[0].pid, signal.SIGKILL)  # before the answer leaves
    child.append(run_in_child(book, env))
    child[0].communicate(timeout=120)
    assert child[0].returncode == -signal.SIGKILL
    assert len(wecom.accepted) == 1  # the robot showed part 1; the client never heard
    wecom.kill_on_accept = None
    assert book.digest(today=TODAY, chat="post").deliveries[0].status == "sent"
    first, notice, again, mention = wecom.accepted
    assert notice.json == {"msgtype": "text", "text": {"content": "重发：上一次发送下面这条消息时被中断，群里可能已有一份。"}}
    assert again.json == first.json  # the same part, posted once more after the notice
    assert mention.json["msgtype"] == "text" and "mentioned_list" in mention.json["text"]
    assert book.digest(today=TODAY, chat="post").deliveries[0].status == "skipped"
    assert len(wecom.accepted) == 4


@pytest.mark.slow
def test_dingtalk_shows_a_digest_once_even_across_a_kill(tmp_path, monkeypatch):
    book = zh_demo(tmp_path, ("审核群", "钉钉", "简要", "每日", "所有人"))
    with FakeDingTalk() as ding:
        monkeypatch.setenv(DINGTALK_URL, ding.url())
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        child: list[subprocess.Popen] = []
        ding.kill_on_accept = lambda request: os.kill(child[0].pid, signal.SIGKILL)
        child.append(run_in_child(book, env))
        child[0].communicate(timeout=120)
        ding.kill_on_accept = None
        assert book.digest(today=TODAY, chat="post").deliveries[0].status == "sent"
        assert len(ding.accepted) == 2 and ding.duplicates == 1 and len(ding.posted_uuids) == 1


def test_a_detailed_wecom_digest_carries_the_timeline_picture_the_robot_checks(tmp_path, wecom):
    book = zh_demo(tmp_path, ("项目群", "企业微信", "详细", "每日", ""))
    assert digest(book.target, "--chat") == 0
    kinds = [request.json["msgtype"] for request in wecom.accepted]
    assert kinds[-1] == "image" and set(kinds[:-1]) == {"markdown"}  # no mention: no text part
    picture = wecom.accepted[-1].json["image"]
    raw = base64.b64decode(picture["base64"])
    assert raw.startswith(b"\x89PNG") and hashlib.md5(raw).hexdigest() == picture["md5"]
    text = "\n".join(markdown(r) for r in wecom.accepted[:-1])
    assert "**已逾期**\n> 任务 T4 · 内部审核 · 负责人：王磊 · 截止：2026-12-03 · 预计完成：2026-12-07 · 已逾期" in text


def test_a_weekly_channel_posts_on_mondays_and_channel_picks_it_any_day(tmp_path, wecom, capsys):
    book = zh_demo(tmp_path, ("项目群", "企业微信", "简要", "每周", ""))
    tuesday = "2026-12-08"
    assert main(["digest", book.target, "--chat", "--today", tuesday]) == 0
    assert capsys.readouterr().out == "2026-12-08 没有要发的摘要（每周摘要在周一发送）。\n"
    assert wecom.requests == []
    assert main(["digest", book.target, "--chat", "--channel", "项目群", "--today", tuesday]) == 0
    assert len(wecom.accepted) == 1
    assert main(["digest", book.target, "--chat", "--today", "2026-12-14"]) == 0  # a Monday
    assert len(wecom.accepted) == 2


def test_an_unreachable_bot_is_said_in_chinese_and_retried(tmp_path, monkeypatch):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(WECOM_URL, f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=K")
    run = zh_demo(tmp_path).digest(today=TODAY, chat="post", chat_options={"sleep": lambda s: None, "retries": 2})
    [delivery] = run.deliveries
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.reason == "连不上企业微信（连接被拒绝）；请检查网络和机器人地址（已尝试 3 次，放弃）"
