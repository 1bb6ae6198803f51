"""How the copy checker does on real published cases (issue 13): floors that can only rise.

`tests/data/real_cases.jsonl` holds ad wording taken from regulators' and
self-regulators' published cases (SAMR and provincial/city bureaus' typical
cases, ASA rulings, FTC warning letters and notices), each with its source and
whether it is verbatim or a paraphrase, plus clean texts from the same
sources' lawful examples (approved health-food functions with their mandatory
statement, ASA "not upheld" ads, regulators' own consumer warnings). Each item
was put in `dev` or `holdout` by a seeded hash of its text before anything was
measured (see tests/data/README.md); the holdout figure is the honest one.

Scoring is per text, per language and split:
- recall: violating texts on which the checker reports any finding;
- category recall: violating texts with a finding in the labelled category;
- strict precision: caught violating texts / (those + clean texts with a high
  or critical finding) — a clean text blocked by the review gate counts against.

The floors below are the figures measured when the corpus was built (issue 13
groundwork, before any rule work), rounded down: later work may only raise
them. Print the table with `pytest -s` or `python tests/test_real_cases.py`; the table per
language and category with `python tests/test_real_cases.py --categories`; `--batch4` (or `--batch5`,
`--batch6`, `--batch7`, `--batch8`) restricts either table to that batch (listed by SHA-256 in
data/real_cases_batch4.txt … _batch8.txt, each added blind after the rules were finished; no floor of its own).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_copy_corpus import read_corpus

from sheetsync.engine.compliance import CATEGORIES, load_checker

DATA = Path(__file__).parent / "data" / "real_cases.jsonl"
# SHA-256 of the texts of batch 4, added blind after the rules were finished: measured on its own, no floor.
BATCH4 = Path(__file__).parent / "data" / "real_cases_batch4.txt"
# Batch 5, likewise: weighted to English health, cosmetics and price claims and Chinese endorsements/education.
BATCH5 = Path(__file__).parent / "data" / "real_cases_batch5.txt"
# Batch 6, likewise (round 3): English health/cosmetics/price/earnings/endorsement claims, Chinese education,
# medical, cosmetics and finance cases, and about a third clean look-alikes.
BATCH6 = Path(__file__).parent / "data" / "real_cases_batch6.txt"
# Batch 7, likewise (round 3, after the round's rules): real-estate and finance returns, internet and influencer ads,
# health/cosmetics claims, prices; a third clean (authorised claims, regulators' own warnings and rule texts).
BATCH7 = Path(__file__).parent / "data" / "real_cases_batch7.txt"
# Batch 8 (issue 13's fourth round), collected by a helper who never saw the rules' work and read once, blind, on the
# checker before and after the round's rules: 120 texts from SAMR/city bureaus, ASA/ASAI, FTC, ACCC, Health Canada.
BATCH8 = Path(__file__).parent / "data" / "real_cases_batch8.txt"
BATCHES = {"--batch4": BATCH4, "--batch5": BATCH5, "--batch6": BATCH6, "--batch7": BATCH7, "--batch8": BATCH8}
SPLIT_SEED = "sheetsync-real-cases-13"
# COMPLIANCE.md's categories: the checker's eleven plus the two added after the real-case measurement.
LABELS = frozenset(CATEGORIES) | {"comparative_claim", "cosmetics_claim"}
BLOCKING = frozenset({"high", "critical"})
FIELDS = {"text", "lang", "violates", "category", "industry", "source", "kind", "split"}

# (recall, category recall, strict precision) per (split, lang), rounded down. Raised as the
# checker improves (never lowered for the same corpus). Corpus of 805 items: batch 8 (120, read blind first) joined
# after issue 13's fourth round (zh-round4, en-claims, en-diseases); before it the 685-item corpus read holdout
# zh 55/88, 47/88, 7 of 76 clean blocked and en 84/126, 77/126, 2 of 53.
FLOORS: dict[tuple[str, str], tuple[float, float, float]] = {
    ("dev", "zh"): (0.95, 0.93, 0.99),  # 101/106, 99/106; 1 of 80 clean blocked
    ("dev", "en"): (0.93, 0.88, 0.99),  # 134/143, 127/143; 1 of 84 clean blocked (round 5: en-round5.toml)
    ("holdout", "zh"): (0.62, 0.53, 0.89),  # 67/107, 57/107; 8 of 83 clean blocked
    ("holdout", "en"): (0.64, 0.59, 0.96),  # 92/142, 84/142; 3 of 60 clean blocked (round 5: 91 → 92)
}


def split_of(text: str) -> str:
    """The fixed split of a text: a seeded SHA-256 of the text, odd = holdout (about half)."""
    digest = hashlib.sha256(f"{SPLIT_SEED}\n{text}".encode()).hexdigest()
    return "holdout" if int(digest, 16) % 2 else "dev"


@dataclass
class Figures:
    """Counts for one split and language."""

    violating: int = 0
    caught: int = 0
    caught_in_category: int = 0
    clean: int = 0
    clean_flagged: int = 0  # a clean text with any finding
    clean_blocked: int = 0  # a clean text with a high or critical finding

    @property
    def recall(self) -> float:
        return self.caught / self.violating if self.violating else 1.0

    @property
    def category_recall(self) -> float:
        return self.caught_in_category / self.violating if self.violating else 1.0

    @property
    def strict_precision(self) -> float:
        counted = self.caught + self.clean_blocked
        return self.caught / counted if counted else 1.0


def measure(items: list[dict]) -> dict[tuple[str, str], Figures]:
    result: dict[tuple[str, str], Figures] = {}
    for item in items:
        figures = result.setdefault((item["split"], item["lang"]), Figures())
        findings = load_checker(item["lang"], item["industry"]).check(item["text"])
        if item["violates"]:
            figures.violating += 1
            figures.caught += bool(findings)
            figures.caught_in_category += any(f.category == item["category"] for f in findings)
        else:
            figures.clean += 1
            figures.clean_flagged += bool(findings)
            figures.clean_blocked += any(f.severity in BLOCKING for f in findings)
    return result


def table(figures: dict[tuple[str, str], Figures]) -> str:
    rows = [
        "| split | language | violating | recall | category recall | clean | clean with a finding"
        " | clean blocked (high/critical) | strict precision |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (split, lang), f in sorted(figures.items()):
        rows.append(
            f"| {split} | {lang} | {f.violating} | {f.recall:.2f} | {f.category_recall:.2f} | {f.clean}"
            f" | {f.clean_flagged} | {f.clean_blocked} | {f.strict_precision:.2f} |"
        )
    return "\n".join(rows)


@pytest.fixture(scope="module")
def figures() -> dict[tuple[str, str], Figures]:
    result = measure(read_corpus(DATA))
    print("\n" + table(result))
    return result


def batch(items: list[dict], listing: Path = BATCH4) -> list[dict]:
    """The items of a blind batch (a one-off reading of the finished rules), found by their texts' SHA-256."""
    digests = set(listing.read_text(encoding="utf-8").split())
    return [item for item in items if hashlib.sha256(item["text"].encode()).hexdigest() in digests]


