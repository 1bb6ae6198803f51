"""Post channel digests to their webhooks: pace, sign, POST, read the answer, retry, record exactly once.

The promise is e-mail's (digest/smtp.py): a re-run the same day posts nothing
again, and one channel's failure never stops the others. The sent-record
holds each channel's digest once all of it is posted — a re-run the same day
posts nothing, however the book changed — and, until then, each part (a long
digest is split; WeCom's picture is a part of its own) by what it says, the
moment the platform accepts it: a run stopped half-way posts only the parts
not yet shown, even if the split moved. Two runs at once take turns (the
ledger's lease), so the second finds everything recorded.

Webhooks cannot be asked whether a post arrived, so a post that may have
arrived without being recorded (the process killed between the platform's
acceptance and the record, a connection cut after the request went out, no
answer in time) is posted again by the next run — at least once, never lost —
preceded by a one-line notice that the next message may be a repeat (the
ledger's `pending` record, written just before each POST, tells; a post the
platform refused, or that never connected, is forgotten). DingTalk's msgUuid
shows a repeat once, so it needs no notice.

Rate limits: posts are paced to each platform's documented per-bot limit
(`Platform.per_minute`, and `per_second` where a platform has one), and a
rate-limit or server-trouble answer is retried `retries` more times, waiting
`backoff * 2**n` seconds plus up to 10% jitter, or what the platform asked
(Slack's Retry-After). A post that may have arrived is not retried in the same
run. The answer is read within TIMEOUT in all (a server trickling its answer
cannot hold the run). Reasons are one line in the book's language, never
holding the webhook's key; the log stays English, for operators.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import logging
import random
import socket
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import requests
import urllib3

from ..contract import platform_label
from ..digest.ledger import Ledger
from ..digest.model import Delivery, one_line
from ..i18n import _
from ..parse.channels import Channel
from .compose import channel_key
from .model import ChatMessage, Outcome, Platform
from .secrets import Webhook, masked_url, secret_parts, variable_names

log = logging.getLogger(__name__)

TIMEOUT = (5.0, 15.0)  # seconds to connect, to answer: a cron run never hangs on a chat app
MAX_WAIT = 90.0  # longer than this (DingTalk holds a robot back 10 minutes) and the next run posts it instead
MAX_ANSWER = 64 * 1024  # bytes of an answer worth reading: a webhook says a line; a proxy page is cut here
POSTED, REFUSED, UNKNOWN = "posted", "refused", "unknown"  # a POST's fate: shown, certainly not shown, may be shown


def platform_for(name: str) -> Platform:
    """The platform module's PLATFORM (wecom, dingtalk, feishu, slack), imported when first used."""
    module = importlib.import_module(f"sheetsync.chat.{name}")
    platform: Platform = module.PLATFORM
    return platform


def interrupted_note() -> str:
    """The notice before a post an interrupted run may already have made."""
    return _("Posted again: an earlier run was interrupted while posting the next message, so it may be here twice.")


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


@dataclass
class _Run:
    """What every channel's posting shares: the record, the HTTP session, the pace, the retry policy."""

    ledger: Ledger
    http: requests.Session
    pacer: _Pacer
    sheet: str
    day: dt.date
    retries: int
    backoff: float
    sleep: Callable[[float], None]
    now: Callable[[], float]


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
    """Post each channel's digest at most once per sheet, channel and day; one Delivery per channel.

    Only a ledger that cannot be written raises (LedgerError): going on would
    risk posts the next run cannot know about.
    """
    http = session or requests.Session()
    run = _Run(ledger, http, _Pacer(clock, sleep), sheet, day, retries, backoff, sleep, now)
    deliveries = []
    try:
        with ledger.hold(f"chat:{sheet}:{day.isoformat()}") as renew:
            for post in posts:
                deliveries.append(_post_channel(post, run))
                renew()
    finally:
        if session is None:
            http.close()
    return deliveries


