"""A Chinese book gets its Problems, RACI checks and Findings in Chinese, naming its own sheets and columns.

The zh demo is edited as a person would (openpyxl) to provoke every kind of
problem the parsers and engines report; after a sync no problem or fix holds an
English word, except IDs, codes, cell references and the names listed here.
"""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest

import sheetsync
from sheetsync import i18n
from sheetsync.engine.risks import INDICATOR_NAMES, INDICATORS

TODAY = dt.date(2026, 12, 7)
D = dt.datetime  # the demo's dates, as openpyxl writes them

# ASCII words a Chinese message may hold: codes people type (indicator and category ids, RACI letters
# are single letters), the product and its command, and the email example the fix shows.
ALLOWED = {
    "sheetsync", "init", "new", "xlsx",  # "运行 sheetsync init new.xlsx 可生成模板"
    "RACI",  # the sheet's name in both languages
    "ASCII", "SMTPUTF8", "RFC", "name", "example", "com", "agency", "chen",
    "absolute_claim",  # "填写类别编号（如 absolute_claim）"
    "CPA",  # cost per acquisition: Chinese ad platforms and agencies write it so (cpa_vs_target_pct)
    *INDICATOR_NAMES,
}
WORD = re.compile(r"[A-Za-z_]{2,}")
CELL_REF = re.compile(r"\b[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?\b")


def english_words(text: str, allowed: set[str] = ALLOWED) -> list[str]:
    """ASCII words of 2+ letters in `text` that are not IDs, cell references or allowed names."""
    return [w for w in WORD.findall(CELL_REF.sub(" ", text)) if w not in allowed]


def rows(ws, *values: tuple) -> None:
    """Append rows under the last one."""
    for row in values:
        ws.append(list(row))


def set_cells(ws, **cells) -> None:
    for ref, value in cells.items():
        ws[ref] = value


def provoke_everything(path) -> None:
    """Edit the zh demo so each parser and engine check in the problems part fires at least once."""
    wb = openpyxl.load_workbook(path)
    timeline, team, raci = wb["时间表"], wb["团队"], wb["RACI"]
    reviews, risks, feedback, rules = wb["审核"], wb["风险"], wb["反馈"], wb["文案规则"]

    set_cells(timeline, C11="外援")  # T10's owner is not in the team
    rows(
        team,
        (None, "实习生"),  # no name
        ("李娜", "文案"),  # listed twice
        ("周周", "设计", None, "代理方", "简要", "每日"),  # a digest and no email
    )
    team["C4"] = "陈晨 <chen.chen@agency.example.com>"  # a name around the address

    raci["I1"] = "外包"  # a column for someone not in the team
    raci["I2"] = "X"  # not a RACI letter
    set_cells(raci, C5="C", D5="R")  # 内部审核: 王磊 neither R nor A, and no A
    set_cells(raci, F6="A")  # 客户反馈与修改: two A
    set_cells(raci, G7=None)  # 客户审核: 刘洋 R → none, so no R
    set_cells(raci, A14=None, B14=None, C14=None, D14=None, E14=None, F14=None, G14=None, H14=None)  # T13 no row
    rows(
        raci,
        ("不存在的活动", None, "A", "R"),  # matches no milestone
        ("启动会与方案", None, "A", "R"),  # a second row for T1
        (None, None, "A", "R"),  # letters, no activity
    )

    reviews["H6"] = "全网最好用的修护精华！一瓶解决所有肌肤问题，无效退款，小蓝瓶！"
    d1, d3 = D(2026, 12, 1), D(2026, 12, 3)
    rows(
        reviews,
        ("T3", 1, "内部", "王磊", d1, "待审"),  # T3 is done but its copy has not passed
        ("海报B", 1, None, "王磊", d1, "待审"),  # no stage
        ("海报C", 1, "内部", None, d1, "待审"),  # no reviewer
        ("海报D", 1, "内部", "王磊", None, "待审"),  # no submission date
        ("海报E", 1, "内部", "王磊", d1, "通过"),  # decided, no date
        ("海报F", 1, "内部", "王磊", d1, "待审", d3),  # pending with a decision date
        ("海报G", 1, "内部", "王磊", d3, "通过", d1),  # decided before submitted
        ("海报H", 1, "内部", "王磊", d1, "通过", D(2026, 12, 20)),  # decided after today
        ("海报I", 1, "客户", "刘洋", d1, "待审"),  # no internal review in that round
        ("海报J", 1, "内部", "王磊", d1, "待审"),
        ("海报J", 1, "客户", "刘洋", d3, "待审"),  # before internal approved it
        ("海报K", 1, "内部", "王磊", d1, "需修改", d1),
        ("海报K", 3, "内部", "王磊", d3, "待审"),  # round 3 without round 2
        ("海报L", 1, "内部", "王磊", d1, "通过", d1),
        ("海报L", 2, "内部", "王磊", d3, "待审"),  # round 1 was not sent back
        (None, 1, "内部", "王磊", d1, "待审"),  # no asset
        ("海报M", 0, "内部", "王磊", d1, "待审"),  # round 0
    )

    rows(
        risks,
        ("R6", "无指标", "进度", None, ">= 1", "张敏"),
        ("R7", "未知指标", "进度", "不存在的指标", ">= 1", "张敏"),
        ("R8", "无阈值", "进度", "overdue_tasks", None, "张敏"),
        (None, "无编号", "进度", "overdue_tasks", ">= 1", "张敏"),
        ("R9", "阈值写错", "进度", "overdue_tasks", "大约2", "张敏"),
    )

    rows(
        feedback,
        (None, "刘洋", "没有收到日期", "T1", "张敏"),
        (d1, "刘洋", "没有关联", None, "张敏"),
        (d1, "刘洋", "关联不存在", "T99", "张敏"),
        (d3, "刘洋", "约定截止早于收到", "T1", "张敏", d1),
        (d1, "刘洋", "已完成无关闭日期", "T1", "张敏", None, "已完成"),
        (d1, "刘洋", "有关闭日期仍进行中", "T1", "张敏", None, "进行中", d3),
        ("=A2+1", "刘洋", "收到日期是公式", "T1", "张敏"),
    )
    feedback.merge_cells("B2:B3")

    rows(rules, ("最好", None), (None, "absolute_claim"), ("小蓝瓶", "guaranteed_outcome", "高", "客户法务清单"))
    wb.save(path)


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("zh") / "campaign.xlsx"
    sheetsync.create(path, lang="zh", demo=True, today=TODAY)
    provoke_everything(path)
    report = sheetsync.open(path).sync(today=TODAY)
    return path, report


