"""Post channel digests to their webhooks: pace, sign, POST, read the answer, retry, record exactly once.

The promise is e-mail's (digest/smtp.py): a re-run the same day posts nothing
again, and one channel's failure never stops the others. Each part of a
message (a long digest is split; WeCom's picture is a part of its own) is
recorded in the sent-record the moment the platform accepts it, so a run
killed mid-way posts only what is missing next time. Webhooks cannot be asked
whether a post arrived, so the one post a kill can catch between the
platform's acceptance and the record is posted again by the next run — at
least once, never lost — and that repeat opens with a line saying it may be
one (the ledger's `pending` record, written just before each POST, tells).

Rate limits: posts are paced to each platform's documented per-bot limit
(`Platform.per_minute`, and `per_second` where a platform has one), and a
rate-limit or server-trouble answer is retried `retries` more times, waiting
`backoff * 2**n` seconds plus up to 10% jitter, or what the platform asked
(Slack's Retry-After). A post that got no answer in time is not retried: it
may have arrived; the next run posts it with that note. Reasons are in the
book's language; the log stays English, for operators.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import requests

from ..contract import platform_label
from ..digest.ledger import Ledger
from ..digest.model import Delivery
from ..i18n import _
from ..parse.channels import Channel
from .compose import channel_key
from .model import ChatMessage, Payload, Platform
from .secrets import Webhook, masked_url

log = logging.getLogger(__name__)

TIMEOUT = (5.0, 15.0)  # seconds to connect, to answer: a cron run never hangs on a chat app
MAX_WAIT = 90.0  # longer than this (DingTalk holds a robot back 10 minutes) and the next run posts it instead


def platform_for(name: str) -> Platform:
    """The platform module's PLATFORM (wecom, dingtalk, feishu, slack), imported when first used."""
    module = importlib.import_module(f"sheetsync.chat.{name}")
    platform: Platform = module.PLATFORM
    return platform


def interrupted_note() -> str:
    """Said first in a digest an interrupted run may already have posted."""
    return _("Posted again: an earlier run was interrupted while posting this digest, so it may be here twice.")


@dataclass
class ChannelPost:
    """One channel's digest for today and where it goes (None: no webhook configured)."""

    channel: Channel
    message: ChatMessage
    webhook: Webhook | None
    missing: str = ""  # when webhook is None: where to set it (ChatSettings.where_to_set)


