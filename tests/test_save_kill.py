"""A sync killed at any moment leaves a workbook that opens and holds either the old or the new values.

A child process syncs the same workbook over and over (read, bump every
computed cell to the next generation, write); the test SIGKILLs it at seeded
random moments and then opens the workbook with openpyxl and with sheetsync.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time

import openpyxl
import pytest
import xlsxwriter

from sheetsync.backends.xlsx import XlsxFileBackend

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

ROWS = 300
KILLS = 24  # at least this many kills, and more (up to MAX_KILLS) until one lands mid-save
MAX_KILLS = 96
SYNC_FOREVER = f"""
import datetime as dt, sys
from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.raw import CellChange

backend = XlsxFileBackend(sys.argv[1])
announced = False
while True:
    sheet = backend.read().sheets["Timeline"]
    generation = sheet.value(2, 3) + 1
    changes = []
    for row in range(2, {ROWS + 2}):
        changes.append(CellChange("Timeline", row, 3, generation))
        changes.append(CellChange("Timeline", row, 4, f"gen {{generation}}"))
        changes.append(CellChange("Timeline", row, 5, dt.date(2024, 1, 1) + dt.timedelta(days=generation)))
    backend.write(changes)
    if not announced:
        print("synced", flush=True)
        announced = True
"""


def _build(path) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Timeline")
    sheet.write_row(0, 0, ["ID", "Milestone", "Generation", "Flag", "Due"])
    for row in range(1, ROWS + 1):
        sheet.write_row(row, 0, [f"T{row}", "Milestone with some words", 0, "gen 0"])
        sheet.write_datetime(row, 4, dt.datetime(2024, 1, 1), workbook.add_format({"num_format": "yyyy-mm-dd"}))
    workbook.close()


def _generation_everywhere(path) -> int:
    """The one generation all computed cells agree on, as both readers see it; fails on a mixed workbook."""
    sheet = XlsxFileBackend(path).read().sheets["Timeline"]
    generation = sheet.value(2, 3)
    expected_due = dt.date(2024, 1, 1) + dt.timedelta(days=generation)
    for row in range(2, ROWS + 2):
        assert (sheet.value(row, 3), sheet.value(row, 4), sheet.value(row, 5)) == (
            generation,
            f"gen {generation}",
            expected_due,
        ), f"row {row} is from another generation"
    theirs = openpyxl.load_workbook(path, read_only=True)["Timeline"]
    values = [row for row in theirs.iter_rows(min_row=2, max_col=5, values_only=True)]
    assert {(c, f, d.date()) for _, _, c, f, d in values} == {(generation, f"gen {generation}", expected_due)}
    return generation


def test_workbook_survives_kills_at_random_moments(tmp_path):
    path = tmp_path / "campaign.xlsx"
    _build(path)
    rng = random.Random(20240506)
    seen = 0
    killed_mid_save = 0
    # A guard against a hang, not a speed check (speed lives in scripts/bench): generous for a loaded machine.
    deadline = time.monotonic() + 480
    kills = 0
    while kills < KILLS or (killed_mid_save == 0 and kills < MAX_KILLS):
        kills += 1
        child = subprocess.Popen(
            [sys.executable, "-c", SYNC_FOREVER, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert child.stdout is not None
            line = child.stdout.readline()  # wait for one full sync, so every kill lands in a running loop
            assert line == "synced\n", child.stderr.read() if child.stderr else line
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            for stream in (child.stdout, child.stderr):
                if stream is not None:
                    stream.close()
        if list(tmp_path.glob(".~sheetsync-campaign.xlsx.*.tmp")):  # each save has its own temp file
            killed_mid_save += 1

        generation = _generation_everywhere(path)

        assert generation > seen  # each child synced at least once, and nothing went backwards
        seen = generation
        assert time.monotonic() < deadline, "the kill test is taking too long"
    # the backup is the version before the last save, or the same one if the kill came between the two renames
    assert _generation_everywhere(tmp_path / "campaign.bak.xlsx") in (seen - 1, seen)
    print(f"{kills} kills, {killed_mid_save} mid-save, generation {seen}")
    assert killed_mid_save > 0, "no kill landed while a save was in progress"