def test_every_problem_of_a_chinese_book_is_chinese(zh_book):
    path, report = zh_book
    assert report.lang == "zh"
    english = {f"{p.sheet}!{p.cell}: {p.problem} | {p.fix}": english_words(f"{p.problem} {p.fix}") for p in report.problems}
    assert {where: words for where, words in english.items() if words} == {}
    # every kind provoked above is there (a few by their Chinese words, as the team reads them)
    said = "\n".join(f"{p.sheet}!{p.cell}: {p.problem}；{p.fix}" for p in report.problems)
    for expected in (
        "时间表!C11: “外援”不是团队表中的姓名或角色",
        "团队!A8: 该成员没有姓名",
        "“李娜”出现了两次（第一次在 A3）",
        "团队!C10: 周周会收到简要摘要，但没有邮箱；只填写一个邮箱地址，例如 name@example.com，或把摘要设为“无”",
        "团队!C4: “陈晨 <chen.chen@agency.example.com>”在地址外带有姓名或尖括号",
        "RACI!I1: “外包”是 RACI 表的列标题",
        "RACI!I2: “X”不是 R、A、C 或 I",
        "时间表!C5: T4 的负责人王磊在 RACI 表中（第 5 行）既不是 R 也不是 A；在那里把王磊设为 R 或 A，或更改负责人",
        "“内部审核”没有 A（批准人）",
        "“客户反馈与修改”有 2 个 A（王磊、张敏）",
        "“客户审核”没有 R（执行人）",
        "时间表!A14: T13 在 RACI 表中没有对应的行",
        "“不存在的活动”没有对应的时间表编号或里程碑",
        "T1 在 RACI 表中有第二行（第一行在第 2 行）",
        "这一行分配了字母，但没有活动",
        "时间表!H4: T3 标为“已完成”，但其文案第 1 轮尚未通过内部审核；按进行中跟踪；在审核表中完成内部审核，或把状态改回“进行中”",
        "海报B 第 1 轮的审核没有填阶段；选择内部、客户或合规",
        "海报C 第 1 轮的审核没有审核人",
        "海报D 第 1 轮的审核没有提交日期",
        "结论为“通过”，但没有决定日期",
        "海报F 第 1 轮的审核已有决定日期，但结论仍是“待审”；填写结论，或清空决定日期",
        "决定日期 2026-12-01 早于提交日期（2026-12-03）",
        "决定日期 2026-12-20 晚于今天（2026-12-07）",
        "已记录海报I 第 1 轮的客户审核，但这一轮没有内部审核；先记录内部审核（审核顺序为内部 → 客户 → 合规）",
        "审核!C20: 海报J 第 1 轮的客户审核（第 20 行）记录在内部审核（第 19 行）通过之前；等待内部审核通过，或更正第 19 行的结论或日期",
        "海报K 有第 3 轮，却没有第 2 轮",
        "海报L 第 2 轮已开始，但第 1 轮并未退回（没有需修改或驳回）",
        "该审核没有素材",
        "不存在第 0 轮",
        "风险 R6 没有填指标；从以下选一个：overdue_tasks（已过截止日期的未完成任务数）、",
        "“不存在的指标”不是 sheetsync 能计算的指标",
        "风险 R8 没有阈值",
        "该风险没有编号",
        "“大约2”不是阈值",
        "该反馈没有收到日期",
        "该反馈未关联任何事项",
        "“T99”既不是时间表编号，也不是审核素材",
        "约定截止 2026-12-01 早于收到日期",
        "该反馈为“已完成”，但没有关闭日期",
        "该反馈已填关闭日期，但状态仍为“进行中”；把状态改为已完成或不处理，或清空关闭日期",
        "反馈!A12: 此处是公式（=A2+1），sheetsync 需要直接填写的收到日期",
        "反馈!B2:B3: 单元格 B2:B3 已合并",
        "文案规则!B2: “最好”没有类别",
        "该规则没有词语",
    ):
        assert expected in said


