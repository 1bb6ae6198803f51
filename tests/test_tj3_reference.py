"""sheetsync's deadline engine agrees with TaskJuggler on every plan both can express.

DESIGN.md, "Deadline semantics": planning is TaskJuggler's `scheduling alap`
with `length` and `gaplength`. tj3ref.py writes each plan as a tj3 project;
here the engine's Start and Due must equal tj3's for every task, on named
cases worked out by hand and on 240 seeded random plans.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tj3ref
from tj3ref import Calendar, Dates, Plan, PlanTask

from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.schedule import Task, schedule

pytestmark = pytest.mark.skipif(tj3ref.TJ3 is None, reason="tj3 (TaskJuggler 3) is not installed")

D = dt.date
SEED = 20260101
BATCHES = tj3ref.random_batches(SEED, batches=8, plans_per_batch=30)
RANDOM_CASES = [(b, p) for b, batch in enumerate(BATCHES) for p in range(len(batch.plans))]


def engine_dates(plan: Plan, calendar: Calendar) -> tuple[dict[str, Dates], list]:
    """sheetsync's planned Start and Due for every task of `plan`, and its problems."""
    tasks = [
        Task(id=t.id, duration=t.duration, buffer=t.buffer, depends_on=t.depends_on, fixed_due=t.fixed_due, row=i + 2)
        for i, t in enumerate(plan.tasks)
    ]
    work = WorkCalendar(extra_holidays=calendar.holidays, extra_workdays=calendar.workdays)
    result = schedule(tasks, launch=plan.launch, calendar=work, today=plan.launch - dt.timedelta(days=400))
    return {tid: Dates(r.start, r.due) for tid, r in result.tasks.items()}, result.problems


def assert_same(plan: Plan, calendar: Calendar, tj3: dict[str, Dates], tjp: str) -> None:
    ours, problems = engine_dates(plan, calendar)
    wrong = [tid for tid in tj3 if ours.get(tid) != tj3[tid]]
    if wrong or problems:
        lines = [tj3ref.describe(plan, calendar), "task: tj3 start..due | sheetsync start..due"]
        for t in plan.tasks:
            mark = "  <-- differs" if t.id in wrong else ""
            mine = ours.get(t.id)
            mine_text = f"{mine.start}..{mine.due}" if mine else "missing"
            lines.append(f"  {t.id}: {tj3[t.id].start}..{tj3[t.id].due} | {mine_text}{mark}")
        lines += [f"problems: {problems}", "tjp:", tjp]
        pytest.fail("\n".join(lines))


@pytest.fixture(scope="module")
def tj3_random(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, list[dict[str, Dates]]]]:
    """All random batches scheduled by tj3, once per test session."""
    return tj3ref.schedule_batches(BATCHES, Path(tmp_path_factory.mktemp("tj3")))


@pytest.mark.parametrize(("batch", "index"), RANDOM_CASES, ids=[BATCHES[b].plans[p].name for b, p in RANDOM_CASES])
def test_random_plan_matches_tj3(tj3_random, batch: int, index: int) -> None:
    tjp, dates = tj3_random[batch]
    assert_same(BATCHES[batch].plans[index], BATCHES[batch].calendar, dates[index], tjp)


def test_random_corpus_exercises_every_rule() -> None:
    """The corpus really holds weekend launches, milestones, buffers, fixed dues and make-up days."""
    plans = [p for batch in BATCHES for p in batch.plans]
    tasks = [t for p in plans for t in p.tasks]
    assert len(plans) >= 200
    assert {p.launch.weekday() for p in plans} == set(range(7))
    assert sum(t.duration == 0 for t in tasks) > 100
    assert sum(t.buffer > 0 for t in tasks) > 500
    assert sum(t.fixed_due is not None for t in tasks) > 100
    assert sum(bool(b.calendar.workdays) for b in BATCHES) >= 2


# --- named cases, worked out by hand -----------------------------------------------
# March 2026: Mon 2, Fri 6, Sat 7, Sun 8, Mon 9, Fri 13, Sat 14, Sun 15, Mon 16.

