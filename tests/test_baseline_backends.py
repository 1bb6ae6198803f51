"""`sheetsync baseline` alike on the xlsx file, live Excel (xlwings' remote engine) and Google Sheets (the fake).

The same demo, the same days: the baseline recorded on 2026-12-08, then a sync
on 2026-12-10 (the blocked and overdue tasks drift, so Variance moves). Each
backend is read back through its own reader; the Baseline start, Baseline due
and Variance cells, the Project's Baseline rows and the Log's Note must agree,
on a current book and on an old one that gains the columns and rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import header_columns, setting_row
from google_demo import google_with_demo

import sheetsync
from sheetsync.cli import main
from sheetsync.contract import LOG, PROJECT, SETTINGS, TIMELINE
from sheetsync.parse.table_view import locate_table
from sheetsync.raw import RawWorkbook

BASELINE_DAY, SYNC_DAY = "2026-12-08", "2026-12-10"
COLUMNS = ("Baseline start", "Baseline due", "Variance")


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def baseline_cells(workbook: RawWorkbook) -> dict[str, object]:
    """What the three backends must agree on: each task's three cells, the Project's two, the Log's last Note."""
    timeline = locate_table(workbook, TIMELINE, [], required=False)
    tasks = {}
    for row in timeline.data_rows():
        tasks[timeline.text(row, "ID")] = tuple(_plain(timeline.raw(row, name)) for name in COLUMNS)
    project = locate_table(workbook, PROJECT, [], required=False)
    settings = {}
    for row in project.data_rows():
        for setting in SETTINGS:
            if setting.name.startswith("Baseline") and setting.matches(project.text(row, "Setting")):
                settings[setting.name] = (row, _plain(project.raw(row, "Value")))
    log = locate_table(workbook, LOG, [], required=False)
    notes = [log.prose(row, "Note") for row in log.sheet.filled_rows(log.header_row)]
    return {"tasks": tasks, "project": settings, "notes": [n for n in notes if n],
            "headers": [workbook.sheets[timeline.title].value(timeline.header_row, timeline.col(n)) for n in COLUMNS]}


def make_old_xlsx(path: Path) -> None:
    workbook = openpyxl.load_workbook(path)
    ws = workbook["Timeline"]
    ws.delete_cols(header_columns(ws, "Timeline")["Baseline start"], 3)
    project = workbook["Project"]
    for name in ("Baseline launch", "Baseline"):
        project.delete_rows(setting_row(project, name))
    workbook.save(path)


def xlsx_run(tmp_path: Path, *, old: bool) -> dict[str, object]:
    path = tmp_path / "file.xlsx"
    assert main(["init", str(path), "--demo", "--today", BASELINE_DAY]) == 0
    if old:
        make_old_xlsx(path)
    assert main(["baseline", str(path), "--today", BASELINE_DAY, "--name", "Sign-off"]) == 0
    assert main(["sync", str(path), "--today", SYNC_DAY]) == 0
    return baseline_cells(sheetsync.open(path).backend.read())


def google_run(tmp_path: Path, *, old: bool) -> dict[str, object]:
    with google_with_demo(tmp_path, today=BASELINE_DAY) as (fake, key, _client):
        if old:
            timeline = fake.values(key, "Timeline")[0]
            fake.delete_columns(key, "Timeline", timeline.index("Baseline start") + 1, 3)
            labels = [row[0] if row else "" for row in fake.values(key, "Project")]
            fake.delete_rows(key, "Project", labels.index("Baseline") + 1, 2)
        target = f"gsheet:{key}"
        assert main(["baseline", target, "--today", BASELINE_DAY, "--name", "Sign-off"]) == 0
        assert main(["sync", target, "--today", SYNC_DAY]) == 0
        book = sheetsync.open(target)
        again = book.sync(today=dt.date(2026, 12, 10))
        assert again.changed_cells == 0  # what was written reads back as written: nothing more to do
        return baseline_cells(book.backend.read())


def live_run(tmp_path: Path, *, old: bool) -> dict[str, object]:
    live = pytest.importorskip("test_excel_live")  # xlwings' remote engine, as the Excel button tests drive it
    path = tmp_path / "live.xlsx"
    assert main(["init", str(path), "--demo", "--today", BASELINE_DAY]) == 0
    if old:
        make_old_xlsx(path)
    data = live.book_json(path)
    book = live.remote_book(data)
    report = sheetsync.open(book).baseline(name="Sign-off", today=dt.date(2026, 12, 8))
    assert report.written and report.recording.recorded
    data = live.apply(data, book.json()["actions"])
    book = live.remote_book(data)
    sheetsync.open(book).sync(today=dt.date(2026, 12, 10))
    data = live.apply(data, book.json()["actions"])
    from sheetsync.backends.xlwings.backend import XlwingsBookBackend

    return baseline_cells(XlwingsBookBackend(live.remote_book(data)).read())


def test_the_three_backends_hold_the_same_baseline(tmp_path, capsys):
    assert_same_baseline(tmp_path, capsys, old=False)


def assert_same_baseline(tmp_path: Path, capsys, *, old: bool) -> None:
    """Baseline on 12-08 and sync on 12-10 on each backend; every baseline cell, Project row and Note agree."""
    for folder in ("xlsx", "live"):
        (tmp_path / folder).mkdir()
    file = xlsx_run(tmp_path / "xlsx", old=old)
    google = google_run(tmp_path, old=old)
    live = live_run(tmp_path / "live", old=old)
    capsys.readouterr()
    assert file["headers"] == list(COLUMNS)
    assert file["tasks"]["T4"] == (dt.date(2026, 12, 4), dt.date(2026, 12, 4), 4)  # in progress, projected today: Mon 7 – Thu 10
    assert file["tasks"]["T11"][2] == 0
    assert file["project"]["Baseline"][1] == "Sign-off"
    assert file["project"]["Baseline launch"][1] == dt.date(2026, 12, 24)
    recorded = ('Baseline "Sign-off" recorded: launch 2026-12-24, 13 tasks' if old  # made before baselines: none
                else 'Re-baselined "Sign-off" (was "Client sign-off"): launch 2026-12-24, 13 tasks')  # the demo's
    assert file["notes"][-1] == recorded
    assert google == file
    assert live == file
