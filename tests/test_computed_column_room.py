"""Computed columns are only ever added where the whole column is empty (issue 11, defect 2).

A person deletes the Flag column and types notes in the next column without a
header: sync used to write "Flag" and the flags over those notes, with no
Problem. Now the notes stay, a Problem names the cell and says where to put
the column back, and everything else still syncs.
"""

from __future__ import annotations

import json

import pytest
from conftest import header_columns

from sheetsync.cli import main

TODAY = "2026-03-02"


def sync(campaign, capsys):
    code = main(["sync", str(campaign.path), "--today", TODAY, "--json"])
    return code, json.loads(capsys.readouterr().out)


def delete_column(campaign, sheet: str, name: str, notes: dict[int, object]) -> str:
    """Delete a computed column; type `notes` (row → value) in the first column right of the last header."""
    letter = ""

    def change(wb):
        nonlocal letter
        ws = wb[sheet]
        ws.delete_cols(header_columns(ws, sheet)[name])
        last = max(c.column for c in ws[1] if c.value is not None)
        for row, value in notes.items():
            ws.cell(row, last + 1).value = value
        letter = ws.cell(1, last + 1).column_letter

    campaign.edit(change)
    return letter


def test_notes_without_a_header_where_flag_would_go_are_kept_and_reported(make_campaign, capsys):
    campaign = make_campaign()
    letter = delete_column(campaign, "Timeline", "Flag", {2: "call the client first", 4: "ask Wang Lei"})
    before = campaign.human_cells()

    code, report = sync(campaign, capsys)

    assert campaign.human_cells() == before
    assert campaign.cells("Timeline")[f"{letter}2"] == "call the client first"
    assert f"{letter}1" not in campaign.cells("Timeline")
    assert code == 1 and report["written"]
    assert [p for p in report["problems"] if p["sheet"] == "Timeline"] == [
        {
            "sheet": "Timeline",
            "cell": f"{letter}2",
            "problem": f'the computed column "Flag" is missing, and column {letter}, where sheetsync would add it, '
            "holds cells without a header; they are left as they are",
            "fix": f'add a "Flag" header in an empty column (sheetsync fills it), or give column {letter} a header '
            "of its own",
        }
    ]
    # the rest still syncs: every other computed column is there, and the Problems sheet says the same
    assert report["flags"] == {"Timeline": {"OK": 4}}
    due = header_columns(campaign.sheet("Timeline"), "Timeline")["Due"]
    assert all(campaign.sheet("Timeline").cell(row, due).value is not None for row in range(2, 6))
    problems_sheet = campaign.cells("Problems")
    assert f"{letter}2" in problems_sheet.values()

    # following the fix: a Flag header in an empty column is filled, the notes stay
    def add_header(wb):
        ws = wb["Timeline"]
        ws.cell(1, ws.max_column + 2).value = "Flag"

    campaign.edit(add_header)
    code, report = sync(campaign, capsys)
    assert code == 0 and report["problems"] == []
    assert campaign.cells("Timeline")[f"{letter}2"] == "call the client first"
    flags = [v for k, v in campaign.cells("Timeline").items() if k[0] != letter and v == "OK"]
    assert len(flags) == 4


@pytest.mark.parametrize("note", ["x", 0, "=1+1"])
def test_any_cell_in_the_column_makes_it_a_persons(make_campaign, capsys, note):
    campaign = make_campaign()
    letter = delete_column(campaign, "Timeline", "Flag", {40: note})
    before = campaign.human_cells()
    code, report = sync(campaign, capsys)
    assert campaign.human_cells() == before
    assert [p["cell"] for p in report["problems"]] == [f"{letter}40"]


def test_two_missing_columns_are_named_in_one_problem(make_campaign, capsys):
    campaign = make_campaign()
    delete_column(campaign, "Timeline", "Flag", {})
    letter = delete_column(campaign, "Timeline", "Slack", {3: "ask the client"})
    before = campaign.human_cells()
    code, report = sync(campaign, capsys)
    assert campaign.human_cells() == before
    assert [(p["cell"], p["fix"]) for p in report["problems"]] == [
        (f"{letter}3", f'add a "Slack" and "Flag" header in an empty column (sheetsync fills it), '
                       f"or give column {letter} a header of its own")
    ]


def test_a_missing_column_is_still_added_where_the_column_is_wholly_empty(make_campaign, capsys):
    campaign = make_campaign()
    letter = delete_column(campaign, "Timeline", "Flag", {})
    code, report = sync(campaign, capsys)
    assert code == 0 and report["problems"] == []
    assert campaign.cells("Timeline")[f"{letter}1"] == "Flag"
    assert campaign.cells("Timeline")[f"{letter}2"] == "OK"
