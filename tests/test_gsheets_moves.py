"""No misplaced write, whenever a person edits: rows and columns moved at every point of a Google sync.

A person inserts two rows at the top of the Timeline, deletes a row, sorts it,
inserts a column left of the computed columns or deletes one, at one of these
moments of a sync of the demo campaign (on the fake Sheets API):

- ``before-read``: before sheetsync's spreadsheets.get;
- ``read-guard``: between the read and the guard read (values.batchGet);
- ``guard-write``: between the guard read and the first write call;
- ``tags-values``: between the batchUpdate that tags rows and the values write (first syncs only);
- ``after-write``: once the sync is over.

Two untouched twins of the sheet give what is right: one synced, then the same
edit made (A); one edited, then synced (B). Each Timeline row must then equal
its own task's row in A or in B (every computed cell on its own task's row, every
person's cell as the person left it), and every other tab A's or B's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from google_demo import google_with_demo

from sheetsync.backends.gsheets.backend import GoogleSheetsBackend
from sheetsync.errors import SheetMovedError, WriteError
from sheetsync.sync import run

INIT_DAY = "2026-11-27"
SYNC_DAY = dt.date(2026, 12, 2)
WRITES = "spreadsheets.*batchUpdate*"  # spreadsheets.batchUpdate or spreadsheets.values.batchUpdateByDataFilter

ROW_ACTIONS = {
    "two-rows-inserted-at-top": lambda fake, key: fake.insert_rows(key, "Timeline", 2, 2),
    "row-deleted": lambda fake, key: fake.delete_rows(key, "Timeline", 5),  # T4
}
SORT_ACTIONS = {
    "sorted-by-milestone": lambda fake, key: fake.sort_rows(key, "Timeline", 2, 16, by=2),
}
COLUMN_ACTIONS = {
    "column-inserted-left": lambda fake, key: fake.insert_columns(key, "Timeline", 3),  # Notes moves under Start
    "column-deleted": lambda fake, key: fake.delete_columns(key, "Timeline", 3),  # Owner
}
ACTIONS = ROW_ACTIONS | SORT_ACTIONS | COLUMN_ACTIONS
# (the call the edit comes right before, None: after the sync; whether the sheet's rows carry no tags yet)
POINTS = {
    "before-read": ("spreadsheets.get", False),
    "read-guard": ("spreadsheets.values.batchGet", False),
    "guard-write": (WRITES, False),
    "first-sync-guard-tags": ("spreadsheets.batchUpdate", True),
    "first-sync-tags-values": ("spreadsheets.values.batchUpdateByDataFilter", True),
    "after-write": (None, False),
}
COMPARED_TABS = ("Timeline", "RACI", "Reviews", "Risks", "Feedback", "Problems", "Project", "Team")


@pytest.fixture(scope="module")
def google(tmp_path_factory):
    """One fake for the module, the demo made by init (Timeline's computed cells emptied), a connected client."""
    with google_with_demo(tmp_path_factory.mktemp("moves"), INIT_DAY) as (fake, demo, client):
        # Every computed cell of the Timeline to be written (as on a sheet laid out but never synced): a write
        # that lands a column off then always overwrites a person's cell, and one a row off, another task's.
        fake.set_values(demo, "Timeline!K2:O16", [[""] * 5] * 15)
        yield fake, demo, client, {}


def sync(fake, client, key, redo_limit: int = 3):
    backend = GoogleSheetsBackend(f"gsheet:{key}", client=client, redo_limit=redo_limit)
    while True:
        try:
            return run(backend, today=SYNC_DAY)
        except SheetMovedError:
            continue


def tabs(fake, key) -> dict[str, list[list]]:
    return {tab: fake.values(key, tab, render="FORMULA") for tab in COMPARED_TABS}


def twin(fake, demo: str, *, untagged: bool = False) -> str:
    """A copy of the demo; ``untagged``: without sheetsync's row metadata, as before its first sync by row tags."""
    key = fake.copy_spreadsheet(demo)
    if untagged:
        for sheet in fake.spreadsheet(key).sheets:
            sheet.developer_metadata.clear()
    return key


def oracles(google, action: str):
    """(A: synced then edited, B: edited then synced, C: edited, not synced), once per action (tags change no value)."""
    fake, demo, client, cache = google
    if action not in cache:
        key = twin(fake, demo)
        ACTIONS[action](fake, key)
        found = [tabs(fake, key)]
        for edit_first in (False, True):
            key = twin(fake, demo)
            if edit_first:
                ACTIONS[action](fake, key)
            sync(fake, client, key)
            if not edit_first:
                ACTIONS[action](fake, key)
            found.append(tabs(fake, key))
        cache[action] = (found[1], found[2], found[0])
    return cache[action]


def misplaced(got: dict[str, list[list]], *right: dict[str, list[list]], tabs=COMPARED_TABS) -> list[str]:
    """What is in none of the right states: the Timeline (first tab) row by row (its own task), other tabs whole."""
    wrong = []
    title = tabs[0]
    timeline = got[title]
    for index in range(max(len(timeline), *(len(r[title]) for r in right))):
        row = _row(timeline, index)
        if _trim(row) not in [_trim(_row(r[title], index)) for r in right]:
            wrong.append(f"{title} row {index + 1}: {row}")
    for tab in tabs[1:]:
        if got[tab] not in [r[tab] for r in right]:
            wrong.append(tab)
    return wrong


def _row(grid: list[list], index: int) -> list:
    return grid[index] if index < len(grid) else []


def _trim(row: list) -> list:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def edited_mid_sync(google, action: str, point: str, redo_limit: int = 3, untagged: bool | None = None) -> None:
    """Sync a twin of the demo with the edit made at ``point``; assert nothing is misplaced.

    ``redo_limit=1``: the sync gives up at the first move, so what a misplaced write
    overwrote must have been put back (C: the sheet as the person left it) and not
    merely overwritten again by the next plan.
    """
    fake, demo, client, _cache = google
    before, first_sync = POINTS[point]
    key = twin(fake, demo, untagged=first_sync if untagged is None else untagged)
    edit = ACTIONS[action]
    if before is not None:
        fake.before_next(before, lambda f: edit(f, key))
    fake.calls.clear()
    try:
        report = sync(fake, client, key, redo_limit)
    except WriteError as err:  # gave up: one line that says so
        assert "\n" not in str(err)
        report = None
    fake.cancel_before_next()
    if before is None:
        edit(fake, key)
    a, b, c = oracles(google, action)
    if redo_limit == 1 and report is None:
        assert misplaced(tabs(fake, key), a, b, c) == []
    else:
        assert misplaced(tabs(fake, key), a, b) == []
        assert report is not None and report.written


def edit_tests(actions: dict[str, Callable]) -> tuple[Callable, Callable]:
    """The two tests each moves file runs over its own edits (rows here; sort and columns in their files).

    Every edit at every point of a sync; and under the write of a sync that gives up at the first move,
    which must still leave nothing misplaced. A module names them (``test_…``) so pytest collects them.
    """

    @pytest.mark.parametrize("point", list(POINTS))
    @pytest.mark.parametrize("action", list(actions))
    def at_any_point(google, action, point):
        edited_mid_sync(google, action, point)

    @pytest.mark.parametrize("point", ["guard-write", "first-sync-guard-tags"])
    @pytest.mark.parametrize("action", list(actions))
    def under_a_write_that_gives_up(google, action, point):
        edited_mid_sync(google, action, point, redo_limit=1)

    return at_any_point, under_a_write_that_gives_up


(
    test_rows_moved_at_any_point_leave_every_computed_cell_on_its_own_row,
    test_rows_moved_under_the_write_of_a_sync_that_gives_up_leave_nothing_misplaced,
) = edit_tests(ROW_ACTIONS)


def test_calls_per_sync_first_write_of_rows_then_steady(google):
    fake, demo, client, _cache = google
    key = twin(fake, demo, untagged=True)
    fake.calls.clear()
    sync(fake, client, key)  # rows written for the first time get their tag in a batchUpdate first
    assert [c.name for c in fake.calls] == ["spreadsheets.get", "spreadsheets.values.batchGet",
                                            "spreadsheets.batchUpdate", "spreadsheets.values.batchUpdateByDataFilter"]
    assert {next(iter(r)) for r in fake.calls[2].body["requests"]} == {"createDeveloperMetadata"}
    fake.calls.clear()
    backend = GoogleSheetsBackend(f"gsheet:{key}", client=client)
    report = run(backend, today=SYNC_DAY + dt.timedelta(days=1))  # a new day: flags move, every row is tagged
    assert report.written and [c.name for c in fake.calls] == [
        "spreadsheets.get", "spreadsheets.values.batchGet", "spreadsheets.values.batchUpdateByDataFilter"]


@pytest.mark.parametrize("action", list(ROW_ACTIONS))
def test_rows_past_the_tag_budget_are_written_by_position_and_put_right_when_moved(google, action, monkeypatch):
    """Google caps the developer metadata a spreadsheet holds, so a very large book has rows past
    rows.TAG_BUDGET without a tag: they are written by position, and a move under the write is
    caught in the write's answer and put right (here every row is past a budget of 0)."""
    from sheetsync.backends.gsheets import rows

    fake, _demo, _client, _cache = google
    monkeypatch.setattr(rows, "TAG_BUDGET", 0)
    edited_mid_sync(google, action, "guard-write", redo_limit=1, untagged=True)  # put back, not merely re-planned
    assert not [c for c in fake.calls if "createDeveloperMetadata" in str(c.body)]
