"""`sheetsync import`: the ad platforms' exports (tests/data/exports, made by make_exports.py) into the Results sheet.

Each file becomes rows or a located Problem; a second import adds nothing; nothing is written over a
person's cell; the answer and the Log row are in the book's language.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.results import read_export
from sheetsync.results.report import render_import

EXPORTS = Path(__file__).parent / "data" / "exports"
TODAY = dt.date(2026, 12, 8)


def results_rows(path: Path) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    sheet = book["Results"] if "Results" in book.sheetnames else book["投放数据"]
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]


def log_rows(path: Path) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    sheet = book["Log"] if "Log" in book.sheetnames else book["日志"]
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "campaign.xlsx"
    assert main(["init", str(path), "--today", TODAY.isoformat()]) == 0
    return path


@pytest.mark.parametrize(
    ("name", "platform", "first"),
    [
        ("meta-2026-12.csv", "meta",
         (dt.date(2026, 12, 1), "Serum launch - Prospecting", "USD",
          {"Spend": 180.0, "Impressions": 21000.0, "Reach": 16800.0, "Clicks": 310.0, "Conversions": 11.0})),
        ("tiktok-2026-12.xlsx", "tiktok",
         (dt.date(2026, 12, 1), "Serum_US_Spark", "CNY",
          {"Spend": 95.5, "Impressions": 18400.0, "Clicks": 240.0, "Conversions": 6.0})),
        ("oceanengine-2026-12.csv", "oceanengine",  # GB18030, a title row, ¥3,200.00 and 12.0万, a 合计 row
         (dt.date(2026, 12, 1), "沁润精华-抖音信息流", "CNY",
          {"Spend": 3200.0, "Impressions": 120000.0, "Clicks": 2800.0, "Conversions": 40.0})),
        ("xiaohongshu-2026-12.csv", "xiaohongshu",
         (dt.date(2026, 12, 1), "沁润精华-种草笔记", "CNY",
          {"Spend": 1500.0, "Impressions": 56000.0, "Clicks": 1900.0, "Engagements": 420.0})),
        ("tencent-2026-12.xlsx", "tencent",  # a merged title row above the header
         (dt.date(2026, 12, 1), "沁润精华-朋友圈", "CNY",
          {"Spend": 880.0, "Impressions": 30500.0, "Clicks": 610.0, "Conversions": 15.0})),
    ],
)
def test_each_platform_export_is_recognised_and_read_to_seven_days(name, platform, first):
    export = read_export(EXPORTS / name, currency="CNY")
    assert export.platform == platform
    assert [r.day for r in export.rows] == [dt.date(2026, 12, d) for d in range(1, 8)]  # totals row skipped
    row = export.rows[0]
    assert (row.day, row.campaign, row.currency, row.values) == first
    duplicated = [p for p in export.problems if "twice" in p.problem]
    assert len(export.problems) == len(duplicated) == (1 if platform == "xiaohongshu" else 0)


def test_a_repeated_day_keeps_the_first_row_and_is_one_problem_on_its_line():
    export = read_export(EXPORTS / "xiaohongshu-2026-12.csv")
    (problem,) = export.problems
    assert (problem.sheet, problem.cell) == ("xiaohongshu-2026-12.csv", "line 6")
    assert "2026-12-03" in problem.problem and "line 4" in problem.problem
    assert sum(r.day == dt.date(2026, 12, 3) for r in export.rows) == 1


def test_an_unreadable_cell_is_a_problem_naming_the_file_line_and_column_and_its_row_is_left_out():
    export = read_export(EXPORTS / "tiktok-bad-cells.csv")
    assert [(p.sheet, p.cell) for p in export.problems] == [
        ("tiktok-bad-cells.csv", "line 3, column Cost"), ("tiktok-bad-cells.csv", "line 4, column By Day")]
    assert '"about 100"' in export.problems[0].problem
    assert [r.day.day for r in export.rows] == [1, 4]
    assert "Conversions" not in export.rows[1].values  # "--" is the exports' no-data mark: empty, not a problem


def test_an_unrecognised_file_is_one_problem_naming_its_columns_and_the_fix():
    export = read_export(EXPORTS / "missing-columns.csv")
    (problem,) = export.problems
    assert export.platform is None and not export.rows
    assert "Date, Notes, Owner" in problem.problem and "--platform" in problem.fix


def test_ambiguous_columns_ask_for_platform_and_platform_reads_them():
    export = read_export(EXPORTS / "ambiguous.csv")
    assert export.platform is None and "--platform" in export.problems[0].fix
    forced = read_export(EXPORTS / "ambiguous.csv", platform="tencent")
    assert forced.platform == "tencent" and not forced.problems
    assert [r.values for r in forced.rows] == [{"Spend": 1200.0, "Clicks": 350.0}, {"Spend": 1310.0, "Clicks": 372.0}]


def test_import_appends_rows_logs_them_and_a_second_import_adds_nothing(book, capsys):
    files = [str(EXPORTS / n) for n in ("meta-2026-12.csv", "oceanengine-2026-12.csv", "tencent-2026-12.xlsx")]
    assert main(["import", str(book), *files, "--today", "2026-12-08"]) == 0
    out = capsys.readouterr().out
    assert "Imported 7 rows from meta-2026-12.csv (Meta)." in out
    rows = results_rows(book)
    assert len(rows) == 21
    assert rows[0][:6] == (dt.datetime(2026, 12, 1), "meta", "Serum launch - Prospecting", "USD", 180, 21000)
    assert rows[-1][-1] == "tencent-2026-12.xlsx"
    (log,) = [r for r in log_rows(book) if r[1] == "import"]
    assert "meta-2026-12.csv: 7 rows" in log[5] and log[3] > 21 * 5
    before = book.read_bytes()
    assert main(["import", str(book), *files, "--today", "2026-12-08"]) == 0
    out = capsys.readouterr().out
    assert "Imported 0 rows from meta-2026-12.csv (Meta); 7 already there." in out
    assert book.read_bytes() == before  # not even a Log row


def test_rows_go_below_a_persons_note_and_no_cell_is_written_over(book):
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Results"]
    sheet["A2"], sheet["B2"], sheet["E2"] = dt.datetime(2026, 12, 2), "meta", 1
    sheet["C2"] = "Serum launch - Prospecting"
    sheet["N6"] = "typed by Chen Chen: agency fee not included"
    workbook.save(book)
    report = sheetsync.open(book).import_results([EXPORTS / "meta-2026-12.csv"], today=TODAY)
    assert (report.added, report.already) == ({"meta-2026-12.csv": 6}, {"meta-2026-12.csv": 1})
    sheet = openpyxl.load_workbook(book)["Results"]
    assert sheet["E2"].value == 1  # the person's own number for 12-02 stays
    assert sheet["N6"].value == "typed by Chen Chen: agency fee not included"
    assert [sheet.cell(r, 1).value for r in range(3, 7)] == [None] * 4
    assert sheet["A7"].value == dt.datetime(2026, 12, 1) and sheet["A12"].value == dt.datetime(2026, 12, 7)


def test_a_book_without_a_results_sheet_is_told_how_to_add_it(book, capsys):
    workbook = openpyxl.load_workbook(book)
    del workbook["Results"]
    workbook.save(book)
    before = book.read_bytes()
    assert main(["import", str(book), str(EXPORTS / "meta-2026-12.csv")]) == 1
    out = capsys.readouterr().out
    assert "no Results sheet" in out and "sheetsync init" in out and "Date, Platform, Campaign" in out
    assert book.read_bytes() == before


def test_json_lists_each_file_and_exit_1_with_problems(book, capsys):
    code = main(["import", str(book), str(EXPORTS / "tiktok-bad-cells.csv"), str(EXPORTS / "missing-columns.csv"),
                 "--json", "--today", "2026-12-08"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["file"], f["platform"], f["added"]) for f in answer["files"]] == [
        ("tiktok-bad-cells.csv", "tiktok", 2), ("missing-columns.csv", None, 0)]
    assert [p["cell"] for p in answer["problems"]] == ["line 3, column Cost", "line 4, column By Day", ""]
    assert answer["written"] and answer["rows_added"] == 2


def test_a_chinese_book_gets_chinese_platform_names_and_log_action(tmp_path, capsys):
    path = tmp_path / "zh.xlsx"
    assert main(["init", str(path), "--lang", "zh", "--today", "2026-12-08"]) == 0
    capsys.readouterr()
    copy = tmp_path / "巨量引擎-12月.csv"
    shutil.copy(EXPORTS / "oceanengine-2026-12.csv", copy)
    report = sheetsync.open(path).import_results([copy], today=TODAY)
    assert report.lang == "zh"
    rows = results_rows(path)
    assert rows[0][1:4] == ("巨量引擎", "沁润精华-抖音信息流", "CNY") and rows[0][-1] == "巨量引擎-12月.csv"
    assert [r[1] for r in log_rows(path) if r[1] == "导入"] == ["导入"]
    text = render_import(report)
    with i18n.language("zh"):
        expected = i18n.n_("Imported {count} row from {file} ({platform})",
                           "Imported {count} rows from {file} ({platform})", 7, count=7, file=copy.name,
                           platform="巨量引擎")
    assert text.splitlines()[0].startswith(expected)


def test_a_results_sheet_without_its_date_column_is_a_located_problem_and_nothing_is_written(book):
    workbook = openpyxl.load_workbook(book)
    workbook["Results"]["A1"] = "Day of the week"
    workbook.save(book)
    before = book.read_bytes()
    report = sheetsync.open(book).import_results([EXPORTS / "meta-2026-12.csv"], today=TODAY)
    assert not report.written and book.read_bytes() == before
    assert [p.sheet for p in report.problems] == ["Results"] and "Date" in str(report.problems[0])


def test_platform_on_the_command_line_reads_an_ambiguous_export(book, capsys):
    assert main(["import", str(book), str(EXPORTS / "ambiguous.csv"), "--today", "2026-12-08"]) == 1
    assert "--platform" in capsys.readouterr().out
    assert main(["import", str(book), str(EXPORTS / "ambiguous.csv"), "--platform", "tencent",
                 "--today", "2026-12-08"]) == 0
    assert "Imported 2 rows from ambiguous.csv (Tencent Ads)." in capsys.readouterr().out
    assert [r[1] for r in results_rows(book)] == ["tencent", "tencent"]


def test_an_xlsx_export_with_real_dates_and_numbers_reads_them_as_they_are(tmp_path):
    path = tmp_path / "meta-typed.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Day", "Campaign name", "Amount spent (EUR)", "Impressions", "Link clicks", "Results"])
    sheet.append([dt.datetime(2026, 12, 1), "Serum EU", 120.5, 15000, 210, None])
    sheet.append([dt.datetime(2026, 12, 2), "Serum EU", 131.25, 16200, 222, 4])
    workbook.save(path)
    export = read_export(path)
    assert export.platform == "meta" and not export.problems
    assert [(r.line, r.day, r.currency, r.values) for r in export.rows] == [
        (2, dt.date(2026, 12, 1), "EUR", {"Spend": 120.5, "Impressions": 15000.0, "Clicks": 210.0}),
        (3, dt.date(2026, 12, 2), "EUR", {"Spend": 131.25, "Impressions": 16200.0, "Clicks": 222.0, "Conversions": 4.0}),
    ]


def test_a_bench_export_of_many_rows_reads_every_row():
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "scripts" / "lib"))
    import bench_import

    export = read_export(bench_import.write_export(Path(__import__("tempfile").mkdtemp()) / "oe.csv", 2_000))
    assert export.platform == "oceanengine" and len(export.rows) == 2_000 and not export.problems
    assert export.rows[0].values["Spend"] == 1000.0  # "¥1,000.00"
    assert export.rows[1].values["Impressions"] == 20_000.0  # 20,113 written as "2.0万"


def test_a_meta_row_that_covers_several_days_is_a_problem_not_a_day(tmp_path):
    path = tmp_path / "meta-summary.csv"
    text = (EXPORTS / "meta-2026-12.csv").read_text(encoding="utf-8-sig").splitlines()
    text[2] = text[2].replace("2026-12-02,2026-12-02", "2026-12-02,2026-12-07")  # not broken down by day
    path.write_text("\n".join(text), encoding="utf-8")
    export = read_export(path)
    assert [(p.cell, "2026-12-02 to 2026-12-07" in p.problem, "By time" in p.fix) for p in export.problems] == [
        ("line 3", True, True)]
    assert [r.day.day for r in export.rows] == [1, 3, 4, 5, 6, 7]


def test_a_utf16_tab_separated_export_reads_like_its_csv(tmp_path):
    import csv

    rows = list(csv.reader((EXPORTS / "ambiguous.csv").read_text(encoding="utf-8-sig").splitlines()))
    path = tmp_path / "tencent.txt"
    path.write_bytes("\n".join("\t".join(r) for r in rows).encode("utf-16"))
    export = read_export(path, platform="tencent")
    assert not export.problems and [r.values["Clicks"] for r in export.rows] == [350.0, 372.0]
