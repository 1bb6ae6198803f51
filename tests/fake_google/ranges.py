"""A1 notation as the Sheets API reads and writes it.

Google parses ``Sheet1!A1:B2``, ``'My sheet'!A:A``, ``Sheet1!2:2``, ``A1:B2`` (first
sheet) and a bare sheet title; anything else is ``Unable to parse range: <text>``.
Ranges it returns are written with the title quoted only when it must be
(``Sheet1!A1:B2`` but ``'🌵 test 1'!A1:A10``), as in gspread's recorded cassettes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import ApiError

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


def column_letters(index: int) -> str:
    """0 -> ``A``, 25 -> ``Z``, 26 -> ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` -> 0, ``AA`` -> 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def quote_title(title: str, *, always: bool = False) -> str:
    """A sheet title as Google writes it in a returned range."""
    if not always and _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class Box:
    """A rectangle of a sheet, 0-based, end-exclusive (a GridRange with every bound set)."""

    sheet_id: int
    title: str
    row0: int
    row1: int
    col0: int
    col1: int

    @property
    def rows(self) -> int:
        return self.row1 - self.row0

    @property
    def cols(self) -> int:
        return self.col1 - self.col0

    def a1(self, *, always_quote: bool = False) -> str:
        """``Sheet1!A1:B2``; a single cell is ``Sheet1!A1``."""
        start = f"{column_letters(self.col0)}{self.row0 + 1}"
        end = f"{column_letters(self.col1 - 1)}{self.row1}"
        cells = start if (self.rows == 1 and self.cols == 1) else f"{start}:{end}"
        return f"{quote_title(self.title, always=always_quote)}!{cells}"

    def grid_range(self) -> dict[str, int]:
        return {
            "sheetId": self.sheet_id,
            "startRowIndex": self.row0,
            "endRowIndex": self.row1,
            "startColumnIndex": self.col0,
            "endColumnIndex": self.col1,
        }


@dataclass(frozen=True)
class A1:
    """A parsed A1 range: which sheet, and bounds where the text gave them (None = open)."""

    title: str | None  # None: the first sheet
    row0: int | None
    row1: int | None
    col0: int | None
    col1: int | None
    text: str


def parse_a1(text: str) -> A1:
    """Parse A1 notation; raise 400 ``Unable to parse range: <text>`` like Google."""
    fail = ApiError(400, f"Unable to parse range: {text}")
    title: str | None
    if text.startswith("'"):
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise fail
            if text[end + 1 : end + 2] == "'":
                end += 2
                continue
            break
        title = text[1:end].replace("''", "'")
        rest = text[end + 1 :]
        if rest == "":
            return A1(title, None, None, None, None, text)
        if not rest.startswith("!"):
            raise fail
        cells = rest[1:]
    elif "!" in text:
        title, cells = text.split("!", 1)
    else:
        title, cells = None, text
    if cells == "":
        raise fail
    parts = cells.split(":")
    if len(parts) > 2:
        raise fail
    first = _CELL.match(parts[0])
    last = _CELL.match(parts[-1])
    if not first or not last or parts[0] == "" or parts[-1] == "":
        raise fail
    c0, r0 = first.groups()
    c1, r1 = last.groups()
    if len(parts) == 1 and not (c0 and r0):
        raise fail  # a lone "A" or "3" is not a range
    if (c0 == "") != (c1 == "") and (r0 == "" or r1 == ""):
        pass  # A2:B (open rows) and A1:1 (open columns) are both valid
    if (r0 and int(r0) == 0) or (r1 and int(r1) == 0):
        raise fail
    row0 = int(r0) - 1 if r0 else None
    row1 = int(r1) if r1 else None
    col0 = column_index(c0) if c0 else None
    col1 = column_index(c1) + 1 if c1 else None
    if len(parts) == 2 and not r0 and r1 and not c1:
        raise fail  # "A:3" mixes a column with a row
    if row0 is not None and row1 is not None and row1 <= row0:
        row0, row1 = row1 - 1, row0 + 1
    if col0 is not None and col1 is not None and col1 <= col0:
        col0, col1 = col1 - 1, col0 + 1
    if len(parts) == 2 and not r0 and row1 is not None and c0:
        row0 = 0  # "A:B3"
    return A1(title, row0, row1, col0, col1, text)


def exceeds_grid(box: Box, row_count: int, column_count: int) -> ApiError:
    """Google's message for a range past the sheet's last row or column."""
    return ApiError(
        400,
        f"Range ({box.a1(always_quote=True)}) exceeds grid limits. Max rows: {row_count}, max columns: {column_count}",
    )
