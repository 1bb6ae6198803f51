"""Copy findings kept between syncs (engine/findings.py): the same findings as the checker, and the
checker not asked again for copy an earlier sync checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bench_workbooks import COPY, TODAY, build_campaign_workbook

import sheetsync
from sheetsync.engine import findings as findings_memo
from sheetsync.engine.compliance import CustomTerm, load_checker
from sheetsync.engine.findings import FindingsMemo, memo_key

TEXTS = [
    *COPY,
    "全网最好的精华，7天美白，无效退款！",
    "The No.1 serum: guaranteed results in 7 days.",
    "",
    "Plain words about a serum.",
]


@pytest.mark.parametrize("market", ["en", "zh"])
def test_remembered_findings_are_the_checkers(cache_folder: Path, market: str) -> None:
    checker = load_checker(market, "cosmetics")
    key = memo_key(checker, ())
    first = FindingsMemo(checker, key)
    answers = [first.check(text) for text in TEXTS]
    assert first.checked == len(TEXTS) and first.hits == 0
    assert answers == [checker.check(text) for text in TEXTS]
    assert any(answers)  # the corpus has findings to remember
    first.save()
    second = FindingsMemo(load_checker(market, "cosmetics"), key)
    assert [second.check(text) for text in TEXTS] == answers
    assert second.hits == len(TEXTS) and second.checked == 0


def test_the_key_follows_what_the_findings_depend_on(cache_folder: Path) -> None:
    checker = load_checker("zh", "cosmetics")
    key = memo_key(checker, ())
    assert memo_key(load_checker("zh", "cosmetics"), ()) == key
    assert memo_key(load_checker("zh", "food"), ()) != key
    assert memo_key(load_checker("en", "cosmetics"), ()) != key
    assert memo_key(load_checker("zh", "cosmetics", facts=frozenset({"efficacy_report"})), ()) != key
    term = CustomTerm(term="爆款", category="absolute_claim", severity="high", allowed=False)
    with_term = load_checker("zh", "cosmetics", [term])
    assert memo_key(with_term, [term]) != key
    assert memo_key(with_term, [term]) == memo_key(load_checker("zh", "cosmetics", [term]), [term])


@pytest.mark.parametrize(
    ("market", "industry", "facts"), [("zh", "cosmetics", frozenset()), ("EN ", "金融", frozenset({"efficacy_report"}))]
)
def test_a_books_checker_is_kept_under_the_key_of_the_checker_it_builds(
    cache_folder: Path, market: str, industry: str, facts: frozenset[str]
) -> None:
    term = CustomTerm(term="爆款", category="absolute_claim", severity="high", allowed=False)
    memo = findings_memo.book_checker(market, industry, [term], facts)
    assert memo._checker is None
    built = load_checker(market, industry, [term], facts=facts)
    assert memo._key == memo_key(built, [term])
    assert memo.check(TEXTS[0]) == built.check(TEXTS[0]) and memo.checked == 1
    assert memo.industry == built.industry and memo._checker is not None


def test_a_damaged_or_foreign_file_is_ignored(cache_folder: Path) -> None:
    checker = load_checker("en", "cosmetics")
    key = memo_key(checker, ())
    memo = FindingsMemo(checker, key)
    memo.check(TEXTS[0])
    memo.save()
    (path,) = cache_folder.glob("findings-*.marshal")
    path.write_bytes(b"\x00not marshal")
    damaged = FindingsMemo(checker, key)
    assert damaged.check(TEXTS[0]) == checker.check(TEXTS[0]) and damaged.checked == 1
    other = FindingsMemo(checker, "0" * 64)
    assert other.check(TEXTS[0]) == checker.check(TEXTS[0]) and other.hits == 0


def test_a_second_sync_asks_the_checker_nothing(cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "campaign.xlsx"
    build_campaign_workbook(book, 40, seed=5)
    memos: list[FindingsMemo] = []
    original = FindingsMemo.__init__

    def recorded(self, *args, **kwargs):
        original(self, *args, **kwargs)
        memos.append(self)

    monkeypatch.setattr(FindingsMemo, "__init__", recorded)
    copy, fresh = tmp_path / "copy.xlsx", tmp_path / "fresh.xlsx"
    shutil.copyfile(book, copy)
    shutil.copyfile(book, fresh)
    first = sheetsync.open(book).sync(today=TODAY)
    assert memos[-1].checked > 0 and memos[-1].hits == 0
    second = sheetsync.open(copy).sync(today=TODAY)  # the same book again: every copy text known
    assert memos[-1].checked == 0 and memos[-1].hits == memos[0].checked
    assert memos[-1]._checker is None  # nothing to check: the checker was never built (0.1–0.2 s of a click)
    assert memos[0]._checker is not None
    assert [(c.sheet, c.a1, c.value) for c in second.changes if c.sheet != "Log"] == [
        (c.sheet, c.a1, c.value) for c in first.changes if c.sheet != "Log"
    ]
    monkeypatch.setattr(findings_memo, "MAX_TEXTS", 0)  # a full file starts again: still the same cells
    shutil.copyfile(fresh, copy)
    third = sheetsync.open(copy).sync(today=TODAY)
    assert [(c.sheet, c.a1, c.value) for c in third.changes if c.sheet != "Log"] == [
        (c.sheet, c.a1, c.value) for c in first.changes if c.sheet != "Log"
    ]