class _Pacer:
    """Keeps each webhook within its platform's posts per minute (and per second), in this process."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.clock, self.sleep = clock, sleep
        self.sent: dict[str, deque[float]] = {}

    def wait_turn(self, url: str, platform: Platform) -> None:
        times = self.sent.setdefault(url, deque())
        for window, limit in ((60.0, platform.per_minute), (1.0, getattr(platform, "per_second", None))):
            if not limit:
                continue
            recent = [t for t in times if self.clock() - t < window]
            if len(recent) >= limit:
                self.sleep(window - (self.clock() - recent[-limit]))
        times.append(self.clock())
        while len(times) > platform.per_minute:
            times.popleft()


def post_all(
    posts: Sequence[ChannelPost],
    ledger: Ledger,
    *,
    sheet: str,
    day: dt.date,
    retries: int = 4,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], float] = time.time,
    session: requests.Session | None = None,
) -> list[Delivery]:
    """Post each channel's digest at most once per sheet, channel, day and part; one Delivery per channel.

    Only a ledger that cannot be written raises (LedgerError): going on would
    risk posts the next run cannot know about.
    """
    http = session or requests.Session()
    pacer = _Pacer(clock, sleep)
    deliveries = []
    try:
        for post in posts:
            deliveries.append(_post_channel(post, ledger, http, pacer, sheet=sheet, day=day, retries=retries,
                                            backoff=backoff, sleep=sleep, now=now))
    finally:
        if session is None:
            http.close()
    return deliveries


def _post_channel(
    post: ChannelPost, ledger: Ledger, http: requests.Session, pacer: _Pacer, *, sheet: str, day: dt.date,
    retries: int, backoff: float, sleep: Callable[[float], None], now: Callable[[], float],
) -> Delivery:
    key = channel_key(post.channel)
    if post.webhook is None:
        return Delivery(key, "invalid", _("no webhook address: {where}", where=post.missing))
    platform = platform_for(post.channel.platform)
    wrong = platform.url_problem(post.webhook.url)
    if wrong is not None:
        return Delivery(key, "invalid", _("{source}: {problem}", source=post.webhook.source, problem=wrong))
    if ledger.interrupted(sheet, key, day):
        post.message.note = interrupted_note()
    payloads = platform.payloads(post.message)
    attempts, posted = 0, 0
    for payload in payloads:
        kind = f"{post.message.kind}#{payload.part}"
        if ledger.was_sent(sheet, key, day, kind):
            continue
        ledger.begin(sheet, key, day, kind)
        ok, tries, reason = _post_one(platform, post.webhook, payload, http, pacer, retries=retries,
                                      backoff=backoff, sleep=sleep, now=now)
        attempts += tries
        if not ok:
            log.warning("chat %s (%s) part %s not posted: %s", post.channel.name, platform.name, payload.part, reason)
            return Delivery(key, "failed", reason, attempts)
        ledger.record(sheet, key, day, kind, f"{platform.name}:{payload.part}")
        posted += 1
        log.info("posted %s digest part %s to chat %s (%s)", post.message.kind, payload.part, post.channel.name,
                 masked_url(post.webhook.url))
    if posted == 0:
        return Delivery(key, "skipped", _("already posted today"), attempts)
    return Delivery(key, "sent", "", attempts)


def _post_one(
    platform: Platform, webhook: Webhook, payload: Payload, http: requests.Session, pacer: _Pacer, *,
    retries: int, backoff: float, sleep: Callable[[float], None], now: Callable[[], float],
) -> tuple[bool, int, str]:
    """POST one part until it is accepted, refused, or out of retries: (ok, attempts, reason)."""
    reason = ""
    for attempt in range(retries + 1):
        pacer.wait_turn(webhook.url, platform)
        url, body = platform.signed(webhook.url, webhook.secret, payload.body, now())
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            answer = http.post(url, data=data, timeout=TIMEOUT, allow_redirects=False,
                               headers={"Content-Type": "application/json; charset=utf-8"})
        except requests.ReadTimeout:
            return False, attempt + 1, _(
                "{platform} did not answer within {seconds} s; the digest may have been posted, and the next run "
                "posts it again with a note saying so", platform=_name(platform), seconds=int(TIMEOUT[1]),
            )
        except requests.RequestException as exc:
            reason = _("cannot reach {platform} ({error}); check the network and the webhook address",
                       platform=_name(platform), error=_connection_error(exc))
            wait = None
        else:
            outcome = platform.outcome(answer.status_code, answer.headers, answer.content)
            if outcome.ok:
                return True, attempt + 1, ""
            reason = outcome.reason
            if not outcome.retry:
                return False, attempt + 1, reason
            wait = outcome.wait
            if wait is not None and wait > MAX_WAIT:
                return False, attempt + 1, _("{reason}; the next run posts it", reason=reason)
        if attempt < retries:
            pause = backoff * 2**attempt
            sleep(max(wait or 0.0, pause + random.uniform(0, pause / 10)))
    return False, retries + 1, _("{reason} (gave up after {n} tries)", reason=reason, n=retries + 1)


def _name(platform: Platform) -> str:
    return platform_label(platform.name)


def _connection_error(exc: requests.RequestException) -> str:
    """The root cause in a few words (requests nests urllib3's errors several deep), without the URL and its key."""
    cause: BaseException = exc
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    text = type(cause).__name__
    if isinstance(cause, OSError) and cause.strerror:
        text = cause.strerror
    return text
