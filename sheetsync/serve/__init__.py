"""`sheetsync serve`: the web service behind the Google Sheets menu (Sync now, Check copy, Preview digest).

Apps Script cannot run Python, so the menu calls this service, which syncs the sheet
through the Google backend and the service account, keeping Python warm and the rule
packs compiled. `create_app` gives the ASGI app (Starlette), `TokenStore` the per-sheet
bearer tokens, `serve` runs the app on uvicorn.

Imported on first use (PEP 562): the command line's parser reads `serve.options` without
loading Starlette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

if TYPE_CHECKING:
    from .app import create_app
    from .server import serve
    from .tokens import TokenStore

_LAZY = {"create_app": "app", "TokenStore": "tokens", "serve": "server"}


__getattr__ = lazy_attributes(__name__, _LAZY)

__all__ = ["TokenStore", "create_app", "serve"]
