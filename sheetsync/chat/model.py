"""What one chat channel is told, and what every platform module provides.

A `ChatMessage` is platform-neutral: plain-text lines (each platform escapes
and styles them in its own markdown or card), the people to @-mention with
what waits on each, the sheet's link and, for a detailed digest, the timeline
picture. A platform module turns it into the JSON bodies its webhook accepts
(`payloads`, split or trimmed to the platform's documented limits), signs a
body when the channel has a secret (`signed`), and reads the platform's answer
(`outcome`). post.py does the rest (pacing, retries, the sent-record), the same
for every platform.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import SplitResult, urlsplit

from ..i18n import _
from ..parse.raci import mobile_number


@dataclass(frozen=True)
class Mention:
    """A Team member a channel message @-mentions: their name and the Team sheet's Chat cell."""

    name: str
    chat: str = ""  # a platform user ID (WeCom userid, DingTalk userId, Feishu ou_…, Slack U…) or a mobile number

    @property
    def mobile(self) -> str | None:
        """The 11-digit mobile number when Chat holds one (spaces, dashes and +86 allowed), else None."""
        return mobile_number(self.chat)

    @property
    def user_id(self) -> str | None:
        """Chat when it is a user ID rather than a mobile number, else None."""
        return self.chat.strip() or None if self.mobile is None else None


@dataclass(frozen=True)
class Section:
    """A titled list in a message: overdue work, reviews waiting, triggered risks…"""

    title: str
    lines: tuple[str, ...]


@dataclass
class ChatMessage:
    """One channel's digest for one day, before a platform renders it."""

    channel: str  # the Channels row's Name
    platform: str  # wecom | dingtalk | feishu | slack
    kind: str  # brief | detailed
    lang: str  # zh | en: every word below is already in it
    title: str  # one line, the campaign: "春季新品上市" (compose.py); the headline follows it
    headline: str  # the launch status sentence
    lines: list[str] = field(default_factory=list)  # next milestone, counts, problems: the brief's body
    waiting: list[tuple[Mention, list[str]]] = field(default_factory=list)  # per person @-mentioned
    sections: list[Section] = field(default_factory=list)  # detailed only
    mention_all: bool = False  # Mention is "all": @所有人 / @channel
    link: str = ""  # the Sheet link setting; where a trimmed message sends the reader
    footer: str = ""
    image: bytes | None = None  # detailed only: the timeline picture (PNG)
    note: str = ""  # said first when set, e.g. that this repeats a post an interrupted run may have made


@dataclass(frozen=True)
class Payload:
    """One JSON body to POST to the channel's webhook, and what it is (for the sent-record: one record each)."""

    part: str  # "1", "2"… for text parts, "image" for the picture
    body: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """The platform's answer to one POST, understood."""

    ok: bool
    retry: bool = False  # transient: rate limited, or the platform's own trouble; worth another try
    wait: float | None = None  # seconds the platform asked us to wait (Slack's Retry-After), if it said
    reason: str = ""  # when not ok: one line in the active language saying what is wrong and what to fix
    signature: bool = False  # refused for its signature: with no secret set, post.py names the secret to set
    address: bool = False  # the webhook address itself is wrong: post.py names the setting that holds it


class Platform(Protocol):
    """What each platform module (wecom.py, dingtalk.py, feishu.py, slack.py) provides."""

    name: str  # wecom | dingtalk | feishu | slack
    per_minute: int  # messages one bot may post a minute (the platform's documented limit): post.py paces to it

    def url_problem(self, url: str) -> str | None:
        """None when `url` is this platform's webhook address (or a loopback test server), else what is wrong."""
        ...

    def payloads(self, message: ChatMessage) -> list[Payload]:
        """The bodies to post, in order: each within the platform's documented limits (long text split or
        trimmed with the sheet's link, never rejected); @-mentions in the platform's own fields."""
        ...

    def notice(self, text: str) -> dict[str, Any]:
        """A body holding one line of plain text (escaped), e.g. that the next post may be a repeat."""
        ...

    def signed(self, url: str, secret: str | None, body: dict[str, Any], now: float) -> tuple[str, dict[str, Any]]:
        """The URL and body to POST at `now` (Unix seconds), with the platform's signature when `secret` is set."""
        ...

    def outcome(self, status: int, headers: Mapping[str, str], content: bytes) -> Outcome:
        """The platform's answer (HTTP status, headers, body) as an Outcome: ok, retry, or a reason to fix."""
        ...


MAX_PARTS = 3  # a digest longer than this many messages is trimmed, ending with the sheet's link


def utf8_size(text: str) -> int:
    """Bytes in UTF-8: how WeCom and DingTalk count their limits (a Chinese character is 3)."""
    return len(text.encode("utf-8"))


