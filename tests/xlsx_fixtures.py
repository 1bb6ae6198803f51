"""Builders for the real workbooks the xlsx backend tests read and write.

XlsxWriter makes the workbooks a person would have (charts, images, notes,
validations, macro buttons); `raw_package` hand-writes a minimal package when a
test needs XML that XlsxWriter never produces (shared formulas, a calcChain,
inline rich text, cells without r).
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

import xlsxwriter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def members(path: str | os.PathLike[str]) -> dict[str, bytes]:
    """Every zip member's (uncompressed) bytes, by name."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def member_names(path: str | os.PathLike[str]) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def tiny_png(width: int = 8, height: int = 8) -> bytes:
    """A red PNG made with zlib and struct only (PNG spec: signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def build_value_workbook(path: str | os.PathLike[str], *, date1904: bool = False) -> Path:
    """A Timeline-like sheet with every value type, styles, a formula and a merged title row."""
    workbook = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamp_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    yellow = workbook.add_format({"bg_color": "#FFFF00", "bold": True})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("Timeline")
    sheet.set_column("G:G", 12, date_format)  # a date column: new cells there take its style
    sheet.write_row(0, 0, ["ID", "Milestone", "Duration", "Done", "Start", "Flag", "Due"], bold)
    sheet.write_row(1, 0, ["T1", "Proposal 提案", 3, True])
    sheet.write_datetime(1, 4, dt.datetime(2024, 5, 6), date_format)
    sheet.write(1, 5, "OK", yellow)
    sheet.write_row(2, 0, ["T2", "First draft", 2.5, False])
    sheet.write_datetime(2, 4, dt.datetime(2024, 5, 9, 14, 30), stamp_format)
    sheet.write_formula(2, 5, "=C2+C3", None, 5.5)
    sheet.write_formula(3, 5, "=NA()", None, "#N/A")
    sheet.write_rich_string(3, 1, "plain ", bold, "bold", " tail")
    sheet.merge_range("A6:C6", "Merged title", bold)
    sheet.write(8, 0, "T9")
    sheet.write(8, 4, "far")
    notes = workbook.add_worksheet("Notes")
    notes.write(0, 0, "second sheet")
    workbook.close()
    return Path(path)


def raw_package(
    path: str | os.PathLike[str],
    sheets: dict[str, str],
    *,
    shared_strings: list[str] | None = None,
    num_fmts: dict[int, str] | None = None,
    xf_num_fmt_ids: tuple[int, ...] = (0,),
    date1904: bool = False,
    calc_chain: str | None = None,
) -> Path:
    """A minimal hand-written package: each sheet's <sheetData> body (and extra elements) given as XML text.

    `sheets` maps the tab title to the XML that goes inside <worksheet> (e.g.
    '<sheetData>…</sheetData>'); shared_strings are raw <si> bodies.
    """
    content_types = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>',
    ]
    rels = [f'<Relationships xmlns="{PKG_REL}">']
    sheet_entries = []
    parts: dict[str, str] = {}
    for index, (title, body) in enumerate(sheets.items(), start=1):
        content_types.append(
            f'<Override PartName="/xl/worksheets/sheet{index}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{index}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{index}.xml"/>')
        sheet_entries.append(f'<sheet name="{title}" sheetId="{index}" r:id="rId{index}"/>')
        parts[f"xl/worksheets/sheet{index}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{body}</worksheet>'
        )
    n = len(sheets)
    rels.append(f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>')
    if shared_strings is not None:
        content_types.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
        items = "".join(f"<si>{item}</si>" for item in shared_strings)
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{MAIN_NS}" count="{len(shared_strings)}" uniqueCount="{len(shared_strings)}">{items}</sst>'
        )
    if calc_chain is not None:
        content_types.append(
            '<Override PartName="/xl/calcChain.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{n + 3}" Type="{REL_NS}/calcChain" Target="calcChain.xml"/>')
        parts["xl/calcChain.xml"] = f'<calcChain xmlns="{MAIN_NS}">{calc_chain}</calcChain>'
    rels.append("</Relationships>")
    content_types.append("</Types>")
    fmts = "".join(f'<numFmt numFmtId="{k}" formatCode={quoteattr(v)}/>' for k, v in (num_fmts or {}).items())
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in xf_num_fmt_ids)
    styles = (
        f'<styleSheet xmlns="{MAIN_NS}">'
        + (f'<numFmts count="{len(num_fmts)}">{fmts}</numFmts>' if num_fmts else "")
        + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xf_num_fmt_ids)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    workbook_pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    workbook = (
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_pr}'
        f"<sheets>{''.join(sheet_entries)}</sheets></workbook>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "".join(content_types))
        zf.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
        zf.writestr("xl/styles.xml", styles)
        for name, text in parts.items():
            zf.writestr(name, text)
    return Path(path)


def build_rich_workbook(path: str | os.PathLike[str], *, vba_project: bytes | None = None) -> Path:
    """A campaign-like workbook with everything sheetsync must not lose.

    Chart, image, note, defined name, formulas, data validation and conditional
    formatting on the Timeline sheet; with vba_project, an .xlsm with a macro
    button bound to a macro.
    """
    options = {}
    workbook = xlsxwriter.Workbook(str(path), options)
    if vba_project is not None:
        vba_file = Path(path).with_suffix(".vbaProject.bin")
        vba_file.write_bytes(vba_project)
        workbook.add_vba_project(str(vba_file))
    bold = workbook.add_format({"bold": True})
    red = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    sheet = workbook.add_worksheet("Timeline")
    sheet.write_row(0, 0, ["ID", "Milestone", "Duration", "Status", "Flag"], bold)
    for row, (task, name, days) in enumerate([("T1", "Proposal", 3), ("T2", "Draft", 5), ("T3", "Review", 2)], 1):
        sheet.write_row(row, 0, [task, name, days, "Not started", "OK"])
    sheet.write_formula(4, 2, "=SUM(C2:C4)", None, 10)
    sheet.data_validation("D2:D20", {"validate": "list", "source": ["Not started", "In progress", "Done", "Blocked"]})
    sheet.conditional_format("A2:E20", {"type": "formula", "criteria": '=$E2="OVERDUE"', "format": red})
    sheet.write_comment("B2", "Client asked for two options.")
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"name": "Duration", "categories": "=Timeline!$A$2:$A$4", "values": "=Timeline!$C$2:$C$4"})
    sheet.insert_chart("G2", chart)
    image = Path(path).with_suffix(".logo.png")
    image.write_bytes(tiny_png())
    sheet.insert_image("G20", str(image))
    workbook.define_name("Durations", "=Timeline!$C$2:$C$4")
    if vba_project is not None:
        sheet.insert_button("G30", {"macro": "say_hello", "caption": "Sync now", "width": 120, "height": 30})
    other = workbook.add_worksheet("Team")
    other.write_row(0, 0, ["Name", "Email"], bold)
    other.write_row(1, 0, ["Li Wei", "li@example.com"])
    workbook.close()
    return Path(path)


def vba_project() -> bytes | None:
    """A real vbaProject.bin, taken from the macro workbook xlwings ships; None when xlwings is absent."""
    try:
        import xlwings
    except Exception:  # noqa: BLE001 - xlwings fails to import on some platforms; then there is no VBA to test
        return None
    source = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    if not source.exists():
        return None
    with zipfile.ZipFile(source) as zf:
        return zf.read("xl/vbaProject.bin")


def add_form_control_part(path: str | os.PathLike[str]) -> None:
    """Add the xl/ctrlProps part Excel writes for a form-control button (XlsxWriter only writes its VML)."""
    parts = members(path)
    control = "xl/ctrlProps/ctrlProp1.xml"
    parts[control] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
        b'objectType="Button" lockText="1"/>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/ctrlProps/ctrlProp1.xml" '
        b'ContentType="application/vnd.ms-excel.controlproperties+xml"/></Types>',
    )
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdCtrl1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/ctrlProp" '
        b'Target="../ctrlProps/ctrlProp1.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
