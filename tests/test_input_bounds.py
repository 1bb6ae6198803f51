"""Bounds on what a person types (issue 11, defects 7 and 12): huge day counts and dates outside 1990–2100
are Problems naming the cell with the fix, never a traceback, and the rest of the workbook still syncs."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from conftest import TODAY
from test_bad_input import cell, setting

from sheetsync.cli import main

TL = "Timeline"
DATE_FIX = "write a date such as 2026-03-01"
YEAR_FIX = "write the full date with its year, such as 2026-03-01"

# (id, change, [(sheet, cell, problem, fix)])
CASES = [
    # defect 7: each of these crashed with a traceback and exit 1 ("synced, problems found")
    ("duration-huge", cell("Duration", 3, 600_000),
     [(TL, "E3", "600000 is more working days than a plan can hold",
       "write a whole number up to 3650; until then it is planned as 1 working day")]),
    ("buffer-huge", cell("Buffer", 2, 1e6),
     [(TL, "F2", "1000000 is more working days than a plan can hold", "write a whole number up to 3650")]),
    ("duration-just-over", cell("Duration", 3, 3651),
     [(TL, "E3", "3651 is more working days than a plan can hold",
       "write a whole number up to 3650; until then it is planned as 1 working day")]),
    ("feedback-response-huge", setting("Feedback response", 2e6),
     [("Project", "B11", "2000000 is more working days than a plan can hold", "write a whole number up to 3650")]),
    ("review-sla-huge", setting("Review SLA", 10**7),
     [("Project", "B9", "10000000 is more working days than a plan can hold", "write a whole number up to 3650")]),
    ("window-huge", setting("Due soon window", 10**7),
     [("Project", "B8", "10000000 is more working days than a plan can hold", "write a whole number up to 3650")]),
    ("rounds-huge", setting("Max revision rounds", 10**12),
     [("Project", "B10", "1000000000000 is more rounds than a plan can hold", "write a whole number up to 3650")]),
    # defect 12: a number typed where a date belongs was taken as a day of 1900
    # (the Launch date cell is formatted as a date, so Excel itself shows 20 as 1900-01-20)
    ("launch-small-number", setting("Launch date", 20),
     [("Project", "B4", "1900-01-20 is outside the dates a plan can hold (1990–2100)", YEAR_FIX)]),
    ("launch-year-alone", setting("Launch date", 2026),
     [("Project", "B4", "1905-07-18 is outside the dates a plan can hold (1990–2100)", YEAR_FIX)]),
    ("fixed-due-small-number", cell("Fixed due", 3, 20),
     [(TL, "G3", "20 is a number, not a date (as a date it is 1900-01-19)", DATE_FIX)]),
    ("fixed-due-year-9999", cell("Fixed due", 3, dt.datetime(9999, 12, 31)),
     [(TL, "G3", "9999-12-31 is outside the dates a plan can hold (1990–2100)", YEAR_FIX)]),
    ("done-on-text-1900", cell("Done on", 2, "1900-01-19"),
     [(TL, "I2", "1900-01-19 is outside the dates a plan can hold (1990–2100)", YEAR_FIX)]),
    ("extra-holiday-far", setting("Extra holidays", "2026-03-10, 2201-01-01"),
     [("Project", "B6", "2201-01-01 is outside the dates a plan can hold (1990–2100)", YEAR_FIX)]),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_out_of_range_input_is_a_located_problem(make_campaign, capsys, change, expected):
    campaign = make_campaign()
    campaign.edit(change)
    before = campaign.human_cells()
    code = main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    got = [(p["sheet"], p["cell"], p["problem"], p["fix"]) for p in report["problems"]]
    assert got == expected
    assert campaign.human_cells() == before
    # the rest still syncs: the launch milestone is planned unless the launch date itself was refused
    flags = campaign.cells(TL)
    if expected[0][1] != "B4":
        assert flags["L5"] == dt.datetime(2026, 3, 14)
    # and a second sync has nothing to write (no negative or far-away serials rewritten each time)
    assert main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["changed_cells"] == 0


def test_the_bounds_are_inclusive(make_campaign, capsys):
    campaign = make_campaign()
    campaign.edit(cell("Buffer", 2, 3650))
    campaign.edit(setting("Extra holidays", "1990-01-01, 2100-12-31"))
    main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [p for p in problems if p["cell"] in ("F2", "B6")] == []
    wb = openpyxl.load_workbook(campaign.path)
    assert wb[TL]["L5"].value == dt.datetime(2026, 3, 14)


def test_a_chain_too_long_for_any_calendar_is_a_problem_not_a_traceback(make_campaign, capsys):
    """Each Duration is within bounds, but 200 tasks of 3650 working days in a row reach back before year 1."""
    rows = [{"ID": f"T{i}", "Milestone": f"step {i}", "Owner": "Li Na", "Duration": 3650,
             **({"Depends on": f"T{i - 1}"} if i > 1 else {})} for i in range(1, 201)]
    campaign = make_campaign(timeline=rows, people=False)
    code = main(["sync", str(campaign.path), "--today", TODAY.isoformat(), "--json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    assert (problems[0]["sheet"], problems[0]["cell"], problems[0]["fix"]) == (
        TL, "E1", "check the Duration, Buffer and Depends on of the longest chain")
    assert problems[0]["problem"].startswith("the chain of dependent tasks adds up to more working days")
