"""The Excel buttons, driven through the real xlwings library on its remote engine.

xlwings' remote engine (``xw.Book(json=...)``, the engine behind xlwings
Server) runs the genuine Book/Sheet/Range API on Linux: the book arrives as
the JSON an Excel client sends (every sheet's values from A1, dates as ISO
strings, the selection), and whatever the code does to it comes back as the
list of actions Excel would apply (setValues, alert…). It belongs to xlwings
PRO, free for non-commercial use, so the tests use it with
XLWINGS_LICENSE_KEY=noncommercial; sheetsync itself never imports it.

The JSON is made with openpyxl from real campaign workbooks built by the
template, independently of sheetsync's own xlsx reader, which the shared
test then holds the live backend up against.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
xw = pytest.importorskip("xlwings")

from sheetsync import excel  # noqa: E402
from sheetsync.analysis import analyse  # noqa: E402
from sheetsync.backends.xlsx import XlsxFileBackend  # noqa: E402
from sheetsync.backends.xlwings.backend import Block, XlwingsBookBackend, blocks, excel_value  # noqa: E402
from sheetsync.contract import SHEETS, sheet_spec  # noqa: E402
from sheetsync.engine.compliance import load_checker  # noqa: E402
from sheetsync.raw import CellChange  # noqa: E402
from sheetsync.sync import plan  # noqa: E402
from sheetsync.template import build_workbook  # noqa: E402

TODAY = dt.date(2026, 3, 2)


def _remote_engine() -> None:
    """Register xlwings' remote engine even if xlwings was imported before the licence key was set."""
    if "remote" in [engine.name for engine in xw.engines]:
        return
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    xw.engines.add(Engine(impl=_xlremote.engine))


try:
    _remote_engine()
except Exception as exc:  # noqa: BLE001 - no licence, no engine: say why instead of failing every test
    pytest.skip(f"xlwings' remote engine is unavailable: {exc}", allow_module_level=True)


# --- the book as an Excel client sends it ------------------------------------------


def _json_value(value: object) -> object:
    """A cell value as xlwings' clients put it in the payload: dates as ISO strings, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # Excel stores doubles; the adapter must give back ints
    return value


def book_json(path: Path, *, name: str | None = None, active: int = 0, selection: str = "A1") -> dict:
    """The payload for ``xw.Book(json=...)`` built from an xlsx/xlsm with openpyxl (formulas' cached values)."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in workbook.worksheets:
        rows = [[_json_value(c.value) for c in row] for row in ws.iter_rows(min_row=1, min_col=1)]
        sheets.append({"name": ws.title, "values": rows or [[]], "pictures": [], "tables": []})
    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": name or path.name, "active_sheet_index": active, "selection": selection},
        "names": [],
        "sheets": sheets,
    }


def remote_book(data: dict):
    return xw.Book(json=data)


def set_values(actions: list[dict]) -> list[dict]:
    return [a for a in actions if a["func"] == "setValues"]


def alerts(actions: list[dict]) -> list[str]:
    return [a["args"][0] for a in actions if a["func"] == "alert"]


def written_cells(data: dict, actions: list[dict]) -> dict[tuple[str, int, int], object]:
    """(sheet, row, col) → value for every cell the actions set (1-based, as in CellChange)."""
    names = [s["name"] for s in data["sheets"]]
    cells = {}
    for action in set_values(actions):
        sheet = names[action["sheet_position"]]
        for r, row in enumerate(action["values"]):
            for c, value in enumerate(row):
                cells[(sheet, action["start_row"] + r + 1, action["start_column"] + c + 1)] = value
    return cells


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def apply(data: dict, actions: list[dict]) -> dict:
    """What Excel does with setValues: a leading ' keeps text, an ISO day becomes a date, "" clears."""
    for action in set_values(actions):
        grid = data["sheets"][action["sheet_position"]]["values"]
        for r, row in enumerate(action["values"]):
            for c, value in enumerate(row):
                y, x = action["start_row"] + r, action["start_column"] + c
                while len(grid) <= y:
                    grid.append([])
                for line in grid:
                    line.extend([""] * (x + 1 - len(line)))
                if isinstance(value, str) and value.startswith("'"):
                    value = value[1:]
                elif isinstance(value, str) and _ISO_DAY.match(value):
                    value = f"{value}T00:00:00.000Z"
                grid[y][x] = value
    return data


