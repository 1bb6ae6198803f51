"""A local Slack incoming webhook that checks each POST as Slack documents incoming webhooks and Block Kit.

https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks : the
/services/T…/B…/… path (404 no_service, 403 invalid_token), a JSON body
(400 invalid_payload), `text` or `blocks` (400 no_text). Block Kit
(https://docs.slack.dev/reference/block-kit/blocks): at most 50 blocks; header
plain_text of at most 150 characters; section text of at most 3000; a context
block's 1–10 text elements (400 invalid_blocks otherwise). Stricter than Slack,
on purpose: blocks without the fallback `text` are refused (no_text), and any
`<…>` that is not a member mention, `<!channel>`/`<!here>` or an http(s) link is
refused as invalid_blocks, so that unescaped cell text cannot pass. Rate
limiting answers 429 with Retry-After; Slack's own trouble 500 rollup_error.
"""

from __future__ import annotations

import re
from typing import Any

from . import Answer, FakeBot, Request

HOOK = re.compile(r"/services/(T[A-Z0-9]+)/(B[A-Z0-9]+)/([A-Za-z0-9-]+)")
CONTROL = re.compile(r"<([^<>]*)>")
MEMBER = re.compile(r"@([UW][A-Z0-9]{2,})")
LINK = re.compile(r"https?://[^\s|]+(\|[^|]*)?")
BLOCK_TYPES = {"header", "section", "context", "divider", "image", "actions", "rich_text"}
MAX_BLOCKS = 50
HEADER_CHARS = 150
SECTION_CHARS = 3000

INVALID_BLOCKS = Answer(400, "invalid_blocks")
INVALID_PAYLOAD = Answer(400, "invalid_payload")


class FakeSlack(FakeBot):
    """Slack's incoming webhook on 127.0.0.1; `mentions(request)` and `mrkdwn(request)` read what was shown."""

    platform = "slack"

    def __init__(self, secret: str | None = None, *, key: str = "testkey", retry_after: int = 2) -> None:
        super().__init__(secret)  # incoming webhooks have no signing secret: kept only to show it is unused
        self.key = key
        self.retry_after = retry_after

    def url(self, key: str | None = None) -> str:
        return f"{self.base}/services/T0001/B0001/{key or self.key}"

    def trouble(self, kind: str) -> Answer:
        if kind == "rate":
            return Answer(429, "rate_limited", {"Retry-After": str(self.retry_after)})
        return Answer(500, "rollup_error")

    def is_success(self, answer: Answer) -> bool:
        return answer.body == "ok"

    def answer(self, request: Request) -> Answer:
        hook = HOOK.fullmatch(request.path)
        if hook is None:
            return Answer(404, "no_service")
        if hook.group(3) != self.key:
            return Answer(403, "invalid_token")
        if not request.headers.get("content-type", "").startswith("application/json"):
            return INVALID_PAYLOAD
        try:
            body = request.json
        except ValueError:
            return INVALID_PAYLOAD
        if not isinstance(body, dict):
            return INVALID_PAYLOAD
        text, blocks = body.get("text"), body.get("blocks")
        if not isinstance(text, str) or not text.strip():
            return Answer(400, "no_text")
        if blocks is not None and not _blocks_ok(blocks):
            return INVALID_BLOCKS
        if not all(_control_ok(t) for t in [text, *_mrkdwn(blocks or [])]):
            return INVALID_BLOCKS
        return Answer(200, "ok")

    # --- reading back what the channel saw ----------------------------------------------

    @staticmethod
    def mrkdwn(request: Request) -> str:
        """Every mrkdwn text of the message's blocks, in order, joined by newlines."""
        return "\n".join(_mrkdwn(request.json.get("blocks", [])))

    @staticmethod
    def mentions(request: Request) -> list[str]:
        """Member IDs of `<@…>` and "!channel"/"!here" of the blocks' mrkdwn, in order."""
        found = []
        for text in _mrkdwn(request.json.get("blocks", [])):
            for inner in CONTROL.findall(text):
                member = MEMBER.fullmatch(inner)
                if member or inner in ("!channel", "!here"):
                    found.append(member.group(1) if member else inner)
        return found

    @staticmethod
    def header(request: Request) -> str:
        return request.json["blocks"][0]["text"]["text"]


def _text(obj: Any, kinds: tuple[str, ...], limit: int) -> bool:
    return (
        isinstance(obj, dict)
        and obj.get("type") in kinds
        and isinstance(obj.get("text"), str)
        and 1 <= len(obj["text"]) <= limit
    )


def _blocks_ok(blocks: Any) -> bool:
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= MAX_BLOCKS:
        return False
    for block in blocks:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_TYPES:
            return False
        if kind == "header" and not _text(block.get("text"), ("plain_text",), HEADER_CHARS):
            return False
        if kind == "section" and not _text(block.get("text"), ("plain_text", "mrkdwn"), SECTION_CHARS):
            return False
        if kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
                return False
            if not all(_text(e, ("plain_text", "mrkdwn"), SECTION_CHARS) for e in elements):
                return False
    return True


def _mrkdwn(blocks: list[dict[str, Any]]) -> list[str]:
    texts = []
    for block in blocks:
        parts = [block.get("text")] if block["type"] == "section" else block.get("elements", [])
        texts += [p["text"] for p in parts if isinstance(p, dict) and p.get("type") == "mrkdwn"]
    return texts


def _control_ok(text: str) -> bool:
    """Every `<…>` is a sequence Slack documents, and no stray `<` or `>` is left unescaped."""
    for inner in CONTROL.findall(text):
        if not (MEMBER.fullmatch(inner) or inner in ("!channel", "!here") or LINK.fullmatch(inner)):
            return False
    return "<" not in CONTROL.sub("", text) and ">" not in CONTROL.sub("", text)
