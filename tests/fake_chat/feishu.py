"""A local 飞书 custom bot webhook that checks each POST as the custom bot guide documents it.

https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot : the hook path,
a JSON body of at most 20 KB (9499 Bad Request otherwise), 签名校验 recomputed from
the secret with the timestamp within an hour (19021), the keyword check (19024),
the card's JSON 1.0 shape (header title plain_text and a documented template
colour, elements with known tags, div text plain_text or lark_md), and the
`<at id=…></at>` tags a custom bot may use in a card (open_id / user_id, or all).
Rate limiting answers 11232; Feishu's own trouble an HTTP 500.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from . import Answer, FakeBot, Request

BODY_LIMIT = 20 * 1024  # "不能超过 20 KB": the fake takes the looser reading, the module the stricter one
HOOK = re.compile(r"/open-apis/bot/v2/hook/([^/]+)")
AT_TAG = re.compile(r"<at\s+id=([^>]*)></at>")
TEMPLATES = {
    "blue", "wathet", "turquoise", "green", "yellow", "orange", "red",
    "carmine", "violet", "purple", "indigo", "grey", "default",
}  # fmt: skip
TEXT_TAGS = {"plain_text", "lark_md"}
ELEMENT_TAGS = {"div", "hr", "note", "markdown", "img", "action", "column_set"}


def _error(code: int, msg: str) -> Answer:
    return Answer(400, {"code": code, "msg": msg, "data": {}})


BAD_REQUEST = _error(9499, "Bad Request")
BAD_SIGN = _error(19021, "sign match fail or timestamp is not within one hour from current time")
BAD_TOKEN = _error(19001, "param invalid: incoming webhook access token invalid")
NO_KEYWORD = _error(19024, "Key Words Not Found")


class FakeFeishu(FakeBot):
    """飞书's custom bot webhook on 127.0.0.1; `mentions(request)` and `markdown(request)` read what was shown."""

    platform = "feishu"

    def __init__(
        self,
        secret: str | None = None,
        *,
        key: str = "test-key",
        keywords: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(secret)
        self.key = key
        self.keywords = tuple(keywords)
        self.clock = clock

    def url(self, key: str | None = None) -> str:
        return f"{self.base}/open-apis/bot/v2/hook/{key or self.key}"

    def trouble(self, kind: str) -> Answer:
        if kind == "rate":
            return _error(11232, "frequency limited")
        return Answer(500, "Internal Server Error")

    def is_success(self, answer: Answer) -> bool:
        return isinstance(answer.body, dict) and answer.body.get("code") == 0

    def answer(self, request: Request) -> Answer:
        hook = HOOK.fullmatch(request.path)
        if hook is None:
            return Answer(404, "404 page not found")
        if hook.group(1) != self.key:
            return BAD_TOKEN
        if not request.headers.get("content-type", "").startswith("application/json"):
            return BAD_REQUEST
        if len(request.raw) > BODY_LIMIT:
            return BAD_REQUEST
        try:
            body = request.json
        except ValueError:
            return BAD_REQUEST
        if not isinstance(body, dict):
            return BAD_REQUEST
        if self.secret is not None and not self._signed(body):
            return BAD_SIGN
        if body.get("msg_type") != "interactive" or not _card_ok(body.get("card")):
            return BAD_REQUEST
        if any(not _mentionable(user) for user in self.mentions(request)):
            return BAD_REQUEST
        if self.keywords and not any(word in text for word in self.keywords for text in _strings(body["card"])):
            return NO_KEYWORD
        return Answer(200, {"code": 0, "msg": "success", "data": {}, "StatusCode": 0, "StatusMessage": "success"})

    def _signed(self, body: dict[str, Any]) -> bool:
        timestamp, signature = body.get("timestamp"), body.get("sign")
        if not isinstance(timestamp, str) or not timestamp.isdigit() or not isinstance(signature, str):
            return False
        if abs(self.clock() - int(timestamp)) > 3600:
            return False
        key = f"{timestamp}\n{self.secret}".encode()
        expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        return hmac.compare_digest(expected, signature)

    # --- reading back what the group saw ------------------------------------------------

    @staticmethod
    def markdown(request: Request) -> str:
        """Every lark_md text of the card, in order, joined by newlines."""
        return "\n".join(_lark_md(request.json["card"]))

    @classmethod
    def mentions(cls, request: Request) -> list[str]:
        """The ids of the `<at id=…></at>` tags in the card, in order ("all" for everyone)."""
        return [user for text in _lark_md(request.json["card"]) for user in AT_TAG.findall(text)]

    @staticmethod
    def title(request: Request) -> str:
        return request.json["card"]["header"]["title"]["content"]


def _mentionable(user: str) -> bool:
    return user == "all" or re.fullmatch(r"[A-Za-z0-9_-]+", user) is not None


def _text_ok(text: Any) -> bool:
    return isinstance(text, dict) and text.get("tag") in TEXT_TAGS and isinstance(text.get("content"), str)


def _card_ok(card: Any) -> bool:
    """The card's JSON 1.0 shape as the card documentation gives it."""
    if not isinstance(card, dict):
        return False
    header = card.get("header")
    if header is not None:
        title = header.get("title") if isinstance(header, dict) else None
        if not _text_ok(title) or title["tag"] != "plain_text" or not title["content"].strip():
            return False
        if header.get("template", "default") not in TEMPLATES:
            return False
    elements = card.get("elements")
    if not isinstance(elements, list) or not elements:
        return False
    for element in elements:
        tag = element.get("tag") if isinstance(element, dict) else None
        if tag not in ELEMENT_TAGS:
            return False
        if tag == "div" and not _text_ok(element.get("text")):
            return False
        if tag == "note" and not all(_text_ok(e) for e in element.get("elements") or [None]):
            return False
    return True


def _lark_md(card: dict[str, Any]) -> list[str]:
    texts = []
    for element in card["elements"]:
        text = element.get("text")
        if element["tag"] == "div" and text["tag"] == "lark_md":
            texts.append(text["content"])
    return texts


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