def batch4(items: list[dict]) -> list[dict]:
    return batch(items, BATCH4)


@pytest.mark.parametrize("listing", list(BATCHES.values()), ids=[flag.lstrip("-") for flag in BATCHES])
def test_a_batch_is_listed_by_digest_and_every_digest_is_an_item(listing: Path) -> None:
    items = read_corpus(DATA)
    digests = set(listing.read_text(encoding="utf-8").split())
    assert digests and all(len(d) == 64 for d in digests)
    assert len(batch(items, listing)) == len(digests), f"a digest of {listing.name} matches no item"


def test_batches_do_not_overlap() -> None:
    listings = [set(p.read_text(encoding="utf-8").split()) for p in BATCHES.values()]
    for i, one in enumerate(listings):
        for other in listings[i + 1 :]:
            assert not one & other


def test_items_are_well_formed_and_keep_their_split() -> None:
    items = read_corpus(DATA)
    assert len({item["text"] for item in items}) == len(items), "duplicate texts"
    for item in items:
        assert set(item) == FIELDS, item["text"]
        assert item["lang"] in ("zh", "en"), item["text"]
        assert item["kind"] in ("verbatim", "paraphrase"), item["text"]
        assert item["source"].strip(), item["text"]
        if item["violates"]:
            assert item["category"] in LABELS, item["text"]
        else:
            assert item["category"] is None, item["text"]
        # The split is fixed once, by the text's hash: never move an item to make a figure look better.
        assert item["split"] == split_of(item["text"]), item["text"]


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_no_worse_than_the_baseline(figures: dict[tuple[str, str], Figures], key: tuple[str, str]) -> None:
    recall_floor, category_floor, precision_floor = FLOORS[key]
    measured = figures[key]
    assert measured.recall >= recall_floor, (key, measured.recall)
    assert measured.category_recall >= category_floor, (key, measured.category_recall)
    assert measured.strict_precision >= precision_floor, (key, measured.strict_precision)


