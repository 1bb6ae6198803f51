"""Writes the export files of tests/data/exports (run once; the files are committed as they are).

Each file is shaped as the platform's report download looks: headers, units, number formats,
encodings, title rows and totals rows; the malformed ones are named for what is wrong with them.
Days are 2026-12-01..07 (the demo's "today" is 2026-12-08).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
DAYS = [f"2026-12-0{d}" for d in range(1, 8)]


def write_csv(name: str, rows: list[list[object]], encoding: str = "utf-8-sig") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(name: str, rows: list[list[object]], title: str | None = None, width: int = 0) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for row in rows:
        sheet.append(row)
    book.save(HERE / name)


def meta() -> None:
    header = ["Reporting starts", "Reporting ends", "Campaign name", "Campaign delivery", "Results",
              "Result indicator", "Reach", "Impressions", "Cost per result", "Amount spent (USD)", "Link clicks",
              "CPM (cost per 1,000 impressions) (USD)", "CTR (link click-through rate)"]
    rows = [header]
    for i, day in enumerate(DAYS):
        spend, impressions, clicks, results = 180 + 12 * i, 21000 + 1500 * i, 310 + 20 * i, 11 + i
        rows.append([day, day, "Serum launch - Prospecting", "active", results, "actions:offsite_conversion",
                     f"{int(impressions * 0.8):,}", f"{impressions:,}", f"{spend / results:.2f}", f"{spend:,.2f}",
                     f"{clicks:,}", f"{spend * 1000 / impressions:.2f}", f"{clicks / impressions:.2%}"])
    write_csv("meta-2026-12.csv", rows)


def tiktok() -> None:
    header = ["By Day", "Campaign name", "Cost", "CPM", "Impression", "Clicks (Destination)", "CTR (Destination)",
              "Conversions", "Cost per conversion"]
    rows = [header]
    for i, day in enumerate(DAYS):
        cost, imp, clicks, conv = 95.5 + 4 * i, 18400 + 900 * i, 240 + 9 * i, 6 + i
        rows.append([day, "Serum_US_Spark", f"{cost:.2f}", f"{cost * 1000 / imp:.2f}", imp, clicks,
                     f"{clicks / imp:.2%}", conv, f"{cost / conv:.2f}"])
    rows.append(["Total of 7 results", "-", "766.50", "", 151200, 1869, "", 63, ""])
    write_xlsx("tiktok-2026-12.xlsx", rows)


def oceanengine() -> None:
    """GB18030 (Excel's "ANSI" CSV on a Chinese Windows), a title row above the header, 万 and ¥, a 合计 row."""
    rows: list[list[object]] = [["巨量引擎 广告数据报表 2026-12-01 至 2026-12-07"], []]
    rows.append(["日期", "广告计划", "消耗(元)", "展示数", "点击数", "点击率", "转化数", "转化成本"])
    for i, day in enumerate(DAYS):
        spend = 3200 + 150 * i
        rows.append([day, "沁润精华-抖音信息流", f"¥{spend:,.2f}", f"{12 + i * 0.5:.1f}万", f"{2800 + 60 * i:,}",
                     f"{(2800 + 60 * i) / ((12 + i * 0.5) * 10000):.1%}", 40 + 3 * i, f"{spend / (40 + 3 * i):.2f}"])
    rows.append(["合计", "", "¥25,550.00", "101.5万", "21,860", "2.2%", "343", "74.49"])
    write_csv("oceanengine-2026-12.csv", rows, encoding="gb18030")


def xiaohongshu() -> None:
    """UTF-8 with a BOM; 2026-12-03 is in the file twice (an export pasted under another)."""
    rows: list[list[object]] = [["时间", "计划名称", "消费", "展现量", "点击量", "点击率", "互动量", "平均点击成本"]]
    for i, day in enumerate(DAYS):
        spend = 1500 + 80 * i
        rows.append([day, "沁润精华-种草笔记", f"{spend:,.2f}", f"{56000 + 2500 * i:,}", f"{1900 + 70 * i:,}",
                     f"{(1900 + 70 * i) / (56000 + 2500 * i):.2%}", f"{420 + 15 * i:,}",
                     f"{spend / (1900 + 70 * i):.2f}"])
    rows.insert(5, list(rows[3]))  # 2026-12-03 again
    rows.append(["总计", "", "11,340.00", "434,500", "14,770", "3.40%", "3,255", "0.77"])
    write_csv("xiaohongshu-2026-12.csv", rows)


def tencent() -> None:
    """XLSX with a merged title row above the header, 花费(元) and 曝光次数."""
    header = ["日期", "推广计划", "花费(元)", "曝光次数", "点击次数", "点击率", "转化次数"]
    rows: list[list[object]] = [header]
    for i, day in enumerate(DAYS):
        rows.append([day, "沁润精华-朋友圈", f"{880 + 40 * i:,.2f}", 30500 + 1000 * i, 610 + 20 * i,
                     f"{(610 + 20 * i) / (30500 + 1000 * i):.2%}", 15 + i])
    write_xlsx("tencent-2026-12.xlsx", rows, title="腾讯广告 投放端报表（2026-12-01 ~ 2026-12-07）", width=len(header))


def malformed() -> None:
    write_csv("missing-columns.csv", [["Date", "Notes", "Owner"], ["2026-12-01", "kickoff", "Li Na"]])
    write_csv("ambiguous.csv", [["日期", "计划名称", "花费", "点击量"], ["2026-12-01", "沁润精华-测试", "1,200.00", "350"],
                                ["2026-12-02", "沁润精华-测试", "1,310.00", "372"]])
    write_csv("tiktok-bad-cells.csv", [
        ["By Day", "Campaign name", "Cost", "Impression", "Clicks (Destination)", "Conversions"],
        ["2026-12-01", "Serum_US_Spark", "95.50", "18,400", "240", "6"],
        ["2026-12-02", "Serum_US_Spark", "about 100", "19,300", "249", "7"],
        ["not a day", "Serum_US_Spark", "99.50", "20,200", "258", "8"],
        ["2026-12-04", "Serum_US_Spark", "101.50", "21,100", "267", "--"],
    ])


if __name__ == "__main__":
    meta()
    tiktok()
    oceanengine()
    xiaohongshu()
    tencent()
    malformed()
