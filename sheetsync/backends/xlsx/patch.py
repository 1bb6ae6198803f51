"""Patch one sheet's XML as an lxml tree: the general path, for any well-formed sheet.

The writer (xlsx_write.py) streams ordinary sheets (xlsx_stream.py) and falls back
to this patcher for anything unusual; both give the same XML. Why not openpyxl:
loading and saving through its object model drops what it does not model
(images, charts, form-control buttons, some VBA parts); lxml keeps the namespace
prefixes that mc:Ignorable refers to.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import math
import re

from lxml import etree

from ...a1 import range_to_bounds, rowcol_to_a1
from ...errors import WriteError
from ...raw import CellValue
from .read import BUILTIN_DATE_FORMATS, is_date_format, split_ref, to_excel_serial

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_CELL_TEXT = 32767  # Excel's limit on characters in one cell
# Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text that Excel would read as an _xHHHH_ escape gets its underscore escaped (_x005F_).
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def serialise(root: etree._Element) -> bytes:
    """XML bytes with the declaration Excel itself writes (double quotes, standalone)."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def cell_text(value: str) -> str:
    """A string as a cell can hold it: no XML-illegal characters, escapes kept literal, within Excel's limit."""
    text = _ILLEGAL_XML.sub("", value)
    text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    return text[:MAX_CELL_TEXT]


class StylesPatcher:
    """The cell formats of styles.xml, able to add a date format that looks like an existing one."""

    def __init__(self, xml: bytes | None) -> None:
        self.changed = False
        self.root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True)) if xml else None
        if self.root is None:
            self.ns = ""
            self.xfs: list[etree._Element] = []
            self.formats: dict[int, str] = {}
            return
        self.ns = etree.QName(self.root).namespace or ""
        cell_xfs = self.root.find(self._q("cellXfs"))
        self.xfs = list(cell_xfs) if cell_xfs is not None else []
        self.formats = {
            int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
            for fmt in self.root.iterfind(f"{self._q('numFmts')}/{self._q('numFmt')}")
        }

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def is_date(self, style: int) -> bool:
        """Whether cellXfs entry `style` shows its number as a date."""
        if not 0 <= style < len(self.xfs):
            return False
        fmt_id = int(self.xfs[style].get("numFmtId", "0"))
        if fmt_id in self.formats:
            return is_date_format(self.formats[fmt_id])
        return fmt_id in BUILTIN_DATE_FORMATS

    def _format_id(self, code: str) -> int:
        for fmt_id, existing in self.formats.items():
            if existing.lower() == code:
                return fmt_id
        fmt_id = max([163, *self.formats]) + 1  # ids below 164 are reserved for built-in formats
        assert self.root is not None
        num_fmts = self.root.find(self._q("numFmts"))
        if num_fmts is None:
            num_fmts = etree.Element(self._q("numFmts"))
            self.root.insert(0, num_fmts)  # numFmts is the first child of styleSheet
        etree.SubElement(num_fmts, self._q("numFmt"), numFmtId=str(fmt_id), formatCode=code)
        num_fmts.set("count", str(len(num_fmts)))
        self.formats[fmt_id] = code
        self.changed = True
        return fmt_id

    def date_style_like(self, style: int, with_time: bool) -> int | None:
        """A cellXfs index that looks like `style` (font, fill, border) but shows a date; added if needed."""
        if self.root is None or not self.xfs:
            return None
        if self.is_date(style):
            return style
        base = self.xfs[style] if 0 <= style < len(self.xfs) else self.xfs[0]
        wanted = copy.deepcopy(base)
        wanted.set("numFmtId", str(self._format_id(DATETIME_FORMAT if with_time else DATE_FORMAT)))
        wanted.set("applyNumberFormat", "1")
        key = etree.tostring(wanted, method="c14n")
        for index, xf in enumerate(self.xfs):
            if etree.tostring(xf, method="c14n") == key:
                return index
        cell_xfs = self.root.find(self._q("cellXfs"))
        assert cell_xfs is not None
        cell_xfs.append(wanted)
        cell_xfs.set("count", str(len(cell_xfs)))
        self.xfs.append(wanted)
        self.changed = True
        return len(self.xfs) - 1

    def to_bytes(self) -> bytes:
        assert self.root is not None
        return serialise(self.root)


