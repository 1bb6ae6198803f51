"""The buffer left before launch: how many working days the unfinished work can still slip before the launch
does — on track, at risk (nothing left) and already slipping, before and after a what-if. Hand-worked.

The engine's plans use a Monday–Friday calendar, March 2026: Mon 2 … Fri 6, Mon 9 … Fri 13, launch Sat 14.
The base campaign (tests/conftest.py): T1 2 days + buffer 1, T2 3 days, T3 1 day + buffer 1, T4 the launch
milestone. Planned as late as possible: T3 Thu 12 (Fri 13 kept free), T2 Mon 9–Wed 11, T1 Wed 4–Thu 5 (Fri 6
free). Without buffers the latest ends that keep the launch are: T3 Sat 14, T2 Fri 13 (T3 then takes Fri 13),
T1 Tue 10 (T2 then takes Tue 10–Thu 12). On plan: T1 ends Fri 6 (2 working days before Tue 10: Fri 6, Mon 9),
T2 Thu 12 (1: Thu 12), T3 Fri 13 (1: Fri 13) → 1 working day left.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.schedule import Task, schedule
from sheetsync.i18n import _

D = dt.date
MONFRI = WorkCalendar()
SAT_14 = D(2026, 3, 14)
BASE = [
    Task("T1", 2, buffer=1),
    Task("T2", 3, depends_on=("T1",)),
    Task("T3", 1, buffer=1, depends_on=("T2",)),
    Task("T4", 0, depends_on=("T3",)),
]


def launch(tasks, today, **slips):
    return schedule(tasks, launch=SAT_14, calendar=MONFRI, today=today, slips=slips).launch


def with_status(tasks, **changes):
    return [Task(**{**t.__dict__, **changes[t.id]}) if t.id in changes else t for t in tasks]


def test_on_track_the_buffer_left_is_the_tightest_unfinished_gap_not_the_last_tasks():
    status = launch(BASE, D(2026, 3, 2))
    assert (status.at_risk, status.buffer_days) == (False, 1)
    assert status.margin_days == 0  # the launch milestone sits on the launch date: the old line said 0
    assert launch(BASE, D(2026, 3, 2), T2=1).buffer_days == 0  # T2 ends Thu 12, T3 Fri 13: just in time
    slipped = launch(BASE, D(2026, 3, 2), T2=2)  # T2 ends Fri 13, T3 Mon 16: the launch waits one working day
    assert (slipped.at_risk, slipped.slip_days, slipped.buffer_days) == (True, 1, -1)


def test_at_risk_nothing_is_left():
    """Thu 12: T1 was done on time, T2 (due Wed 11) still in progress ends today, T3 takes Fri 13: just in time."""
    tasks = with_status(BASE, T1={"status": "Done", "done_on": D(2026, 3, 5)}, T2={"status": "In progress"})
    status = launch(tasks, D(2026, 3, 12))
    assert (status.at_risk, status.buffer_days) == (False, 0)
    assert launch(tasks, D(2026, 3, 12), T3=1).buffer_days == -1


def test_already_slipping_the_buffer_left_is_the_slip_negated():
    """Mon 16: T2 ends today, T3 Tue 17; the launch (Sat 14) waits Mon 16 and Tue 17."""
    tasks = with_status(BASE, T1={"status": "Done", "done_on": D(2026, 3, 5)}, T2={"status": "In progress"})
    status = launch(tasks, D(2026, 3, 16))
    assert (status.slip_days, status.buffer_days, status.projected) == (2, -2, D(2026, 3, 18))
    assert launch(tasks, D(2026, 3, 16), T3=1).buffer_days == -3


def test_parallel_branches_the_tightest_one_counts():
    """A (3 days, no buffer) and B (1 day, buffer 3) both end at the launch: A has nothing to spare."""
    tasks = [Task("A", 3), Task("B", 1, buffer=3)]
    assert launch(tasks, D(2026, 3, 2)).buffer_days == 0
    assert launch(tasks, D(2026, 3, 2), B=3).buffer_days == 0  # B's own 3 days are spent; A still has none
    assert launch(tasks, D(2026, 3, 2), B=4).slip_days == 1


def test_buffers_are_spent_but_a_fixed_due_is_not_launch_margin():
    """C capped by Fixed due Fri 6 ends Fri 6: it can end as late as Fri 13 (5 working days) without moving the
    launch. D (2 days, buffer 2) ends Wed 11: its buffer (Thu 12, Fri 13) is its margin."""
    assert launch([Task("C", 2, fixed_due=D(2026, 3, 6))], D(2026, 3, 2)).buffer_days == 5
    assert launch([Task("D", 2, buffer=2)], D(2026, 3, 2)).buffer_days == 2


def test_a_milestone_counts_unless_it_is_the_launch_itself():
    """Sign-off M, Fixed due Mon 9, can wait until Fri 13 (5 working days); B (2 days, buffer 6) ends Thu 5 with
    6 to spare: 5 are left. The base plan's T4 is planned on the launch itself: its 0 does not count."""
    tasks = [Task("M", 0, fixed_due=D(2026, 3, 9)), Task("B", 2, buffer=6)]
    assert launch(tasks, D(2026, 3, 2)).buffer_days == 5
    assert launch(BASE, D(2026, 3, 2)).buffer_days == 1
    assert launch(BASE, D(2026, 3, 2), T4=1).buffer_days == -1  # slipping the launch milestone is the launch's