@dataclass
class CategoryFigures:
    """Counts for one split, language and category (the category a violation is labelled with)."""

    violating: int = 0
    caught: int = 0  # any finding
    caught_in_category: int = 0  # a finding in the labelled category
    clean_blocked: int = 0  # clean texts of this split and language with a high/critical finding in this category


def measure_categories(items: list[dict]) -> dict[tuple[str, str, str], CategoryFigures]:
    """Per (split, language, category): how many violations there are, how many are caught, in category or not,
    and how many clean texts a finding of this category blocks. Figures only; no text is shown."""
    result: dict[tuple[str, str, str], CategoryFigures] = {}
    for item in items:
        findings = load_checker(item["lang"], item["industry"]).check(item["text"])
        if item["violates"]:
            figures = result.setdefault((item["split"], item["lang"], item["category"]), CategoryFigures())
            figures.violating += 1
            figures.caught += bool(findings)
            figures.caught_in_category += any(f.category == item["category"] for f in findings)
        else:
            for category in sorted({f.category for f in findings if f.severity in BLOCKING}):
                result.setdefault((item["split"], item["lang"], category), CategoryFigures()).clean_blocked += 1
    return result


def category_table(
    figures: dict[tuple[str, str, str], CategoryFigures], totals: dict[tuple[str, str], Figures] | None = None
) -> str:
    """The markdown table per split × language × category (holdout first, the honest figure).

    With `totals` (measure()), each split and language ends with an "all" row whose last cell is
    "blocked of clean": clean texts with a high or critical finding, of all clean texts.
    """
    rows = [
        "| split | language | category | violating | caught | caught in category | clean blocked |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    order = {"holdout": 0, "dev": 1}
    keys = sorted({(split, lang) for split, lang, _category in figures}, key=lambda k: (order.get(k[0], 2), k[1]))
    for split, lang in keys:
        for (s, language, category), f in sorted(figures.items()):
            if (s, language) == (split, lang):
                rows.append(
                    f"| {split} | {lang} | {category} | {f.violating} | {f.caught} | {f.caught_in_category}"
                    f" | {f.clean_blocked} |"
                )
        if totals and (split, lang) in totals:
            t = totals[split, lang]
            rows.append(
                f"| {split} | {lang} | **all** | {t.violating} | {t.caught} | {t.caught_in_category}"
                f" | {t.clean_blocked} of {t.clean} |"
            )
    return "\n".join(rows)


def test_the_category_table_adds_up_to_the_language_figures() -> None:
    items = read_corpus(DATA)
    per_language, per_category = measure(items), measure_categories(items)
    for (split, lang), f in per_language.items():
        rows = [c for (s, language, _category), c in per_category.items() if (s, language) == (split, lang)]
        assert sum(c.violating for c in rows) == f.violating
        assert sum(c.caught for c in rows) == f.caught
        assert sum(c.caught_in_category for c in rows) == f.caught_in_category
        assert sum(c.clean_blocked for c in rows) >= f.clean_blocked  # a text may be blocked by two categories
    assert category_table(per_category).count("\n") == len(per_category) + 1
    assert category_table(per_category, per_language).count("**all**") == len(per_language)


if __name__ == "__main__":
    import sys

    corpus = read_corpus(DATA)
    for flag, listing in BATCHES.items():
        if flag in sys.argv[1:]:
            corpus = batch(corpus, listing)  # figures only; no floor (a one-off blind reading)
    if "--categories" in sys.argv[1:]:
        print(category_table(measure_categories(corpus), measure(corpus)))
    else:
        print(table(measure(corpus)))
