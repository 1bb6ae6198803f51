"""The Excel file backend on real files: what it reads, what it writes, and how it fails."""

from __future__ import annotations

import datetime as dt
import os
import zipfile

import openpyxl
import pytest
import xlsxwriter
from lxml import etree
from xlsx_fixtures import MAIN_NS, build_value_workbook, members, raw_package

from sheetsync.backends.xlsx import XlsxFileBackend, open_xlsx
from sheetsync.backends.xlsx.styles import is_date_format
from sheetsync.errors import TargetError, WorkbookLockedError, WriteError
from sheetsync.raw import CellChange, Formula
from sheetsync.serials import from_excel_serial, to_excel_serial

NS = {"m": MAIN_NS}


def sheet_xml(path, part: str = "xl/worksheets/sheet1.xml") -> etree._Element:
    return etree.fromstring(members(path)[part])


def write(path, *changes: tuple[str, int, int, object], **options) -> XlsxFileBackend:
    backend = XlsxFileBackend(path, **options)
    backend.write([CellChange(sheet, row, col, value) for sheet, row, col, value in changes])
    return backend


# --- reading -----------------------------------------------------------------


def test_read_gives_every_value_type_in_workbook_order(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    book = open_xlsx(path).read()

    assert list(book.sheets) == ["Timeline", "Notes"]
    assert book.source == str(path)
    timeline = book.sheets["Timeline"]
    assert timeline.sheet_id == 1
    assert timeline.value(1, 1) == "ID"
    assert timeline.value(2, 2) == "Proposal 提案"
    assert timeline.value(2, 3) == 3 and type(timeline.value(2, 3)) is int
    assert timeline.value(3, 3) == 2.5
    assert timeline.value(2, 4) is True and timeline.value(3, 4) is False
    assert timeline.value(2, 5) == dt.date(2024, 5, 6) and type(timeline.value(2, 5)) is dt.date
    assert timeline.value(3, 5) == dt.datetime(2024, 5, 9, 14, 30)
    assert timeline.value(3, 6) == Formula("=C2+C3", cached=5.5)
    assert timeline.value(4, 6) == Formula("=NA()", cached="#N/A")
    assert timeline.value(4, 2) == "plain bold tail"  # rich text flattened
    assert timeline.value(6, 1) == "Merged title"
    assert timeline.merged == [(6, 1, 6, 3)]
    assert (6, 2) not in timeline.cells  # empty cells are absent
    assert timeline.value(9, 5) == "far"
    assert book.sheets["Notes"].cells == {(1, 1): "second sheet"}


def test_read_1904_workbook_dates(tmp_path):
    path = build_value_workbook(tmp_path / "mac.xlsx", date1904=True)

    timeline = XlsxFileBackend(path).read().sheets["Timeline"]

    assert timeline.value(2, 5) == dt.date(2024, 5, 6)
    assert timeline.value(3, 5) == dt.datetime(2024, 5, 9, 14, 30)


def test_read_hand_written_xml_shared_formulas_inline_rich_text_and_implicit_positions(tmp_path):
    body = (
        "<sheetData>"
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><r><t>in</t></r><r><rPr><b/></rPr><t>line</t></r></is></c>'
        '<c r="B4" t="s"><v>0</v></c><c r="C4" t="s"><v>1</v></c><c r="D4" t="e"><v>#DIV/0!</v></c>'
        '<c r="E4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="F4" t="d"><v>2024-05-06T00:00:00</v></c></row>'
        "<row><c><v>10</v></c><c><v>11.25</v></c></row>"  # row 5, cells A5 and B5, no r attributes
        '<row r="7"><c r="A7" s="1"><v>45418</v></c><c r="B7" s="2"><v>45418</v></c><c r="C7" s="3"><v>0.5</v></c>'
        '<c r="D7"><v>1E+20</v></c><c r="E7" t="s"><v>2</v></c></row>'
        "</sheetData>"
    )
    path = raw_package(
        tmp_path / "raw.xlsx",
        {"Data": body},
        shared_strings=[
            "<t>shared</t>",
            '<r><t>ri</t></r><r><t>ch</t></r><rPh sb="0" eb="1"><t>ルビ</t></rPh>',
            "<t>tab_x0009_here</t>",
        ],
        num_fmts={164: 'yyyy"年"m"月"d"日"', 165: '[Red]0.00;"days"'},
        xf_num_fmt_ids=(0, 164, 165, 21),
    )

    cells = XlsxFileBackend(path).read().sheets["Data"].cells

    assert cells[(1, 2)] == Formula("=A1*2", cached=2)
    assert cells[(2, 2)] == Formula("=A2*2", cached=4)
    assert cells[(3, 2)] == Formula("=A3*2", cached=None)  # no cached value: still a formula
    assert cells[(4, 1)] == "inline"
    assert cells[(4, 2)] == "shared"
    assert cells[(4, 3)] == "rich"  # phonetic hint (rPh) is not part of the text
    assert cells[(4, 4)] == "#DIV/0!"
    assert cells[(4, 5)] == Formula('="a"&"b"', cached="ab")
    assert cells[(4, 6)] == dt.date(2024, 5, 6)
    assert cells[(5, 1)] == 10 and cells[(5, 2)] == 11.25
    assert cells[(7, 1)] == dt.date(2024, 5, 6)  # custom Chinese date format
    assert cells[(7, 2)] == 45418  # [Red] and "days" are not date tokens
    assert cells[(7, 3)] == dt.datetime(1899, 12, 30, 12, 0)  # built-in 21 is a time format
    assert cells[(7, 4)] == 10**20
    assert cells[(7, 5)] == "tab\there"


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("yyyy-mm-dd", True),
        ("d-mmm-yy", True),
        ("h:mm AM/PM", True),
        ('yyyy"年"m"月"d"日"', True),
        ("[$-409]dddd, mmmm dd, yyyy", True),
        ("General", False),
        ("0.00E+00", False),
        ('0 "days"', False),
        ("[Red]#,##0.00", False),
        ("#,##0\\h", False),
        ("@", False),
    ],
)
def test_is_date_format(code, is_date):
    assert is_date_format(code) is is_date


