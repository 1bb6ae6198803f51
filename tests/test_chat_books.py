"""Every platform through `sheetsync digest --chat`, on Excel files and a Google Sheet alike, with e-mail beside.

The English demo's Slack channel (detailed, three people by member ID), a
Feishu group signing its posts, the same digest from a Google Sheet (the fake
Sheets API), and `--send --chat` delivering mail and chats in one run.
"""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
from fake_chat.feishu import FakeFeishu
from fake_chat.slack import FakeSlack
from smtp_server import smtp_server  # noqa: F401  (pytest fixture)

import sheetsync
from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)
TODAY = dt.date(2026, 12, 7)


def day(*args: str) -> list[str]:
    return [*args, "--today", TODAY.isoformat()]


def blocks_text(request) -> str:
    """Every text of a Slack message's blocks, in order."""
    out = []
    for block in request.json["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [element.get("text", "") for element in block.get("elements", [])]
    return "\n".join(out)


def test_the_english_demo_posts_a_detailed_slack_digest_mentioning_its_three_people(tmp_path, monkeypatch, capsys):
    book = sheetsync.create(tmp_path / "demo.xlsx", lang="en", demo=True, today=TODAY)
    with FakeSlack() as slack:
        monkeypatch.setenv("SHEETSYNC_CHAT_LAUNCH_TEAM_URL", slack.url())
        assert main(["digest", book.target, "--chat", *day()]) == 0
        assert capsys.readouterr().out.splitlines() == ["posted   #launch-team (Slack, detailed)", "Group chats: 1 posted."]
        [message] = slack.accepted
    body = message.json
    assert body["blocks"][0] == {"type": "header", "text": {"type": "plain_text",
                                                            "text": "Qinrun Repair Serum launch (Xiaohongshu / Douyin)"}}
    text = blocks_text(message)
    assert "Launch 2026-12-23: on track" in text
    for member in ("U01DEMOLN", "U01DEMOZM", "U01DEMOZJ"):
        assert f"<@{member}>" in text
    assert "<@U01DEMOWL>" not in text and "*Wang Lei*" in text  # listed with his work, not @-mentioned
    assert "*Overdue*" in text and "*Triggered risks*" in text  # the detailed digest's lists


def demo_on(tmp_path, lang: str, platform: str) -> sheetsync.Workbook:
    """The demo book with its one chat moved to another app (the Channels sheet's Platform cell)."""
    book = sheetsync.create(tmp_path / "demo.xlsx", lang=lang, demo=True, today=TODAY)
    wb = openpyxl.load_workbook(book.target)
    wb["群聊" if lang == "zh" else "Channels"]["B2"] = platform
    wb.save(book.target)
    return book


def test_a_feishu_group_that_signs_gets_a_card_the_bot_verifies(tmp_path, monkeypatch):
    book = demo_on(tmp_path, "zh", "飞书")
    with FakeFeishu(secret="feishu-签名") as feishu:
        monkeypatch.setenv("SHEETSYNC_CHAT_XIANGMUQUN_URL", feishu.url())
        monkeypatch.setenv("SHEETSYNC_CHAT_XIANGMUQUN_SECRET", "wrong")
        assert main(["digest", book.target, "--chat", *day()]) == 1
        assert feishu.accepted == []
        monkeypatch.setenv("SHEETSYNC_CHAT_XIANGMUQUN_SECRET", "feishu-签名")
        assert main(["digest", book.target, "--chat", *day()]) == 0
        [card] = feishu.accepted
    assert FakeFeishu.title(card) == "沁润修护精华 新品上市（小红书 / 抖音）"
    assert FakeFeishu.mentions(card) == ["all"]  # Mention 所有人; mobiles cannot be @-ed by a Feishu bot
    assert "**李娜**" in FakeFeishu.markdown(card)


def test_wrong_feishu_secret_is_reported_with_what_to_fix(tmp_path, monkeypatch, capsys):
    book = demo_on(tmp_path, "en", "feishu")
    with FakeFeishu(secret="S3CR3T-OK") as feishu:
        monkeypatch.setenv("SHEETSYNC_CHAT_LAUNCH_TEAM_URL", feishu.url())
        monkeypatch.setenv("SHEETSYNC_CHAT_LAUNCH_TEAM_SECRET", "S3CR3T-BAD")
        assert main(["digest", book.target, "--chat", *day()]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("FAILED   #launch-team (Feishu, detailed): ")
    assert "signing secret" in line and "S3CR3T" not in line


def test_a_google_sheet_posts_the_same_digest_and_mails_beside_it(fake_google, tmp_path, monkeypatch, capsys,
                                                                  smtp_server):  # noqa: F811
    key_file = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    for name, value in {"HOST": "127.0.0.1", "PORT": str(smtp_server.port), "SECURITY": "none",
                        "FROM": "Ops <ops@agency.example.com>"}.items():
        monkeypatch.setenv(f"SHEETSYNC_SMTP_{name}", value)
    assert main(["init", "--gsheet", "Serum launch", "--demo", *day()]) == 0
    url = re.search(r"https://docs.google.com/spreadsheets/d/\S+", capsys.readouterr().out).group(0)
    file_book = sheetsync.create(tmp_path / "demo.xlsx", lang="en", demo=True, today=TODAY)
    file_book.baseline(name="Client sign-off", today=TODAY)  # as init --demo's first run records it on the sheet
    with FakeSlack() as slack:
        monkeypatch.setenv("SHEETSYNC_CHAT_LAUNCH_TEAM_URL", slack.url())
        assert main(["digest", url, "--chat", "--send", *day()]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[-1] == "Group chats: 1 posted." and out[-2].endswith("sent.")
        assert main(["digest", file_book.target, "--chat", *day()]) == 0
        from_sheet, from_file = slack.accepted
    assert len(smtp_server.handler.received) == len([line for line in out if line.startswith("sent ")]) > 0

    def strip_link(text: str) -> str:  # the Google Sheet's own link is its Sheet link; the file has none
        return re.sub(r"\n<https://docs.google.com/\S+\|Open the sheet>", "", text)

    assert strip_link(blocks_text(from_sheet)) == strip_link(blocks_text(from_file))
