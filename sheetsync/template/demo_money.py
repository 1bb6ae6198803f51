"""The demo campaign's money: its Budget, its Goals and a week of results from the pre-launch seeding.

Before the launch the agency seeds the serum on 小红书 (聚光 notes) and warms up 抖音 (巨量引擎 feed
ads): the Results sheet holds the seven days before "today" of both, as `sheetsync import` writes
them from the two platforms' exports (Source names the file). The numbers are plausible for a
mid-size serum launch, in CNY; the Goals run to the flight's end, two weeks after the launch, so
none is met yet. Tests of the Goals and Budget engines do not depend on these numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..contract import AD_PLATFORM, METRIC

FLIGHT_DAYS = 14  # the flight runs two weeks past the launch
BUDGET_TOTAL = 300_000
CURRENCY = "CNY"


def _label(canonical: str, vocabulary: dict[str, str], lang: str) -> str:
    return vocabulary[canonical] if lang == "zh" else canonical


def money_settings(launch: date) -> dict[str, object]:
    """The Project's Budget, Currency and Flight end."""
    return {"Budget": BUDGET_TOTAL, "Currency": CURRENCY, "Flight end": launch + timedelta(days=FLIGHT_DAYS)}


def _budget(lang: str, names: dict[str, str]) -> list[dict[str, object]]:
    zh = lang == "zh"
    lines = (  # item (zh, en), platform, owner key, planned, committed, spent, notes (zh, en)
        ("小红书聚光 信息流与搜索", "Xiaohongshu Juguang feed & search", "xiaohongshu", "data", 90_000, None, None,
         "已花费取自投放数据", "Spent comes from the Results sheet"),
        ("巨量引擎 抖音信息流", "Ocean Engine Douyin feed", "oceanengine", "data", 120_000, None, None,
         "开屏另行排期", "Splash slots booked separately"),
        ("达人合作（小红书 / 抖音）", "KOL partnerships (Xiaohongshu / Douyin)", "", "am", 60_000, 45_000, None,
         "已签 6 位达人", "6 creators signed"),
        ("素材制作", "Asset production", "", "lead", 20_000, 20_000, 18_500, "", ""),
        ("预留", "Contingency", "", "am", 10_000, None, None, "", ""),
    )
    rows = []
    for item_zh, item_en, platform, owner, planned, committed, spent, note_zh, note_en in lines:
        row: dict[str, object] = {"Item": item_zh if zh else item_en, "Owner": names[owner], "Planned": planned}
        if platform:
            row["Platform"] = _label(platform, AD_PLATFORM, lang)
        if committed is not None:
            row["Committed"] = committed
        if spent is not None:
            row["Spent"] = spent
        if note_zh:
            row["Notes"] = note_zh if zh else note_en
        rows.append(row)
    return rows


def _goals(lang: str, launch: date, names: dict[str, str]) -> list[dict[str, object]]:
    zh = lang == "zh"
    goals = (  # goal (zh, en), metric, target, by (None: the flight's end), owner key
        ("全平台曝光 600 万", "6M impressions across platforms", "impressions", 6_000_000, None, "data"),
        ("小红书笔记互动 6 万", "60k Xiaohongshu note engagements", "engagements", 60_000, None, "data"),
        ("上线前互动 1 万（种草期）", "10k engagements before launch (seeding)", "engagements", 10_000, launch, "am"),
        ("抖音转化 3,000", "3,000 Douyin conversions", "conversions", 3_000, None, "data"),
        ("转化成本不高于 80 元", "Cost per conversion at most 80", "CPA", 80, None, "am"),
    )
    rows = []
    for goal_zh, goal_en, metric, target, by, owner in goals:
        row: dict[str, object] = {"Goal": goal_zh if zh else goal_en, "Metric": _label(metric, METRIC, lang),
                                  "Target": target, "Owner": names[owner]}
        if by is not None:
            row["By"] = by
        rows.append(row)
    return rows


def _results(lang: str, today: date) -> list[dict[str, object]]:
    """The seven days before today, 小红书聚光 then 巨量引擎 each day, as an import appends them."""
    zh = lang == "zh"
    rows = []
    for i in range(7):
        day = today - timedelta(days=7 - i)
        rows.append({
            "Date": day, "Platform": _label("xiaohongshu", AD_PLATFORM, lang),
            "Campaign": "沁润精华-种草笔记" if zh else "Qinrun serum - seeding notes", "Currency": CURRENCY,
            "Spend": 1500 + 80 * i, "Impressions": 56_000 + 2_500 * i, "Clicks": 1_900 + 70 * i,
            "Engagements": 420 + 15 * i, "Source": "juguang-week1.csv",
        })
        rows.append({
            "Date": day, "Platform": _label("oceanengine", AD_PLATFORM, lang),
            "Campaign": "沁润精华-抖音信息流" if zh else "Qinrun serum - Douyin feed", "Currency": CURRENCY,
            "Spend": 3200 + 150 * i, "Impressions": 120_000 + 5_000 * i, "Clicks": 2_800 + 60 * i,
            "Conversions": 40 + 3 * i, "Source": "oceanengine-week1.csv",
        })
    return rows


def money_rows(lang: str, launch: date, today: date, names: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    """The Budget, Goals and Results rows; `names`: person key → the name in the book's language."""
    return {"Goals": _goals(lang, launch, names), "Budget": _budget(lang, names), "Results": _results(lang, today)}


__all__ = ["money_rows", "money_settings"]
