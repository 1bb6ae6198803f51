"""Run the service on uvicorn: one process, one event loop, sheetsync's work in its thread pool.

uvicorn's own access log is off (the service writes its structured one, accesslog.py) and
it listens on 127.0.0.1 unless told otherwise: HTTPS belongs in a reverse proxy in front
(Caddy, nginx, a platform's load balancer), which is also what may expose it to Google.
"""

from __future__ import annotations

import os
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options: Any) -> None:
    """Serve until interrupted; ``options`` are create_app's (state_dir, credentials, limits, log)."""
    import uvicorn

    from .app import create_app

    app = create_app(**options)
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level=os.environ.get("SHEETSYNC_SERVE_LOG_LEVEL", "warning"),
        server_header=False, lifespan="on",  # proxy headers trusted from 127.0.0.1 only (uvicorn's default)
    )
