"""Where sheetsync's files live: rule packs, digest templates, the VBA project; the user's state and settings.

They sit in the repository's top-level `templates/` folder (the design card's
layout). A wheel installs them under `<prefix>/share/sheetsync/templates`
(pyproject's data-files); `SHEETSYNC_TEMPLATES_DIR` overrides both.
"""

from __future__ import annotations

import os
import sysconfig
from collections.abc import Mapping
from pathlib import Path

TEMPLATES_ENV = "SHEETSYNC_TEMPLATES_DIR"


def templates_root() -> Path:
    """The folder holding rules/, digest/, vba/ and apps-script/."""
    env = os.environ.get(TEMPLATES_ENV)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1] / "templates"
    if repo.is_dir():
        return repo
    installed = Path(sysconfig.get_path("data")) / "share" / "sheetsync" / "templates"
    return installed if installed.is_dir() else repo


def user_folder(xdg: str, fallback: str, environ: Mapping[str, str] | None = None, *, override: str = "") -> Path:
    """One of the user's sheetsync folders: $override (if named), else $xdg/sheetsync, else ~/<fallback>/sheetsync.

    XDG Base Directory spec: a relative $XDG_… is invalid and ignored.
    """
    env = os.environ if environ is None else environ
    if override and env.get(override):
        return Path(env[override])
    base = env.get(xdg, "")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / fallback) / "sheetsync"
