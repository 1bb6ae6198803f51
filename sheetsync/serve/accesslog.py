"""The service's structured access log: one JSON object per request, on stderr or in `--log FILE`.

Each line says when, what (method, path), how it ended (status, milliseconds), who
(the token's short id, never the token) and for which sheet and client address. Headers
are never logged: the Authorization header carries the token. uvicorn's own access log
is switched off so that this is the only one.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any, TextIO

from ..errors import UsageError
from ..i18n import _

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


# What ends a line besides \n and \r (which JSON escapes already): str.splitlines, editors and some log
# shippers break at these, so a caller's path holding one would split its record into two lines of non-JSON.
_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"}


class AccessLog:
    """Writes access lines to a stream or appends them to a file (one write per line, under a lock)."""

    def __init__(self, path: str | Path | None = None, stream: TextIO | None = None) -> None:
        self.path = Path(path) if path else None
        self.stream = stream
        self._lock = threading.Lock()
        if self.path is not None:  # say so at start-up, once, not in a traceback after every request
            try:
                self.path.open("a", encoding="utf-8").close()
            except OSError as exc:
                raise UsageError(_("The access log {path} cannot be written ({error}); give --log a file in a "
                                   "folder that exists and that this user may write.",
                                   path=self.path, error=exc.strerror or exc)) from exc

    def write(self, record: dict[str, object]) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).translate(_LINE_BREAKS) + "\n"
        with self._lock:
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line)
            else:
                stream = self.stream or sys.stderr
                stream.write(line)
                stream.flush()


class AccessLogMiddleware:
    """ASGI middleware timing each HTTP request and logging it when its answer has gone out.

    It also marks every answer ``Cache-Control: no-store``, being the one wrapper every answer passes.

    The app records the token id and the sheet key in ``scope["state"]`` once it knows them.
    """

    def __init__(self, app: ASGIApp, log: AccessLog) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        state = scope.setdefault("state", {})
        status = 500

        async def send_logged(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Answers name people, addresses and sheets: no proxy or browser cache may keep them.
                headers = [h for h in message.get("headers") or [] if h[0].lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", b"no-store")]}
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            client = scope.get("client")
            self.log.write({
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                "method": scope.get("method"),
                "path": _short(scope.get("path")),
                "status": status,
                "ms": round((time.perf_counter() - began) * 1000, 1),
                "token": state.get("token_id"),
                "sheet": _short(state.get("sheet_key")),
                "client": client[0] if client else None,
            })


def _short(text: str | None, limit: int = 200) -> str | None:
    """A caller's path as logged: whole up to ``limit`` characters (a sheet's is under 100), else cut, marked."""
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"
