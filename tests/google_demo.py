"""The fake Google with the demo campaign made on it by `sheetsync init --gsheet --demo`, for test modules."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_google import FakeGoogle

from sheetsync.backends.gsheets.client import GoogleClient, connect
from sheetsync.cli import main


@contextlib.contextmanager
def google_with_demo(folder: Path, today: str = "2026-11-27") -> Iterator[tuple[FakeGoogle, str, GoogleClient]]:
    """(fake, the demo's key, a connected client that never sleeps on retries), the environment pointed at it."""
    with FakeGoogle() as fake, pytest.MonkeyPatch.context() as patch:
        key_file = fake.service_account_file(folder / "sa.json")
        patch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake.url)
        patch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["init", "--gsheet", "Serum launch", "--demo", "--today", today]) == 0
        demo = re.search(r"/spreadsheets/d/([^/\s]+)", out.getvalue()).group(1)
        yield fake, demo, connect(str(key_file), endpoint=fake.url, sleep=lambda _s: None)
