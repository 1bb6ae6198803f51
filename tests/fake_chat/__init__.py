"""Local group-bot webhook servers, one per platform, on 127.0.0.1.

Each fake checks every request against its platform's published webhook
documentation (message types, required fields, size limits, the signature
recomputed from the secret, the @-mention fields) and answers as the platform
does, error codes included. Tests read back what was accepted (`accepted`) and
can script trouble: `fail_next(n, kind)` makes the next n requests fail the way
the platform fails them ("rate" for its rate limit, "server" for a 5xx).
`kill_on_accept` runs a callback after a message is accepted but before the
answer leaves, so a test can kill the client between the platform's
acceptance and the client's record.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One POST as the fake received it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw.decode("utf-8"))


@dataclass
class Answer:
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)


class FakeBot:
    """Base of the per-platform fakes: an HTTP server in a thread that validates and records each POST.

    Subclasses implement `answer(request) -> Answer` (validation included) and
    `trouble(kind) -> Answer` (the platform's rate-limit and server-error answers).
    """

    platform = ""

    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret
        self.requests: list[Request] = []  # everything received
        self.accepted: list[Request] = []  # what the platform would have shown in the group
        self.rejected: list[tuple[Request, Answer]] = []
        self._trouble: list[str] = []
        self.kill_on_accept: Callable[[Request], None] | None = None
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = Request(
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                answer = fake._handle(request)
                body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body, ensure_ascii=False)
                data = body.encode("utf-8")
                self.send_response(answer.status)
                ctype = "text/plain" if isinstance(answer.body, str) else "application/json"
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll: shutdown() waits up to one interval, and a test suite starts many fakes.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeBot:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, n: int, kind: str = "rate") -> None:
        """The next n requests get the platform's `kind` trouble ("rate" or "server") instead of being read."""
        with self._lock:
            self._trouble += [kind] * n

    def _handle(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            kind = self._trouble.pop(0) if self._trouble else None
        if kind is not None:
            return self.trouble(kind)
        answer = self.answer(request)
        if answer.status == 200 and self.is_success(answer):
            with self._lock:
                self.accepted.append(request)
            if self.kill_on_accept is not None:
                self.kill_on_accept(request)
        else:
            with self._lock:
                self.rejected.append((request, answer))
        return answer

    # --- per platform -------------------------------------------------------------

    def url(self, key: str = "test-key") -> str:
        """The webhook URL a team would configure, pointing at this server."""
        raise NotImplementedError

    def answer(self, request: Request) -> Answer:
        raise NotImplementedError

    def trouble(self, kind: str) -> Answer:
        raise NotImplementedError

    def is_success(self, answer: Answer) -> bool:
        """Whether an answer means the message was posted (platforms answer errors with HTTP 200 too)."""
        raise NotImplementedError