def pack(
    blocks: list[str],
    limit: int,
    *,
    size: Callable[[str], int] = len,
    joiner: str = "\n",
    max_parts: int = MAX_PARTS,
    more: str = "",
) -> list[str]:
    """Join text blocks into at most `max_parts` parts of at most `limit` (by `size`), in order.

    A block never straddles two parts; one longer than `limit` alone is cut with
    "…". When the blocks need more parts than allowed, the last part ends with
    `more` (say where the rest is: the sheet's link), which always fits. The
    platform modules pass their documented limit less what their frame adds.
    """
    room = limit - size(joiner + more) if more else limit
    parts: list[list[str]] = [[]]
    for block in blocks:
        block = _cut(block, limit, size)
        current = parts[-1]
        if current and size(joiner.join([*current, block])) > limit:
            parts.append([])
            current = parts[-1]
        current.append(block)
    if len(parts) > max_parts:
        kept = parts[:max_parts]
        last = kept[-1]
        while last and size(joiner.join(last)) > room:
            last.pop()
        last.append(more)
        parts = kept
    return [joiner.join(p) for p in parts if p]


def _cut(block: str, limit: int, size: Callable[[str], int]) -> str:
    if size(block) <= limit:
        return block
    while block and size(block + "…") > limit:
        block = block[: max(1, len(block) * 9 // 10) - 1] if size(block) > 2 * limit else block[:-1]
    return block + "…"


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})  # test servers: the only http:// a webhook may be
_NOT_IN_ADDRESS = re.compile(r"[\\@\s\x00-\x1f\x7f]")


def webhook_parts(url: str) -> SplitResult | None:
    """The address split into parts when it is one plain http(s) URL that every HTTP client reads alike.

    None for anything else: unparsable ("https://[host"), userinfo or a
    backslash before "@" (urlsplit and requests then disagree on the host, and
    the key would go to the other one), spaces and control characters.
    """
    text = url.strip()
    if not text or _NOT_IN_ADDRESS.search(text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts


def is_webhook(url: str, hosts: Iterable[str], path_ok: Callable[[SplitResult], bool]) -> bool:
    """True for https on one of the platform's `hosts` with a path (and key) it accepts, or any loopback server."""
    parts = webhook_parts(url)
    if parts is None:
        return False
    if parts.hostname in LOOPBACK:
        return True
    return parts.scheme == "https" and parts.hostname in hosts and path_ok(parts)


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def quoted(content: bytes, limit: int = 160) -> str:
    """What came back (a platform's answer, or a proxy's page in its place) as one short line: tags dropped."""
    text = _SPACE.sub(" ", _TAG.sub(" ", content.decode("utf-8", "replace"))).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def errcode_answer(content: bytes) -> tuple[int, str] | None:
    """WeCom's and DingTalk's answer, {"errcode": N, "errmsg": "…"}, as (code, message); None for anything else."""
    try:
        answer = json.loads(content.decode("utf-8"))
        return int(answer["errcode"]), str(answer.get("errmsg", ""))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def redirect_outcome(name: str, status: int, headers: Mapping[str, str]) -> Outcome | None:
    """A 3xx answer: no platform redirects its webhook, so something is in the way; say where it pointed."""
    if not 300 <= status < 400:
        return None
    location = next((v for k, v in headers.items() if k.lower() == "location"), "") or "?"
    return Outcome(False, reason=_(
        "{platform} did not answer: the address was redirected (HTTP {status}) to {location}; a proxy or login "
        "page is in the way, or the address is not the bot's webhook — copy it again from the app",
        platform=name, status=status, location=location[:160],
    ))


# Markdown's markup as full-width look-alikes, which read the same: for WeCom and DingTalk, which document no
# escape syntax. Inline anywhere; a line's first character (heading, quote, list) only there.
MARKUP_LOOKALIKES = {"*": "＊", "`": "｀", "<": "＜", "\n": " ", "\r": " "}
_LINE_START = str.maketrans({"#": "＃", ">": "＞", "-": "－", "+": "＋"})


def lookalikes(text: str, inline: dict[int, str]) -> str:
    """Cell text that can never become markup: `inline` (a str.maketrans table) everywhere, "](" never a link."""
    text = text.translate(inline).replace("](", "］(").strip()
    return text[:1].translate(_LINE_START) + text[1:]


def waiting_heading() -> str:
    """The heading over each person's items: one wording for every platform."""
    return _("Waiting on each person")


def open_sheet() -> str:
    """The words of the link to the sheet."""
    return _("Open the sheet")


def more_in_sheet(link: str) -> str:
    """The line that ends a trimmed digest: the rest is in the sheet (its link when the book has one)."""
    if link:
        return _("… more in the sheet: {link}", link=link)
    return _("… more in the sheet.")
