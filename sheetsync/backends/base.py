"""What sync needs of a backend (the Backend protocol), and `open_backend`, which picks one from a TARGET."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import TargetError
from ..i18n import _
from ..raw import CellChange, RawWorkbook

if TYPE_CHECKING:
    from ..flag_colours import ColourFix

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


class Backend(Protocol):
    """What sync needs of a workbook: one read of everything, one write of the changed computed cells.

    A backend that reads conditional formats (RawSheet.colour_rules) is also handed, in the same
    write, the rewrites of sheetsync's own flag colour rules (flag_colours.ColourFix); one that
    does not read them (live Excel) is never asked.
    """

    target: str

    @property
    def identity(self) -> str:
        """The spreadsheet itself, however TARGET was spelt: `file:` + resolved real path, `gsheet:` + key.

        The digest ledger keys what was sent by it, so a digest goes once a day
        whichever folder or machine runs the command, and two sheets that share
        a Project name stay two.
        """
        ...

    def read(self) -> RawWorkbook: ...

    def write(self, changes: list[CellChange], colours: Sequence[ColourFix] = ()) -> None: ...

    def exclusive(self) -> AbstractContextManager[None]:
        """Held by a sync from its read to its write, so two syncs of one workbook take turns."""
        ...


@runtime_checkable
class SelectionBackend(Backend, Protocol):
    """A backend a person has open and selects cells in (live Excel): Workbook.check_copy(selection=True) asks it."""

    def selected_texts(self) -> tuple[list[tuple[str, str]], str] | None: ...


_GOOGLE = re.compile(r"^\s*(?:gsheet:|(?:https?://)?(?:docs|drive)\.google\.com/)")


def is_google_address(target: object) -> bool:
    """True when TARGET names a Google Sheet (a docs/drive.google.com address or gsheet:KEY), not a file."""
    return isinstance(target, str) and _GOOGLE.match(target) is not None


def file_identity(path: str | os.PathLike[str]) -> str:
    """A workbook file's identity: its resolved real path (symlinks followed, `..` gone)."""
    return "file:" + os.path.realpath(os.fspath(path))


def open_backend(target: str | os.PathLike | Any, *, force: bool = False, credentials: str | None = None) -> Backend:
    """The backend for TARGET: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY, or an open xlwings Book."""
    if not isinstance(target, (str, os.PathLike)):
        if hasattr(target, "sheets") and hasattr(target, "app"):  # an xlwings Book: Excel has it open
            from .xlwings import XlwingsBookBackend

            return XlwingsBookBackend(target)
        raise TargetError(
            _("{target}: not a workbook; give a path, a Google Sheet URL or an xlwings Book.", target=repr(target))
        )
    text = os.fspath(target)
    if is_google_address(text):
        from .gsheets import GoogleSheetsBackend

        return GoogleSheetsBackend(text, credentials=credentials)
    suffix = Path(text).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from .xlsx import XlsxFileBackend

        return XlsxFileBackend(text, force=force)
    raise TargetError(
        _(
            "{target}: not a workbook sheetsync can open; "
            "give an .xlsx or .xlsm file, a Google Sheet URL or gsheet:KEY.",
            target=text,
        )
    )
