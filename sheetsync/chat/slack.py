"""Slack incoming webhooks: a channel's digest as Block Kit blocks posted to the channel's webhook.

What the documentation says, and where (read December 2026):

- Sending messages using incoming webhooks,
  https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks :
  the webhook is https://hooks.slack.com/services/T…/B…/…; a JSON body with
  `text` and/or `blocks`; with blocks, `text` is the fallback shown in
  notifications; the answer is HTTP 200 "ok", else an HTTP 4xx with a plain-text
  code: invalid_payload, invalid_blocks, no_text, too_many_attachments,
  user_not_found (400), invalid_token, action_prohibited,
  posting_to_general_channel_denied, team_disabled (403), no_service,
  no_service_id, no_team, channel_not_found (404), channel_is_archived (410).
  The 4xx/5xx split and HTTP 500 rollup_error ("not your fault"):
  https://docs.slack.dev/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks
- Rate limits, https://docs.slack.dev/apis/web-api/rate-limits : incoming
  webhooks post about one message a second (short bursts allowed); past it,
  HTTP 429 with a Retry-After header in seconds.
- Block Kit: at most 50 blocks a message
  (https://docs.slack.dev/reference/block-kit/blocks); a header's plain_text at
  most 150 characters (…/blocks/header-block); a section's text at most 3000
  characters (…/blocks/section-block); a context block for the footer
  (…/blocks/context-block).
- Formatting message text, https://docs.slack.dev/messaging/formatting-message-text :
  `<@U…>` / `<@W…>` mention a member by ID, `<!channel>` everyone in the channel;
  `&`, `<` and `>` are control characters and must be written `&amp;`, `&lt;`,
  `&gt;`. Slack documents no escape for its emphasis characters, so in cell text
  `*`, `~`, a backquote and a word-edge `_` become look-alikes (∗ ∼ ˋ ˍ) rather
  than turning a task name bold or struck.

No signature: an incoming webhook's URL is its secret, so a channel secret is
ignored. No picture: a webhook can show an image only from a public URL, and the
timeline picture has none, so the message links to the sheet instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..contract import platform_label
from ..i18n import _, language
from .model import (
    MAX_PARTS,
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

HOST = "hooks.slack.com"
HOOK_PATH = re.compile(r"/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+")
MAX_BLOCKS = 50  # per message
HEADER_CHARS = 150  # a header block's plain_text
SECTION_CHARS = 3000  # a section block's text
MEMBER_ID = re.compile(r"[UW][A-Z0-9]{2,}")  # a Slack member ID: U… (or W… on Enterprise Grid)

_CONTROL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LOOK_ALIKE = {"*": "∗", "~": "∼", "`": "ˋ", "_": "ˍ"}
_MARKUP = re.compile(r"[&<>*~`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")

_FIX_ADDRESS = "address"
_FIX_CHANNEL = "channel"


def escape(text: str) -> str:
    """Cell text as Slack shows it literally: no mention, link, bold or strike can come from a task's name."""
    return _MARKUP.sub(lambda m: _CONTROL.get(m.group()) or _LOOK_ALIKE[m.group()], text)


