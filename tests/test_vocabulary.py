"""The contract owns every vocabulary: flags, their one urgency order and colours, status words, bilingual help."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sheetsync import contract
from sheetsync.contract import (
    FEEDBACK_STATUS,
    FLAGS,
    REVIEW_DECISION,
    ROW_FLAG_COLOURS,
    SETTINGS,
    SHEET_FLAGS,
    SHEET_ROW_FLAGS,
    SHEETS,
    TASK_STATUS,
    flag_rank,
)

PACKAGE = Path(contract.__file__).resolve().parent
# Words code must name through the contract: every flag, and the status and decision words people pick.
VOCABULARY = {f.name for f in FLAGS} | set(TASK_STATUS) | set(REVIEW_DECISION) | set(FEEDBACK_STATUS)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def literal_vocabulary(source: str, name: str) -> list[str]:
    """`name:line: 'WORD'` for every string constant (docstrings aside) that is a vocabulary word."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        f"{name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in VOCABULARY
        and id(node) not in docstrings
    ]


def test_no_flag_or_status_word_is_spelled_outside_the_contract():
    modules = [p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "contract.py"]
    assert len(modules) > 20
    found = [
        hit
        for path in modules
        for hit in literal_vocabulary(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    ]
    assert found == [], "use the contract's names instead of:\n" + "\n".join(found)


def test_no_colour_is_spelled_outside_the_contract():
    colour = re.compile(r"#?[0-9A-Fa-f]{6}")
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "contract.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and colour.fullmatch(node.value)
        and not node.value.isdigit()
    ]
    assert found == [], "name the contract's colours instead of:\n" + "\n".join(found)


def test_the_scan_finds_literal_words_but_not_docstrings_or_messages():
    source = (
        '"""OVERDUE in a docstring is fine."""\n'
        'FLAG = "OVERDUE"\n'
        'STATUS = ("Pending",)\n'
        'MESSAGE = f"{task} is Done, but not OK"\n'
    )
    assert literal_vocabulary(source, "probe.py") == ["probe.py:2: 'OVERDUE'", "probe.py:3: 'Pending'"]


def test_one_urgency_order_holds_every_flag_of_every_sheet_exactly_once():
    names = [f.name for f in FLAGS]
    assert len(names) == len(set(names))
    assert set(names) == {word for flags in SHEET_FLAGS.values() for word in flags}
    for sheet, flags in SHEET_FLAGS.items():
        assert len(flags) == len(set(flags)), sheet
        assert list(flags) == sorted(flags, key=flag_rank), f"{sheet}'s flags are not in the urgency order"
    # The order a Reviews row picks its flag in (DESIGN.md) is the urgency order.
    assert SHEET_FLAGS["Reviews"][:6] == (
        "APPROVED WITH FINDINGS", "REVISION LOOP", "CHECK", "OVERDUE", "FINDINGS", "DUE SOON"
    )
    assert SHEET_FLAGS["Timeline"] == ("CHECK", "OVERDUE", "BLOCKED", "AT RISK", "DUE SOON", "DONE LATE", "DONE", "OK")


def test_every_flag_is_coloured_or_explicitly_uncoloured_and_has_a_chinese_label():
    hex_colour = re.compile(r"[0-9A-F]{6}")
    for flag in FLAGS:
        assert flag.zh and flag.zh != flag.name, flag.name
        if flag.colours is not None:
            assert all(hex_colour.fullmatch(c) for c in flag.colours), flag.name
    assert len({f.zh for f in FLAGS}) == len(FLAGS)
    for sheet, coloured in SHEET_ROW_FLAGS.items():
        assert set(coloured) == {w for w in SHEET_FLAGS[sheet] if w in ROW_FLAG_COLOURS}, sheet
    uncoloured = {f.name for f in FLAGS if f.colours is None}
    assert uncoloured == {"OK", "OPEN", "PENDING", "APPROVED", "CHANGES REQUESTED", "REJECTED", "ON TRACK"}


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_help_in_both_languages(setting):
    assert setting.help_text("en") and "{" not in setting.help_text("en")
    assert re.search(r"[\u4e00-\u9fff]", setting.help_text("zh")), setting.name


def test_every_column_help_has_a_chinese_translation():
    for spec in SHEETS:
        for column in spec.columns:
            if column.help:
                assert column.help_text("en") == column.help, f"{spec.name} {column.name}"
                assert re.search(r"[\u4e00-\u9fff]", column.help_text("zh")), f"{spec.name} {column.name}"
