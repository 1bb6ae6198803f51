"""A number sheetsync writes into a cell a person once formatted as a date shows as a number, not as a date.

Excel (and openpyxl, and sheetsync's own reader) show a number in a date-formatted
cell as the date of that serial: a Variance of 2 reads 1900-01-02, a Slack of -1
1899-12-29 (or ####). Both xlsx patchers give such a cell a style that looks like its
own (font, fill, border) with the General format; a date keeps its date style, and a
number in any other cell keeps the cell's style untouched.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.styles import Font, PatternFill
from xlsx_fixtures import MAIN_NS

from sheetsync.backends.xlsx.patch import SheetPatcher
from sheetsync.backends.xlsx.stream import StreamingSheetPatcher
from sheetsync.backends.xlsx.styles import StylesPatcher
from sheetsync.cli import main
from sheetsync.raw import CellChange

TODAY = "2026-12-08"
NS = {"m": MAIN_NS}


def _formatted_as_dates(book: Path, columns: tuple[str, ...]) -> None:
    """A person selects the Variance and Slack columns and formats them as dates, bold on yellow."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Timeline"]
    header = [c.value for c in ws[1]]
    for name in columns:
        col = header.index(name) + 1
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row, col)
            cell.number_format = "yyyy-mm-dd"
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(book)


def _column(book: Path, name: str) -> dict[str, openpyxl.cell.Cell]:
    ws = openpyxl.load_workbook(book)["Timeline"]
    header = [c.value for c in ws[1]]
    col = header.index(name)
    return {row[0].value: row[col] for row in ws.iter_rows(min_row=2) if row[0].value}


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    book = tmp_path / "campaign.xlsx"
    assert main(["init", str(book), "--demo", "--today", TODAY]) == 0
    return book


def test_variance_and_slack_in_date_formatted_cells_show_as_numbers_and_keep_their_look(demo: Path, capsys) -> None:
    expected = {task: cell.value for task, cell in _column(demo, "Variance").items()}
    slack = {task: cell.value for task, cell in _column(demo, "Slack").items()}
    assert expected["T4"] == 2 and min(slack.values()) < 0
    _formatted_as_dates(demo, ("Variance", "Slack"))
    assert isinstance(_column(demo, "Variance")["T4"].value, dt.datetime)  # what she saw: 1900-01-02
    assert main(["sync", str(demo), "--today", TODAY]) == 0, capsys.readouterr().out
    # A negative number (Slack -2) reads back as the number itself (no date before 1900), so a sync finds it
    # unchanged and never rewrites it: its date format stays (see the report; the reader's part, not the patcher's).
    slack = {task: days for task, days in slack.items() if days >= 0}
    for name, values in (("Variance", expected), ("Slack", slack)):
        cells = {task: cell for task, cell in _column(demo, name).items() if task in values}
        assert {task: cell.value for task, cell in cells.items()} == values
        for task, cell in cells.items():
            assert cell.number_format == "General", (name, task)
            assert cell.font.bold and cell.fill.fgColor.rgb.endswith("FFFF00"), (name, task)
    capsys.readouterr()
    assert main(["sync", str(demo), "--today", TODAY]) == 0  # read back as numbers: a second sync writes nothing
    assert {task: cell.value for task, cell in _column(demo, "Variance").items()} == expected


def test_the_dates_next_to_them_keep_their_date_format(demo: Path) -> None:
    assert main(["sync", str(demo), "--today", TODAY]) == 0
    due = _column(demo, "Due")["T4"]
    assert isinstance(due.value, dt.datetime) and due.number_format != "General"


STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="1" fillId="2"/>'
    '<xf numFmtId="14" fontId="0"/><xf numFmtId="4" fontId="1"/></cellXfs></styleSheet>'
).encode()
SHEET = (
    f'<worksheet xmlns="{MAIN_NS}"><cols><col min="5" max="5" style="2"/></cols><sheetData>'
    '<row r="1"><c r="A1" s="1"><v>46000</v></c><c r="B1" s="3"><v>1</v></c><c r="C1" s="2"><v>1</v></c>'
    '<c r="D1" s="1"><v>2</v></c></row></sheetData></worksheet>'
)


def _patch_both(changes: list[tuple[int, int, object]]) -> tuple[etree._Element, list[etree._Element]]:
    """The streamed sheet and its cellXfs, asserting the tree patcher gives the same sheet and styles."""
    cell_changes = [CellChange("S", row, col, value) for row, col, value in changes]
    streamed_styles, tree_styles = StylesPatcher(STYLES), StylesPatcher(STYLES)
    streamed = StreamingSheetPatcher(SHEET.encode(), streamed_styles, False)
    streamed.apply(cell_changes)
    tree = SheetPatcher(SHEET.encode(), tree_styles, False)
    for change in cell_changes:
        tree.set(change.row, change.col, change.value)
    streamed_xml, tree_xml = streamed.finish(), tree.finish()
    assert etree.tostring(etree.fromstring(streamed_xml), method="c14n") == etree.tostring(
        etree.fromstring(tree_xml), method="c14n")
    assert streamed_styles.to_bytes() == tree_styles.to_bytes()
    return etree.fromstring(streamed_xml), streamed_styles.xfs


def _style_of(sheet: etree._Element, ref: str) -> int:
    cell = sheet.find(f"m:sheetData/m:row/m:c[@r='{ref}']", NS)
    return int(cell.get("s", "0"))


def test_both_patchers_give_a_number_in_a_date_cell_a_general_look_alike() -> None:
    sheet, xfs = _patch_both([(1, 1, 2), (1, 2, 3.5), (1, 3, -1), (1, 4, dt.date(2026, 12, 8)), (1, 5, 7),
                              (2, 5, dt.date(2026, 1, 1))])
    a1 = xfs[_style_of(sheet, "A1")]
    assert (a1.get("numFmtId"), a1.get("fontId"), a1.get("fillId")) == ("0", "1", "2")  # its font and fill kept
    assert _style_of(sheet, "B1") == 3  # a number format that is not a date: untouched
    assert xfs[_style_of(sheet, "C1")].get("numFmtId") == "0"  # a built-in date format (14) too
    assert _style_of(sheet, "D1") == 1  # a date stays in its date style
    assert xfs[_style_of(sheet, "E1")].get("numFmtId") == "0"  # a new cell under a date-styled column
    assert _style_of(sheet, "E2") == 2  # ...and a date there keeps the column's date style


def test_a_boolean_or_text_in_a_date_cell_keeps_its_style_and_two_changes_to_one_cell_agree() -> None:
    sheet, _xfs = _patch_both([(1, 1, True), (1, 4, "tbd")])
    assert (_style_of(sheet, "A1"), _style_of(sheet, "D1")) == (1, 1)
    sheet, xfs = _patch_both([(1, 2, dt.date(2026, 3, 2)), (1, 2, 4), (1, 1, 1), (1, 1, 2)])
    assert xfs[_style_of(sheet, "B1")].get("numFmtId") == "0" and xfs[_style_of(sheet, "A1")].get("numFmtId") == "0"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_variance_as_a_number(demo: Path, tmp_path: Path) -> None:
    _formatted_as_dates(demo, ("Variance",))
    assert main(["sync", str(demo), "--today", TODAY]) == 0
    out = tmp_path / "out"
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"  # shown values
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    every_sheet, "--outdir", str(out), str(demo)], check=True, capture_output=True, timeout=120)
    lines = next(out.glob("*Timeline*.csv")).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    t4 = next(line.split(",") for line in lines if line.startswith("T4,"))
    assert t4[header.index("Variance")] == "2"
