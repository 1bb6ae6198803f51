"""The template's colour rules as a real spreadsheet program renders them: LibreOffice, headless.

LibreOffice evaluates the conditional formats when it converts the workbook;
its HTML export writes each cell's resulting background, and its PDF export
paints it. Both are checked: HTML cell by cell, PDF by the pixels on the page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from sheetsync.contract import (
    BLOCKED,
    DONE,
    DONE_LATE,
    FLAG_BY_NAME,
    FLAG_COLOURS,
    FLAGS,
    OVERDUE,
    ROW_FLAG_COLOURS,
    sheet_spec,
)
from sheetsync.template import build_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: it is what renders the conditional formats"
)

TIMELINE = sheet_spec("Timeline")
FEEDBACK = sheet_spec("Feedback")
# What the demo implies on its Timeline (see sheetsync.template.demo), whatever day it is built and synced.
DEMO_FLAGS = {"T1": DONE, "T2": BLOCKED, "T3": DONE_LATE, "T4": OVERDUE}
CANONICAL_FLAG = {flag.zh: flag.name for flag in FLAGS}


def sync(path: Path) -> None:
    """Compute and write the flags, as a person running `sheetsync sync` would, on LibreOffice's today."""
    subprocess.run(
        [sys.executable, "-m", "sheetsync", "sync", "--today", date.today().isoformat(), str(path)],
        check=True, capture_output=True, timeout=120,
    )


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """One throw-away LibreOffice user profile for the module: never the user's own."""
    return tmp_path_factory.mktemp("lo-profile")


def convert(path: Path, target: str, profile: Path) -> Path:
    """Convert with headless LibreOffice into the workbook's folder; return the output file."""
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", target, "--outdir", str(path.parent), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    output = path.with_suffix("." + target)
    assert output.exists(), f"LibreOffice did not write {output.name}"
    return output


def rendered_rows(html: Path, sheet_index: int) -> list[list[tuple[str, str | None, str | None]]]:
    """One sheet of LibreOffice's HTML export: rows of (text, background, font colour) per column."""
    table = lxml.html.parse(str(html)).getroot().findall(".//table")[sheet_index]
    rows = []
    for tr in table.findall(".//tr"):
        cells = []
        for td in tr.findall("td"):
            font = td.find(".//font")
            colour = font.get("color") if font is not None else None
            entry = (td.text_content().strip(), td.get("bgcolor"), colour)
            cells += [entry] * int(td.get("colspan", 1))
        rows.append(cells)
    return rows


def colours(flag: str) -> tuple[str, str]:
    """A flag's (fill, font) colours, the flag written in either language (已逾期 is OVERDUE)."""
    fill, font = ROW_FLAG_COLOURS[CANONICAL_FLAG.get(flag, flag)]
    return "#" + fill, "#" + font


@pytest.mark.parametrize(("lang", "suffix"), [("en", ".xlsx"), ("zh", ".xlsm")])
def test_timeline_rows_take_the_colour_of_their_flag(tmp_path, profile, lang, suffix):
    path = build_workbook(tmp_path / f"demo-{lang}{suffix}", lang=lang, demo=True, today=date.today())
    sync(path)
    rows = rendered_rows(convert(path, "html", profile), sheet_index=1)
    names = [c.name for c in TIMELINE.columns]
    flag_at, due_at = names.index("Flag"), names.index("Due")
    seen = {}
    for cells in rows[1:]:
        task_id, flag = cells[0][0], cells[flag_at][0]
        if not task_id:
            continue
        seen[task_id] = flag
        expected = colours(flag) if CANONICAL_FLAG.get(flag, flag) in ROW_FLAG_COLOURS else (None, "#000000")
        for index, (_, background, font) in enumerate(cells[: flag_at + 1]):
            if index == due_at and background == colours(OVERDUE)[0]:
                continue  # the live Due < TODAY() rule may paint an unfinished row's Due red
            assert background == expected[0], f"{task_id} ({flag}) column {index + 1}"
            if cells[index][0]:  # an empty cell has no font to show
                assert (font or "#000000") == expected[1], f"{task_id} ({flag}) column {index + 1}"
    assert {task: seen[task] for task in DEMO_FLAGS} == {
        task: FLAG_BY_NAME[flag].label(lang) for task, flag in DEMO_FLAGS.items()  # 已完成, 受阻… in a Chinese book
    }


