"""Patch a sheet's XML while streaming it: untouched rows are copied as they are, changed rows rebuilt.

Holding a 20,000-row sheet as an lxml tree costs hundreds of MB; streaming keeps a
sync's memory close to a bare openpyxl load. Anything unexpected raises
_Unsupported before a byte is decided, and the caller uses the tree patcher.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from lxml import etree

from ...a1 import column_letter, range_to_bounds
from ...raw import CellChange, CellValue
from .patch import StylesPatcher, cell_text, grow_dimension, serialise
from .read import to_excel_serial

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


class _Unsupported(Exception):
    """The sheet XML is outside what StreamingSheetPatcher handles; SheetPatcher takes it."""


class _KeepNothing:
    """A parser target with no callbacks: libxml2 checks well-formedness and builds nothing."""

    def close(self) -> None:
        return None


_ATTRS = rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_ATTR = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_ROOT_START = re.compile(rb"\s*<([^\s/>]+)(" + _ATTRS + rb")\s*>")
_XML_DECL = re.compile(rb"""<\?xml(""" + _ATTRS + rb""")\s*\?>""")
_MARKER = "sheetsync-rows"
_MARKER_BYTES = b"<!--" + _MARKER.encode() + b"-->"
_STR, _BOOL, _NUM, _DATE = range(4)
_PLAIN_SPANS = re.compile(rb'\sspans="([1-9]\d*):([1-9]\d*)"')
_COL_LIMIT = 1 << 20  # change keys are row * _COL_LIMIT + col


class _Grammar:
    """The byte patterns of one sheet, for the prefix its main namespace uses ('' or 'x:')."""

    _cache: dict[bytes, _Grammar] = {}

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
    def of(cls, prefix: bytes) -> _Grammar:
        grammar = cls._cache.get(prefix)
        if grammar is None:
            grammar = cls._cache[prefix] = cls(prefix)
        return grammar


_COLUMNS: dict[bytes, int] = {}
_LETTERS: dict[int, bytes] = {}


def _column_of(letters: bytes) -> int:
    """b'AB' → 28 (upper-case letters only; anything else is not streamed)."""
    col = _COLUMNS.get(letters)
    if col is None:
        if not letters or not letters.isalpha() or not letters.isascii():
            raise _Unsupported
        col = 0
        for ch in letters.upper():
            col = col * 26 + ch - 64
        _COLUMNS[letters] = col
    return col


def _letters_of(col: int) -> bytes:
    letters = _LETTERS.get(col)
    if letters is None:
        letters = _LETTERS[col] = column_letter(col).encode()
    return letters


def _value_of(raw: bytes) -> bytes:
    """An attribute's value from its quoted form; one with an entity in it is not streamed."""
    value = raw[1:-1]
    if b"&" in value:
        raise _Unsupported
    return value


def _int_of(raw: bytes) -> int:
    try:
        return int(_value_of(raw))
    except ValueError:
        raise _Unsupported from None


def _get(attrs: list[list], name: bytes) -> bytes | None:
    for pair in attrs:
        if pair[0] == name:
            return pair[1]
    return None


def _set(attrs: list[list], name: bytes, raw: object) -> None:
    """lxml's set(): replace the value where the attribute is, or append it."""
    for pair in attrs:
        if pair[0] == name:
            pair[1] = raw
            return
    attrs.append([name, raw])


def _escape_text(text: str) -> bytes:
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


class _DateStyle:
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
        """SheetPatcher._give_date_style's choice."""
        if styles.is_date(self.current):
            return
        if self.column is not None and styles.is_date(self.column):
            self.chosen = self.column
        else:
            self.chosen = styles.date_style_like(self.current, self.with_time)

    def render(self) -> bytes:
        if self.chosen is not None:
            return b' s="%d"' % self.chosen
        return b" s=" + self.original if self.original is not None else b""


