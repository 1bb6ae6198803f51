"""TaskJuggler (tj3) as a reference scheduler for sheetsync's deadline engine.

DESIGN.md says the engine is TaskJuggler's `scheduling alap` with `length` and
`gaplength`, and must agree with tj3 on every plan both can express. This
module writes plans as TaskJuggler projects, runs `tj3`, and reads back each
task's Start and Due, so tests can compare the two schedulers date for date.

The translation (each choice checked by hand against tj3 3.7.1):

* `timezone "UTC"`: no daylight-saving day is 23 or 25 hours long.
* `timingresolution 60min` (tj3's coarsest), `dailyworkinghours 24` and
  `workinghours mon-fri 0:00-24:00`: a working day is one unbroken block, so
  `length Nd` and `gaplength Nd` are exactly N working days and every point
  the plan produces is midnight, the beginning of a day.
* Holidays are global `leaves holiday`, which tj3 subtracts from working time
  for `length` and `gaplength` alike. Make-up workdays (a working Saturday)
  cannot be added to tj3's weekly pattern, so a calendar that has them is
  written the other way round: `workinghours mon-sun 0:00-24:00` and every
  non-working day in the project span as a leave.
* Launch: a milestone fixed with `start <launch>-00:00`, the beginning of the
  launch date (a weekend too).
* Task: `scheduling alap`, `length Nd` (duration 0: `milestone`).
* Dependency A → B and "no successor → launch": A `precedes` B with
  `{ gaplength <A's buffer>d }` (omitted for 0: tj3 rejects `0d`). The buffer
  belongs to the predecessor, so it sits before each of its successors.
* Fixed due D: an extra milestone fixed at the beginning of D + 1 (end of day
  D) for a task, at D for a milestone, which the task `precedes` without a
  gap. (`maxend` is only checked by tj3, never used to schedule.)
* Back from tj3: Start is the date of tj3's start; Due is the last working day
  that ends at or before tj3's end (an end at 00:00 of day X is on the working
  day before X); a milestone's Start and Due are the day of its point.

Many plans share one tj3 run (tj3 starts in ~0.2 s): each plan is a sub-tree
with its own launch milestone; plans in one run share its calendar.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ONE_DAY = dt.timedelta(days=1)
TJ3 = shutil.which("tj3")


class Tj3Error(RuntimeError):
    """tj3 refused a project or produced no report."""


@dataclass(frozen=True)
class PlanTask:
    """One Timeline row as the reference sees it."""

    id: str
    duration: int
    buffer: int = 0
    depends_on: tuple[str, ...] = ()
    fixed_due: dt.date | None = None


@dataclass(frozen=True)
class Plan:
    """A timeline planned backward from one launch date."""

    name: str
    launch: dt.date
    tasks: tuple[PlanTask, ...]


@dataclass(frozen=True)
class Calendar:
    """Working days: Monday–Friday, minus `holidays`, plus `workdays`."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


@dataclass(frozen=True)
class Dates:
    """Planned Start and Due of one task."""

    start: dt.date
    due: dt.date


@dataclass
class Batch:
    """Plans scheduled by one tj3 run, on one calendar."""

    calendar: Calendar
    plans: list[Plan] = field(default_factory=list)


# --- translation ---------------------------------------------------------------


def _tj_date(day: dt.date) -> str:
    return f"{day.isoformat()}-00:00"


def _leave_runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days merged into (first, day after last) runs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] == day:
            runs[-1] = (runs[-1][0], day + ONE_DAY)
        else:
            runs.append((day, day + ONE_DAY))
    return runs


def _depth_days(plan: Plan) -> int:
    """Working days from the earliest possible start to launch, bounded above (for the project span)."""
    return sum(t.duration + t.buffer for t in plan.tasks) + 1


def project_span(plans: Sequence[Plan], calendar: Calendar) -> tuple[dt.date, dt.date]:
    """A project interval that surely holds every plan: calendar days before the earliest point."""
    first = min(min([p.launch] + [t.fixed_due for t in p.tasks if t.fixed_due]) for p in plans)
    depth = max(_depth_days(p) for p in plans)
    slack_days = depth * 7 // 5 + 3 * len(calendar.holidays) + 30
    last = max(p.launch for p in plans)
    return first - dt.timedelta(days=slack_days), last + dt.timedelta(days=10)


