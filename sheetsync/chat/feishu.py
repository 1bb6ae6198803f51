"""飞书 (Feishu) and Lark custom group bots: a channel's digest as an interactive card on the group's webhook.

What the documentation says, and where (read December 2026):

- 自定义机器人使用指南 (custom bot guide),
  https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot :
  the webhook is https://open.feishu.cn/open-apis/bot/v2/hook/<token> (Lark:
  open.larksuite.com); a request body may be at most 20 KB; one bot may post
  100 times a minute and 5 times a second; with 签名校验 the body carries
  `timestamp` (seconds, a string, within an hour of Feishu's clock) and `sign`,
  the base64 HMAC-SHA256 whose *key* is f"{timestamp}\\n{secret}" over an empty
  message; answers are {"code", "msg", "data"}: 0 success, 9499 Bad Request (a
  malformed or too large body), 19021 sign match fail or timestamp not within
  one hour, 19022 Ip Not Allowed, 19024 Key Words Not Found, 11232 rate limited;
  a card goes in `card` with `msg_type: "interactive"`, and a custom bot can
  @-mention in a card only by open_id or user_id.
- 富文本（Markdown）组件 (the card's markdown syntax),
  https://open.feishu.cn/document/feishu-cards/card-components/content-components/rich-text :
  `<at id=…></at>` for a person, `<at id=all></at>` for everyone (the group owner
  must allow @all, or the card is refused), and 特殊字符转义: a character the
  markdown would read (`* ~ < > [ ] _` …) is written as its HTML entity `&#NN;`.
- Card JSON 1.0 (config / header with a `template` colour / elements),
  https://open.feishu.cn/document/feishu-cards/card-json-structure .
- Seen in the field, not in the guide: an unknown token answers
  "param invalid: incoming webhook access token invalid" (code 19001), and a burst
  can answer 9499 with msg "too many request" (HTTP 400), e.g.
  https://github.com/ccfos/nightingale/issues/1437 — both are understood below.

Why a card and not `post`: the card gives the title its own coloured header and
the footer a quieter `note`, and its markdown carries bold, links and @-mentions
in one text per part; `post` would need every line rebuilt as tag objects for the
same result. The header is a neutral blue: the ChatMessage does not say the
launch state in a form this module could read without parsing its sentence.

Not sent: the timeline picture. A custom bot can show an image only by an
`image_key`, which comes from the app API's upload (a tenant token a custom bot
does not have), so the card links to the sheet instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..contract import platform_label
from ..i18n import _, language
from .model import (
    ChatMessage,
    Mention,
    Outcome,
    Payload,
    is_webhook,
    more_in_sheet,
    open_sheet,
    pack,
    quoted,
    redirect_outcome,
    waiting_heading,
)

HOSTS = ("open.feishu.cn", "open.larksuite.com")  # Feishu, and Lark which shares the format
HOOK_PATH = re.compile(r"/open-apis/bot/v2/hook/[A-Za-z0-9-]+")
BODY_LIMIT = 20_000  # "请求体的数据大小不能超过 20 KB": read as 20,000 bytes, the stricter reading of KB
SIGNATURE_ROOM = 120  # what signed() adds: "timestamp" and a 44-character "sign", with their JSON punctuation
HEADER_COLOUR = "blue"  # neutral; see the module docstring
MENTIONABLE = re.compile(r"[A-Za-z0-9_-]+")  # open_id (ou_…) or user_id; anything else is named, not mentioned

# 特殊字符转义: the characters lark_md would read as markup, as the entities the card shows literally.
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>*_~`[]\\"}
_MARKUP = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")


def escape(text: str) -> str:
    """Cell text as lark_md shows it literally: `*`, `<at …>`, `[x](y)` stay characters, not markup."""
    return _MARKUP.sub(lambda m: _ENTITIES[m.group()], text)


def sign(timestamp: str, secret: str) -> str:
    """The 签名校验 signature: base64 of HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def body_size(body: Mapping[str, Any]) -> int:
    """Bytes of `body` as chat/post.py sends it: UTF-8 JSON, a Chinese character 3 bytes."""
    return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))


