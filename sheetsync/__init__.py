"""sheetsync: keep a social-media ad campaign on schedule from inside its spreadsheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SheetsyncError, TargetError, UsageError, WorkbookLockedError, WriteError
from .lazy import lazy_attributes

if TYPE_CHECKING:
    from .copy_lint import lint_copy
    from .problems import Problem
    from .sync import SyncReport
    from .workbook import CopyCheck, DemoRun, LaidOut, Workbook, create, create_gsheet, lay_out, make_demo, open

# Imported on first use (sheetsync.lazy): `sheetsync lint-copy` needs none of the workbook machinery.
_LAZY = {
    "lint_copy": "copy_lint",
    "Problem": "problems",
    "SyncReport": "sync",
    **dict.fromkeys(
        ("CopyCheck", "DemoRun", "LaidOut", "Workbook", "create", "create_gsheet", "lay_out", "make_demo", "open"),
        "workbook",
    ),
}


__getattr__ = lazy_attributes(__name__, _LAZY)

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
