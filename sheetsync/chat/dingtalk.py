"""钉钉 (DingTalk) custom robot: the digest as markdown, @-mentions by mobile or userId, the 加签 signature.

What the robot takes, from the custom-robot pages
(https://open.dingtalk.com/document/orgapp/custom-robot-access, in English
https://help.dingtalk.io/open/development/custom-robots-send-group-messages,
and the message types, https://open.dingtalk.com/document/orgapp/message-type):

- the webhook is ``https://oapi.dingtalk.com/robot/send?access_token=TOKEN``,
  POSTed as UTF-8 JSON;
- ``markdown`` with ``markdown.title`` (what the notification shows) and
  ``markdown.text``; ``at.atMobiles``, ``at.atUserIds`` and ``at.isAtAll``
  mention people, and the text must hold ``@<mobile>`` / ``@<userId>`` where
  each should appear;
- ``msgUuid``, an idempotency key: DingTalk posts a message once however many
  times it is sent with the same key (custom-robots-send-group-messages);
- at most 20 messages a minute per robot; a robot that sends more is held
  back for 10 minutes;
- with the 加签 security setting on, each call carries ``timestamp`` (Unix
  milliseconds, within an hour of DingTalk's clock) and ``sign``: the
  URL-encoded base64 of HMAC-SHA256 keyed by the secret over
  ``"{timestamp}\\n{secret}"``
  (https://help.dingtalk.io/open/dingstart/customize-robot-security-settings).

The size of ``markdown.text`` is not documented for the webhook. The nearest
documented limit is 5000 characters for a chat message's markdown (errcode
34016 of the older server API's global error codes, as copied at
https://blog.csdn.net/weixin_40514790/article/details/104249446); parts here stay within 4000 bytes of UTF-8,
which is under that however the platform counts.

The timeline picture is left out: a webhook markdown can only show a picture by
public URL, and the digest's picture has none.

DingTalk answers errors with HTTP 200 and ``{"errcode", "errmsg"}``. 310000 is
the security check failing, and errmsg says which (the older wording: "sign not
match", "invalid timestamp", "keywords not in content", "ip X.X.X.X not in
whitelist"; the newer a Chinese description such as 机器人发送签名不匹配 —
https://github.com/jenkinsci/dingtalk-plugin/issues/116,
https://github.com/qd-today/qd/issues/510). 410100 (formerly 130101, "send too
fast, exceed 20 times per minute") is the rate limit; 300001 and 300005 "token
is not exist" a wrong access_token
(https://github.com/timonwong/prometheus-webhook-dingtalk/issues/91, /226);
-1 system busy.

DingTalk documents no escape syntax, so the characters that would turn the
workbook's text into markup become full-width look-alikes, which read the same:
every "*", "`", "<" and "@" (never bold, code, a tag or an @-mention), "](" (never
a link), and a leading "#", ">", "-" or "+" (never a heading, quote or list).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from ..contract import platform_label
from ..i18n import _
from .model import (
    MARKUP_LOOKALIKES,
    ChatMessage,
    Mention,
    Outcome,
    Payload,
    errcode_answer,
    is_webhook,
    lookalikes,
    more_in_sheet,
    open_sheet,
    pack,
    quoted,
    redirect_outcome,
    utf8_size,
    waiting_heading,
)

HOST = "oapi.dingtalk.com"
PATH = "/robot/send"
MARKDOWN_LIMIT = 4000  # bytes: the webhook's own limit is undocumented; see the module docstring
TITLE_LIMIT = 64  # characters of a title (errcode 34016's limit for chat messages; undocumented for the webhook)
RATE_WAIT = 600.0  # a robot over 20 a minute is held back 10 minutes (custom-robot-access)

_INLINE = str.maketrans({**MARKUP_LOOKALIKES, "@": "＠"})  # and never an @-mention
_USER_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")  # a userId we can write after "@" without it running into text


def escape(text: str) -> str:
    """Cell text shown as written in DingTalk markdown: never bold, a link, a heading or an @-mention."""
    return lookalikes(text, _INLINE)


def sign(secret: str, timestamp: str) -> str:
    """The 加签 signature (not yet URL-encoded): base64 of HMAC-SHA256(secret, "{timestamp}\\n{secret}")."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class DingTalk:
    """The 钉钉 custom robot as a `Platform`."""

    name = "dingtalk"
    per_minute = 20  # messages a robot may send a minute (custom-robot-access)
    deduplicates = True  # each part's msgUuid: a repeated post is shown once, so a repeat needs no notice

    def url_problem(self, url: str) -> str | None:
        """None for a DingTalk robot webhook (or a loopback test server), else what such an address looks like."""
        if is_webhook(url, {HOST}, lambda p: p.path == PATH and bool(parse_qs(p.query).get("access_token"))):
            return None
        return _(
            "this is not a DingTalk robot webhook: it looks like https://{host}{path}?access_token=…; "
            "copy it from the custom robot's settings into the channel's URL setting",
            host=HOST,
            path=PATH,
        )

    def payloads(self, message: ChatMessage) -> list[Payload]:
        """The markdown parts (each ≤ 4000 bytes), each with the @-mention fields of the people its text @s."""
        everyone = escape(_("Everyone: please read this digest.")) if message.mention_all else ""
        texts = pack(
            _blocks(message, everyone), MARKDOWN_LIMIT, size=utf8_size, joiner="\n\n", more=more_in_sheet(message.link)
        )
        title = message.title if len(message.title) <= TITLE_LIMIT else message.title[: TITLE_LIMIT - 1] + "…"
        payloads = []
        for n, text in enumerate(texts, start=1):
            body = {
                "msgtype": "markdown",
                "markdown": {"title": title, "text": text},
                "at": _at(message, text, everyone),
                "msgUuid": message_uuid(message, n),
            }
            payloads.append(Payload(str(n), body))
        return payloads

    def notice(self, text: str) -> dict[str, Any]:
        """A one-line text message (never needed for a repeat: msgUuid keeps DingTalk from showing one)."""
        return {"msgtype": "text", "text": {"content": escape(text)}}

    def signed(self, url: str, secret: str | None, body: dict[str, Any], now: float) -> tuple[str, dict[str, Any]]:
        """The webhook URL with `timestamp` (ms) and `sign` added when the channel has a 加签 secret."""
        if not secret:
            return url, body
        timestamp = str(int(now * 1000))
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("timestamp", "sign")]
        query += [("timestamp", timestamp), ("sign", sign(secret, timestamp))]
        return urlunsplit(parts._replace(query=urlencode(query))), body

    def outcome(self, status: int, headers: Mapping[str, str], content: bytes) -> Outcome:
        """DingTalk's answer understood: errcode 0 posted, -1 and the rate limit retried, else what to fix."""
        if (redirected := redirect_outcome(platform_label("dingtalk"), status, headers)) is not None:
            return redirected
        if status >= 500 or status == 429:
            return Outcome(
                False,
                retry=True,
                reason=_("DingTalk is having trouble (HTTP {status}); trying again later", status=status),
            )
        said = errcode_answer(content)
        if said is None:
            return Outcome(
                False,
                reason=_(
                    "DingTalk answered HTTP {status} with something unexpected: {answer}", status=status,
                    answer=quoted(content),
                ),
            )
        code, text = said
        if code == 0:
            return Outcome(True)
        if code == -1:
            return Outcome(False, retry=True, reason=_("DingTalk is busy (errcode -1); trying again later"))
        if code in (410100, 130101):
            return Outcome(
                False,
                retry=True,
                wait=RATE_WAIT,
                reason=_(
                    "DingTalk holds the robot back for sending too fast (errcode {code}); waiting 10 minutes", code=code
                ),
            )
        if code in (300001, 300005):
            return Outcome(
                False,
                reason=_(
                    "the DingTalk access_token is not valid (errcode {code}); "
                    "copy the robot's webhook address again into the channel's URL setting",
                    code=code,
                ),
                address=True,
            )
        if code == 310000:
            said = text.split(";solution", 1)[0].lower()
            signed = any(word in said for word in ("sign", "签名", "timestamp", "时间戳", "过期", "expire"))
            return Outcome(False, reason=_security(text), signature=signed)
        return Outcome(False, reason=_("DingTalk refused the message: errcode {code}, {text}", code=code, text=text))