def _post_channel(post: ChannelPost, run: _Run) -> Delivery:
    key = channel_key(post.channel)
    if post.webhook is None:
        return Delivery(key, "invalid", _("no webhook address: {where}", where=post.missing))
    platform = platform_for(post.channel.platform)
    wrong = platform.url_problem(post.webhook.url)
    if wrong is not None:
        return Delivery(key, "invalid", _scrub(_("{source}: {problem}", source=post.webhook.source, problem=wrong),
                                               post.webhook))
    whole = post.message.kind
    if run.ledger.was_sent(run.sheet, key, run.day, whole):
        return Delivery(key, "skipped", _("already posted today"))
    attempts, posted = 0, 0
    for payload in platform.payloads(post.message):
        part = f"{whole}#{payload.part}:{_fingerprint(payload.body)}"
        if run.ledger.was_sent(run.sheet, key, run.day, part):
            continue
        bodies = [payload.body]
        if run.ledger.was_begun(run.sheet, key, run.day, part) and not getattr(platform, "deduplicates", False):
            bodies.insert(0, platform.notice(interrupted_note()))
        run.ledger.begin(run.sheet, key, run.day, part)
        for body in bodies:
            fate, tries, reason, refused = _post_one(platform, post.webhook, body, run)
            attempts += tries
            if fate != POSTED:
                if fate == REFUSED:  # nothing reached the group: no repeat to warn of next time
                    run.ledger.abandon(run.sheet, key, run.day, part)
                log.info("chat %s (%s) part %s not posted", post.channel.name, platform.name, payload.part)
                if refused and refused.signature and not post.webhook.secret:  # the bot signs; no secret here
                    reason = _missing_secret(post, platform)
                elif refused and refused.address:  # name the setting to put the right address in
                    reason = _("{reason} ({where})", reason=reason, where=post.webhook.source)
                return Delivery(key, "failed", _scrub(reason, post.webhook), attempts)
        run.ledger.record(run.sheet, key, run.day, part, f"{platform.name}:{payload.part}")
        posted += 1
        log.info("posted %s digest part %s to chat %s (%s)", whole, payload.part, post.channel.name,
                 masked_url(post.webhook.url))
    run.ledger.record(run.sheet, key, run.day, whole, f"{platform.name}:all")
    if posted == 0:
        return Delivery(key, "skipped", _("already posted today"), attempts)
    return Delivery(key, "sent", "", attempts)


def _post_one(platform: Platform, webhook: Webhook, body: dict, run: _Run) -> tuple[str, int, str, Outcome | None]:
    """POST one body until it is accepted, refused, or out of retries: (fate, attempts, reason, the refusal).

    Trouble before the request left (refused or timed-out connection, TLS) is
    retried; trouble after it left (the connection cut, no answer in time) is
    not, since the group may already show the post.
    """
    reason = ""
    for attempt in range(run.retries + 1):
        run.pacer.wait_turn(webhook.url, platform)
        url, signed = platform.signed(webhook.url, webhook.secret, body, run.now())
        data = json.dumps(signed, ensure_ascii=False).encode("utf-8")
        wait = None
        try:
            status, headers, content = _exchange(run.http, url, data)
        except requests.RequestException as exc:
            if not _before_sending(exc):
                return UNKNOWN, attempt + 1, _(
                    "the connection to {platform} broke before it answered ({error}); the digest may have been "
                    "posted, and the next run posts it again after a note saying so",
                    platform=_name(platform), error=_connection_error(exc),
                ), None
            reason = _("cannot reach {platform} ({error}); check the network and the webhook address",
                       platform=_name(platform), error=_connection_error(exc))
        except _NoAnswer:
            return UNKNOWN, attempt + 1, _(
                "{platform} did not answer within {seconds} s; the digest may have been posted, and the next run "
                "posts it again with a note saying so", platform=_name(platform), seconds=int(sum(TIMEOUT)),
            ), None
        else:
            outcome = platform.outcome(status, headers, content)
            if outcome.ok:
                return POSTED, attempt + 1, "", None
            reason = one_line(outcome.reason)
            if not outcome.retry:
                return REFUSED, attempt + 1, reason, outcome
            wait = outcome.wait
            if wait is not None and wait > MAX_WAIT:
                return REFUSED, attempt + 1, _("{reason}; the next run posts it", reason=reason), None
        if attempt < run.retries:
            pause = run.backoff * 2**attempt
            run.sleep(max(wait or 0.0, pause + random.uniform(0, pause / 10)))
    return REFUSED, run.retries + 1, _("{reason} (gave up after {n} tries)", reason=reason, n=run.retries + 1), None


