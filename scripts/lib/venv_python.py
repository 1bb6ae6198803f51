"""Lets the Python scripts in scripts/ run from a plain shell when sheetsync lives in the project's .venv.

`#!/usr/bin/env python3` finds the system python3, which on Debian 12 and Ubuntu 24.04 is externally
managed (PEP 668): scripts/demo and scripts/test install sheetsync and its dependencies into the
repository's .venv instead (scripts/lib/venv.sh). A script calls `use_project_venv_unless_importable`
before its first third-party import.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

PROJECT_VENV = Path(__file__).resolve().parents[2] / ".venv"


def use_project_venv_unless_importable(*modules: str) -> None:
    """Re-run the running script with .venv's python when this interpreter cannot import all of `modules`."""
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if not missing:
        return
    python = PROJECT_VENV / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != PROJECT_VENV.resolve():
        os.execv(python, [str(python), sys.argv[0], *sys.argv[1:]])
    sys.exit(
        f"{Path(sys.argv[0]).name}: {sys.executable} cannot import {', '.join(missing)}; run scripts/test "
        "(it installs everything into .venv) or activate a virtualenv that has them."
    )
