"""Adversarial checks of the Google write (values.batchUpdateByDataFilter, USER_ENTERED) on the fake Sheets API.

Each value sheetsync may compute must be stored as exactly that value (text stays
text, a date a date), the write's own check must see no false "moved" (which would
put the cells back and redo forever), and the next write of the same values must
find nothing changed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import redirect_stdout

import pytest
from google_demo import google_with_demo

from sheetsync.backends.gsheets.backend import GoogleSheetsBackend
from sheetsync.cli import main
from sheetsync.raw import CellChange

pytest_plugins = ("fake_google.plugin",)

ROW, COL = 3, 20  # Timeline!T3: a row with a task on it (tagged), a column no one uses

VALUES = {
    "apostrophe": "'quoted",
    "equals": "=1+1",
    "plus": "+49 30 1234",
    "minus": "-5",
    "at": "@home",
    "leading-zero": "007",
    "thousands": "1,234",
    "percent": "12%",
    "exponent": "1e5",
    "slash-date": "2026/12/3",
    "short-date": "12/3",
    "true-text": "TRUE",
    "newline": "line one\nline two",
    "chinese": "时间表：已逾期",
    "long": "x" * 49_999,
    "int": 42,
    "negative": -7,
    "float": 0.1 + 0.2,
    "huge": 10**20,
    "bool": True,
    "date": dt.date(2026, 12, 3),
    "datetime": dt.datetime(2026, 12, 3, 14, 30, 15),
}


@pytest.fixture(scope="module")
def google(tmp_path_factory):
    with google_with_demo(tmp_path_factory.mktemp("advmoves")) as (fake, demo, client):
        yield fake, demo, client


def backend(client, key: str) -> GoogleSheetsBackend:
    return GoogleSheetsBackend(f"gsheet:{key}", client=client, redo_limit=1)


def test_every_kind_of_computed_value_is_stored_as_itself_and_checks_clean(google):
    """All at once (one copy, one write): each value in its own column of Timeline row 3."""
    fake, demo, client = google
    key = fake.copy_spreadsheet(demo)
    sheets = backend(client, key)
    sheets.read()
    columns = {name: COL + i for i, name in enumerate(VALUES)}
    # a false "moved" for any of them raises here (redo_limit 1)
    sheets.write([CellChange("Timeline", ROW, columns[name], value) for name, value in VALUES.items()])
    cells = sheets.read().sheets["Timeline"].cells
    for name, value in VALUES.items():
        read = cells.get((ROW, columns[name]))
        assert read == value or (isinstance(value, float) and read == pytest.approx(value, rel=1e-15)), name


def test_a_date_into_a_plain_text_or_number_cell_is_stored_as_a_date_and_checks_clean(google):
    """A person formatted the column as Plain text (or Number): ISO text typed there stays text, not a date.

    The write's check then saw text where it expected a serial, put the cell back and
    redid every sync (WriteError after redo_limit): the date must go in with a date format.
    """
    fake, demo, client = google
    key = fake.copy_spreadsheet(demo)
    cases = [(kind, value) for kind in ("TEXT", "NUMBER")
             for value in (dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 9, 0))]
    for i, (kind, _value) in enumerate(cases):
        fake.format_cells(key, f"Timeline!{chr(ord('T') + i)}{ROW}", {"numberFormat": {"type": kind}})
    sheets = backend(client, key)
    sheets.read()
    sheets.write([CellChange("Timeline", ROW, COL + i, value) for i, (_kind, value) in enumerate(cases)])
    cells = sheets.read().sheets["Timeline"].cells
    assert [cells.get((ROW, COL + i)) for i in range(len(cases))] == [value for _kind, value in cases]


def _sync(client, key: str, day: dt.date = dt.date(2026, 12, 2)):
    from sheetsync.errors import SheetMovedError
    from sheetsync.sync import run

    sheets = GoogleSheetsBackend(f"gsheet:{key}", client=client)
    while True:
        try:
            return run(sheets, today=day)
        except SheetMovedError:
            continue


def test_a_row_inserted_above_the_next_log_row_during_the_write_loses_no_entry(google, tab="Log"):
    """The Log's new row is empty, so it is written by position: rows inserted above it just before
    the write move the last entry onto that position, and it must not be overwritten."""
    fake, demo, client = google
    key = fake.copy_spreadsheet(demo)
    _sync(client, key)
    before = [row for row in fake.values(key, tab, render="FORMULA") if any(row)]
    fake.before_next("spreadsheets.values.batchUpdateByDataFilter",
                     lambda f: f.insert_rows(key, tab, 2, 1))
    _sync(client, key, dt.date(2026, 12, 20))  # later: flags change, so the sync writes and logs
    after = [row for row in fake.values(key, tab, render="FORMULA") if any(row)]
    for row in before:
        assert row in after, f"{tab} row lost: {row}"


def test_a_zh_book_syncs_once_then_writes_nothing(google):
    """时间表 and the other Chinese tabs: the write's check must see what it wrote (no put-back, no redo),
    and a second sync of the same day finds nothing to write."""
    fake, _demo, client = google
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["init", "--gsheet", "血清上市", "--demo", "--today", "2026-11-27", "--lang", "zh"]) == 0
    key = re.search(r"/spreadsheets/d/([^/\s]+)", out.getvalue()).group(1)
    assert "时间表" in [s.title for s in fake.spreadsheet(key).sheets]
    sheets = GoogleSheetsBackend(f"gsheet:{key}", client=client, redo_limit=1)  # a false "moved" raises
    from sheetsync.sync import run

    assert run(sheets, today=dt.date(2026, 12, 2)).written
    writes = len(fake.calls_to("spreadsheets.values.batchUpdateByDataFilter"))
    assert not run(sheets, today=dt.date(2026, 12, 2)).written
    assert len(fake.calls_to("spreadsheets.values.batchUpdateByDataFilter")) == writes


def test_a_persons_edit_in_the_row_during_the_write_is_kept_and_the_sync_completes(google):
    """An edit (not a move) in a person's cell of a written row, between the guard read and the write:
    the answer differs from the guard read, so the row is 'put back' and planned again; the edit must
    survive, and the computed cells end as an unedited twin's."""
    fake, demo, client = google
    key, twin = fake.copy_spreadsheet(demo), fake.copy_spreadsheet(demo)
    for book in (key, twin):
        fake.set_values(book, "Timeline!K2:O16", [[""] * 5] * 15)
    _sync(client, twin)
    fake.before_next("spreadsheets.values.batchUpdateByDataFilter",
                     lambda f: f.set_values(key, "Timeline!C3", [["Zed"]]))
    _sync(client, key)
    assert fake.values(key, "Timeline!C3", render="FORMULA") == [["Zed"]]
    assert fake.values(key, "Timeline!K2:O16", render="FORMULA") == fake.values(twin, "Timeline!K2:O16",
                                                                                 render="FORMULA")


