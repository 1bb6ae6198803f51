"""Read an xlsx/xlsm package into a RawWorkbook in one streaming pass over its parts.

Why not openpyxl: load_workbook builds a full object model (a Cell object and a
style proxy per cell) that sheetsync never uses; streaming the sheet XML with
lxml.iterparse reads the same values several times faster. Date serials
(sheetsync/serials.py) and date formats (styles.py) are shared with the writer,
so both sides agree on what a date and a date style are; the zip package itself
is package.py.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from operator import itemgetter
from typing import IO

from lxml import etree

from ...a1 import column_index, range_to_bounds, rowcol_to_a1
from ...contract import SHEETS
from ...errors import TargetError
from ...i18n import _
from ...raw import CellValue, ColourRule, Formula, RawSheet, RawWorkbook, whole_number
from ...serials import EXCEL_1900, EXCEL_1904, from_excel_serial
from .fast_read import outside_rows, read_plain_sheet, unescape_text
from .package import PACKAGE_ERRORS, PartBudget, damaged, open_package, parse_part, read_workbook_map
from .styles import BUILTIN_DATE_FORMATS, is_date_format

_SAFE_XML_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)


def read_date_styles(zf: zipfile.ZipFile, part: str | None, budget: PartBudget | None = None) -> frozenset[int]:
    """Indexes of the cellXfs entries (a cell's s attribute) whose number format shows a date."""
    if part is None:
        return frozenset()
    root = parse_part(zf, part, budget)
    ns = etree.QName(root).namespace
    custom = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in root.iterfind(f"{{{ns}}}numFmts/{{{ns}}}numFmt")
    }
    dates = set()
    cell_xfs = root.find(f"{{{ns}}}cellXfs")
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
        fmt_id = int(xf.get("numFmtId", "0"))
        if fmt_id in custom:
            if is_date_format(custom[fmt_id]):
                dates.add(index)
        elif fmt_id in BUILTIN_DATE_FORMATS:
            dates.add(index)
    return frozenset(dates)


def _rich_text(elem: etree._Element, ns: str) -> str:
    """The visible text of a string item (<si> or <is>): plain <t> or rich-text runs, without phonetic hints."""
    t_tag, r_tag = f"{{{ns}}}t", f"{{{ns}}}r"
    parts = []
    for child in elem:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            for run_part in child:
                if run_part.tag == t_tag:
                    parts.append(run_part.text or "")
    return unescape_text("".join(parts))


def read_shared_strings(zf: zipfile.ZipFile, part: str | None, ns: str, budget: PartBudget | None = None) -> list[str]:
    """The shared string table, rich text flattened, streamed so big tables stay cheap."""
    if part is None:
        return []
    (budget or PartBudget(zf.filename or "the workbook")).check(zf, part, _("the shared strings"))
    strings = []
    with zf.open(part) as fh:
        items = etree.iterparse(fh, events=("end",), tag=f"{{{ns}}}si", resolve_entities=False, huge_tree=True)
        for _end, elem in items:
            strings.append(_rich_text(elem, ns))
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return strings


# --- one sheet ----------------------------------------------------------------

_column_cache: dict[str, int] = {}


def split_ref(ref: str) -> tuple[int, int]:
    """'AB12' → (12, 28), fast: this runs once per cell."""
    letters = ref.rstrip("0123456789")
    col = _column_cache.get(letters)
    if col is None:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        _column_cache[letters] = col
    return int(ref[len(letters) :]), col


def number_value(text: str) -> int | float:
    """A stored number as int when it is integral (Excel keeps only doubles), else float."""
    return whole_number(float(text))


def _iso_value(text: str) -> CellValue:
    try:
        moment = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError:
        return text
    return moment.date() if moment.time() == dt.time() else moment


class _SharedFormulas:
    """Formula text for the dependents of a shared formula, translated from its master cell."""

    def __init__(self) -> None:
        self._masters: dict[str, tuple[str, str]] = {}
        self._translators: dict[str, object] = {}

    def master(self, si: str, text: str, row: int, col: int) -> None:
        self._masters[si] = ("=" + text, rowcol_to_a1(row, col))
        self._translators.pop(si, None)

    def dependent(self, si: str, row: int, col: int) -> str:
        if si not in self._masters:
            return "="  # the master is missing: still a formula, text unknown
        translator = self._translators.get(si)
        if translator is None:
            from openpyxl.formula.translate import Translator  # only files with shared formulas pay for it

            translator = self._translators[si] = Translator(*self._masters[si])
        try:
            return translator.translate_formula(rowcol_to_a1(row, col))  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a formula openpyxl cannot tokenise keeps its master's text
            return self._masters[si][0]