class SheetPatcher:
    """One worksheet's XML tree with cells found or inserted in sorted order and values replaced."""

    def __init__(self, xml: bytes, styles: StylesPatcher, date1904: bool) -> None:
        self.root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))
        self.ns = etree.QName(self.root).namespace or ""
        self.styles = styles
        self.date1904 = date1904
        self.changed = False
        self.removed_formulas: set[tuple[int, int]] = set()
        self._orphaned_masters: dict[str, tuple[str, int, int]] = {}  # shared formula si → (text, row, col)
        self._grown: list[tuple[int, int]] = []
        sheet_data = self.root.find(self._q("sheetData"))
        if sheet_data is None:
            sheet_data = etree.SubElement(self.root, self._q("sheetData"))
        self.sheet_data = sheet_data
        self._rows: dict[int, etree._Element] = {}
        last = 0
        for row in sheet_data.iterchildren(self._q("row")):
            last = int(row.get("r") or last + 1)
            row.set("r", str(last))  # make implicit positions explicit before inserting anything
            self._rows[last] = row
        self._row_keys = sorted(self._rows)
        self._was_empty = not self._rows
        self._cells: dict[int, tuple[dict[int, etree._Element], list[int]]] = {}
        self.merged = [range_to_bounds(m.get("ref", "A1")) for m in self.root.iter(self._q("mergeCell"))]
        self._column_styles = [
            (int(col.get("min", "0")), int(col.get("max", "0")), int(col.get("style")))
            for col in self.root.iterfind(f"{self._q('cols')}/{self._q('col')}")
            if col.get("style") is not None
        ]

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def _is_hidden_by_merge(self, row: int, col: int) -> bool:
        return any(r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1) for r1, c1, r2, c2 in self.merged)

    def _column_style(self, col: int) -> int | None:
        for low, high, style in self._column_styles:
            if low <= col <= high:
                return style
        return None

    def _row(self, row: int) -> etree._Element:
        element = self._rows.get(row)
        if element is None:
            element = etree.Element(self._q("row"), r=str(row))
            position = bisect.bisect(self._row_keys, row)
            if position < len(self._row_keys):
                self._rows[self._row_keys[position]].addprevious(element)
            else:
                self.sheet_data.append(element)
            self._row_keys.insert(position, row)
            self._rows[row] = element
        return element

    def _row_cells(self, row: int, row_element: etree._Element) -> tuple[dict[int, etree._Element], list[int]]:
        if row not in self._cells:
            cells: dict[int, etree._Element] = {}
            last = 0
            for cell in row_element.iterchildren(self._q("c")):
                ref = cell.get("r")
                last = split_ref(ref)[1] if ref else last + 1
                cell.set("r", rowcol_to_a1(row, last))
                cells[last] = cell
            self._cells[row] = (cells, sorted(cells))
        return self._cells[row]

    def _cell(self, row: int, col: int, create: bool) -> etree._Element | None:
        row_element = self._rows.get(row) if not create else self._row(row)
        if row_element is None:
            return None
        cells, keys = self._row_cells(row, row_element)
        cell = cells.get(col)
        if cell is None and create:
            cell = etree.Element(self._q("c"), r=rowcol_to_a1(row, col))
            if row_element.get("customFormat") in ("1", "true") and row_element.get("s"):
                cell.set("s", row_element.get("s"))  # a new cell takes its row's format, as Excel does
            elif (col_style := self._column_style(col)) is not None:
                cell.set("s", str(col_style))  # ...or its column's
            position = bisect.bisect(keys, col)
            if position < len(keys):
                cells[keys[position]].addprevious(cell)
            else:
                ext = row_element.find(self._q("extLst"))
                if ext is not None:
                    ext.addprevious(cell)
                else:
                    row_element.append(cell)
            keys.insert(position, col)
            cells[col] = cell
            self._widen_spans(row_element, keys)
        return cell

    @staticmethod
    def _widen_spans(row_element: etree._Element, keys: list[int]) -> None:
        if row_element.get("spans") and keys:
            low, _, high = row_element.get("spans", "").split(" ")[0].partition(":")
            try:
                row_element.set("spans", f"{min(int(low), keys[0])}:{max(int(high or low), keys[-1])}")
            except ValueError:
                del row_element.attrib["spans"]

    def _clear(self, cell: etree._Element, row: int, col: int) -> None:
        """Drop the formula and value, keep the style: the cell as if its content were deleted."""
        for child in list(cell):
            tag = child.tag
            if tag == self._q("f"):
                if child.get("t") == "shared" and child.get("ref") and child.text:
                    self._orphaned_masters[child.get("si", "")] = (child.text, row, col)
                self.removed_formulas.add((row, col))
                cell.remove(child)
            elif tag in (self._q("v"), self._q("is")):
                cell.remove(child)
        for attribute in ("t", "cm", "vm"):  # type, dynamic-array and rich-value metadata belong to the old value
            cell.attrib.pop(attribute, None)

    def set(self, row: int, col: int, value: CellValue) -> bool:
        """Write one cell; False when it is hidden inside a merged range (only the anchor shows a value)."""
        if self._is_hidden_by_merge(row, col):
            return False
        cell = self._cell(row, col, create=value is not None)
        if cell is None:
            return True  # clearing a cell that does not exist
        self._clear(cell, row, col)
        self.changed = True
        if value is None:
            return True
        self._grown.append((row, col))
        if isinstance(value, str):
            cell.set("t", "inlineStr")
            inline = etree.Element(self._q("is"))
            text = etree.SubElement(inline, self._q("t"))
            text.text = cell_text(value)
            text.set(XML_SPACE, "preserve")
            cell.insert(0, inline)
            return True
        if isinstance(value, bool):
            cell.set("t", "b")
            number = "1" if value else "0"
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                raise WriteError(f"{rowcol_to_a1(row, col)}: {value!r} is not a number a spreadsheet can store.")
            number = repr(value) if isinstance(value, float) else str(value)
        elif isinstance(value, dt.date):
            number = repr(to_excel_serial(value, self.date1904))
            self._give_date_style(cell, col, isinstance(value, dt.datetime))
        else:
            raise WriteError(f"{rowcol_to_a1(row, col)}: cannot write a {type(value).__name__} ({value!r}) to a cell.")
        v = etree.Element(self._q("v"))
        v.text = number
        cell.insert(0, v)
        return True

    def _give_date_style(self, cell: etree._Element, col: int, with_time: bool) -> None:
        """A date needs a date number format to show as one; keep the cell's look otherwise."""
        current = int(cell.get("s", "0"))
        if self.styles.is_date(current):
            return
        column = self._column_style(col)
        style = column if column is not None and self.styles.is_date(column) else None
        if style is None:
            style = self.styles.date_style_like(current, with_time)
        if style is not None:
            cell.set("s", str(style))

    def finish(self) -> bytes:
        """Promote a new master for shared formulas whose master was overwritten, fix the dimension, serialise."""
        self._promote_shared_masters()
        self._grow_dimension()
        return serialise(self.root)

    def _promote_shared_masters(self) -> None:
        for si, (text, row, col) in self._orphaned_masters.items():
            dependents = [f for f in self.sheet_data.iter(self._q("f")) if f.get("t") == "shared" and f.get("si") == si]
            if not dependents:
                continue
            from openpyxl.formula.translate import Translator

            translator = Translator("=" + text, rowcol_to_a1(row, col))
            positions = [split_ref(f.getparent().get("r")) for f in dependents]
            first = dependents[0]
            first.text = translator.translate_formula(rowcol_to_a1(*positions[0]))[1:]
            rows = [r for r, _ in positions]
            cols = [c for _, c in positions]
            first.set("ref", f"{rowcol_to_a1(min(rows), min(cols))}:{rowcol_to_a1(max(rows), max(cols))}")

    def _grow_dimension(self) -> None:
        grow_dimension(
            self.root.find(self._q("dimension")),
            self._was_empty,
            [r for r, _ in self._grown],
            [c for _, c in self._grown],
        )


def grow_dimension(dimension: etree._Element | None, was_empty: bool, rows: list[int], cols: list[int]) -> None:
    """Widen a sheet's <dimension ref> to cover cells written at (rows, cols); both patchers use it."""
    if dimension is None or not rows:
        return
    try:
        r1, c1, r2, c2 = range_to_bounds(dimension.get("ref", "A1"))
    except ValueError:
        return
    if was_empty:
        r1 = c1 = r2 = c2 = 0  # an empty sheet says "A1" although it has no used range yet
    rows = rows + ([r1, r2] if r1 else [])
    cols = cols + ([c1, c2] if c1 else [])
    first, last = rowcol_to_a1(min(rows), min(cols)), rowcol_to_a1(max(rows), max(cols))
    ref = first if first == last else f"{first}:{last}"
    if ref != dimension.get("ref"):
        dimension.set("ref", ref)
