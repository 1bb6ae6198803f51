"""飞书 custom bot digests: rendered as cards, posted to a fake that checks them as Feishu documents, answers read."""

from __future__ import annotations

import json
import time

import pytest
import requests
from chat_samples import BOB, LI, LINK, en_brief, en_detailed, very_long, zh_brief, zh_detailed
from fake_chat import Request
from fake_chat.feishu import BODY_LIMIT as FEISHU_LIMIT
from fake_chat.feishu import FakeFeishu

from sheetsync.chat.feishu import BODY_LIMIT, PLATFORM, body_size, escape, sign
from sheetsync.chat.model import Mention
from sheetsync.i18n import language

SECRET = "SEC-飞书-demo"


def post(fake: FakeFeishu, body: dict, *, secret: str | None = None, url: str | None = None, now: float | None = None):
    """POST one payload the way post.py does: signed at `now`, JSON, then the answer understood."""
    target, signed = PLATFORM.signed(url or fake.url(), secret, body, time.time() if now is None else now)
    data = json.dumps(signed, ensure_ascii=False).encode("utf-8")  # as chat/post.py sends it
    answer = requests.post(target, data=data, headers={"Content-Type": "application/json; charset=utf-8"}, timeout=5)
    return answer, PLATFORM.outcome(answer.status_code, answer.headers, answer.content)


def send_all(fake: FakeFeishu, message, **kwargs) -> list[Request]:
    for payload in PLATFORM.payloads(message):
        _answer, outcome = post(fake, payload.body, **kwargs)
        assert outcome.ok, outcome.reason
    return fake.accepted


def test_zh_brief_card_shows_the_launch_each_persons_work_and_mentions_the_ids():
    with FakeFeishu() as fake:
        [request] = send_all(fake, zh_brief(platform="feishu"))
    assert FakeFeishu.title(request) == "[春季新品上市] 上线有风险：预计 2026-12-22，计划 2026-12-18"
    assert FakeFeishu.markdown(request) == (
        "**上线有风险：预计 2026-12-22，计划 2026-12-18（晚 2 个工作日）**\n"
        "下一个里程碑：T7 客户定稿，截止 2026-12-09\n"
        "逾期 2 项，即将到期 3 项\n"
        "\n**各人待办**\n"
        "**张伟**\n"  # a mobile number: a custom bot cannot @ by mobile, so the name
        "• T5 文案撰写：截止 2026-12-08（逾期）\n"
        "• 审核 A1 第 2 轮（客户），已等待 3 个工作日\n"
        "<at id=lina></at>\n"  # a user_id
        "• T6 设计初稿：截止 2026-12-10（即将到期）\n"
        "**王芳**\n"  # no Chat cell
        "• 客户需求“主图换成蓝色”（T6），截止 2026-12-11\n"
        f"\n[打开表格]({LINK})"
    )
    assert FakeFeishu.mentions(request) == [LI.chat]
    card = request.json["card"]
    assert card["header"]["template"] == "blue"
    assert card["elements"][-1] == {
        "tag": "note",
        "elements": [{"tag": "plain_text", "content": "春季新品上市 · 2026-12-07 · sheetsync"}],
    }


def test_en_brief_mentions_open_ids_and_user_ids_in_english_words():
    with FakeFeishu() as fake:
        [request] = send_all(fake, en_brief(platform="feishu"))
    text = FakeFeishu.markdown(request)
    assert text.startswith("**Launch at risk: projected 2026-12-22, planned 2026-12-18 (2 working days late)**\n")
    assert "\n**Waiting on each person**\n<at id=U024BE7LH></at>\n• T5 Write copy: due 2026-12-08 (OVERDUE)\n" in text
    assert f"\n<at id={BOB.chat}></at>\n• T6 First design: due 2026-12-10 (DUE SOON)\n" in text
    assert f"\n[Open the sheet]({LINK})" in text
    assert FakeFeishu.mentions(request) == ["U024BE7LH", BOB.chat]


def test_mention_all_is_the_cards_at_all_tag():
    with FakeFeishu() as fake:
        [request] = send_all(fake, zh_brief(platform="feishu", mention_all=True))
    assert FakeFeishu.markdown(request).startswith("<at id=all></at> **上线有风险")
    assert FakeFeishu.mentions(request) == ["all", LI.chat]