def test_raci_checks_and_findings_are_written_in_chinese(zh_book):
    path, _report = zh_book
    wb = openpyxl.load_workbook(path)
    checks = {row[0]: row[1] for row in wb["RACI"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert checks["内部审核"] == "缺少 A；负责人王磊不是 R 或 A"
    assert checks["客户反馈与修改"] == "2 个 A：王磊、张敏"
    assert checks["客户审核"] == "缺少 R；负责人刘洋不是 R 或 A"
    assert checks["不存在的活动"] == "没有对应的里程碑"
    assert checks["启动会与方案"] == "T1 已有一行"  # the second row for T1 (the dict keeps the last)
    findings = wb["审核"]["J6"].value.split("\n")  # one finding per line
    assert findings[0].startswith("「最好用」 绝对化用语 · 高 · 《中华人民共和国广告法》第九条")
    assert "→ 建议：" in findings[0]
    assert "「无效退款」 保证效果 · 高 · " in findings[1]
    assert findings[2] == "「小蓝瓶」 保证效果 · 高 · 文案规则表：客户法务清单"
    assert all(not english_words(line.split(" → ")[0]) for line in findings)


def test_missing_sheets_and_columns_name_the_chinese_words_first(tmp_path):
    path = tmp_path / "campaign.xlsx"
    sheetsync.create(path, lang="zh", demo=True, today=TODAY)
    wb = openpyxl.load_workbook(path)
    wb["风险"]["A1"] = "编码"  # 编号 mistyped: the required column is missing
    wb["反馈"]["J1"] = None  # the Flag column gone, and notes where sheetsync would add it
    wb["反馈"]["K1"] = None  # (and the Impact column right of it, which only whatif --record adds back)
    wb["反馈"]["J3"] = "先打电话"
    wb["审核"].merge_cells("A2:A3")
    wb.save(path)
    problems = sheetsync.open(path).sync(today=TODAY).problems
    said = {(p.sheet, p.cell, p.problem, p.fix) for p in problems}
    assert ("风险", "A1", "缺少必填列“编号”（英文表头“ID”亦可）", "把表头“编码”改为“编号”") in said
    assert (
        "反馈",
        "J3",
        "缺少计算列“标记”，而本应添加该列的 J 列中已有无表头的内容；这些单元格保持不变",
        "在空白列添加表头“标记”（由 sheetsync 填写），或给 J 列加上自己的表头",
    ) in said
    assert ("审核", "A2:A3", "单元格 A2:A3 已合并；sheetsync 只读取 A2，也不会写入其余单元格", "取消合并，并逐行填写") in said

    wb = openpyxl.load_workbook(path)
    del wb["时间表"]
    wb.save(path)
    missing = [p for p in sheetsync.open(path).sync(today=TODAY).problems if p.sheet == "时间表"]
    assert [p.problem for p in missing] == ["工作簿中没有“时间表”工作表（Timeline）"]
    assert missing[0].fix == "添加名为“时间表”的工作表，并按约定填写表头（运行 sheetsync init new.xlsx 可生成模板以供复制）"


def test_unknown_dependency_names_the_chinese_timeline(tmp_path):
    path = tmp_path / "campaign.xlsx"
    sheetsync.create(path, lang="zh", demo=True, today=TODAY)
    wb = openpyxl.load_workbook(path)
    wb["时间表"]["D13"] = "T9, T99"
    wb.save(path)
    problems = sheetsync.open(path).sync(today=TODAY).problems
    unknown = [p for p in problems if "T99" in p.problem]
    assert [(p.sheet, p.cell) for p in unknown] == [("时间表", "D13")]
    assert not english_words(unknown[0].problem + unknown[0].fix)


def test_risk_indicators_describe_themselves_in_the_active_language():
    overdue = next(i for i in INDICATORS if i.name == "overdue_tasks")
    with i18n.language("zh"):
        assert overdue.describe() == "已过截止日期的未完成任务数"
        assert all(not english_words(i.describe(), {"SLA", "CPA"}) for i in INDICATORS)
    with i18n.language("en"):
        assert overdue.describe() == "unfinished Timeline tasks past their planned due"
