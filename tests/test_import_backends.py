"""`sheetsync import` alike on the xlsx file, live Excel (xlwings' remote engine) and Google Sheets (the fake).

The same two exports into a new book on each backend; the Results rows read back through each
backend's own reader must agree, the Log must hold one import row, and a second import adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from fake_google import FakeGoogle

import sheetsync
from sheetsync.cli import main
from sheetsync.contract import LOG
from sheetsync.parse.results import parse_results
from sheetsync.parse.table_view import locate_table
from sheetsync.raw import RawWorkbook

EXPORTS = Path(__file__).parent / "data" / "exports"
FILES = [EXPORTS / "meta-2026-12.csv", EXPORTS / "xiaohongshu-2026-12.csv"]
TODAY = dt.date(2026, 12, 8)


def imported(workbook: RawWorkbook) -> dict[str, object]:
    """What the backends must agree on: the Results rows (key, currency, numbers) and the Log's Actions."""
    rows = parse_results(workbook, []).rows
    log = locate_table(workbook, LOG, [], required=False)
    actions = [log.text(row, "Action") for row in log.sheet.filled_rows(log.header_row)]
    return {"rows": [(r.row, r.key, r.currency, r.values) for r in rows], "actions": actions}


def check_import_twice(book: sheetsync.Workbook, apply=lambda: None) -> None:
    first = book.import_results(FILES, today=TODAY)
    apply()
    assert first.written and first.rows_added == 14
    again = book.import_results(FILES, today=TODAY)
    assert not again.written and again.rows_added == 0
    assert sum(again.already.values()) == 14


def xlsx_run(tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "file.xlsx"
    assert main(["init", str(path), "--today", TODAY.isoformat()]) == 0
    book = sheetsync.open(path)
    check_import_twice(book)
    return imported(book.backend.read())


def google_run(tmp_path: Path) -> dict[str, object]:
    with FakeGoogle() as fake, pytest.MonkeyPatch.context() as patch:
        key_file = fake.service_account_file(tmp_path / "sa.json")
        patch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake.url)
        patch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["init", "--gsheet", "Serum launch", "--today", TODAY.isoformat()]) == 0
        key = re.search(r"/spreadsheets/d/([^/\s]+)", out.getvalue()).group(1)
        book = sheetsync.open(f"gsheet:{key}")
        check_import_twice(book)
        return imported(book.backend.read())


def live_run(tmp_path: Path) -> dict[str, object]:
    live = pytest.importorskip("test_excel_live")  # xlwings' remote engine, as the Excel button tests drive it
    from sheetsync.backends.xlwings.backend import XlwingsBookBackend

    path = tmp_path / "live.xlsx"
    assert main(["init", str(path), "--today", TODAY.isoformat()]) == 0
    data = live.book_json(path)
    book = live.remote_book(data)
    report = sheetsync.open(book).import_results(FILES, today=TODAY)
    assert report.written and report.rows_added == 14
    data = live.apply(data, book.json()["actions"])
    again = sheetsync.open(live.remote_book(data)).import_results(FILES, today=TODAY)
    assert not again.written and again.rows_added == 0
    return imported(XlwingsBookBackend(live.remote_book(data)).read())


def test_the_three_backends_hold_the_same_imported_rows(tmp_path, capsys):
    for folder in ("xlsx", "live"):
        (tmp_path / folder).mkdir()
    file = xlsx_run(tmp_path / "xlsx")
    google = google_run(tmp_path)
    live = live_run(tmp_path / "live")
    capsys.readouterr()
    assert len(file["rows"]) == 14
    assert file["rows"][0] == (2, (dt.date(2026, 12, 1), "meta", "serum launch - prospecting"), "USD",
                               {"spend": 180.0, "impressions": 21000.0, "reach": 16800.0, "clicks": 310.0,
                                "conversions": 11.0})
    assert file["actions"][-1] == "import"
    assert google == file
    assert live == file
