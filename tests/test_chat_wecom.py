"""企业微信 group robot: the module's payloads posted with requests to the local fake robot, zh and en."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
import requests
from chat_samples import LINK, en_detailed, png, very_long, zh_brief, zh_detailed
from fake_chat.wecom import FakeWeCom

from sheetsync.chat.model import Mention, Outcome, Payload, Section, more_in_sheet
from sheetsync.chat.wecom import PLATFORM, image_body
from sheetsync.i18n import language


@pytest.fixture
def bot():
    with FakeWeCom() as fake:
        yield fake


def post(bot: FakeWeCom, payload: Payload, url: str | None = None, secret: str | None = None) -> Outcome:
    """One payload through `signed` and requests, answered by the fake and read by `outcome`."""
    target, body = PLATFORM.signed(url or bot.url(), secret, payload.body, time.time())
    answer = requests.post(target, json=body, timeout=5)
    return PLATFORM.outcome(answer.status_code, answer.headers, answer.content)


def post_all(bot: FakeWeCom, payloads: list[Payload]) -> list[Outcome]:
    return [post(bot, payload) for payload in payloads]


def test_zh_brief_is_accepted_with_each_persons_items_and_mentions(bot):
    with language("zh"):
        payloads = PLATFORM.payloads(zh_brief())
        outcomes = post_all(bot, payloads)
    assert [p.part for p in payloads] == ["1", "2"]
    assert outcomes == [Outcome(True), Outcome(True)]
    markdown, mention = bot.shown()
    assert markdown["msgtype"] == "markdown"
    assert markdown["markdown"]["content"].split("\n") == [
        "**[春季新品上市] 上线有风险：预计 2026-12-22，计划 2026-12-18**",
        "上线有风险：预计 2026-12-22，计划 2026-12-18（晚 2 个工作日）",
        "> 下一个里程碑：T7 客户定稿，截止 2026-12-09",
        "> 逾期 2 项，即将到期 3 项",
        "**各人待办**",
        "**张伟**",
        "> T5 文案撰写：截止 2026-12-08（逾期）",
        "> 审核 A1 第 2 轮（客户），已等待 3 个工作日",
        "<@lina>",
        "> T6 设计初稿：截止 2026-12-10（即将到期）",
        "**王芳**",
        "> 客户需求“主图换成蓝色”（T6），截止 2026-12-11",
        f"[打开表格]({LINK})",
        '<font color="comment">春季新品上市 · 2026-12-07 · sheetsync</font>',
    ]
    # 张伟 is known by mobile only: markdown cannot @ a mobile, so a text part carries mentioned_mobile_list
    assert mention == {
        "msgtype": "text",
        "text": {"content": "张伟：上面的摘要列出了等各位处理的事项。", "mentioned_mobile_list": ["13800138000"]},
    }


def test_en_detailed_has_sections_userid_mentions_and_the_picture(bot):
    message = en_detailed()
    with language("en"):
        payloads = PLATFORM.payloads(message)
        outcomes = post_all(bot, payloads)
    assert [p.part for p in payloads] == ["1", "image"]  # nobody by mobile, no @all: no text part
    assert all(o.ok for o in outcomes)
    content = bot.shown()[0]["markdown"]["content"]
    assert "**Waiting on each person**\n<@U024BE7LH>\n> T5 Write copy: due 2026-12-08 (OVERDUE)\n" in content
    assert "<@ou_7d8a6e6df7621556ce0d21922b676706>\n> T6 First design: due 2026-12-10 (DUE SOON)\n" in content
    assert (
        "**Overdue**\n> T5 Write copy · Alice Chen · due 2026-12-08\n> T3 Influencer list · Bob Li · due 2026-12-04\n"
        in content
    )
    assert "> R2 Client feedback late: now 4 >= 3; plan: escalate to the client director" in content
    assert content.endswith(
        f'[Open the sheet]({LINK})\n<font color="comment">Spring launch · 2026-12-07 · sheetsync</font>'
    )
    image = bot.shown()[1]["image"]
    assert base64.b64decode(image["base64"]) == message.image
    assert image["md5"] == hashlib.md5(message.image).hexdigest()


def test_mention_all_is_a_text_part_with_at_all(bot):
    with language("zh"):
        payloads = PLATFORM.payloads(zh_brief(waiting=[], mention_all=True))
        assert all(o.ok for o in post_all(bot, payloads))
    assert bot.shown()[1] == {
        "msgtype": "text",
        "text": {"content": "请大家查看上面的摘要。", "mentioned_list": ["@all"]},
    }


def test_cell_text_never_becomes_markup_or_a_mention(bot):
    trap = '<@here> *bold* [x](y) <font color="warning">red</font>'
    message = zh_brief(lines=[trap], waiting=[(Mention("# 标题", ""), ["`code` > quote"])])
    payloads = PLATFORM.payloads(message)
    assert all(o.ok for o in post_all(bot, payloads))
    content = bot.shown()[0]["markdown"]["content"]
    assert '> ＜@here> ＊bold＊ [x］(y) ＜font color="warning">red＜/font>' in content
    assert "**＃ 标题**\n> ｀code｀ > quote" in content
    assert "<@here>" not in content and "](y)" not in content


def test_a_very_long_digest_splits_within_4096_bytes_and_ends_with_the_sheet_link(bot):
    with language("zh"):
        payloads = PLATFORM.payloads(very_long(zh_detailed()))
        more = more_in_sheet(LINK)
        outcomes = post_all(bot, payloads)
    assert [p.part for p in payloads] == ["1", "2", "3", "4", "image"]
    assert all(o.ok for o in outcomes)
    sizes = [len(p.body["markdown"]["content"].encode("utf-8")) for p in payloads[:3]]
    assert all(3500 < size <= 4096 for size in sizes), sizes
    assert payloads[2].body["markdown"]["content"].endswith("\n" + more)
    assert payloads[3].body["msgtype"] == "text"


def test_the_fake_refuses_4097_bytes_as_wecom_does_and_outcome_says_so(bot):
    payload = Payload("1", {"msgtype": "markdown", "markdown": {"content": "字" * 1365 + "xx"}})  # 4097 bytes
    with language("en"):
        outcome = post(bot, payload)
    assert bot.rejected[0][1].body["errcode"] == 40058
    assert outcome == Outcome(
        False, reason="WeCom rejected the message's format (errcode 40058); this is a sheetsync bug, please report it"
    )


def test_no_signature_a_secret_is_ignored():
    body = {"msgtype": "markdown", "markdown": {"content": "x"}}
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    assert PLATFORM.signed(url, "SECsomething", body, 1765000000.0) == (url, body)


def test_rate_limit_is_retried_after_a_minute(bot):
    bot.fail_next(1, "rate")
    with language("en"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0])
    assert outcome == Outcome(
        False,
        retry=True,
        wait=60.0,
        reason="WeCom says the robot is sending too fast (errcode 45009); waiting a minute",
    )
    assert bot.accepted == []


def test_server_trouble_is_retried(bot):
    bot.fail_next(1, "server")
    with language("zh"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0])
    assert outcome == Outcome(False, retry=True, reason="企业微信服务暂时异常（HTTP 502），稍后重试")


def test_a_bad_key_says_to_copy_the_webhook_again(bot):
    with language("zh"):
        outcome = post(bot, PLATFORM.payloads(zh_brief())[0], url=bot.url("wrong-key"))
    assert bot.rejected[0][1].body["errcode"] == 93000
    assert outcome == Outcome(
        False,
        reason="企业微信 Webhook 的 key 无效，或机器人已被移出群聊（errcode 93000）；请重新复制机器人的 Webhook 地址，填入该群聊的 URL 设置",
        address=True,
    )


def test_the_fake_checks_the_image_md5_and_size(bot):
    good = image_body(png())
    assert good is not None
    bad_md5 = {"msgtype": "image", "image": {**good["image"], "md5": "0" * 32}}
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024)
    too_big = {
        "msgtype": "image",
        "image": {"base64": base64.b64encode(big).decode(), "md5": hashlib.md5(big).hexdigest()},
    }
    with language("en"):
        outcomes = [post(bot, Payload("image", body)) for body in (good, bad_md5, too_big)]
    assert outcomes[0] == Outcome(True)
    assert [answer.body["errcode"] for _request, answer in bot.rejected] == [40058, 40009]
    assert outcomes[2] == Outcome(
        False, reason="WeCom refused the timeline picture's size (errcode 40009); it must be at most 2 MB"
    )
    assert image_body(big) is None  # the module never sends what the fake refuses
    assert [p.part for p in PLATFORM.payloads(zh_detailed(image=big))] == ["1", "2"]


def test_the_fake_checks_the_mention_list_types(bot):
    bad = {"msgtype": "text", "text": {"content": "x", "mentioned_mobile_list": [13800138000]}}
    assert post(bot, Payload("2", bad)).ok is False
    assert bot.rejected[0][1].body["errcode"] == 40058


def test_unknown_answers_quote_the_platform():
    with language("en"):
        outcome = PLATFORM.outcome(200, {}, b'{"errcode": 81013, "errmsg": "user & party & tag all invalid"}')
    assert outcome == Outcome(False, reason="WeCom refused the message: errcode 81013, user & party & tag all invalid")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx", True),
        ("http://127.0.0.1:8123/cgi-bin/webhook/send?key=test-key", True),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", False),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", False),
        ("https://oapi.dingtalk.com/robot/send?access_token=abc", False),
    ],
)
def test_url_problem(url, ok):
    with language("en"):
        problem = PLATFORM.url_problem(url)
    if ok:
        assert problem is None
    else:
        assert problem == (
            "this is not a WeCom robot webhook: it looks like https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; "
            "copy it from the group robot's details into the channel's URL setting"
        )


def test_sections_and_note_come_in_order():
    message = zh_brief(note="这条摘要可能重复", sections=[Section("逾期", ("T5",))])
    with language("zh"):
        content = PLATFORM.payloads(message)[0].body["markdown"]["content"]
    assert content.startswith('<font color="warning">这条摘要可能重复</font>\n**[春季新品上市]')
    assert content.index("**王芳**") < content.index("**逾期**\n> T5") < content.index("[打开表格]")


def test_per_minute_is_the_documented_twenty():
    assert PLATFORM.per_minute == 20


def test_a_chat_cell_that_is_no_userid_leaves_just_the_bold_name():
    message = zh_brief(waiting=[(Mention("赵六", "赵六 的微信"), ["T9 排期"])])
    payloads = PLATFORM.payloads(message)
    assert [p.part for p in payloads] == ["1"]
    assert "\n**赵六**\n> T9 排期\n" in payloads[0].body["markdown"]["content"]
