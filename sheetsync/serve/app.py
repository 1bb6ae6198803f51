"""The service's routes: `GET /healthz` and `POST /v1/sheets/{KEY}/sync|check|digest|lint`.

Starlette on uvicorn: a small, well-kept ASGI toolkit (no framework magic to audit), whose
thread pool runs sheetsync's blocking work (Google calls, computing) while the event loop
keeps answering — a health check, a rate-limit refusal, another sheet's click.

A request goes through, in order: the body's declared size (413), the token (401/403),
the token's rate (429), the body itself (413; 408 when it dribbles in; 400), the sheet's lock
(409), then the work (502 when Google or the sheet fails, with the command line's one line).
Every refusal is `{"error": "<one line>"}`: in the caller's language (Accept-Language) until
the token opens the sheet, then in the sheet's when known.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import json
import os
import sys
import traceback
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import __version__, i18n
from ..backends.gsheets.address import spreadsheet_key
from ..errors import SheetsyncError
from . import messages
from .accesslog import AccessLog, AccessLogMiddleware
from .limits import (
    BODY_TIMEOUT,
    BUSY_WAIT,
    GOOGLE_BURST,
    GOOGLE_PER_MINUTE,
    GOOGLE_WAIT,
    MAX_BODY,
    RATE_BURST,
    RATE_PER_MINUTE,
    GooglePacer,
    RateLimiter,
    SheetLocks,
    TooLarge,
    read_body,
)
from .tokens import TokenStore
from .work import Sheets, warm_up

ACTIONS = ("sync", "check", "digest", "lint")
# The years a "today" may fall in: the working-day calendar covers 1900–2200, and a digest or a sync looks
# some weeks before and after today.
TODAY_YEARS = (1901, 2199)
MAX_KEY = 200  # a sheet's key is 44 characters; nothing longer is one


class Refused(Exception):
    """A request the service answers with an error status and one line (internal to this module)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class Service:
    """One running service: its tokens, limits, Google client and the sheets' languages."""

    def __init__(
        self, state_dir: Path, credentials: str | None, *, max_body: int, rate: float, burst: int, busy_wait: float,
        google_rate: float, google_burst: int, warm: bool, body_timeout: float = BODY_TIMEOUT,
        google_wait: float = GOOGLE_WAIT,
    ) -> None:
        self.tokens = TokenStore(state_dir)
        self.sheets = Sheets(credentials, state_dir, google_wait)
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.limiter = RateLimiter(rate, burst)
        self.locks = SheetLocks(busy_wait)
        self.pacer = GooglePacer(google_rate, google_burst)
        self.warm = warm

    def language(self, key: str | None, accept: str | None) -> str:
        return (self.sheets.langs.get(key) if key else None) or messages.accepted_language(accept)

    def authorise(self, request: Request, key: str) -> str:
        """The presented token's id when it opens sheet ``key``; else Refused (401, 403)."""
        scheme, _sep, token = request.headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Refused(401, messages.no_token())
        try:
            record = self.tokens.verify(token)
        except SheetsyncError as err:  # the token file is unreadable: the service's fault, not the sheet's
            raise Refused(503, self.token_file_trouble(err)) from None
        if record is None:
            raise Refused(401, messages.unknown_token(key))
        request.scope["state"]["token_id"] = record.id
        if record.key != key:
            raise Refused(403, messages.other_sheet(key))
        return record.id

    def token_file_trouble(self, err: SheetsyncError) -> str:
        """What a caller is told of a damaged token file: its name, not the state folder's path (the log has that)."""
        print(f"sheetsync serve: {err}", file=sys.stderr, flush=True)
        return str(err).replace(str(self.tokens.path), self.tokens.path.name)

    async def body(self, request: Request) -> dict[str, Any]:
        try:  # a body sent slower than anyone types holds a connection for nothing: cut it off
            async with asyncio.timeout(self.body_timeout):
                raw = await read_body(request.receive, self.max_body, request.headers.get("content-length"))
        except TooLarge:
            raise Refused(413, messages.too_large(self.max_body)) from None
        except TimeoutError:
            raise Refused(408, messages.slow_body(self.body_timeout), {"Connection": "close"}) from None
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: "[[[[…" nested too deep
            raise Refused(400, messages.not_json(type(exc).__name__)) from None
        if not isinstance(body, dict):
            raise Refused(400, messages.not_json(type(body).__name__))
        try:  # JSON may escape a lone surrogate ("\\ud800"): no character, so no answer echoing it could be encoded
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise Refused(400, messages.not_unicode()) from None
        return body


def _today(body: dict[str, Any]) -> dt.date | None:
    value = body.get("today")
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        today = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Refused(400, messages.bad_today(value)) from None
    if not TODAY_YEARS[0] <= today.year <= TODAY_YEARS[1]:  # year 1 overflowed a digest's dates: a 500
        raise Refused(400, messages.today_out_of_range(value, *TODAY_YEARS))
    return today


def _dry_run(body: dict[str, Any]) -> bool:
    value = body.get("dry_run", False)
    if not isinstance(value, bool):
        raise Refused(400, messages.bad_dry_run(value))
    return value


def _cells(body: dict[str, Any]) -> list[tuple[str, str]] | None:
    cells = body.get("cells")
    if cells is None:
        return None
    if not isinstance(cells, list) or not all(
        isinstance(c, dict) and isinstance(c.get("cell"), str) and isinstance(c.get("text"), str) for c in cells
    ):
        raise Refused(400, messages.bad_cells())
    return [(c["cell"], c["text"]) for c in cells]


