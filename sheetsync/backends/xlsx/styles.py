"""Cell formats: which number formats show dates, and adding a date format to styles.xml.

The reader asks which styles are dates (so a number in such a cell reads as a
date); both patchers ask the same question before writing a date, and add a
date style that looks like the cell's own when it has none.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from ...errors import WriteError
from .package import serialise

# Built-in number formats that are dates or times (ECMA-376 Part 1, 18.8.30), plus
# the East Asian built-ins 27-36 and 50-58 that Chinese/Japanese Excel writes
# without declaring them in <numFmts>; all of them are date or time formats.
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(45, 48), *range(27, 37), *range(50, 59)])
_NOT_FORMAT_TOKENS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_TOKENS = re.compile(r"[ymdhs]", re.IGNORECASE)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def is_date_format(code: str) -> bool:
    """True when a number format code shows a date or time (y, m, d, h, s outside quotes, brackets, escapes)."""
    return bool(_DATE_TOKENS.search(_NOT_FORMAT_TOKENS.sub("", code)))


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
        return self._like(style, self._format_id(DATETIME_FORMAT if with_time else DATE_FORMAT))

    def number_style_like(self, style: int) -> int | None:
        """For a cell styled as a date: a cellXfs index that looks like it with the General format; else None.

        A cell a person once formatted as a date shows a number sheetsync writes there (a Variance of 2, a
        Slack) as a date (1900-01-02), and reads it back as one; any other cell keeps its style.
        """
        if self.root is None or not self.is_date(style):
            return None
        return self._like(style, 0)

    def _like(self, style: int, format_id: int) -> int:
        """The cellXfs index of `style` (font, fill, border, alignment) with number format `format_id`; added once."""
        base = self.xfs[style] if 0 <= style < len(self.xfs) else self.xfs[0]
        wanted = copy.deepcopy(base)
        wanted.set("numFmtId", str(format_id))
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

    def add_colour(self, colours: tuple[str, str]) -> int:
        """The index of a new differential format (fill, font colour) for a conditional format to use."""
        if self.root is None:
            raise WriteError("the workbook has no styles part to hold a colour")
        dxfs = self.root.find(self._q("dxfs"))
        if dxfs is None:
            dxfs = etree.Element(self._q("dxfs"))
            later = [self.root.find(self._q(tag)) for tag in ("tableStyles", "colors", "extLst")]
            follower = next((element for element in later if element is not None), None)
            if follower is not None:
                follower.addprevious(dxfs)
            else:
                self.root.append(dxfs)
        fill, font = colours
        dxf = etree.SubElement(dxfs, self._q("dxf"))
        etree.SubElement(etree.SubElement(dxf, self._q("font")), self._q("color"), rgb="FF" + font)
        pattern = etree.SubElement(etree.SubElement(dxf, self._q("fill")), self._q("patternFill"))
        etree.SubElement(pattern, self._q("bgColor"), rgb="FF" + fill)
        dxfs.set("count", str(len(dxfs)))
        self.changed = True
        return len(dxfs) - 1

    def to_bytes(self) -> bytes:
        assert self.root is not None
        return serialise(self.root)