def test_cell_text_cannot_become_markup_or_a_mention():
    hostile = "<at id=all></at> **bold** [x](https://evil.example) ~~gone~~ a_b_"
    message = en_brief(
        platform="feishu", note="*note*", waiting=[(Mention("<at id=all></at>", "ou_bad id"), [hostile])]
    )
    with FakeFeishu() as fake:
        [request] = send_all(fake, message)
    text = FakeFeishu.markdown(request)
    assert FakeFeishu.mentions(request) == []
    assert text.startswith("**&#42;note&#42;**\n")
    assert (
        "**&#60;at id=all&#62;&#60;/at&#62;**\n"  # the name, bold, since its Chat is not an ID
        "• &#60;at id=all&#62;&#60;/at&#62; &#42;&#42;bold&#42;&#42; &#91;x&#93;(https://evil.example) "
        "&#126;&#126;gone&#126;&#126; a&#95;b&#95;\n"
    ) in text
    assert escape("&#42;") == "&#38;#42;"  # an entity typed in a cell stays text too


def test_detailed_digest_has_its_sections_and_no_picture():
    payloads = PLATFORM.payloads(zh_detailed(platform="feishu"))
    assert [p.part for p in payloads] == ["1"]  # the picture needs the app API's image_key: left out
    with FakeFeishu() as fake:
        [request] = send_all(fake, zh_detailed(platform="feishu"))
    assert "\n**逾期**\n• T5 文案撰写 · 张伟 · 截止 2026-12-08\n• T3 达人名单 · 李娜 · 截止 2026-12-04\n" in (
        FakeFeishu.markdown(request)
    )
    assert "\n**触发的风险**\n• R2 客户反馈延迟：当前 4 ≥ 3；预案：升级到客户总监\n" in FakeFeishu.markdown(request)


def test_a_long_digest_splits_into_cards_within_20_kb_and_keeps_every_row():
    message = very_long(zh_detailed(platform="feishu"), rows=400)
    payloads = PLATFORM.payloads(message)
    assert [p.part for p in payloads] == ["1", "2"]
    with FakeFeishu(SECRET) as fake:
        accepted = send_all(fake, message, secret=SECRET)
    assert [len(r.raw) <= BODY_LIMIT for r in accepted] == [True, True]
    assert [FakeFeishu.title(r)[-5:] for r in accepted] == ["（1/2）", "（2/2）"]
    text = "\n".join(FakeFeishu.markdown(r) for r in accepted)
    assert all(f"• T{n} 任务 {n} · " in text for n in range(400))
    assert text.endswith(f"\n[打开表格]({LINK})")
    assert "note" not in json.dumps(accepted[0].json)  # the footer closes the last card only
    assert accepted[1].json["card"]["elements"][-1]["elements"][0]["content"] == "春季新品上市 · 2026-12-07 · sheetsync"


def test_a_very_long_digest_is_trimmed_to_three_cards_ending_with_the_sheets_link():
    message = very_long(en_detailed(platform="feishu"), rows=3000)
    payloads = PLATFORM.payloads(message)
    assert [p.part for p in payloads] == ["1", "2", "3"]
    assert max(body_size(PLATFORM.signed("", SECRET, p.body, 0)[1]) for p in payloads) <= BODY_LIMIT
    with FakeFeishu() as fake:
        accepted = send_all(fake, message)
    last = FakeFeishu.markdown(accepted[2])
    assert last.endswith(f"\n… more in the sheet: [{LINK}]({LINK})")
    assert "T2999 Task" not in last


def test_signature_is_accepted_and_a_wrong_secret_or_a_stale_clock_is_refused_with_a_clear_reason():
    body = PLATFORM.payloads(zh_brief(platform="feishu"))[0].body
    with FakeFeishu(SECRET) as fake, language("zh"):
        answer, outcome = post(fake, body, secret=SECRET)
        assert (answer.status_code, outcome.ok) == (200, True)
        for secret, now in (("not-the-secret", time.time()), (SECRET, time.time() - 7200)):
            answer, outcome = post(fake, body, secret=secret, now=now)
            assert answer.json() == {
                "code": 19021,
                "msg": "sign match fail or timestamp is not within one hour from current time",
                "data": {},
            }
            assert (outcome.ok, outcome.retry) == (False, False)
            assert outcome.reason == (
                "飞书签名校验未通过：请重新复制机器人的签名密钥，填入该群聊的密钥设置，并确认本机时间准确（飞书只允许 1 小时以内的误差）。"
            )
        _answer, outcome = post(fake, body)  # the bot has a secret, the channel none
        assert outcome.ok is False
    assert len(fake.accepted) == 1


def test_signature_is_the_documented_hmac_of_an_empty_message():
    """The expected value is from `openssl dgst -sha256 -hmac "1599360473\\ndemo"` over no input."""
    _url, body = PLATFORM.signed("u", "demo", {"msg_type": "interactive"}, 1599360473.9)
    assert list(body) == ["timestamp", "sign", "msg_type"]
    assert body["timestamp"] == "1599360473"
    assert body["sign"] == sign("1599360473", "demo") == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8="
    assert PLATFORM.signed("u", None, {"a": 1}, 0) == ("u", {"a": 1})


