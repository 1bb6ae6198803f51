"""A local 企业微信 group robot: checks each POST as the robot's configuration page documents it.

Rules (https://developer.work.weixin.qq.com/document/path/91770): POST to
/cgi-bin/webhook/send?key=KEY, a JSON body; ``text.content`` ≤ 2048 bytes with
``mentioned_list`` / ``mentioned_mobile_list`` lists of strings (userids or
"@all"; 11-digit mobiles or "@all"); ``markdown.content`` ≤ 4096 bytes;
``image.base64`` decoding to a JPG or PNG of at most 2 MB whose md5 is
``image.md5``. Answers as WeCom does: HTTP 200 with errcode/errmsg — 93000
for an unknown key, 40008 an unknown msgtype, 44004 empty content, 40058 a bad
parameter (an over-long markdown gets "markdown.content exceed max length
4096"), 40009 / 40004 an image of the wrong size or type, 45009 when sending
too fast (https://developer.work.weixin.qq.com/document/path/90313).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from . import Answer, FakeBot, Request

_MOBILE = re.compile(r"^1\d{10}$")


def _error(code: int, message: str) -> Answer:
    return Answer(
        200,
        {
            "errcode": code,
            "errmsg": f"{message}, hint: [fake], more info at https://open.work.weixin.qq.com/devtool/query?e={code}",
        },
    )


class FakeWeCom(FakeBot):
    """The robot of one group, whose webhook key is `key`."""

    platform = "wecom"

    def __init__(self, key: str = "test-key", secret: str | None = None) -> None:
        super().__init__(secret)
        self.key = key

    def url(self, key: str | None = None) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={key or self.key}"

    def is_success(self, answer: Answer) -> bool:
        return isinstance(answer.body, dict) and answer.body.get("errcode") == 0

    def trouble(self, kind: str) -> Answer:
        if kind == "rate":
            return _error(45009, "api freq out of limit")
        return Answer(502, "<html><body>502 Bad Gateway</body></html>")

    def answer(self, request: Request) -> Answer:
        if request.path != "/cgi-bin/webhook/send" or request.query.get("key") != self.key:
            return _error(93000, "invalid webhook url")
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _error(40058, "invalid Request Parameter, Content-Type must be application/json")
        try:
            body = request.json
        except ValueError:
            return _error(40058, "invalid Request Parameter. Warning: wrong json format.")
        if not isinstance(body, dict):
            return _error(40058, "invalid Request Parameter")
        kind = body.get("msgtype")
        check = {"text": self._text, "markdown": self._markdown, "image": self._image}.get(kind)  # type: ignore[arg-type]
        if check is None:
            return _error(40008, "invalid message type")
        fields = body.get(kind)
        if not isinstance(fields, dict):
            return _error(40058, f"invalid Request Parameter, {kind} missing")
        return check(fields) or Answer(200, {"errcode": 0, "errmsg": "ok"})

    def _text(self, text: dict[str, Any]) -> Answer | None:
        content = text.get("content")
        if not isinstance(content, str) or not content:
            return _error(44004, "empty content")
        if len(content.encode("utf-8")) > 2048:
            return _error(40058, "text.content exceed max length 2048. invalid Request Parameter")
        for field, valid in (("mentioned_list", lambda v: bool(v)), ("mentioned_mobile_list", _MOBILE.match)):
            values = text.get(field, [])
            if not isinstance(values, list) or not all(
                isinstance(v, str) and (v == "@all" or valid(v)) for v in values
            ):
                return _error(40058, f"invalid Request Parameter, {field} must be a list of strings")
        return None

    def _markdown(self, markdown: dict[str, Any]) -> Answer | None:
        content = markdown.get("content")
        if not isinstance(content, str) or not content:
            return _error(44004, "empty content")
        if len(content.encode("utf-8")) > 4096:
            return _error(40058, "markdown.content exceed max length 4096. invalid Request Parameter")
        return None

    def _image(self, image: dict[str, Any]) -> Answer | None:
        encoded, md5 = image.get("base64"), image.get("md5")
        if not isinstance(encoded, str) or not isinstance(md5, str):
            return _error(40058, "invalid Request Parameter, image.base64 and image.md5 are required")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return _error(40058, "invalid Request Parameter, image.base64 is not base64")
        if hashlib.md5(raw).hexdigest() != md5.lower():
            return _error(40058, "invalid Request Parameter, image md5 not match")
        if len(raw) > 2 * 1024 * 1024:
            return _error(40009, "invalid image size")
        if not (raw.startswith(b"\x89PNG\r\n\x1a\n") or raw.startswith(b"\xff\xd8\xff")):
            return _error(40004, "invalid media type")
        return None

    # --- what the group saw -------------------------------------------------------

    def shown(self) -> list[dict[str, Any]]:
        """The accepted bodies, in order."""
        return [request.json for request in self.accepted]
