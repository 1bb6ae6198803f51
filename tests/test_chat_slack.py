"""Slack incoming-webhook digests: rendered as Block Kit, posted to a fake that checks them as Slack documents."""

from __future__ import annotations

import time

import pytest
import requests
from chat_samples import ALICE, LINK, en_brief, en_detailed, very_long, zh_brief, zh_detailed
from fake_chat import Request
from fake_chat.slack import FakeSlack

from sheetsync.chat.model import Mention
from sheetsync.chat.slack import HEADER_CHARS, MAX_BLOCKS, PLATFORM, SECTION_CHARS, escape
from sheetsync.i18n import language


def post(fake: FakeSlack, body: dict, *, url: str | None = None, secret: str | None = None):
    """POST one payload the way post.py does, then the answer understood."""
    target, signed = PLATFORM.signed(url or fake.url(), secret, body, time.time())
    answer = requests.post(target, json=signed, timeout=5)
    return answer, PLATFORM.outcome(answer.status_code, answer.headers, answer.content)


def send_all(fake: FakeSlack, message) -> list[Request]:
    for payload in PLATFORM.payloads(message):
        _answer, outcome = post(fake, payload.body)
        assert outcome.ok, outcome.reason
    return fake.accepted


def test_en_brief_shows_the_launch_each_persons_work_and_mentions_member_ids():
    with FakeSlack() as fake:
        [request] = send_all(fake, en_brief())
    assert request.json["text"] == "[Spring launch] Launch at risk: projected 2026-12-22, planned 2026-12-18"
    assert FakeSlack.header(request) == request.json["text"]
    assert FakeSlack.mrkdwn(request) == (
        "*Launch at risk: projected 2026-12-22, planned 2026-12-18 (2 working days late)*\n"
        "Next milestone: T7 Client sign-off, due 2026-12-09\n"
        "2 overdue, 3 due soon\n"
        "*Waiting on each person*\n"
        "<@U024BE7LH>\n"
        "• T5 Write copy: due 2026-12-08 (OVERDUE)\n"
        "• review A1 round 2 (client), pending 3 working days\n"
        "*Bob Li*\n"  # a Feishu open_id is no Slack member: named, not mentioned
        "• T6 First design: due 2026-12-10 (DUE SOON)\n"
        "*王芳*\n"
        '• client request "make the hero blue" (T6), due 2026-12-11\n'
        f"<{LINK}|Open the sheet>\n"
        "Spring launch · 2026-12-07 · sheetsync"
    )
    assert FakeSlack.mentions(request) == [ALICE.chat]
    assert [b["type"] for b in request.json["blocks"]] == ["header"] + ["section"] * 6 + ["context"]


def test_zh_brief_names_people_whose_chat_is_no_slack_member_id():
    with FakeSlack() as fake:
        [request] = send_all(fake, zh_brief(platform="slack"))
    text = FakeSlack.mrkdwn(request)
    assert (
        "*各人待办*\n*张伟*\n• T5 文案撰写：截止 2026-12-08（逾期）\n• 审核 A1 第 2 轮（客户），已等待 3 个工作日\n*李娜*\n"
        in text
    )
    assert text.endswith(f"<{LINK}|打开表格>\n春季新品上市 · 2026-12-07 · sheetsync")
    assert FakeSlack.mentions(request) == []


def test_mention_all_is_at_channel_and_a_w_id_is_a_member():
    message = en_brief(mention_all=True, waiting=[(Mention("Grid user", "W0123ABCD"), ["T9 Brief"])])
    with FakeSlack() as fake:
        [request] = send_all(fake, message)
    assert FakeSlack.mrkdwn(request).startswith("<!channel> *Launch at risk")
    assert FakeSlack.mentions(request) == ["!channel", "W0123ABCD"]


