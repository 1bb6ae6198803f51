"""Make the template macro-enabled: embed sheetsync's VBA project and put its buttons on the Project sheet.

The buttons are Excel form controls (XlsxWriter ``insert_button``) that call
the macros of templates/vba/vbaProject.bin; each macro is one
``RunPython "import sheetsync.excel as s; s.<entry point>()"`` (see
templates/vba/Sheetsync.bas and build_vba_project.py for how the binary is
made). ``build_workbook`` calls ``add_excel_buttons`` for an .xlsm target.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .. import i18n
from ..errors import TargetError
from ..i18n import N_
from ..resources import (
    TEMPLATES_ENV,  # noqa: E402,F401  (re-exported: the same override everywhere)
    templates_root,
)


@dataclass(frozen=True)
class Button:
    """One button: the VBA macro it runs, the Python entry point behind it, its caption (an N_ message)."""

    macro: str
    entry_point: str
    label: str

    @property
    def run_python(self) -> str:
        """The VBA line the macro consists of."""
        return f'RunPython "import sheetsync.excel as s; s.{self.entry_point}()"'

    def caption(self, lang: str) -> str:
        """The caption in the workbook's language."""
        with i18n.language(lang):
            return i18n.translate(self.label)


BUTTONS = (
    Button("SheetsyncSync", "sync", N_("Sync now")),
    Button("SheetsyncDigestPreview", "digest_preview", N_("Preview digest")),
    Button("SheetsyncCheckCopy", "check_copy", N_("Check copy")),
)
# Where the buttons sit: column E of the Project sheet, right of the Notes column, one every three rows.
BUTTON_COLUMN = 4
BUTTON_FIRST_ROW = 1
BUTTON_ROW_STEP = 3
BUTTON_SIZE = {"width": 150, "height": 36}


def vba_project_path() -> Path:
    """templates/vba/vbaProject.bin of the repository, or under $SHEETSYNC_TEMPLATES_DIR."""
    return templates_root() / "vba" / "vbaProject.bin"


def add_excel_buttons(workbook: xlsxwriter.Workbook, project: Worksheet, *, lang: str = "en") -> None:
    """Embed the VBA project in ``workbook`` and put the Sync now / Preview digest / Check copy buttons on ``project``.

    Call before ``workbook.close()``. XlsxWriter then gives the workbook and
    its sheets the code names ThisWorkbook, Sheet1… that the project's
    document modules carry, and marks the package macro-enabled.
    """
    binary = vba_project_path()
    if not binary.is_file():
        raise TargetError(
            f"{binary} is missing: it holds the workbook's macros. Reinstall sheetsync, "
            "or regenerate it with: python templates/vba/build_vba_project.py"
        )
    workbook.add_vba_project(str(binary))
    for index, button in enumerate(BUTTONS):
        project.insert_button(
            BUTTON_FIRST_ROW + index * BUTTON_ROW_STEP,
            BUTTON_COLUMN,
            {"macro": button.macro, "caption": button.caption(lang), **BUTTON_SIZE},
        )


def mark_macro_enabled(xlsx: bytes) -> bytes:
    """Give a package without a VBA project the macro-enabled workbook content type that an .xlsm must have.

    Excel refuses an .xlsm whose workbook part says "sheet.main" (plain xlsx);
    XlsxWriter only switches the type when a VBA project is added. A
    macro-enabled workbook with no macros is what Excel itself saves.
    """
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(plain, macro)
            target.writestr(info, data)
    return output.getvalue()
