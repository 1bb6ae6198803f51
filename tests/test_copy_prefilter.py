"""The copy checker's prefilter skips only rules that cannot match: findings are exactly the same without it."""

from __future__ import annotations

import re

import pytest
from test_copy_corpus import corpus_items

from sheetsync.engine.compliance import load_checker
from sheetsync.engine.compliance_prefilter import Prefilter, literal_needs


def corpus_texts(market: str) -> list[str]:
    return [item["text"] for _where, item in corpus_items(market)]


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"最(?:好|佳)", {"最好", "最佳"}),
        (r"(?:guarantee|promise)d?\s+results", {"results"}),  # the longest literal run is the better filter
        (r"\b(?:no\.?\s?1|number\s?one)\b", {"no", "number"}),  # the parser's n(?:o|umber) is undone
        (r"[^，]{0,6}(?:保本|保息)", {"保本", "保息"}),
        (r"[保包](?:过|赚)", {"保过", "保赚", "包过", "包赚"}),
        (r"(?-i:BEST)\s+", {"best"}),  # lower-cased: the packs are case-insensitive
        (r"\w+\s\d", None),  # nothing literal: the rule always runs
        (r"\w+est\b", {"est"}),
        (r"(?:a|\d+天)见效", {"见效"}),
    ],
)
def test_literal_needs(pattern: str, needs: set[str] | None) -> None:
    result = literal_needs(pattern)
    assert (None if result is None else set(result)) == needs
    if needs is not None:  # and a text containing none of them cannot match
        assert not re.search(pattern, "nothing relevant here 没有相关内容", re.IGNORECASE)


def test_caseless_letters_still_trigger() -> None:
    prefilter = Prefilter([r"\bsafe\b", r"\bfinish\b"])
    assert prefilter.rules_for("100% ſafe") == [0]  # re.IGNORECASE matches ſ to s
    assert prefilter.rules_for("FINISH") == [1]


@pytest.mark.parametrize("market", ["zh", "en"])
@pytest.mark.parametrize("industry", ["general", "health_food", "finance", "education", "cosmetics"])
def test_every_rule_that_matches_is_run(market: str, industry: str) -> None:
    """The invariant, rule by rule, over every corpus text of the market (synthetic and real cases)."""
    checker = load_checker(market, industry)
    rules = checker._rules
    prefilter = Prefilter([r.regex.pattern for r in rules])
    skipped_somewhere = 0
    for text in corpus_texts(market):
        squeezed, _index = checker._normalise(text)  # the text as the checker matches it
        run = set(prefilter.rules_for(squeezed))
        for index, rule in enumerate(rules):
            if index not in run:
                skipped_somewhere += 1
                assert not rule.regex.search(squeezed), (rule.id, text)
    assert skipped_somewhere > 0  # the prefilter does skip rules (else this test proves nothing)
