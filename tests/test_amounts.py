"""parse.cells.to_amount: numbers as people type them and as the ad platforms' exports write them."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetsync.parse.cells import CellError, to_amount


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1,234", 1234.0),
        ("1 234 567", 1234567.0),
        ("1,234.5", 1234.5),
        ("¥3,200.00", 3200.0),
        ("￥3,200", 3200.0),
        ("$12.50", 12.5),
        ("3,200元", 3200.0),  # the unit after the number, as 巨量引擎 and people write it
        ("30万元", 300000.0),
        ("1.2万", 12000.0),
        ("1.2万次", 12000.0),  # a count with its measure word
        ("500人", 500.0),
        ("3亿", 3e8),
        ("2.5k", 2500.0),
        ("1.2M", 1.2e6),
        ("12.5%", 0.125),
        ("(120)", -120.0),  # accountants' negative
        ("-5", -5.0),
        ("１．２万", 12000.0),  # full-width, as an IME types it
        (7, 7.0),
        (0.25, 0.25),
    ],
)
def test_an_amount_is_read_as_written(typed, number):
    assert to_amount(typed) == pytest.approx(number)


@pytest.mark.parametrize("typed", [None, "", "--", "—", "N/A", "暂无", "无"])
def test_no_data_marks_are_empty(typed):
    assert to_amount(typed) is None


@pytest.mark.parametrize("typed", ["五万", "abc", "12,3456", "1.2.3", dt.date(2026, 12, 8), True])
def test_what_is_no_number_is_a_cell_error_with_a_fix(typed):
    with pytest.raises(CellError) as err:
        to_amount(typed)
    assert "1.2万" in err.value.fix or "1200" in err.value.fix