class _NoAnswer(Exception):
    """The platform's answer did not arrive in full within TIMEOUT."""


def _exchange(http: requests.Session, url: str, data: bytes) -> tuple[int, Mapping[str, str], bytes]:
    """POST and read the answer within TIMEOUT in all: (status, headers, at most MAX_ANSWER bytes).

    requests' read timeout is per socket read, so a server sending its answer a
    byte at a time could hold the run for ever; the body is read here against
    one deadline instead.
    """
    deadline = time.monotonic() + sum(TIMEOUT)
    try:
        answer = http.post(url, data=data, timeout=TIMEOUT, allow_redirects=False, stream=True,
                           headers={"Content-Type": "application/json; charset=utf-8"})
    except requests.ReadTimeout as exc:
        raise _NoAnswer from exc
    with answer:
        # read1 returns what has arrived (urllib3 2); urllib3 1.26 has none, and read(1) returns as soon as it can
        read, amount = (answer.raw.read1, 1024) if hasattr(answer.raw, "read1") else (answer.raw.read, 1)
        chunks: list[bytes] = []
        size = 0
        try:
            while size < MAX_ANSWER:
                if time.monotonic() > deadline:
                    raise _NoAnswer
                chunk = read(amount, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            raise _NoAnswer from exc
        return answer.status_code, answer.headers, b"".join(chunks)


def _before_sending(exc: requests.RequestException) -> bool:
    """Whether the request certainly never reached the platform: no connection, or no TLS session."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError | requests.exceptions.ProxyError):
        return True
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, urllib3.exceptions.NewConnectionError | ConnectionRefusedError | socket.gaierror):
            return True
        cause = cause.__cause__ or cause.__context__ or _reason_of(cause)
    return False


def _reason_of(exc: BaseException) -> BaseException | None:
    reason = getattr(exc, "reason", None)  # urllib3's MaxRetryError keeps the real error here
    return reason if isinstance(reason, BaseException) else None


def _fingerprint(body: dict) -> str:
    """A short name for what a part says, so a re-run recognises a part it posted even if the split moved."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _scrub(reason: str, webhook: Webhook) -> str:
    """A reason safe to print: the webhook's key and secret never appear, whatever a platform or proxy quoted."""
    reason = reason.replace(webhook.url, masked_url(webhook.url))
    for secret in (*secret_parts(webhook.url), webhook.secret or ""):
        if secret:
            reason = reason.replace(secret, "***").replace(quote(secret, safe=""), "***")
    return reason


def _missing_secret(post: ChannelPost, platform: Platform) -> str:
    """The bot signs its messages and no secret is set for this channel: say which setting holds it."""
    assert post.webhook is not None
    if post.webhook.source.startswith("SHEETSYNC_CHAT_"):
        where = variable_names(post.channel.name)[1]
    else:
        where = _("secret under [\"{channel}\"] in {path}", channel=post.channel.name, path=post.webhook.source)
    return _("{platform} wants the bot's signature and no signing secret is set for this chat: set {where} to the "
             "secret shown in the bot's security settings (钉钉 加签: SEC…; 飞书 签名校验)",
             platform=_name(platform), where=where)


def _name(platform: Platform) -> str:
    return platform_label(platform.name)


def _connection_error(exc: requests.RequestException) -> str:
    """The root cause in a few words (requests nests urllib3's errors several deep), without the URL and its key."""
    cause: BaseException = exc
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    if isinstance(cause, ConnectionRefusedError):  # the common ones in the book's language, not the OS's English
        return _("connection refused")
    if isinstance(cause, socket.gaierror):
        return _("the server's name was not found")
    if isinstance(cause, TimeoutError | requests.ConnectTimeout | urllib3.exceptions.ConnectTimeoutError):
        return _("timed out")
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return type(cause).__name__
