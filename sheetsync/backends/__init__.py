"""Backends turn a workbook into raw cells and write computed cells back; they never compute.

`open_backend` picks one from the TARGET a person typed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import TargetError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def open_backend(target: str | os.PathLike | Any, *, force: bool = False, credentials: str | None = None):
    """The backend for TARGET: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY, or an open xlwings Book."""
    if not isinstance(target, (str, os.PathLike)):
        if hasattr(target, "sheets") and hasattr(target, "app"):  # an xlwings Book: Excel has it open
            from .xlwings_book import XlwingsBookBackend

            return XlwingsBookBackend(target)
        raise TargetError(f"{target!r}: not a workbook; give a path, a Google Sheet URL or an xlwings Book.")
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
