"""`sheetsync serve`: the web service behind the Google Sheets menu (Sync now, Check copy, Preview digest).

Apps Script cannot run Python, so the menu calls this service, which syncs the sheet
through the Google backend and the service account, keeping Python warm and the rule
packs compiled. `create_app` gives the ASGI app (Starlette), `TokenStore` the per-sheet
bearer tokens, `serve` runs the app on uvicorn.

Imported on first use (PEP 562): the command line's parser reads `serve.options` without
loading Starlette.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import create_app
    from .server import serve
    from .tokens import TokenStore

_LAZY = {"create_app": "app", "TokenStore": "tokens", "serve": "server"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sheetsync.serve' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = ["TokenStore", "create_app", "serve"]
