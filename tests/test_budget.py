"""Budget: Remaining, Used %, Forecast and the flags per line, the totals against the approved Budget, the CLI lines.

The hand-worked case is tests/money_case.py; books come from `sheetsync init` filled with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from money_books import make_book, read_sheet
from money_case import BUDGET, GOALS, RESULTS, SETTINGS, TODAY

from sheetsync.cli import main
from sheetsync.engine.budget import Flight, evaluate_budget
from sheetsync.parse.budget import BudgetLine

D = dt.date


def run(path, capsys, *extra: str) -> str:
    capsys.readouterr()
    main(["sync", str(path), "--today", TODAY.isoformat(), *extra])
    return capsys.readouterr().out


def test_lines_and_totals_are_the_hand_worked_ones(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx", today=TODAY, settings=SETTINGS, goals=GOALS, budget=BUDGET, results=RESULTS)
    report = json.loads(run(path, capsys, "--json"))
    lines = {r["Item"]: (r["Spent"], r["Remaining"], r["Used %"], r["Forecast"], r["Flag"])
             for r in read_sheet(path, "Budget")}
    assert lines == {
        "Meta ads": (None, 3300, 45, 9000, "WILL OVERRUN"),  # Spent blank: Meta's Results spend 2,700, left blank
        "KOL fees": (1000, -500, 33.3, 3500, "OVER BUDGET"),  # committed 3,500 of 3,000: the forecast is what is signed
        "Production": (200, 800, 20, 600, "OK"),
    }
    assert report["budget"] == {
        "currency": "CNY", "approved": 10000, "planned": 10000, "committed": 5500, "spent": 3900,
        "forecast": 13100, "remaining": 3600, "used_pct": 39, "overrun_pct": 31, "flags": {"WILL OVERRUN": 1, "OVER BUDGET": 1, "OK": 1},
    }
    assert not [p for p in report["problems"] if p["sheet"] == "Project"]  # the lines plan exactly the budget


def test_the_summary_says_budget_and_goals_in_one_line_each(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx", today=TODAY, settings=SETTINGS, goals=GOALS, budget=BUDGET, results=RESULTS)
    out = run(path, capsys).splitlines()
    assert "Budget: spent ¥3,900 of ¥10,000 (39%), forecast ¥13,100 — will overrun by 31%" in out
    assert ("Goals: 1 of 6 on track, 2 behind (Clicks: 4,500 of 20K, 23% — expected 30% by now), "
            "1 missed (Launch week clicks: 2,500 of 5,000, 50%), 1 met, 1 to check") in out
    assert not [line for line in out if line.startswith(("Goals: 1 CHECK", "Budget: 1 "))]  # no flag-count lines too
    capsys.readouterr()
    main(["check", str(path), "--today", TODAY.isoformat()])
    assert "Budget: spent ¥3,900 of ¥10,000 (39%), forecast ¥13,100 — will overrun by 31%" in capsys.readouterr().out


def test_lines_planning_more_than_the_approved_budget_are_one_problem_on_the_setting(tmp_path, capsys):
    settings = {**SETTINGS, "Budget": "¥9,000"}
    path = make_book(tmp_path / "b.xlsx", today=TODAY, settings=settings, budget=BUDGET, results=RESULTS)
    report = json.loads(run(path, capsys, "--json"))
    [problem] = [p for p in report["problems"] if p["sheet"] == "Project"]
    assert problem["cell"] == "B20"  # the Budget setting's value
    assert "¥10,000" in problem["problem"] and "¥9,000" in problem["problem"]
    assert "Feedback" in problem["fix"]  # a change of budget is a change request, not a silent edit
    assert report["budget"]["used_pct"] == 43.3  # 3,900 of the approved 9,000


def line(row: int, planned: float | None, spent: float | None, committed: float | None = None,
         platform: str | None = None) -> BudgetLine:
    return BudgetLine(row=row, item=f"L{row}", platform=platform, owner="", planned=planned, committed=committed,
                      spent=spent)


def test_an_overrun_is_forecast_before_it_happens_and_the_flight_bounds_the_forecast():
    flight = Flight(D(2026, 12, 1), D(2026, 12, 20))  # 20 days
    day5 = evaluate_budget([line(2, 1000, 300)], flight=flight, today=D(2026, 12, 5), approved=None, platform_spend={})
    outcome = day5.lines[2]
    assert (outcome.forecast, outcome.flag) == (1200, "WILL OVERRUN")  # 300 / 5 × 20, while 300 < 1,000
    assert (outcome.remaining, outcome.used_pct) == (700, 30)
    before = evaluate_budget([line(2, 1000, 300)], flight=flight, today=D(2026, 11, 28), approved=None,
                             platform_spend={})
    assert (before.lines[2].forecast, before.lines[2].flag) == (300, "OK")  # nothing to project before the start
    after = evaluate_budget([line(2, 1000, 1001)], flight=flight, today=D(2027, 1, 9), approved=None,
                            platform_spend={})
    assert (after.lines[2].forecast, after.lines[2].flag) == (1001, "OVER BUDGET")
    assert after.used_pct == pytest.approx(100.1)  # no approved Budget: measured against the lines' Planned


def test_a_blank_spent_takes_its_platforms_results_spend_and_no_lines_take_all_of_it():
    flight = Flight(D(2026, 12, 1), D(2026, 12, 10))
    status = evaluate_budget([line(2, 500, None, platform="tiktok"), line(3, 500, None, platform="meta")],
                             flight=flight, today=D(2026, 12, 5), approved=1000, platform_spend={"tiktok": 100.0})
    assert (status.lines[2].spent, status.lines[2].from_results, status.lines[3].spent) == (100, True, None)
    assert status.forecast == 200 and status.used_pct == 10
    bare = evaluate_budget([], flight=flight, today=D(2026, 12, 5), approved=1000,
                           platform_spend={"tiktok": 100.0, "meta": 400.0})
    assert (bare.spent, bare.forecast, bare.overrun_pct) == (500, 1000, 0)


def test_an_unreadable_amount_is_a_problem_and_check(tmp_path, capsys):
    budget = [("Meta ads", "meta", "Ann", "six thousand", None, 100), ("Blank plan", None, "Bo", None, None, 50)]
    path = make_book(tmp_path / "b.xlsx", today=TODAY, settings=SETTINGS, budget=budget)
    report = json.loads(run(path, capsys, "--json"))
    cells = {p["cell"]: p for p in report["problems"] if p["sheet"] == "Budget"}
    assert cells["D2"]["problem"] == '"six thousand" is not a number' and "D3" in cells
    assert [r["Flag"] for r in read_sheet(path, "Budget")] == ["CHECK", "CHECK"]


def test_a_budget_sheet_of_ones_own_without_planned_is_left_alone(tmp_path, capsys):
    import openpyxl

    path = make_book(tmp_path / "b.xlsx", today=TODAY, settings={"Launch date": D(2026, 12, 1)})
    wb = openpyxl.load_workbook(path)
    del wb["Budget"]
    own = wb.create_sheet("Budget")
    own.append(["Item", "Cost"])
    own.append(["KOL", 2000])
    wb.save(path)
    report = json.loads(run(path, capsys, "--json"))
    assert report["budget"] is None and not [p for p in report["problems"] if p["sheet"] == "Budget"]
    assert [[c.value for c in r] for r in openpyxl.load_workbook(path)["Budget"].iter_rows()] == [["Item", "Cost"],
                                                                                                  ["KOL", 2000]]


def test_rmb_and_a_blank_currency_count_as_the_projects_cny_and_usd_does_not(tmp_path, capsys):
    results = [(D(2026, 12, 1), "meta", "a", "rmb", 100), (D(2026, 12, 2), "meta", "b", None, 200),
               (D(2026, 12, 3), "meta", "c", "人民币", 300), (D(2026, 12, 4), "tiktok", "d", "usd", 400)]
    path = make_book(tmp_path / "c.xlsx", today=TODAY, settings=SETTINGS, results=results)
    report = json.loads(run(path, capsys, "--json"))
    assert report["budget"]["spent"] == 600  # no Budget lines: every platform's Results spend in CNY
    assert [(p["sheet"], p["cell"]) for p in report["problems"]] == [("Results", "D5")]