def message_uuid(message: ChatMessage, part: int) -> str:
    """DingTalk's idempotency key (msgUuid) for one part: the same digest's same part always gets the same key.

    DingTalk does not post a message twice under one msgUuid, which is what a
    retry after a timeout or an interrupted run needs. The key covers what the
    group reads, except the note an interrupted run adds, so a repeat of an
    unchanged digest is dropped by DingTalk while a changed digest is new.
    """
    said = [message.channel, message.kind, message.title, message.headline, *message.lines, message.footer]
    for person, items in message.waiting:
        said += [person.name, person.chat, *items]
    for section in message.sections:
        said += [section.title, *section.lines]
    said += [str(message.mention_all), message.link, str(part)]
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "sheetsync:dingtalk:" + "\x1f".join(said)))


def _security(errmsg: str) -> str:
    """Which of the robot's security settings refused the message (errcode 310000), from errmsg's wording."""
    said = errmsg.split(";solution", 1)[0].lower()
    if any(word in said for word in ("timestamp", "时间戳", "过期", "expire")):  # 机器人发送签名过期: the clock
        return _(
            "DingTalk refused the signature's time (errcode 310000); set this computer's clock right "
            "(it must be within an hour of the real time)"
        )
    if "sign" in said or "签名" in said:
        return _(
            "DingTalk says the signature does not match (errcode 310000); copy the robot's 加签 secret "
            "(it starts with SEC) again into the channel's secret setting"
        )
    if "keyword" in said or "关键词" in said:
        return _(
            "DingTalk found none of the robot's keywords in the message (errcode 310000); use 加签 instead of "
            "keywords in the robot's security settings, or add a keyword the digest always contains, such as sheetsync"
        )
    if "ip" in said or "白名单" in said:
        return _(
            "DingTalk refused this computer's IP address (errcode 310000: {text}); add it to the robot's IP "
            "whitelist, or use 加签 instead",
            text=errmsg,
        )
    return _(
        "DingTalk's security check refused the message (errcode 310000: {text}); check the robot's security settings",
        text=errmsg,
    )


