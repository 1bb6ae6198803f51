"""The one exception root: everything sheetsync raises to a caller derives from SheetsyncError."""

from __future__ import annotations


class SheetsyncError(Exception):
    """Base of every error sheetsync raises; its message is one line a person can act on."""


class TargetError(SheetsyncError):
    """The workbook cannot be opened: missing, unreadable, not a workbook."""


class WorkbookLockedError(SheetsyncError):
    """The workbook is open in Excel (its ~$ lock file exists) and --force was not given."""


class WriteError(SheetsyncError):
    """Saving the workbook failed; the previous file is untouched."""


class SheetMovedError(WriteError):
    """The sheet changed between sheetsync's read and its write; nothing was written: read and plan again."""


class UsageError(SheetsyncError):
    """A command-line or API argument is invalid (bad date, unknown language...)."""
