"""One hand-worked campaign for the Goals and Budget tests (numbers worked out in the docstring, not by the code).

Flight: Launch date 2026-12-01 → Flight end 2026-12-30 = 30 calendar days. Today 2026-12-10: 10 days elapsed
(Dec 1..10, inclusive). Approved Budget ¥10,000, Currency CNY.

Results (Meta, CNY): Dec 1..9, each day spend 300, impressions 40,000, clicks 500, conversions 6.
  → through today: spend 2,700 · impressions 360,000 · clicks 4,500 · conversions 54.
  Plus a USD row on Dec 5 (spend 50, impressions 99,999): a Problem on its Currency cell, in no sum.

Budget lines
  Meta ads    meta   Planned 6,000 Committed 2,000 Spent blank → 2,700 (Meta's Results spend)
              Remaining 6,000 − 2,700 = 3,300 · Used 45.0 · Forecast 2,700 / 9 × 30 = 9,000 > 6,000
              (the Results end on Dec 9, the day before today: the rate is over the 9 days they cover)
              → WILL OVERRUN (while Spent 2,700 < Planned 6,000: the overrun seen before it happens)
  KOL fees    other  Planned 3,000 Committed 3,500 Spent 1,000
              Remaining 3,000 − 3,500 = −500 · Used 33.3 · Forecast max(1,000/10×30, 3,500 signed) = 3,500
              (a signed cost, not projected) → OVER BUDGET (Committed)
  Production  —      Planned 1,000 Spent 200 → Remaining 800 · Used 20.0 · Forecast 600 → OK
  Totals: planned 10,000 (= the approved budget: no Problem) · spent 3,900 → 39% · forecast the lines' 9,000 + 3,500 + 600
          = 13,100 → overrun 31% (budget_used_pct 39, budget_forecast_overrun_pct 31)

Goals (By 2026-12-30 unless said)
  Impressions        impressions 1,000,000 → Actual 360,000 · 36.0% · expected 1e6 × 9/30 = 300,000 (through Dec 9,
                     the Results' last day) → ON TRACK
  Clicks             clicks 20,000 → 4,500 · 22.5% · expected 6,000 → BEHIND
  Conversions        conversions 50 → 54 · 108.0% · expected 15 → MET (early: By is 20 days away)
  CPA                CPA 40 → 2,700 / 54 = 50.0 (worse: lower is better) · 40/50 = 80.0% · expected 40 → BEHIND
  Launch week clicks clicks 5,000 by 2026-12-05 → Dec 1..5: 2,500 · 50.0% · expected 5,000 → MISSED
  Bad target         impressions "lots" → a Problem on its Target cell, CHECK
  goals_behind = 2 BEHIND + 1 MISSED = 3 · cpa_vs_target_pct = 100 × (50 − 40) / 40 = 25
"""

from __future__ import annotations

import datetime as dt

D = dt.date
TODAY = D(2026, 12, 10)
SETTINGS = {"Launch date": D(2026, 12, 1), "Flight end": D(2026, 12, 30), "Budget": 10000, "Currency": "CNY"}
SETTINGS_ZH = {"上线日期": D(2026, 12, 1), "投放结束": D(2026, 12, 30), "预算": 10000, "币种": "CNY"}
FLIGHT_END = D(2026, 12, 30)
GOALS = [
    ("Impressions", "impressions", 1000000, FLIGHT_END, "Ann"),
    ("Clicks", "clicks", 20000, FLIGHT_END, "Ann"),
    ("Conversions", "conversions", 50, FLIGHT_END, "Bo"),
    ("CPA", "CPA", 40, FLIGHT_END, "Bo"),
    ("Launch week clicks", "clicks", 5000, D(2026, 12, 5), "Ann"),
    ("Bad target", "impressions", "lots", FLIGHT_END, "Bo"),
]
BUDGET = [
    ("Meta ads", "meta", "Ann", 6000, 2000, None),
    ("KOL fees", "other", "Bo", 3000, 3500, 1000),
    ("Production", None, "Bo", 1000, None, 200),
]
RESULTS = [(D(2026, 12, day), "meta", "Serum", "CNY", 300, 40000, None, 500, None, None, None, 6) for day in range(1, 10)]
RESULTS.insert(4, (D(2026, 12, 5), "meta", "Serum US", "USD", 50, 99999))  # sheet row 6: its Currency cell is D6
USD_CELL = "D6"
BAD_TARGET_CELL = "C7"