def expected_value(value: object) -> object:
    """A CellChange value as the remote engine serialises it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return excel_value(value)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_workbook(tmp_path / "campaign.xlsx", demo=True, today=TODAY)


def computed_columns(path: Path) -> dict[str, set[int]]:
    """Sheet title → the columns sheetsync owns (every column of a wholly computed sheet)."""
    workbook = openpyxl.load_workbook(path)
    owned: dict[str, set[int]] = {}
    for ws in workbook.worksheets:
        spec = next(s for s in SHEETS if s.matches(ws.title))
        owned[ws.title] = {
            cell.column
            for cell in ws[1]
            if spec.wholly_computed or spec.name == "Log"
            or any(c.matches(cell.value) for c in spec.computed if cell.value is not None)
        }
    return owned


# --- Sync now ------------------------------------------------------------------------


def test_sync_writes_exactly_the_changed_computed_cells_in_one_call_per_block(demo):
    data = book_json(demo)
    result = excel.sync(book=remote_book(data), today=TODAY)
    actions = result["actions"]

    _, changes = plan(XlsxFileBackend(demo).read(), today=TODAY, started_by=excel.started_by())
    expected = {(c.sheet, c.row, c.col): expected_value(c.value) for c in changes}
    written = written_cells(data, actions)
    assert written.keys() == expected.keys()
    log_time = next(key for key in expected if key[0] == "Log" and key[2] == 1)
    assert {k: v for k, v in written.items() if k != log_time} == {k: v for k, v in expected.items() if k != log_time}
    # kept text, as the file backend; local time with its UTC offset
    assert re.fullmatch(r"'\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}", written[log_time])

    calls = set_values(actions)
    assert len(calls) == len(blocks(changes))
    assert len(calls) <= len(changes) / 4, f"{len(calls)} calls for {len(changes)} cells"
    owned = computed_columns(demo)
    for sheet, row, col in written:
        assert row > 1 or sheet in ("Problems", "Log"), (sheet, row, col)  # headers belong to people
        assert col in owned[sheet], f"{sheet} column {col} belongs to people"


def test_sync_says_what_changed_the_launch_and_what_is_overdue(demo):
    report = excel.sync(book=remote_book(book_json(demo)), today=TODAY)
    (message,) = alerts(report["actions"])
    file_report = XlsxFileBackend(demo)
    _, changes = plan(file_report.read(), today=TODAY)
    analysis = analyse(XlsxFileBackend(demo).read(), today=TODAY)
    overdue = sum(counts.get("OVERDUE", 0) for counts in analysis.flag_counts().values())
    lines = message.splitlines()
    assert lines[0] == f"Synced: {len(changes)} cells changed."
    assert lines[1] == f"Launch {analysis.launch.date.isoformat()}: on track"
    assert lines[2] == f"Overdue ({overdue}):"
    assert lines[3] == "  task T4 Internal review, Wang Lei: due 2026-02-27, now projected 2026-03-02"
    assert lines[-1] == "No problems."
    assert len(lines) <= excel.MAX_LINES


def test_a_second_sync_writes_nothing(demo):
    data = book_json(demo)
    first = excel.sync(book=remote_book(data), today=TODAY)
    second = excel.sync(book=remote_book(apply(data, first["actions"])), today=TODAY)
    assert set_values(second["actions"]) == []
    assert alerts(second["actions"])[0].splitlines()[0] == "Synced: nothing changed."


def test_problems_are_listed_in_the_message_and_human_cells_stay_untouched(demo):
    workbook = openpyxl.load_workbook(demo)
    timeline = workbook["Timeline"]
    duration = next(c.column for c in timeline[1] if c.value == "Duration")
    timeline.cell(2, duration).value = "3 weeks"
    workbook.save(demo)
    data = book_json(demo)
    actions = excel.sync(book=remote_book(data), today=TODAY)["actions"]

    problems = analyse(XlsxFileBackend(demo).read(), today=TODAY).problems
    message = alerts(actions)[0]
    assert f"Problems ({len(problems)}):" in message
    assert f"  {problems[0]}" in message
    assert message.endswith("The Problems sheet lists every problem with its fix.")
    assert ("Timeline", 2, duration) not in written_cells(data, actions)


def test_a_long_summary_keeps_the_launch_and_the_first_problems_within_one_screen(demo):
    workbook = openpyxl.load_workbook(demo)
    timeline = workbook["Timeline"]
    duration = next(c.column for c in timeline[1] if c.value == "Duration")
    for row in range(2, timeline.max_row + 1):
        timeline.cell(row, duration).value = "a few days"
    workbook.save(demo)
    actions = excel.sync(book=remote_book(book_json(demo)), today=TODAY)["actions"]

    problems = analyse(XlsxFileBackend(demo).read(), today=TODAY).problems
    lines = alerts(actions)[0].splitlines()
    hidden = len(problems) - (excel.MAX_PROBLEM_LINES - 2)
    assert len(problems) > excel.MAX_PROBLEM_LINES and len(lines) <= excel.MAX_LINES
    assert lines[1].startswith("Launch ")
    start = lines.index(f"Problems ({len(problems)}):")
    assert lines[start + 1 :] == [f"  {p}" for p in problems[: excel.MAX_PROBLEM_LINES - 2]] + [
        f"  … and {hidden} more on the Problems sheet."
    ]


# --- live backend and file backend agree ------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_live_and_file_backends_give_the_same_computed_cells_and_problems(tmp_path, lang):
    path = build_workbook(tmp_path / f"campaign-{lang}.xlsx", demo=True, lang=lang, today=TODAY)
    workbook = openpyxl.load_workbook(path)
    timeline = workbook[sheet_spec("Timeline").label(lang)]
    timeline.cell(3, 5).value = "two days"  # a human mistake, so that there are problems to compare
    workbook.save(path)

    from_file = analyse(XlsxFileBackend(path).read(), today=TODAY)
    live = analyse(XlwingsBookBackend(remote_book(book_json(path))).read(), today=TODAY)
    assert live.desired == from_file.desired
    assert live.problems == from_file.problems
    assert from_file.problems and any(from_file.desired.values())


def test_live_read_types_numbers_and_dates_like_the_file_backend(demo):
    from_file = XlsxFileBackend(demo).read()
    live = XlwingsBookBackend(remote_book(book_json(demo))).read()
    assert list(live.sheets) == list(from_file.sheets)
    for title, sheet in from_file.sheets.items():
        assert live.sheets[title].cells == sheet.cells, title


# --- errors -------------------------------------------------------------------------------


def test_a_user_error_is_one_line_in_a_critical_box(demo):
    """A book never saved has no folder for the outbox: the box says so, no traceback."""
    actions = excel.digest_preview(book=remote_book(book_json(demo, name="Book1")), today=TODAY)["actions"]
    (alert,) = [a for a in actions if a["func"] == "alert"]
    if alert["args"][0] == excel.DIGESTS_UNAVAILABLE:
        pytest.skip("digests are not in this checkout yet")
    assert alert["args"][:2] == ["Book1 has not been saved yet; save it first, then press the button again.", "sheetsync"]
    assert alert["args"][3] == "critical"


def test_an_unexpected_error_shows_a_short_message_and_logs_the_traceback_beside_the_workbook(demo):
    book = remote_book(book_json(demo, name=str(demo)))
    actions = excel.sync(book=book, today="2026-03-02")["actions"]  # a str where a date belongs: a bug, not the user's
    log = demo.parent / excel.ERROR_LOG
    (message,) = alerts(actions)
    assert message.startswith("sheetsync stopped unexpectedly: ")
    assert f"The details are in {log}" in message
    assert "Traceback (most recent call last)" not in message
    assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")
    assert set_values(actions) == []


# --- Check copy ------------------------------------------------------------------------------


def _reviews_copy(path: Path) -> tuple[str, int, list[tuple[int, str]]]:
    ws = openpyxl.load_workbook(path)["Reviews"]
    col = next(c.column for c in ws[1] if c.value == "Copy")
    rows = [(r, ws.cell(r, col).value) for r in range(2, ws.max_row + 1) if ws.cell(r, col).value]
    return ws.cell(1, col).column_letter, col, rows


def test_check_copy_checks_the_selected_cell(demo):
    letter, _, rows = _reviews_copy(demo)
    checker = load_checker("en", "cosmetics")  # the demo's Project › Industry
    row, text = next((r, t) for r, t in rows if checker.check(t))
    reviews = [ws.title for ws in openpyxl.load_workbook(demo).worksheets].index("Reviews")
    data = book_json(demo, active=reviews, selection=f"{letter}{row}")
    actions = excel.check_copy(book=remote_book(data))["actions"]

    findings = checker.check(text)
    (message,) = alerts(actions)
    lines = message.splitlines()
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    assert lines[0] == f"{count} in 1 of 1 cells of Reviews!{letter}{row}:"
    assert lines[1].startswith(f'Reviews!{letter}{row}: "{findings[0].term}" {findings[0].category} ')
    assert set_values(actions) == []  # checking writes nothing


def test_check_copy_without_a_text_selection_checks_the_whole_reviews_copy_column(demo):
    letter, _, rows = _reviews_copy(demo)
    checker = load_checker("en", "cosmetics")  # the demo's Project › Industry
    flagged = [(r, t) for r, t in rows if checker.check(t)]
    total = sum(len(checker.check(t)) for _, t in flagged)
    actions = excel.check_copy(book=remote_book(book_json(demo, selection="Z99")))["actions"]
    lines = alerts(actions)[0].splitlines()
    assert lines[0] == f"{total} findings in {len(flagged)} of {len(rows)} cells of Reviews › Copy:"
    assert any(line.startswith(f"Reviews!{letter}{flagged[0][0]}: ") for line in lines[1:])


# --- Preview digest ------------------------------------------------------------------------------


def test_digest_preview_says_so_when_digests_are_not_installed(demo, monkeypatch):
    monkeypatch.setitem(sys.modules, "sheetsync.digest.run", None)  # what an install without digests looks like
    actions = excel.digest_preview(book=remote_book(book_json(demo, name=str(demo))), today=TODAY)["actions"]
    assert alerts(actions) == [excel.DIGESTS_UNAVAILABLE]
    assert not (demo.parent / "outbox").exists()


def test_digest_preview_writes_the_outbox_beside_the_workbook_and_says_where(demo):
    pytest.importorskip("sheetsync.digest.run", reason="digests are not in this checkout yet")
    actions = excel.digest_preview(book=remote_book(book_json(demo, name=str(demo))), today=TODAY)["actions"]
    outbox = demo.parent / "outbox"
    emails = sorted(outbox.glob("*.eml"))
    (message,) = alerts(actions)
    assert emails, message
    assert message.splitlines()[0].startswith(f"{len(emails)} digest preview")
    assert f"written to {outbox}" in message
    assert not (demo.parent / ".sheetsync").exists()  # a preview records nothing as sent


# --- grouping and text safety -------------------------------------------------------------------


def test_blocks_cover_exactly_the_changes_with_one_rectangle_per_filled_block():
    column = [CellChange("T", r, 3, f"v{r}") for r in range(2, 6)]  # C2:C5
    square = [CellChange("T", r, c, r * c) for r in (2, 3) for c in (7, 8)]  # G2:H3
    row = [CellChange("Log", 9, c, c) for c in (1, 2, 3, 5)]  # A9:C9 and E9
    found = blocks(column + square + row)
    assert sorted((b.sheet, b.row, b.col, b.height, b.width) for b in found) == [
        ("Log", 9, 1, 1, 3), ("Log", 9, 5, 1, 1), ("T", 2, 3, 4, 1), ("T", 2, 7, 2, 2),
    ]
    assert Block("T", 2, 7, ((14, 16), (21, 24))) in found


def test_text_excel_would_reinterpret_keeps_an_apostrophe_prefix():
    assert [excel_value(v) for v in ("OVERDUE", "T1", "2026-03-14", "= 1", "1,2", "3月14日", "TRUE", 3, None)] == [
        "OVERDUE", "T1", "'2026-03-14", "'= 1", "'1,2", "'3月14日", "'TRUE", 3, None,
    ]