def test_a_spill_the_write_itself_changes_is_no_move(google):
    """A person's ARRAYFORMULA over the computed columns spills into the written rows, and the write
    changes what it shows (Google recalculates as the values land). The spill cells hold nothing
    typed, so the write's check leaves them out: one values write, nothing put back, no redo
    (redo_limit 1 would raise), and the spill is never written."""
    fake, demo, client = google
    key = fake.copy_spreadsheet(demo)
    fake.set_values(key, "Timeline!K2:R16", [[""] * 8] * 15)  # computed Start … Flag and the demo's baseline
    fake.set_formula_result(key, "Timeline!T3", "—")  # spilled there by an array formula in T1, nothing typed
    sheets = backend(client, key)
    sheets.read()
    changes = [CellChange("Timeline", 3, 15, "OVERDUE")]
    fake.before_next("spreadsheets.values.batchUpdateByDataFilter",
                     lambda f: f.set_formula_result(key, "Timeline!T3", "!"))  # the recalculated spill
    fake.calls.clear()
    sheets.write(changes)
    assert [c.name for c in fake.calls].count("spreadsheets.values.batchUpdateByDataFilter") == 1
    assert fake.values(key, "Timeline!O3:T3", render="FORMULA") == [["OVERDUE", "", "", "", "", "!"]]
