"""Adversarial baselines on Google Sheets (issue 17): a person moves columns or rows while `baseline` runs.

The machinery (the fake Sheets API, `before_next`, the A/B twins that say what is
right) is test_gsheets_moves.py's; see its docstring.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_gsheets_moves import google, misplaced  # noqa: F401 - google: the fixture, one fake Google with the demo

from sheetsync.backends.gsheets.backend import GoogleSheetsBackend
from sheetsync.errors import SheetMovedError
from sheetsync.sync import run as run_sync

MOVES = {
    "column-inserted-left": lambda fake, key: fake.insert_columns(key, "Timeline", 3),
    "row-deleted": lambda fake, key: _delete_t4(fake, key),
}


def _delete_t4(fake, key: str) -> None:
    """The person deletes T4's row and re-links T5 (now row 5) to T3: a plan that can be committed. Left
    waiting on a task that is gone, T5 and everything after it would be provisional, and that is refused."""
    fake.delete_rows(key, "Timeline", 5)
    fake.set_values(key, "Timeline!D5", [["T3"]])


@pytest.mark.parametrize(
    ("move", "point"),
    [
        ("column-inserted-left", "spreadsheets.values.batchGet"),  # between the read and the guard read
        ("row-deleted", "spreadsheets.*batchUpdate*"),  # under the write
    ],
)
def test_a_baseline_on_google_lands_every_cell_on_its_own_task_whatever_moves_meanwhile(google, move, point):  # noqa: F811
    """Edited between the read and the guard read, or under the write: every Timeline row is its own task's row
    as when the person edited first (B) or right after the baseline (A): every Baseline date on its own task,
    no person's cell touched; the other tabs are A's or B's whole."""
    fake, demo, client, _cache = google
    right = []
    for edit_first in (False, True):
        twin = fake.copy_spreadsheet(demo)
        if edit_first:
            MOVES[move](fake, twin)
        baseline_on_google(client, twin)
        if not edit_first:
            MOVES[move](fake, twin)
        right.append(google_tabs(fake, twin))
    key = fake.copy_spreadsheet(demo)
    fake.before_next(point, lambda f: MOVES[move](f, key))
    baseline_on_google(client, key)
    fake.cancel_before_next()
    assert misplaced(google_tabs(fake, key), *right, tabs=TABS) == []


TABS = ("Timeline", "Project", "Feedback", "RACI")


def google_tabs(fake, key: str) -> dict[str, list[list]]:
    return {tab: fake.values(key, tab, render="FORMULA") for tab in TABS}


def baseline_on_google(client, key: str) -> None:
    backend = GoogleSheetsBackend(f"gsheet:{key}", client=client, redo_limit=3)
    while True:
        try:
            report = run_sync(backend, today=dt.date(2026, 12, 2), action="baseline", baseline_name="Moved")
        except SheetMovedError:
            continue
        assert report.written and report.recording.recorded
        return