@pytest.mark.parametrize(
    "moment",
    [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(2024, 2, 29),
        dt.datetime(2026, 3, 9, 17, 45, 30),
    ],
)
@pytest.mark.parametrize("date1904", [False, True])
def test_date_serials_round_trip(moment, date1904):
    if date1904 and moment.year < 1904:
        pytest.skip("before the 1904 epoch")
    assert from_excel_serial(to_excel_serial(moment, date1904), date1904) == moment


def test_excel_serials_match_excel():
    assert to_excel_serial(dt.date(1900, 1, 1), False) == 1
    assert to_excel_serial(dt.date(1900, 3, 1), False) == 61
    assert to_excel_serial(dt.date(2024, 5, 6), False) == 45418
    assert to_excel_serial(dt.date(2024, 5, 6), True) == 45418 - 1462
    assert to_excel_serial(dt.datetime(2024, 5, 6, 12), False) == 45418.5


# --- writing: values -----------------------------------------------------------

ALL_TYPES = [
    ("Timeline", 2, 6, "OVERDUE"),
    ("Timeline", 3, 6, "进行中 · 逾期"),  # replaces a formula
    ("Timeline", 4, 6, "=not a formula"),
    ("Timeline", 2, 3, 7),
    ("Timeline", 3, 3, 0.1),
    ("Timeline", 2, 4, False),
    ("Timeline", 2, 5, dt.date(2024, 6, 1)),
    ("Timeline", 3, 5, dt.datetime(2024, 6, 1, 9, 15)),
    ("Timeline", 2, 7, dt.date(2024, 6, 3)),  # empty cell in the date-styled column G
    ("Timeline", 2, 8, dt.date(2024, 6, 4)),  # beyond the used range, no column style
    ("Timeline", 3, 2, None),
    ("Timeline", 12, 10, 99),  # past the dimension
    ("Timeline", 7, 2, "new row between rows"),
    ("Timeline", 9, 3, "between A9 and E9"),
]


