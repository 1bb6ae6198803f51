"""A local 钉钉 custom robot: checks each POST as the custom-robot pages document it.

Rules (https://help.dingtalk.io/open/development/custom-robots-send-group-messages,
https://help.dingtalk.io/open/dingstart/customize-robot-security-settings):
POST to /robot/send?access_token=TOKEN with a UTF-8 JSON body; ``markdown``
needs ``title`` and ``text``; ``at.atMobiles`` and ``at.atUserIds`` are lists
of strings, ``at.isAtAll`` a boolean. With a 加签 secret, ``timestamp`` (ms,
within an hour of now) and ``sign`` = base64(HMAC-SHA256(secret,
"{timestamp}\\n{secret}")) must be in the query — recomputed here. With
keywords, the message must contain one. A second message with an already
posted ``msgUuid`` is answered ok but not shown again (the idempotency key). Answers as DingTalk does: HTTP 200 with
errcode/errmsg — 300001 "token is not exist", 310000 "sign not match" /
"invalid timestamp" / "keywords not in content", 410100 when sending too fast.
For a malformed body (wrong msgtype, missing or mistyped fields) the fake
answers 40035 不合法的参数 (DingTalk's global code for an invalid parameter); the
markdown size limit is not documented, so the fake holds the module to its own
4000 bytes with the same code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from . import Answer, FakeBot, Request

MARKDOWN_LIMIT = 4000  # bytes: sheetsync's own limit (DingTalk documents none for the webhook)


def _error(code: int, message: str) -> Answer:
    return Answer(200, {"errcode": code, "errmsg": message})


class FakeDingTalk(FakeBot):
    """The robot of one group: its access_token, and its 加签 secret and keywords when set."""

    platform = "dingtalk"

    def __init__(self, secret: str | None = None, token: str = "test-token", keywords: tuple[str, ...] = ()) -> None:
        super().__init__(secret)
        self.token = token
        self.keywords = keywords
        self.clock = time.time  # DingTalk's clock, for the one-hour timestamp window
        self.posted_uuids: list[str] = []  # msgUuid of each message shown
        self.duplicates = 0  # messages answered ok but not shown again: their msgUuid was already posted

    def url(self, key: str | None = None) -> str:
        return f"{self.base}/robot/send?access_token={key or self.token}"

    def is_success(self, answer: Answer) -> bool:
        return isinstance(answer.body, dict) and answer.body.get("errcode") == 0

    def trouble(self, kind: str) -> Answer:
        if kind == "rate":
            return _error(410100, "send too fast, exceed 20 times per minute")
        return Answer(502, "<html><body>502 Bad Gateway</body></html>")

    def answer(self, request: Request) -> Answer:
        if request.path != "/robot/send" or request.query.get("access_token") != self.token:
            return _error(300001, "token is not exist")
        if self.secret:
            refused = self._signature(request.query)
            if refused:
                return refused
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _error(43004, "无效的HTTP HEADER Content-Type")
        try:
            body = request.json
        except ValueError:
            return _error(40035, "不合法的参数: body is not JSON")
        refused = self._body(body)
        if refused:
            return refused
        key = body.get("msgUuid")
        if key and key in self.posted_uuids:
            self.duplicates += 1  # DingTalk answers ok and does not post it again
            return _error(0, "ok")
        if self.keywords and not any(word in request.raw.decode("utf-8") for word in self.keywords):
            return _error(310000, "keywords not in content")
        if key:
            self.posted_uuids.append(key)
        return _error(0, "ok")

    def _signature(self, query: dict[str, str]) -> Answer | None:
        timestamp, given = query.get("timestamp", ""), query.get("sign", "")
        if not timestamp.isdigit() or abs(self.clock() * 1000 - int(timestamp)) > 3600 * 1000:
            return _error(310000, "invalid timestamp")
        assert self.secret is not None
        mac = hmac.new(self.secret.encode(), (timestamp + "\n" + self.secret).encode(), hashlib.sha256)
        if given != base64.b64encode(mac.digest()).decode():
            return _error(310000, "sign not match")
        return None

    def _body(self, body: Any) -> Answer | None:
        if not isinstance(body, dict) or body.get("msgtype") not in (
            "text",
            "link",
            "markdown",
            "actionCard",
            "feedCard",
        ):
            return _error(40035, "不合法的参数: msgtype")
        if body["msgtype"] == "markdown":
            markdown = body.get("markdown")
            if not isinstance(markdown, dict):
                return _error(40035, "不合法的参数: markdown")
            title, text = markdown.get("title"), markdown.get("text")
            if not (isinstance(title, str) and title and isinstance(text, str) and text):
                return _error(40035, "不合法的参数: markdown.title and markdown.text are required")
            if len(text.encode("utf-8")) > MARKDOWN_LIMIT:
                return _error(40035, f"不合法的参数: markdown.text over {MARKDOWN_LIMIT} bytes")
        at = body.get("at", {})
        if not isinstance(at, dict):
            return _error(40035, "不合法的参数: at")
        for field in ("atMobiles", "atUserIds"):
            values = at.get(field, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                return _error(40035, f"不合法的参数: at.{field} must be a list of strings")
        if not isinstance(at.get("isAtAll", False), bool):
            return _error(40035, "不合法的参数: at.isAtAll must be true or false")
        if not isinstance(body.get("msgUuid", ""), str):
            return _error(40035, "不合法的参数: msgUuid must be a string")
        return None

    def shown(self) -> list[dict[str, Any]]:
        """The bodies the group saw, in order (a repeated msgUuid is not seen twice)."""
        seen: set[str] = set()
        bodies = []
        for request in self.accepted:
            body = request.json
            key = body.get("msgUuid")
            if key in seen:
                continue
            if key:
                seen.add(key)
            bodies.append(body)
        return bodies
