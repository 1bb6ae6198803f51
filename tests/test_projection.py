"""Tracking forward from today lands on working days, and the launch slip is the one its date shows.

DESIGN.md, "Deadline semantics": a milestone is a point at the beginning of a
day, a task ending on a Friday ends at the point "Saturday 00:00". Projected
forward, such a point is shown as the next working day (the team cannot do
anything on the weekend), so a projected due never falls on a day off and a
launch that slips N working days is projected N working days after it.
Found by a walk-through: the demo with a longer internal review said "slips 4
working days (projected Saturday 2026-12-19)".
"""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest
import tj3ref

import sheetsync
from sheetsync.cli import main
from sheetsync.contract import IN_PROGRESS, NOT_STARTED, STATUS_BLOCKED, STATUS_DONE
from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.schedule import Task, schedule

D = dt.date
TODAY = D(2026, 11, 27)  # a Friday; the demo launches Tuesday 2026-12-15
DEMO_SHEET = {"en": "Timeline", "zh": "时间表"}
T12_ROW, T13_ROW, PROJECTED_DUE_COLUMN = 13, 14, 13  # the demo's rows, column M


def demo_with_review_of(tmp_path, lang: str, days: int):
    """The demo workbook with T4 (Internal review, Timeline!E5) lasting `days` working days."""
    path = tmp_path / "c.xlsx"
    sheetsync.create(path, lang=lang, demo=True, today=TODAY)
    book = openpyxl.load_workbook(path)
    book[DEMO_SHEET[lang]]["E5"] = days
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("days", "t12", "launch", "slip"),
    [
        (6, D(2026, 12, 18), D(2026, 12, 21), 4),  # T12 ends Friday: launch Monday, not Saturday the 19th
        (7, D(2026, 12, 21), D(2026, 12, 22), 5),
    ],
)
def test_demo_launch_slip_lands_on_the_working_day_it_counts(tmp_path, lang, days, t12, launch, slip):
    path = demo_with_review_of(tmp_path, lang, days)
    report = sheetsync.open(path).sync(today=TODAY)
    assert (report.launch.projected, report.launch.slip_days) == (launch, slip)
    sheet = openpyxl.load_workbook(path)[DEMO_SHEET[lang]]
    projected = {row: sheet.cell(row, PROJECTED_DUE_COLUMN).value.date() for row in (T12_ROW, T13_ROW)}
    assert projected == {T12_ROW: t12, T13_ROW: launch}  # T13 上线 is the milestone just before launch


