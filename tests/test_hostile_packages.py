"""Packages sheetsync must refuse or skip (issue 11): a DOCTYPE with entities (defect 3), parts past the
decompressed-size budget and big sheets it does not need (defect 13), one cell at the last row (defect 13)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY
from xlsx_fixtures import build_value_workbook

from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.cli import main
from sheetsync.errors import TargetError
from sheetsync.sync import plan

ROOT = Path(__file__).resolve().parents[1]


def _rewrite(path: Path, change) -> None:
    """Rewrite the package with change(name, bytes) → bytes applied to every member."""
    with zipfile.ZipFile(path) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, change(name, data))


def _part_of(path: Path, title: str) -> str:
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*/>', rels).group(0)
    target = re.search(r'Target="/?(?:xl/)?([^"]+)"', target).group(1)
    return "xl/" + target


DOCTYPE = b'<!DOCTYPE worksheet [<!ENTITY co "Acme">]>'


def _with_doctype(data: bytes, root: bytes) -> bytes:
    return data.replace(b"<" + root, DOCTYPE + b"<" + root, 1)


def test_a_sheet_with_a_doctype_is_refused_and_the_book_left_byte_identical(make_campaign, capsys):
    campaign = make_campaign()
    part = _part_of(campaign.path, "Timeline")

    def change(name, data):
        if name != part:
            return data
        # &co; in a cell of its own, as in the report: openpyxl opens it as "Acme"
        data = re.sub(rb'(<row r="2"[^>]*>.*?)</row>', rb'\1<c r="T2" t="inlineStr"><is><t>&co;</t></is></c></row>',
                      data, count=1, flags=re.S)
        return _with_doctype(data, b"worksheet")

    _rewrite(campaign.path, change)
    assert openpyxl.load_workbook(campaign.path)["Timeline"]["T2"].value == "Acme"
    before = campaign.path.read_bytes()
    assert main(["sync", str(campaign.path), "--today", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f'Error: {campaign.path.name}: the sheet "Timeline" has a DOCTYPE (XML entity declarations), which sheetsync '
        "cannot write back faithfully; open the workbook in Excel or LibreOffice, save it again, and sync. "
        "The workbook is unchanged."
    )
    assert campaign.path.read_bytes() == before


def test_shared_strings_with_a_doctype_are_refused_too(tmp_path):
    path = build_value_workbook(tmp_path / "shared.xlsx")
    _rewrite(path, lambda name, data: _with_doctype(data, b"sst") if name == "xl/sharedStrings.xml" else data)
    with pytest.raises(TargetError, match=r"^shared\.xlsx: the shared strings has a DOCTYPE"):
        XlsxFileBackend(path).read()


def test_both_patchers_refuse_a_doctype_the_reader_did_not_see(make_campaign):
    """The writer checks again: the file may have changed since it was read."""
    campaign = make_campaign()
    backend = XlsxFileBackend(campaign.path)
    _, changes = plan(backend.read(), today=TODAY)
    assert changes
    part = _part_of(campaign.path, "Timeline")
    _rewrite(campaign.path, lambda name, data: _with_doctype(data, b"worksheet") if name == part else data)
    before = campaign.path.read_bytes()
    with pytest.raises(Exception, match='the sheet "Timeline" has a DOCTYPE'):
        backend.write(changes)
    assert campaign.path.read_bytes() == before


def test_a_part_past_the_budget_is_refused_before_it_is_inflated(make_campaign, capsys):
    campaign = make_campaign()
    part = _part_of(campaign.path, "Timeline")
    padding = b"<!--" + b" " * (101 * 2**20) + b"-->"
    _rewrite(campaign.path, lambda name, data: data.replace(b"<sheetData", padding + b"<sheetData", 1)
             if name == part else data)
    before = campaign.path.read_bytes()
    assert main(["sync", str(campaign.path), "--today", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    assert f'Error: {campaign.path.name}: the sheet "Timeline" holds 101 MiB of XML, more than sheetsync reads ' \
           "(100 MiB a part); " in err
    assert campaign.path.read_bytes() == before


# VmHWM is this process's own peak (ru_maxrss would keep the forking test process's size across exec).
_PEAK_RSS = """
import re, sys
from sheetsync.cli import main
code = main(["sync", sys.argv[1], "--today", "2026-03-02"])
status = open("/proc/self/status").read()
print(code, int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def test_a_big_sheet_outside_the_contract_is_never_inflated(make_campaign):
    """Today's main took 29 s and 460 MB for this 0.25 MB file; it now takes about a second."""
    campaign = make_campaign()
    campaign.edit(lambda wb: wb.create_sheet("Dump"))
    part = _part_of(campaign.path, "Dump")
    dump = b'<row><c t="inlineStr"><is><t>dump</t></is></c><c><v>1</v></c></row>' * 500_000  # 32 MiB, 500k rows
    _rewrite(campaign.path, lambda name, data: re.sub(rb"<sheetData\s*/>|<sheetData>.*</sheetData>",
                                                      b"<sheetData>" + dump + b"</sheetData>", data, flags=re.S)
             if name == part else data)
    assert campaign.path.stat().st_size < 500_000
    result = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(campaign.path)], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    code, peak_mib = map(int, result.stdout.split("\n")[-2].split())
    assert code == 0, result.stderr
    assert peak_mib < 150  # the sheet's 32 MiB of XML, inflated and parsed, would be several times that
    with zipfile.ZipFile(campaign.path) as zf:  # the unused sheet is still there, byte for byte
        assert zf.read(part).count(b"<row>") == 500_000


def test_one_cell_at_the_last_row_costs_no_more_than_the_cells_there_are(make_campaign):
    """Today's main planned every row up to 1,048,576 (6 s instead of 1 s for a whole sync)."""
    campaign = make_campaign()
    backend = XlsxFileBackend(campaign.path)

    def cells_looked_at() -> int:
        """How many cells planning asks the sheets for: the work, counted rather than timed."""
        workbook = backend.read()
        asked = 0
        for sheet in workbook.sheets.values():
            look = sheet.value

            def counted(row: int, col: int, look=look):
                nonlocal asked
                asked += 1
                return look(row, col)

            sheet.value = counted
        plan(workbook, today=TODAY)
        return asked

    near = cells_looked_at()
    campaign.edit(lambda wb: wb["Timeline"].cell(1_048_576, 20, "far away"))
    far = cells_looked_at()
    assert far < 2 * near  # a wider sheet costs a few more looks; the old loops made one per row to 1,048,576
    assert main(["sync", str(campaign.path), "--today", TODAY.isoformat()]) in (0, 1)
    assert openpyxl.load_workbook(campaign.path, read_only=True)["Timeline"]["L5"].value == dt.datetime(2026, 3, 14)