def _blocks(message: ChatMessage, everyone: str) -> list[str]:
    """The digest as markdown blocks in reading order (blank line between: DingTalk keeps single newlines together)."""
    blocks: list[str] = []
    if message.note:
        blocks.append(f"> {escape(message.note)}")
    blocks.append(f"### {escape(message.title)}")
    blocks.append(f"**{escape(message.headline)}**")
    if everyone:
        blocks.append(everyone)
    blocks += [f"- {escape(line)}" for line in message.lines]
    if message.waiting:
        waiting = waiting_heading()
        blocks.append(f"**{escape(waiting)}**")
        for person, items in message.waiting:
            blocks.append(_who(person))
            blocks += [f"- {escape(item)}" for item in items]
    for section in message.sections:
        blocks.append(f"**{escape(section.title)}**")
        blocks += [f"- {escape(line)}" for line in section.lines]
    if message.link:
        label = open_sheet()
        blocks.append(f"[{escape(label)}]({_link(message.link)})")
    if message.footer:
        blocks.append(escape(message.footer))
    return blocks


def _token(person: Mention) -> str | None:
    """What follows "@" in the text to mention `person`: the mobile, else a plain userId, else None."""
    if person.mobile:
        return person.mobile
    user_id = person.user_id
    return user_id if user_id and _USER_ID.match(user_id) else None


def _who(person: Mention) -> str:
    token = _token(person)
    name = f"**{escape(person.name)}**"
    return f"{name} @{token}" if token else name


def _at(message: ChatMessage, text: str, everyone: str) -> dict[str, Any]:
    """The mention fields for one part: exactly the people whose @token that part's text holds."""
    mobiles: list[str] = []
    user_ids: list[str] = []
    for person, _items in message.waiting:
        token = _token(person)
        if token is None or not re.search(rf"@{re.escape(token)}(?![A-Za-z0-9_.-])", text):
            continue
        target = mobiles if person.mobile else user_ids
        if token not in target:
            target.append(token)
    return {"atMobiles": mobiles, "atUserIds": user_ids, "isAtAll": bool(everyone) and everyone in text}


def _link(url: str) -> str:
    """The sheet's URL inside (...) of a markdown link: no character that would end it early."""
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


PLATFORM = DingTalk()
