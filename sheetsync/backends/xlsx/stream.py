"""Patch a sheet's XML while streaming it: untouched rows are copied as they are, changed rows rebuilt.

Holding a 20,000-row sheet as an lxml tree (SheetPatcher) costs hundreds of MB and
seconds; streaming keeps a sync's memory close to a bare openpyxl load and gives the
same result. After one well-formedness check (libxml2 with a parser target that keeps
nothing) it walks the <row> elements of sheetData as bytes, copies every row no change
touches, and rebuilds only the cells that change and the rows they sit in. Whatever it
does not expect (comments, CDATA, processing instructions, namespace declarations
inside sheetData, rows or cells out of order, text inside a cell it must change, a
shared formula's master overwritten, a value it cannot write...) raises NotStreamable
before anything is decided, and the tree patcher does that sheet instead, so the
result never depends on which one ran.

This module is the driver (which rows and cells the changes touch, and in what
order); stream_grammar.py is the byte grammar of rows and cells it works in,
and cell_rules.py decides what each cell becomes, as it does for the tree patcher.
One job needs the rest of its length: every way a row or cell can fall outside
what streaming may touch is checked here, before a byte is decided.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import WriteError
from ...raw import CellChange, CellValue
from .cell_rules import (
    BOOL,
    CLEARED_ATTRIBUTES,
    CLEARED_CHILDREN,
    DATE,
    NUMBER,
    STRING,
    TYPE_ATTRIBUTE,
    SheetLayout,
    cell_content,
)
from .package import serialise
from .patch import grow_dimension, number_style
from .stream_grammar import (
    ATTR,
    MARKER_BYTES,
    Cell,
    DateStyle,
    NotStreamable,
    attr_int,
    attr_value,
    column_of,
    escape_text,
    get_attr,
    letters_of,
    row_cell_style,
    row_number,
    set_attr,
    split_sheet,
    widen_spans,
)
from .styles import StylesPatcher


class NumberStyle(DateStyle):
    """The s of a date-styled cell given a number: decided in finish() with the date styles, in the order of the
    changes, so both patchers add the same styles in the same order (patch.number_style). `after`: the style
    still open from an earlier change to the same cell (a date, then a number), decided before this one."""

    __slots__ = ("after",)

    def __init__(self, order: int, current: int, original: bytes | None, after: DateStyle | None = None) -> None:
        super().__init__(order, current, None, False, original)
        self.after = after

    def decide(self, styles: StylesPatcher) -> None:
        before = self.after
        current = self.current if before is None else (before.chosen if before.chosen is not None else before.current)
        self.chosen = number_style(styles, current)
        if self.chosen is None and before is not None:
            self.chosen = before.chosen


_COL_LIMIT = 1 << 20  # change keys are row * _COL_LIMIT + col
_TYPE = {kind: b'"' + name.encode() + b'"' for kind, name in TYPE_ATTRIBUTE.items()}  # the quoted t of a written cell
_CLEARED_CHILDREN = frozenset(tag.encode() for tag in CLEARED_CHILDREN)
_CLEARED_ATTRIBUTES = tuple(name.encode() for name in CLEARED_ATTRIBUTES)


class StreamingSheetPatcher:
    """SheetPatcher's result for one worksheet, without ever holding the sheet as a tree."""

    def __init__(self, xml: bytes, styles: StylesPatcher, date1904: bool) -> None:
        self.styles = styles
        self.date1904 = date1904
        self.changed = False
        self.removed_formulas: set[tuple[int, int]] = set()
        self._date_styles: list[DateStyle] = []
        self._grown: list[int] = []  # min row, min col, max row, max col of the cells written
        split = split_sheet(xml)
        self.grammar, self.xml, self.rows_start, self.rows_end = split.grammar, xml, split.rows_start, split.rows_end
        self.root, self.ns = split.root, split.ns
        self.layout = SheetLayout(self.root, self._q)

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    # -- the changes -----------------------------------------------------------------

    def apply(self, changes: Sequence[CellChange]) -> None:
        """Make all the changes (in their order where they meet the same cell)."""
        self._values = [change.value for change in changes]
        keys = []
        for change in changes:
            row, col = change.row, change.col
            if row < 1 or not 1 <= col < _COL_LIMIT:
                raise NotStreamable
            keys.append(row * _COL_LIMIT + col)
        kept: Sequence[int] = range(len(changes))
        if self.layout.merged:
            kept = [i for i in kept if not self.layout.hidden_by_merge(changes[i].row, changes[i].col)]
        self._keys = keys
        self._order = sorted(kept, key=keys.__getitem__)  # by row and column; a cell's changes stay in order
        self._next = 0
        self._payloads: dict[tuple[type, CellValue], tuple] = {}
        self._layouts: dict[bytes, tuple[int, int, bool]] = {}
        self._date_styled: dict[bytes, bool] = {}
        self._stream()
        del self.xml, self._values, self._keys, self._order, self._payloads, self._layouts, self._date_styled

    def _payload(self, value: CellValue) -> tuple | None:
        """A value as (kind, bytes, with_time) for its cell; one the tree patcher refuses is not streamed."""
        if value is None:
            return None
        key = (value.__class__, value)  # a big book writes the same flag, date or number thousands of times
        payload = self._payloads.get(key)
        if payload is not None:
            return payload
        if isinstance(value, str):
            content = cell_content(value, self.date1904)
            payload = self._payloads[key] = (STRING, escape_text(content.text), False)
            return payload
        try:
            content = cell_content(value, self.date1904)
        except WriteError:
            raise NotStreamable from None  # the tree patcher reports it with the cell's address
        payload = self._payloads[key] = (content.kind, content.text.encode(), content.with_time)
        return payload

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
                n, renumbered_attrs = row_number(attrs, last)
                renumbered = renumbered_attrs is not None
                if renumbered_attrs is not None:
                    attrs = renumbered_attrs
            if n <= last:
                raise NotStreamable  # rows out of order: where a new row goes would differ
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
            raise NotStreamable  # something other than rows in sheetData
        out.append(xml[copied:end])
        while next_wanted:
            out.extend(self._new_row(next_wanted, self._take_row(next_wanted)))
            next_wanted = self._next_row()
        self._out = out
        self._was_empty = not any_rows


    # -- one row ---------------------------------------------------------------------

    def _pieces(self, pieces: list) -> list:
        """A row's pieces joined into one, unless a date style is still open in it."""
        if self._date_styles and any(isinstance(piece, DateStyle) for piece in pieces):
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
                cols_of = [column_of(name) for name in letters]
                ascending = all(a < b for a, b in zip(cols_of, cols_of[1:], strict=False))
                layout = self._layouts[key] = (cols_of[0] if cols_of else 0, cols_of[-1] if cols_of else 0, ascending)
            first_col, last_col, ascending = layout
            if ascending and cols[0][0] > last_col:
                row_style = row_cell_style(attrs)
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
                    pieces[1] = widen_spans(attrs, first_col or low, high)
                pieces.append(grammar.row_close)
                return self._pieces(pieces)
        existing, dirty, (before_ext, ext, after_ext) = grammar.row_cells(body, n)
        before: dict[int, list] = {}  # index of an existing cell → new cells that go just before it
        row_style: bytes | None = None
        low = high = 0
        i, count = 0, len(existing)
        for col, orders in cols:
            while i < count and existing[i][0] < col:
                i += 1
            if i < count and existing[i][0] == col:
                entry = existing[i]
                entry[2] = self.grammar.cell_pieces(self._existing_cell(entry[2], n, col, orders))
                dirty = True
                continue
            if row_style is None:
                row_style = row_cell_style(attrs)
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
            attrs = widen_spans(attrs, low, high)
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

    # -- one cell --------------------------------------------------------------------

    def _existing_cell(self, cell: bytes, row: int, col: int, orders: list[int]) -> Cell:
        """A cell of the sheet with its changes made."""
        model = self.grammar.parse_cell(cell)
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
        if style is None and (col_style := self.layout.column_style(col)) is not None:
            style = b'"%d"' % col_style
        grammar = self.grammar
        if first == len(orders) - 1:  # one value: the cell is written straight away
            order = orders[first]
            payload = self._payload(values[order])
            assert payload is not None
            kind = payload[0]
            # a date in a date-styled cell keeps its style (SheetPatcher._give_date_style does nothing), and a
            # number in one not so styled needs none: both are written as they are, like text
            date_styled = style is not None and kind != STRING and self._date_style(style)
            if kind == DATE and date_styled or kind != DATE and not (kind == NUMBER and date_styled):
                self.changed = True
                self._grow(row, col)
                head = grammar.c_open + b' r="' + letters_of(col) + b"%d" % row
                head += b'"' if style is None else b'" s=' + style
                if kind == STRING:
                    return [
                        head + b" t=" + _TYPE[STRING] + b">" + grammar.is_open + payload[1] + grammar.is_close
                        + grammar.c_close
                    ]
                if kind == BOOL:
                    head += b" t=" + _TYPE[BOOL]
                return [head + b">" + grammar.v_open + payload[1] + grammar.v_close + grammar.c_close]
        attrs = [[b"r", b'"' + letters_of(col) + b"%d" % row + b'"']]
        if style is not None:
            attrs.append([b"s", style])  # a new cell takes its row's format, as Excel does, or its column's
        model = Cell(attrs, [])
        for order in orders[first:]:
            self._set_cell(model, row, col, order, self._payload(values[order]))
        return self.grammar.cell_pieces(model)

    def _date_style(self, style: bytes) -> bool:
        """Whether the quoted s shows dates (asked for every new date or number cell: remembered per style)."""
        shows = self._date_styled.get(style)
        if shows is None:
            shows = self._date_styled[style] = self.styles.is_date(attr_int(style))
        return shows

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

    def _set_cell(self, cell: Cell, row: int, col: int, order: int, payload: tuple | None) -> None:
        """SheetPatcher.set on one cell: clear it (keeping its style), then write the value."""
        kept = []
        for child in cell.children:
            tag = child[0]
            if tag == b"f":
                if child[3]:
                    pairs = ATTR.findall(child[1])
                    kind = next((raw for name, raw in pairs if name == b"t"), None)
                    ref = next((raw for name, raw in pairs if name == b"ref"), None)
                    if kind is not None and attr_value(kind) == b"shared" and ref is not None and ref[1:-1]:
                        raise NotStreamable  # the master of a shared formula: the tree patcher promotes a new one
                self.removed_formulas.add((row, col))
            elif tag not in _CLEARED_CHILDREN:
                kept.append(child)
        cell.children = kept
        cell.attrs = [pair for pair in cell.attrs if pair[0] not in _CLEARED_ATTRIBUTES]
        self.changed = True
        if payload is None:
            return
        self._grow(row, col)
        kind = payload[0]
        grammar = self.grammar
        if kind in _TYPE:
            cell.attrs.append([b"t", _TYPE[kind]])
        if kind == STRING:
            element = grammar.is_open + payload[1] + grammar.is_close
            cell.children.insert(0, (b"is", b"", element, element))
            return
        if kind == DATE:
            self._give_date_style(cell, col, order, payload[2])
        elif kind == NUMBER:
            self._give_number_style(cell, order)
        element = grammar.v_open + payload[1] + grammar.v_close
        cell.children.insert(0, (b"v", b"", element, payload[1]))

    def _give_date_style(self, cell: Cell, col: int, order: int, with_time: bool) -> None:
        """SheetPatcher._give_date_style, with a style still to be added left for finish() to choose."""
        raw = get_attr(cell.attrs, b"s")
        if isinstance(raw, NumberStyle):
            raise NotStreamable  # a number then a date in one cell: the tree patcher decides both as they come
        if isinstance(raw, DateStyle):
            return  # already given a date style by an earlier change
        current = attr_int(raw) if raw is not None else 0
        if self.styles.is_date(current):
            return  # (adding styles never makes a date style stop being one)
        pending = DateStyle(order, current, self.layout.column_style(col), with_time, raw)
        self._date_styles.append(pending)
        set_attr(cell.attrs, b"s", pending)

    def _give_number_style(self, cell: Cell, order: int) -> None:
        """SheetPatcher.set's General style for a number in a date-styled cell, left for finish() to choose."""
        raw = get_attr(cell.attrs, b"s")
        if isinstance(raw, DateStyle):  # an earlier change to this cell left its style open: decided after it
            pending = NumberStyle(order, raw.current, raw.original, after=raw)
        else:
            current = attr_int(raw) if raw is not None else 0
            if not self.styles.is_date(current):
                return
            pending = NumberStyle(order, current, raw)
        self._date_styles.append(pending)
        set_attr(cell.attrs, b"s", pending)

    # -- the result ------------------------------------------------------------------

    def finish(self) -> bytes:
        """Choose the date styles still open (in the order of the changes), fix the dimension, join the bytes."""
        for pending in sorted(self._date_styles, key=lambda p: p.order):
            pending.decide(self.styles)
        self._grow_dimension()
        head, _, tail = serialise(self.root).partition(MARKER_BYTES)
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

