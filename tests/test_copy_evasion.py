"""Evasion by separators: a term with spaces, symbols or letter-spacing inside it is caught as its plain form.

Uses the real rule packs. Each pair checks that the evasive text gets a
finding of the same category as the plain text, and that the finding's
start/end point into the text as written (the term quotes the separators).
The corpus measurement rewrites every caught violation of the dev corpus with
a space between the letters of each matched term and reports the catch rate
(`pytest -s` or `python tests/test_copy_evasion.py`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sheetsync.engine.compliance import load_checker

DEV = Path(__file__).parent / "data" / "copy_corpus_dev.jsonl"

# (market, industry, plain, evasive, the term the finding must quote in the evasive text)
EVASIONS = [
    ("zh", "cosmetics", "7天美白，告别暗沉", "7 天美白，告别暗沉", "7 天美白"),
    ("zh", "general", "这是最好的面霜", "这是最*好的面霜", "最*好"),
    ("zh", "general", "这是最好的面霜", "这是最\u200b好的面霜", "最\u200b好"),
    ("zh", "general", "这是最好的面霜", "这是最🔥好的面霜", "最🔥好"),
    ("zh", "cosmetics", "三天治愈湿疹", "三天治·愈湿疹", "治·愈"),
    ("zh", "cosmetics", "三天治愈湿疹", "三天治/愈湿疹", "治/愈"),
    ("zh", "general", "全网销量第一的面霜", "全网销量第 一的面霜", "第 一"),
    ("en", "general", "The best coffee maker you'll ever own.", "The b e s t coffee maker you'll ever own.", "b e s t"),
    ("en", "general", "The best coffee maker you'll ever own.", "The B.E.S.T coffee maker you'll ever own.", "B.E.S.T"),
    ("en", "cosmetics", "This balm cures eczema.", "This balm c.u.r.e.s eczema.", "c.u.r.e.s"),
    ("en", "cosmetics", "This balm cures eczema.", "This balm c u r e s  e c z e m a.", "c u r e s"),
]


def categories(market: str, industry: str, text: str) -> set[str]:
    return {f.category for f in load_checker(market, industry).check(text)}


@pytest.mark.parametrize(("market", "industry", "plain", "evasive", "term"), EVASIONS)
def test_separators_inside_a_term_do_not_hide_it(market, industry, plain, evasive, term):
    wanted = categories(market, industry, plain)
    assert wanted, f"the plain form must be caught for this test to mean anything: {plain}"
    findings = load_checker(market, industry).check(evasive)
    assert wanted <= {f.category for f in findings}
    for finding in findings:
        assert evasive[finding.start : finding.end] == finding.term
    assert any(term in f.term for f in findings), [f.term for f in findings]


def test_lint_copy_json_offsets_point_into_the_text_as_written():
    text = "这是最*好的面霜"
    proc = subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", text, "--market", "zh", "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    (finding,) = [f for f in json.loads(proc.stdout)["findings"] if f["category"] == "absolute_claim"]
    assert (finding["term"], finding["start"], finding["end"]) == ("最*好", 2, 5)


def test_spaces_never_join_two_numbers():
    """`10 0天` stays the numbers 10 and 0: spacing must not turn one number claim into another."""
    checker = load_checker("zh", "cosmetics")
    spaced = checker.check("10 0天美白")
    assert all("10 0" not in f.term for f in spaced)
    assert [(f.term, f.start) for f in spaced] == [(f.term, f.start + 3) for f in checker.check("0天美白")]


def test_ordinary_spacing_is_left_alone():
    """Separators between words, not inside a term, change nothing: single-letter words, initials, clauses."""
    en = load_checker("en", "general")
    assert en.check("Plan A is a good plan, and B is too.") == []
    zh = load_checker("zh", "general")
    assert zh.check("第一步 打开包装") == zh.check("第一步打开包装") == []


def spaced(text: str, start: int, end: int) -> str:
    """The term text[start:end] with a space between its letters (CJK or Latin) and between a digit and CJK.

    Two digits stay together (a number is one token), and an English word space becomes two spaces so
    that the spaced-out words stay apart ("c u r e s  e c z e m a").
    """
    term = text[start:end]
    out = term[:1]
    for prev, ch in zip(term, term[1:], strict=False):
        letters = prev.isalpha() and ch.isalpha()
        number_and_cjk = (prev.isdigit() and not ch.isascii() and ch.isalpha()) or (
            ch.isdigit() and not prev.isascii() and prev.isalpha()
        )
        if letters or number_and_cjk:
            out += " "
        elif ch == " " and prev.isascii() and prev.isalpha():
            out += " "
        out += ch
    return text[:start] + out + text[end:]


def evasion_rate() -> tuple[int, int, list[str]]:
    """(still caught, caught before rewriting, ids missed) over the dev corpus's true positives."""
    caught = kept = 0
    missed: list[str] = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        checker = load_checker(item["market"], item["industry"])
        hits = [f for f in checker.check(item["text"]) if f.category in item["labels"]]
        for category in sorted({f.category for f in hits}):
            text = item["text"]
            for f in sorted((f for f in hits if f.category == category), key=lambda f: -f.start):
                text = spaced(text, f.start, f.end)
            caught += 1
            if category in {f.category for f in checker.check(text)}:
                kept += 1
            else:
                missed.append(f"{item['id']} {category}: {text}")
    return kept, caught, missed


# Measured when separators were first stripped: 149 of 154 (0.97); before that 7 of 154 (0.05).
EVASION_FLOOR = 0.95


def test_dev_corpus_violations_with_spaced_terms_are_still_caught():
    kept, caught, missed = evasion_rate()
    print(f"\nspaced-term evasion on dev: {kept}/{caught} = {kept / caught:.2f}; missed: {missed}")
    assert kept / caught >= EVASION_FLOOR, missed


if __name__ == "__main__":
    kept, caught, missed = evasion_rate()
    print(f"{kept}/{caught} = {kept / caught:.2f}")
    print("\n".join(missed))
