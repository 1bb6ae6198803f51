"""周婷 walks issue 17 in a Chinese book: baselines, slips, what-ifs, digests — what she types and what she reads.

A project manager at a Shanghai agency types as a Chinese IME leaves it: full-width
digits and signs (`Ｔ５＝２`), a "天" after a number of days, task IDs as the book
shows them. Every answer she reads must be Chinese and must mean what it says.
Each test is one thing she did and what she should have seen; the ones whose fix
lies in another helper's module are marked xfail(strict) with the fix described.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sheetsync.cli import main

TODAY = "2026-12-08"


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese demo, its baseline "客户确认" recorded by init; tests copy it before writing."""
    path = tmp_path_factory.mktemp("walk") / "活动.xlsx"
    assert main(["init", str(path), "--demo", "--lang", "zh", "--today", TODAY]) == 0
    return path


def whatif(capsys: pytest.CaptureFixture[str], book: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["whatif", str(book), *args, "--today", TODAY])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("typed", ["Ｔ５＝２", "Ｔ５=２", "T5＝2", "T5=2天", "Ｔ５　＝　２　天"])
def test_slip_typed_with_a_chinese_ime_is_the_same_what_if(zh_demo: Path, capsys, typed: str) -> None:
    """She types `--slip Ｔ５＝２` (full-width, as her IME leaves it) or "2天": the same answer as `T5=2`."""
    code, expected, _err = whatif(capsys, zh_demo, "--slip", "T5=2")
    assert code == 0 and expected.startswith("假设 T5 晚 2 个工作日完成")
    code, out, err = whatif(capsys, zh_demo, "--slip", typed)
    assert (code, out, err) == (0, expected, "")


def test_delay_typed_full_width_is_summed_with_the_ascii_one(zh_demo: Path, capsys) -> None:
    """`--delay Ｔ５＝１ --delay T5=1` is T5 taking 2 more days: the same task however it was typed."""
    _code, expected, _err = whatif(capsys, zh_demo, "--delay", "T5=2")
    code, out, _err = whatif(capsys, zh_demo, "--delay", "Ｔ５＝１", "--delay", "T5=1")
    assert code == 0 and out == expected
