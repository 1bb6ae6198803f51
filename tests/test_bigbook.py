"""The big book's fast paths (issue 19) give what the slow ones gave: the same cells read, the same
problems at the same cells, the same cells written. Speed is measured in scripts/bench --only bigbook.

The reference is the slow way, in the same tree: the lxml reader for every sheet, every cell read
through TableView.read on its own, every computed cell compared with sync.same_value one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bench_workbooks import TODAY, build_campaign_workbook

import sheetsync
from sheetsync import sync as sync_module
from sheetsync.backends.xlsx import read as read_module
from sheetsync.backends.xlsx.backend import XlsxFileBackend
from sheetsync.backends.xlsx.fast_read import outside_rows, read_plain_sheet
from sheetsync.parse import table_view
from sheetsync.parse.table_view import TableView
from sheetsync.raw import CellChange

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROWS = 300


@pytest.fixture(scope="module")
def big_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated campaign (300 tasks, 4x reviews) with the cells people get wrong in a big book, many times."""
    path = tmp_path_factory.mktemp("bigbook") / "campaign.xlsx"
    build_campaign_workbook(path, ROWS, seed=7)
    book = openpyxl.load_workbook(path)
    reviews, timeline = book["Reviews"], book["Timeline"]
    for row in (5, 9, 14):
        reviews.cell(row, 2).value = "three"  # Round: the same bad word in three rows
    for row in (6, 11):
        reviews.cell(row, 5).value = "=TODAY()"  # Submitted on: a formula
    reviews.cell(20, 3).value = "Legal"  # Stage: not a stage
    reviews.cell(21, 3).value = "Legal"
    reviews.cell(22, 5).value = "２０２６－０２－０３"  # full-width date text, read as typed in ASCII
    reviews.cell(23, 8).value = 'Tom & "Jerry" <1 of 2>_x0041_'  # entities and an Excel escape in copy
    for row in (7, 8):
        timeline.cell(row, 5).value = "3 weeks"  # Duration: not working days, twice
    book.save(path)
    return path


