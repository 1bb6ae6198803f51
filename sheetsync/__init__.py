"""sheetsync: keep a social-media ad campaign on schedule from inside its spreadsheet."""

from __future__ import annotations

from .errors import SheetsyncError, TargetError, UsageError, WorkbookLockedError, WriteError
from .problems import Problem
from .sync import SyncReport
from .workbook import CopyCheck, DemoRun, LaidOut, Workbook, create, create_gsheet, lay_out, lint_copy, make_demo, open

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
