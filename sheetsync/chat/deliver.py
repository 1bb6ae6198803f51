"""Today's channel digests: compose each due channel's message, then post it or write its payloads to the outbox.

`--chat` posts (chat/post.py); `--chat --outbox DIR` writes, for each part,
the JSON body exactly as it would be posted (before a signature, which is made
at the moment of posting), as `<day>-chat-<channel>-<part>.json`: a team can
read it, or post it with curl to a test bot, with no webhook configured here.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import Analysis
from ..digest.chart import gantt_png
from ..digest.ledger import Ledger
from ..digest.model import Delivery, Digest
from ..digest.outbox import make_outbox, write_atomically
from ..parse.channels import Channel
from .compose import channel_key, channel_problems, channels_due, compose_channel, waiting_by_person
from .model import ChatMessage
from .post import ChannelPost, platform_for, post_all
from .secrets import ChatSettings

SNAPSHOT_CHANNEL = "chat"  # the ledger's snapshot channel: "what changed" per chat, apart from e-mail's
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*\s]+')  # not in a file name on Windows, macOS or Linux


@dataclass
class ChatRun:
    """What the chat half of a digest run composed and what became of each channel."""

    messages: list[ChatMessage] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    listed: int = 0  # rows on the Channels sheet, due today or not
    problems: list[str] = field(default_factory=list)  # the Channels sheet's Problems: rows that cannot be posted


def deliver_chats(
    analysis: Analysis,
    ledger: Ledger,
    *,
    sheet: str,
    post: bool,
    outbox: Path,
    settings: ChatSettings | None = None,
    only: str | None = None,
    **post_options: object,
) -> ChatRun:
    """Compose the channels due today (or the one named `only`) and post them, or write them to `outbox`."""
    run = ChatRun(listed=len(analysis.channels), problems=channel_problems(analysis))
    picture = _Picture()
    everyone = waiting_by_person(analysis)
    composed = []
    for channel in channels_due(analysis, only):
        previous = ledger.last_snapshot(sheet, channel_key(channel), SNAPSHOT_CHANNEL)
        message, snapshot = compose_channel(analysis, channel, previous, picture=picture, everyone=everyone)
        run.messages.append(message)
        composed.append((channel, message, snapshot))
    if post:
        settings = settings or ChatSettings()
        posts = []
        for channel, message, _snapshot in composed:
            webhook = settings.webhook(channel.name)
            posts.append(ChannelPost(channel, message, webhook, "" if webhook else settings.where_to_set(channel.name)))
        run.deliveries = post_all(posts, ledger, sheet=sheet, day=analysis.today, **post_options)  # type: ignore[arg-type]
    else:
        run.deliveries = [_write(channel, message, outbox, analysis.today) for channel, message, _s in composed]
    for (channel, _message, snapshot), delivery in zip(composed, run.deliveries, strict=True):
        if delivery.status == "sent":  # a preview shows what changed since the last post, and changes nothing
            ledger.save_snapshot(sheet, channel_key(channel), SNAPSHOT_CHANNEL, analysis.today, snapshot)
    return run


class _Picture:
    """The timeline PNG, drawn once per run (every channel's is the same) and only if a detailed channel wants it."""

    def __init__(self) -> None:
        self.png: bytes | None = None

    def __call__(self, digest: Digest) -> bytes | None:
        if self.png is None and digest.gantt:
            self.png = gantt_png(digest.gantt, today=digest.today, launch=digest.launch,
                                 projected_launch=digest.projected_launch)
        return self.png


def _write(channel: Channel, message: ChatMessage, folder: Path, day: dt.date) -> Delivery:
    """Each part's JSON body as its own file; a re-run the same day replaces them."""
    make_outbox(folder)
    stem = f"{day.isoformat()}-chat-{_UNSAFE.sub('_', message.channel).strip('._') or 'channel'}"
    paths = []
    for payload in platform_for(message.platform).payloads(message):
        path = folder / f"{stem}-{payload.part}.json"
        write_atomically(path, json.dumps(payload.body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        paths.append(str(path))
    part = re.compile(re.escape(stem) + r"-(?:\d+|image)\.json")  # not another chat's: 项目群-2-1.json
    for stale in folder.glob(f"{glob.escape(stem)}-*.json"):  # an earlier preview's parts this one no longer has
        if part.fullmatch(stale.name) and str(stale) not in paths:
            stale.unlink(missing_ok=True)
    return Delivery(channel_key(channel), "written", path=", ".join(paths))
