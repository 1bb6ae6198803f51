"""What a value becomes in a worksheet's <c> element: the decisions both sheet patchers make here.

The tree patcher (patch.py) builds lxml elements and the streaming patcher
(stream.py) builds bytes, but what goes into a cell is decided once, here:
its type attribute, whether it holds inline text (<is><t>, never the shared
string table, so no other part changes) or a <v> number, how a number, date
or boolean is spelled, which style a dated cell takes, which cells a merged
range hides, and what clearing a cell removes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import NamedTuple

from lxml import etree

from ...a1 import range_to_bounds
from ...errors import WriteError
from ...i18n import _
from ...raw import MAX_CELL_TEXT, CellValue
from ...serials import to_excel_serial
from .styles import StylesPatcher

STRING, BOOL, NUMBER, DATE = range(4)
TYPE_ATTRIBUTE = {STRING: "inlineStr", BOOL: "b"}  # a number or date has none
CLEARED_CHILDREN = ("f", "v", "is")  # clearing keeps the style and any extLst
CLEARED_ATTRIBUTES = ("t", "cm", "vm")  # type, dynamic-array and rich-value metadata belong to the old value
# Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text that Excel would read as an _xHHHH_ escape gets its underscore escaped (_x005F_).
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(value: str) -> str:
    """A string as a cell can hold it: no XML-illegal characters, within Excel's limit, escapes kept literal.

    Computed text arrives already fitted (raw.writable); the cut here only guards other callers, and comes
    before escaping so that an escape is never split.
    """
    text = _ILLEGAL_XML.sub("", value)[:MAX_CELL_TEXT]
    return _LOOKS_ESCAPED.sub(r"_x005F_\1", text)


class CellContent(NamedTuple):
    """What a written cell holds: its kind, the text of its <t> (STRING) or <v>, and whether a date has a time."""

    kind: int
    text: str
    with_time: bool = False


def cell_content(value: CellValue, date1904: bool) -> CellContent | None:
    """What `value` becomes in a cell (None: the cell is cleared).

    WriteError, without the cell's address, for a value no spreadsheet can store.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return CellContent(STRING, cell_text(value))
    if isinstance(value, bool):
        return CellContent(BOOL, "1" if value else "0")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise WriteError(_("{value} is not a number a spreadsheet can store.", value=repr(value)))
        return CellContent(NUMBER, repr(value))
    if isinstance(value, int):
        return CellContent(NUMBER, str(value))
    if isinstance(value, dt.date):
        return CellContent(DATE, repr(to_excel_serial(value, date1904)), isinstance(value, dt.datetime))
    raise WriteError(_("cannot write a {kind} ({value}) to a cell.", kind=type(value).__name__, value=repr(value)))


def date_style(styles: StylesPatcher, current: int, column_style: int | None, with_time: bool) -> int | None:
    """The style a cell styled `current` takes so a date shows as one; None keeps its own.

    A date style stays; else the column's style when that shows dates; else one
    that looks like the cell's own (font, fill, border) with a date format.
    """
    if styles.is_date(current):
        return None
    if column_style is not None and styles.is_date(column_style):
        return column_style
    return styles.date_style_like(current, with_time)


class SheetLayout:
    """What a worksheet says about its cells beyond their values: merged ranges and column styles."""

    def __init__(self, root: etree._Element, q: Callable[[str], str]) -> None:
        self.merged = [range_to_bounds(m.get("ref", "A1")) for m in root.iter(q("mergeCell"))]
        self._column_styles = [
            (int(col.get("min", "0")), int(col.get("max", "0")), int(col.get("style")))
            for col in root.iterfind(f"{q('cols')}/{q('col')}")
            if col.get("style") is not None
        ]
        self._column_style_cache: dict[int, int | None] = {}

    def hidden_by_merge(self, row: int, col: int) -> bool:
        """Whether the cell lies inside a merged range without being its anchor (only the anchor shows a value)."""
        return any(r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1) for r1, c1, r2, c2 in self.merged)

    def column_style(self, col: int) -> int | None:
        """The style the column gives a new cell (its <col style>), if any."""
        try:
            return self._column_style_cache[col]
        except KeyError:
            style = next((s for low, high, s in self._column_styles if low <= col <= high), None)
            self._column_style_cache[col] = style
            return style
