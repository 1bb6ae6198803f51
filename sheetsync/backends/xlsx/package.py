"""The xlsx/xlsm package: opening the zip safely, its relationships and its sheet map.

Shared by the reader and the writer so both agree on which part is which sheet.
Errors from zipfile/lxml are turned into TargetError with one line a person can act on.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from ...errors import TargetError
from ...i18n import _

_SAFE_XML_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)

CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Transitional (what Excel writes by default) and Strict OOXML main namespaces.
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted xlsx is an OLE container holding these streams (MS-OFFCRYPTO 2.3.4).
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def _describe_ole(path: str) -> str:
    name = os.path.basename(path)
    with open(path, "rb") as fh:
        data = fh.read()
    if any(marker in data for marker in _ENCRYPTED_MARKERS):
        return _(
            "{name} is password-protected (encrypted); remove the password in Excel "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and try again.",
            name=name,
        )
    return _(
        "{name} is an old-style Excel 97-2003 (.xls) file, not .xlsx/.xlsm; open it in Excel and save it as .xlsx.",
        name=name,
    )


def open_package(path: str) -> zipfile.ZipFile:
    """Open the workbook's zip package, translating every way it can fail into one TargetError line."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise TargetError(_("{path} does not exist; check the path and the file name.", path=path)) from exc
    except IsADirectoryError as exc:
        raise TargetError(
            _("{path} is a folder, not a workbook; give the path of the .xlsx/.xlsm file.", path=path)
        ) from exc
    except OSError as exc:
        raise TargetError(
            _("{path} cannot be read ({reason}); check its permissions.", path=path, reason=exc.strerror)
        ) from exc
    if head.startswith(OLE_MAGIC):
        raise TargetError(_describe_ole(path))
    if not head.startswith(b"PK"):
        raise TargetError(
            _(
                "{name} is not an Excel workbook (.xlsx/.xlsm) but some other kind of file; "
                "open it in Excel and save it as .xlsx.",
                name=name,
            )
        )
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TargetError(
            _(
                "{name} is damaged (not a readable zip package: {error}); restore it from a backup.",
                name=name, error=exc,
            )
        ) from exc


def damaged(path: str, exc: BaseException) -> TargetError:
    """The TargetError for a package whose parts cannot be parsed."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return TargetError(
        _("{name} is damaged ({detail}); restore it from a backup.", name=os.path.basename(path), detail=detail)
    )


#: What parsing a damaged package can raise; callers turn these into TargetError.
PACKAGE_ERRORS = (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError)


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def serialise(root: etree._Element) -> bytes:
    """XML bytes with the declaration Excel itself writes (double quotes, standalone)."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


# Decompressed-size budgets. The largest part of the biggest campaign sheetsync is benchmarked on
# (10,000 tasks, tests/bench_workbooks.py) is a 12 MB sheet; 100 MiB per part is eight times that and
# still parses in well under a GiB, and 200 MiB for every part one read or write inflates bounds a whole
# run. A part past them is refused before it is inflated (zipfile never inflates past a member's size).
PART_BUDGET = 100 * 2**20
BOOK_BUDGET = 200 * 2**20
# The root element's start: a DOCTYPE can only come before it, in the prolog.
_PROLOG_END = re.compile(rb"<[A-Za-z_]")


class PartBudget:
    """The decompressed bytes one read or write may inflate, checked part by part before each is opened."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.spent = 0

    def check(self, zf: zipfile.ZipFile, part: str, what: str) -> None:
        """Refuse a part past PART_BUDGET, the book past BOOK_BUDGET, or a part with a DOCTYPE."""
        name = os.path.basename(self.path)
        size = zf.getinfo(part).file_size
        if size > PART_BUDGET or self.spent + size > BOOK_BUDGET:
            if size > PART_BUDGET:
                limit = _("{mib} MiB a part", mib=PART_BUDGET // 2**20)
            else:
                limit = _("{mib} MiB a book", mib=BOOK_BUDGET // 2**20)
            mib = f"{size / 2**20:.0f}"
            raise TargetError(
                _(
                    "{name}: {what} holds {mib} MiB of XML, more than sheetsync reads ({limit}); "
                    "delete unused rows and cells far from the data (Ctrl+End shows the last one) or move big "
                    "sheets to another file, then sync again. The workbook is unchanged.",
                    name=name, what=what, mib=mib, limit=limit,
                )
            )
        self.spent += size
        refuse_doctype(zf, part, what, name)


def refuse_doctype(zf: zipfile.ZipFile, part: str, what: str, name: str) -> None:
    """A part whose XML declares a DOCTYPE (entities) is refused: no writer can keep it faithfully.

    lxml would drop the declaration on writing but keep its entity references (&co;), and the book
    would no longer open; Excel itself never writes a DOCTYPE, so saving again in Excel or LibreOffice
    resolves the entities.
    """
    with zf.open(part) as fh:
        head = fh.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    prolog_end = _PROLOG_END.search(head)
    prolog = head[: prolog_end.start()] if prolog_end else head
    if b"<!DOCTYPE" in prolog:
        raise TargetError(
            _(
                "{name}: {what} has a DOCTYPE (XML entity declarations), which sheetsync cannot write back "
                "faithfully; open the workbook in Excel or LibreOffice, save it again, and sync. "
                "The workbook is unchanged.",
                name=name, what=what,
            )
        )


def parse_part(zf: zipfile.ZipFile, part: str, budget: PartBudget | None = None) -> etree._Element:
    """Parse one XML part with entity expansion off (a workbook is untrusted input), within the budget."""
    (budget or PartBudget(zf.filename or "the workbook")).check(zf, part, part)
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
    office = [t for _rid, kind, t in read_rels(zf, "") if kind.endswith("/officeDocument")]
    if not office or office[0] not in zf.NameToInfo:
        raise TargetError(
            _("{name} is a zip file but not an Excel workbook (no workbook part); give an .xlsx/.xlsm file.", name=name)
        )
    workbook_part = office[0]
    root = parse_part(zf, workbook_part)
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "workbook" or namespace not in MAIN_NAMESPACES:
        raise TargetError(
            _(
                "{name} is an Office document but not an Excel workbook (maybe Word or PowerPoint); "
                "give an .xlsx/.xlsm file.",
                name=name,
            )
        )
    rels = read_rels(zf, workbook_part)
    by_id = {rid: (kind, target) for rid, kind, target in rels}

    def single(kind_suffix: str) -> str | None:
        hits = [t for _rid, kind, t in rels if kind.endswith(kind_suffix) and t in zf.NameToInfo]
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
