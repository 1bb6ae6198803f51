"""`lint-copy` as a library call: ad texts in, copy findings out, with no workbook involved.

Kept apart from workbook.py so that checking copy imports only the copy checker
(not the sync, analysis and backends a workbook needs): `lint-copy` on a batch
of texts is mostly start-up otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine.compliance import Finding


def lint_copy(
    texts: Iterable[str], *, market: str = "zh", industry: str = "general", evidence: Iterable[str] = ()
) -> Iterator[list[Finding]]:
    """Check each ad text against the market's and industry's rule packs; yields its findings, text by text.

    ``evidence`` names the facts held (EVIDENCE_SETTINGS: a registration, a price history), as a book's
    Project sheet records them: the "needs evidence" findings they clear are not reported.
    """
    from .engine.compliance import load_checker

    checker = load_checker(market, industry, facts=frozenset(evidence))
    for text in texts:
        yield checker.check(text)
