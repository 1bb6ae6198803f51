"""`lint-copy` as a library call: ad texts in, copy findings out, with no workbook involved.

Kept apart from workbook.py so that checking copy imports only the copy checker
(not the sync, analysis and backends a workbook needs): `lint-copy` on a batch
of texts is mostly start-up otherwise.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING

from .contract import EVIDENCE_SETTINGS, SETTINGS
from .errors import UsageError
from .i18n import _, current, pick

if TYPE_CHECKING:
    from .engine.compliance import CopyChecker, Finding

# Past this many texts a batch is checked on every core (below it a worker costs more than it saves): the
# texts go to the workers in chunks of this size and their findings come back in order.
CHUNK = 1000
_checker: CopyChecker | None = None  # the pool workers' checker: inherited when they are forked


def lint_copy(
    texts: Iterable[str],
    *,
    market: str = "zh",
    industry: str = "general",
    evidence: Iterable[str] = (),
    jobs: int | None = None,
) -> Iterator[list[Finding]]:
    """Check each ad text against the market's and industry's rule packs; yields its findings, text by text.

    ``evidence`` names the facts held (EVIDENCE_SETTINGS: a registration, a price history), as a book's
    Project sheet records them: the "needs evidence" findings they clear are not reported. The texts after
    the first CHUNK are checked by ``jobs`` processes (default: one per core; 1 = all in this process), where
    the platform can fork them with the rules already compiled, a chunk at a time; findings keep the texts'
    order.
    """
    from .engine.compliance import load_checker

    checker = load_checker(market, industry, facts=frozenset(map(_fact_key, evidence)))  # industry: 化妆品 too
    iterator = iter(texts)
    # The first CHUNK texts are answered one by one as they come (a short batch, or a caller waiting on each);
    # what follows goes to the workers.
    yield from map(checker.check, islice(iterator, CHUNK))
    rest = _chunks(iterator)
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in rest:
            yield from map(checker.check, chunk)
        return
    following = next(rest, None)
    if following is None:
        return
    global _checker
    _checker = checker
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for findings in pool.imap(_check_chunk, chain([following], rest)):
            yield from findings


def _chunks(texts: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(texts)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _check_chunk(chunk: list[str]) -> list[list[Finding]]:
    """In a pool worker: the findings of each text of one chunk."""
    assert _checker is not None  # set before the pool forked
    return [_checker.check(text) for text in chunk]


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