class _Cell:
    """A cell being changed: its attributes as [name, quoted value] in order, its children as bytes."""

    __slots__ = ("attrs", "children")

    def __init__(self, attrs: list[list], children: list[tuple[bytes, bytes, bytes, bytes | None]]) -> None:
        self.attrs = attrs
        self.children = children  # (tag, attributes, whole element, text)


class StreamingSheetPatcher:
    """SheetPatcher's result for one worksheet, without ever holding the sheet as a tree."""

    def __init__(self, xml: bytes, styles: StylesPatcher, date1904: bool) -> None:
        self.styles = styles
        self.date1904 = date1904
        self.changed = False
        self.removed_formulas: set[tuple[int, int]] = set()
        self._date_styles: list[_DateStyle] = []
        self._grown: list[int] = []  # min row, min col, max row, max col of the cells written
        self._split(xml)

    # -- the parts of the sheet ------------------------------------------------------

    def _split(self, xml: bytes) -> None:
        """Check the XML, find sheetData's rows and parse everything around them as a small tree."""
        if b"<!" in xml or xml.count(b"<?") > 1:
            raise _Unsupported  # comments, CDATA, a DOCTYPE, processing instructions
        start = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
        declaration = _XML_DECL.match(xml, start)
        if declaration is not None:
            encoding = re.search(rb"""\sencoding\s*=\s*["']([^"']*)["']""", declaration.group(1))
            if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
                raise _Unsupported
            start = declaration.end()
        elif b"<?" in xml:
            raise _Unsupported
        root = _ROOT_START.match(xml, start)
        if root is None:
            raise _Unsupported
        try:
            etree.fromstring(xml, etree.XMLParser(target=_KeepNothing(), resolve_entities=False, huge_tree=True))
        except etree.XMLSyntaxError:
            raise _Unsupported from None  # the tree patcher reports it
        name = root.group(1)
        prefix = name[: name.index(b":") + 1] if b":" in name else b""
        grammar = self.grammar = _Grammar.of(prefix)
        opening = grammar.sheet_data.search(xml, root.end())
        if opening is None:
            raise _Unsupported
        if opening.group(1):  # <sheetData/>
            rows_start = rows_end = after = opening.end()
        else:
            closing = grammar.sheet_data_end.search(xml, opening.end())
            if closing is None:
                raise _Unsupported
            rows_start, rows_end, after = opening.end(), closing.start(), closing.end()
        self.xml, self.rows_start, self.rows_end = xml, rows_start, rows_end
        if b"xmlns" in xml[rows_start:rows_end]:
            raise _Unsupported
        placeholder = b"<" + prefix + b"sheetData>" + _MARKER_BYTES + b"</" + prefix + b"sheetData>"
        skeleton = xml[root.start(1) - 1 : opening.start()] + placeholder + xml[after:]
        self.root = etree.fromstring(skeleton, etree.XMLParser(resolve_entities=False, huge_tree=True))
        self.ns = etree.QName(self.root).namespace or ""
        if list(self.root.nsmap.values()).count(self.ns or None) > 1:
            raise _Unsupported  # two prefixes for the main namespace: which one a new element gets is lxml's call
        sheet_data = self.root.find(self._q("sheetData"))
        if (
            sheet_data is None
            or len(sheet_data) != 1
            or sheet_data[0].tag is not etree.Comment
            or sheet_data[0].text != _MARKER
        ):
            raise _Unsupported
        self.merged = [range_to_bounds(m.get("ref", "A1")) for m in self.root.iter(self._q("mergeCell"))]
        self._column_styles = [
            (int(col.get("min", "0")), int(col.get("max", "0")), int(col.get("style")))
            for col in self.root.iterfind(f"{self._q('cols')}/{self._q('col')}")
            if col.get("style") is not None
        ]
        self._column_style_cache: dict[int, int | None] = {}

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def _is_hidden_by_merge(self, row: int, col: int) -> bool:
        return any(r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1) for r1, c1, r2, c2 in self.merged)

    def _column_style(self, col: int) -> int | None:
        try:
            return self._column_style_cache[col]
        except KeyError:
            style = next((s for low, high, s in self._column_styles if low <= col <= high), None)
            self._column_style_cache[col] = style
            return style

    # -- the changes -----------------------------------------------------------------

    def apply(self, changes: Sequence[CellChange]) -> None:
        """Make all the changes (in their order where they meet the same cell)."""
        self._values = [change.value for change in changes]
        keys = []
        for change in changes:
            row, col = change.row, change.col
            if row < 1 or not 1 <= col < _COL_LIMIT:
                raise _Unsupported
            keys.append(row * _COL_LIMIT + col)
        kept: Sequence[int] = range(len(changes))
        if self.merged:
            kept = [i for i in kept if not self._is_hidden_by_merge(changes[i].row, changes[i].col)]
        self._keys = keys
        self._order = sorted(kept, key=keys.__getitem__)  # by row and column; a cell's changes stay in order
        self._next = 0
        self._text_cache: dict[str, tuple] = {}
        self._layouts: dict[bytes, tuple[int, int, bool]] = {}
        self._stream()
        del self.xml, self._values, self._keys, self._order, self._text_cache, self._layouts

    def _payload(self, value: CellValue) -> tuple | None:
        """A value as the bytes its cell will hold; a value the tree patcher would refuse is not streamed."""
        if value is None:
            return None
        if isinstance(value, str):
            payload = self._text_cache.get(value)
            if payload is None:
                payload = self._text_cache[value] = (_STR, _escape_text(cell_text(value)))
            return payload
        if isinstance(value, bool):
            return (_BOOL, b"1" if value else b"0")
        if isinstance(value, (int, float)):
            if isinstance(value, float):
                if not math.isfinite(value):
                    raise _Unsupported
                return (_NUM, repr(value).encode())
            return (_NUM, str(value).encode())
        if isinstance(value, dt.date):
            return (_DATE, repr(to_excel_serial(value, self.date1904)).encode(), isinstance(value, dt.datetime))
        raise _Unsupported

    def _next_row(self) -> int:
        """The row of the next change not yet made (0 when none is left)."""
        if self._next < len(self._order):
            return self._keys[self._order[self._next]] // _COL_LIMIT
        return 0

    def _take_row(self, row: int) -> list[tuple[int, list[int]]]:
        """The changes of `row`, as (column, [change index, ...]) by column."""
        keys, order = self._keys, self._order
        cols: list[tuple[int, list[int]]] = []
        position, end = self._next, len(order)
        low, high = row * _COL_LIMIT, (row + 1) * _COL_LIMIT
        previous = -1
        while position < end:
            index = order[position]
            key = keys[index]
            if key >= high:
                break
            if key == previous:
                cols[-1][1].append(index)
            else:
                cols.append((key - low, [index]))
                previous = key
            position += 1
        self._next = position
        return cols

    def _stream(self) -> None:
        """Walk the rows once, copying the untouched ones and rebuilding (or adding) the changed ones."""
        xml, end, grammar = self.xml, self.rows_end, self.grammar
        match_row = grammar.row.match
        out: list = []
        next_wanted = self._next_row()
        copied = position = self.rows_start  # xml[copied:...] is still to be copied
        last = 0
        any_rows = False
        while True:
            m = match_row(xml, position, end)
            if m is None:
                break
            any_rows = True
            attrs = m.group(2)
            if attrs[:4] == b' r="' and (number := attrs[4 : attrs.find(b'"', 4)]).isdigit() and number[0] != 48:
                n = int(number)
                renumbered = False
            else:
                n, renumbered_attrs = self._row_number(attrs, last)
                renumbered = renumbered_attrs is not None
                if renumbered_attrs is not None:
                    attrs = renumbered_attrs
            if n <= last:
                raise _Unsupported  # rows out of order: where a new row goes would differ
            last = n
            rebuilt = None
            if next_wanted and next_wanted <= n:
                tag_start = m.end(1)
                while next_wanted and next_wanted < n:
                    new_row = self._new_row(next_wanted, self._take_row(next_wanted))
                    if new_row:
                        out.append(xml[copied:tag_start])
                        out.extend(new_row)
                        copied = tag_start
                    next_wanted = self._next_row()
                if next_wanted == n:
                    rebuilt = self._patch_row(n, attrs, m.group(3), self._take_row(n))
                    next_wanted = self._next_row()
            if rebuilt is None and renumbered:
                body = m.group(3)
                rebuilt = (
                    [grammar.row_open + attrs + b"/>"]
                    if body is None
                    else [grammar.row_open + attrs + b">" + body + grammar.row_close]
                )
            if rebuilt is not None:
                out.append(xml[copied : m.end(1)])
                out.extend(rebuilt)
                copied = m.end()
            position = m.end()
        if xml[position:end].strip():
            raise _Unsupported  # something other than rows in sheetData
        out.append(xml[copied:end])
        while next_wanted:
            out.extend(self._new_row(next_wanted, self._take_row(next_wanted)))
            next_wanted = self._next_row()
        self._out = out
        self._was_empty = not any_rows

    def _row_number(self, attrs: bytes, last: int) -> tuple[int, bytes | None]:
        """The row's number, and its attributes with r as the tree patcher writes it (None: unchanged)."""
        pairs = [[name, raw] for name, raw in _ATTR.findall(attrs)]
        raw = _get(pairs, b"r")
        value = _value_of(raw) if raw is not None else b""
        try:
            n = int(value or last + 1)
        except ValueError:
            raise _Unsupported from None
        canonical = b'"%d"' % n
        if raw == canonical:
            return n, None
        _set(pairs, b"r", canonical)
        return n, _join_attrs(pairs)

    # -- one row ---------------------------------------------------------------------

    def _pieces(self, pieces: list) -> list:
        """A row's pieces joined into one, unless a date style is still open in it."""
        if self._date_styles and any(type(piece) is _DateStyle for piece in pieces):
            return pieces
        return [b"".join(pieces)]

    def _new_row(self, n: int, cols: list[tuple[int, list[int]]]) -> list:
        """A row that is not in the sheet yet, with its new cells; empty when no cell gets made."""
        pieces: list = [self.grammar.row_open, b' r="%d">' % n]
        for col, orders in cols:
            cell = self._new_cell(n, col, orders, None)
            if cell is not None:
                pieces += cell
        if len(pieces) == 2:
            return []
        pieces.append(self.grammar.row_close)
        return self._pieces(pieces)

    def _patch_row(self, n: int, attrs: bytes, body: bytes | None, cols: list[tuple[int, list[int]]]) -> list | None:
        """An existing row with its changes made; None when its bytes stay as they are."""
        grammar = self.grammar
        body = body or b""
        nb = b"%d" % n
        if grammar.plain_row.fullmatch(nb + b"|" + body):
            # the usual row: cells in canonical form; when every change is a new cell after them, append
            letters = grammar.cell_letters.findall(body)
            layout = self._layouts.get(key := b" ".join(letters))
            if layout is None:
                cols_of = [_column_of(name) for name in letters]
                ascending = all(a < b for a, b in zip(cols_of, cols_of[1:], strict=False))
                layout = self._layouts[key] = (cols_of[0] if cols_of else 0, cols_of[-1] if cols_of else 0, ascending)
            first_col, last_col, ascending = layout
            if ascending and cols[0][0] > last_col:
                row_style = self._row_style(attrs)
                pieces: list = [grammar.row_open, attrs, b">", body]
                low = high = 0
                for col, orders in cols:
                    cell = self._new_cell(n, col, orders, row_style)
                    if cell is not None:
                        pieces += cell
                        low = low or col
                        high = col
                if not high:
                    return None
                if b"spans" in attrs:
                    pieces[1] = self._widen_spans(attrs, first_col or low, high)
                pieces.append(grammar.row_close)
                return self._pieces(pieces)
        if grammar.ext_name in body:
            layout = grammar.row_body.fullmatch(body)
            if layout is None:
                raise _Unsupported
            cells_part, before_ext, ext, after_ext = layout.groups()
        else:
            cells_part, before_ext, ext, after_ext = body, b"", None, b""
        existing: list[list] = []  # [col, leading whitespace, cell (bytes, or pieces once rebuilt)]
        dirty = False
        last = covered = 0
        columns = _COLUMNS
        for space, cell, letters, digits in grammar.cell_token.findall(cells_part):
            covered += len(space) + len(cell)
            if digits == nb and letters:
                col = columns.get(letters) or _column_of(letters)
            else:
                col, cell = self._cell_ref(cell, n, last)
                dirty = True
            if col <= last:
                raise _Unsupported  # cells out of order: where a new cell goes would differ
            last = col
            existing.append([col, space, cell])
        if covered != len(cells_part):
            if ext is not None or cells_part[covered:].strip():
                raise _Unsupported  # text between the cells
            before_ext = cells_part[covered:]  # whitespace after the last cell
        before: dict[int, list] = {}  # index of an existing cell → new cells that go just before it
        row_style: bytes | None = None
        low = high = 0
        i, count = 0, len(existing)
        for col, orders in cols:
            while i < count and existing[i][0] < col:
                i += 1
            if i < count and existing[i][0] == col:
                entry = existing[i]
                entry[2] = self._cell_bytes(self._existing_cell(entry[2], n, col, orders))
                dirty = True
                continue
            if row_style is None:
                row_style = self._row_style(attrs)
            cell = self._new_cell(n, col, orders, row_style)
            if cell is not None:
                before.setdefault(i, []).extend(cell)
                low = low or col
                high = col
                dirty = True
        if not dirty:
            return None
        if before and b"spans" in attrs:
            if existing:
                low, high = min(low, existing[0][0]), max(high, existing[-1][0])
            attrs = self._widen_spans(attrs, low, high)
        pieces: list = [grammar.row_open, attrs, b">"]
        for index, (_, space, cell) in enumerate(existing):
            pieces.append(space)
            if index in before:
                pieces += before[index]
            if type(cell) is list:
                pieces += cell
            else:
                pieces.append(cell)
        trailing = before.get(count, [])
        if ext:  # a new last cell goes before the row's extLst...
            pieces += [before_ext, *trailing, ext, after_ext]
        else:  # ...or after everything
            pieces += [before_ext, after_ext, *trailing]
        pieces.append(grammar.row_close)
        return self._pieces(pieces)

    @staticmethod
    def _row_style(attrs: bytes) -> bytes:
        """The quoted s a new cell of this row takes from it (customFormat), or b'' when it takes none."""
        if b"customFormat" not in attrs:
            return b""
        pairs = _ATTR.findall(attrs)
        custom = next((raw for name, raw in pairs if name == b"customFormat"), None)
        style = next((raw for name, raw in pairs if name == b"s"), None)
        if custom is not None and _value_of(custom) in (b"1", b"true") and style is not None and style[1:-1]:
            return style
        return b""

    @staticmethod
    def _widen_spans(attrs: bytes, low_col: int, high_col: int) -> bytes:
        """The row's attributes with spans grown to its cells, as SheetPatcher._widen_spans does."""
        plain = _PLAIN_SPANS.search(attrs)
        if plain is not None and int(plain.group(1)) <= low_col and int(plain.group(2)) >= high_col:
            return attrs
        pairs = [[name, raw] for name, raw in _ATTR.findall(attrs)]
        raw = _get(pairs, b"spans")
        if raw is None or raw[1:-1] == b"":
            return attrs
        spans = _value_of(raw).decode()
        low, _, high = spans.split(" ")[0].partition(":")
        try:
            value = f"{min(int(low), low_col)}:{max(int(high or low), high_col)}".encode()
        except ValueError:
            pairs = [pair for pair in pairs if pair[0] != b"spans"]
        else:
            if value == raw[1:-1]:
                return attrs
            _set(pairs, b"spans", b'"' + value + b'"')
        return _join_attrs(pairs)

    # -- one cell --------------------------------------------------------------------

    def _cell_ref(self, cell: bytes, n: int, last: int) -> tuple[int, bytes]:
        """A cell whose r is missing, not first or not canonical: its column and the cell with r written out."""
        m = self.grammar.cell.fullmatch(cell)
        if m is None:
            raise _Unsupported
        pairs = [[name, raw] for name, raw in _ATTR.findall(m.group(1))]
        raw = _get(pairs, b"r")
        if raw is not None and raw[1:-1]:
            ref = _value_of(raw)
            letters = ref.rstrip(b"0123456789")
            if not ref[len(letters) :]:
                raise _Unsupported
            col = _column_of(letters)
        else:
            col = last + 1
        _set(pairs, b"r", b'"' + _letters_of(col) + b"%d" % n + b'"')
        inner = m.group(2)
        tail = b"/>" if inner is None else b">" + inner + self.grammar.c_close
        return col, self.grammar.c_open + _join_attrs(pairs) + tail

    def _existing_cell(self, cell: bytes, row: int, col: int, orders: list[int]) -> _Cell:
        """A cell of the sheet with its changes made."""
        grammar = self.grammar
        m = grammar.cell.fullmatch(cell)
        if m is None:
            raise _Unsupported
        attrs = [[name, raw] for name, raw in _ATTR.findall(m.group(1))]
        children = []
        inner = m.group(2)
        if inner:
            position = 0
            match_child = grammar.child.match
            while position < len(inner):
                child = match_child(inner, position)
                if child is None:
                    raise _Unsupported  # text or whitespace inside the cell, or a child it should not have
                children.append((child.group(1), child.group(2), child.group(0), child.group(3)))
                position = child.end()
        model = _Cell(attrs, children)
        for order in orders:
            self._set_cell(model, row, col, order, self._payload(self._values[order]))
        return model

    def _new_cell(self, row: int, col: int, orders: list[int], row_style: bytes | None) -> list | None:
        """A cell that is not in the sheet yet, made by its first value (clearing a missing cell does nothing).

        `row_style` is the quoted s the row gives new cells (b'' for none, None for a new row).
        """
        values = self._values
        first = 0
        while first < len(orders) and values[orders[first]] is None:
            first += 1
        if first == len(orders):
            return None
        style = row_style or None
        if style is None and (col_style := self._column_style(col)) is not None:
            style = b'"%d"' % col_style
        grammar = self.grammar
        if first == len(orders) - 1:  # one value: the cell is written straight away
            order = orders[first]
            payload = self._payload(values[order])
            assert payload is not None
            kind = payload[0]
            if kind != _DATE:
                self.changed = True
                self._grow(row, col)
                head = grammar.c_open + b' r="' + _letters_of(col) + b"%d" % row
                head += b'"' if style is None else b'" s=' + style
                if kind == _STR:
                    return [
                        head + b' t="inlineStr">' + grammar.is_open + payload[1] + grammar.is_close + grammar.c_close
                    ]
                if kind == _BOOL:
                    head += b' t="b"'
                return [head + b">" + grammar.v_open + payload[1] + grammar.v_close + grammar.c_close]
        attrs = [[b"r", b'"' + _letters_of(col) + b"%d" % row + b'"']]
        if style is not None:
            attrs.append([b"s", style])  # a new cell takes its row's format, as Excel does, or its column's
        model = _Cell(attrs, [])
        for order in orders[first:]:
            self._set_cell(model, row, col, order, self._payload(values[order]))
        return self._cell_bytes(model)

    def _grow(self, row: int, col: int) -> None:
        """Note a written cell for the dimension."""
        grown = self._grown
        if grown:
            if row < grown[0]:
                grown[0] = row
            if col < grown[1]:
                grown[1] = col
            if row > grown[2]:
                grown[2] = row
            if col > grown[3]:
                grown[3] = col
        else:
            grown[:] = [row, col, row, col]

    def _set_cell(self, cell: _Cell, row: int, col: int, order: int, payload: tuple | None) -> None:
        """SheetPatcher.set on one cell: clear it (keeping its style), then write the value."""
        kept = []
        for child in cell.children:
            tag = child[0]
            if tag == b"f":
                if child[3]:
                    pairs = _ATTR.findall(child[1])
                    kind = next((raw for name, raw in pairs if name == b"t"), None)
                    ref = next((raw for name, raw in pairs if name == b"ref"), None)
                    if kind is not None and _value_of(kind) == b"shared" and ref is not None and ref[1:-1]:
                        raise _Unsupported  # the master of a shared formula: the tree patcher promotes a new one
                self.removed_formulas.add((row, col))
            elif tag != b"v" and tag != b"is":
                kept.append(child)
        cell.children = kept
        cell.attrs = [pair for pair in cell.attrs if pair[0] not in (b"t", b"cm", b"vm")]
        self.changed = True
        if payload is None:
            return
        self._grow(row, col)
        kind = payload[0]
        grammar = self.grammar
        if kind == _STR:
            cell.attrs.append([b"t", b'"inlineStr"'])
            element = grammar.is_open + payload[1] + grammar.is_close
            cell.children.insert(0, (b"is", b"", element, element))
            return
        if kind == _BOOL:
            cell.attrs.append([b"t", b'"b"'])
        elif kind == _DATE:
            self._give_date_style(cell, col, order, payload[2])
        element = grammar.v_open + payload[1] + grammar.v_close
        cell.children.insert(0, (b"v", b"", element, payload[1]))

    def _give_date_style(self, cell: _Cell, col: int, order: int, with_time: bool) -> None:
        """SheetPatcher._give_date_style, with a style still to be added left for finish() to choose."""
        raw = _get(cell.attrs, b"s")
        if isinstance(raw, _DateStyle):
            return  # already given a date style by an earlier change
        current = _int_of(raw) if raw is not None else 0
        if self.styles.is_date(current):
            return  # (adding styles never makes a date style stop being one)
        pending = _DateStyle(order, current, self._column_style(col), with_time, raw)
        self._date_styles.append(pending)
        _set(cell.attrs, b"s", pending)

    def _cell_bytes(self, cell: _Cell) -> list:
        """The cell's XML as pieces (bytes, and a _DateStyle where its s is still open)."""
        grammar = self.grammar
        pieces: list = []
        text = grammar.c_open
        for name, raw in cell.attrs:
            if isinstance(raw, _DateStyle):
                pieces.append(text)
                pieces.append(raw)
                text = b""
            else:
                text += b" " + name + b"=" + raw
        if cell.children:
            text += b">" + b"".join(child[2] for child in cell.children) + grammar.c_close
        else:
            text += b"/>"
        pieces.append(text)
        return pieces

    # -- the result ------------------------------------------------------------------

    def finish(self) -> bytes:
        """Choose the date styles still open (in the order of the changes), fix the dimension, join the bytes."""
        for pending in sorted(self._date_styles, key=lambda p: p.order):
            pending.decide(self.styles)
        self._grow_dimension()
        head, _, tail = serialise(self.root).partition(_MARKER_BYTES)
        out, self._out = self._out, []
        if self._date_styles:
            out = [piece if type(piece) is bytes else piece.render() for piece in out]
        out.insert(0, head)
        out.append(tail)
        return b"".join(out)

    def _grow_dimension(self) -> None:
        if not self._grown:
            return
        low_row, low_col, high_row, high_col = self._grown
        grow_dimension(self.root.find(self._q("dimension")), self._was_empty, [low_row, high_row], [low_col, high_col])


def _join_attrs(pairs: list[list]) -> bytes:
    return b"".join(b" " + name + b"=" + raw for name, raw in pairs)
