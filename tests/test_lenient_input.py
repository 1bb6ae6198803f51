"""Lenient where the meaning is plain, loud where it is not (issue 12, silent gaps a and b).

A Duration written as 3天, 3 days, 三天 or ３ plans like 3; a 3 typed into a cell that kept a date
format plans like 3. A Duration or Depends on that cannot be read leaves the task in the plan,
flagged CHECK with its links kept, and the launch line says the plan is provisional and why.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from conftest import TODAY, header_columns
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.contract import CHECK, FLAG_BY_NAME, TIMELINE
from sheetsync.report_text import launch_line

COMPUTED = ("Start", "Due", "Projected due", "Slack", "Flag")


def set_cell(campaign, column: str, row: int, value, number_format: str | None = None) -> None:
    """Type into one Timeline cell (row 2 = T1 … row 5 = T4), as a person would in Excel."""

    def change(wb):
        ws = wb[TIMELINE.label(campaign.lang)]
        target = ws.cell(row, header_columns(ws, "Timeline")[column])
        target.value = value
        if number_format:
            target.number_format = number_format

    campaign.edit(change)


def planned(campaign) -> dict[str, tuple]:
    """Each task's computed cells after a sync, by ID."""
    ws = openpyxl.load_workbook(campaign.path)[TIMELINE.label(campaign.lang)]
    cols = header_columns(ws, "Timeline")
    return {
        ws.cell(row, cols["ID"]).value: tuple(ws.cell(row, cols[name]).value for name in COMPUTED)
        for row in range(2, 6)
    }


def synced_with_duration(make_campaign, value, number_format=None, **options):
    campaign = make_campaign(**options)
    set_cell(campaign, "Duration", 3, value, number_format)
    report = sheetsync.open(campaign.path).sync(today=TODAY)
    return campaign, report


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("3天", 3), ("3 天", 3), ("3 days", 3), ("3 day", 3), ("3d", 3), ("3 workdays", 3), ("3 working days", 3),
        ("三天", 3), ("3个工作日", 3), ("３", 3), ("３天", 3), ("两天", 2), ("十五天", 15), ("二十", 20),
    ],
)
def test_a_duration_written_in_words_plans_like_the_number(make_campaign, typed, days):
    expected, _report = synced_with_duration(make_campaign, days)
    campaign, report = synced_with_duration(make_campaign, typed)
    assert report.problems == []
    assert planned(campaign) == planned(expected)


@pytest.mark.parametrize("date1904", [False, True], ids=["1900 system", "1904 system"])
def test_a_number_typed_into_a_date_formatted_duration_is_that_number(make_campaign, date1904):
    """Someone once typed a date in Duration; the cell kept its date format, so 3 reads back as 1900-01-03."""
    expected, _report = synced_with_duration(make_campaign, 3)
    campaign = make_campaign()
    if date1904:
        campaign.edit(lambda wb: setattr(wb, "epoch", CALENDAR_MAC_1904))
    set_cell(campaign, "Duration", 3, 3, "yyyy-mm-dd")
    report = sheetsync.open(campaign.path).sync(today=TODAY)
    assert report.problems == []
    assert planned(campaign) == planned(expected)


def test_a_real_date_in_duration_is_still_a_problem(make_campaign):
    _campaign, report = synced_with_duration(make_campaign, dt.datetime(2026, 12, 3), "yyyy-mm-dd")
    assert [(p.cell, p.problem) for p in report.problems] == [
        ("E3", "2026-12-03 is a date, not a number of working days")
    ]


def test_an_unreadable_duration_keeps_the_task_in_the_plan_and_says_the_launch_is_provisional(make_campaign, capsys):
    campaign = make_campaign()
    set_cell(campaign, "Duration", 3, "3 weeks")
    code = main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["launch"]["provisional"] == [
        {"task": "T2", "reason": "duration unreadable", "sheet": "Timeline", "cell": "E3"}
    ]
    assert [(p["cell"], p["fix"]) for p in report["problems"]] == [
        ("E3", "write a whole number such as 3; until then it is planned as 1 working day")
    ]
    # every task has a flag, T2's is CHECK, and its row has Start and Due (one working day, provisionally)
    assert sum(report["flags"]["Timeline"].values()) == 4 and report["flags"]["Timeline"][CHECK] == 1
    dates = planned(campaign)
    start, due, _projected, _slack, flag = dates["T2"]
    assert flag == CHECK and start == due
    # the links are kept: T1 still finishes before T2 starts (not at launch), T3 still waits for T2
    assert dates["T1"][1] < start and due < dates["T3"][0]
    analysis = sheetsync.open(campaign.path).check(today=TODAY).analysis
    assert analysis.schedule.successors["T1"] == ["T2"] and analysis.schedule.successors["T2"] == ["T3"]

    main(["check", str(campaign.path), "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert "Launch 2026-03-14: on track — provisional: T2's duration is unreadable (Timeline!E3)" in out.splitlines()


def test_unreadable_dependencies_keep_the_links_that_can_be_read(make_campaign):
    campaign = make_campaign()
    set_cell(campaign, "Depends on", 4, "T2, T2?")
    report = sheetsync.open(campaign.path).sync(today=TODAY)
    assert [p.cell for p in report.problems] == ["D4"]
    assert report.analysis.schedule.successors["T2"] == ["T3"]
    assert planned(campaign)["T3"][4] == CHECK
    assert report.launch.provisional_note() == "provisional: T3's dependencies are unreadable (Timeline!D4)"


def test_a_chinese_book_says_the_plan_is_provisional_in_chinese(make_campaign, capsys):
    campaign = make_campaign(lang="zh")
    set_cell(campaign, "Duration", 3, "三周")
    set_cell(campaign, "Depends on", 5, "T3, T9")
    main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert [(p["sheet"], p["cell"], p["problem"]) for p in report["problems"]] == [
        ("时间表", "E3", "“三周”不是有效的工作日数"),
        ("时间表", "D5", "T4 的前置任务“T9”不是时间表中的编号"),
    ]
    assert [(p["task"], p["sheet"], p["cell"]) for p in report["launch"]["provisional"]] == [
        ("T2", "时间表", "E3"),
        ("T4", "时间表", "D5"),
    ]
    flags = {task: cells[4] for task, cells in planned(campaign).items()}
    assert {task for task, flag in flags.items() if flag in (CHECK, FLAG_BY_NAME[CHECK].zh)} == {"T2", "T4"}
    assert FLAG_BY_NAME[CHECK].zh == "待修正"

    # the launch line, in the book's language as every front end prints it (report_text, inside report.lang)
    checked = sheetsync.open(campaign.path).check(today=TODAY)
    with i18n.language(checked.lang):
        line = launch_line(checked.launch)
    assert line.endswith("——暂定：T2 的工期无法识别（时间表!E3）；T4 的前置任务不在计划中（时间表!D5）")


def test_a_bad_status_in_a_chinese_book_lists_the_chinese_choices(make_campaign):
    campaign = make_campaign(lang="zh")
    set_cell(campaign, "Status", 2, "完成了")
    report = sheetsync.open(campaign.path).check(today=TODAY)
    assert [(p.sheet, p.cell, p.problem, p.fix) for p in report.problems] == [
        ("时间表", "H2", "“完成了”不在可选项中：未开始、进行中、已完成、受阻", "从下拉列表中选择")
    ]