def to_tjp(plans: Sequence[Plan], calendar: Calendar) -> str:
    """The TaskJuggler project that schedules `plans` (see the module docstring)."""
    start, end = project_span(plans, calendar)
    lines = [
        f'project ref "sheetsync reference" {start.isoformat()} - {end.isoformat()} {{',
        '  timezone "UTC"',
        "  timingresolution 60min",  # first: changing it resets the working hours
        "  dailyworkinghours 24",
    ]
    if calendar.workdays:
        lines.append("  workinghours mon - sun 0:00 - 24:00")
        off = [d for d in _days(start, end) if not calendar.is_workday(d)]
    else:
        lines.append("  workinghours mon - fri 0:00 - 24:00")
        lines.append("  workinghours sat, sun off")
        off = [d for d in calendar.holidays if start <= d < end]
    lines.append("}")
    for first, after in _leave_runs(off):
        lines.append(f'leaves holiday "off" {_tj_date(first)} - {_tj_date(after)}')
    for n, plan in enumerate(plans):
        lines.extend(_plan_tasks(f"p{n}", plan))
    lines += [
        'taskreport dates "dates" {',
        "  formats csv",
        "  columns id, start, end",
        '  timeformat "%Y-%m-%d %H:%M"',
        "  hideresource 1",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _days(first: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = first
    while day < end:
        yield day
        day += ONE_DAY


def _plan_tasks(prefix: str, plan: Plan) -> list[str]:
    local = {t.id: f"t{i}" for i, t in enumerate(plan.tasks)}
    has_successor = {dep for t in plan.tasks for dep in t.depends_on}
    successors: dict[str, list[str]] = {t.id: [] for t in plan.tasks}
    for t in plan.tasks:
        for dep in t.depends_on:
            successors[dep].append(local[t.id])
    lines = [f'task {prefix} "{plan.name}" {{', f'  task launch "launch" {{ milestone start {_tj_date(plan.launch)} }}']
    for t in plan.tasks:
        me = local[t.id]
        targets = list(successors[t.id])
        if t.id not in has_successor:
            targets.append("launch")
        gap = f" {{ gaplength {t.buffer}d }}" if t.buffer else ""
        body = ["scheduling alap", "milestone" if t.duration == 0 else f"length {t.duration}d"]
        body += [f"precedes !{target}{gap}" for target in targets]
        if t.fixed_due is not None:
            cap = t.fixed_due if t.duration == 0 else t.fixed_due + ONE_DAY
            lines.append(f'  task fd_{me} "fixed due of {t.id}" {{ milestone start {_tj_date(cap)} }}')
            body.append(f"precedes !fd_{me}")
        lines.append(f'  task {me} "{t.id}" {{ ' + " ".join(body) + " }")
    lines.append("}")
    return lines


# --- running tj3 ------------------------------------------------------------------


def run_tj3(tjp: str, workdir: Path) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Schedule a .tjp text with tj3; full task id → (start, end)."""
    if TJ3 is None:
        raise Tj3Error("tj3 is not installed")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "out").mkdir(exist_ok=True)
    (workdir / "plan.tjp").write_text(tjp, encoding="utf-8")
    done = subprocess.run(
        [TJ3, "--no-color", "--silent", "-o", "out", "plan.tjp"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = workdir / "out" / "dates.csv"
    # tj3 exits 0 after some warnings; any error or warning means the translation is off.
    if done.returncode != 0 or "Error" in done.stderr or "Warning" in done.stderr or not report.exists():
        raise Tj3Error(f"tj3 failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    out: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    with report.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter=";")
        next(rows)
        for task_id, start, end in rows:
            out[task_id] = (dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end))
    return out


def plan_dates(
    plan: Plan, prefix: str, raw: dict[str, tuple[dt.datetime, dt.datetime]], calendar: Calendar
) -> dict[str, Dates]:
    """tj3's start/end of each task of `plan` as sheetsync's Start and Due."""
    dates: dict[str, Dates] = {}
    for i, t in enumerate(plan.tasks):
        start, end = raw[f"{prefix}.t{i}"]
        if t.duration == 0:
            assert start == end and start.time() == dt.time(0), (t, start, end)
            dates[t.id] = Dates(start.date(), start.date())
            continue
        assert start.time() == dt.time(0) and end.time() == dt.time(0), (t, start, end)
        due = end.date() - ONE_DAY
        while not calendar.is_workday(due):
            due -= ONE_DAY
        dates[t.id] = Dates(start.date(), due)
    return dates


def schedule_batches(batches: Sequence[Batch], tmp: Path) -> list[tuple[str, list[dict[str, Dates]]]]:
    """Run every batch through tj3 (in parallel); per batch its .tjp and each plan's dates."""

    def one(n: int) -> tuple[str, list[dict[str, Dates]]]:
        batch = batches[n]
        tjp = to_tjp(batch.plans, batch.calendar)
        raw = run_tj3(tjp, tmp / f"batch{n}")
        return tjp, [plan_dates(p, f"p{i}", raw, batch.calendar) for i, p in enumerate(batch.plans)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, range(len(batches))))


def schedule_one(plan: Plan, calendar: Calendar) -> tuple[str, dict[str, Dates]]:
    """One plan through tj3: its .tjp and its dates."""
    with tempfile.TemporaryDirectory() as tmp:
        [(tjp, [dates])] = schedule_batches([Batch(calendar, [plan])], Path(tmp))
    return tjp, dates


# --- random plans -------------------------------------------------------------------


def random_calendar(rng: random.Random, around: dt.date, makeup: bool) -> Calendar:
    """2–5 weekday holidays in the weeks before `around`; with `makeup`, 1–2 working weekend days too."""
    weekdays = [around - dt.timedelta(days=k) for k in range(-7, 70)]
    holidays = rng.sample([d for d in weekdays if d.weekday() < 5], rng.randint(2, 5))
    workdays: list[dt.date] = []
    if makeup:
        workdays = rng.sample([d for d in weekdays if d.weekday() >= 5], rng.randint(1, 2))
    return Calendar(frozenset(holidays), frozenset(workdays))


def random_plan(rng: random.Random, name: str, launch: dt.date) -> Plan:
    """A random timeline: 1–25 tasks in a DAG, ~15 % milestones, buffers 0–3, ~15 % fixed dues."""
    n = rng.randint(1, 25)
    ids = [f"T{i + 1}" for i in range(n)]
    durations = [0 if rng.random() < 0.15 else rng.randint(1, 6) for _ in ids]
    buffers = [rng.choice((0, 0, 1, 1, 2, 3)) for _ in ids]
    depends: list[tuple[str, ...]] = []
    for i in range(n):
        k = min(i, rng.choice((0, 1, 1, 1, 2, 2, 3)))
        depends.append(tuple(sorted(rng.sample(ids[:i], k), key=ids.index)))
    # Working days from each task's end to launch along its longest path, to put fixed dues near it.
    tail = [0] * n
    successors: dict[int, list[int]] = {i: [] for i in range(n)}
    for i, deps in enumerate(depends):
        for dep in deps:
            successors[ids.index(dep)].append(i)
    for i in reversed(range(n)):
        tail[i] = buffers[i] + max((durations[s] + tail[s] for s in successors[i]), default=0)
    tasks = []
    for i, tid in enumerate(ids):
        fixed = None
        if rng.random() < 0.15:
            natural = launch - dt.timedelta(days=tail[i] * 7 // 5 + 1)
            fixed = natural + dt.timedelta(days=rng.randint(-6, 3))
        tasks.append(PlanTask(tid, durations[i], buffers[i], depends[i], fixed))
    order = list(range(n))
    rng.shuffle(order)  # rows need not be in dependency order
    return Plan(name, launch, tuple(tasks[i] for i in order))


def random_batches(seed: int, batches: int, plans_per_batch: int) -> list[Batch]:
    """Seeded batches of random plans; launches fall on every day of the week."""
    rng = random.Random(seed)
    out = []
    for b in range(batches):
        around = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 360))
        batch = Batch(random_calendar(rng, around, makeup=b % 3 == 2))
        for k in range(plans_per_batch):
            launch = around + dt.timedelta(days=rng.randint(-7, 7))
            batch.plans.append(random_plan(rng, f"seed{seed}-b{b}-p{k}", launch))
        out.append(batch)
    return out


def describe(plan: Plan, calendar: Calendar) -> str:
    """The plan as text, for a failing test's output."""
    lines = [
        f"plan {plan.name}: launch {plan.launch} ({plan.launch:%a})",
        f"  holidays {sorted(d.isoformat() for d in calendar.holidays)}",
        f"  extra workdays {sorted(d.isoformat() for d in calendar.workdays)}",
    ]
    for t in plan.tasks:
        fixed = f" fixed_due={t.fixed_due} ({t.fixed_due:%a})" if t.fixed_due else ""
        deps = ",".join(t.depends_on) or "-"
        lines.append(f"  {t.id}: duration={t.duration} buffer={t.buffer} depends_on={deps}{fixed}")
    return "\n".join(lines)
