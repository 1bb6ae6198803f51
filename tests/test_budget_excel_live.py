"""The Goals and Budget columns through live Excel (xlwings' remote engine, as tests/test_excel_live.py drives it):
read live, the book gives the same computed cells, Problems and indicators as read from the file."""

from __future__ import annotations

import pytest
from money_books import make_book
from money_case import BUDGET, GOALS, RESULTS, SETTINGS, TODAY

xw = pytest.importorskip("xlwings")
live = pytest.importorskip("test_excel_live")  # skips itself without the remote engine

from sheetsync.analysis import analyse  # noqa: E402
from sheetsync.backends.xlsx import XlsxFileBackend  # noqa: E402
from sheetsync.backends.xlwings.backend import XlwingsBookBackend  # noqa: E402


def test_live_excel_computes_the_same_goal_and_budget_cells(tmp_path):
    path = make_book(tmp_path / "m.xlsx", today=TODAY, settings=SETTINGS, goals=GOALS, budget=BUDGET, results=RESULTS)
    from_file = analyse(XlsxFileBackend(path).read(), today=TODAY)
    from_excel = analyse(XlwingsBookBackend(live.remote_book(live.book_json(path))).read(), today=TODAY)
    assert from_excel.desired["Goals"] == from_file.desired["Goals"]
    assert from_excel.desired["Budget"] == from_file.desired["Budget"]
    assert from_excel.problems == from_file.problems
    assert from_file.desired["Budget"][(2, 11)] == "WILL OVERRUN"  # Meta ads' Flag, K2
    assert from_excel.indicators["budget_forecast_overrun_pct"] == 31