def _slow_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference: lxml reads every sheet, each cell is read on its own, each computed cell compared alone."""
    monkeypatch.setattr(read_module, "read_plain_sheet", lambda *args: None)

    def column_reader(self, name, reader, problems, *, as_written=False):
        return lambda row: self.read(row, name, reader, problems, as_written=as_written)

    def column_text(self, name, *, as_written=False):
        return lambda row: (self.prose if as_written else self.text)(row, name)

    monkeypatch.setattr(TableView, "column_reader", column_reader)
    monkeypatch.setattr(TableView, "column_text", column_text)
    monkeypatch.setattr(table_view.Memo, "__call__", lambda self, value: self._reader(value))

    def diff(workbook, desired):
        changes = []
        for title, cells in desired.items():
            sheet = workbook.sheets[title]
            for (row, col), value in sorted(cells.items()):
                if table_view.merged_non_anchor(sheet, row, col):
                    continue
                if not sync_module.same_value(sheet.value(row, col), value):
                    changes.append(CellChange(title, row, col, value))
        return changes

    monkeypatch.setattr(sync_module, "diff", diff)


def _planned(path: Path) -> tuple[list, list, dict]:
    analysis, changes = sync_module.plan(XlsxFileBackend(path).read(), today=TODAY)
    changes = [c for c in changes if c.sheet != "Log"]  # the Log row holds the time of the run
    problems = [(p.sheet, p.cell, p.problem, p.fix) for p in analysis.problems]
    return changes, problems, analysis.flag_counts()


def _cells(path: Path) -> dict[str, dict]:
    workbook = XlsxFileBackend(path).read()
    return {title: dict(sheet.cells) for title, sheet in workbook.sheets.items()}


def test_first_and_second_sync_plan_what_the_slow_way_plans(big_book: Path, tmp_path: Path) -> None:
    fast = _planned(big_book)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _slow_reading(monkeypatch)
        slow = _planned(big_book)
    assert fast == slow
    changes, problems, _ = fast
    assert len(changes) > 4 * ROWS  # every computed cell of a fresh book
    cells_with_problems = {(sheet, cell) for sheet, cell, _, _ in problems}
    assert {("Reviews", "B5"), ("Reviews", "B9"), ("Reviews", "B14")} <= cells_with_problems  # each row its own
    assert {("Reviews", "E6"), ("Reviews", "E11"), ("Reviews", "C20"), ("Reviews", "C21")} <= cells_with_problems
    assert {("Timeline", "E7"), ("Timeline", "E8")} <= cells_with_problems

    synced = tmp_path / "synced.xlsx"
    shutil.copyfile(big_book, synced)
    assert sheetsync.open(synced).sync(today=TODAY).written
    second_fast = _planned(synced)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _slow_reading(monkeypatch)
        second_slow = _planned(synced)
    assert second_fast == second_slow
    assert second_fast[0] == []  # nothing changes on a second sync
    assert sheetsync.open(synced).sync(today=TODAY).written is False


def test_the_fast_reader_reads_what_lxml_reads(big_book: Path, tmp_path: Path) -> None:
    synced = tmp_path / "synced.xlsx"
    shutil.copyfile(big_book, synced)
    sheetsync.open(synced).sync(today=TODAY)  # computed text is written as inline strings
    for path in (big_book, synced):
        fast = _cells(path)
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(read_module, "read_plain_sheet", lambda *args: None)
            slow = _cells(path)
        assert fast == slow
        for title in fast:  # equal is not enough: 1 == 1.0 == True, a date against a datetime
            assert [type(v) for v in fast[title].values()] == [type(v) for v in slow[title].values()]
    reviews = _cells(synced)["Reviews"]
    assert reviews[(23, 8)] == 'Tom & "Jerry" <1 of 2>A'
    assert reviews[(22, 5)] == "２０２６－０２－０３"


def _sheet_xml(rows: str, after: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" xmlns:x14ac="urn:x14ac">'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    ).encode()


def _both(xml: bytes) -> tuple[object, tuple]:
    shared = ["zero", "one"]
    rest = outside_rows(NS, read_module._colour_rules)
    fast = read_plain_sheet(xml, shared, frozenset({2}), False, rest)
    slow = read_module.read_sheet(io.BytesIO(xml), NS, shared, frozenset({2}), False)
    return fast, slow


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>1</v></c><c r="B1" s="2"><v>46069</v></c>'
        '<c r="C1" s="2"><v>46069.5</v></c></row>',
        '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">a &amp; b &lt;c&gt; &#20013;_x0009_</t>'
        '</is></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c><c r="D2"><v>2.50</v></c></row>',
        '<row r="3"/><row r="4"><c r="A4" s="1"/><c r="B4"></c><c r="C4"><v></v></c><c r="D4" t="str"><v>x</v></c>'
        "</row>",
    ],
)
def test_plain_rows_read_as_lxml_reads_them(rows: str) -> None:
    xml = _sheet_xml(rows, '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>')
    fast, slow = _both(xml)
    assert fast is not None, "the plain form should be read by the fast reader"
    assert fast == slow
    assert [type(v) for v in fast[0].values()] == [type(v) for v in slow[0].values()]


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',  # a formula
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>rich</t></r></is></c></row>',  # rich text runs
        '<row r="1"><c r="A1" t="inlineStr"/></row>',  # an inline string without its text
        '<row r="1"> <c r="A1"><v>1</v></c></row>',  # whitespace between cells
        '<row r="1"><c r="A1" t="str"><v>a\rb</v></c></row>',  # a carriage return XML turns into a line feed
        '<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>',  # rows out of order
        '<row r="1"><c r="A1" cm="1"><v>1</v></c></row>',  # an attribute the plain form does not know
        '<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>',  # rows in another namespace
        '<row r="1"><c r="A1" t="d"><v>2026-03-02</v></c></row>',  # an ISO date cell
    ],
)
def test_anything_else_is_left_to_lxml(rows: str) -> None:
    fast, slow = _both(_sheet_xml(rows))
    assert fast is None


@pytest.mark.parametrize(
    "xml",
    [
        _sheet_xml('<row r="1"><c r="A1"><v>1</v></c>'),  # the row never closes
        _sheet_xml('<row r="1" undeclared:x="1"><c r="A1"><v>1</v></c></row>'),  # a prefix nobody declared
    ],
)
def test_a_malformed_sheet_is_not_read_by_the_fast_reader(xml: bytes) -> None:
    rest = outside_rows(NS, read_module._colour_rules)
    assert read_plain_sheet(xml, [], frozenset(), False, rest) is None
    with pytest.raises(Exception):  # noqa: B017,PT011 - lxml's own error, translated by read_workbook
        read_module.read_sheet(io.BytesIO(xml), NS, [], frozenset(), False)


def test_a_big_book_takes_the_fast_paths(big_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = []
    original = read_module.read_plain_sheet

    def counted(*args):
        result = original(*args)
        plain.append(result is not None)
        return result

    monkeypatch.setattr(read_module, "read_plain_sheet", counted)
    memos: list[table_view.Memo] = []
    original_init = table_view.Memo.__init__

    def remembered(self, reader):
        original_init(self, reader)
        memos.append(self)

    monkeypatch.setattr(table_view.Memo, "__init__", remembered)
    sync_module.plan(XlsxFileBackend(big_book).read(), today=TODAY)
    assert len(plain) > 10 and plain.count(False) == 1  # only Reviews, where the formulas are, is read by lxml
    generated = tmp_path / "generated.xlsx"
    build_campaign_workbook(generated, 50, seed=3)
    plain.clear()
    XlsxFileBackend(generated).read()
    assert len(plain) > 10 and all(plain)  # every contract sheet of a generated book is in the plain form
    # the bad Round word is read once and its problem given again for the next rows (the slow way reads it 3x)
    assert sum(memo.hits for memo in memos) >= 2


def test_a_sheet_with_a_formula_is_still_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"] = 1, "=A1*2", dt.date(2026, 3, 2)
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        assert b"<f>" in zf.read("xl/worksheets/sheet1.xml")
    cells = _cells(path)["Sheet"]
    assert cells[(1, 1)] == 1 and str(cells[(1, 2)]) == "=A1*2" and cells[(2, 1)] == dt.date(2026, 3, 2)


def test_the_big_books_first_sync_streams_what_the_tree_patcher_writes(big_book: Path) -> None:
    """Every sheet a first sync changes: the streaming patcher's XML equals the lxml tree patcher's (canonical)."""
    from lxml import etree

    from sheetsync.backends.xlsx.patch import SheetPatcher
    from sheetsync.backends.xlsx.stream import StreamingSheetPatcher
    from sheetsync.backends.xlsx.styles import StylesPatcher

    workbook = XlsxFileBackend(big_book).read()
    _, changes = sync_module.plan(workbook, today=TODAY)
    parts = {"Timeline": "xl/worksheets/sheet2.xml", "Reviews": "xl/worksheets/sheet5.xml"}
    with zipfile.ZipFile(big_book) as zf:
        styles_xml = zf.read("xl/styles.xml")
        for title, part in parts.items():
            sheet_changes = [c for c in changes if c.sheet == title]
            assert len(sheet_changes) >= 2 * ROWS
            xml = zf.read(part)
            streamed_styles, tree_styles = StylesPatcher(styles_xml), StylesPatcher(styles_xml)
            streamed = StreamingSheetPatcher(xml, streamed_styles, False)
            streamed.apply(sheet_changes)
            tree = SheetPatcher(xml, tree_styles, False)
            for change in sheet_changes:
                tree.set(change.row, change.col, change.value)
            canonical = [etree.tostring(etree.fromstring(x), method="c14n") for x in (streamed.finish(), tree.finish())]
            assert canonical[0] == canonical[1], title
            assert streamed_styles.to_bytes() == tree_styles.to_bytes()


def test_a_chinese_book_reads_and_plans_as_the_slow_way(tmp_path: Path) -> None:
    """Chinese headers are found by the precomputed keys, and the problems (in Chinese) are the slow way's."""
    from sheetsync.template.xlsx import build_workbook

    path = build_workbook(tmp_path / "zh.xlsx", lang="zh", demo=True, today=dt.date(2026, 12, 8))
    book = openpyxl.load_workbook(path)
    reviews = book["审核"] if "审核" in book.sheetnames else book.worksheets[4]
    for row in (2, 3):
        reviews.cell(row, 2).value = "三轮半"  # 轮次: not a whole number, twice
    book.save(path)
    analysis, _ = sync_module.plan(XlsxFileBackend(path).read(), today=dt.date(2026, 12, 8))
    assert analysis.lang == "zh"
    assert analysis.timeline.view.lang == "zh" and analysis.timeline.view.usable
    fast = [(p.sheet, p.cell, p.problem, p.fix) for p in analysis.problems]
    with pytest.MonkeyPatch.context() as monkeypatch:
        _slow_reading(monkeypatch)
        slow_analysis, _ = sync_module.plan(XlsxFileBackend(path).read(), today=dt.date(2026, 12, 8))
    assert fast == [(p.sheet, p.cell, p.problem, p.fix) for p in slow_analysis.problems]
    bad_rounds = [p for p in fast if p[0] == reviews.title and p[1] in ("B2", "B3")]
    assert len(bad_rounds) == 2 and all("三轮半" in p[2] for p in bad_rounds)


