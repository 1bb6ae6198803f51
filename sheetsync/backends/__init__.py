"""Backends turn a workbook into raw cells and write computed cells back; they never compute.

`open_backend` picks one from the TARGET a person typed.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import TargetError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def open_backend(target: str | os.PathLike, *, force: bool = False, credentials: str | None = None):
    """The backend for TARGET: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY."""
    text = os.fspath(target)
    if text.startswith(("gsheet:", "https://docs.google.com/")):
        from .gsheets import GoogleSheetsBackend

        return GoogleSheetsBackend(text, credentials=credentials)
    suffix = Path(text).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from .xlsx import XlsxFileBackend

        return XlsxFileBackend(text, force=force)
    raise TargetError(
        f"{text}: not a workbook sheetsync can open; give an .xlsx or .xlsm file, a Google Sheet URL or gsheet:KEY."
    )
