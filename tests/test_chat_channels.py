"""The Channels sheet and the Team's Chat column as a team fills them, and where webhook secrets come from.

Issue 15: a channel's webhook is a secret, never in the book; a channel without
one is a clear line naming the variable to set, not a crash; a pasted address is
a Problem; a Chinese channel name gets a pinyin variable name a shell can hold.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import sheetsync
from sheetsync.analysis import analyse
from sheetsync.chat.secrets import ChatSettings, masked_url, setting_key, variable_names
from sheetsync.cli import main
from sheetsync.errors import UsageError

TODAY = dt.date(2026, 12, 7)


def demo(tmp_path: Path, lang: str) -> sheetsync.Workbook:
    return sheetsync.create(tmp_path / f"demo-{lang}.xlsx", lang=lang, demo=True, today=TODAY)


def analysis_of(book: sheetsync.Workbook):
    return analyse(book.backend.read(), today=TODAY)


def test_the_chinese_demo_has_a_wecom_group_mentioning_everyone_and_mobiles_on_the_team(tmp_path: Path) -> None:
    a = analysis_of(demo(tmp_path, "zh"))
    [channel] = a.channels
    assert (channel.name, channel.platform, channel.digest, channel.cadence) == ("项目群", "wecom", "brief", "daily")
    assert channel.mention_all and channel.mentions == ()
    assert {m.name: m.chat for m in a.team.members}["李娜"] == "13800138002"
    assert not [p for p in a.problems if p.sheet == "群聊"]


def test_the_english_demo_mentions_three_people_by_slack_id(tmp_path: Path) -> None:
    a = analysis_of(demo(tmp_path, "en"))
    [channel] = a.channels
    assert (channel.platform, channel.digest) == ("slack", "detailed")
    assert [(m.name, m.chat) for m in channel.mentions] == [
        ("Li Na", "U01DEMOLN"), ("Zhang Min", "U01DEMOZM"), ("Zhao Jing", "U01DEMOZJ"),
    ]


def set_channels(book: sheetsync.Workbook, rows: list[tuple[object, ...]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(book.target)
    ws = wb["群聊"]
    for r in range(2, ws.max_row + 1):
        for c in range(1, 6):
            ws.cell(r, c).value = None
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    wb.save(book.target)


def test_a_teams_typos_are_problems_naming_the_cell_and_the_good_rows_still_count(tmp_path: Path) -> None:
    book = demo(tmp_path, "zh")
    set_channels(book, [
        ("项目群", "企微", "详细", "每天", "李娜、张敏"),  # aliases: 企微 = 企业微信, 每天 = 每日
        ("客户群", "微信", "简要", "每日", "刘洋"),  # 微信 is not a group-bot platform
        ("审核群", "钉钉", "简要", "每日", "李娜，小王"),  # 小王 is not on the Team
        ("https://oapi.dingtalk.com/robot/send?access_token=abc", "钉钉", "简要", "每日", ""),
        ("项目群", "飞书", "简要", "每日", ""),
    ])
    a = analysis_of(book)
    assert [(c.name, c.platform, c.digest, c.cadence) for c in a.channels] == [
        ("项目群", "wecom", "detailed", "daily"), ("审核群", "dingtalk", "brief", "daily"),
    ]
    assert [m.name for m in a.channels[0].mentions] == ["李娜", "张敏"]
    assert [m.name for m in a.channels[1].mentions] == ["李娜"]
    problems = {p.cell: (p.problem, p.fix) for p in a.problems if p.sheet == "群聊"}
    assert set(problems) == {"B3", "E4", "A5", "A6"}
    assert problems["E4"][0] == "小王 不在“团队”表中"
    assert problems["A5"][0] == "这里填了机器人地址：任何能打开表格的人都能往群里发消息"
    assert "SHEETSYNC_CHAT_<名称>_URL" in problems["A5"][1]
    assert problems["A6"][0] == "群聊“项目群”重复出现（第一次在 A2）"


def test_a_channel_name_becomes_a_variable_a_shell_can_hold() -> None:
    assert setting_key("项目群") == "XIANGMUQUN"
    assert setting_key("launch-team") == "LAUNCH_TEAM"
    assert setting_key("客户 A 群") == "KEHU_A_QUN"
    assert variable_names("Launch team") == ("SHEETSYNC_CHAT_LAUNCH_TEAM_URL", "SHEETSYNC_CHAT_LAUNCH_TEAM_SECRET")


def test_the_environment_wins_over_chat_toml_and_the_file_takes_chinese_names(tmp_path: Path) -> None:
    path = tmp_path / "chat.toml"
    path.write_text('["项目群"]\nurl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=FILE"\n'
                    '[launch-team]\nurl = "https://hooks.slack.com/services/T1/B2/FILE"\nsecret = "s3"\n',
                    encoding="utf-8")
    path.chmod(0o600)
    settings = ChatSettings({"SHEETSYNC_CHAT_LAUNCH_TEAM_URL": "https://hooks.slack.com/services/T1/B2/ENV"}, path)
    assert settings.webhook("项目群").url.endswith("key=FILE")
    assert settings.webhook("项目群").secret is None
    env = settings.webhook("launch-team")
    assert (env.url, env.secret, env.source) == ("https://hooks.slack.com/services/T1/B2/ENV", None,
                                                  "SHEETSYNC_CHAT_LAUNCH_TEAM_URL")
    assert settings.webhook("审核群") is None
    assert "ENV" not in repr(env) and "FILE" not in repr(settings.webhook("项目群"))


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_chat_toml_others_can_read_is_refused_with_the_command_that_fixes_it(tmp_path: Path) -> None:
    path = tmp_path / "chat.toml"
    path.write_text('["项目群"]\nurl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"\n', encoding="utf-8")
    path.chmod(0o644)
    with pytest.raises(UsageError) as caught:
        ChatSettings({}, path)
    assert str(caught.value).endswith(f"holds webhook addresses; run: chmod 600 {path}")


def test_printed_addresses_hide_the_key_of_every_platform() -> None:
    assert masked_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6") == (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***")
    assert masked_url("https://oapi.dingtalk.com/robot/send?access_token=abc") == (
        "https://oapi.dingtalk.com/robot/send?access_token=***")
    assert masked_url("https://open.feishu.cn/open-apis/bot/v2/hook/2f1c") == (
        "https://open.feishu.cn/open-apis/bot/v2/hook/***")
    assert masked_url("https://hooks.slack.com/services/T0/B0/XyZ") == "https://hooks.slack.com/services/T0/B0/***"


def test_a_channel_without_its_webhook_is_one_clear_line_in_the_books_language(tmp_path: Path, capsys) -> None:
    book = demo(tmp_path, "zh")
    code = main(["digest", book.target, "--chat", "--today", TODAY.isoformat()])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].startswith("地址无效  #项目群（企业微信，简要）：没有机器人地址：请设置 SHEETSYNC_CHAT_XIANGMUQUN_URL（或在 ")
    assert out[-1] == "群聊：未配置 1 个群。"
    assert not list(Path.cwd().glob("outbox/*chat*"))


def test_channel_without_chat_is_a_usage_error(tmp_path: Path, capsys) -> None:
    book = demo(tmp_path, "en")
    assert main(["digest", book.target, "--channel", "launch-team"]) == 2
    assert "--channel picks a group chat: add --chat" in capsys.readouterr().err


def test_a_book_without_group_chats_says_where_to_add_one(tmp_path: Path, capsys) -> None:
    book = sheetsync.create(tmp_path / "empty.xlsx", lang="en")
    assert main(["digest", book.target, "--chat", "--today", TODAY.isoformat()]) == 0
    assert capsys.readouterr().out == (
        "The book has no group chats: add a row to its Channels sheet (see the README: Group chats).\n"
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_world_readable_chat_toml_stops_the_run_before_any_mail_or_post(tmp_path: Path, capsys,
                                                                          own_chat_settings: Path) -> None:
    own_chat_settings.parent.mkdir(parents=True)
    own_chat_settings.write_text('["项目群"]\nurl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"\n',
                                 encoding="utf-8")
    own_chat_settings.chmod(0o644)
    book = demo(tmp_path, "zh")
    assert main(["digest", book.target, "--chat", "--today", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    assert f"其他人也能读取，而其中有机器人地址；请运行：chmod 600 {own_chat_settings}" in err
