"""`running_service`: the real `sheetsync serve` app on uvicorn, on a free 127.0.0.1 port, in a thread.

    with running_service(tmp_path / "state", log=tmp_path / "access.log") as url:
        requests.post(f"{url}/v1/sheets/{key}/sync", headers={"Authorization": f"Bearer {token}"}, json={})

Options are create_app's (credentials, max_body, rate, burst, busy_wait, google_rate, log, warm…),
and head_timeout (the server's: seconds for a request's head to arrive).
The server is started, waited for (its lifespan start-up included), and stopped on exit.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from sheetsync.serve import create_app
from sheetsync.serve.server import HEAD_TIMEOUT, uvicorn_options


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_service(state_dir: str | os.PathLike[str], **options: Any) -> Iterator[str]:
    """The base URL (http://127.0.0.1:PORT) of the service while the block runs."""
    head_timeout = options.pop("head_timeout", HEAD_TIMEOUT)
    app = create_app(state_dir=state_dir, **options)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, **uvicorn_options(head_timeout=head_timeout))
    server = uvicorn.Server(config)  # as `sheetsync serve` runs it
    thread = threading.Thread(target=server.run, name=f"sheetsync-serve-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the service did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def post(base: str, key: str, action: str, token: str | None, body: object = None, **headers: str):
    """POST /v1/sheets/KEY/ACTION with the bearer token (None: no Authorization header); a requests.Response."""
    import requests

    sent = {"Content-Type": "application/json", **{k.replace("_", "-"): v for k, v in headers.items()}}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = json.dumps({} if body is None else body, ensure_ascii=False).encode("utf-8")
    return requests.post(f"{base}/v1/sheets/{key}/{action}", data=data, headers=sent, timeout=60)
