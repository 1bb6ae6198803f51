"""钉钉 custom robot: the module's payloads signed and posted with requests to the local fake robot, zh and en."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from chat_samples import LINK, en_detailed, very_long, zh_brief, zh_detailed
from fake_chat.dingtalk import FakeDingTalk

from sheetsync.chat.dingtalk import PLATFORM, sign
from sheetsync.chat.model import Mention, Outcome, Payload, more_in_sheet
from sheetsync.i18n import language

SECRET = "SEC7d2f1e0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1"


@pytest.fixture
def bot():
    with FakeDingTalk(secret=SECRET) as fake:
        yield fake


def post(
    bot: FakeDingTalk, payload: Payload, secret: str | None = SECRET, now: float | None = None, url: str | None = None
) -> Outcome:
    """One payload through `signed` and requests, answered by the fake and read by `outcome`."""
    target, body = PLATFORM.signed(url or bot.url(), secret, payload.body, time.time() if now is None else now)
    answer = requests.post(target, json=body, timeout=5)
    return PLATFORM.outcome(answer.status_code, answer.headers, answer.content)


def test_zh_brief_signed_is_accepted_with_mentions_in_text_and_at_fields(bot):
    with language("zh"):
        payloads = PLATFORM.payloads(zh_brief())
        outcomes = [post(bot, p) for p in payloads]
    assert outcomes == [Outcome(True)]
    shown = bot.shown()[0]
    assert shown["msgtype"] == "markdown"
    assert shown["markdown"]["title"] == "[春季新品上市] 上线有风险：预计 2026-12-22，计划 2026-12-18"
    assert shown["markdown"]["text"].split("\n\n") == [
        "### [春季新品上市] 上线有风险：预计 2026-12-22，计划 2026-12-18",
        "**上线有风险：预计 2026-12-22，计划 2026-12-18（晚 2 个工作日）**",
        "- 下一个里程碑：T7 客户定稿，截止 2026-12-09",
        "- 逾期 2 项，即将到期 3 项",
        "**各人待办**",
        "**张伟** @13800138000",
        "- T5 文案撰写：截止 2026-12-08（逾期）",
        "- 审核 A1 第 2 轮（客户），已等待 3 个工作日",
        "**李娜** @lina",
        "- T6 设计初稿：截止 2026-12-10（即将到期）",
        "**王芳**",
        "- 客户需求“主图换成蓝色”（T6），截止 2026-12-11",
        f"[打开表格]({LINK})",
        "春季新品上市 · 2026-12-07 · sheetsync",
    ]
    assert shown["at"] == {"atMobiles": ["13800138000"], "atUserIds": ["lina"], "isAtAll": False}


def test_en_detailed_mentions_user_ids_and_leaves_the_picture_out(bot):
    with language("en"):
        payloads = PLATFORM.payloads(en_detailed())
        assert [post(bot, p) for p in payloads] == [Outcome(True)]
    assert [p.part for p in payloads] == ["1"]  # no image part: DingTalk shows pictures only by public URL
    text = bot.shown()[0]["markdown"]["text"]
    assert "**Alice Chen** @U024BE7LH\n\n- T5 Write copy: due 2026-12-08 (OVERDUE)" in text
    assert "**Bob Li** @ou_7d8a6e6df7621556ce0d21922b676706" in text
    assert (
        "**Overdue**\n\n- T5 Write copy · Alice Chen · due 2026-12-08\n\n- T3 Influencer list · Bob Li · due 2026-12-04"
        in text
    )
    assert bot.shown()[0]["at"] == {
        "atMobiles": [],
        "atUserIds": ["U024BE7LH", "ou_7d8a6e6df7621556ce0d21922b676706"],
        "isAtAll": False,
    }


def test_mention_all_sets_is_at_all(bot):
    with language("zh"):
        payloads = PLATFORM.payloads(zh_brief(mention_all=True))
        assert post(bot, payloads[0]).ok
    shown = bot.shown()[0]
    assert shown["at"]["isAtAll"] is True
    assert "\n\n请大家查看本条摘要。\n\n" in shown["markdown"]["text"]


def test_the_signature_is_the_documented_hmac_in_the_query():
    url, body = PLATFORM.signed(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", "SECabc", {"x": 1}, 1765000000.123
    )
    query = parse_qs(urlsplit(url).query)
    assert body == {"x": 1}
    assert query == {"access_token": ["abc"], "timestamp": ["1765000000123"], "sign": [sign("SECabc", "1765000000123")]}
    assert (
        sign("SECabc", "1765000000123") == "PEe4+b8oBxLoMkmx7CvKoGFW0ft+wEeXsCeYI8SmuzY="
    )  # openssl dgst -sha256 -hmac
    assert "sign=PEe4%2Bb8oBxLoMkmx7CvKoGFW0ft%2BwEeXsCeYI8SmuzY%3D" in url


def test_a_wrong_secret_gets_sign_not_match_and_a_clear_reason(bot):
    with language("zh"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0], secret="SECwrong")
    assert bot.rejected[0][1].body == {"errcode": 310000, "errmsg": "sign not match"}
    assert outcome == Outcome(
        False,
        reason="钉钉提示签名不匹配（errcode 310000）；请重新复制机器人“加签”的密钥（以 SEC 开头），填入该群聊的密钥设置",
        signature=True,
    )


def test_no_secret_on_a_signed_robot_is_refused(bot):
    assert post(bot, PLATFORM.payloads(zh_brief())[0], secret=None).ok is False
    assert bot.rejected[0][1].body["errcode"] == 310000


def test_a_timestamp_over_an_hour_old_is_refused_as_the_clock(bot):
    with language("en"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0], now=time.time() - 3700)
    assert bot.rejected[0][1].body == {"errcode": 310000, "errmsg": "invalid timestamp"}
    assert outcome == Outcome(
        False,
        reason="DingTalk refused the signature's time (errcode 310000); set this computer's clock right "
        "(it must be within an hour of the real time)",
        signature=True,
    )
    assert post(bot, PLATFORM.payloads(zh_brief())[0], now=time.time() - 3500).ok  # inside the hour


def test_keywords_missing_from_the_message_are_named():
    with FakeDingTalk(keywords=("监控报警",)) as bot, language("en"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0], secret=None)
    assert outcome.reason.startswith("DingTalk found none of the robot's keywords in the message (errcode 310000)")


def test_the_newer_chinese_errmsg_is_read_too():
    answer = '{"errcode":310000,"errmsg":"description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中"}'
    with language("en"):
        outcome = PLATFORM.outcome(200, {}, answer.encode())
    assert outcome.reason.startswith("DingTalk says the signature does not match (errcode 310000)")


def test_rate_limit_is_retried_after_ten_minutes(bot):
    bot.fail_next(1, "rate")
    with language("zh"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0])
    assert outcome == Outcome(
        False, retry=True, wait=600.0, reason="钉钉因机器人发送过快而限流（errcode 410100），等待 10 分钟后重试"
    )


def test_server_trouble_is_retried(bot):
    bot.fail_next(1, "server")
    assert post(bot, PLATFORM.payloads(zh_brief())[0]).retry is True


def test_a_bad_token_says_to_copy_the_webhook_again(bot):
    with language("en"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0], url=bot.url("not-the-token"))
    assert outcome == Outcome(
        False,
        reason="the DingTalk access_token is not valid (errcode 300001); "
        "copy the robot's webhook address again into the channel's URL setting",
        address=True,
    )


def test_a_very_long_digest_splits_within_the_limit_with_each_parts_own_mentions(bot):
    with language("zh"):
        payloads = PLATFORM.payloads(very_long(zh_detailed()))
        more = more_in_sheet(LINK)
        assert all(post(bot, p).ok for p in payloads)
    assert [p.part for p in payloads] == ["1", "2", "3"]
    sizes = [len(p.body["markdown"]["text"].encode("utf-8")) for p in payloads]
    assert all(3500 < size <= 4000 for size in sizes), sizes
    assert payloads[2].body["markdown"]["text"].endswith("\n\n" + more)
    assert payloads[0].body["at"] == {"atMobiles": ["13800138000"], "atUserIds": ["lina"], "isAtAll": False}
    assert payloads[1].body["at"] == {"atMobiles": [], "atUserIds": [], "isAtAll": False}


def test_the_fake_refuses_text_over_the_limit(bot):
    body = {"msgtype": "markdown", "markdown": {"title": "t", "text": "字" * 1334}}  # 4002 bytes
    assert post(bot, Payload("1", body)).ok is False
    assert bot.rejected[0][1].body["errcode"] == 40035


def test_cell_text_never_becomes_markup_or_a_mention(bot):
    message = zh_brief(lines=["@lina 请看 *bold* [x](y) <b>"], waiting=[(Mention("# 标题", ""), ["@13800138000 抄送"])])
    payload = PLATFORM.payloads(message)[0]
    assert post(bot, payload).ok
    text = payload.body["markdown"]["text"]
    assert "- ＠lina 请看 ＊bold＊ [x］(y) ＜b>" in text
    assert "**＃ 标题**\n\n- ＠13800138000 抄送" in text
    assert payload.body["at"] == {"atMobiles": [], "atUserIds": [], "isAtAll": False}


def test_the_fake_checks_the_at_field_types(bot):
    body = {"msgtype": "markdown", "markdown": {"title": "t", "text": "x"}, "at": {"atMobiles": [13800138000]}}
    assert post(bot, Payload("1", body)).ok is False
    assert bot.rejected[0][1].body["errcode"] == 40035


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://oapi.dingtalk.com/robot/send?access_token=566cc69da782ec", True),
        ("http://localhost:9000/robot/send?access_token=test-token", True),
        ("https://oapi.dingtalk.com/robot/send", False),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", False),
    ],
)
def test_url_problem(url, ok):
    with language("zh"):
        problem = PLATFORM.url_problem(url)
    if ok:
        assert problem is None
    else:
        assert problem == (
            "这不是钉钉自定义机器人的 Webhook 地址：正确的形如 https://oapi.dingtalk.com/robot/send?access_token=…；"
            "请从机器人设置中复制，填入该群聊的 URL 设置"
        )


def test_per_minute_is_the_documented_twenty():
    assert PLATFORM.per_minute == 20


def test_a_chat_cell_that_is_no_user_id_leaves_just_the_bold_name():
    message = zh_brief(waiting=[(Mention("赵六", "赵六 的钉钉"), ["T9 排期"])])
    payload = PLATFORM.payloads(message)[0]
    assert "\n\n**赵六**\n\n- T9 排期\n\n" in payload.body["markdown"]["text"]
    assert payload.body["at"] == {"atMobiles": [], "atUserIds": [], "isAtAll": False}


def test_a_repeated_digest_keeps_its_msg_uuid_and_is_shown_once(bot):
    with language("zh"):
        first = PLATFORM.payloads(zh_brief())
        again = PLATFORM.payloads(zh_brief(note="上次发送可能中断，这是重发"))
        changed = PLATFORM.payloads(zh_brief(lines=["逾期 3 项"]))
        assert all(post(bot, p).ok for p in [*first, *again, *changed])
    assert first[0].body["msgUuid"] == again[0].body["msgUuid"] != changed[0].body["msgUuid"]
    assert bot.duplicates == 1
    assert [body["markdown"]["text"].split("\n\n")[2] for body in bot.shown()] == [
        "- 下一个里程碑：T7 客户定稿，截止 2026-12-09",
        "- 逾期 3 项",
    ]