def test_chinese_check_line_of_the_walk_through(tmp_path, capsys):
    path = demo_with_review_of(tmp_path, "zh", 6)
    main(["check", str(path), "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert "2026-12-15：有风险，将推迟 4 个工作日（预计 2026-12-21）" in out  # 上线 / 上线日期 {date}：…
    assert "  任务 T13 上线，张敏：截止 2026-12-15，现预计 2026-12-21 完成" in out


# --- hand-worked (March 2026: Fri 13, Sat 14, Sun 15, Mon 16, Tue 17) ----------------


def test_milestone_after_a_task_ending_on_friday_is_projected_on_monday():
    tasks = [Task("A", 2), Task("M", 0, depends_on=("A",))]
    result = schedule(tasks, launch=D(2026, 3, 13), calendar=WorkCalendar(), today=D(2026, 3, 12))
    # planned: M on Fri 13 (launch), A Wed 11–Thu 12; A not started yet needs Thu 12–Fri 13, so M is at Sat 14 00:00
    assert result.tasks["A"].projected_due == D(2026, 3, 13)
    assert result.tasks["M"].projected_due == D(2026, 3, 16)
    assert (result.launch.projected, result.launch.slip_days) == (D(2026, 3, 16), 1)


def test_late_milestone_on_a_saturday_today_is_projected_on_monday():
    result = schedule([Task("M", 0)], launch=D(2026, 3, 13), calendar=WorkCalendar(), today=D(2026, 3, 14))
    assert result.tasks["M"].projected_due == D(2026, 3, 16)


def test_on_track_milestone_keeps_its_planned_weekend_point():
    # a milestone right before a Saturday launch is planned on that Saturday (tj3 agrees); on track it stays
    result = schedule([Task("M", 0)], launch=D(2026, 3, 14), calendar=WorkCalendar(), today=D(2026, 3, 2))
    assert result.tasks["M"].projected_due == result.tasks["M"].due == D(2026, 3, 14)
    assert result.tasks["M"].flag == "OK" and not result.launch.at_risk


# --- property: random plans, random progress --------------------------------------------

SEED = 20261127
BATCHES = tj3ref.random_batches(SEED, batches=8, plans_per_batch=30)
CASES = [(b, p) for b, batch in enumerate(BATCHES) for p in range(len(batch.plans))]


def tracked(plan: tj3ref.Plan, calendar: WorkCalendar, rng: random.Random) -> tuple[list[Task], dt.date]:
    """The plan's tasks with random progress, and a random today (any day of the week) around its launch."""
    today = plan.launch + dt.timedelta(days=rng.randint(-40, 12))
    tasks = []
    for i, t in enumerate(plan.tasks):
        status = rng.choice((NOT_STARTED, NOT_STARTED, IN_PROGRESS, IN_PROGRESS, STATUS_BLOCKED, STATUS_DONE))
        done_on = calendar.add_workdays(today - dt.timedelta(days=rng.randint(1, 20)), 0) if status == STATUS_DONE else None
        delay = rng.choice((0, 0, 0, 1, 2))
        tasks.append(
            Task(t.id, t.duration, t.buffer, t.depends_on, t.fixed_due, status, done_on, row=i + 2, review_delay=delay)
        )
    return tasks, today


@pytest.mark.parametrize(("batch", "index"), CASES, ids=[BATCHES[b].plans[p].name for b, p in CASES])
def test_projected_dates_are_working_days_and_the_slip_counts_them(batch: int, index: int) -> None:
    plan, ref = BATCHES[batch].plans[index], BATCHES[batch].calendar
    calendar = WorkCalendar(extra_holidays=ref.holidays, extra_workdays=ref.workdays)
    tasks, today = tracked(plan, calendar, random.Random(f"{SEED}-{batch}-{index}"))
    result = schedule(tasks, launch=plan.launch, calendar=calendar, today=today)
    context = f"{tj3ref.describe(plan, ref)}\n  today {today} ({today:%a})\n  tasks {tasks}"

    for task in tasks:
        dates = result.tasks[task.id]
        if task.status == STATUS_DONE:
            continue  # a fact typed by a person, not a projection
        # An on-track milestone keeps its planned point, which may be a weekend launch or fixed due.
        on_plan = task.duration == 0 and dates.projected_due == dates.due
        assert on_plan or calendar.is_workday(dates.projected_due), f"{task.id}: {dates}\n{context}"

    launch = result.launch
    if launch.slip_days:
        assert calendar.is_workday(launch.projected), f"{launch}\n{context}"
        assert calendar.workdays_between(plan.launch, launch.projected) == launch.slip_days, f"{launch}\n{context}"
        assert calendar.add_workdays(plan.launch, launch.slip_days) == launch.projected, f"{launch}\n{context}"
        assert launch.at_risk and launch.margin_days == -launch.slip_days
    else:
        assert launch.projected == plan.launch and not launch.at_risk, f"{launch}\n{context}"


def test_property_corpus_really_slips_launches_onto_weekend_points() -> None:
    """The random progress pushes launches past launch day, and some pushed ends fall on a Saturday point."""
    slipped = weekend_ends = 0
    for batch, index in CASES:
        plan, ref = BATCHES[batch].plans[index], BATCHES[batch].calendar
        calendar = WorkCalendar(extra_holidays=ref.holidays, extra_workdays=ref.workdays)
        tasks, today = tracked(plan, calendar, random.Random(f"{SEED}-{batch}-{index}"))
        result = schedule(tasks, launch=plan.launch, calendar=calendar, today=today)
        slipped += result.launch.slip_days > 0
        weekend_ends += any(
            not calendar.is_workday(r.projected_due + dt.timedelta(days=1)) for r in result.tasks.values()
        )
    assert slipped >= 40 and weekend_ends >= 40
