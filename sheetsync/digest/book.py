"""One book's analysis as a digest run reads it: what is the same for every person is worked out once.

A run composes one digest per person, and most of a digest is the book's, not
the person's: the headline and summary lines, the detailed tables, the timeline
bars, the burn-down, the snapshot that the next digest compares against, the
open copy findings. Before, each of 50 digests worked all of it out again
(1.5–2 s of a 50-person run on a 500-row book went on the same lists). A Book
wraps the Analysis for one run: the Analysis's list methods answer from a memo,
and `once` keeps a composed part per language. Only what varies by person — what
waits on them, what changed since their last digest, their footer — is composed
per person. The Analysis is not changed, and nothing here outlives the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .. import i18n
from ..analysis import Analysis

T = TypeVar("T")

# Analysis methods whose answer depends on the analysis alone (and their arguments): safe to memoise for a run.
MEMOISED = frozenset({
    "task_results", "schedule_order", "open_tasks", "due_soon", "review_results", "pending_reviews",
    "reviews_by_stage", "copy_findings", "feedback_results", "open_feedback", "risk_results", "triggered_risks",
    "overdue",
})


class Book:
    """An Analysis for one digest run: the same attributes, its list methods memoised, and `once` for parts."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self._memo: dict[tuple[object, ...], object] = {}

    def __getattr__(self, name: str) -> object:
        value = getattr(self.analysis, name)
        if name not in MEMOISED:
            return value

        def memoised(*args: object) -> object:
            return self.once(("analysis", name, *args), lambda: value(*args), any_language=True)

        return memoised

    def once(self, key: object, make: Callable[[], T], *, any_language: bool = False) -> T:
        """`make()`'s answer for `key` in the active language (or in any, for language-free facts), made once."""
        full = key if any_language else (key, i18n.current())
        memo = self._memo
        if full not in memo:
            memo[full] = make()
        return memo[full]  # type: ignore[return-value]


def as_book(analysis: Analysis | Book) -> Book:
    """The Book for `analysis` (itself when it is one already)."""
    return analysis if isinstance(analysis, Book) else Book(analysis)


def once(analysis: Analysis | Book, key: object, make: Callable[[], T]) -> T:
    """`make()` once per Book and language; straight through for a bare Analysis (one digest, nothing to share)."""
    return analysis.once(key, make) if isinstance(analysis, Book) else make()