def _widened_the_slow_way(attrs: bytes, low_col: int, high_col: int) -> bytes:
    """widen_spans before issue 19: every attribute parsed, spans set, all of them joined again."""
    from sheetsync.backends.xlsx import stream_grammar as grammar

    pairs = [[name, raw] for name, raw in grammar.ATTR.findall(attrs)]
    raw = grammar.get_attr(pairs, b"spans")
    if raw is None or raw[1:-1] == b"":
        return attrs
    low, _, high = grammar.attr_value(raw).decode().split(" ")[0].partition(":")
    try:
        value = f"{min(int(low), low_col)}:{max(int(high or low), high_col)}".encode()
    except ValueError:
        pairs = [pair for pair in pairs if pair[0] != b"spans"]
    else:
        if value == raw[1:-1]:
            return attrs
        grammar.set_attr(pairs, b"spans", b'"' + value + b'"')
    return grammar.join_attrs(pairs)


@pytest.mark.parametrize(
    "attrs",
    [
        b' r="2" spans="1:9"',
        b' r="2" spans="1:9" ht="15" x14ac:dyDescent="0.25"',
        b' r="2"  spans="1:9"',
        b" r='2' spans=\"3:9\"",
        b' spans="4:5" r="7"',
        b' r="2" spans="1:9 11:12"',
        b' r="2" spans = "1:9"',
        b' r="2"',
    ],
)
def test_row_spans_widen_as_before(attrs: bytes) -> None:
    from sheetsync.backends.xlsx.stream_grammar import widen_spans

    for low, high in [(1, 11), (2, 3), (5, 20), (1, 9), (4, 4)]:
        assert widen_spans(attrs, low, high) == _widened_the_slow_way(attrs, low, high)
