"""Run the service on uvicorn: one process, one event loop, sheetsync's work in its thread pool.

uvicorn's own access log is off (the service writes its structured one, accesslog.py) and
it listens on 127.0.0.1 unless told otherwise: HTTPS belongs in a reverse proxy in front
(Caddy, nginx, a platform's load balancer), which is also what may expose it to Google.

uvicorn closes a keep-alive connection only when no byte at all arrives: a connection that
has sent nothing yet, or sends its request's head a byte at a time, it keeps for good
(slowloris). The protocol below gives every request head ``HEAD_TIMEOUT`` seconds to arrive.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
HEAD_TIMEOUT = 10.0  # seconds for a request line and headers to arrive: a client sends them at once


def uvicorn_options(*, head_timeout: float = HEAD_TIMEOUT, log_level: str = "warning") -> dict[str, Any]:
    """uvicorn's settings for the service, beside app, host and port (`serve` and the tests' running_service)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class PromptH11Protocol(H11Protocol):
        """uvicorn's h11 protocol, closing a connection whose next request head has not arrived in time."""

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()  # keep-alive: the next request's head gets its own time

        def connection_lost(self, exc: Exception | None) -> None:
            self._head_timer.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            with_cycle = self.cycle  # a new request replaces it: then the head has arrived
            if getattr(self, "_head_timer", None) is not None:
                self._head_timer.cancel()
            self._head_timer = self.loop.call_later(head_timeout, self._head_late, with_cycle)

        def _head_late(self, armed_with: Any) -> None:
            idle = armed_with is None or armed_with.response_complete  # not a request still being answered
            if self.cycle is armed_with and idle and not self.transport.is_closing():
                self.transport.close()

    return {
        "http": PromptH11Protocol, "access_log": False, "log_level": log_level, "server_header": False,
        "lifespan": "on",  # proxy headers trusted from 127.0.0.1 only (uvicorn's default)
    }


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options: Any) -> None:
    """Serve until interrupted; ``options`` are create_app's (state_dir, credentials, limits, log)."""
    import uvicorn

    from .app import create_app

    app = create_app(freeze=True, **options)
    uvicorn.run(app, host=host, port=port,
                **uvicorn_options(log_level=os.environ.get("SHEETSYNC_SERVE_LOG_LEVEL", "warning")))
