"""The byte grammar the streaming patcher works in: a sheet's rows and cells as patterns, and their pieces.

stream.py walks a worksheet's <row> elements as bytes with these patterns and
rebuilds only the cells that change; everything here reads or writes one
sheet, row or cell without knowing about the changes. Whatever falls outside
the grammar (comments, CDATA, entities in attributes, text inside a cell...)
raises NotStreamable, and the tree patcher does that sheet instead. One job
needs its length: the grammar of SpreadsheetML rows and cells (ECMA-376 Part 1,
§18.3.1) is one piece, and splitting it would scatter the patterns that must
agree with each other.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from ...a1 import column_letter
from .cell_rules import date_style
from .styles import StylesPatcher

# --- The streaming patcher ------------------------------------------------------------
#
# SheetPatcher holds the whole sheet as an lxml tree: fine for a small sheet, but a
# 20,000-row sheet costs hundreds of MB and seconds. StreamingSheetPatcher gives the
# same result without the tree: after one well-formedness check (libxml2 with a parser
# target that keeps nothing), it walks the <row> elements of sheetData as bytes, copies
# every row no change touches unchanged, and rebuilds only the cells that change (and
# the rows they sit in). Whatever it does not expect (comments, CDATA, processing
# instructions, namespace declarations inside sheetData, rows or cells out of order,
# whitespace or text inside a cell it must change, a shared formula's master being
# overwritten, a value it cannot write...) makes it give up before anything is decided,
# and the tree patcher does that sheet instead, so the result never depends on which
# one ran.


class NotStreamable(Exception):  # noqa: N818 (control flow inside the writer, never raised to a caller)
    """The sheet XML is outside what StreamingSheetPatcher handles; SheetPatcher takes it."""


class _KeepNothing:
    """A parser target with no callbacks: libxml2 checks well-formedness and builds nothing."""

    def close(self) -> None:
        return None


_ATTRS = rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
ATTR = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_ROOT_START = re.compile(rb"\s*<([^\s/>]+)(" + _ATTRS + rb")\s*>")
_XML_DECL = re.compile(rb"""<\?xml(""" + _ATTRS + rb""")\s*\?>""")
_MARKER = "sheetsync-rows"
MARKER_BYTES = b"<!--" + _MARKER.encode() + b"-->"
_PLAIN_SPANS = re.compile(rb'\sspans="([1-9]\d*):([1-9]\d*)"')
_JOINED_ATTRS = re.compile(rb'(?: [^\s=/>"\']+="[^"]*")*')  # attributes as join_attrs writes them


class Grammar:
    """The byte patterns of one sheet, for the prefix its main namespace uses ('' or 'x:')."""

    _cache: dict[bytes, Grammar] = {}

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        cell = rb"<" + p + rb"c" + _ATTRS + rb"\s*(?:/>|>.*?</" + p + rb"c\s*>)"
        ext = rb"<" + p + rb"extLst" + _ATTRS + rb"\s*(?:/>|>.*?</" + p + rb"extLst\s*>)"
        self.sheet_data = re.compile(rb"<" + p + rb"sheetData\s*(/?)>")
        self.sheet_data_end = re.compile(rb"</" + p + rb"sheetData\s*>")
        # a row: leading whitespace, attributes, body (None when it is <row/>)
        self.row = re.compile(rb"(\s*)<" + p + rb"row(" + _ATTRS + rb")\s*(?:/>|>(.*?)</" + p + rb"row\s*>)", re.S)
        # a row's body: cells, then at most one extLst (whitespace around)
        self.row_body = re.compile(rb"((?:\s*" + cell + rb")*)(\s*)(" + ext + rb")?(\s*)", re.S)
        # one cell of a row body: leading whitespace, the cell, and r when it comes first as letters+digits
        self.cell_token = re.compile(
            rb"""(\s*)(<"""
            + p
            + rb"""c(?:\s+r="([A-Z]{1,3})(\d+)")?"""
            + _ATTRS
            + rb"\s*(?:/>|>.*?</"
            + p
            + rb"c\s*>))",
            re.S,
        )
        # a row body of cells only, each with r first and on this row (the row's number is put in front)
        content = rb"[^<]*(?:<(?!/?" + p + rb"c[\s/>])[^<]*)*"
        self.plain_row = re.compile(
            rb"(\d+)\|(?:\s*<"
            + p
            + rb'c r="[A-Z]{1,3}\1"'
            + _ATTRS
            + rb"\s*(?:/>|>"
            + content
            + rb"</"
            + p
            + rb"c\s*>))*\s*"
        )
        self.cell_letters = re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})')
        self.cell = re.compile(rb"<" + p + rb"c(" + _ATTRS + rb")\s*(?:/>|>(.*?)</" + p + rb"c\s*>)", re.S)
        self.child = re.compile(
            rb"<" + p + rb"(f|v|is|extLst)(" + _ATTRS + rb")\s*(?:/>|>(.*?)</" + p + rb"\1\s*>)", re.S
        )
        self.ext_name = prefix + b"extLst"
        self.c_open, self.c_close = b"<" + prefix + b"c", b"</" + prefix + b"c>"
        self.row_open, self.row_close = b"<" + prefix + b"row", b"</" + prefix + b"row>"
        self.v_open, self.v_close = b"<" + prefix + b"v>", b"</" + prefix + b"v>"
        self.is_open = b"<" + prefix + b"is><" + prefix + b't xml:space="preserve">'
        self.is_close = b"</" + prefix + b"t></" + prefix + b"is>"

    @classmethod
    def of(cls, prefix: bytes) -> Grammar:
        grammar = cls._cache.get(prefix)
        if grammar is None:
            grammar = cls._cache[prefix] = cls(prefix)
        return grammar

    def cell_ref(self, cell: bytes, n: int, last: int) -> tuple[int, bytes]:
        """A cell whose r is missing, not first or not canonical: its column and the cell with r written out."""
        m = self.cell.fullmatch(cell)
        if m is None:
            raise NotStreamable
        pairs = [[name, raw] for name, raw in ATTR.findall(m.group(1))]
        raw = get_attr(pairs, b"r")
        if raw is not None and raw[1:-1]:
            ref = attr_value(raw)
            letters = ref.rstrip(b"0123456789")
            if not ref[len(letters) :]:
                raise NotStreamable
            col = column_of(letters)
        else:
            col = last + 1
        set_attr(pairs, b"r", b'"' + letters_of(col) + b"%d" % n + b'"')
        inner = m.group(2)
        tail = b"/>" if inner is None else b">" + inner + self.c_close
        return col, self.c_open + join_attrs(pairs) + tail

    def row_cells(self, body: bytes, n: int) -> tuple[list[list], bool, tuple[bytes, bytes | None, bytes]]:
        """Row `n`'s cells as [col, leading whitespace, bytes], whether any r was rewritten, and what follows them.

        What follows is (whitespace, the row's extLst or None, whitespace). Cells out
        of column order, or text between them, are not streamed.
        """
        nb = b"%d" % n
        if self.ext_name in body:
            layout = self.row_body.fullmatch(body)
            if layout is None:
                raise NotStreamable
            cells_part, before_ext, ext, after_ext = layout.groups()
        else:
            cells_part, before_ext, ext, after_ext = body, b"", None, b""
        existing: list[list] = []  # [col, leading whitespace, cell (bytes, or pieces once rebuilt)]
        dirty = False
        last = covered = 0
        columns = COLUMNS
        for space, cell, letters, digits in self.cell_token.findall(cells_part):
            covered += len(space) + len(cell)
            if digits == nb and letters:
                col = columns.get(letters) or column_of(letters)
            else:
                col, cell = self.cell_ref(cell, n, last)
                dirty = True
            if col <= last:
                raise NotStreamable  # cells out of order: where a new cell goes would differ
            last = col
            existing.append([col, space, cell])
        if covered != len(cells_part):
            if ext is not None or cells_part[covered:].strip():
                raise NotStreamable  # text between the cells
            before_ext = cells_part[covered:]  # whitespace after the last cell
        return existing, dirty, (before_ext, ext, after_ext)

    def parse_cell(self, cell: bytes) -> Cell:
        """A cell of the sheet as attributes and children, to be changed."""
        m = self.cell.fullmatch(cell)
        if m is None:
            raise NotStreamable
        attrs = [[name, raw] for name, raw in ATTR.findall(m.group(1))]
        children = []
        inner = m.group(2)
        if inner:
            position = 0
            match_child = self.child.match
            while position < len(inner):
                child = match_child(inner, position)
                if child is None:
                    raise NotStreamable  # text or whitespace inside the cell, or a child it should not have
                children.append((child.group(1), child.group(2), child.group(0), child.group(3)))
                position = child.end()
        return Cell(attrs, children)

    def cell_pieces(self, cell: Cell) -> list:
        """The cell's XML as pieces (bytes, and a DateStyle where its s is still open)."""
        pieces: list = []
        text = self.c_open
        for name, raw in cell.attrs:
            if isinstance(raw, DateStyle):
                pieces.append(text)
                pieces.append(raw)
                text = b""
            else:
                text += b" " + name + b"=" + raw
        if cell.children:
            text += b">" + b"".join(child[2] for child in cell.children) + self.c_close
        else:
            text += b"/>"
        pieces.append(text)
        return pieces


COLUMNS: dict[bytes, int] = {}
_LETTERS: dict[int, bytes] = {}


def column_of(letters: bytes) -> int:
    """b'AB' → 28 (upper-case letters only; anything else is not streamed)."""
    col = COLUMNS.get(letters)
    if col is None:
        if not letters or not letters.isalpha() or not letters.isascii():
            raise NotStreamable
        col = 0
        for ch in letters.upper():
            col = col * 26 + ch - 64
        COLUMNS[letters] = col
    return col


def letters_of(col: int) -> bytes:
    letters = _LETTERS.get(col)
    if letters is None:
        letters = _LETTERS[col] = column_letter(col).encode()
    return letters


def attr_value(raw: bytes) -> bytes:
    """An attribute's value from its quoted form; one with an entity in it is not streamed."""
    value = raw[1:-1]
    if b"&" in value:
        raise NotStreamable
    return value


def attr_int(raw: bytes) -> int:
    try:
        return int(attr_value(raw))
    except ValueError:
        raise NotStreamable from None


def get_attr(attrs: list[list], name: bytes) -> bytes | None:
    for pair in attrs:
        if pair[0] == name:
            return pair[1]
    return None


def set_attr(attrs: list[list], name: bytes, raw: object) -> None:
    """lxml's set(): replace the value where the attribute is, or append it."""
    for pair in attrs:
        if pair[0] == name:
            pair[1] = raw
            return
    attrs.append([name, raw])


def escape_text(text: str) -> bytes:
    """Element text escaped as libxml2 writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text.encode("utf-8")


class DateStyle:
    """The s attribute of a cell given a date whose style is not a date one: decided in finish().

    SheetPatcher decides as each change comes, and adding a date format can turn an
    existing style into a date one (an xf naming a numFmtId that was not defined), so
    the decisions are made there in the order of the changes, as SheetPatcher makes them.
    """

    __slots__ = ("order", "current", "column", "with_time", "original", "chosen")

    def __init__(self, order: int, current: int, column: int | None, with_time: bool, original: bytes | None) -> None:
        self.order, self.current, self.column, self.with_time = order, current, column, with_time
        self.original = original
        self.chosen: int | None = None

    def decide(self, styles: StylesPatcher) -> None:
        """The tree patcher's choice (cell_rules.date_style), made when every change has been seen."""
        self.chosen = date_style(styles, self.current, self.column, self.with_time)

    def render(self) -> bytes:
        if self.chosen is not None:
            return b' s="%d"' % self.chosen
        return b" s=" + self.original if self.original is not None else b""


class Cell:
    """A cell being changed: its attributes as [name, quoted value] in order, its children as bytes."""

    __slots__ = ("attrs", "children")

    def __init__(self, attrs: list[list], children: list[tuple[bytes, bytes, bytes, bytes | None]]) -> None:
        self.attrs = attrs
        self.children = children  # (tag, attributes, whole element, text)



class SplitSheet(NamedTuple):
    """A worksheet cut around its rows: the bytes, where the rows are, and the rest as a small tree."""

    grammar: Grammar
    xml: bytes
    rows_start: int
    rows_end: int
    root: etree._Element
    ns: str


def split_sheet(xml: bytes) -> SplitSheet:
    """Check the XML, find sheetData's rows and parse everything around them as a small tree."""
    if b"<!" in xml or xml.count(b"<?") > 1:
        raise NotStreamable  # comments, CDATA, a DOCTYPE, processing instructions
    start = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
    declaration = _XML_DECL.match(xml, start)
    if declaration is not None:
        encoding = re.search(rb"""\sencoding\s*=\s*["']([^"']*)["']""", declaration.group(1))
        if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
            raise NotStreamable
        start = declaration.end()
    elif b"<?" in xml:
        raise NotStreamable
    root = _ROOT_START.match(xml, start)
    if root is None:
        raise NotStreamable
    try:
        etree.fromstring(xml, etree.XMLParser(target=_KeepNothing(), resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError:
        raise NotStreamable from None  # the tree patcher reports it
    name = root.group(1)
    prefix = name[: name.index(b":") + 1] if b":" in name else b""
    grammar = Grammar.of(prefix)
    opening = grammar.sheet_data.search(xml, root.end())
    if opening is None:
        raise NotStreamable
    if opening.group(1):  # <sheetData/>
        rows_start = rows_end = after = opening.end()
    else:
        closing = grammar.sheet_data_end.search(xml, opening.end())
        if closing is None:
            raise NotStreamable
        rows_start, rows_end, after = opening.end(), closing.start(), closing.end()
    if b"xmlns" in xml[rows_start:rows_end]:
        raise NotStreamable
    placeholder = b"<" + prefix + b"sheetData>" + MARKER_BYTES + b"</" + prefix + b"sheetData>"
    skeleton = xml[root.start(1) - 1 : opening.start()] + placeholder + xml[after:]
    tree = etree.fromstring(skeleton, etree.XMLParser(resolve_entities=False, huge_tree=True))
    ns = etree.QName(tree).namespace or ""
    if list(tree.nsmap.values()).count(ns or None) > 1:
        raise NotStreamable  # two prefixes for the main namespace: which one a new element gets is lxml's call
    sheet_data = tree.find(f"{{{ns}}}sheetData")
    if (
        sheet_data is None
        or len(sheet_data) != 1
        or sheet_data[0].tag is not etree.Comment
        or sheet_data[0].text != _MARKER
    ):
        raise NotStreamable
    return SplitSheet(grammar, xml, rows_start, rows_end, tree, ns)


def row_number(attrs: bytes, last: int) -> tuple[int, bytes | None]:
    """The row's number, and its attributes with r as the tree patcher writes it (None: unchanged)."""
    pairs = [[name, raw] for name, raw in ATTR.findall(attrs)]
    raw = get_attr(pairs, b"r")
    value = attr_value(raw) if raw is not None else b""
    try:
        n = int(value or last + 1)
    except ValueError:
        raise NotStreamable from None
    canonical = b'"%d"' % n
    if raw == canonical:
        return n, None
    set_attr(pairs, b"r", canonical)
    return n, join_attrs(pairs)


def row_cell_style(attrs: bytes) -> bytes:
    """The quoted s a new cell of this row takes from it (customFormat), or b'' when it takes none."""
    if b"customFormat" not in attrs:
        return b""
    pairs = ATTR.findall(attrs)
    custom = next((raw for name, raw in pairs if name == b"customFormat"), None)
    style = next((raw for name, raw in pairs if name == b"s"), None)
    if custom is not None and attr_value(custom) in (b"1", b"true") and style is not None and style[1:-1]:
        return style
    return b""

@staticmethod
def widen_spans(attrs: bytes, low_col: int, high_col: int) -> bytes:
    """The row's attributes with spans grown to its cells, as SheetPatcher._widen_spans does."""
    plain = _PLAIN_SPANS.search(attrs)
    if plain is not None:
        low, high = int(plain.group(1)), int(plain.group(2))
        if low <= low_col and high >= high_col:
            return attrs
        if _JOINED_ATTRS.fullmatch(attrs):  # already as join_attrs writes them: only the numbers change
            widened = b"%d:%d" % (min(low, low_col), max(high, high_col))
            return attrs[: plain.start(1)] + widened + attrs[plain.end(2) :]
    pairs = [[name, raw] for name, raw in ATTR.findall(attrs)]
    raw = get_attr(pairs, b"spans")
    if raw is None or raw[1:-1] == b"":
        return attrs
    spans = attr_value(raw).decode()
    low, _, high = spans.split(" ")[0].partition(":")
    try:
        value = f"{min(int(low), low_col)}:{max(int(high or low), high_col)}".encode()
    except ValueError:
        pairs = [pair for pair in pairs if pair[0] != b"spans"]
    else:
        if value == raw[1:-1]:
            return attrs
        set_attr(pairs, b"spans", b'"' + value + b'"')
    return join_attrs(pairs)


def join_attrs(pairs: list[list]) -> bytes:
    return b"".join(b" " + name + b"=" + raw for name, raw in pairs)