def test_cell_text_cannot_become_a_mention_a_link_or_bold():
    hostile = "<!here> <@U999> *bold* ~gone~ `code` _it_ a_b & <https://evil.example|click>"
    message = en_brief(note="*Repeat*", waiting=[(Mention("<@U999>", "not an id"), [hostile])])
    with FakeSlack() as fake:
        [request] = send_all(fake, message)
    text = FakeSlack.mrkdwn(request)
    assert FakeSlack.mentions(request) == []
    assert text.startswith("*∗Repeat∗*\n")
    assert (
        "*&lt;@U999&gt;*\n"
        "• &lt;!here&gt; &lt;@U999&gt; ∗bold∗ ∼gone∼ ˋcodeˋ ˍitˍ a_b &amp; &lt;https://evil.example|click&gt;\n"
    ) in text
    assert escape("&amp;") == "&amp;amp;"


def test_detailed_digest_has_its_sections_and_no_picture():
    assert [p.part for p in PLATFORM.payloads(en_detailed())] == ["1"]  # no public URL for the picture
    with FakeSlack() as fake:
        [request] = send_all(fake, en_detailed())
    assert (
        "*Overdue*\n• T5 Write copy · Alice Chen · due 2026-12-08\n• T3 Influencer list · Bob Li · due 2026-12-04\n"
        in (FakeSlack.mrkdwn(request))
    )
    assert "*Triggered risks*\n• R2 Client feedback late: now 4 &gt;= 3;" in FakeSlack.mrkdwn(request)


def test_a_long_digest_splits_into_messages_of_at_most_50_blocks_and_3000_character_sections():
    message = very_long(zh_detailed(platform="slack"), rows=3000)
    with FakeSlack() as fake:
        accepted = send_all(fake, message)
    assert len(accepted) == 2
    assert [FakeSlack.header(r)[-5:] for r in accepted] == ["（1/2）", "（2/2）"]
    blocks = [b for r in accepted for b in r.json["blocks"]]
    assert max(len(r.json["blocks"]) for r in accepted) <= MAX_BLOCKS
    assert max(len(b["text"]["text"]) for b in blocks if b["type"] == "section") <= SECTION_CHARS
    text = "\n".join(FakeSlack.mrkdwn(r) for r in accepted)
    assert all(f"• T{n} 任务 {n} · " in text for n in range(3000))
    assert text.endswith(f"<{LINK}|打开表格>\n春季新品上市 · 2026-12-07 · sheetsync")
    assert [b["type"] for b in accepted[0].json["blocks"]][-1] == "section"  # footer on the last message only


def test_a_very_long_digest_is_trimmed_to_three_messages_ending_with_the_sheets_link():
    message = very_long(en_detailed(), rows=10000)
    with FakeSlack() as fake:
        accepted = send_all(fake, message)
    assert len(accepted) == 3
    last = FakeSlack.mrkdwn(accepted[2])
    assert last.endswith(f"\n… more in the sheet: <{LINK}|{LINK}>\nSpring launch · 2026-12-07 · sheetsync")
    assert "T9999 Task" not in last


def test_a_title_past_150_characters_is_cut_for_the_header():
    message = en_brief(title="[Spring launch] " + "very " * 40 + "long title")
    [payload] = PLATFORM.payloads(message)
    header = payload.body["blocks"][0]["text"]["text"]
    assert (len(header), header[-1]) == (HEADER_CHARS, "…")
    with FakeSlack() as fake:
        assert post(fake, payload.body)[1].ok


def test_a_secret_is_ignored_because_incoming_webhooks_are_not_signed():
    body = PLATFORM.payloads(en_brief())[0].body
    assert PLATFORM.signed("https://hooks.slack.com/services/T1/B1/x", "secret", body, 0.0) == (
        "https://hooks.slack.com/services/T1/B1/x",
        body,
    )
    with FakeSlack() as fake:
        assert post(fake, body, secret="whatever")[1].ok


