"""China's 2026 working calendar, and deadlines planned across its long holidays.

Source: 国务院办公厅关于2026年部分节假日安排的通知 (the State Council's 2026
holiday notice):
  元旦 1月1日(周四)至3日(周六)放假调休, 1月4日(周日)上班;
  春节 2月15日(周日)至23日(周一)放假调休, 2月14日(周六)、2月28日(周六)上班;
  清明节 4月4日(周六)至6日(周一)放假;
  劳动节 5月1日(周五)至5日(周二)放假调休, 5月9日(周六)上班;
  端午节 6月19日(周五)至21日(周日)放假;
  中秋节 9月25日(周五)至27日(周日)放假;
  国庆节 10月1日(周四)至7日(周三)放假调休, 9月20日(周日)、10月10日(周六)上班.
Every expected date below was worked out by hand from that notice.
"""

from __future__ import annotations

import datetime as dt

import pytest
import tj3ref

from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.schedule import Task, schedule

D = dt.date

# Weekdays the notice gives off, and weekend days it makes working days (调休).
OFFICIAL_WEEKDAYS_OFF = frozenset(
    [D(2026, 1, 1), D(2026, 1, 2)]
    + [D(2026, 2, d) for d in (16, 17, 18, 19, 20, 23)]
    + [D(2026, 4, 6), D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5), D(2026, 6, 19), D(2026, 9, 25)]
    + [D(2026, 10, d) for d in (1, 2, 5, 6, 7)]
)
OFFICIAL_MAKEUP_WORKDAYS = frozenset(
    [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]
)
# The same calendar as tj3ref writes it for TaskJuggler (the notice, not the holidays package).
OFFICIAL = tj3ref.Calendar(OFFICIAL_WEEKDAYS_OFF, OFFICIAL_MAKEUP_WORKDAYS)


@pytest.fixture(scope="module")
def cn() -> WorkCalendar:
    return WorkCalendar("CN")


@pytest.mark.parametrize("day", sorted(OFFICIAL_MAKEUP_WORKDAYS), ids=str)
def test_makeup_weekend_is_a_workday(cn: WorkCalendar, day: dt.date) -> None:
    assert day.weekday() >= 5
    assert cn.is_workday(day)


