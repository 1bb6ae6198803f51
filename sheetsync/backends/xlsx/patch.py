"""Patch one sheet's XML as an lxml tree: the general path, for any well-formed sheet.

The writer (write.py) streams ordinary sheets (stream.py) and falls back to
this patcher for anything unusual; both give the same XML, deciding each cell
through cell_rules.py. Why not openpyxl:
loading and saving through its object model drops what it does not model
(images, charts, form-control buttons, some VBA parts); lxml keeps the namespace
prefixes that mc:Ignorable refers to.
"""

from __future__ import annotations

import bisect

from lxml import etree

from ...a1 import range_to_bounds, rowcol_to_a1
from ...errors import WriteError
from ...raw import CellValue
from .cell_rules import (
    CLEARED_ATTRIBUTES,
    CLEARED_CHILDREN,
    DATE,
    NUMBER,
    STRING,
    TYPE_ATTRIBUTE,
    SheetLayout,
    cell_content,
    date_style,
)
from .package import serialise
from .read import split_ref
from .styles import StylesPatcher

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


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
        self.layout = SheetLayout(self.root, self._q)
        self._cleared_children = {self._q(tag) for tag in CLEARED_CHILDREN}

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

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
            elif (col_style := self.layout.column_style(col)) is not None:
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
            if child.tag not in self._cleared_children:
                continue
            if child.tag == self._q("f"):
                if child.get("t") == "shared" and child.get("ref") and child.text:
                    self._orphaned_masters[child.get("si", "")] = (child.text, row, col)
                self.removed_formulas.add((row, col))
            cell.remove(child)
        for attribute in CLEARED_ATTRIBUTES:
            cell.attrib.pop(attribute, None)

    def set(self, row: int, col: int, value: CellValue) -> bool:
        """Write one cell; False when it is hidden inside a merged range (only the anchor shows a value)."""
        if self.layout.hidden_by_merge(row, col):
            return False
        cell = self._cell(row, col, create=value is not None)
        if cell is None:
            return True  # clearing a cell that does not exist
        self._clear(cell, row, col)
        self.changed = True
        if value is None:
            return True
        self._grown.append((row, col))
        try:
            content = cell_content(value, self.date1904)
        except WriteError as exc:
            raise WriteError(f"{rowcol_to_a1(row, col)}: {exc}") from None
        assert content is not None
        kind = content.kind
        if kind in TYPE_ATTRIBUTE:
            cell.set("t", TYPE_ATTRIBUTE[kind])
        if kind == STRING:
            inline = etree.Element(self._q("is"))
            text = etree.SubElement(inline, self._q("t"))
            text.text = content.text
            text.set(XML_SPACE, "preserve")
            cell.insert(0, inline)
            return True
        if kind == DATE:
            # a date needs a date number format to show as one; the cell's look stays otherwise
            style = date_style(self.styles, int(cell.get("s", "0")), self.layout.column_style(col), content.with_time)
            if style is not None:
                cell.set("s", str(style))
        elif kind == NUMBER:
            style = number_style(self.styles, int(cell.get("s", "0")))
            if style is not None:
                cell.set("s", str(style))
        v = etree.Element(self._q("v"))
        v.text = content.text
        cell.insert(0, v)
        return True

    def rewrite_colour_rule(self, key: object, formula: str) -> None:
        """Give the conditional-format rule read as ``key`` (block, rule) the formula (with '=') of a ColourFix."""
        block, index = key  # type: ignore[misc]
        formats = self.root.findall(self._q("conditionalFormatting"))
        rules = list(formats[block].iterchildren(self._q("cfRule"))) if block < len(formats) else []
        if index >= len(rules) or len(rules[index].findall(self._q("formula"))) != 1:
            raise WriteError(f"conditional format {block + 1} has no rule {index + 1} to recolour")
        element = rules[index].find(self._q("formula"))
        if element.text != formula[1:]:
            element.text = formula[1:]
            self.changed = True

    def add_colour_rule(self, formula: str, ranges: tuple[tuple[int, int, int, int], ...], dxf: int) -> None:
        """Add a formula rule (with '=') colouring ``ranges`` with differential format ``dxf``, applied last."""
        sqref = " ".join(f"{rowcol_to_a1(r1, c1)}:{rowcol_to_a1(r2, c2)}" for r1, c1, r2, c2 in ranges)
        formats = self.root.findall(self._q("conditionalFormatting"))
        if not formats:
            raise WriteError("no conditional format to add a flag colour beside")
        block = next((f for f in formats if f.get("sqref") == sqref), None)
        if block is None:
            block = etree.Element(self._q("conditionalFormatting"), sqref=sqref)
            formats[-1].addnext(block)
        priorities = [int(r.get("priority", "0")) for f in formats for r in f.iterchildren(self._q("cfRule"))]
        rule = etree.SubElement(
            block, self._q("cfRule"), type="expression", dxfId=str(dxf), priority=str(max(priorities, default=0) + 1)
        )
        etree.SubElement(rule, self._q("formula")).text = formula[1:]
        self.changed = True

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


def number_style(styles: StylesPatcher, current: int) -> int | None:
    """The style a cell styled `current` takes so a number shows as one; None keeps its own (both patchers)."""
    return styles.number_style_like(current)


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
