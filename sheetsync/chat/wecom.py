"""企业微信 (WeCom) group robot: the digest as markdown, the timeline picture as an image, @-mentions.

What the robot takes, from its configuration page (群机器人配置说明,
https://developer.work.weixin.qq.com/document/path/91770):

- the webhook is ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY``,
  POSTed as UTF-8 JSON;
- ``markdown``: ``markdown.content`` at most 4096 bytes of UTF-8, a subset of
  markdown (headings, ``**bold**``, links, inline code, ``>`` quotes) plus
  ``<font color="info|comment|warning">`` and ``<@userid>`` to @ a member;
- ``text``: ``text.content`` at most 2048 bytes, with ``mentioned_list``
  (userids, or "@all") and ``mentioned_mobile_list`` (mobiles, or "@all") —
  the only way to @ a person known by mobile number, and the only @all:
  markdown has no mention fields. So a digest that @s someone by mobile, or
  everyone, ends with one short text message carrying those lists;
- ``image``: ``image.base64`` and ``image.md5`` (of the raw bytes), the raw
  picture at most 2 MB, JPG or PNG;
- at most 20 messages a minute per robot.

WeCom robots have no signature: ``signed`` returns the URL and body unchanged,
and a secret configured for a WeCom channel is ignored (the key in the URL is
the only credential).

WeCom answers errors with HTTP 200 and ``{"errcode", "errmsg"}``; the codes are
on the global error-code page (全局错误码,
https://developer.work.weixin.qq.com/document/path/90313): -1 system busy,
45009 over the call limit (lifted after the limit's own period: a minute
here), 93000 webhook URL not valid or the robot removed from the group, 93004
robot disabled, 93008 not in the group, 40008 invalid msgtype, 40058 invalid
parameter (what an over-long markdown gets: "markdown.content exceed max length
4096", https://github.com/RayWangQvQ/BiliBiliToolPro/issues/702), 44004 empty
content, 45002 content over the size limit, 40009 image size not valid, 40004
media type not valid.

WeCom documents no escape syntax, so the characters that would turn the
workbook's text into markup become full-width look-alikes, which read the same:
every "*", "`", "<" (never bold, code, a tag or an @-mention), "](" (never
a link), and a leading "#", ">", "-" or "+" (never a heading, quote or list).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

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

HOST = "qyapi.weixin.qq.com"
PATH = "/cgi-bin/webhook/send"
MARKDOWN_LIMIT = 4096  # bytes of markdown.content (document/path/91770)
TEXT_LIMIT = 2048  # bytes of text.content (document/path/91770)
IMAGE_LIMIT = 2 * 1024 * 1024  # raw image bytes before base64 (document/path/91770)
RATE_WAIT = 60.0  # 45009 lifts after the limit's period, a minute for 20 a minute (document/path/90313)

_INLINE = str.maketrans(MARKUP_LOOKALIKES)


def escape(text: str) -> str:
    """Cell text shown as written in WeCom markdown: never bold, a link, a <font> tag or a <@…> mention."""
    return lookalikes(text, _INLINE)


class WeCom:
    """The 企业微信 group robot as a `Platform`."""

    name = "wecom"
    per_minute = 20  # messages a robot may send a minute (document/path/91770)

    def url_problem(self, url: str) -> str | None:
        """None for a WeCom robot webhook (or a loopback test server), else what such an address looks like."""
        if is_webhook(url, {HOST}, lambda parts: parts.path == PATH and bool(parse_qs(parts.query).get("key"))):
            return None
        return _(
            "this is not a WeCom robot webhook: it looks like https://{host}{path}?key=…; "
            "copy it from the group robot's details into the channel's URL setting",
            host=HOST,
            path=PATH,
        )

    def payloads(self, message: ChatMessage) -> list[Payload]:
        """The markdown parts (each ≤ 4096 bytes), the @ by mobile / @all text, then the picture."""
        more = more_in_sheet(message.link)
        texts = pack(_blocks(message), MARKDOWN_LIMIT, size=utf8_size, joiner="\n", more=more)
        bodies: list[dict[str, Any]] = [{"msgtype": "markdown", "markdown": {"content": text}} for text in texts]
        mentions = _mention_text(message)
        if mentions is not None:
            bodies.append(mentions)
        payloads = [Payload(str(n), body) for n, body in enumerate(bodies, start=1)]
        picture = image_body(message.image)
        if picture is not None:
            payloads.append(Payload("image", picture))
        return payloads

    def notice(self, text: str) -> dict[str, Any]:
        """A one-line text message, such as the note before a post an interrupted run may have made."""
        return {"msgtype": "text", "text": {"content": text}}

    def signed(self, url: str, secret: str | None, body: dict[str, Any], now: float) -> tuple[str, dict[str, Any]]:
        """WeCom robots are not signed: the URL and body as they are, whatever `secret` holds."""
        return url, body

    def outcome(self, status: int, headers: Mapping[str, str], content: bytes) -> Outcome:
        """WeCom's answer understood: errcode 0 posted, -1 and 45009 worth another try, the rest what to fix."""
        if (redirected := redirect_outcome(platform_label("wecom"), status, headers)) is not None:
            return redirected
        if status >= 500 or status == 429:
            return Outcome(
                False,
                retry=True,
                reason=_("WeCom is having trouble (HTTP {status}); trying again later", status=status),
            )
        said = errcode_answer(content)
        if said is None:
            return Outcome(
                False,
                reason=_(
                    "WeCom answered HTTP {status} with something unexpected: {answer}", status=status,
                    answer=quoted(content),
                ),
            )
        code, text = said
        if code == 0:
            return Outcome(True)
        if code == -1:
            return Outcome(False, retry=True, reason=_("WeCom is busy (errcode -1); trying again later"))
        if code == 45009:
            return Outcome(
                False,
                retry=True,
                wait=RATE_WAIT,
                reason=_("WeCom says the robot is sending too fast (errcode 45009); waiting a minute"),
            )
        reason = _reasons().get(code)
        if reason is not None:
            return Outcome(False, reason=reason, address=code == 93000)
        return Outcome(False, reason=_("WeCom refused the message: errcode {code}, {text}", code=code, text=text))


