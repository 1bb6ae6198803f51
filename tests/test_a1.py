"""The A1 helpers round-trip over a grid, hit the spreadsheet's fixed points, and reject what is not A1.

Limits are Excel's (https://support.microsoft.com/office/excel-specifications-and-limits):
1,048,576 rows by 16,384 columns, the last cell XFD1048576.
"""

from __future__ import annotations

import itertools
import random
import string

import pytest

from sheetsync.a1 import a1_to_rowcol, column_index, column_letter, range_to_bounds, rowcol_to_a1

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384  # XFD
THREE_LETTER_COLUMNS = 26 + 26**2 + 26**3  # ZZZ, the last column a1_to_rowcol reads


def test_every_cell_of_a_200_by_800_grid_round_trips() -> None:
    for row in range(1, 201):
        for col in range(1, 801):
            address = rowcol_to_a1(row, col)
            assert a1_to_rowcol(address) == (row, col), address


def test_sampled_cells_up_to_excels_last_row_and_column_round_trip() -> None:
    rng = random.Random(10)
    rows = [1, 2, 26, 27, 999, 1000, 65_536, 65_537, EXCEL_ROWS - 1, EXCEL_ROWS]
    rows += rng.sample(range(1, EXCEL_ROWS + 1), 200)
    cols = [1, 26, 27, 52, 53, 702, 703, 16_383, EXCEL_COLUMNS, THREE_LETTER_COLUMNS]
    cols += rng.sample(range(1, THREE_LETTER_COLUMNS + 1), 200)
    for row, col in itertools.product(rows, cols):
        address = rowcol_to_a1(row, col)
        assert a1_to_rowcol(address) == (row, col), address


def test_column_letters_count_in_spreadsheet_order_through_zzz() -> None:
    """A, B, … Z, AA, AB, … ZZ, AAA, … ZZZ: each column its own letters, in the order a sheet shows them."""
    expected = ["".join(letters) for n in (1, 2, 3) for letters in itertools.product(string.ascii_uppercase, repeat=n)]
    assert len(expected) == THREE_LETTER_COLUMNS
    for col, letters in enumerate(expected, start=1):
        assert column_letter(col) == letters, col
        assert column_index(letters) == col, letters
        assert column_index(letters.lower()) == col, letters


@pytest.mark.parametrize(
    ("address", "row", "col"),
    [
        ("A1", 1, 1),
        ("Z1", 1, 26),
        ("AA1", 1, 27),
        ("AZ1", 1, 52),
        ("BA1", 1, 53),
        ("ZZ1", 1, 702),
        ("AAA1", 1, 703),
        ("XFD1", 1, EXCEL_COLUMNS),
        ("A1048576", EXCEL_ROWS, 1),
        ("XFD1048576", EXCEL_ROWS, EXCEL_COLUMNS),
    ],
)
def test_fixed_points(address: str, row: int, col: int) -> None:
    assert a1_to_rowcol(address) == (row, col)
    assert rowcol_to_a1(row, col) == address


@pytest.mark.parametrize(("address", "row", "col"), [("b3", 3, 2), ("$B$3", 3, 2), ("B$3", 3, 2), (" xfd7 ", 7, 16_384)])
def test_lower_case_absolute_and_padded_addresses_read_as_the_plain_cell(address: str, row: int, col: int) -> None:
    assert a1_to_rowcol(address) == (row, col)


@pytest.mark.parametrize("bad", ["", "A", "7", "1A", "AAAA1", "A1:B2", "A-1", "A 1", "A1.0", "Ä1", "R1C1", "=A1"])
def test_what_is_not_one_cell_address_is_a_value_error_that_quotes_it(bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        a1_to_rowcol(bad)
    assert str(caught.value) == f"not an A1 cell address: {bad!r}"


@pytest.mark.parametrize("bad", ["A1", "Ä", "A-", " A"])
def test_what_is_not_column_letters_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        column_index(bad)
    assert str(caught.value) == f"not a column name: {bad!r}"


@pytest.mark.parametrize("col", [0, -1])
def test_columns_count_from_one(col: int) -> None:
    with pytest.raises(ValueError) as caught:
        column_letter(col)
    assert str(caught.value) == f"column index must be >= 1, got {col}"
    with pytest.raises(ValueError):
        rowcol_to_a1(1, col)


def test_ranges_round_trip_to_their_bounds_whichever_corner_comes_first() -> None:
    rng = random.Random(6)
    for _ in range(2000):
        r1, r2 = rng.randint(1, EXCEL_ROWS), rng.randint(1, EXCEL_ROWS)
        c1, c2 = rng.randint(1, EXCEL_COLUMNS), rng.randint(1, EXCEL_COLUMNS)
        bounds = (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        ref = f"{rowcol_to_a1(r1, c1)}:{rowcol_to_a1(r2, c2)}"
        assert range_to_bounds(ref) == bounds, ref
        top_left, bottom_right = rowcol_to_a1(*bounds[:2]), rowcol_to_a1(*bounds[2:])
        assert range_to_bounds(f"{top_left}:{bottom_right}") == bounds, ref


@pytest.mark.parametrize(
    ("ref", "bounds"),
    [
        ("B2:D5", (2, 2, 5, 4)),
        ("D5:B2", (2, 2, 5, 4)),
        ("D2:B5", (2, 2, 5, 4)),
        ("B2", (2, 2, 2, 2)),
        ("$A$1:$XFD$1048576", (1, 1, EXCEL_ROWS, EXCEL_COLUMNS)),
    ],
)
def test_range_fixed_points(ref: str, bounds: tuple[int, int, int, int]) -> None:
    assert range_to_bounds(ref) == bounds


@pytest.mark.parametrize(("ref", "bad_part"), [("B2:X", "X"), (":B2", ""), ("B2:D5:F7", "D5:F7"), ("A:C", "A")])
def test_a_range_with_a_bad_corner_is_a_value_error_naming_that_corner(ref: str, bad_part: str) -> None:
    with pytest.raises(ValueError) as caught:
        range_to_bounds(ref)
    assert str(caught.value) == f"not an A1 cell address: {bad_part!r}"


@pytest.mark.parametrize("text", ["A0", "B00", "A٣", "C1²", "B2:", ":B2"])
def test_no_row_zero_no_other_digits_no_half_ranges(text):
    with pytest.raises(ValueError):
        range_to_bounds(text) if ":" in text else a1_to_rowcol(text)


def test_an_empty_column_name_is_refused():
    with pytest.raises(ValueError):
        column_index("")
