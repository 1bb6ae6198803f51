"""Adversarial what-ifs (issue 17): changes a plan cannot hold are refused in words, never answered wrongly.

On the demo (launch Thu 2026-12-24, today Tue 2026-12-08) T5 "Client feedback &
revisions" has a Duration of 2. A Duration is bounded (parse.cells.MAX_DAYS, 3650
working days), and a chain of tasks can reach past the calendars (1900–2200): a
what-if must not then print "No milestone moves." (nothing was planned at all), nor
blame a cell of the book for a Duration only the what-if made up.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

import sheetsync
from sheetsync.cli import main
from sheetsync.errors import UsageError
from sheetsync.i18n import language
from sheetsync.whatif import what_if

TODAY = "2026-12-08"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slip", "T5=100000000"],
         "--slip T5=100000000: a task cannot finish more than 3650 working days late; "
         "give a number of working days up to 3650"),
        (["--delay", "T5=100000"],
         "--delay T5=100000 would make T5's Duration 100002 working days; a Duration is 0 to 3650"),
        (["--delay", "T5=-10"],
         "T5's Duration is 2 working days; the most it can shrink is --delay T5=-2"),
        (["--slip", "T5=100000000", "--record", "3"],
         "--slip T5=100000000: a task cannot finish more than 3650 working days late"),
    ],
)
def test_a_change_past_the_bounds_is_refused_and_nothing_is_written(demo, capsys, args, message):
    before = demo.read_bytes()
    code = main(["whatif", str(demo), *args, "--today", TODAY])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    assert message in captured.err
    assert "No milestone moves" not in captured.out
    assert demo.read_bytes() == before


def test_slips_that_together_run_past_the_calendars_are_refused_not_reported_as_nothing_moving(demo):
    # Each slip is within bounds, but along T4 → T5 → … → T13 nine of 3650 working days add up to some
    # 126 years: from a launch in 2100 the projection runs past 2200, where no calendar counts.
    chain = dict.fromkeys(("T4", "T5", "T6", "T7", "T8", "T9", "T11", "T12", "T13"), 3650)
    workbook = sheetsync.open(demo).backend.read()
    with pytest.raises(UsageError, match="past the dates a calendar can count"):
        what_if(workbook, today=dt.date(2026, 12, 8), launch=dt.date(2100, 12, 1), slips=chain)


def test_the_refusal_speaks_the_books_language(tmp_path):
    """A Chinese book's refusal names its own column (工期), whatever language the caller runs in (the lead
    translates the sentence itself)."""
    path = tmp_path / "zh.xlsx"
    sheetsync.create(path, demo=True, today=dt.date(2026, 12, 8), lang="zh")
    workbook = sheetsync.open(path).backend.read()
    with language("en"), pytest.raises(UsageError) as caught:
        what_if(workbook, today=dt.date(2026, 12, 8), delays={"T5": 5000})
    assert "工期" in str(caught.value) and "5002" in str(caught.value)


# --- --record: the Impact cell of a book whose team kept its own impact notes ------------------------------


def test_record_never_overwrites_what_a_person_typed_in_the_impact_cell(demo, capsys):
    """An old book may have had its own "Impact" column; a person's note there is theirs, not a stale result."""
    workbook = openpyxl.load_workbook(demo)
    workbook["Feedback"]["K3"] = "Client accepts a 2-day slip (Liu Yang on the phone, 12/7)"
    workbook.save(demo)
    before = demo.read_bytes()
    code = main(["whatif", str(demo), "--slip", "T5=2", "--record", "3", "--today", TODAY, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["recorded"] is None
    assert demo.read_bytes() == before
    assert report["record_problems"] == [{
        "sheet": "Feedback",
        "cell": "K3",
        "problem": 'it holds "Client accepts a 2-day slip (Liu Yang on the phone, 12/7)", which sheetsync did not '
                   "write; recording the impact there would overwrite it",
        "fix": "move that note to another cell (or clear it), then run the what-if again",
    }]


def test_record_replaces_an_impact_it_recorded_before(demo, capsys):
    assert main(["whatif", str(demo), "--slip", "T5=2", "--record", "3", "--today", TODAY]) == 0
    assert main(["whatif", str(demo), "--slip", "T5=1", "--record", "3", "--today", TODAY]) == 0
    capsys.readouterr()
    impact = openpyxl.load_workbook(demo)["Feedback"]["K3"].value
    assert impact.startswith("T5 finishes 1 working day late: what-if of 2026-12-08; ")


def test_record_replaces_an_impact_recorded_in_the_other_language(tmp_path, capsys):
    """A book switched from English to Chinese (Language setting) still knows its earlier English impacts."""
    path = tmp_path / "zh.xlsx"
    sheetsync.create(path, demo=True, today=dt.date(2026, 12, 8), lang="zh")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["反馈"]
    col = next(c.column for c in sheet[1] if c.value == "影响评估")
    sheet.cell(3, col).value = "T5 finishes 2 working days late: what-if of 2026-12-01; no decision needed"
    workbook.save(path)
    code = main(["whatif", str(path), "--slip", "T5=1", "--record", "3", "--today", TODAY])
    capsys.readouterr()
    assert code == 0
    assert "2026-12-08" in openpyxl.load_workbook(path)["反馈"].cell(3, col).value
    # ...and the Chinese line it wrote is its own to replace too
    code = main(["whatif", str(path), "--slip", "T5=3", "--record", "3", "--today", "2026-12-09"])
    capsys.readouterr()
    assert code == 0
    assert "2026-12-09" in openpyxl.load_workbook(path)["反馈"].cell(3, col).value


def test_record_into_a_merged_impact_cell_is_a_problem_not_a_false_written_to(demo, capsys):
    """K3 merged into J3:K3 (Flag and Impact) cannot hold a value: saying "Written to Feedback!K3" would lie."""
    workbook = openpyxl.load_workbook(demo)
    workbook["Feedback"].merge_cells("J3:K3")
    workbook.save(demo)
    before = demo.read_bytes()
    code = main(["whatif", str(demo), "--slip", "T5=2", "--record", "3", "--today", TODAY, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["recorded"] is None
    assert demo.read_bytes() == before
    assert report["record_problems"] == [{
        "sheet": "Feedback",
        "cell": "J3:K3",
        "problem": "K3, where the impact goes, is merged into J3:K3, so it cannot hold a value",
        "fix": "unmerge J3:K3, then run the what-if again",
    }]