NAMED = {
    "launch on Sunday": (
        Plan("sunday", D(2026, 3, 15), (PlanTask("T1", 2), PlanTask("T2", 3, depends_on=("T1",)))),
        Calendar(),
        # T2 ends at the beginning of Sunday the 15th, so on Friday the 13th; T1 right before it.
        {"T1": (D(2026, 3, 9), D(2026, 3, 10)), "T2": (D(2026, 3, 11), D(2026, 3, 13))},
    ),
    "buffer before launch": (
        Plan("buffer", D(2026, 3, 16), (PlanTask("T1", 2, buffer=2), PlanTask("T2", 1, buffer=1))),
        Calendar(),
        # Monday launch: T1 leaves Thu 12 and Fri 13 free; T2 leaves Fri 13 free.
        {"T1": (D(2026, 3, 10), D(2026, 3, 11)), "T2": (D(2026, 3, 12), D(2026, 3, 12))},
    ),
    "buffer before each successor": (
        Plan(
            "fan-out",
            D(2026, 3, 16),
            (PlanTask("A", 1, buffer=1), PlanTask("B", 3, depends_on=("A",)), PlanTask("C", 1, depends_on=("A",))),
        ),
        Calendar(),
        # B starts Wed 11 (the earliest successor); A keeps Tue 10 free before it.
        {
            "A": (D(2026, 3, 9), D(2026, 3, 9)),
            "B": (D(2026, 3, 11), D(2026, 3, 13)),
            "C": (D(2026, 3, 13), D(2026, 3, 13)),
        },
    ),
    "fixed due tighter than the successor": (
        Plan(
            "fixed",
            D(2026, 3, 16),
            (PlanTask("T1", 2, fixed_due=D(2026, 3, 8)), PlanTask("T2", 1, depends_on=("T1",))),
        ),
        Calendar(),
        # Fixed due on Sunday the 8th caps T1 at the end of that Sunday: Due is Friday the 6th.
        {"T1": (D(2026, 3, 5), D(2026, 3, 6)), "T2": (D(2026, 3, 13), D(2026, 3, 13))},
    ),
    "fixed due on a milestone": (
        Plan("fixed milestone", D(2026, 3, 16), (PlanTask("M", 0, buffer=1, fixed_due=D(2026, 3, 8)),)),
        Calendar(),
        # The point is capped at the beginning of Sunday the 8th; its buffer only counts before launch.
        {"M": (D(2026, 3, 8), D(2026, 3, 8))},
    ),
    "milestone chain": (
        Plan(
            "milestones",
            D(2026, 3, 14),
            (
                PlanTask("A", 2),
                PlanTask("M1", 0, buffer=1, depends_on=("A",)),
                PlanTask("M2", 0, depends_on=("M1",)),
                PlanTask("B", 1, depends_on=("M2",)),
                PlanTask("M3", 0, depends_on=("B",)),
            ),
        ),
        Calendar(),
        # Saturday launch: M3 sits on Saturday 14, B on Fri 13, M2 at its beginning,
        # M1 one working day earlier (its buffer: Thu 12), A ends before Thu 12.
        {
            "A": (D(2026, 3, 10), D(2026, 3, 11)),
            "M1": (D(2026, 3, 12), D(2026, 3, 12)),
            "M2": (D(2026, 3, 13), D(2026, 3, 13)),
            "B": (D(2026, 3, 13), D(2026, 3, 13)),
            "M3": (D(2026, 3, 14), D(2026, 3, 14)),
        },
    ),
    "chain across a holiday": (
        Plan("holiday", D(2026, 3, 9), (PlanTask("A", 2), PlanTask("B", 2, buffer=1, depends_on=("A",)))),
        Calendar(holidays=frozenset({D(2026, 3, 4)})),
        # B's buffer is Fri 6, B takes Thu 5 and Tue 3 (Wed 4 is off), A takes Fri 27 Feb and Mon 2.
        {"A": (D(2026, 2, 27), D(2026, 3, 2)), "B": (D(2026, 3, 3), D(2026, 3, 5))},
    ),
    "working Saturday": (
        Plan("make-up day", D(2026, 3, 9), (PlanTask("A", 3), PlanTask("B", 1, buffer=1))),
        Calendar(holidays=frozenset({D(2026, 3, 6)}), workdays=frozenset({D(2026, 3, 7)})),
        # Sat 7 works, Fri 6 is off: A takes Wed 4, Thu 5, Sat 7; B's buffer is Sat 7, so B is Thu 5.
        {"A": (D(2026, 3, 4), D(2026, 3, 7)), "B": (D(2026, 3, 5), D(2026, 3, 5))},
    ),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_plan(name: str) -> None:
    plan, calendar, expected = NAMED[name]
    tjp, tj3 = tj3ref.schedule_one(plan, calendar)
    expected_dates = {tid: Dates(*pair) for tid, pair in expected.items()}
    assert tj3 == expected_dates, f"tj3 disagrees with the hand-worked plan:\n{tjp}"
    assert_same(plan, calendar, tj3, tjp)
