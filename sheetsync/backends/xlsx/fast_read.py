"""Read the usual worksheet XML with one regular-expression pass instead of an lxml tree per row.

Why: a 20,000-row Reviews sheet is 6 MB of XML; lxml's iterparse builds and frees
an element per row and cell, which cost about a second of a big book's sync.
Almost every sheet that Excel, LibreOffice or openpyxl (and sheetsync) write keeps
its cells in one canonical form, `<c r="B7" s="2" t="s"><v>12</v></c>`, that a
single pattern recognises. read_plain_sheet takes that form only: the tokens must
tile sheetData exactly (every byte of it is a row tag or a canonical cell), so a
formula, an inline string, a namespace prefix, whitespace between cells, an
attribute it does not know or malformed XML all make it answer None, and
read.read_sheet (lxml) reads that sheet instead: the result never depends on
which reader ran. Everything outside sheetData (merged cells, conditional
formats) is still parsed by lxml, with one empty copy of each distinct row tag
in a marker element where the rows were: so lxml also judges the row attributes
and proves the rows were the worksheet's own (not in a comment, CDATA or another
namespace's sheetData). What lies inside the cells is checked here as XML would:
characters and character references XML refuses, "]]>", a DOCTYPE (its defaults
would apply), numbers, indexes and booleans not in their stored form are all
left to lxml, which refuses or reads them its way.

Values repeat (the same date, round number or shared string in thousands of
rows), so each distinct stored text is converted once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from ...a1 import column_index
from ...raw import CellValue, ColourRule, Formula, whole_number
from ...serials import from_excel_serial

# One token of sheetData: a row start (its r and the rest of its attributes), a row end, an empty row,
# or a cell in canonical form (r first as letters+digits, then optional s and t, then an optional <v>).
_TOKEN = re.compile(
    rb'<row r="([1-9][0-9]*)"((?:\s+(?!xmlns)[A-Za-z_][\w.:-]*="[^"<>&]*")*\s*)(/?)>'
    rb"|(</row>)"
    rb'|<c r="([A-Z]{1,3})[1-9][0-9]*"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
    rb'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
    rb"|(.+)",  # anything else: the sheet is not plain, and the rest of it is one token (not one per byte)
    re.S,
)
_SHEET_DATA_OPEN = re.compile(rb"<sheetData\s*(/?)>")
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_UTF8 = re.compile(rb"""encoding\s*=\s*["']utf-?8["']""", re.I)
# What XML 1.0 refuses in text (libxml2 reads a 1.1 document by the same rule): other control characters,
# U+FFFE/U+FFFF, and "]]>" outside CDATA. Surrogates and bad UTF-8 fail str.decode already.
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|]]>")
# A stored number as writers store it. Anything float() also takes but XML or lxml see otherwise (an entity,
# spaces, "nan", "1_0", a full-width or Arabic digit, a control character) is left to lxml.
_NUMBER = re.compile(rb"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INDEX = re.compile(rb"[0-9]+")
_BOOLEANS = {b"0": False, b"1": True, b"false": False, b"true": True}
# Put where the rows were, for lxml to check outside_rows: an element (not text of a comment, CDATA or
# processing instruction) straight in the worksheet's own sheetData, holding one empty copy of each distinct
# row start tag, so lxml also judges the row attributes (duplicates, undeclared prefixes, bad characters).
MARK = "sheetsyncPlainRows"


def read_plain_sheet(
    xml: bytes,
    shared_strings: list[str],
    date_styles: frozenset[int],
    date1904: bool,
    rest: Callable[[bytes, set[str]], tuple[list[tuple[int, int, int, int]], list[ColourRule]] | None],
) -> tuple[dict[tuple[int, int], CellValue | Formula], list[tuple[int, int, int, int]], list[ColourRule]] | None:
    """One worksheet part's cells, merged ranges and colour rules, or None when it is not in the plain form.

    `rest(xml_with_the_rows_replaced, prefixes)` reads what lies outside sheetData (lxml: merged cells,
    conditional formats) and checks the part whole, None when the rows are not where lxml's reader finds them.
    """
    declaration = _DECLARATION.match(xml)
    if declaration is not None and b"encoding" in declaration.group() and not _UTF8.search(declaration.group()):
        return None  # text in another encoding: lxml decodes it
    found = _SHEET_DATA_OPEN.search(xml)
    if found is None or b"<sheetData" in xml[found.end() :]:
        return None
    start = found.end()
    if xml.find(b"<!DOCTYPE", 0, start) >= 0:
        return None  # a DTD's attribute defaults (t="s" on every c) are applied by lxml, not by a pattern
    end = start if found.group(1) else xml.find(b"</sheetData>", start)
    if end < 0 or xml.find(b"<f", start, end) >= 0:
        return None  # a formula (a totals row at the bottom, say): lxml reads it, found without tokenising first
    cells: dict[tuple[int, int], CellValue | Formula] = {}
    row = last_row = 0
    in_row = False
    columns: dict[bytes, int] = {}
    dates = {str(index).encode() for index in date_styles}
    numbers: dict[bytes, CellValue] = {}  # stored number text → value (dates and plain numbers apart)
    serials: dict[bytes, CellValue] = {}
    strings: dict[bytes, str] = {}
    texts: dict[bytes, str] = {}
    row_tags: set[bytes] = set()
    for row_text, attrs, empty, row_end, letters, style, kind, text, inline, _other in _TOKEN.findall(xml, start, end):
        if letters:
            if not in_row:
                return None
            col = columns.get(letters) or _column(columns, letters)
            value: CellValue | None
            if kind == b"s" and text:
                value = strings.get(text)
                if value is None:
                    if not _INDEX.fullmatch(text):
                        return None
                    value = strings[text] = shared_strings[int(text)]
            elif inline or kind == b"inlineStr":
                if kind != b"inlineStr" or text or not inline:
                    return None  # an empty <is/> or none at all: rare, left to lxml's reader
                value = texts.get(inline) or _text(inline)  # computed words repeat: "APPROVED" in every row
                if value is None:
                    return None
                texts[inline] = value
            elif not text:
                continue  # a styled empty cell (or t="s" with no value): nothing to read, as lxml's reader
            elif not kind or kind == b"n":
                if style and style in dates:
                    value = serials.get(text)
                    if value is None:
                        if not _NUMBER.fullmatch(text):
                            return None
                        number = float(text)
                        value = serials[text] = from_excel_serial(number, date1904) or whole_number(number)
                else:
                    value = numbers.get(text)
                    if value is None:
                        if not _NUMBER.fullmatch(text):
                            return None
                        value = numbers[text] = whole_number(float(text))
            elif kind == b"b":
                value = _BOOLEANS.get(text)
                if value is None:
                    return None
            elif kind == b"str" or kind == b"e":
                value = _text(text)
                if value is None:
                    return None
            else:
                return None
            cells[(row, col)] = value
        elif row_text:
            if in_row:
                return None
            row = int(row_text)
            if row <= last_row:
                return None  # rows out of order: leave such a sheet to lxml's reader
            last_row = row
            in_row = not empty
            row_tags.add(attrs)
        elif row_end:
            if not in_row:
                return None
            in_row = False
        else:  # other: a byte outside the plain form
            return None
    if in_row:
        return None
    mark = f"<{MARK}>".encode() + b"".join(b'<row r="1"' + attrs + b"/>" for attrs in row_tags) + f"</{MARK}>".encode()
    if found.group(1):  # <sheetData/>: the mark goes inside it, as for the rows of a sheetData with some
        mark = b"<sheetData>" + mark + b"</sheetData>"
        start = found.start()
    outside = rest(xml[:start] + mark + xml[end:], set())
    if outside is None:
        return None
    return cells, *outside


def unescape_text(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes (how it stores control characters in strings)."""
    if "_x" not in text:
        return text
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)


def _column(columns: dict[bytes, int], letters: bytes) -> int:
    col = columns[letters] = column_index(letters.decode())
    return col


def _text(raw: bytes) -> str | None:
    """Cell text as lxml gives it (entities resolved, Excel's _xHHHH_ escapes decoded); None: leave it to lxml."""
    if b"\r" in raw:
        return None  # XML turns CR and CRLF into LF; lxml does that
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        return None  # lxml reports it
    if _NOT_XML_TEXT.search(text):
        return None  # not well-formed: lxml refuses the sheet
    if "&" in text:
        pieces = _ENTITY.split(text)
        if "&" in "".join(pieces[::4]):
            return None  # an entity outside XML's own: not well-formed without a DOCTYPE
        try:
            text = _ENTITY.sub(_entity, text)
        except ValueError:
            return None  # a reference to a character XML refuses (&#1;, &#xD800;, &#x110000;)
    return unescape_text(text)


def _entity(m: re.Match[str]) -> str:
    named, decimal, hexadecimal = m.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if not (code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code < 0x110000):
        raise ValueError(code)  # not an XML character
    return chr(code)


def outside_rows(ns: str, colour_rules: Callable[[etree._Element, str, int], list[ColourRule]]):
    """A `rest` for read_plain_sheet: merged ranges and formula colour rules of a sheet without its rows.

    None (lxml's reader then reads the part) when the part is not well-formed (an undeclared prefix or a
    repeated attribute in a row tag included) or the rows the pattern read are not the rows lxml's reader reads.
    `prefixes` is kept for the callers' signature; lxml now checks every prefix the row tags use.
    """
    from ...a1 import range_to_bounds
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)

    def rest(xml: bytes, prefixes: set[str]) -> tuple[list[tuple[int, int, int, int]], list[ColourRule]] | None:
        try:
            root = etree.fromstring(xml, parser)
        except etree.XMLSyntaxError:
            return None  # lxml's reader gives the error, at the place it is in the part
        if root.tag != f"{{{ns}}}worksheet" or root.nsmap.get(None) != ns:
            return None  # rows in another namespace (or a prefixed one) are not what the pattern reads
        marks = list(root.iter(f"{{{ns}}}{MARK}"))
        if len(marks) != 1:
            return None  # the rows were in a comment, CDATA or a processing instruction: not rows at all
        mark = marks[0]
        sheet_data = mark.getparent()
        if sheet_data.tag != f"{{{ns}}}sheetData" or sheet_data.getparent() is not root or len(sheet_data) != 1:
            return None  # a sheetData in another namespace, or not the worksheet's own
        if sum(1 for _row in root.iter(f"{{{ns}}}row")) != len(mark):
            return None  # rows elsewhere (the real sheetData prefixed, an extension): lxml's reader reads them
        merge_cells = list(root.iter(f"{{{ns}}}mergeCell"))
        if any(cell.getparent().getparent() is not root for cell in merge_cells):
            return None  # a mergeCell out of its place (nested, in an extension): lxml's reader has its order
        merged = [range_to_bounds(ref) for cell in merge_cells if (ref := cell.get("ref"))]
        rules: list[ColourRule] = []  # keyed as the writer finds them: the worksheet's own blocks
        for block, element in enumerate(root.iterchildren(f"{{{ns}}}conditionalFormatting")):
            rules += colour_rules(element, ns, block)
        return merged, rules

    return rest
