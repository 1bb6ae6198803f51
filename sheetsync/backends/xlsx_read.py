"""Read an xlsx/xlsm package into a RawWorkbook in one streaming pass over its parts.

Why not openpyxl: load_workbook builds a full object model (a Cell object and a
style proxy per cell) that sheetsync never uses; streaming the sheet XML with
lxml.iterparse reads the same values several times faster. The package helpers
here (opening, the sheet map, date serials, date formats) are shared with the
writer, so both sides agree on what a sheet, a date and a style are.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from lxml import etree

from ..a1 import column_index, range_to_bounds, rowcol_to_a1
from ..errors import TargetError
from ..table import CellValue, Formula, RawSheet, RawWorkbook

PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Transitional (what Excel writes by default) and Strict OOXML main namespaces.
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted xlsx is an OLE container holding these streams (MS-OFFCRYPTO 2.3.4).
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

# Built-in number formats that are dates or times (ECMA-376 Part 1, 18.8.30), plus
# the East Asian built-ins 27-36 and 50-58 that Chinese/Japanese Excel writes
# without declaring them in <numFmts>; all of them are date or time formats.
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(45, 48), *range(27, 37), *range(50, 59)])
_NOT_FORMAT_TOKENS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_TOKENS = re.compile(r"[ymdhs]", re.IGNORECASE)
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SAFE_XML_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MICROS_PER_DAY = 86_400_000_000
_MILLIS_PER_DAY = 86_400_000
_MAX_SERIAL = 2_958_465  # 9999-12-31
_EXACT_INT = 2.0**63  # integral doubles up to here convert to int exactly


def is_date_format(code: str) -> bool:
    """True when a number format code shows a date or time (y, m, d, h, s outside quotes, brackets, escapes)."""
    return bool(_DATE_TOKENS.search(_NOT_FORMAT_TOKENS.sub("", code)))


def from_excel_serial(serial: float, date1904: bool) -> dt.date | dt.datetime | None:
    """A date serial as Excel shows it: a date when it has no time part, else a datetime; None if out of range."""
    if not math.isfinite(serial) or serial < 0 or serial > _MAX_SERIAL:
        return None
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    if not date1904 and 1 <= serial < 60:
        # Lotus 1-2-3 compatibility: Excel counts a 29 Feb 1900 that never was,
        # so serials before it are one day later than the 1899-12-30 epoch says.
        epoch += dt.timedelta(days=1)
    days = math.floor(serial)
    # A double holds a serial to about a microsecond; Excel itself keeps milliseconds.
    millis = round((serial - days) * _MILLIS_PER_DAY)
    moment = epoch + dt.timedelta(days=days, milliseconds=millis)
    if millis % _MILLIS_PER_DAY == 0:
        return moment.date()
    return moment


def to_excel_serial(value: dt.date, date1904: bool) -> int | float:
    """A date (whole number) or datetime (with a fraction) as the serial Excel stores."""
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
    else:
        moment = dt.datetime(value.year, value.month, value.day)
    delta = moment - epoch
    days = delta.days
    if not date1904 and moment < dt.datetime(1900, 3, 1):
        days -= 1  # the same Lotus 1-2-3 leap-year bug, the other way round
    if delta.seconds == 0 and delta.microseconds == 0:
        return days
    return days + (delta.seconds * 1_000_000 + delta.microseconds) / _MICROS_PER_DAY


def unescape_text(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes (how it stores control characters in strings)."""
    if "_x" not in text:
        return text
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)


# --- the package ------------------------------------------------------------


def _describe_ole(path: str) -> str:
    name = os.path.basename(path)
    with open(path, "rb") as fh:
        data = fh.read()
    if any(marker in data for marker in _ENCRYPTED_MARKERS):
        return (
            f"{name} is password-protected (encrypted); remove the password in Excel "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and try again."
        )
    return f"{name} is an old-style Excel 97-2003 (.xls) file, not .xlsx/.xlsm; open it in Excel and save it as .xlsx."


def open_package(path: str) -> zipfile.ZipFile:
    """Open the workbook's zip package, translating every way it can fail into one TargetError line."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise TargetError(f"{path} does not exist; check the path and the file name.") from exc
    except IsADirectoryError as exc:
        raise TargetError(f"{path} is a folder, not a workbook; give the path of the .xlsx/.xlsm file.") from exc
    except OSError as exc:
        raise TargetError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from exc
    if head.startswith(OLE_MAGIC):
        raise TargetError(_describe_ole(path))
    if not head.startswith(b"PK"):
        raise TargetError(
            f"{name} is not an Excel workbook (.xlsx/.xlsm) but some other kind of file; "
            "open it in Excel and save it as .xlsx."
        )
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TargetError(f"{name} is damaged (not a readable zip package: {exc}); restore it from a backup.") from exc


def damaged(path: str, exc: BaseException) -> TargetError:
    """The TargetError for a package whose parts cannot be parsed."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return TargetError(f"{os.path.basename(path)} is damaged ({detail}); restore it from a backup.")


#: What parsing a damaged package can raise; callers turn these into TargetError.
PACKAGE_ERRORS = (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError)


def parse_part(zf: zipfile.ZipFile, part: str) -> etree._Element:
    """Parse one XML part with entity expansion off (a workbook is untrusted input)."""
    return etree.fromstring(zf.read(part), _SAFE_XML_PARSER)


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target as a zip member name, relative to the part that owns the .rels."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def rels_part_of(part: str) -> str:
    """xl/workbook.xml → xl/_rels/workbook.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def read_rels(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target) of a part's internal relationships; empty when it has none."""
    rels_name = rels_part_of(part)
    if rels_name not in zf.NameToInfo:
        return []
    rels = []
    for rel in parse_part(zf, rels_name).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        rels.append((rel.get("Id", ""), rel.get("Type", ""), resolve_target(part, rel.get("Target", ""))))
    return rels