def test_every_value_type_round_trips_through_our_reader_and_openpyxl(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    write(path, *ALL_TYPES)

    timeline = XlsxFileBackend(path).read().sheets["Timeline"]
    ours = {(row, col): timeline.value(row, col) for _, row, col, _ in ALL_TYPES}
    assert ours == {(row, col): value for _, row, col, value in ALL_TYPES}
    sheet = openpyxl.load_workbook(path)["Timeline"]
    for _, row, col, value in ALL_TYPES:
        cell = sheet.cell(row, col)
        if isinstance(value, dt.date):
            assert cell.is_date, cell.coordinate
            expected = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
            assert cell.value == expected
        else:
            assert cell.value == value, cell.coordinate
    assert sheet["F4"].data_type == "s"  # "=not a formula" is text, not a formula
    assert sheet["A1"].value == "ID" and sheet["B2"].value == "Proposal 提案"  # untouched cells stay


def test_written_cells_are_in_sorted_order_and_dimension_grows(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    write(path, *ALL_TYPES)

    root = sheet_xml(path)
    rows = [int(r.get("r")) for r in root.iterfind("m:sheetData/m:row", namespaces=NS)]
    assert rows == sorted(rows) and 7 in rows and 12 in rows
    row9 = [c.get("r") for c in root.iterfind("m:sheetData/m:row[@r='9']/m:c", namespaces=NS)]
    assert row9 == ["A9", "C9", "E9"]
    assert root.find("m:dimension", namespaces=NS).get("ref") == "A1:J12"
    assert openpyxl.load_workbook(path)["Timeline"].dimensions == "A1:J12"


def test_clearing_keeps_the_cell_style_and_drops_the_value(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    write(path, ("Timeline", 2, 6, None))

    cell = openpyxl.load_workbook(path)["Timeline"]["F2"]
    assert cell.value is None
    assert cell.fill.fgColor.rgb == "FFFFFF00" and cell.font.b  # still yellow and bold
    assert (2, 6) not in XlsxFileBackend(path).read().sheets["Timeline"].cells


def test_date_into_styled_non_date_cell_keeps_its_look_and_gets_a_date_format(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    write(path, ("Timeline", 2, 6, dt.date(2024, 7, 1)))

    cell = openpyxl.load_workbook(path)["Timeline"]["F2"]
    assert cell.value == dt.datetime(2024, 7, 1) and cell.number_format == "yyyy-mm-dd"
    assert cell.fill.fgColor.rgb == "FFFFFF00" and cell.font.b


def test_date_in_a_date_column_takes_the_column_style(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    column_style = sheet_xml(path).find("m:cols/m:col", namespaces=NS).get("style")
    styles_before = members(path)["xl/styles.xml"]

    write(path, ("Timeline", 3, 7, dt.date(2024, 6, 3)))

    cell = sheet_xml(path).find("m:sheetData/m:row[@r='3']/m:c[@r='G3']", namespaces=NS)
    assert cell.get("s") == column_style
    assert members(path)["xl/styles.xml"] == styles_before  # no new style needed


def test_date_style_is_added_once_when_the_workbook_has_none(tmp_path):
    path = raw_package(
        tmp_path / "plain.xlsx", {"Data": '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'}
    )

    write(path, ("Data", 1, 1, dt.date(2024, 6, 3)), ("Data", 1, 2, dt.date(2024, 6, 4)))
    write(path, ("Data", 2, 1, dt.date(2024, 6, 5)))

    styles = etree.fromstring(members(path)["xl/styles.xml"])
    assert [f.get("formatCode") for f in styles.iterfind("m:numFmts/m:numFmt", namespaces=NS)] == ["yyyy-mm-dd"]
    assert len(styles.find("m:cellXfs", namespaces=NS)) == 2
    sheet = openpyxl.load_workbook(path)["Data"]
    assert [sheet[a].value for a in ("A1", "B1", "A2")] == [dt.datetime(2024, 6, d) for d in (3, 4, 5)]
    assert all(sheet[a].number_format == "yyyy-mm-dd" for a in ("A1", "B1", "A2"))


def test_1904_workbook_writes_1904_serials(tmp_path):
    path = build_value_workbook(tmp_path / "mac.xlsx", date1904=True)

    write(path, ("Timeline", 2, 5, dt.date(2024, 6, 1)))

    assert XlsxFileBackend(path).read().sheets["Timeline"].value(2, 5) == dt.date(2024, 6, 1)
    assert openpyxl.load_workbook(path)["Timeline"]["E2"].value == dt.datetime(2024, 6, 1)


def test_merged_non_anchor_cells_are_skipped_and_the_anchor_is_written(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    write(path, ("Timeline", 6, 2, "hidden"), ("Timeline", 6, 1, "New title"))

    timeline = XlsxFileBackend(path).read().sheets["Timeline"]
    assert timeline.value(6, 1) == "New title" and timeline.value(6, 2) is None


def test_text_is_made_storable(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")

    write(path, ("Notes", 1, 1, "bell\x07 and _x0041_ literally"))

    assert XlsxFileBackend(path).read().sheets["Notes"].value(1, 1) == "bell and _x0041_ literally"


def test_overwriting_a_shared_formula_master_keeps_its_dependents(tmp_path):
    body = (
        "<sheetData>"
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v>6</v></c></row>'
        "</sheetData>"
    )
    path = raw_package(tmp_path / "shared.xlsx", {"Data": body})

    write(path, ("Data", 1, 2, "manual"))

    cells = XlsxFileBackend(path).read().sheets["Data"].cells
    assert cells[(1, 2)] == "manual"
    assert cells[(2, 2)] == Formula("=A2*2", cached=4) and cells[(3, 2)] == Formula("=A3*2", cached=6)
    sheet = openpyxl.load_workbook(path)["Data"]
    assert sheet["B2"].value == "=A2*2"


CALC_BODY = (
    "<sheetData>"
    '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1+1</f><v>2</v></c><c r="C1"><v>3</v></c></row>'
    "</sheetData>"
)


def test_removing_a_formula_listed_in_calc_chain_drops_the_calc_chain(tmp_path):
    path = raw_package(tmp_path / "calc.xlsx", {"Data": CALC_BODY}, calc_chain='<c r="B1" i="1"/>')

    write(path, ("Data", 1, 2, 5))

    after = members(path)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert openpyxl.load_workbook(path)["Data"]["B1"].value == 5


def test_calc_chain_is_kept_when_no_listed_formula_is_removed(tmp_path):
    path = raw_package(tmp_path / "calc.xlsx", {"Data": CALC_BODY}, calc_chain='<c r="B1" i="1"/>')
    before = members(path)

    write(path, ("Data", 1, 3, 30))

    after = members(path)
    assert {name for name in before if before[name] != after.get(name)} == {"xl/worksheets/sheet1.xml"}


# --- writing: the package --------------------------------------------------------


def test_write_changes_only_the_patched_sheet_and_keeps_member_order(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    before, order = members(path), zipfile.ZipFile(path).namelist()

    write(path, ("Timeline", 2, 6, "OVERDUE"), ("Timeline", 4, 3, 12))

    after = members(path)
    assert zipfile.ZipFile(path).namelist() == order
    assert [name for name in order if before[name] != after[name]] == ["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path) as zf:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in zf.infolist())


def test_patched_sheet_keeps_namespace_prefixes(tmp_path):
    path = tmp_path / "campaign.xlsx"
    openpyxl_book = openpyxl.Workbook()
    openpyxl_book.active.title = "Timeline"
    openpyxl_book.active["A1"] = "ID"
    openpyxl_book.save(path)
    before = members(path)["xl/worksheets/sheet1.xml"]

    write(path, ("Timeline", 2, 1, "T1"))

    after = members(path)["xl/worksheets/sheet1.xml"]
    assert b"ns0:" not in after
    assert etree.fromstring(before).nsmap == etree.fromstring(after).nsmap
    assert after.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')


def test_backup_keeps_the_previous_version(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    first = path.read_bytes()

    write(path, ("Timeline", 2, 6, "A"))
    second = path.read_bytes()
    write(path, ("Timeline", 2, 6, "B"))

    backup = tmp_path / "campaign.bak.xlsx"
    assert backup.read_bytes() == second != first
    assert XlsxFileBackend(path).backup == str(backup)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.bak.xlsx", "campaign.xlsx"]


def test_no_backup_when_not_wanted_and_no_write_when_nothing_changes(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    before = path.read_bytes()
    stamp = os.stat(path).st_mtime_ns

    XlsxFileBackend(path).write([])
    write(path, ("Timeline", 6, 3, "inside a merge"))  # skipped, so nothing to save
    assert path.read_bytes() == before and os.stat(path).st_mtime_ns == stamp

    write(path, ("Timeline", 2, 6, "A"), keep_backup=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.xlsx"]


def test_failed_save_leaves_the_original_untouched_and_no_temp_file(tmp_path, monkeypatch):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    before = path.read_bytes()
    real_replace = os.replace

    def disk_refuses(src, dst):
        if os.fspath(dst) == os.fspath(path):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_refuses)

    with pytest.raises(WriteError, match=r"^Could not save campaign\.xlsx: .*No space left on device.*unchanged\.$"):
        write(path, ("Timeline", 2, 6, "A"))

    assert path.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".~sheetsync")]


def test_leftover_temp_file_from_a_killed_run_is_overwritten(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    (tmp_path / ".~sheetsync-campaign.xlsx.tmp").write_bytes(b"half a zip")
    (tmp_path / ".~sheetsync-campaign.xlsx.bak").write_bytes(b"half a backup")

    write(path, ("Timeline", 2, 6, "A"))

    assert XlsxFileBackend(path).read().sheets["Timeline"].value(2, 6) == "A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.bak.xlsx", "campaign.xlsx"]


def test_unknown_sheet_and_unwritable_values_are_write_errors(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    before = path.read_bytes()

    with pytest.raises(WriteError, match=r"^campaign\.xlsx has no worksheet named 'Risks'; add the sheet"):
        write(path, ("Risks", 2, 2, "x"))
    with pytest.raises(WriteError, match=r"^campaign\.xlsx: Timeline!B2: nan is not a number"):
        write(path, ("Timeline", 2, 2, float("nan")))

    assert path.read_bytes() == before


# --- locks and bad files -----------------------------------------------------------


def test_excel_lock_file_refuses_a_write_unless_forced_and_a_read_says_so(tmp_path):
    path = build_value_workbook(tmp_path / "campaign.xlsx")
    (tmp_path / "~$campaign.xlsx").write_bytes(b"owner")
    message = r"^campaign\.xlsx is open in Excel \(lock file ~\$campaign\.xlsx\); close it there, or pass --force"

    backend = XlsxFileBackend(path)
    assert backend.read().sheets["Timeline"] and backend.note == (
        "Excel has this book open (~$campaign.xlsx): read the last saved version"
    )
    with pytest.raises(WorkbookLockedError, match=message):
        write(path, ("Timeline", 2, 6, "A"))
    with pytest.raises(WorkbookLockedError, match=message), backend.exclusive():
        pass  # a sync is refused as it takes the lock, before reading

    forced = write(path, ("Timeline", 2, 6, "A"), force=True)
    assert forced.read().sheets["Timeline"].value(2, 6) == "A"


def test_excel_lock_file_with_a_truncated_long_name(tmp_path):
    path = build_value_workbook(tmp_path / "spring-campaign.xlsx")
    (tmp_path / "~$ring-campaign.xlsx").write_bytes(b"owner")

    with pytest.raises(WorkbookLockedError, match=r"lock file ~\$ring-campaign\.xlsx"):
        write(path, ("Timeline", 2, 6, "A"))


def _ole_file(path, *streams: str) -> None:
    body = b"".join(name.encode("utf-16-le") + b"\x00" * 8 for name in streams)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, r"nope\.xlsx does not exist; check the path"),
        (lambda p: p.mkdir(), r"nope\.xlsx is a folder, not a workbook"),
        (lambda p: p.write_text("ID,Milestone\nT1,Proposal\n"), r"^nope\.xlsx is not an Excel workbook"),
        (lambda p: _ole_file(p, "Workbook"), r"^nope\.xlsx is an old-style Excel 97-2003 \(\.xls\) file"),
        (lambda p: _ole_file(p, "EncryptionInfo", "EncryptedPackage"), r"^nope\.xlsx is password-protected"),
        (lambda p: p.write_bytes(b"PK\x03\x04 truncated"), r"^nope\.xlsx is damaged \("),
    ],
    ids=["missing", "folder", "csv", "xls", "encrypted", "corrupt-zip"],
)
def test_unopenable_files_are_target_errors_with_one_clear_line(tmp_path, make, message):
    path = tmp_path / "nope.xlsx"
    make(path)

    with pytest.raises(TargetError, match=message) as caught:
        XlsxFileBackend(path).read()
    assert "\n" not in str(caught.value)
    with pytest.raises(TargetError, match=message):
        write(path, ("Timeline", 1, 1, "x"))


def test_zip_that_is_not_a_workbook_and_truncated_sheet(tmp_path):
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(TargetError, match=r"^letter\.xlsx is a zip file but not an Excel workbook"):
        XlsxFileBackend(docx).read()

    broken = build_value_workbook(tmp_path / "broken.xlsx")
    parts = members(broken)
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300]
    with zipfile.ZipFile(broken, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(TargetError, match=r"^broken\.xlsx is damaged \(.*\); restore it from a backup\.$"):
        XlsxFileBackend(broken).read()


# --- a big sheet ------------------------------------------------------------------------
# Speed is measured by scripts/bench (ratios in one process), never asserted in a test.


def test_a_five_thousand_row_sheet_reads_completely(tmp_path):
    path = tmp_path / "big.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet("Timeline")
    for row in range(5000):
        sheet.write_row(row, 0, [f"T{row}", "Milestone text", row, 1.5, "In progress", "OK"])
        sheet.write_datetime(row, 6, dt.datetime(2024, 1, 1) + dt.timedelta(days=row % 300), date_format)
    workbook.close()
    timeline = XlsxFileBackend(path).read().sheets["Timeline"]
    assert (timeline.max_row, timeline.max_col) == (5000, 7)
    assert timeline.value(5000, 7) == dt.date(2024, 1, 1) + dt.timedelta(4999 % 300)
    assert timeline.value(5000, 1) == "T4999" and timeline.value(5000, 4) == 1.5


# --- the streaming patcher ----------------------------------------------------------------
# Sheets are patched as bytes row by row (StreamingSheetPatcher); the lxml tree patcher
# (SheetPatcher) takes any sheet the streamer does not expect. Both must give the same XML.

STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="d mmm"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/><xf numFmtId="164" fontId="0"/>'
    '<xf numFmtId="170" fontId="0"/></cellXfs></styleSheet>'
).encode()


def patch_both(xml: str, changes: list[tuple[int, int, object]]) -> tuple[bytes, bytes, bytes, bytes]:
    """(streamed sheet, tree sheet, styles after streaming, styles after the tree) for the same changes."""
    from sheetsync.backends.xlsx.patch import SheetPatcher
    from sheetsync.backends.xlsx.stream import StreamingSheetPatcher
    from sheetsync.backends.xlsx.styles import StylesPatcher

    cell_changes = [CellChange("S", row, col, value) for row, col, value in changes]
    streamed_styles, tree_styles = StylesPatcher(STYLES), StylesPatcher(STYLES)
    streamed = StreamingSheetPatcher(xml.encode(), streamed_styles, False)
    streamed.apply(cell_changes)
    tree = SheetPatcher(xml.encode(), tree_styles, False)
    for change in cell_changes:
        tree.set(change.row, change.col, change.value)
    assert streamed.changed == tree.changed and streamed.removed_formulas == tree.removed_formulas
    return streamed.finish(), tree.finish(), streamed_styles.to_bytes(), tree_styles.to_bytes()


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def test_streamed_sheet_equals_the_tree_patched_one_for_many_new_rows_and_unsorted_changes():
    rows = "".join(
        f'<row r="{r}" spans="1:3"><c r="A{r}" t="s"><v>0</v></c><c r="C{r}"><f>A{r}+1</f><v>1</v></c></row>'
        for r in range(2, 400, 7)
    )
    xml = (
        f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A2:C394"/>'
        f'<cols><col min="4" max="4" style="2"/></cols><sheetData>{rows}</sheetData>'
        '<mergeCells count="1"><mergeCell ref="E2:F3"/></mergeCells></worksheet>'
    )
    changes: list[tuple[int, int, object]] = []
    for r in range(600, 0, -1):  # bottom to top, columns right to left: nothing comes in sheet order
        changes += [(r, 6, f"late & <{r}>"), (r, 4, dt.date(2026, 3, r % 28 + 1)), (r, 2, r * 1.5), (r, 1, None)]
    changes += [(9, 3, True), (9, 3, "again"), (30, 5, dt.datetime(2026, 3, 2, 9, 30)), (30, 5, 7)]
    streamed, tree, streamed_styles, tree_styles = patch_both(xml, changes)
    assert canonical(streamed) == canonical(tree)
    assert streamed_styles == tree_styles
    root = etree.fromstring(streamed)
    assert [int(r.get("r")) for r in root.iterfind("m:sheetData/m:row", NS)] == list(range(1, 601))
    assert root.find("m:dimension", NS).get("ref") == "A1:F600"


def test_streamed_sheet_equals_the_tree_patched_one_for_unusual_but_valid_xml():
    """Rows and cells without r, refs to normalise, a prefixed namespace, whitespace, extLst, self-closing rows."""
    x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (
        f'<x:worksheet xmlns:x="{x}"><x:dimension ref="A1"/><x:sheetData>\n'
        '  <x:row r="2" spans="2:3" customFormat="1" s="1"><x:c r="B2"><x:v>1</x:v></x:c>\n'
        '    <x:c s="1" r="c2"><x:v>2</x:v></x:c></x:row>\n'
        "  <x:row><x:c><x:v>3</x:v></x:c><x:c r='D3' cm='1' t='e'><x:f>NA()</x:f><x:v>#N/A</x:v></x:c></x:row>\n"
        '  <x:row r="5"/>\n'
        '  <x:row r="7"><x:c r="A7"/><x:extLst><x:ext uri="u"/></x:extLst></x:row>\n'
        "</x:sheetData></x:worksheet>"
    )
    changes = [(2, 1, "new"), (2, 5, 5), (3, 4, 1.25), (3, 2, None), (5, 2, False), (7, 3, "x"), (8, 1, "end")]
    streamed, tree, streamed_styles, tree_styles = patch_both(xml, changes)
    assert canonical(streamed) == canonical(tree)
    assert streamed_styles == tree_styles
    assert b"<x:row" in streamed and b"ns0" not in streamed


def test_a_sheet_the_streamer_does_not_expect_is_patched_as_a_tree(tmp_path):
    path = raw_package(
        tmp_path / "commented.xlsx",
        {"S": '<sheetData><!-- kept --><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'},
    )
    write(path, ("S", 1, 2, "next to it"), ("S", 3, 1, 42))
    root = sheet_xml(path)
    assert [c.get("r") for c in root.iterfind(".//m:c", NS)] == ["A1", "B1", "A3"]
    assert b"<!-- kept -->" in members(path)["xl/worksheets/sheet1.xml"]
    assert XlsxFileBackend(path).read().sheets["S"].value(1, 2) == "next to it"