def test_when_all_the_work_is_done_the_gap_to_the_launch_is_left():
    tasks = [Task("A", 2, status="Done", done_on=D(2026, 3, 10))]  # ended Tue 10: Wed 11 … Fri 13 spare
    assert launch(tasks, D(2026, 3, 11)).buffer_days == 3


# --- the what-if line -----------------------------------------------------------------------------------------


def whatif_lines(capsys, *args: str) -> list[str]:
    code = main(["whatif", *map(str, args)])
    out = capsys.readouterr().out
    assert code == 0, out
    return out.splitlines()


def test_the_line_when_buffer_is_used(make_campaign, capsys):
    """One task, 2 days, buffer 4: planned Fri 6–Mon 9 (Tue 10 … Fri 13 free before Sat 14); slipping 3 leaves 1."""
    campaign = make_campaign(timeline=[{"ID": "T1", "Milestone": "Copy", "Owner": "Li Na", "Duration": 2,
                                        "Buffer": 4, "Status": "Not started"}])
    lines = whatif_lines(capsys, campaign.path, "--slip", "T1=3", "--today", "2026-03-02")
    assert lines[1:3] == [
        "Launch: on track (2026-03-14) → on track (2026-03-14)",
        "Buffer left before launch: 4 → 1 working day (3 used)",  # by the figure after the arrow
    ]


@pytest.mark.parametrize(
    ("today", "status", "slip", "line"),
    [
        ("2026-03-02", {}, "T2=1", "Buffer left before launch: 1 → 0 working days (1 used)"),
        ("2026-03-12", {"T2": "In progress"}, "T3=1",
         "Buffer left before launch: 0 → -1 working day (the launch slips 1 working day)"),
        ("2026-03-16", {"T2": "In progress"}, "T3=1",
         "Buffer left before launch: -2 → -3 working days (the launch slips 3 working days)"),
    ],
    ids=["on track", "at risk", "slipping"],
)
def test_the_line_on_track_at_risk_and_slipping(make_campaign, capsys, today, status, slip, line):
    campaign = make_campaign()
    done = {"Status": "Done", "Done on": dt.datetime(2026, 3, 5)} if status else {}
    campaign.set_timeline([done, {"Status": status["T2"]} if status else {}])
    lines = whatif_lines(capsys, campaign.path, "--slip", slip, "--today", today)
    assert lines[2] == line


def test_the_json_carries_the_buffer_left(make_campaign, capsys):
    campaign = make_campaign()
    code = main(["whatif", str(campaign.path), "--slip", "T2=1", "--today", "2026-03-02", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["launch"]["before"]["buffer_days"], report["launch"]["after"]["buffer_days"]) == (1, 0)
    assert report["buffer_used_days"] == 1


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("zh") / "演示.xlsx"
    sheetsync.create(path, demo=True, lang="zh", today=D(2026, 12, 8))
    return path


def test_the_demo_has_one_working_day_left_and_says_so_in_chinese(zh_demo, tmp_path, capsys):
    """The demo's chain ends with T12 on Tue 22 (KOL briefing T11 too); the launch is Thu 24: Wed 23 is left."""
    book = tmp_path / "演示.xlsx"
    shutil.copy(zh_demo, book)
    lines = whatif_lines(capsys, book, "--slip", "T5=1", "--today", "2026-12-08")
    with i18n.language("zh"):
        change = i18n.n_("{task} finishes {days} working day late", "{task} finishes {days} working days late", 1,
                         task="T5", days=1)
        assert lines[0] == _("What if {changes} (today {day}):", changes=change, day="2026-12-08")
        buffer = i18n.n_("{before} → {after} working day ({why})", "{before} → {after} working days ({why})", 0,
                         before="1", after="0", why=_("{n} used", n=1))
        assert lines[2] == _("Buffer left before launch: {buffer}", buffer=buffer)
    assert any(line.startswith("  T13 ") for line in lines) is False  # the launch holds: T13 does not move
    assert any("有风险" in line for line in lines)  # T12 OK → AT RISK, in the book's words