@dataclass(frozen=True)
class SheetEntry:
    """One worksheet of the workbook: its tab title, sheetId and zip member."""

    title: str
    sheet_id: int
    part: str


@dataclass(frozen=True)
class WorkbookMap:
    """Where everything is inside the package: worksheets in tab order and the shared parts."""

    workbook_part: str
    namespace: str
    sheets: tuple[SheetEntry, ...]
    date1904: bool
    shared_strings_part: str | None
    styles_part: str | None
    calc_chain_part: str | None

    def sheet(self, title: str) -> SheetEntry | None:
        for entry in self.sheets:
            if entry.title == title:
                return entry
        return None


def read_workbook_map(zf: zipfile.ZipFile, path: str) -> WorkbookMap:
    """Find the workbook part via the package relationships and list its worksheets (not chart/dialog sheets)."""
    name = os.path.basename(path)
    office = [t for _, kind, t in read_rels(zf, "") if kind.endswith("/officeDocument")]
    if not office or office[0] not in zf.NameToInfo:
        raise TargetError(
            f"{name} is a zip file but not an Excel workbook (no workbook part); give an .xlsx/.xlsm file."
        )
    workbook_part = office[0]
    root = parse_part(zf, workbook_part)
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "workbook" or namespace not in MAIN_NAMESPACES:
        raise TargetError(
            f"{name} is an Office document but not an Excel workbook (maybe Word or PowerPoint); "
            "give an .xlsx/.xlsm file."
        )
    rels = read_rels(zf, workbook_part)
    by_id = {rid: (kind, target) for rid, kind, target in rels}

    def single(kind_suffix: str) -> str | None:
        hits = [t for _, kind, t in rels if kind.endswith(kind_suffix) and t in zf.NameToInfo]
        return hits[0] if hits else None

    sheets = []
    for sheet in root.iter(f"{{{namespace}}}sheet"):
        rid = next((v for k, v in sheet.attrib.items() if etree.QName(k).localname == "id" and "}" in k), None)
        kind, target = by_id.get(rid or "", ("", ""))
        if kind.endswith("/worksheet") and target in zf.NameToInfo:
            sheets.append(SheetEntry(sheet.get("name", ""), int(sheet.get("sheetId", "0")), target))
    props = root.find(f"{{{namespace}}}workbookPr")
    date1904 = props is not None and props.get("date1904", "0").lower() in ("1", "true")
    return WorkbookMap(
        workbook_part=workbook_part,
        namespace=namespace,
        sheets=tuple(sheets),
        date1904=date1904,
        shared_strings_part=single("/sharedStrings"),
        styles_part=single("/styles"),
        calc_chain_part=single("/calcChain"),
    )


def read_date_styles(zf: zipfile.ZipFile, part: str | None) -> frozenset[int]:
    """Indexes of the cellXfs entries (a cell's s attribute) whose number format shows a date."""
    if part is None:
        return frozenset()
    root = parse_part(zf, part)
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


def read_shared_strings(zf: zipfile.ZipFile, part: str | None, ns: str) -> list[str]:
    """The shared string table, rich text flattened, streamed so big tables stay cheap."""
    if part is None:
        return []
    strings = []
    with zf.open(part) as fh:
        for _, elem in etree.iterparse(fh, events=("end",), tag=f"{{{ns}}}si", resolve_entities=False, huge_tree=True):
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
    number = float(text)
    if number.is_integer() and -_EXACT_INT < number < _EXACT_INT:
        return int(number)
    return number


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
) -> tuple[dict[tuple[int, int], CellValue | Formula], list[tuple[int, int, int, int]]]:
    """Stream one worksheet part: its non-empty cells and merged ranges.

    Events are taken per <row>, not per <c>: lxml's per-event cost dominates,
    and a row is small enough to walk in the tree before it is freed.
    """
    row_tag, c_tag, merge_tag = f"{{{ns}}}row", f"{{{ns}}}c", f"{{{ns}}}mergeCell"
    v_tag, f_tag, is_tag = f"{{{ns}}}v", f"{{{ns}}}f", f"{{{ns}}}is"
    cells: dict[tuple[int, int], CellValue | Formula] = {}
    merged: list[tuple[int, int, int, int]] = []
    shared_formulas = _SharedFormulas()
    date_style_keys = {str(index) for index in date_styles}  # compare the s attribute without int()
    columns: dict[str, int] = {}
    row = 0
    parse = etree.iterparse(fh, events=("end",), tag=(row_tag, merge_tag), resolve_entities=False, huge_tree=True)
    for _, element in parse:
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
                    value = float(v_text)
                    if value.is_integer() and -_EXACT_INT < value < _EXACT_INT:
                        value = int(value)
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
    return cells, merged


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


def read_workbook(path: str) -> RawWorkbook:
    """Every worksheet of the workbook at path, in tab order, in one pass over the package."""
    with open_package(path) as zf:
        try:
            book = read_workbook_map(zf, path)
            shared = read_shared_strings(zf, book.shared_strings_part, book.namespace)
            date_styles = read_date_styles(zf, book.styles_part)
            sheets: dict[str, RawSheet] = {}
            for entry in book.sheets:
                with zf.open(entry.part) as fh:
                    cells, merged = read_sheet(fh, book.namespace, shared, date_styles, book.date1904)
                sheets[entry.title] = RawSheet(entry.title, cells, merged, sheet_id=entry.sheet_id)
        except TargetError:
            raise
        except (*PACKAGE_ERRORS, IndexError) as exc:
            raise damaged(path, exc) from exc
    return RawWorkbook(sheets=sheets, source=path)
