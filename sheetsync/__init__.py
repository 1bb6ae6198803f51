"""sheetsync: keep a social-media ad campaign on schedule from inside its spreadsheet."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import SheetsyncError, TargetError, UsageError, WorkbookLockedError, WriteError

if TYPE_CHECKING:
    from .copy_lint import lint_copy
    from .problems import Problem
    from .sync import SyncReport
    from .workbook import CopyCheck, DemoRun, LaidOut, Workbook, create, create_gsheet, lay_out, make_demo, open

# Imported on first use (PEP 562): `sheetsync lint-copy` needs none of the workbook machinery
# (sync, analysis, backends), and importing it all was a third of that command's start-up.
_LAZY = {
    "lint_copy": "copy_lint",
    "Problem": "problems",
    "SyncReport": "sync",
    **dict.fromkeys(
        ("CopyCheck", "DemoRun", "LaidOut", "Workbook", "create", "create_gsheet", "lay_out", "make_demo", "open"),
        "workbook",
    ),
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sheetsync' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"
__all__ = [
    "CopyCheck",
    "DemoRun",
    "LaidOut",
    "Problem",
    "SheetsyncError",
    "SyncReport",
    "TargetError",
    "UsageError",
    "Workbook",
    "WorkbookLockedError",
    "WriteError",
    "__version__",
    "create",
    "create_gsheet",
    "lay_out",
    "lint_copy",
    "make_demo",
    "open",
]
