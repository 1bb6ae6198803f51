"""陈晨 walks issue 18 in a Chinese book: goals, budget, imported ad-platform results — what she types and reads.

The data analyst of a Shanghai agency fills a fresh `init --lang zh` book by hand
as she types (30万, ¥120,000, 9万, full-width digits, 人民币), imports the week's
巨量引擎 export (GB18030, a title row, a 合计 row) and syncs. Each test is one
thing she did and what she should have seen, with the numbers worked by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from money_books import read_sheet

from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.i18n import _

LAUNCH = dt.date(2027, 1, 20)
FLIGHT_END = dt.date(2027, 2, 28)  # the flight: 2027-01-20..2027-02-28, 40 days
TODAY = "2027-01-27"  # the 8th day of the flight; the export covers the first 7


def oceanengine_export(path: Path) -> Path:
    """巨量引擎's daily report as its Chinese UI downloads it: a title row, GB18030, 消耗(元) with thousands, 合计."""
    rows = ["巨量引擎 数据报表 2027-01-20 至 2027-01-26,,,,,,,",
            "日期,广告计划名称,消耗(元),展示数,点击数,点击率,平均千次展现费用(元),转化数"]
    for i in range(7):  # spend 3,000 … 3,600: 23,100 in all
        day = LAUNCH + dt.timedelta(days=i)
        rows.append(f'{day},新品-抖音信息流,"{3000 + 100 * i:,}.00",{100000 + 5000 * i},{2500 + 50 * i},2.5%,30.00,'
                    f'{40 + i}')
    rows.append('合计,,"23,100.00",805000,18550,,,301')
    path.write_text("\n".join(rows) + "\n", encoding="gb18030")
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Chinese book filled as 陈晨 types, with one week of 巨量引擎 results imported."""
    folder = tmp_path_factory.mktemp("walk")
    path = folder / "新品.xlsx"
    assert main(["init", str(path), "--lang", "zh", "--launch", LAUNCH.isoformat(), "--today", TODAY]) == 0
    wb = openpyxl.load_workbook(path)
    project = wb["项目"]
    for row in project.iter_rows(min_row=2):
        value = {"预算": "30万", "币种": "人民币", "投放结束": "2027年2月28日"}.get(row[0].value)
        if value is not None:
            row[1].value = value
    wb["目标"].append(("曝光 600 万", "曝光", "600万", None, "陈晨"))  # By blank: the flight's end
    wb["目标"].append(("转化成本不高于 80 元", "CPA", "￥８０", "2027-02-28", "陈晨"))
    budget = wb["预算"]
    for line in (("抖音信息流", "巨量引擎", "陈晨", "¥120,000"),
                 ("素材制作", None, "王磊", "2万", "2万", "¥18,500"),  # paid up front: 18,500 of the 20,000 signed
                 ("达人合作", None, "张敏", "５万", "4.5万"),  # signed 45,000, nothing paid yet
                 ("预留", None, "张敏", "17万")):  # the lines plan 360,000 > the approved 300,000
        budget.append(line)
    wb.save(path)
    assert main(["import", str(path), str(oceanengine_export(folder / "巨量引擎_0120-0126.csv")), "--today", TODAY]) == 0
    return path


def sync_json(book: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    main(["sync", str(book), "--today", TODAY, "--json"])
    return json.loads(capsys.readouterr().out)


def test_lines_planning_more_than_the_budget_name_the_sheet_in_chinese(book: Path, capsys) -> None:
    """She read “Budget”表各项计划合计… — the one English word in a Chinese Problem: it must say “预算”表."""
    report = sync_json(book, capsys)
    [problem] = [p for p in report["problems"] if "¥300,000" in p["problem"]]
    assert "“预算”表" in problem["problem"] and "Budget" not in problem["problem"]
    assert "¥360,000" in problem["problem"]


def test_a_cost_paid_up_front_is_not_projected_at_a_daily_rate(book: Path, capsys) -> None:
    """素材制作 (18,500 paid of 20,000 signed, no platform) read 预计超支 with a forecast of ¥92,500 (18,500/8×40).

    A cost that is not spent day by day will cost what is signed: Forecast = max(Spent, Committed) = 20,000, 正常.
    A signed 达人合作 (45,000, nothing paid) forecast ¥0: it will cost at least the 45,000 promised.
    """
    sync_json(book, capsys)
    lines = {r["项目"]: (r["预测花费"], r["标记"]) for r in read_sheet(book, "Budget", "zh")}
    assert lines["素材制作"] == (20000, "正常")
    assert lines["达人合作"] == (45000, "正常")
    assert lines["抖音信息流"][0] > 120000  # the platform's spend at its daily rate (next test)


def test_the_rate_is_the_days_the_export_covers_not_today(book: Path, capsys) -> None:
    """On 01-27 the export holds 01-20..01-26: 23,100 in 7 days is 3,300 a day, 132,000 by 02-28 — over the
    120,000 planned. Dividing by 8 days (today counted, with no data yet) forecast 115,500 and said 正常:
    the overrun she imports the data to see was hidden, and a goal's 当前应达 ran a day ahead of its 实际.
    """
    sync_json(book, capsys)
    lines = {r["项目"]: (r["预测花费"], r["标记"]) for r in read_sheet(book, "Budget", "zh")}
    assert lines["抖音信息流"] == (132000, "预计超支")
    goals = {r["目标"]: (r["实际"], r["当前应达"], r["标记"]) for r in read_sheet(book, "Goals", "zh")}
    assert goals["曝光 600 万"] == (805000, 6000000 * 7 / 40, "落后")  # 1,050,000 expected through 01-26
    assert goals["转化成本不高于 80 元"] == (round(23100 / 301, 2), 80, "进展正常")  # ¥76.74


def test_the_total_forecast_adds_up_the_lines(book: Path, capsys) -> None:
    """The 预算 line's forecast is the lines' own: 132,000 + 20,000 + 45,000 + 0 = 197,000 (not the typed 18,500
    projected with the ads' rate: (23,100 + 18,500) / 8 × 40 = 208,000)."""
    report = sync_json(book, capsys)
    assert report["budget"]["forecast"] == 197000
    assert report["budget"]["spent"] == 41600  # 23,100 from the export + 18,500 typed
    capsys.readouterr()
    main(["sync", str(book), "--today", TODAY])
    out = capsys.readouterr().out
    assert "预算：已花费 ¥41,600／¥300,000（14%），预计 ¥197,000" in out


def test_a_cpa_leaves_out_the_spend_of_a_platform_that_does_not_report_conversions(tmp_path: Path, capsys) -> None:
    """The demo's 转化成本不高于 80 元 read ¥110 落后: 小红书聚光's spend (its export has no 转化 column, the cell is
    blank, not 0) was divided by 巨量引擎's conversions. A ratio is taken over the rows that report both parts:
    (3 × 3,000 + 600) / (3 × 40 + 0) = ¥80, 进展正常 — a 巨量 day with 0 conversions still counts.
    """
    from money_books import make_book
    from money_case import SETTINGS_ZH

    day = dt.date(2026, 12, 2)
    results = [(day, "oceanengine", "信息流", "CNY", 3000, 100000, None, 2500, None, None, None, 40),
               (day + dt.timedelta(1), "oceanengine", "信息流", "CNY", 3000, 100000, None, 2500, None, None, None, 40),
               (day + dt.timedelta(2), "oceanengine", "信息流", "CNY", 3000, 100000, None, 2500, None, None, None, 40),
               (day + dt.timedelta(3), "oceanengine", "信息流", "CNY", 600, 20000, None, 500, None, None, None, 0)]
    results += [(day + dt.timedelta(i), "xiaohongshu", "种草", "CNY", 1500, 56000, None, 1900, 420) for i in range(4)]
    goals = [("转化成本不高于 80 元", "CPA", 80, dt.date(2026, 12, 30), "陈晨")]
    path = make_book(tmp_path / "cpa.xlsx", today=dt.date(2026, 12, 6), lang="zh", settings=SETTINGS_ZH,
                     goals=goals, results=results)
    capsys.readouterr()
    main(["sync", str(path), "--today", "2026-12-06"])
    [goal] = read_sheet(path, "Goals", "zh")
    assert (goal["实际"], goal["标记"]) == (80, "进展正常")  # 9,600 / 120 — the 0-conversion day counts, 小红书 does not


def import_out(capsys: pytest.CaptureFixture[str], book: Path, *files: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["import", str(book), *map(str, files), "--today", TODAY])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_mistyped_file_name_says_so_in_chinese(book: Path, capsys, tmp_path: Path) -> None:
    """She typed 聚光_1月.csv for 聚光_01月.csv and read “[Errno 2] No such file or directory” with the fix 请从投放平台
    重新导出 — English, and the wrong fix: the file is not bad, the name is."""
    code, out = import_out(capsys, book, tmp_path / "聚光_1月.csv")
    assert code != 0
    assert "Errno" not in out and "No such file" not in out
    with i18n.language("zh"):  # the lead's catalogue: 找不到该文件；检查文件名和所在文件夹
        problem, fix = _("there is no such file"), _("check the file's name and folder")
    assert f"{problem}；{fix}" in out


def test_a_csv_saved_with_an_xlsx_name_still_reads(book: Path, capsys, tmp_path: Path) -> None:
    """A colleague renamed the 巨量引擎 CSV to .xlsx (or the platform's "Excel" download is tab-separated text):
    pandas said “Excel file format cannot be determined, you must specify an engine manually.” — in English.
    The cells are there: read them as the text they are."""
    text = oceanengine_export(tmp_path / "e.csv").read_bytes().replace("新品-抖音信息流".encode("gb18030"),
                                                                        "新品-抖音搜索".encode("gb18030"))
    renamed = tmp_path / "巨量引擎_搜索.xlsx"
    renamed.write_bytes(text)
    code, out = import_out(capsys, book, renamed)
    assert "导入 7 行" in out and "engine" not in out
    assert code == 0


def test_an_old_excel_xls_file_is_a_problem_not_a_traceback(book: Path, capsys, tmp_path: Path) -> None:
    """腾讯广告's "下载报表" gave her an Excel 97–2003 .xls: the import died with an ImportError traceback
    (python-calamine / xlrd are not installed). It must say what to do: save it as .xlsx."""
    old = tmp_path / "腾讯广告_0120-0126.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # the OLE2 signature every .xls starts with
    code, out = import_out(capsys, book, old)
    assert code == 1
    assert "Traceback" not in out and "calamine" not in out
    with i18n.language("zh"):  # the lead's catalogue: 这是旧版 Excel 97-2003（.xls）文件… 另存为 .xlsx 或 CSV 后再导入
        assert _("open it in Excel or WPS and save it as .xlsx or CSV, then import that") in out


def test_each_platform_is_projected_over_the_days_its_own_export_covers(tmp_path: Path, capsys) -> None:
    """On 12-06 she has 巨量引擎 through 12-05 but 聚光's export only through 12-03 (its report lags). 聚光 spent
    1,000 a day: 3,000 / 3 days × 30 = 30,000 — not 3,000 / 5 days × 30 = 18,000 because another platform is fresher.
    """
    from money_books import make_book
    from money_case import SETTINGS_ZH

    first = dt.date(2026, 12, 1)
    results = [(first + dt.timedelta(i), "oceanengine", "信息流", "CNY", 1000) for i in range(5)]
    results += [(first + dt.timedelta(i), "xiaohongshu", "种草", "CNY", 1000) for i in range(3)]
    budget = [("抖音", "oceanengine", "陈晨", 100000), ("小红书", "xiaohongshu", "陈晨", 50000)]
    path = make_book(tmp_path / "lag.xlsx", today=dt.date(2026, 12, 6), lang="zh", settings=SETTINGS_ZH,
                     budget=budget, results=results)
    capsys.readouterr()
    main(["sync", str(path), "--today", "2026-12-06"])
    lines = {r["项目"]: r["预测花费"] for r in read_sheet(path, "Budget", "zh")}
    assert lines == {"抖音": 30000, "小红书": 30000}


def test_spend_on_a_platform_no_budget_line_names_is_said(tmp_path: Path, capsys) -> None:
    """She has a 预算 line for 抖音 only, and imports 小红书聚光 too: 预算：已花费 left its ¥3,000 out, silently.
    Adding it to a line would double-count a hand-typed line covering it; a Problem on the 预算 sheet says so."""
    from money_books import make_book
    from money_case import SETTINGS_ZH

    first = dt.date(2026, 12, 1)
    results = [(first + dt.timedelta(i), "oceanengine", "信息流", "CNY", 1000) for i in range(3)]
    results += [(first + dt.timedelta(i), "xiaohongshu", "种草", "CNY", 1000) for i in range(3)]
    path = make_book(tmp_path / "gap.xlsx", today=dt.date(2026, 12, 4), lang="zh", settings=SETTINGS_ZH,
                     budget=[("抖音", "oceanengine", "陈晨", 5000)], results=results)
    capsys.readouterr()
    main(["sync", str(path), "--today", "2026-12-04", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["budget"]["spent"] == 3000  # the lines' own: 抖音's
    with i18n.language("zh"):
        expected = _("{platform}'s Results spend of {amount} is in no Budget line, so the totals leave it out",
                     platform="小红书聚光", amount="¥3,000")
    [problem] = [p for p in report["problems"] if p["problem"] == expected]
    assert problem["sheet"] == "预算"


def test_rows_dated_after_today_are_said(tmp_path: Path, capsys) -> None:
    """She imported a 2027 export into a book whose today is 2026-12-10 (a wrong year in the file, or the wrong
    --today): 导入 7 行, and then nothing counted them anywhere. The import must say they are in the future."""
    path = tmp_path / "早.xlsx"
    assert main(["init", str(path), "--lang", "zh", "--launch", "2026-12-24", "--today", "2026-12-10"]) == 0
    capsys.readouterr()
    code = main(["import", str(path), str(oceanengine_export(tmp_path / "oe.csv")), "--today", "2026-12-10"])
    out = capsys.readouterr().out
    assert "导入 7 行" in out and code == 1
    with i18n.language("zh"):
        said = i18n.n_("{count} row is dated after today, {first}: it counts from that day, not now",
                       "{count} rows are dated after today, from {first}: they count from their days, not now", 7,
                       count=7, first="2027-01-20")
    assert said in out


def test_a_juguang_report_named_as_its_guides_name_the_columns_is_recognised(tmp_path: Path, capsys) -> None:
    """聚光's 数据报告 as agency guides describe it (曝光量、点击量、消耗金额, 互动量) fit 腾讯广告 (曝光量, 点击量) as well
    as 聚光 (点击量, 互动量): she was asked for --platform. 消耗金额 and 曝光量 are 聚光 words too."""
    path = tmp_path / "j.xlsx"
    assert main(["init", str(path), "--lang", "zh", "--launch", "2027-01-20", "--today", TODAY]) == 0
    export = tmp_path / "聚光_计划报告.csv"
    export.write_text("时间,计划名称,消耗金额,曝光量,点击量,互动量\n2027-01-20,新品-种草笔记,\"¥1,500.00\",5.6万,1900,420\n"
                      "合计,-,\"¥1,500.00\",5.6万,1900,420\n", encoding="utf-8-sig")
    code, out = import_out(capsys, path, export)
    assert "（小红书聚光）导入 1 行" in out and code == 0
    [row] = read_sheet(path, "Results", "zh")
    assert (row["平台"], row["花费"], row["曝光"], row["互动"]) == ("小红书聚光", 1500, 56000, 420)


def test_a_file_that_fits_two_platforms_names_them_in_chinese(tmp_path: Path, capsys) -> None:
    """“与多个平台的导出格式相符：xiaohongshu, tencent” — she knows 小红书聚光 and 腾讯广告, not the words --platform takes;
    both are shown."""
    path = tmp_path / "a.xlsx"
    assert main(["init", str(path), "--lang", "zh", "--launch", "2027-01-20", "--today", TODAY]) == 0
    export = tmp_path / "不知道哪个平台.csv"
    export.write_text("日期,计划名称,花费,点击量\n2027-01-20,新品,\"1,200.00\",350\n", encoding="utf-8-sig")
    code, out = import_out(capsys, path, export)
    assert code == 1 and "小红书聚光（xiaohongshu）、腾讯广告（tencent）" in out
    assert "--platform xiaohongshu" in out


@pytest.mark.parametrize(("typed", "actual"), [("转化成本", 75), ("曝光量", 100000), ("展现量", 100000),
                                               ("千次展现成本", 30), ("平均点击单价", 1.2), ("互动量", 300),
                                               ("转化数", 40), ("涨粉", 20), ("投产比", 3), ("ＧＭＶ", 9000),
                                               ("消耗", 3000)])
def test_a_metric_typed_as_the_platforms_name_it_is_read(tmp_path: Path, capsys, typed: str, actual: float) -> None:
    """She typed 指标 as her platforms' reports name it (转化成本, 曝光量, 投产比…) and got 待修正 with “不是 impressions,
    reach, clicks…之一”. Those words mean one metric each: read them as it."""
    from money_books import make_book
    from money_case import SETTINGS_ZH

    results = [(dt.date(2026, 12, 1), "oceanengine", "信息流", "CNY", 3000, 100000, None, 2500, 300, 20, None, 40,
                9000)]
    path = make_book(tmp_path / "m.xlsx", today=dt.date(2026, 12, 2), lang="zh", settings=SETTINGS_ZH,
                     goals=[("目标", typed, 100, dt.date(2026, 12, 30), "陈晨")], results=results)
    capsys.readouterr()
    main(["sync", str(path), "--today", "2026-12-02"])
    [goal] = read_sheet(path, "Goals", "zh")
    assert goal["标记"] != "待修正" and goal["实际"] == actual  # one day: 3,000 spent, 10万 shown, 40 converted…
    wb = openpyxl.load_workbook(path)
    assert wb["目标"]["B2"].value == typed  # her word stays; sheetsync reads it, it does not rewrite it


def test_the_budget_line_names_a_line_that_will_overrun_when_the_total_does_not(tmp_path: Path, capsys) -> None:
    """The demo's brief said 预算：…预计 ¥269,820——未超预算 while its 巨量引擎 line forecast ¥138,700 of ¥120,000
    (预计超支 in the table she never sees in a brief). 25,550 / 7 days × 38 = 138,700."""
    path = tmp_path / "活动.xlsx"
    capsys.readouterr()
    assert main(["init", str(path), "--demo", "--lang", "zh", "--today", "2026-12-08"]) == 0
    out = capsys.readouterr().out
    with i18n.language("zh"):
        head = _("Budget: spent {spent} of {budget} ({pct}), forecast {forecast}", spent="¥56,230",
                 budget="¥300,000", pct="19%", forecast="¥269,820")
        line = _("{head} — within budget, but {item} will overrun: forecast {forecast} of {planned}", head=head,
                 item="巨量引擎 抖音信息流", forecast="¥138,700", planned="¥120,000")
    assert line in out.splitlines()


def test_platform_may_be_named_in_chinese_and_an_unknown_one_is_refused_plainly(capsys):
    """`--platform 小红书聚光` is what she types; `--platform 微博` is told which platforms there are."""
    from sheetsync.cli_parser import build_parser

    parser = build_parser()
    assert parser.parse_args(["import", "a.xlsx", "b.csv", "--platform", "小红书聚光"]).platform == "xiaohongshu"
    assert parser.parse_args(["import", "a.xlsx", "b.csv", "--platform", "巨量引擎"]).platform == "oceanengine"
    assert parser.parse_args(["import", "a.xlsx", "b.csv", "--platform", "TikTok"]).platform == "tiktok"
    assert main(["import", "a.xlsx", "b.csv", "--platform", "微博"]) == 2
    err = capsys.readouterr().err
    assert '"微博" is not a platform sheetsync imports' in err and "oceanengine (巨量引擎)" in err
