"""The deadline engine, hand-worked against DESIGN.md's semantics (Mon–Fri calendar unless stated)."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.schedule import Task, schedule

D = dt.date
MONFRI = WorkCalendar()
# 2026-03: Mon 2, Fri 6, Sat 7, Sun 8, Mon 9 ... Fri 13, Sat 14


SAT_14_MARCH, FEB_1 = D(2026, 3, 14), D(2026, 2, 1)


def plan(tasks, launch=SAT_14_MARCH, today=FEB_1, calendar=MONFRI, window=2):
    return schedule(tasks, launch=launch, calendar=calendar, today=today, due_soon_window=window)


def dates(result, tid):
    t = result.tasks[tid]
    return t.start.isoformat(), t.due.isoformat()


def test_single_task_ends_the_working_day_before_a_weekend_launch():
    result = plan([Task("A", 3)])
    assert dates(result, "A") == ("2026-03-11", "2026-03-13")


def test_buffer_keeps_whole_working_days_free_before_launch():
    result = plan([Task("A", 2, buffer=2)])
    # launch Sat 14: free Thu 12 + Fri 13 → A ends Wed 11
    assert dates(result, "A") == ("2026-03-10", "2026-03-11")


def test_buffer_before_each_successor_and_earliest_successor_wins():
    tasks = [Task("A", 1, buffer=1), Task("B", 2, depends_on=("A",)), Task("C", 1, depends_on=("A",), buffer=3)]
    result = plan(tasks)
    assert dates(result, "B") == ("2026-03-12", "2026-03-13")
    assert dates(result, "C") == ("2026-03-10", "2026-03-10")  # three free days Wed–Fri
    assert dates(result, "A") == ("2026-03-06", "2026-03-06")  # one free day (Mon 9) before C on Tue 10


def test_milestone_is_a_point_at_the_beginning_of_a_day():
    tasks = [Task("A", 2), Task("M", 0, depends_on=("A",), buffer=1), Task("B", 1, depends_on=("M",))]
    result = plan(tasks)
    assert dates(result, "B") == ("2026-03-13", "2026-03-13")
    # M must leave Thu 12 free before B: M at the beginning of Thu 12
    assert dates(result, "M") == ("2026-03-12", "2026-03-12")
    # A ends before the point Thu 12 00:00 → due Wed 11
    assert dates(result, "A") == ("2026-03-10", "2026-03-11")


def test_milestone_right_before_a_weekend_launch_shows_the_launch_day():
    result = plan([Task("M", 0)])
    assert dates(result, "M") == ("2026-03-14", "2026-03-14")


def test_fixed_due_caps_the_end():
    tasks = [Task("A", 2, fixed_due=D(2026, 3, 4)), Task("B", 1, depends_on=("A",))]
    result = plan(tasks)
    assert dates(result, "A") == ("2026-03-03", "2026-03-04")
    assert dates(result, "B") == ("2026-03-13", "2026-03-13")


def test_fixed_due_on_a_weekend_ends_on_the_friday_before():
    result = plan([Task("A", 1, fixed_due=D(2026, 3, 8))])
    assert dates(result, "A") == ("2026-03-06", "2026-03-06")


def test_fixed_due_later_than_the_plan_does_not_bind():
    result = plan([Task("A", 1, fixed_due=D(2026, 4, 30))])
    assert dates(result, "A") == ("2026-03-13", "2026-03-13")


def test_extra_holidays_and_workdays_override_the_calendar():
    cal = WorkCalendar("", extra_holidays=[D(2026, 3, 13)], extra_workdays=[D(2026, 3, 7)])
    result = plan([Task("A", 3)], calendar=cal)
    # Fri 13 off; Sat 7 worked: A = Thu 12, Wed 11, Tue 10
    assert dates(result, "A") == ("2026-03-10", "2026-03-12")
    result = plan([Task("A", 5)], calendar=cal)
    assert dates(result, "A") == ("2026-03-07", "2026-03-12")


# --- tracking and flags --------------------------------------------------------


def test_done_on_time_and_done_late():
    tasks = [
        Task("A", 1, status="Done", done_on=D(2026, 3, 2)),
        Task("B", 1, depends_on=("A",), status="Done", done_on=D(2026, 3, 13)),
    ]
    result = plan([Task("A", 1, status="Done", done_on=D(2026, 3, 12))], today=D(2026, 3, 13))
    assert result.tasks["A"].flag == "DONE" and result.tasks["A"].slack == 1
    result = plan(tasks, today=D(2026, 3, 13))
    assert result.tasks["A"].flag == "DONE"
    assert result.tasks["B"].flag == "DONE"


def test_overdue_task_is_projected_to_today_and_pushes_its_successors():
    tasks = [Task("A", 2, buffer=1, status="In progress"), Task("B", 2, depends_on=("A",))]
    # plan: B = Thu 12–Fri 13; A leaves Wed 11 free → A = Mon 9–Tue 10
    result = plan(tasks, today=D(2026, 3, 12))
    a, b = result.tasks["A"], result.tasks["B"]
    assert (a.due, a.projected_due, a.slack, a.flag) == (D(2026, 3, 10), D(2026, 3, 12), -2, "OVERDUE")
    # B cannot start before A's projected end: Fri 13 – Mon 16
    assert (b.projected_due, b.slack, b.flag) == (D(2026, 3, 16), -1, "AT RISK")
    assert result.launch.at_risk and result.launch.slip_days == 1
    assert result.launch.projected == D(2026, 3, 17)
    assert result.launch.late_tasks == ("B",)


def test_buffer_absorbs_a_slip_without_moving_the_successor():
    tasks = [Task("A", 1, buffer=2, status="Done", done_on=D(2026, 3, 10)), Task("B", 2, depends_on=("A",))]
    result = plan(tasks, today=D(2026, 3, 10))
    # A planned Mon 9 (free Tue 10, Wed 11), done Tue 10: late but B keeps Thu 12–Fri 13
    assert result.tasks["A"].flag == "DONE LATE"
    assert result.tasks["B"].projected_due == D(2026, 3, 13)
    assert result.tasks["B"].flag == "OK"
    assert not result.launch.at_risk


def test_not_started_after_its_planned_start_needs_its_whole_duration_from_today():
    result = plan([Task("A", 3)], today=D(2026, 3, 12))  # planned Wed 11–Fri 13
    a = result.tasks["A"]
    assert (a.projected_due, a.flag) == (D(2026, 3, 16), "AT RISK")
    result = plan([Task("A", 3, status="In progress")], today=D(2026, 3, 12))
    assert (result.tasks["A"].projected_due, result.tasks["A"].flag) == (D(2026, 3, 13), "DUE SOON")


@pytest.mark.parametrize(
    ("today", "flag"),
    [
        (D(2026, 3, 5), "OK"),  # Thu: due Fri 13 is 6 working days away
        (D(2026, 3, 10), "OK"),  # 3 working days
        (D(2026, 3, 11), "DUE SOON"),  # 2 working days: Thu, Fri
        (D(2026, 3, 13), "DUE SOON"),  # due today
        (D(2026, 3, 14), "OVERDUE"),
    ],
)
def test_due_soon_window_counts_working_days(today, flag):
    result = plan([Task("A", 1, status="In progress")], today=today)
    assert result.tasks["A"].flag == flag


def test_blocked_flag_and_overdue_wins_over_blocked():
    result = plan([Task("A", 1, status="Blocked"), Task("B", 1, buffer=5, status="Blocked")], today=D(2026, 3, 9))
    assert result.tasks["A"].flag == "BLOCKED"
    assert result.tasks["B"].flag == "OVERDUE"  # B was due Fri 6


def test_cycle_is_a_problem_naming_every_id_and_the_rest_still_plans():
    tasks = [
        Task("A", 1, depends_on=("C",), row=2),
        Task("B", 1, depends_on=("A",), row=3),
        Task("C", 1, depends_on=("B",), row=4),
        Task("D", 2, row=5),
    ]
    result = schedule(
        tasks, launch=D(2026, 3, 14), calendar=MONFRI, today=D(2026, 2, 1), locate=lambda r, c: f"D{r}"
    )
    assert [p.cell for p in result.problems] == ["D2"]
    message = result.problems[0].problem
    assert "A → B → C → A" in message and "D2, D3, D4" in message
    assert dates(result, "D") == ("2026-03-12", "2026-03-13")
    assert set(result.tasks) == {"A", "B", "C", "D"}


def test_self_dependency_is_a_cycle():
    result = plan([Task("A", 1, depends_on=("A",), row=2)])
    assert "A → A" in result.problems[0].problem


def test_unknown_dependency_is_a_problem_and_ignored():
    result = schedule(
        [Task("A", 1, depends_on=("Z9",), row=7)],
        launch=D(2026, 3, 14),
        calendar=MONFRI,
        today=D(2026, 2, 1),
        locate=lambda r, c: f"D{r}",
    )
    assert [(p.cell, p.problem) for p in result.problems] == [
        ("D7", 'A depends on "Z9", which is not an ID in the Timeline')
    ]
    assert dates(result, "A") == ("2026-03-13", "2026-03-13")


def test_china_2026_spring_festival_with_makeup_saturday():
    cal = WorkCalendar("CN")
    # Launch Tue 2026-02-24. Feb 15–23 are off; Sat Feb 14 is a make-up workday (调休).
    result = plan([Task("A", 3)], launch=D(2026, 2, 24), calendar=cal)
    assert dates(result, "A") == ("2026-02-12", "2026-02-14")


def test_ten_thousand_tasks_plan_without_recursion_limits():
    tasks = [Task(f"T{i}", 1 + i % 3, depends_on=(f"T{i - 1}",) if i else ()) for i in range(10_000)]
    result = plan(tasks, launch=D(2080, 1, 1), today=D(2026, 1, 1))
    assert result.tasks["T9999"].due == D(2079, 12, 29)
    assert not result.problems