@pytest.mark.parametrize(
    "first, last",
    [
        (D(2026, 1, 1), D(2026, 1, 3)),
        (D(2026, 2, 15), D(2026, 2, 23)),
        (D(2026, 4, 4), D(2026, 4, 6)),
        (D(2026, 5, 1), D(2026, 5, 5)),
        (D(2026, 6, 19), D(2026, 6, 21)),
        (D(2026, 9, 25), D(2026, 9, 27)),
        (D(2026, 10, 1), D(2026, 10, 7)),
    ],
    ids=["New Year", "Spring Festival", "Qingming", "Labour Day", "Dragon Boat", "Mid-Autumn", "National Day"],
)
def test_holiday_is_off_every_day(cn: WorkCalendar, first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        assert not cn.is_workday(day), day
        day += dt.timedelta(days=1)


def test_whole_year_matches_the_notice(cn: WorkCalendar) -> None:
    day = D(2026, 1, 1)
    wrong = []
    while day.year == 2026:
        expected = day in OFFICIAL_MAKEUP_WORKDAYS or (day.weekday() < 5 and day not in OFFICIAL_WEEKDAYS_OFF)
        if cn.is_workday(day) != expected:
            wrong.append(f"{day} {day:%a}: expected {'workday' if expected else 'day off'}")
        day += dt.timedelta(days=1)
    assert wrong == []
    assert sum(OFFICIAL.is_workday(D(2026, 1, 1) + dt.timedelta(days=k)) for k in range(365)) == 248


def test_ordinary_weekends_stay_off(cn: WorkCalendar) -> None:
    assert not cn.is_workday(D(2026, 2, 7))  # Saturday before the Spring Festival week
    assert not cn.is_workday(D(2026, 3, 1))  # Sunday after the make-up Saturday 28 Feb
    assert not cn.is_workday(D(2026, 9, 19))  # Saturday before make-up Sunday 20 Sep
    assert not cn.is_workday(D(2026, 10, 11))  # Sunday after make-up Saturday 10 Oct


def test_sheet_extra_holiday_and_workday_override_the_country() -> None:
    cal = WorkCalendar(
        "CN", extra_holidays=[D(2026, 2, 14), D(2026, 3, 3)], extra_workdays=[D(2026, 2, 23), D(2026, 3, 7)]
    )
    assert not cal.is_workday(D(2026, 2, 14))  # official make-up Saturday, but the team takes it off
    assert not cal.is_workday(D(2026, 3, 3))  # an ordinary Tuesday off
    assert cal.is_workday(D(2026, 2, 23))  # the team works the last day of the Spring Festival break
    assert cal.is_workday(D(2026, 3, 7))  # an ordinary Saturday worked
    assert cal.is_workday(D(2026, 2, 28))  # the other make-up Saturday is untouched


# --- deadlines across the holidays ------------------------------------------------------


def plan(
    tasks: list[Task], launch: dt.date, calendar: WorkCalendar | None = None
) -> dict[str, tuple[dt.date, dt.date]]:
    result = schedule(tasks, launch=launch, calendar=calendar or WorkCalendar("CN"), today=D(2025, 12, 1))
    assert result.problems == []
    return {tid: (r.start, r.due) for tid, r in result.tasks.items()}


CASES = {
    # Launch on the first day back (Tue 24 Feb): the last working day before it is the make-up
    # Saturday 14 Feb, so a 3-day task takes Thu 12, Fri 13, Sat 14.
    "3 days before the Spring Festival return": (
        [Task("T1", 3)],
        D(2026, 2, 24),
        {"T1": (D(2026, 2, 12), D(2026, 2, 14))},
    ),
    # One buffer day is the make-up Saturday 14 Feb, so the task ends on Friday 13.
    "buffer on the make-up Saturday": (
        [Task("T1", 3, buffer=1)],
        D(2026, 2, 24),
        {"T1": (D(2026, 2, 11), D(2026, 2, 13))},
    ),
    # Launch Mon 2 Mar: 6 working days back are Sat 28, Fri 27 … Tue 24 and Sat 14 Feb,
    # so the task straddles the whole nine-day break.
    "6 days straddling the Spring Festival": (
        [Task("T1", 6)],
        D(2026, 3, 2),
        {"T1": (D(2026, 2, 14), D(2026, 2, 28))},
    ),
    # Launch Wed 25 Feb. B keeps two working days free (Tue 24 and Sat 14 Feb), so B is
    # Wed 11 – Fri 13; A ends before B: Mon 9 – Tue 10. The milestone M would sit at the
    # beginning of Tue 24 (its 1-day buffer before launch), but its fixed due caps the point
    # at the beginning of Sat 14 Feb.
    "chain and milestone before the Spring Festival": (
        [
            Task("A", 2),
            Task("B", 3, buffer=2, depends_on=("A",)),
            Task("M", 0, buffer=1, fixed_due=D(2026, 2, 14)),
        ],
        D(2026, 2, 25),
        {
            "A": (D(2026, 2, 9), D(2026, 2, 10)),
            "B": (D(2026, 2, 11), D(2026, 2, 13)),
            "M": (D(2026, 2, 14), D(2026, 2, 14)),
        },
    ),
    # Launch Thu 8 Oct, the first day back: Oct 1–7 are off, so a 3-day task is Mon 28 – Wed 30 Sep.
    "3 days before the National Day return": (
        [Task("T1", 3)],
        D(2026, 10, 8),
        {"T1": (D(2026, 9, 28), D(2026, 9, 30))},
    ),
    # With a 1-day buffer (Wed 30 Sep) the task ends Tue 29 and starts before the Mid-Autumn
    # weekend (Fri 25 – Sun 27 off): Thu 24, Mon 28, Tue 29.
    "buffer before National Day, across Mid-Autumn": (
        [Task("T1", 3, buffer=1)],
        D(2026, 10, 8),
        {"T1": (D(2026, 9, 24), D(2026, 9, 29))},
    ),
    # Launch Mon 12 Oct: Sun 11 is off but Sat 10 is a make-up day, so a 2-day task is Fri 9 – Sat 10.
    "make-up Saturday after National Day": (
        [Task("T1", 2)],
        D(2026, 10, 12),
        {"T1": (D(2026, 10, 9), D(2026, 10, 10))},
    ),
    # Launch Mon 21 Sep: the 1-day task lands on the make-up Sunday 20 Sep; its predecessor
    # (buffer 1 = Fri 18) ends Thu 17.
    "make-up Sunday before National Day": (
        [Task("A", 1, buffer=1), Task("B", 1, depends_on=("A",))],
        D(2026, 9, 21),
        {"A": (D(2026, 9, 17), D(2026, 9, 17)), "B": (D(2026, 9, 20), D(2026, 9, 20))},
    ),
    # Launch Mon 5 Jan: Sun 4 Jan works, Jan 1–3 are off, 31 Dec 2025 is a Wednesday.
    "2 days across New Year": (
        [Task("T1", 2)],
        D(2026, 1, 5),
        {"T1": (D(2025, 12, 31), D(2026, 1, 4))},
    ),
    # Fixed due Sun 4 Oct, inside National Day: the task must end by the end of that Sunday,
    # so its last working day is Wed 30 Sep.
    "fixed due inside National Day": (
        [Task("T1", 2, fixed_due=D(2026, 10, 4))],
        D(2026, 10, 16),
        {"T1": (D(2026, 9, 29), D(2026, 9, 30))},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_schedule_across_cn_holidays(name: str) -> None:
    tasks, launch, expected = CASES[name]
    assert plan(tasks, launch) == expected


@pytest.mark.skipif(tj3ref.TJ3 is None, reason="tj3 (TaskJuggler 3) is not installed")
@pytest.mark.parametrize("name", list(CASES))
def test_tj3_agrees_on_cn_case(name: str) -> None:
    """TaskJuggler, given the notice's calendar (make-up days as working time), finds the same dates."""
    tasks, launch, expected = CASES[name]
    reference = tj3ref.Plan(
        name, launch, tuple(tj3ref.PlanTask(t.id, t.duration, t.buffer, t.depends_on, t.fixed_due) for t in tasks)
    )
    tjp, dates = tj3ref.schedule_one(reference, OFFICIAL)
    assert {tid: (d.start, d.due) for tid, d in dates.items()} == expected, tjp


def test_sheet_overrides_change_the_plan() -> None:
    task = [Task("T1", 3)]
    launch = D(2026, 2, 24)
    # The team takes the make-up Saturday 14 Feb off: the task moves back to Wed 11 – Fri 13.
    off = WorkCalendar("CN", extra_holidays=[D(2026, 2, 14)])
    assert plan(task, launch, off) == {"T1": (D(2026, 2, 11), D(2026, 2, 13))}
    # The team works Mon 23 Feb: the task is Fri 13, Sat 14, Mon 23.
    on = WorkCalendar("CN", extra_workdays=[D(2026, 2, 23)])
    assert plan(task, launch, on) == {"T1": (D(2026, 2, 13), D(2026, 2, 23))}