def test_rate_limit_waits_as_retry_after_says_and_slacks_own_trouble_is_retried():
    body = PLATFORM.payloads(en_brief())[0].body
    with FakeSlack(retry_after=7) as fake, language("en"):
        fake.fail_next(1, "rate")
        answer, outcome = post(fake, body)
        assert (answer.status_code, answer.headers["Retry-After"]) == (429, "7")
        assert (outcome.ok, outcome.retry, outcome.wait) == (False, True, 7.0)
        fake.fail_next(1, "server")
        answer, outcome = post(fake, body)
        assert (answer.status_code, answer.text, outcome.retry, outcome.wait) == (500, "rollup_error", True, None)
        assert post(fake, body)[1].ok


def test_a_wrong_webhook_says_to_create_it_again():
    body = PLATFORM.payloads(en_brief())[0].body
    with FakeSlack() as fake, language("zh"):
        answer, outcome = post(fake, body, url=fake.url("wrongkey"))
        assert (answer.status_code, answer.text) == (403, "invalid_token")
        assert (outcome.ok, outcome.retry) == (False, False)
        assert outcome.reason == (
            "Slack 找不到这个 webhook（已被删除或地址有误）：请在 Slack 应用中重新创建 Incoming Webhook，"
            "并把地址填入该群聊的 URL 设置。"
        )
        answer, _outcome = post(fake, body, url=fake.base + "/services/nope")
        assert (answer.status_code, answer.text) == (404, "no_service")


def test_the_fake_refuses_what_slack_refuses():
    good = PLATFORM.payloads(en_brief())[0].body
    cases = [
        ({"blocks": good["blocks"]}, "no_text"),
        ({**good, "blocks": good["blocks"] * 7}, "invalid_blocks"),  # 56 blocks
        ({**good, "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]}, "invalid_blocks"),
        ({**good, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]}, "invalid_blocks"),
        ({**good, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "<@lina> hi"}}]}, "invalid_blocks"),
        ({**good, "blocks": [{"type": "banner"}]}, "invalid_blocks"),
    ]
    with FakeSlack() as fake:
        for body, code in cases:
            answer, _outcome = post(fake, body)
            assert (answer.status_code, answer.text) == (400, code)
    assert fake.accepted == []


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        (410, "channel_is_archived", "Slack will not post to this webhook's channel (channel_is_archived): check"),
        (404, "channel_not_found", "Slack will not post to this webhook's channel (channel_not_found): check"),
        (403, "action_prohibited", "Slack will not post to this webhook's channel (action_prohibited): check"),
        (404, "no_service", "Slack does not know this webhook (it was removed or the address is wrong)"),
        (400, "invalid_blocks", "Slack could not read the message (invalid_blocks); please report this"),
        (400, "something_new", "Slack refused the message: HTTP 400, something_new"),
    ],
)
def test_slacks_error_codes_name_what_to_fix_or_quote_slack(status, code, reason):
    with language("en"):
        outcome = PLATFORM.outcome(status, {"Content-Type": "text/plain"}, code.encode())
    assert (outcome.ok, outcome.retry) == (False, False)
    assert outcome.reason.startswith(reason)


@pytest.mark.parametrize(
    ("url", "fine"),
    [
        ("https://hooks.slack.com/services/T024BE7LD/B08ABCDEF12/AbCdEf0123456789xyzXYZab", True),
        ("http://localhost:9000/services/T0001/B0001/testkey", True),
        ("http://hooks.slack.com/services/T024BE7LD/B08ABCDEF12/AbCdEf", False),
        ("https://hooks.slack.com/workflows/T024BE7LD/A1/123/abc", False),
        ("https://open.feishu.cn/open-apis/bot/v2/hook/abc", False),
    ],
)
def test_url_problem_accepts_slack_incoming_webhooks_only(url, fine):
    with language("en"):
        problem = PLATFORM.url_problem(url)
    assert (problem is None) is fine
    if not fine:
        assert problem == (
            "this is not a Slack incoming webhook: it looks like https://hooks.slack.com/services/T…/B…/…. "
            "Copy it from the Slack app's Incoming Webhooks page."
        )
