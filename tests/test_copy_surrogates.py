"""A Copy cell holding an xlsx escape of a lone surrogate (`_xD800_`, which Excel writes for a broken emoji) is
read as that surrogate; the copy checker must still check the rest of the text and the sync must finish
(rjieba and OpenCC cannot encode a surrogate: the sync used to die with a UnicodeEncodeError)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from sheetsync.cli import main
from sheetsync.engine.compliance import load_checker


def test_the_checker_reads_past_a_lone_surrogate_and_keeps_offsets() -> None:
    text = "\ud800最好用的面霜，7天美白"
    findings = load_checker("zh", "cosmetics").check(text)
    terms = {f.term for f in findings}
    assert "最好用" in terms
    for f in findings:  # each span still points at its words in the text as written
        assert text[f.start:f.end] == f.term


def test_a_book_with_a_surrogate_escape_in_its_copy_syncs(tmp_path: Path, capsys) -> None:
    book = tmp_path / "book.xlsx"
    assert main(["init", str(book), "--demo", "--lang", "zh", "--today", "2026-12-08"]) == 0
    wb = openpyxl.load_workbook(book)
    sheet = wb["审核"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("文案") + 1).value = "_xD800_最好用的面霜，7天美白"
    wb.save(book)
    capsys.readouterr()
    assert main(["sync", str(book), "--today", "2026-12-08"]) == 0
    wb = openpyxl.load_workbook(book)
    sheet = wb["审核"]
    findings = sheet.cell(row=2, column=header.index("检查结果") + 1).value
    assert "「最好用」 绝对化用语" in findings
    assert sheet.cell(row=2, column=header.index("文案") + 1).value == "_xD800_最好用的面霜，7天美白"  # a person's cell