def read_sheet(
    fh: IO[bytes],
    ns: str,
    shared_strings: list[str],
    date_styles: frozenset[int],
    date1904: bool,
) -> tuple[dict[tuple[int, int], CellValue | Formula], list[tuple[int, int, int, int]], list[ColourRule]]:
    """Stream one worksheet part: its non-empty cells, merged ranges and formula conditional formats.

    Events are taken per <row>, not per <c>: lxml's per-event cost dominates,
    and a row is small enough to walk in the tree before it is freed.
    """
    row_tag, c_tag, merge_tag = f"{{{ns}}}row", f"{{{ns}}}c", f"{{{ns}}}mergeCell"
    format_tag = f"{{{ns}}}conditionalFormatting"
    v_tag, f_tag, is_tag = f"{{{ns}}}v", f"{{{ns}}}f", f"{{{ns}}}is"
    cells: dict[tuple[int, int], CellValue | Formula] = {}
    merged: list[tuple[int, int, int, int]] = []
    rules: list[ColourRule] = []
    formats_seen = 0
    shared_formulas = _SharedFormulas()
    date_style_keys = {str(index) for index in date_styles}  # compare the s attribute without int()
    columns: dict[str, int] = {}
    row = 0
    tags = (row_tag, merge_tag, format_tag)
    parse = etree.iterparse(fh, events=("end",), tag=tags, resolve_entities=False, huge_tree=True)
    for _event, element in parse:
        if element.tag == format_tag:
            parent = element.getparent()
            if parent is not None and parent.getparent() is None:  # the writer counts the worksheet's own only
                rules += _colour_rules(element, ns, formats_seen)
                formats_seen += 1
            continue
        if element.tag == merge_tag:
            ref = element.get("ref")
            if ref:
                merged.append(range_to_bounds(ref))
            continue
        row_ref = element.get("r")
        row = int(row_ref) if row_ref else row + 1  # r is optional: a row without it follows the previous one
        col = 0
        for cell in element:
            if cell.tag != c_tag:
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = columns.get(letters) or columns.setdefault(letters, column_index(letters))
            else:
                col += 1
            kind = cell.get("t")
            v_text = formula = inline = None
            for child in cell:
                child_tag = child.tag
                if child_tag == v_tag:
                    v_text = child.text
                elif child_tag == f_tag:
                    formula = child
                elif child_tag == is_tag:
                    inline = child
            value: CellValue
            if kind == "inlineStr":
                value = _rich_text(inline, ns) if inline is not None else v_text
            elif v_text is None:
                value = None
            elif kind is None or kind == "n":
                if cell.get("s") in date_style_keys:
                    value = from_excel_serial(float(v_text), date1904) or number_value(v_text)
                else:
                    value = whole_number(float(v_text))
            elif kind == "s":
                value = shared_strings[int(v_text)]
            elif kind == "b":
                value = v_text.strip() in ("1", "true")
            elif kind == "d":
                value = _iso_value(v_text)
            else:  # str (a formula's text result), e (an error such as #N/A)
                value = unescape_text(v_text)
            if formula is not None:
                cells[(row, col)] = Formula(_formula_text(formula, shared_formulas, row, col), cached=value)
            elif value is not None:
                cells[(row, col)] = value
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return cells, merged, rules


def _colour_rules(element: etree._Element, ns: str, block: int) -> list[ColourRule]:
    """The formula rules of one <conditionalFormatting>, keyed (block, rule) in document order for the writer."""
    try:
        ranges = tuple(range_to_bounds(ref) for ref in (element.get("sqref") or "").split())
    except ValueError:
        return []
    rules = []
    for index, rule in enumerate(element.iterchildren(f"{{{ns}}}cfRule")):
        formulas = rule.findall(f"{{{ns}}}formula")
        if rule.get("type") == "expression" and len(formulas) == 1 and formulas[0].text:
            rules.append(ColourRule((block, index), "=" + formulas[0].text, ranges))
    return rules


def _formula_text(formula: etree._Element, shared: _SharedFormulas, row: int, col: int) -> str:
    """The formula of a cell with its '='; a shared formula's dependent gets its master's, moved to the cell."""
    text = formula.text
    si = formula.get("si")
    if formula.get("t") == "shared" and si is not None:
        if text:
            shared.master(si, text, row, col)
        else:
            return shared.dependent(si, row, col)
    return "=" + (text or "")


