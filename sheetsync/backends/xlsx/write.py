"""Apply CellChanges to an xlsx/xlsm package by patching only the sheet XML they touch.

Every part other than the patched worksheets (and styles.xml when a date style
must be added) is copied unchanged. Sheets are patched while streaming
(stream.py) or, for anything unusual, as an lxml tree (patch.py). A sheet whose
flag colour rules are rewritten (flag_colours.ColourFix, once per book) always
takes the tree path: the streamer patches only cells.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Sequence
from typing import BinaryIO

from ...a1 import rowcol_to_a1
from ...errors import WriteError
from ...flag_colours import ColourFix
from ...i18n import _
from ...raw import CellChange
from .package import CONTENT_TYPES_NS, PKG_REL_NS, PartBudget, WorkbookMap, parse_part, rels_part_of, serialise
from .patch import SheetPatcher
from .stream import StreamingSheetPatcher
from .stream_grammar import NotStreamable
from .styles import StylesPatcher


def _calc_chain_lists(zf: zipfile.ZipFile, part: str, cells: set[tuple[int, str]]) -> bool:
    """Whether calcChain.xml lists any of the (sheetId, A1) formula cells that were removed."""
    root = parse_part(zf, part)
    sheet_id = 0
    for entry in root:
        sheet_id = int(entry.get("i", sheet_id))  # i is omitted when it repeats the previous entry's sheet
        if (sheet_id, entry.get("r", "")) in cells:
            return True
    return False


def _drop_calc_chain(zf: zipfile.ZipFile, book: WorkbookMap, parts: dict[str, bytes | None]) -> None:
    """Remove calcChain.xml with its relationship and content type; Excel rebuilds it on the next recalc."""
    assert book.calc_chain_part is not None
    parts[book.calc_chain_part] = None
    rels_name = rels_part_of(book.workbook_part)
    rels = parse_part(zf, rels_name)
    for rel in rels.findall(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/calcChain"):
            rels.remove(rel)
    parts[rels_name] = serialise(rels)
    types = parse_part(zf, "[Content_Types].xml")
    for override in types.findall(f"{{{CONTENT_TYPES_NS}}}Override"):
        if override.get("PartName", "").lstrip("/") == book.calc_chain_part:
            types.remove(override)
    parts["[Content_Types].xml"] = serialise(types)


def _patched_sheet(
    xml: bytes,
    styles: StylesPatcher,
    date1904: bool,
    changes: Sequence[CellChange],
    fixes: Sequence[ColourFix],
    where: str,
) -> SheetPatcher | StreamingSheetPatcher:
    """The sheet with the changes made: streamed when it can be, else (same result, more time and memory) as a tree."""
    if not fixes:
        try:
            streamed = StreamingSheetPatcher(xml, styles, date1904)
            streamed.apply(changes)
            return streamed
        except NotStreamable:
            pass
    sheet = SheetPatcher(xml, styles, date1904)
    try:
        for change in changes:
            sheet.set(change.row, change.col, change.value)
        for fix in fixes:
            if fix.key is None and fix.colours is not None:
                sheet.add_colour_rule(fix.formula, fix.ranges, styles.add_colour(fix.colours))
            else:
                sheet.rewrite_colour_rule(fix.key, fix.formula)
    except WriteError as exc:
        raise WriteError(f"{where}{exc}") from exc
    return sheet


def plan_parts(
    zf: zipfile.ZipFile,
    book: WorkbookMap,
    changes: Sequence[CellChange],
    name: str,
    fixes: Sequence[ColourFix] = (),
) -> dict[str, bytes | None]:
    """The new bytes of every part the changes and colour fixes touch (None: delete the part); empty: no change."""
    by_sheet: dict[str, list[CellChange]] = {}
    for change in changes:
        by_sheet.setdefault(change.sheet, []).append(change)
    fixes_by_sheet: dict[str, list[ColourFix]] = {}
    for fix in fixes:
        fixes_by_sheet.setdefault(fix.sheet, []).append(fix)
        by_sheet.setdefault(fix.sheet, [])
    missing = [title for title in by_sheet if book.sheet(title) is None]
    if missing:
        raise WriteError(
            _(
                "{name} has no worksheet named {sheet}; add the sheet, or check its tab name.",
                name=name, sheet=repr(missing[0]),
            )
        )
    budget = PartBudget(zf.filename or name)
    if book.styles_part:
        budget.check(zf, book.styles_part, _("the styles"))
    styles = StylesPatcher(zf.read(book.styles_part) if book.styles_part else None)
    parts: dict[str, bytes | None] = {}
    removed_formulas: set[tuple[int, str]] = set()
    for title, sheet_changes in by_sheet.items():
        entry = book.sheet(title)
        assert entry is not None
        # before either patcher could drop a DOCTYPE
        budget.check(zf, entry.part, _('the sheet "{title}"', title=title))
        sheet_fixes = fixes_by_sheet.get(title, [])
        where = f"{name}: {title}!"
        sheet = _patched_sheet(zf.read(entry.part), styles, book.date1904, sheet_changes, sheet_fixes, where)
        if sheet.changed:
            parts[entry.part] = sheet.finish()
            removed_formulas |= {(entry.sheet_id, rowcol_to_a1(r, c)) for r, c in sheet.removed_formulas}
    if styles.changed and book.styles_part:
        parts[book.styles_part] = styles.to_bytes()
    if removed_formulas and book.calc_chain_part and _calc_chain_lists(zf, book.calc_chain_part, removed_formulas):
        _drop_calc_chain(zf, book, parts)
    return parts


def write_package(zf: zipfile.ZipFile, parts: dict[str, bytes | None], out: BinaryIO) -> None:
    """Copy the package member by member, in order and with its compression, swapping in the patched parts.

    An unchanged member is copied as its compressed bytes, never inflated: a big sheet or image that
    sheetsync does not touch costs a copy, not memory and time to decompress and compress again.
    """
    with zipfile.ZipFile(out, "w") as new:
        for info in zf.infolist():
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            member.create_system = info.create_system
            member.comment = info.comment
            if info.filename not in parts:
                _copy_compressed(zf, info, new, member)
                continue
            data = parts[info.filename]
            if data is not None:
                new.writestr(member, data)
        new.comment = zf.comment


_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)
_DATA_DESCRIPTOR, _UTF8_NAME = 0x08, 0x800


def _copy_compressed(zf: zipfile.ZipFile, info: zipfile.ZipInfo, new: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Append `info`'s compressed bytes to `new` as `member`, with the sizes and CRC the source recorded."""
    source = zf.fp
    assert source is not None and new.fp is not None
    source.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    if header[0] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    source.seek(header[zipfile._FH_FILENAME_LENGTH] + header[zipfile._FH_EXTRA_FIELD_LENGTH], 1)
    member.CRC, member.compress_size, member.file_size = info.CRC, info.compress_size, info.file_size
    member.flag_bits = info.flag_bits & ~(_DATA_DESCRIPTOR | _UTF8_NAME)  # sizes go in the header; name flag is redone
    member.header_offset = new.fp.tell()
    zip64 = max(info.file_size, info.compress_size) > zipfile.ZIP64_LIMIT
    new.fp.write(member.FileHeader(zip64=zip64))
    remaining = info.compress_size
    while remaining:
        chunk = source.read(min(remaining, 1 << 20))
        if not chunk:
            raise zipfile.BadZipFile(f"{info.filename} is truncated")
        new.fp.write(chunk)
        remaining -= len(chunk)
    new.filelist.append(member)
    new.NameToInfo[member.filename] = member
    new.start_dir = new.fp.tell()
