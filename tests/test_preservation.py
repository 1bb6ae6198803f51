"""Writing computed cells keeps everything else a person put in the workbook, byte for byte.

The workbooks have what real campaign workbooks have: a chart, a logo image, a
note, a defined name, formulas, a status dropdown, conditional formatting and,
as .xlsm, a VBA project with a macro button. After a write, every zip member
except the patched sheet must be identical, and openpyxl and LibreOffice must
open the result and show the new values.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from xlsx_fixtures import MAIN_NS, add_form_control_part, build_rich_workbook, members, vba_project

from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.raw import CellChange

NS = {"m": MAIN_NS}
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CHANGES = [
    CellChange("Timeline", 2, 5, "OVERDUE"),
    CellChange("Timeline", 3, 5, "DUE SOON"),
    CellChange("Timeline", 4, 6, "new column 新"),
    CellChange("Timeline", 8, 1, "T9"),
]
SHEET1 = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def vba() -> bytes:
    project = vba_project()
    if project is None:
        pytest.skip("no vbaProject.bin available: install xlwings, which ships a macro workbook")
    return project


def _changed_members(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    assert sorted(before) == sorted(after), "a part was added or dropped"
    return [name for name in before if before[name] != after[name]]


def _assert_sheet_keeps_its_objects(path: Path) -> None:
    root = etree.fromstring(members(path)[SHEET1])
    for element in ("drawing", "legacyDrawing", "dataValidations", "conditionalFormatting"):
        assert root.find(f"m:{element}", namespaces=NS) is not None, element


def _assert_openpyxl_sees_changes(path: Path, keep_vba: bool = False) -> None:
    book = openpyxl.load_workbook(path, keep_vba=keep_vba)
    sheet = book["Timeline"]
    assert [sheet["E2"].value, sheet["E3"].value, sheet["F4"].value, sheet["A8"].value] == [
        "OVERDUE",
        "DUE SOON",
        "new column 新",
        "T9",
    ]
    assert sheet["C5"].value == "=SUM(C2:C4)"
    assert sheet["B2"].comment is not None and "two options" in sheet["B2"].comment.text
    assert str(sheet.data_validations.dataValidation[0].sqref) == "D2:D20"
    assert "Durations" in book.defined_names


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_write_keeps_every_other_part_byte_identical(tmp_path, suffix, request):
    project = request.getfixturevalue("vba") if suffix == ".xlsm" else None
    path = build_rich_workbook(tmp_path / f"campaign{suffix}", vba_project=project)
    if project is not None:
        add_form_control_part(path)
    before = members(path)

    XlsxFileBackend(path).write(CHANGES)

    after = members(path)
    assert _changed_members(before, after) == [SHEET1]
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == list(before)
    _assert_sheet_keeps_its_objects(path)
    _assert_openpyxl_sees_changes(path, keep_vba=project is not None)
    if project is not None:
        assert after["xl/vbaProject.bin"] == project
        assert after["xl/ctrlProps/ctrlProp1.xml"] == before["xl/ctrlProps/ctrlProp1.xml"]
        vml = after["xl/drawings/vmlDrawing1.vml"]
        assert b"say_hello" in vml and b"Sync now" in vml  # the macro button survives with its macro


def test_excel_made_macro_workbook_keeps_markup_compatibility_prefixes(tmp_path, vba):
    """xlwings' quickstart workbook was saved by Excel: mc:Ignorable names prefixes that must stay declared."""
    import xlwings

    path = tmp_path / "quickstart.xlsm"
    shutil.copy(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm", path)
    before = members(path)

    XlsxFileBackend(path).write([CellChange("Sheet1", 3, 2, "hello"), CellChange("_xlwings.conf", 20, 1, 5)])

    after = members(path)
    assert sorted(_changed_members(before, after)) == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        old, new = etree.fromstring(before[part]), etree.fromstring(after[part])
        assert new.nsmap == old.nsmap
        ignorable = new.get(f"{{{MC_NS}}}Ignorable")
        assert ignorable == "x14ac xr xr2 xr3" and all(prefix in new.nsmap for prefix in ignorable.split())
        assert b"ns0:" not in after[part]
    assert etree.fromstring(after["xl/worksheets/sheet1.xml"]).find("m:dimension", NS).get("ref") == "B3"
    conf = etree.fromstring(after["xl/worksheets/sheet2.xml"])
    assert conf.find("m:sheetData/m:row[@r='20']/m:c", NS).get("s") == "1"  # the column's style
    book = XlsxFileBackend(path).read()
    assert book.sheets["Sheet1"].value(3, 2) == "hello" and book.sheets["_xlwings.conf"].value(20, 1) == 5
    assert openpyxl.load_workbook(path, keep_vba=True)["Sheet1"]["B3"].value == "hello"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_written_workbooks(tmp_path, vba):
    books = [
        build_rich_workbook(tmp_path / "campaign.xlsx"),
        build_rich_workbook(tmp_path / "macros.xlsm", vba_project=vba),
    ]
    for path in books:
        XlsxFileBackend(path).write(CHANGES)
    out = tmp_path / "csv"

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(out),
            *map(str, books),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    for path in books:
        with open(out / f"{path.stem}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[1][:5] == ["T1", "Proposal", "3", "Not started", "OVERDUE"]
        assert rows[2][4] == "DUE SOON"
        assert rows[3][5] == "new column 新"
        assert rows[4][2] == "10"  # the formula still computes
        assert rows[7][0] == "T9"
