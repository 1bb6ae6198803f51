"""`lint-copy` as a library call: ad texts in, copy findings out, with no workbook involved.

Kept apart from workbook.py so that checking copy imports only the copy checker
(not the sync, analysis and backends a workbook needs): `lint-copy` on a batch
of texts is mostly start-up otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .contract import EVIDENCE_SETTINGS, SETTINGS
from .errors import UsageError
from .i18n import _, current, pick

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

    checker = load_checker(market, industry, facts=frozenset(map(_fact_key, evidence)))  # industry: 化妆品 too
    for text in texts:
        yield checker.check(text)


def _fact_key(fact: str) -> str:
    """The canonical evidence fact for `fact`: `cosmetics_registration`, or the Project setting that records it
    (`Cosmetics registration`, `特殊化妆品注册证号`)."""
    zh_names = {s.name: s.zh for s in SETTINGS}
    names = {key: (key, setting, zh_names[setting]) for key, setting in EVIDENCE_SETTINGS.items()}
    wanted = "".join(fact.split()).lower().replace("_", "")
    for key, spellings in names.items():
        if wanted in {"".join(name.split()).lower().replace("_", "") for name in spellings}:
            return key
    raise _refused(_(
        'the evidence "{fact}" is unknown; use one of {choices}',
        fact=fact, choices=pick(None, ", ", "、").join(pick(None, key, names[key][2]) for key in EVIDENCE_SETTINGS),
    ))


def _refused(message: str) -> UsageError:
    error = UsageError(message)
    error.lang = current()  # worded in the active language (lint-copy: the market's); said in it
    return error