def _reasons() -> dict[int, str]:
    """What to fix for each documented refusal (built per call: the words follow the active language)."""
    bad_url = _(
        "the WeCom webhook key is not valid or the robot was removed from the group (errcode 93000); "
        "copy the robot's webhook address again into the channel's URL setting"
    )
    return {
        93000: bad_url,
        93004: _("the WeCom robot is disabled (errcode 93004); turn it back on in the group's robot settings"),
        93008: _(
            "the WeCom robot is not in the group (errcode 93008); add it to the group again and copy its new webhook"
        ),
        40008: _rejected(40008),
        40058: _rejected(40058),
        44004: _rejected(44004),
        45002: _rejected(45002),
        40004: _("WeCom refused the timeline picture's type (errcode 40004); it must be PNG or JPG"),
        40009: _("WeCom refused the timeline picture's size (errcode 40009); it must be at most 2 MB"),
    }


def _rejected(code: int) -> str:
    return _(
        "WeCom rejected the message's format (errcode {code}); this is a sheetsync bug, please report it", code=code
    )


def _blocks(message: ChatMessage) -> list[str]:
    """The digest as markdown blocks in reading order; pack() keeps each whole within one part."""
    blocks: list[str] = []
    if message.note:
        blocks.append(f'<font color="warning">{escape(message.note)}</font>')
    blocks.append(f"**{escape(message.title)}**")
    blocks.append(escape(message.headline))
    blocks += [f"> {escape(line)}" for line in message.lines]
    if message.waiting:
        waiting = waiting_heading()
        blocks.append(f"**{escape(waiting)}**")
        for person, items in message.waiting:
            blocks.append(_who(person))
            blocks += [f"> {escape(item)}" for item in items]
    for section in message.sections:
        blocks.append(f"**{escape(section.title)}**")
        blocks += [f"> {escape(line)}" for line in section.lines]
    if message.link:
        label = open_sheet()
        blocks.append(f"[{escape(label)}]({_link(message.link)})")
    if message.footer:
        blocks.append(f'<font color="comment">{escape(message.footer)}</font>')
    return blocks


_USERID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")  # WeCom userids: letters, digits, _ - . @ (up to 64)


def _who(person: Mention) -> str:
    """How a person is named: <@userid> when Chat holds a userid; else the bold name (a mobile is @'d by text)."""
    user_id = person.user_id
    if user_id and _USERID.match(user_id):
        return f"<@{user_id}>"
    return f"**{escape(person.name)}**"


def _link(url: str) -> str:
    """The sheet's URL inside (...) of a markdown link: no character that would end it early."""
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _mention_text(message: ChatMessage) -> dict[str, Any] | None:
    """The text message that @s by mobile and/or everyone (markdown cannot), or None when nobody needs it."""
    people = [person for person, _items in message.waiting if person.mobile]
    if not people and not message.mention_all:
        return None
    if people:
        names = _(", ").join(person.name for person in people)
        words = _("{names}: the digest above lists what is waiting on you.", names=names)
    else:
        words = _("Everyone: please read the digest above.")
    text: dict[str, Any] = {"content": pack([words], TEXT_LIMIT, size=utf8_size)[0]}
    if people:
        text["mentioned_mobile_list"] = [person.mobile for person in people]
    if message.mention_all:
        text["mentioned_list"] = ["@all"]
    return {"msgtype": "text", "text": text}


def image_body(picture: bytes | None) -> dict[str, Any] | None:
    """The timeline picture as an image message, or None when there is none or it breaks the documented rules."""
    if not picture or len(picture) > IMAGE_LIMIT or not _is_png_or_jpg(picture):
        return None
    return {
        "msgtype": "image",
        "image": {"base64": base64.b64encode(picture).decode("ascii"), "md5": hashlib.md5(picture).hexdigest()},
    }


def _is_png_or_jpg(picture: bytes) -> bool:
    return picture.startswith(b"\x89PNG\r\n\x1a\n") or picture.startswith(b"\xff\xd8\xff")


PLATFORM = WeCom()