class Feishu:
    """The Platform for 飞书 / Lark custom bots (see the module docstring for the documented rules)."""

    name = "feishu"
    per_minute = 100  # "单租户单机器人 100 次/分钟，5 次/秒": post.py paces a minute; 5/s is never reached by a digest

    def url_problem(self, url: str) -> str | None:
        """None for a Feishu or Lark custom-bot webhook (or a loopback test server), else how one looks."""
        if is_webhook(url, HOSTS, lambda parts: bool(HOOK_PATH.fullmatch(parts.path))):
            return None
        return _(
            "this is not a Feishu custom bot webhook: it looks like "
            "https://open.feishu.cn/open-apis/bot/v2/hook/… "
            "(Lark: https://open.larksuite.com/open-apis/bot/v2/hook/…). "
            "Copy it from the bot's settings in the group."
        )

    def payloads(self, message: ChatMessage) -> list[Payload]:
        """The digest as one card per part (at most three, the last ending with the sheet's link if trimmed)."""
        with language(message.lang):
            blocks = _blocks(message)
            more = _more(message.link)
            widest = _title(message.title, 3, 3)
            frame = body_size(_body(widest, "", message.footer)) + SIGNATURE_ROOM
            texts = pack(blocks, BODY_LIMIT - frame, size=_json_size, more=more)
            return [
                Payload(
                    str(n), _body(_title(message.title, n, len(texts)), text, message.footer if n == len(texts) else "")
                )
                for n, text in enumerate(texts, start=1)
            ]

    def notice(self, text: str) -> dict[str, Any]:
        """A one-line card, such as the note before a post an interrupted run may have made."""
        return {"msg_type": "interactive", "card": {"elements": [{"tag": "div", "text": {"tag": "lark_md",
                                                                                          "content": escape(text)}}]}}

    def signed(self, url: str, secret: str | None, body: dict[str, Any], now: float) -> tuple[str, dict[str, Any]]:
        """The body with `timestamp` and `sign` when the bot has 签名校验 on; the URL is unchanged."""
        if not secret:
            return url, body
        timestamp = str(int(now))
        return url, {"timestamp": timestamp, "sign": sign(timestamp, secret), **body}

    def outcome(self, status: int, headers: Mapping[str, str], content: bytes) -> Outcome:
        """Feishu's answer understood: success, a retry (rate limit, its own trouble), or what to fix."""
        if (redirected := redirect_outcome(platform_label("feishu"), status, headers)) is not None:
            return redirected
        if status >= 500 or status == 429:
            return Outcome(
                False, retry=True, reason=_("Feishu had trouble (HTTP {status}); trying again.", status=status)
            )
        try:
            answer = json.loads(content.decode("utf-8"))
            code = int(answer.get("code", answer.get("StatusCode")))
            msg = str(answer.get("msg", answer.get("StatusMessage", "")))
        except (ValueError, TypeError, AttributeError):
            if status == 404:
                return Outcome(False, reason=_bad_address(), address=True)
            reason = _("Feishu answered HTTP {status}: {text}", status=status, text=quoted(content))
            return Outcome(False, reason=reason)
        if code == 0:
            return Outcome(True)
        if code == 11232 or (code == 9499 and "too many" in msg.lower()):
            return Outcome(
                False, retry=True, reason=_("Feishu limits a bot to 100 messages a minute; waiting to try again.")
            )
        reason = _reason(code, msg)
        return Outcome(False, reason=reason or _("Feishu refused the message: code {code}, {msg}", code=code, msg=msg),
                       signature=code == 19021,
                       address=reason == _bad_address())


def _reason(code: int, msg: str) -> str:
    if code == 19021:
        return _(
            "Feishu refused the signature: copy the bot's signing secret again into the channel's secret setting, "
            "and check that this computer's clock is right (Feishu allows one hour)."
        )
    if code == 19024:
        return _(
            "The bot's keyword check refused the message: add a word every digest contains (the project's name, "
            "or sheetsync) to the bot's keywords, or turn the keyword check off."
        )
    if code == 19022:
        return _(
            "The bot accepts only listed IP addresses and this computer's is not one: add it to the bot's IP "
            "whitelist, or turn the IP check off."
        )
    if code == 19001 or "access token invalid" in msg:
        return _bad_address()
    if code == 9499:
        return _(
            "Feishu could not read the message (code 9499, {msg}); please report this to sheetsync's maintainers.",
            msg=msg,
        )
    return ""


def _bad_address() -> str:
    return _(
        "Feishu does not know this webhook address: "
        "copy the bot's webhook address again into the channel's URL setting."
    )


def _json_size(text: str) -> int:
    """Bytes of the text inside the body's UTF-8 JSON: escapes counted, quotes not."""
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) - 2


def _title(title: str, part: int, parts: int) -> str:
    return title if parts == 1 else _("{title} ({part}/{parts})", title=title, part=part, parts=parts)


def _body(title: str, text: str, footer: str) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [{"tag": "div", "text": {"tag": "lark_md", "content": text.strip("\n")}}]
    if footer:
        elements += [{"tag": "hr"}, {"tag": "note", "elements": [{"tag": "plain_text", "content": footer}]}]
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": title}, "template": HEADER_COLOUR},
            "elements": elements,
        },
    }


def _mention(person: Mention) -> str:
    """The person's @-mention when Chat holds a Feishu ID, else their name in bold (a mobile cannot be @-ed)."""
    user = person.user_id
    if user and MENTIONABLE.fullmatch(user):
        return f"<at id={user}></at>"
    return f"**{escape(person.name)}**"


def _blocks(message: ChatMessage) -> list[str]:
    """The card's markdown, one block per line pack() may put in any part; a group's first line opens with a gap."""
    blocks = [f"**{escape(message.note)}**"] if message.note else []
    everyone = "<at id=all></at> " if message.mention_all else ""
    blocks.append(f"{everyone}**{escape(message.headline)}**")
    blocks += [escape(line) for line in message.lines]
    if message.waiting:
        blocks.append("\n**" + escape(waiting_heading()) + "**")
        for person, items in message.waiting:
            blocks.append(_mention(person))
            blocks += [f"• {escape(item)}" for item in items]
    for section in message.sections:
        blocks.append(f"\n**{escape(section.title)}**")
        blocks += [f"• {escape(line)}" for line in section.lines]
    if message.link:
        blocks.append("\n" + _link(open_sheet(), message.link))
    return blocks


def _link(label: str, url: str) -> str:
    return f"[{escape(label)}]({quote(url, safe=':/?#&=%+,;@!$~*._-')})"


def _more(link: str) -> str:
    """The trimmed digest's last line, its sheet link clickable."""
    text = more_in_sheet(link)
    if not link:
        return escape(text)
    before, _sep, after = text.partition(link)
    return escape(before) + _link(link, link) + escape(after)


PLATFORM = Feishu()
