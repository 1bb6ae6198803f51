"""The service's limits: request size, per-token rate, one run per sheet at a time, Google's quota.

Each limit protects something different. The body limit keeps a stray upload from
filling memory; the per-token rate keeps one sheet's menu (or a script gone wrong)
from crowding out the others, and only that token waits; the per-sheet lock keeps
two clicks on one sheet from reading and writing it at once (the Google backend has
no lock of its own, it only notices a sheet that moved); the Google pacer spaces every
call the whole process makes, since all sheets share the service account's quota.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

# Defaults, each a flag of `sheetsync serve`.
MAX_BODY = 256 * 1024  # bytes: a lint request for a few hundred cells of copy fits many times over
RATE_PER_MINUTE = 30.0  # requests per token: a person clicks a few times a minute, an hourly trigger once
RATE_BURST = 5  # requests a token may make at once before the rate applies
BODY_TIMEOUT = 30.0  # seconds for a request's body to arrive: a click's few bytes take milliseconds
BUSY_WAIT = 10.0  # seconds a request waits for another run of its sheet before it is told the sheet is busy
# Sheets API: 60 requests per minute per user per project (https://developers.google.com/sheets/api/limits);
# the service account is that one user for every sheet the service syncs.
GOOGLE_PER_MINUTE = 60.0
GOOGLE_BURST = 20  # a sync makes 2 to 5 calls: a few syncs may start at once
# Seconds one call to Google may take, retries included, unless SHEETSYNC_GOOGLE_TIMEOUT says otherwise (the
# command line's default is 60). The menu's UrlFetchApp gives up after 60 s, not configurable: when Google
# fails, the service's one line must reach the sidebar before that, even after a read and a write both gave up.
GOOGLE_WAIT = 25.0


class TooLarge(Exception):
    """The request body is over the limit (internal: the app answers 413)."""


@dataclass
class TokenBucket:
    """``rate`` tokens a second up to ``capacity``; take() spends one or says how long until one is there."""

    rate: float
    capacity: float
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.level = self.capacity
        self.stamp = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> float:
        """0.0 when a token was taken; else the seconds until one will be there (nothing taken)."""
        self._refill()
        if self.level >= 1.0:
            self.level -= 1.0
            return 0.0
        return (1.0 - self.level) / self.rate if self.rate > 0 else math.inf


class RateLimiter:
    """One bucket per bearer token (by its id): a token over its rate waits; the others never notice."""

    def __init__(self, per_minute: float = RATE_PER_MINUTE, burst: int = RATE_BURST) -> None:
        self.per_minute, self.burst = per_minute, max(1, burst)
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def retry_after(self, token_id: str) -> int:
        """0 when the request may go on; else whole seconds to wait (the Retry-After header)."""
        if self.per_minute <= 0:
            return 0  # unlimited
        with self._lock:
            bucket = self._buckets.get(token_id)
            if bucket is None:
                bucket = self._buckets[token_id] = TokenBucket(self.per_minute / 60.0, float(self.burst))
            wait = bucket.take()
        return 0 if wait == 0 else max(1, math.ceil(wait))


class SheetLocks:
    """At most one sync, check or digest per sheet: the next waits up to ``busy_wait`` seconds, then is refused."""

    def __init__(self, busy_wait: float = BUSY_WAIT) -> None:
        self.busy_wait = busy_wait
        self._locks: dict[str, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[bool]:
        """Yields True holding the sheet's lock, or False when it stayed busy for the whole wait."""
        lock = self._locks.setdefault(key, asyncio.Lock())  # one event loop: no race between get and set
        try:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for can time out a lock it was just granted,
            # which would then never be released; Lock.acquire itself undoes a grant it is cancelled after.
            async with asyncio.timeout(max(self.busy_wait, 0.0)):
                await lock.acquire()
        except TimeoutError:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()


class GooglePacer:
    """Spaces every call to Google this process makes: a token bucket shared by all sheets, waited on, not refused.

    Installed with transport.set_pacer while the service runs; a call over the rate sleeps
    in its worker thread until its turn, so Google sees at most ``per_minute`` (after a burst).
    """

    def __init__(self, per_minute: float = GOOGLE_PER_MINUTE, burst: int = GOOGLE_BURST,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_minute = per_minute
        self._bucket = TokenBucket(per_minute / 60.0, float(max(1, burst))) if per_minute > 0 else None
        self._lock = threading.Lock()
        self._sleep = sleep
        self.waited = 0.0  # seconds spent waiting, in all: the health check and tests read it

    def __call__(self) -> None:
        if self._bucket is None:
            return
        while True:
            with self._lock:
                wait = self._bucket.take()
            if wait == 0:
                return
            self.waited += wait
            self._sleep(wait)


async def read_body(receive: Callable, limit: int, declared: str | None) -> bytes:
    """The request body, refused (TooLarge) past ``limit`` bytes: by its Content-Length before reading,
    and by the bytes that actually arrive (a chunked body has no length to trust)."""
    if declared is not None:
        try:
            if int(declared) > limit:
                raise TooLarge
        except ValueError:
            pass  # the server refuses a malformed length before it reaches here; count the bytes regardless
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