def test_a_due_date_that_passed_since_the_last_sync_turns_red_until_done(tmp_path, profile):
    """Between syncs, TODAY() moves on: an unfinished row's passed Due is red, a finished one's is not."""
    path = build_workbook(tmp_path / "demo.xlsx", lang="zh", demo=True, today=date.today())
    yesterday = date.today() - timedelta(days=1)
    book = openpyxl.load_workbook(path)
    timeline, feedback = book.worksheets[1], book.worksheets[6]
    names = [c.name for c in TIMELINE.columns]
    flag, due = names.index("Flag") + 1, names.index("Due") + 1
    for row in (2, 6):  # T1 is done; T5 has not started
        timeline.cell(row, due).value = yesterday
        timeline.cell(row, flag).value = "DONE" if row == 2 else "OK"
    feedback_due = [c.name for c in FEEDBACK.columns].index("Due") + 1
    for row in (2, 4):  # done; still open
        feedback.cell(row, feedback_due).value = yesterday
    book.save(path)

    html = convert(path, "html", profile)
    red, green = colours(OVERDUE)[0], colours(DONE)[0]
    timeline_rows = rendered_rows(html, sheet_index=1)
    assert (timeline_rows[1][0][0], timeline_rows[1][due - 1][1]) == ("T1", green)
    assert (timeline_rows[5][0][0], timeline_rows[5][due - 1][1]) == ("T5", red)
    assert timeline_rows[5][0][1] is None  # only the Due cell: the row itself is still OK
    feedback_rows = rendered_rows(html, sheet_index=6)
    assert feedback_rows[1][6][0] == "已完成" and feedback_rows[1][feedback_due - 1][1] is None
    assert feedback_rows[3][6][0] == "待处理" and feedback_rows[3][feedback_due - 1][1] == red


def ppm_pixels(path: Path) -> set[tuple[int, int, int]]:
    """The distinct colours of a binary PPM (P6, 8-bit) image."""
    data = path.read_bytes()
    fields, position = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[position:position + 1].isspace():
            position += 1
        start = position
        while not data[position:position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    assert fields[0] == b"P6" and fields[3] == b"255", f"{path.name} is not an 8-bit binary PPM"
    pixels = data[position + 1:]
    return {tuple(pixels[i:i + 3]) for i in range(0, len(pixels) - 2, 3)}


def test_the_printed_timeline_shows_the_flag_colours(tmp_path, profile):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: it renders the PDF to pixels")
    fills = {flag: tuple(bytes.fromhex(FLAG_COLOURS[flag][0])) for flag in DEMO_FLAGS.values()}
    path = build_workbook(tmp_path / "demo.xlsx", lang="en", demo=True, today=date.today())
    assert not set(fills.values()) & printed_colours(path, profile), "flag colours before any flag was written"
    sync(path)
    painted = printed_colours(path, profile)
    for flag, fill in fills.items():
        assert fill in painted, f"no {flag} fill #{FLAG_COLOURS[flag][0]} on the printed pages"


def printed_colours(path: Path, profile: Path) -> set[tuple[int, int, int]]:
    """Every colour on the workbook's printed pages (LibreOffice to PDF, poppler to pixels)."""
    pdf = convert(path, "pdf", profile)
    pages = path.parent / "pages"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(pages / "page")], check=True, timeout=120)
    return set().union(*(ppm_pixels(page) for page in sorted(pages.glob("page*.ppm"))))
