"""The checker's fast path finds exactly what the plain path finds: every rule and every filter on every text.

`lint-copy` screens each text once (compliance_prefilter.Prefilter.screen): a rule or a context filter
whose literal words are not in the text is not run, and a rule's screened filters are built once per set
of possible filters. `load_checker(..., screen=False)` is the plain reference: it runs every rule and
every filter. The two must agree finding for finding on every corpus text (tests/data/*.jsonl: the
synthetic corpora and the real cases), in every industry, and with the packs doubled — what the checker
will look like as the packs grow. Failures name a text by its file and line only: the real cases'
holdout stays unread.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_copy_corpus import corpus_items

from sheetsync.engine.compliance import KNOWN_INDUSTRIES, load_checker
from sheetsync.engine.compliance_context import filter_patterns
from sheetsync.engine.compliance_rules import default_rules_dir

MARKETS = ("zh", "en")


def assert_same_findings(market: str, industry: str, rules_dir: Path | None = None) -> int:
    """Screened and plain findings equal on every corpus text of the market; returns how many findings."""
    fast = load_checker(market, industry, rules_dir=rules_dir)
    plain = load_checker(market, industry, rules_dir=rules_dir, screen=False)
    total = 0
    for where, item in corpus_items(market):
        found = fast.check(item["text"])
        same = found == plain.check(item["text"])  # compared apart: a failure shows no holdout text's findings
        assert same, f"{market}/{industry}: {where} differs between the two paths"
        total += len(found)
    return total


@pytest.mark.parametrize("industry", sorted(KNOWN_INDUSTRIES))
@pytest.mark.parametrize("market", MARKETS)
def test_screened_findings_equal_the_plain_paths(market: str, industry: str) -> None:
    assert assert_same_findings(market, industry) > 100  # the corpus does trigger rules


def doubled_packs(folder: Path) -> Path:
    """Every pack twice, the copy's rule ids renamed: twice the rules and twice the [every_rule] filters."""
    folder.mkdir()
    for pack in sorted(default_rules_dir().glob("*.toml")):
        text = pack.read_text(encoding="utf-8")
        (folder / pack.name).write_text(text, encoding="utf-8")
        (folder / f"copy-{pack.name}").write_text(re.sub(r'(?m)^id = "', 'id = "copy.', text), encoding="utf-8")
    return folder


@pytest.mark.parametrize("market", MARKETS)
def test_screened_findings_equal_the_plain_paths_with_the_packs_doubled(market: str, tmp_path: Path) -> None:
    folder = doubled_packs(tmp_path / "rules")
    assert load_checker(market, "cosmetics", rules_dir=folder).rule_count == 2 * load_checker(market, "cosmetics").rule_count
    for industry in ("general", "cosmetics"):
        assert assert_same_findings(market, industry, folder) > 100


@pytest.mark.parametrize("market", MARKETS)
def test_a_screened_out_filter_cannot_match_the_text(market: str) -> None:
    """The screen's invariant, filter by filter: a filter left out for a text matches nowhere in it."""
    checker = load_checker(market, "general")
    filters = {p.pattern: p for rule in checker._rules for p in filter_patterns(rule)}
    skipped = 0
    for where, item in corpus_items(market):
        text, _offsets = checker._normalise(item["text"])  # the text as the checker matches it
        _rules, possible = checker._prefilter.screen(text)
        for pattern in filters.keys() - possible:
            skipped += 1
            assert not filters[pattern].search(text), (where, pattern)
    assert skipped > len(filters)  # the screen does leave filters out (else this test proves nothing)


def test_screening_keeps_a_filter_whose_word_is_in_another_case() -> None:
    """Literal words are compared lower-cased, like the case-insensitive regexes: "FTC WARNS" still quotes."""
    text = "THE FTC WARNS: this serum cures eczema in 3 days."
    assert load_checker("en", "general").check(text) == load_checker("en", "general", screen=False).check(text)
    assert not load_checker("en", "general").check(text)  # the regulator's warning is not the claim

