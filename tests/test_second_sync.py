"""Stable second syncs (issue 11): what is written is what is compared, so a sync right after a sync
writes nothing — for text past a cell's limit (defect 11) and across fuzzed books."""

from __future__ import annotations

import datetime as dt
import json
import random

import openpyxl
import pytest
from conftest import TODAY, header_columns

from sheetsync.cli import main
from sheetsync.contract import sheet_spec
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


# --- fuzz: random edits to a campaign, then a sync, then a second sync that must write nothing -------------

FUZZ_BOOKS = 24
FUZZ_EDITS = 8
FUZZ_SHEETS = ("Project", "Timeline", "Reviews", "RACI", "Team", "Feedback", "Risks")


def _fuzz_value(rng: random.Random):
    """One value of a random kind, as a person (or a paste) could leave it in a cell."""
    kind = rng.randrange(15)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice(["x", "T1", "Done", "OK", "Li Na", "R", "A/R", "Open", "High", "完成", "李娜"])
    if kind == 2:
        return "".join(rng.choice("ab 中文,;\n\t_x0041_&<>\"'é😀") for _ in range(rng.randrange(1, 40)))
    if kind == 3:
        return "long " * rng.randrange(6_000, 9_000)  # past Excel's 32,767 once quoted in a Problem
    if kind == 4:
        return rng.choice([0, 1, -1, 3, 20, 2026, 45000, 10**6, 2**53 + 1, 10**15, -(10**9)])
    if kind == 5:
        return rng.choice([0.5, -0.0, 1e-300, 1e300, 3.0000000001, 1 / 3, 45000.75, 2.5e6])
    if kind == 6:
        return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(-400, 400))
    if kind == 7:
        return dt.datetime(rng.choice([1900, 1950, 1989, 1990, 2026, 2100, 2101, 2500]), rng.randrange(1, 13), 1,
                           rng.randrange(24), rng.randrange(60))
    if kind == 8:
        return rng.choice([True, False])
    if kind == 9:
        return rng.choice(["2026-03-01", "2026/3/1", "2026年3月1日", "1900-01-01", "2026-02-30", "next week"])
    if kind == 10:
        return rng.choice(["   ", " padded ", "T1, T2", "T1，T3", "T9", "=T1", "=1+2", "'quoted"])
    if kind == 11:
        return rng.choice(["3 days", "1e6", "NaN", "inf", "-0", "0x10", "٣"])
    if kind == 12:
        return f"{rng.choice(['Li Na', 'Wang Lei', 'Ghost'])} <x@y.example>"
    if kind == 13:
        return rng.choice(["Not started", "In progress", "Blocked", "Approved", "Rejected", "Internal", "Client"])
    return rng.randrange(-5, 15)


def _fuzz_edit(rng: random.Random):
    def change(wb):
        for _ in range(FUZZ_EDITS):
            spec = sheet_spec(rng.choice(FUZZ_SHEETS))
            ws = wb[spec.name]
            cols = header_columns(ws, spec.name)
            human = [col for name, col in cols.items() if not spec.column(name).computed]
            col = rng.choice(human + [ws.max_column + 1, rng.randrange(1, 20)])
            row = rng.randrange(2, 12)
            value = _fuzz_value(rng)
            cell = ws.cell(row, col)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed text, as Excel keeps a leading apostrophe

    return change


@pytest.mark.parametrize("seed", range(FUZZ_BOOKS))
def test_a_second_sync_of_a_fuzzed_book_writes_nothing(make_campaign, capsys, seed):
    rng = random.Random(seed)
    campaign = make_campaign()
    campaign.edit(_fuzz_edit(rng))
    first = _sync(campaign.path, capsys)
    assert first["written"] or first["changed_cells"] == 0
    second = _sync(campaign.path, capsys)
    assert (second["changed_cells"], second["written"]) == (0, False), seed
