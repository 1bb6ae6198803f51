"""Stable second syncs (issue 11): what is written is what is compared, so a sync right after a sync
writes nothing — for text past a cell's limit (defect 11) and across fuzzed books."""

from __future__ import annotations

import json

import openpyxl
from conftest import TODAY, header_columns

from sheetsync.cli import main
from sheetsync.raw import CUT_MARKER, MAX_CELL_TEXT, writable


def _sync(path, capsys) -> dict:
    main(["sync", str(path), "--today", TODAY.isoformat(), "--json"])
    return json.loads(capsys.readouterr().out)


def test_a_problem_quoting_a_cell_past_the_limit_is_cut_once_and_not_rewritten(make_campaign, capsys):
    campaign = make_campaign()
    long_text = "3 days " + "and more " * 5000  # 45,007 characters in a human Duration cell

    def change(wb):
        ws = wb["Timeline"]
        ws.cell(3, header_columns(ws, "Timeline")["Duration"]).value = long_text

    campaign.edit(change)
    first = _sync(campaign.path, capsys)
    quoted = next(p for p in first["problems"] if p["cell"] == "E3")["problem"]
    assert len(quoted) > MAX_CELL_TEXT
    written = openpyxl.load_workbook(campaign.path)["Problems"]["C2"].value
    assert len(written) == MAX_CELL_TEXT and written.endswith(CUT_MARKER)
    assert written == quoted[: MAX_CELL_TEXT - len(CUT_MARKER)] + CUT_MARKER
    second = _sync(campaign.path, capsys)
    assert (second["changed_cells"], second["written"]) == (0, False)


def test_writable_counts_as_excel_does_and_leaves_short_text_alone():
    assert writable("T1 is late") == "T1 is late"
    assert writable("a\x01b\x1fc\ufffe") == "abc"
    assert writable(3) == 3
    wide = "😀" * 20_000  # 40,000 UTF-16 units in 20,000 characters
    cut = writable(wide)
    assert cut.endswith(CUT_MARKER)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_CELL_TEXT
    assert len(writable("x" * MAX_CELL_TEXT)) == MAX_CELL_TEXT and CUT_MARKER not in writable("x" * MAX_CELL_TEXT)
