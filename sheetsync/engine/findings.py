"""The copy findings of the Reviews sheet: worded for its Findings cell, and remembered between syncs.

describe_findings writes the Findings cell. FindingsMemo keeps findings per distinct text
between syncs, so a year-long book's copy is checked once.

Checking one text costs the checker about 0.15 ms; a book with 20,000 Reviews rows of
distinct copy would pay 3 s on every sync, though its copy rarely changes between two.
The findings of a text depend only on the text and on what the checker was built from:
the rule packs' bytes, the checker's code (and contract.py's labels, the installed pypinyin, opencc,
rjieba and ahocorasick), the market and industry, the book's own Copy rules terms, the facts it records,
the active language (a Copy rules finding names its source in the book's language) and the catalogues
that word them. FindingsMemo keys a file in the user's cache folder
(disk_cache) by a hash of all of those, keeps text → findings in it, and answers a text it
holds without asking the checker; anything else is checked and added. A file that is
missing, unreadable, corrupt, for another key or writable by another user is ignored (the texts
are checked again), one that cannot be written is no error; past MAX_FILES keys the least
recently used file goes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from .. import i18n
from ..contract import SEVERITY, choice_label, flag_label
from ..i18n import _, current
from .compliance import CopyChecker, Finding, category_name, industry_key, load_checker
from .compliance_rules import default_rules_dir, load_packs
from .disk_cache import cache_dir, installed, keep, load
from .reviews import FindingLike, ReviewOutcome, with_remedy

_FORMAT = 1
_FIELDS = tuple(field.name for field in dataclasses.fields(Finding))
_TYPES = tuple(int if field.type in (int, "int") else str for field in dataclasses.fields(Finding))
MAX_TEXTS = 100_000  # past this the file starts again from one sync's texts (a file of a few MB at most)
MAX_FILES = 64  # findings files kept in the cache folder (one per key: books, settings, Copy rules, languages)
# What else a finding's words come from: the contract's setting labels (Project › Efficacy report), and the
# libraries the checker reads text with (pinyin readings, traditional → simplified, word starts, literals).
_CONTRACT = Path(__file__).parents[1] / "contract.py"
_LIBRARIES = ("pypinyin", "opencc", "rjieba", "ahocorasick")


def memo_key(checker: object, custom: Sequence[object], rules_dir: Path | None = None) -> str:
    """The hash a checker's answers are kept under: packs, engine code, market, industry, Copy rules, facts."""
    folder = (rules_dir or default_rules_dir()).resolve()
    digest = hashlib.sha256(f"{_FORMAT}|{sys.version}|{_FIELDS}|{_installed()}".encode())
    for pack in load_packs(str(folder)):  # as this process read them (cached), like the checker it builds
        digest.update(f"|{pack.name}|{pack.digest}".encode())
    market, industry = getattr(checker, "market", ""), getattr(checker, "industry", "")
    facts = sorted(getattr(checker, "facts", ()))
    kind = getattr(checker, "kind", "") or _kind(type(checker))  # another checker, other findings
    # A Copy rules term's finding names its source in the active language (the book's), not the market's;
    # the evidence note is worded in the market's: both catalogues' words are the findings' words.
    lang = current()
    digest.update(f"|{kind}|{market}|{industry}|{facts}|{lang}|{[repr(term) for term in custom]}".encode())
    for name in sorted({lang, i18n.normalise(market) or lang}):
        digest.update(_words(i18n._catalogue(name)).encode())
    return digest.hexdigest()


@functools.cache
def _installed() -> str:
    """The checker's code, contract.py and the libraries it reads text with, once per process.

    Read once: a `sheetsync serve` process keeps running the code it imported when an upgrade rewrites the
    files under it, and what it checks must stay under that code's key, not the new files' (a process
    started after the upgrade would take the old code's findings for its own).
    """
    digest = hashlib.sha256()
    for code in [*sorted(Path(__file__).parent.glob("compliance*.py")), _CONTRACT]:
        digest.update(code.name.encode() + b"\0" + code.read_bytes())
    digest.update("\n".join(map(installed, _LIBRARIES)).encode())  # which copy reads the text
    return digest.hexdigest()


@functools.cache
def _words(catalogue: object) -> str:
    """A loaded catalogue's messages, hashed once: the words this process translates with (not the .mo file
    on disk, which an upgrade may have replaced since it was read)."""
    messages = getattr(catalogue, "_catalog", {})
    return hashlib.sha256(repr(sorted(messages.items(), key=repr)).encode()).hexdigest()


