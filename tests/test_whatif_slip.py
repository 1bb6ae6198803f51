"""`whatif --slip ID=N`: the task finishes N working days later than now projected; the plan stays.

Differential: a slip gives the projections a real edit of the workbook gives when the task
does end on that day. Hand-worked on the demo (CN calendar, launch Thu 2026-12-24, today
Tue 2026-12-08): T4 (In progress) is projected to end today, T5 (2 days) Wed 9–Thu 10, T6
Fri 11, T7 Mon 14–Tue 15, T8 Wed 16, T9 Thu 17–Mon 21, T11 and T12 Tue 22, the launch
milestone T13 Thu 24.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

import sheetsync
from sheetsync.cli import main

TODAY = "2026-12-08"
T5_SUCCESSORS = ("T6", "T7", "T8", "T9", "T11", "T12", "T13")


def whatif_json(capsys, *args: str) -> dict:
    code = main(["whatif", *map(str, args), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def projected(book, today: dt.date) -> tuple[dict[str, str], dict]:
    """Each task's Projected due and the launch, as a sync of the book would compute them."""
    report = sheetsync.open(book).check(today=today)
    dates = {r.task.id: r.dates.projected_due.isoformat() for r in report.analysis.task_results()}
    return dates, report.launch.as_dict()


def edit_task(path, task_id: str, **values) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Timeline"]
    cols = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == task_id)
    for name, value in values.items():
        ws.cell(row, cols[name.replace("_", " ")]).value = value
    wb.save(path)


def test_a_slip_moves_the_task_its_successors_and_the_launch_not_the_plan(demo, capsys):
    before = demo.read_bytes()
    report = whatif_json(capsys, demo, "--slip", "T5=2", "--today", TODAY)
    assert demo.read_bytes() == before  # nothing written
    moved = {t["id"]: t for t in report["tasks"]}
    # T5 Thu 10 + 2 working days → Mon 14; its plan (Start Mon 7, Due Tue 8) stays.
    assert moved["T5"]["after"]["projected_due"] == "2026-12-14"
    assert moved["T5"]["after"]["start"] == moved["T5"]["before"]["start"] == "2026-12-07"
    assert moved["T5"]["after"]["due"] == moved["T5"]["before"]["due"] == "2026-12-08"
    after = {task_id: t["after"]["projected_due"] for task_id, t in moved.items()}
    # T6 Tue 15, T7 Wed 16–Thu 17, T8 Fri 18, T9 Mon 21–Wed 23, T12 Thu 24: the launch waits until Fri 25.
    assert after == {"T5": "2026-12-14", "T6": "2026-12-15", "T7": "2026-12-17", "T8": "2026-12-18",
                     "T9": "2026-12-23", "T12": "2026-12-24", "T13": "2026-12-25"}
    assert "T11" not in moved  # KOL briefing (2 days after T8's Fri 18) still ends Tue 22
    assert report["launch"]["after"] == {
        "date": "2026-12-24", "projected": "2026-12-25", "slip_days": 1, "at_risk": True, "provisional": [],
        "buffer_days": -1,
    }
    assert report["change"] == {"launch": None, "delays": {}, "slips": {"T5": 2}}


def test_a_slip_gives_what_a_real_edit_of_duration_gives_the_same_day(demo, capsys):
    """T5 waits on T4, so two more days of Duration end it on the same day as a slip of 2: same successors."""
    report = whatif_json(capsys, demo, "--slip", "T5=2", "--today", TODAY)
    slipped = {t["id"]: t["after"]["projected_due"] for t in report["tasks"]}
    edit_task(demo, "T5", Duration=4)
    real, launch = projected(demo, dt.date(2026, 12, 8))
    assert real["T5"] == slipped["T5"] == "2026-12-14"
    assert {t: real[t] for t in T5_SUCCESSORS} == {t: slipped.get(t, real[t]) for t in T5_SUCCESSORS}
    assert report["launch"]["after"] == launch | {"buffer_days": -1}


def test_a_slip_gives_what_marking_it_done_on_that_day_gives(demo, capsys):
    """The book on the day T5 does finish, Mon 14: Done, Done on Mon 14 — its successors and the launch agree."""
    report = whatif_json(capsys, demo, "--slip", "T5=2", "--today", TODAY)
    slipped = {t["id"]: t["after"]["projected_due"] for t in report["tasks"]}
    edit_task(demo, "T4", Status="Done", Done_on=dt.datetime(2026, 12, 8))
    edit_task(demo, "T5", Status="Done", Done_on=dt.datetime(2026, 12, 14))
    real, launch = projected(demo, dt.date(2026, 12, 14))
    assert {t: real[t] for t in T5_SUCCESSORS} == {t: slipped.get(t, real[t]) for t in T5_SUCCESSORS}
    assert real["T13"] == "2026-12-25"
    assert launch == {k: v for k, v in report["launch"]["after"].items() if k != "buffer_days"}


def test_slipping_the_launch_milestone_slips_the_launch(demo, capsys):
    report = whatif_json(capsys, demo, "--slip", "T13=1", "--today", TODAY)
    assert [t["id"] for t in report["tasks"]] == ["T13"]
    assert report["launch"]["after"]["projected"] == "2026-12-25" and report["launch"]["after"]["slip_days"] == 1


def test_slips_add_up_and_combine_with_a_delay_and_a_launch(demo, capsys):
    one = whatif_json(capsys, demo, "--slip", "T5=1", "--slip", "T5=1", "--today", TODAY)
    two = whatif_json(capsys, demo, "--slip", "T5=2", "--today", TODAY)
    assert one["change"]["slips"] == {"T5": 2} and one["tasks"] == two["tasks"]
    both = whatif_json(capsys, demo, "--slip", "T5=2", "--delay", "T9=1", "--launch", "2026-12-31", "--today", TODAY)
    assert both["change"] == {"launch": "2026-12-31", "delays": {"T9": 1}, "slips": {"T5": 2}}
    assert both["feasible"] is True and both["launch"]["after"]["date"] == "2026-12-31"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slip", "T3=2"], "T3 is already Done, so it cannot finish later; to re-estimate it use --delay T3=N, "
                             "or correct its Done on date on the Timeline sheet"),
        (["--slip", "T99=2"], 'no task "T99" in the Timeline; use one of its IDs, such as --slip T3=2'),
        (["--slip", "T5=0"], "--slip T5=0: say how many working days late it finishes, 1 or more"),
        (["--slip", "T5"], '"T5" is not ID=N; write e.g. --slip T3=2'),
        ([], "say what changes: --slip ID=N, --delay ID=N and/or --launch DATE (then --record ROW)"),
    ],
)
def test_a_slip_that_cannot_be_is_refused(demo, capsys, args, message):
    before = demo.read_bytes()
    code = main(["whatif", str(demo), *args, "--today", TODAY])
    err = capsys.readouterr().err
    assert code == 2 and message in err
    assert demo.read_bytes() == before
