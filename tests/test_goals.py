"""Goals: Actual from Results, Progress, Expected by now and the flags, against the hand-worked case (money_case.py).

Each book is built from `sheetsync init` and filled with openpyxl; nothing depends on the demo's numbers.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from money_books import make_book, read_sheet
from money_case import BAD_TARGET_CELL, BUDGET, GOALS, RESULTS, SETTINGS, SETTINGS_ZH, TODAY, USD_CELL

from sheetsync import i18n
from sheetsync.analysis import analyse
from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.cli import main
from sheetsync.engine.goals import evaluate_goal
from sheetsync.parse.goals import GoalRow
from sheetsync.parse.results import ResultRow

D = dt.date


@pytest.fixture
def book(tmp_path):
    return make_book(tmp_path / "goals.xlsx", today=TODAY, settings=SETTINGS, goals=GOALS, budget=BUDGET,
                     results=RESULTS)


def sync(path, capsys) -> dict:
    capsys.readouterr()  # what init printed
    code = main(["sync", str(path), "--today", TODAY.isoformat(), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == (1 if report["problems"] else 0)  # the case's Problems: an unreadable Target, a USD row
    return report


def test_actual_progress_expected_and_flags_are_the_hand_worked_ones(book, capsys):
    report = sync(book, capsys)
    rows = {r["Goal"]: r for r in read_sheet(book, "Goals")}
    computed = {g: (r["Actual"], r["Progress"], r["Expected by now"], r["Flag"]) for g, r in rows.items()}
    assert computed == {
        "Impressions": (360000, 36, 300000, "ON TRACK"),
        "Clicks": (4500, 22.5, 6000, "BEHIND"),
        "Conversions": (54, 108, 15, "MET"),  # met early: By is 20 days away, expected 50 × 9/30
        "CPA": (50, 80, 40, "BEHIND"),  # lower is better: 2,700 / 54 = 50 against 40
        "Launch week clicks": (2500, 50, 5000, "MISSED"),
        "Bad target": (None, None, None, "CHECK"),
    }
    assert [g["flag"] for g in report["goals"]] == ["ON TRACK", "BEHIND", "MET", "BEHIND", "MISSED", "CHECK"]
    cells = {(p["sheet"], p["cell"]): p for p in report["problems"]}
    assert cells[("Goals", BAD_TARGET_CELL)]["problem"] == '"lots" is not a number'
    assert "USD" in cells[("Results", USD_CELL)]["problem"] and "CNY" in cells[("Results", USD_CELL)]["fix"]


def test_the_new_indicators_measure_the_hand_worked_numbers(book):
    a = analyse(XlsxFileBackend(book).read(), today=TODAY)
    got = {k: a.indicators[k] for k in ("budget_used_pct", "budget_forecast_overrun_pct", "goals_behind",
                                         "cpa_vs_target_pct")}
    assert got == {"budget_used_pct": 39, "budget_forecast_overrun_pct": 31, "goals_behind": 3, "cpa_vs_target_pct": 25}


def test_a_risk_row_triggers_on_a_money_indicator(tmp_path, capsys):
    path = make_book(tmp_path / "r.xlsx", today=TODAY, settings=SETTINGS, goals=GOALS, budget=BUDGET, results=RESULTS)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Risks"].append(["R1", "Overspend", None, "budget_forecast_overrun_pct", ">= 10", "Ann", "Cut the bids"])
    wb["Risks"].append(["R2", "Goals slipping", None, "goals_behind", ">= 4", "Bo", "Rebrief"])
    wb.save(path)
    sync(path, capsys)
    risks = {r["ID"]: (r["Current"], r["Flag"]) for r in read_sheet(path, "Risks")}
    assert risks == {"R1": (31, "TRIGGERED"), "R2": (3, "OK")}


def row(day: int, **values: float) -> ResultRow:
    return ResultRow(row=day, day=D(2026, 12, day), platform="meta", campaign="c", currency="", values=values)


def goal(metric: str, target: float, by: dt.date | None) -> GoalRow:
    return GoalRow(row=2, goal=metric, metric=metric, target=target, by=by, owner="")


def test_a_cost_ratio_is_met_only_on_its_by_date_and_lower_is_better():
    rows = [row(d, spend=100.0, conversions=4.0) for d in range(1, 6)]  # CPA 500 / 20 = 25
    start = D(2026, 12, 1)
    before = evaluate_goal(goal("CPA", 30, D(2026, 12, 20)), rows, start=start, today=D(2026, 12, 5))
    assert (before.actual, before.progress, before.expected, before.flag) == (25, 120, 30, "ON TRACK")
    on_by = evaluate_goal(goal("CPA", 30, D(2026, 12, 5)), rows, start=start, today=D(2026, 12, 5))
    assert on_by.flag == "MET"
    worse = evaluate_goal(goal("CPA", 20, D(2026, 12, 20)), rows, start=start, today=D(2026, 12, 5))
    assert (worse.progress, worse.flag) == (80, "BEHIND")
    missed = evaluate_goal(goal("CPA", 20, D(2026, 12, 4)), rows, start=start, today=D(2026, 12, 5))
    assert (missed.actual, missed.flag) == (25, "MISSED")  # through By (Dec 4): 400 / 16 = 25 still


def test_ratios_of_sums_and_a_count_before_the_launch():
    rows = [row(1, spend=50.0, impressions=20000.0, clicks=300.0, sales=400.0),
            row(2, spend=150.0, impressions=60000.0, clicks=500.0, sales=200.0)]
    start, today, by = D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 31)
    values = {m: evaluate_goal(goal(m, 1, by), rows, start=start, today=today).actual
              for m in ("ROI", "CPM", "CPC", "CTR")}
    assert values == {"ROI": 3, "CPM": 2.5, "CPC": 0.25, "CTR": 0.01}  # 600/200 · 1000×200/80000 · 200/800 · 800/80000
    early = evaluate_goal(goal("clicks", 1000, by), [], start=start, today=D(2026, 11, 20))
    assert (early.actual, early.expected, early.flag) == (0, 0, "ON TRACK")


def test_a_chinese_book_flags_in_chinese(tmp_path, capsys):
    path = make_book(tmp_path / "zh.xlsx", today=TODAY, lang="zh", settings=SETTINGS_ZH, goals=GOALS,
                     budget=BUDGET, results=RESULTS)
    report = sync(path, capsys)
    rows = {r["目标"]: (r["实际"], r["完成率"], r["标记"]) for r in read_sheet(path, "Goals", "zh")}
    assert rows == {"Impressions": (360000, 36, "进展正常"), "Clicks": (4500, 22.5, "落后"),
                    "Conversions": (54, 108, "已达成"), "CPA": (50, 80, "落后"),
                    "Launch week clicks": (2500, 50, "未达成"), "Bad target": (None, None, "待修正")}
    [bad] = [p for p in report["problems"] if p["cell"] == BAD_TARGET_CELL]
    with i18n.language("zh"):
        assert bad["sheet"] == "目标" and bad["problem"] == i18n._('"{text}" is not a number', text="lots")


def test_a_warm_up_before_the_launch_counts_from_its_first_result(tmp_path, capsys):
    settings = {**SETTINGS, "Launch date": D(2026, 12, 8)}  # results from Dec 1: the flight starts then
    path = make_book(tmp_path / "w.xlsx", today=TODAY, settings=settings, goals=GOALS[:1], results=RESULTS)
    report = sync(path, capsys)
    [impressions] = report["goals"]
    assert (impressions["actual"], impressions["expected"]) == (360000, 300000)  # as if launched on Dec 1; through Dec 9
