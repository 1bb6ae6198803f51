"""The ``fake_google`` pytest fixture; load it with ``pytest_plugins = ("fake_google.plugin",)``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fake_google.server import FakeGoogle


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    """A running FakeGoogle on a free 127.0.0.1 port, stopped after the test."""
    with FakeGoogle() as fake:
        yield fake