class Slack:
    """The Platform for Slack incoming webhooks (see the module docstring for the documented rules)."""

    name = "slack"
    per_minute = 60  # "about one message a second" per webhook

    def url_problem(self, url: str) -> str | None:
        """None for a Slack incoming-webhook address (or a loopback test server), else how one looks."""
        if is_webhook(url, {HOST}, lambda parts: bool(HOOK_PATH.fullmatch(parts.path))):
            return None
        return _(
            "this is not a Slack incoming webhook: it looks like https://hooks.slack.com/services/T…/B…/…. "
            "Copy it from the Slack app's Incoming Webhooks page."
        )

    def payloads(self, message: ChatMessage) -> list[Payload]:
        """The digest as up to three messages of at most 50 blocks, sections within 3000 characters."""
        with language(message.lang):
            sections = _sections(message)
            room = MAX_BLOCKS - 3  # each message keeps a header, the link section and the footer's context
            groups = [sections[i : i + room] for i in range(0, len(sections), room)] or [[]]
            trimmed = len(groups) > MAX_PARTS
            if trimmed:  # the last part ends with where the rest is, instead of the plain link
                groups = groups[:MAX_PARTS]
                groups[-1] = [*groups[-1][: room - 1], _more(message.link)]
            return [
                Payload(str(n), _body(message, n, len(groups), group, last=n == len(groups), link=not trimmed))
                for n, group in enumerate(groups, start=1)
            ]

    def notice(self, text: str) -> dict[str, Any]:
        """A one-line message, such as the note before a post an interrupted run may have made."""
        return {"text": escape(text)}

    def signed(self, url: str, secret: str | None, body: dict[str, Any], now: float) -> tuple[str, dict[str, Any]]:
        """Unchanged: incoming webhooks take no signature (the URL is the secret), so a secret is ignored."""
        return url, body

    def outcome(self, status: int, headers: Mapping[str, str], content: bytes) -> Outcome:
        """Slack's answer understood: "ok", a retry (429 with Retry-After, 5xx), or what to fix."""
        if (redirected := redirect_outcome(platform_label("slack"), status, headers)) is not None:
            return redirected
        code = quoted(content)
        if 200 <= status < 300:
            if code == "ok":  # Slack's one success answer: anything else is a proxy or portal in its place
                return Outcome(True)
            return Outcome(False, reason=_(
                "something other than Slack answered (HTTP {status}: {answer}); a proxy or login page is in the "
                "way: check this computer can reach hooks.slack.com", status=status, answer=code,
            ))
        if status == 429:
            wait = _seconds(headers)
            return Outcome(False, retry=True, wait=wait, reason=_("Slack asked to slow down; trying again."))
        if status >= 500:
            return Outcome(
                False, retry=True, reason=_("Slack had trouble (HTTP {status}); trying again.", status=status)
            )
        fix = _FIXES.get(code)
        if fix == _FIX_ADDRESS:
            return Outcome(
                False,
                reason=_(
                    "Slack does not know this webhook (it was removed or the address is wrong): create an incoming "
                    "webhook again in the Slack app and copy its address into the channel's URL setting."
                ),
                address=True,
            )
        if fix == _FIX_CHANNEL:
            return Outcome(
                False,
                reason=_(
                    "Slack will not post to this webhook's channel ({code}): check the channel still exists, is not "
                    "archived and allows apps to post, or create a webhook for another channel.",
                    code=code,
                ),
            )
        if code in _MALFORMED:
            return Outcome(
                False,
                reason=_(
                    "Slack could not read the message ({code}); please report this to sheetsync's maintainers.",
                    code=code,
                ),
            )
        return Outcome(
            False, reason=_("Slack refused the message: HTTP {status}, {code}", status=status, code=code)
        )


_FIXES = {
    **dict.fromkeys(("no_service", "no_service_id", "invalid_token", "no_team", "team_disabled"), _FIX_ADDRESS),
    **dict.fromkeys(
        ("channel_not_found", "channel_is_archived", "action_prohibited", "posting_to_general_channel_denied"),
        _FIX_CHANNEL,
    ),
}
_MALFORMED = (
    "invalid_payload",
    "invalid_blocks",
    "invalid_blocks_format",
    "no_text",
    "too_many_attachments",
    "user_not_found",
)


def _seconds(headers: Mapping[str, str]) -> float | None:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


def _mention(person: Mention) -> str:
    """The person's @-mention when Chat holds a Slack member ID, else their name in bold."""
    user = person.user_id
    if user and MEMBER_ID.fullmatch(user):
        return f"<@{user}>"
    return f"*{escape(person.name)}*"


def _grouped(first: str, lines: list[str]) -> list[str]:
    """A titled group of lines as sections of at most 3000 characters, split between lines."""
    return pack([first, *lines], SECTION_CHARS, max_parts=len(lines) + 1)


def _sections(message: ChatMessage) -> list[str]:
    """The mrkdwn of every section block between the header and the link, in the digest's order."""
    texts = [f"*{escape(message.note)}*"] if message.note else []
    everyone = "<!channel> " if message.mention_all else ""
    texts += _grouped(f"{everyone}*{escape(message.headline)}*", [escape(line) for line in message.lines])
    if message.waiting:
        texts.append("*" + escape(waiting_heading()) + "*")
        for person, items in message.waiting:
            texts += _grouped(_mention(person), [f"• {escape(item)}" for item in items])
    for section in message.sections:
        texts += _grouped(f"*{escape(section.title)}*", [f"• {escape(line)}" for line in section.lines])
    return texts


def _link(url: str, label: str) -> str:
    target = url.replace("|", "%7C").replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
    return f"<{target}|{escape(label)}>"


def _more(link: str) -> str:
    text = more_in_sheet(link)
    if not link:
        return escape(text)
    before, _sep, after = text.partition(link)
    return escape(before) + _link(link, link) + escape(after)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _header(title: str) -> str:
    return title if len(title) <= HEADER_CHARS else title[: HEADER_CHARS - 1] + "…"


def _body(
    message: ChatMessage, part: int, parts: int, sections: list[str], *, last: bool, link: bool
) -> dict[str, Any]:
    title = message.title if parts == 1 else _("{title} ({part}/{parts})", title=message.title, part=part, parts=parts)
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": _header(title)}}]
    blocks += [_section(text) for text in sections]
    if last and link and message.link:
        blocks.append(_section(_link(message.link, open_sheet())))
    if last and message.footer:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(message.footer)}]})
    return {"text": escape(title), "blocks": blocks}  # the fallback a notification shows


PLATFORM = Slack()