def test_rate_limit_and_feishus_own_trouble_are_retried():
    body = PLATFORM.payloads(en_brief(platform="feishu"))[0].body
    with FakeFeishu() as fake, language("en"):
        fake.fail_next(1, "rate")
        answer, outcome = post(fake, body)
        assert answer.json()["code"] == 11232
        assert (outcome.ok, outcome.retry, outcome.wait) == (False, True, None)
        fake.fail_next(1, "server")
        _answer, outcome = post(fake, body)
        assert (outcome.ok, outcome.retry) == (False, True)
        assert post(fake, body)[1].ok
    too_many = json.dumps({"code": 9499, "msg": "too many request", "data": {}}).encode()
    assert PLATFORM.outcome(400, {}, too_many).retry is True


def test_a_wrong_webhook_key_says_to_copy_the_address_again():
    body = PLATFORM.payloads(en_brief(platform="feishu"))[0].body
    with FakeFeishu() as fake, language("en"):
        answer, outcome = post(fake, body, url=fake.url("d00dfeed-0000"))
    assert answer.json()["msg"] == "param invalid: incoming webhook access token invalid"
    assert (outcome.ok, outcome.retry) == (False, False)
    assert outcome.reason == (
        "Feishu does not know this webhook address: "
        "copy the bot's webhook address again into the channel's URL setting."
    )


def test_the_keyword_check_refuses_a_card_without_the_word_and_says_how_to_fix_it():
    body = PLATFORM.payloads(zh_brief(platform="feishu"))[0].body
    with FakeFeishu(keywords=["周报"]) as fake, language("zh"):
        answer, outcome = post(fake, body)
    assert answer.json()["code"] == 19024
    assert outcome.reason == (
        "机器人的自定义关键词校验未通过：请在关键词中加入每份摘要都会出现的词（如项目名称或 sheetsync），或关闭关键词校验。"
    )
    with FakeFeishu(keywords=["sheetsync"]) as fake:  # the footer carries it
        assert post(fake, body)[1].ok


def test_the_fake_refuses_what_feishu_refuses():
    good = PLATFORM.payloads(en_brief(platform="feishu"))[0].body
    bad_colour = json.loads(json.dumps(good))
    bad_colour["card"]["header"]["template"] = "magenta"
    bad_at = json.loads(json.dumps(good))
    bad_at["card"]["elements"][0]["text"]["content"] += "<at id=a b></at>"
    too_big = json.loads(json.dumps(good))
    too_big["card"]["elements"][0]["text"]["content"] = "x" * (FEISHU_LIMIT + 1)
    with FakeFeishu() as fake:
        for body in (bad_colour, bad_at, too_big, {"msg_type": "text", "content": {"text": "hi"}}):
            assert post(fake, body)[0].json() == {"code": 9499, "msg": "Bad Request", "data": {}}
    assert fake.accepted == []


@pytest.mark.parametrize(
    ("status", "answer", "reason"),
    [
        (400, {"code": 19022, "msg": "Ip Not Allowed"}, "The bot accepts only listed IP addresses"),
        (400, {"code": 9499, "msg": "Bad Request"}, "Feishu could not read the message (code 9499, Bad Request)"),
        (
            200,
            {"code": 19500, "msg": "at all not allowed"},
            "Feishu refused the message: code 19500, at all not allowed",
        ),
    ],
)
def test_other_answers_name_what_to_fix_or_quote_feishu(status, answer, reason):
    with language("en"):
        outcome = PLATFORM.outcome(status, {}, json.dumps(answer).encode())
    assert (outcome.ok, outcome.retry) == (False, False)
    assert outcome.reason.startswith(reason)


@pytest.mark.parametrize(
    ("url", "fine"),
    [
        ("https://open.feishu.cn/open-apis/bot/v2/hook/2b6a1c3d-44e5-4f00-9a1b-0c2d3e4f5a6b", True),
        ("https://open.larksuite.com/open-apis/bot/v2/hook/2b6a1c3d-44e5", True),
        ("http://127.0.0.1:8080/open-apis/bot/v2/hook/test-key", True),
        ("http://open.feishu.cn/open-apis/bot/v2/hook/2b6a1c3d", False),
        ("https://hooks.slack.com/services/T0/B0/x", False),
        ("https://open.feishu.cn/open-apis/im/v1/messages", False),
    ],
)
def test_url_problem_accepts_feishu_and_lark_hooks_only(url, fine):
    with language("en"):
        problem = PLATFORM.url_problem(url)
    assert (problem is None) is fine
    if not fine:
        assert problem == (
            "this is not a Feishu custom bot webhook: it looks like https://open.feishu.cn/open-apis/bot/v2/hook/… "
            "(Lark: https://open.larksuite.com/open-apis/bot/v2/hook/…). Copy it from the bot's settings in the group."
        )
