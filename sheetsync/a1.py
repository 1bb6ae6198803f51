"""A1 notation helpers: column letters and cell addresses, 1-based like the spreadsheet."""

from __future__ import annotations

import re

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)$")  # rows start at 1; ASCII digits only


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    if col < 1:
        raise ValueError(f"column index must be >= 1, got {col}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    if not letters:
        raise ValueError("not a column name: ''")
    col = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column name: {letters!r}")
        col = col * 26 + (ord(ch) - 64)
    return col


def rowcol_to_a1(row: int, col: int) -> str:
    """(3, 2) → B3."""
    return f"{column_letter(col)}{row}"


def a1_to_rowcol(a1: str) -> tuple[int, int]:
    """B3 → (3, 2)."""
    m = _A1.match(a1.strip())
    if not m:
        raise ValueError(f"not an A1 cell address: {a1!r}")
    return int(m.group(2)), column_index(m.group(1))


def range_to_bounds(ref: str) -> tuple[int, int, int, int]:
    """'B2:D5' → (min_row, min_col, max_row, max_col); a single cell is a 1×1 range."""
    first, colon, last = ref.partition(":")
    r1, c1 = a1_to_rowcol(first)
    r2, c2 = a1_to_rowcol(last) if colon else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)
