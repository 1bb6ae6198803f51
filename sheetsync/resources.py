"""Where sheetsync's data files live: rule packs, digest templates, the VBA project.

They sit in the repository's top-level `templates/` folder (the design card's
layout). A wheel installs them under `<prefix>/share/sheetsync/templates`
(pyproject's data-files); `SHEETSYNC_TEMPLATES_DIR` overrides both.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

TEMPLATES_ENV = "SHEETSYNC_TEMPLATES_DIR"


def templates_root() -> Path:
    """The folder holding rules/, digest/ and vba/."""
    env = os.environ.get(TEMPLATES_ENV)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1] / "templates"
    if repo.is_dir():
        return repo
    installed = Path(sysconfig.get_path("data")) / "share" / "sheetsync" / "templates"
    return installed if installed.is_dir() else repo