def _kind(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class _Spec(NamedTuple):
    """What a book's checker is built from, as load_checker spells it on the checker: enough for its memo key."""

    market: str
    industry: str
    facts: frozenset[str]
    kind: str = _kind(CopyChecker)


def book_checker(
    market: str, industry: str, custom: Sequence[object], facts: frozenset[str], rules_dir: Path | None = None
) -> FindingsMemo:
    """The book's copy checker behind its memo, built only when a text is not remembered.

    Building and warming the checker (compiling the packs' rules, loading the segmenter) costs 0.1–0.2 s,
    a third of a Sync now click on a small book; a book whose copy an earlier sync checked never pays it.
    Market and industry are the Project sheet's, already checked against their choices.
    """
    spec = _Spec((market or "zh").strip().lower(), industry_key(industry), frozenset(facts))
    key = memo_key(spec, custom, rules_dir)
    return FindingsMemo(None, key, build=lambda: load_checker(market, industry, custom, rules_dir, facts))


class FindingsMemo:
    """A checker's `check`, answered from the findings kept for this key where it can be.

    `checker` may be None with `build` making it on the first text not remembered.
    `hits` and `checked` count the texts answered from memory and those the checker read.
    """

    def __init__(
        self, checker: object | None, key: str, folder: Path | None = None, build: Callable[[], object] | None = None
    ) -> None:
        self._checker, self._build = checker, build
        self._key = key
        self._path = (folder or cache_dir()) / f"findings-{key[:32]}.marshal"
        self._kept: dict[str, tuple[tuple, ...]] = self._load()
        self._added: dict[str, tuple[tuple, ...]] = {}
        self.hits = self.checked = 0

    @property
    def checker(self) -> object:
        """The checker itself, built now if it was not yet."""
        if self._checker is None and self._build is not None:
            self._checker = self._build()
        return self._checker

    def __getattr__(self, name: str) -> object:  # market, industry, facts...: the checker's own
        if name.startswith("_"):  # not yet set while __init__ runs
            raise AttributeError(name)
        return getattr(self.checker, name)

    def _load(self) -> dict[str, tuple[tuple, ...]]:
        data = load(self._path)  # None when missing, damaged or someone else's
        if not isinstance(data, dict) or data.get("key") != self._key or not isinstance(data.get("findings"), dict):
            return {}
        return data["findings"]

    def check(self, text: str) -> list[Finding]:
        kept = self._kept.get(text)
        if kept is None:
            kept = self._added.get(text)
        # a damaged entry under the right key (each field's type is checked: 0.3 µs a finding) is checked again
        if type(kept) is tuple and all(type(values) is tuple and tuple(map(type, values)) == _TYPES for values in kept):
            self.hits += 1
            return [Finding(*values) for values in kept]
        self.checked += 1
        findings = list(self.checker.check(text))  # type: ignore[attr-defined]
        if all(type(f) is Finding for f in findings):
            self._added[text] = tuple(tuple(getattr(f, name) for name in _FIELDS) for f in findings)
        return findings

    def save(self) -> None:
        """Keep what this sync checked for the next one (nothing is written when every text was known, the
        file only marked as used), and drop the least recently used files past MAX_FILES."""
        if not self._added:
            if self.hits:
                with contextlib.suppress(OSError):
                    os.utime(self._path)
            return
        findings = self._kept if len(self._kept) + len(self._added) <= MAX_TEXTS else {}
        findings.update(self._added)
        self._kept, self._added = findings, {}
        try:
            data = marshal.dumps({"key": self._key, "findings": findings})
        except ValueError:  # a finding's field marshal cannot keep: checked again next time
            return
        keep(self._path, data)
        _prune(self._path.parent)


def _prune(folder: Path) -> None:
    """Each edit of a book's Copy rules or settings starts a file under a new key (up to a few MB each): past
    MAX_FILES the least recently used go, so years of edits do not fill the disk."""
    with contextlib.suppress(OSError):
        files = [(path.stat().st_mtime_ns, path) for path in folder.glob("findings-*.marshal")]
        for _used, path in sorted(files, reverse=True)[MAX_FILES:]:
            path.unlink(missing_ok=True)


def describe_findings(findings: Sequence[FindingLike]) -> str:
    """The Findings cell, in the book's language: one line per finding — term, category, severity, source
    (and a safer wording). The market only decided which rules found them."""
    lines = []
    for f in findings:
        line = _(
            '"{term}" {category} · {severity} · {source}',
            term=f.term,
            category=category_name(f.category),
            severity=choice_label(f.severity, SEVERITY),
            source=f.source,
        )
        lines.append(with_remedy(line, f))
    return "\n".join(lines)


def review_cells(outcomes: Mapping[int, ReviewOutcome]) -> dict[int, tuple[str | None, str]]:
    """Each Reviews row's Findings and Flag cells, by row, in the book's language.

    The same copy's findings fill thousands of rows (one tuple per distinct text): they are worded once,
    found by identity, the tuple kept beside its words so that identity stays its own.
    """
    described: dict[int, tuple[tuple, str | None]] = {}
    flags: dict[str, str] = {}
    cells = {}
    for row, outcome in outcomes.items():
        known = described.get(id(outcome.findings))
        if known is None:
            known = described[id(outcome.findings)] = (outcome.findings, describe_findings(outcome.findings) or None)
        flag = flags.get(outcome.flag) or flags.setdefault(outcome.flag, flag_label(outcome.flag))
        cells[row] = (known[1], flag)
    return cells
