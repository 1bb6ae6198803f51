"""Precision and recall of the copy checker on the labelled corpus (COMPLIANCE.md categories).

The corpus is written independently of the rules. Every `copy_corpus_*.jsonl`
file in tests/data is scored as its own column (dev, holdout, holdout2...)
plus a combined column; the floors apply to the combined figures. dev and
holdout have been read while writing rules; a newer file (holdout2) is scored
blind, so its column is the honest estimate on unseen copy. Scoring is at the
(text, category) level: a text labelled absolute_claim is a hit if the checker
reports at least one absolute_claim finding in it. The table prints with
`pytest -s` or `python tests/test_copy_corpus.py`, in Markdown ready for the README.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sheetsync.engine.compliance import CATEGORIES, load_checker

DATA = Path(__file__).parent / "data"
PREFIX = "copy_corpus_"
# Every labelled file is its own column: dev, holdout, holdout2... (a file added later is picked up automatically).
CORPORA = {p.stem[len(PREFIX):]: p for p in sorted(DATA.glob(f"{PREFIX}*.jsonl"))}

# Floors on the combined corpus (every file), set a little below the figures
# measured when the rules were last changed: combined P 0.96 / R 0.92 over
# dev + holdout + holdout2 (dev and holdout were tuning data by then, both
# 1.00 / 1.00; holdout2, scored blind: P 0.90 / R 0.80). Per category
# (precision, recall), a little below the combined measurement; raise them as
# rules improve, never lower them to pass.
OVERALL_FLOOR = {"precision": 0.94, "recall": 0.90}
CATEGORY_FLOOR: dict[str, tuple[float, float]] = {
    "absolute_claim": (0.87, 0.95),
    "medical_efficacy_claim": (0.94, 0.85),
    "disease_claim_non_medical": (0.95, 0.92),
    "improper_endorsement": (0.95, 0.83),
    "investment_return_promise": (0.92, 0.89),
    "education_result_promise": (0.95, 0.88),
    "guaranteed_outcome": (0.92, 0.89),
    "before_after": (0.91, 0.91),
    "personal_attribute": (0.95, 0.84),
    "misleading_price_offer": (0.92, 0.92),
    "missing_ad_disclosure": (0.94, 0.87),
    # No labelled items yet (added after the corpus was written): every finding would be a false positive.
    "comparative_claim": (1.00, 0.0),
    "cosmetics_claim": (1.00, 0.0),
}


@dataclass
class Score:
    """True positives, false positives and false negatives per category."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        self.tp.update(other.tp)
        self.fp.update(other.fp)
        self.fn.update(other.fn)

    def precision(self, category: str | None = None) -> float:
        tp = self.tp[category] if category else sum(self.tp.values())
        fp = self.fp[category] if category else sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, category: str | None = None) -> float:
        tp = self.tp[category] if category else sum(self.tp.values())
        fn = self.fn[category] if category else sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else 1.0


def read_corpus(path: Path) -> list[dict]:
    """The items of one corpus file (JSON lines), as written."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_items(market: str, pattern: str = "*.jsonl") -> Iterator[tuple[str, dict]]:
    """Every item of a market in tests/data's corpora matching `pattern`, with where it is (file:line).

    The default reads the synthetic corpora and the real cases (which say `lang` for the market);
    `copy_corpus_*.jsonl` the synthetic ones.
    """
    for path in sorted(DATA.glob(pattern)):
        for number, item in enumerate(read_corpus(path), start=1):
            if item.get("market", item.get("lang")) == market:
                yield f"{path.name}:{number}", item


def score(items: list[dict]) -> Score:
    result = Score()
    for item in items:
        found = {f.category for f in load_checker(item["market"], item["industry"]).check(item["text"])}
        wanted = set(item["labels"])
        for category in found & wanted:
            result.tp[category] += 1
        for category in found - wanted:
            result.fp[category] += 1
        for category in wanted - found:
            result.fn[category] += 1
    return result


def table(scores: dict[str, Score]) -> str:
    """A Markdown table: one row per category, precision/recall/support per corpus."""
    names = list(scores)
    head = "| category | " + " | ".join(f"{n} P | {n} R | {n} n" for n in names) + " |"
    rule = "|---|" + "---:|" * (3 * len(names))
    rows = [head, rule]
    for category in (*CATEGORIES, None):
        cells = []
        for name in names:
            s = scores[name]
            support = (s.tp[category] + s.fn[category]) if category else sum(s.tp.values()) + sum(s.fn.values())
            cells.append(f"{s.precision(category):.2f} | {s.recall(category):.2f} | {support}")
        label = f"`{category}`" if category else "**overall (micro)**"
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def corpus_scores() -> dict[str, Score]:
    scores = {name: score(read_corpus(path)) for name, path in CORPORA.items()}
    combined = Score()
    for s in scores.values():
        combined.add(s)
    scores["combined"] = combined
    return scores


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    if not CORPORA:
        pytest.skip("copy corpus not present")
    result = corpus_scores()
    print("\n" + table(result))
    return result


def test_corpus_items_are_well_formed() -> None:
    for path in CORPORA.values():
        if not path.exists():
            continue
        for item in read_corpus(path):
            assert item["market"] in ("zh", "en"), item["id"]
            assert set(item["labels"]) <= set(CATEGORIES), item["id"]


def test_overall_precision_and_recall(scores: dict[str, Score]) -> None:
    combined = scores["combined"]
    assert combined.precision() >= OVERALL_FLOOR["precision"]
    assert combined.recall() >= OVERALL_FLOOR["recall"]


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_precision_and_recall(scores: dict[str, Score], category: str) -> None:
    combined = scores["combined"]
    precision_floor, recall_floor = CATEGORY_FLOOR[category]
    assert combined.precision(category) >= precision_floor, category
    assert combined.recall(category) >= recall_floor, category


if __name__ == "__main__":
    print(table(corpus_scores()))
