"""Two and four syncs of one 500-row workbook at once, round after round: they take turns, and none is lost.

Each round starts separate processes that all call sheetsync.open(path).sync()
at the same instant, each as of its own day (so each has cells to write) and
under its own name in the Log's By column. After every round the workbook and
its backup must open in openpyxl and in sheetsync, and every process that said
it synced must have its Log row (issue 11, defect 1: a fixed temp name and no
lock corrupted the book, hard-linked the backup to it, or silently dropped one
of two writes). A process may instead say the book is busy; none may fail.
About 65 s on two busy shared cores, hence slow; both cases fail in their first
round without the lock.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

import openpyxl
import pytest
from bench_workbooks import TODAY, build_campaign_workbook

import sheetsync
from sheetsync.backends.xlsx import XlsxFileBackend

pytestmark = pytest.mark.slow

ROWS = 500
ROUNDS = {2: 4, 4: 2}  # processes at once: rounds
SYNC_ONCE = """
import datetime as dt, json, sys, time
import sheetsync
from sheetsync.errors import WorkbookLockedError

path, name, today, start = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3]), float(sys.argv[4])
book = sheetsync.open(path)
time.sleep(max(0.0, start - time.time()))
try:
    report = book.sync(today=today, started_by=name)
except WorkbookLockedError as err:
    print(json.dumps({"busy": str(err)}))
else:
    print(json.dumps({"written": report.written}))
"""


def _opens_everywhere(path) -> list[str]:
    """The file is a whole workbook to openpyxl (every cell parsed) and to sheetsync; the names in its Log's By column."""
    theirs = openpyxl.load_workbook(path, read_only=True)
    try:
        for sheet in theirs.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
    finally:
        theirs.close()
    ours = XlsxFileBackend(path).read()
    assert ours.sheets["Timeline"].max_row == ROWS + 1
    log = ours.sheets["Log"]
    by = next(col for col in range(1, log.max_col + 1) if log.value(1, col) == "By")
    return [log.value(row, by) for row in range(2, log.max_row + 1)]


@pytest.fixture(scope="module")
def synced_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("concurrent") / "campaign.xlsx"
    build_campaign_workbook(path, ROWS)
    sheetsync.open(path).sync(today=TODAY, started_by="setup")
    return path


@pytest.mark.parametrize("processes", sorted(ROUNDS))
def test_simultaneous_syncs_take_turns_and_every_write_lands(synced_book, processes):
    path = synced_book
    days = 7 * (1 + 10 * processes)  # every sync of every round is on a later Monday than any before it
    for round_number in range(ROUNDS[processes]):
        start = time.time() + 0.8  # all of them are imported and waiting by then
        names, children = [], []
        for i in range(processes):
            name = f"{processes}x r{round_number} p{i}"
            today = TODAY + dt.timedelta(days=days)
            days += 7
            names.append(name)
            children.append(
                subprocess.Popen(
                    [sys.executable, "-c", SYNC_ONCE, str(path), name, today.isoformat(), str(start)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        said = {}
        for name, child in zip(names, children, strict=True):
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, f"{name} failed: {err.strip().splitlines()[-1:]}"
            said[name] = json.loads(out)

        logged = _opens_everywhere(path)
        _opens_everywhere(path.with_name("campaign.bak.xlsx"))
        for name, outcome in said.items():
            if "busy" in outcome:
                assert "is busy: another sheetsync is syncing it" in outcome["busy"]
                assert name not in logged
            else:
                assert outcome == {"written": True}, f"{name} had nothing to write"
                assert logged.count(name) == 1, f"{name} said it synced, but its Log row is missing"
        assert [p.name for p in path.parent.iterdir() if p.name.startswith(".~")] == []