async def _run(service: Service, key: str, action: str, body: dict[str, Any]) -> dict[str, object]:
    """The endpoint's work in a worker thread, holding the sheet's lock.

    Lint only reads, so it does not wait for a sync; but it takes its own turn per sheet:
    each run holds a worker thread, and clicks on a sheet Google is stuck on would
    otherwise fill the pool (40 threads) and leave none for any other sheet.
    """
    sheets = service.sheets
    if action == "lint":
        cells = _cells(body)
        async with service.locks.hold(f"lint {key}") as held:  # a space: no sheet key has one
            if not held:
                raise Refused(409, messages.busy_lint(service.locks.busy_wait))
            return await run_in_threadpool(sheets.lint, key, cells)
    today = _today(body)
    dry_run = _dry_run(body) if action == "sync" else False
    async with service.locks.hold(key) as held:
        if not held:
            raise Refused(409, messages.busy(service.locks.busy_wait))
        if action == "digest":
            return await run_in_threadpool(sheets.digest, key, today=today)
        return await run_in_threadpool(sheets.sync, key, today=today, dry_run=dry_run, action=action)


def create_app(
    state_dir: str | os.PathLike[str] | None = None,
    credentials: str | None = None,
    *,
    max_body: int = MAX_BODY,
    rate: float = RATE_PER_MINUTE,
    burst: int = RATE_BURST,
    busy_wait: float = BUSY_WAIT,
    body_timeout: float = BODY_TIMEOUT,
    google_rate: float = GOOGLE_PER_MINUTE,
    google_burst: int = GOOGLE_BURST,
    google_wait: float = GOOGLE_WAIT,
    log: str | os.PathLike[str] | AccessLog | None = None,
    warm: bool = True,
    freeze: bool = False,
) -> Starlette:
    """The service as an ASGI app: tokens under ``state_dir`` (default: the user's state folder), limits as given.

    ``credentials``: the service account's key file (default $GOOGLE_APPLICATION_CREDENTIALS);
    ``rate``/``google_rate`` are per minute (0: unlimited); ``body_timeout`` the seconds a body may take
    to arrive; ``google_wait`` the seconds one call to Google may take, retries included, unless
    SHEETSYNC_GOOGLE_TIMEOUT is set; ``log`` a file for the access log (default stderr); ``warm``
    compiles every rule pack at start-up; ``freeze`` (when the process is the service's own, as in
    `sheetsync serve`) moves what start-up made out of the garbage collector's walks.
    """
    from ..digest.run import default_state_dir

    state = Path(state_dir) if state_dir is not None else default_state_dir()
    service = Service(
        state, credentials, max_body=max_body, rate=rate, burst=burst, busy_wait=busy_wait,
        google_rate=google_rate, google_burst=google_burst, warm=warm, body_timeout=body_timeout,
        google_wait=google_wait,
    )
    access = log if isinstance(log, AccessLog) else AccessLog(log)

    async def healthz(request: Request) -> JSONResponse:
        try:
            sheets = len(service.tokens.keys())
        except SheetsyncError as err:  # an unreadable token file: every sheet's menu would be refused
            trouble = service.token_file_trouble(err)
            return JSONResponse({"ok": False, "version": __version__, "error": trouble}, status_code=503)
        return JSONResponse({"ok": True, "version": __version__, "sheets": sheets})

    async def sheet_action(request: Request) -> JSONResponse:
        key, action = request.path_params["key"], request.path_params["action"]
        if action not in ACTIONS:
            raise HTTPException(404)
        if len(key) > MAX_KEY or spreadsheet_key(f"gsheet:{key}") != key:  # "..", "a\nb", a URL, 9,000 letters
            with i18n.language(messages.accepted_language(request.headers.get("accept-language"))):
                return _error(404, messages.not_a_key(key))
        request.scope["state"]["sheet_key"] = key
        accepted = request.headers.get("accept-language")
        lang = messages.accepted_language(accepted)  # the sheet's own language only for who holds its token:
        with i18n.language(lang):  # to anyone else it would tell that this key is served here, and in which
            try:
                declared = request.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > service.max_body:
                    raise Refused(413, messages.too_large(service.max_body))
                token_id = service.authorise(request, key)  # a stat and a small read: no thread, never queued
                lang = service.language(key, accepted)
                with i18n.language(lang):
                    wait = service.limiter.retry_after(token_id)
                    if wait:
                        raise Refused(429, messages.rate_limited(wait), {"Retry-After": str(wait)})
                    body = await service.body(request)
                    return JSONResponse(await _run(service, key, action, body))
            except Refused as refused:
                return _error(refused.status, refused.message, refused.headers)
            except SheetsyncError as err:  # Google or the sheet failed: the command line's one line
                with i18n.language(err.lang or service.sheets.langs.get(key) or lang):
                    return _error(502, service.sheets.without_key_file(str(err)))
            except Exception:  # noqa: BLE001 - one line to the caller; the traceback to the operator
                traceback.print_exc()
                with i18n.language(lang):
                    return _error(500, messages.internal())

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        with i18n.language(messages.accepted_language(request.headers.get("accept-language"))):
            if exc.status_code == 405:
                allowed = (exc.headers or {}).get("Allow", "")
                return _error(405, messages.wrong_method(request.method, allowed), dict(exc.headers or {}))
            if exc.status_code == 404:
                return _error(404, messages.not_found())
            return _error(exc.status_code, str(exc.detail))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from ..backends.gsheets import transport

        if service.warm:
            await run_in_threadpool(warm_up)
        if freeze:  # what start-up made lives as long as the process: the collector need not walk it every time
            gc.collect()
            gc.freeze()
        transport.set_pacer(service.pacer)
        try:
            yield
        finally:
            transport.set_pacer(None)

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/v1/sheets/{key}/{action}", sheet_action, methods=["POST"]),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # its redirect points at the request's Host header: an open redirect
    app.state.service = service
    app.add_middleware(AccessLogMiddleware, log=access)
    return app
