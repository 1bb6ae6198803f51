"""What-ifs that re-plan: `--delay` (a longer Duration) never rewrites finished work, and `--launch` says
which decisions the new plan needs and whether the new launch can be made from today.

Hand-worked on the demo (CN calendar, today Tue 2026-12-08, launch Thu 2026-12-24). Moving the launch to
Fri 2026-12-18 re-plans as late as possible: T13 at Fri 18; T12 and T11 due Wed 16 (buffer 1); T9 due
Mon 14, start Thu 10; T10 due Mon 14; T8 Wed 9; T7 (buffer 1) Fri 4–Mon 7; T6 Thu 3; T5 Tue 1–Wed 2;
T4 Mon 30 Nov; T2 (buffer 1 before T10's Fri 11) Fri 4–Wed 9.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

import sheetsync
from sheetsync.cli import main
from sheetsync.contract import DONE, DONE_LATE

TODAY = dt.date(2026, 12, 8)


def test_a_delay_keeps_every_done_task_as_it_was(demo):
    report = sheetsync.open(demo).what_if(today=TODAY, delays={"T5": 7})
    before = {r.task.id: r.dates for r in report.before.task_results()}
    after = {r.task.id: r.dates for r in report.after.task_results()}
    assert (before["T1"].flag, before["T3"].flag) == (DONE, DONE_LATE)
    for task_id in ("T1", "T3"):
        assert after[task_id] == before[task_id]
    assert [m.id for m in report.moves] == ["T4", "T5", "T6", "T7", "T8", "T9", "T11", "T12", "T13"]
    # The plan itself moves the done tasks' Due earlier (ALAP): a sync after the real edit says so,
    # which is why the what-if must keep them.
    wb = openpyxl.load_workbook(demo)
    wb["Timeline"]["E6"] = 9  # T5's Duration 2 → 9
    wb.save(demo)
    synced = {r.task.id: r.dates.flag for r in sheetsync.open(demo).check(today=TODAY).analysis.task_results()}
    assert synced["T1"] == DONE_LATE


def test_a_delay_text_lists_no_done_task(demo, capsys):
    code = main(["whatif", str(demo), "--delay", "T5=7", "--today", "2026-12-08"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == [
        "What if T5 takes +7 working days (today 2026-12-08):",
        "Launch: on track (2026-12-24) → at risk by 6 working days (2027-01-04)",
        "Buffer left before launch: 1 → -6 working days (the launch slips 6 working days)",
        "Milestones that move (9):",
    ]
    assert not any(line.startswith(("  T1 ", "  T3 ")) for line in lines)
    assert "DONE LATE" not in out


def test_an_earlier_launch_lists_exactly_the_tasks_whose_new_plan_is_past(demo, capsys):
    code = main(["whatif", str(demo), "--launch", "2026-12-18", "--today", "2026-12-08", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(d["id"], d["start"], d["due"], d["past"], d["new"]) for d in report["decisions"]] == [
        ("T2", "2026-12-04", "2026-12-09", "start", True),  # Blocked: not started, due tomorrow
        ("T4", "2026-11-30", "2026-11-30", "due", False),  # In progress, due Fri 4 before the change
        ("T5", "2026-12-01", "2026-12-02", "due", False),  # not started, start Mon 7 before the change
        ("T6", "2026-12-03", "2026-12-03", "due", True),
        ("T7", "2026-12-04", "2026-12-07", "due", True),
    ]  # T8 starts Wed 9, T9 Thu 10: still ahead
    # T12 still ends Tue 22, so the launch is 3 working days late (Fri 18, Mon 21, Tue 22).
    assert report["feasible"] is False
    assert report["launch"]["after"]["projected"] == "2026-12-23" and report["launch"]["after"]["slip_days"] == 3


def test_an_earlier_launch_in_words(demo, capsys):
    code = main(["whatif", str(demo), "--launch", "2026-12-18", "--today", "2026-12-08"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    start = lines.index("Decisions needed (5) — the new plan is already past:")
    assert lines[start + 1: start + 7] == [
        "  T2 Audience targeting package: blocked and its start 2026-12-04 is before today",
        "  T4 Internal review: due 2026-11-30 is before today (already before the change)",
        "  T5 Client feedback & revisions: due 2026-12-02 is before today (already before the change)",
        "  T6 Client review: due 2026-12-03 is before today",
        "  T7 Compliance review: due 2026-12-07 is before today",
        "The new launch 2026-12-18 cannot be made from today: it would slip 3 working days (projected 2026-12-23).",
    ]


def test_a_launch_one_day_earlier_can_be_made_and_needs_no_new_decision(demo):
    """Wed 23: T12 ends Tue 22, in time; the plan moves one working day earlier; T6 becomes due today, not past."""
    report = sheetsync.open(demo).what_if(today=TODAY, launch=dt.date(2026, 12, 23))
    assert report.feasible is True and report.after.launch.buffer_days == 0
    assert [(d.id, d.new) for d in report.decisions] == [("T4", False), ("T5", False)]