class PackageSheet(RawSheet):
    """A worksheet whose part is inflated the first time its cells are asked for.

    A sync reads only the contract sheets; a big sheet it does not use (a data dump, a pivot cache's
    source) is never decompressed. The package's compressed bytes are held, so a late read sees the
    same version of the file as the early ones.
    """

    def __init__(self, name: str, sheet_id: int, load: Callable[[], tuple[dict, list, list]]) -> None:
        self.name = name
        self.sheet_id = sheet_id
        self._load: Callable[[], tuple[dict, list, list]] | None = load
        self._cells: dict[tuple[int, int], CellValue | Formula] = {}
        self._merged: list[tuple[int, int, int, int]] = []
        self._colour_rules: list[ColourRule] = []

    def _extent(self) -> tuple[int, int]:
        """RawSheet._extent, counted in C: a header search asks for it on sheets of 200,000 cells."""
        cells = self.cells
        cached = self.__dict__.get("_extent_cache")
        if cached is None or cached[0] != len(cells):
            rows = max(cells)[0] if cells else 0  # (row, col) keys: the largest has the last row
            cols = max(map(itemgetter(1), cells), default=0)
            cached = self.__dict__["_extent_cache"] = (len(cells), rows, cols)
        return cached[1], cached[2]

    def load(self) -> None:
        """Inflate the part now, if that has not been done."""
        if self._load is not None:
            self._cells, self._merged, self._colour_rules = self._load()
            self._load = None

    @property  # type: ignore[override]
    def cells(self) -> dict[tuple[int, int], CellValue | Formula]:
        self.load()
        return self._cells

    @cells.setter
    def cells(self, value: dict[tuple[int, int], CellValue | Formula]) -> None:
        self.load()
        self._cells = value

    @property  # type: ignore[override]
    def merged(self) -> list[tuple[int, int, int, int]]:
        self.load()
        return self._merged

    @merged.setter
    def merged(self, value: list[tuple[int, int, int, int]]) -> None:
        self.load()
        self._merged = value

    @property  # type: ignore[override]
    def colour_rules(self) -> list[ColourRule]:
        self.load()
        return self._colour_rules

    @colour_rules.setter
    def colour_rules(self, value: list[ColourRule]) -> None:
        self.load()
        self._colour_rules = value


def read_workbook(path: str) -> RawWorkbook:
    """Every worksheet of the workbook at path, in tab order; sheets outside the contract are inflated when used."""
    with open_package(path) as zf:
        zf.close()
    with open(path, "rb") as fh:
        data = fh.read()  # compressed: the parts are inflated one by one, and only when needed
    zf = zipfile.ZipFile(io.BytesIO(data))
    zf.filename = path
    budget = PartBudget(path)
    try:
        book = read_workbook_map(zf, path)
        shared = read_shared_strings(zf, book.shared_strings_part, book.namespace, budget)
        date_styles = read_date_styles(zf, book.styles_part, budget)
    except TargetError:
        raise
    except (*PACKAGE_ERRORS, IndexError) as exc:
        raise damaged(path, exc) from exc

    rest = outside_rows(book.namespace, _colour_rules)

    def loader(title: str, part: str) -> Callable[[], tuple[dict, list, list]]:
        def load() -> tuple[dict, list, list]:
            try:
                budget.check(zf, part, _('the sheet "{title}"', title=title))
                xml = zf.read(part)
                plain = read_plain_sheet(xml, shared, date_styles, book.date1904, rest)
                if plain is not None:
                    return plain
                return read_sheet(io.BytesIO(xml), book.namespace, shared, date_styles, book.date1904)
            except TargetError:
                raise
            except (*PACKAGE_ERRORS, IndexError) as exc:
                raise damaged(path, exc) from exc

        return load

    sheets: dict[str, RawSheet] = {}
    for entry in book.sheets:
        sheet = sheets[entry.title] = PackageSheet(entry.title, entry.sheet_id, loader(entry.title, entry.part))
        if any(spec.matches(entry.title) for spec in SHEETS):
            sheet.load()  # a contract sheet is read now: a damaged one is reported before anything else
    return RawWorkbook(sheets=sheets, source=path, date_system=EXCEL_1904 if book.date1904 else EXCEL_1900)
