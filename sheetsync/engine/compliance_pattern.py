"""A rule pack's regex as the checker holds it: its pattern now, the compiled regex on first use.

A market's packs hold hundreds of regexes and a text needs a handful; compiling
them all on every start was most of `lint-copy`'s start-up. compliance_rules
builds a LazyPattern per pattern (placeholders expanded, so an unknown `{NAME}`
is an error at once); compliance_cache validates a market's patterns and hands
each the compiled code it keeps on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from re import _constants as sre  # type: ignore[attr-defined]  # the regex parser's opcodes (Python >= 3.11)
from re import _parser as sre_parse  # type: ignore[attr-defined]

from ..errors import SheetsyncError
from .compliance_grammar import UnknownPlaceholder, expand


class RulePackError(SheetsyncError):
    """A rule pack cannot be used: bad TOML, unknown category, a regex that does not compile."""


class LazyPattern:
    """A pack regex, compiled the first time a text needs it (most rules never run on most texts).

    Quacks like the `re.Pattern` it stands for (`pattern`, `search`, `finditer`...). `check()` compiles
    it now and turns a bad regex into a RulePackError naming the pack and rule.
    """

    __slots__ = ("_compiled", "code", "parts", "pattern", "raw", "where")

    def __init__(self, pattern: str, raw: str, where: str, parts: tuple[str, ...] = ()) -> None:
        self.pattern = pattern  # expanded ({NUM}... replaced), as re.compile sees it
        self.raw = raw  # as the pack writes it, for error messages
        self.where = where
        self.parts = parts  # a combined rule regex: its patterns, each checked alone for a precise error
        self._compiled: re.Pattern[str] | None = None
        self.code: Callable[[], re.Pattern[str]] | None = None  # a cached compiled form (compliance_cache)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = self._from_code() or self.check()
        return self._compiled

    def _from_code(self) -> re.Pattern[str] | None:
        try:
            return self.code() if self.code else None
        except Exception:  # noqa: BLE001  # a cache that does not fit: compile from the pattern instead
            return None

    def check(self) -> re.Pattern[str]:
        """Compile now; a regex that does not compile is a RulePackError naming pack and rule."""
        for part in self.parts:
            compile_pattern(part, self.where).check()
        try:
            re.compile(self.pattern, re.IGNORECASE)  # the pattern as written must compile
            return re.compile(scan_form(self.pattern), re.IGNORECASE)
        except re.error as exc:
            raise RulePackError(f"{self.where}: regex {self.raw!r} does not compile: {exc}; fix the pattern.") from exc

    def search(self, text: str, *span: int) -> re.Match[str] | None:
        return self.compiled.search(text, *span)

    def finditer(self, text: str, *span: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, *span)

    def __getattr__(self, name: str) -> object:  # match, fullmatch, groupindex...: the compiled pattern's
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def compile_pattern(pattern: object, where: str) -> LazyPattern:
    """A pattern of `where` with its placeholders expanded; the regex itself is compiled on first use."""
    if not isinstance(pattern, str) or not pattern:
        raise RulePackError(f"{where}: a pattern must be a non-empty string, got {pattern!r}.")
    try:
        return LazyPattern(expand(pattern), pattern, where)
    except UnknownPlaceholder as exc:
        raise RulePackError(f"{where}: pattern {pattern!r}: {exc}; fix the placeholder.") from exc


# --- a faster scan of the same regex --------------------------------------------------------------
# Python's regex engine skips ahead quickly only to a pattern's known first characters, and under
# IGNORECASE it knows none as soon as one is a letter: an English rule of a hundred words was tried
# word by word at every position of every text. A lookahead on the set of characters any match can
# start with fails at once where no match can start, and changes no match (it is zero-width and only
# restates what the pattern requires); patterns whose first characters are not a simple set, or that
# can match the empty string, are left alone.

_CATEGORY = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)

First = tuple[set[str], bool] | None  # class items a match can start with, and whether it can be empty


def _class_items(items: list[tuple[object, object]]) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(re.escape(chr(av)))  # type: ignore[arg-type]
        elif op is sre.RANGE:
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")  # type: ignore[index]
        elif op is sre.CATEGORY and av in _CATEGORY:
            out.add(_CATEGORY[av])  # type: ignore[index]
        else:
            return None  # a negated class, or something rarer
    return out


def _first(items: list[tuple[object, object]]) -> First:
    chars: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        one = _first_of(op, av)
        if one is None:
            return None
        chars |= one[0]
        if not one[1]:
            return chars, False
    return chars, True


def _first_of(op: object, av: object) -> First:
    if op is sre.LITERAL:
        return {re.escape(chr(av))}, False  # type: ignore[arg-type]
    if op is sre.IN:
        items = _class_items(av)  # type: ignore[arg-type]
        return None if items is None else (items, False)
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, inner = av  # type: ignore[misc]
        return None if add_flags or del_flags else _first(list(inner))
    if op is sre.ATOMIC_GROUP:
        return _first(list(av))  # type: ignore[arg-type]
    if op is sre.BRANCH:
        chars: set[str] = set()
        empty = False
        for branch in av[1]:  # type: ignore[index]
            one = _first(list(branch))
            if one is None:
                return None
            chars |= one[0]
            empty = empty or one[1]
        return chars, empty
    if op in _REPEATS:
        low, _high, inner = av  # type: ignore[misc]
        one = _first(list(inner))
        return None if one is None else (one[0], one[1] or low == 0)
    return None


def scan_form(pattern: str) -> str:
    """`pattern` behind a lookahead on its possible first characters, when that set is known (else as is)."""
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return pattern  # compiling it says what is wrong
    if parsed.state.flags & ~(re.IGNORECASE | re.UNICODE):
        return pattern  # inline global flags must stay first
    first = _first(list(parsed))
    if first is None or first[1] or not first[0]:
        return pattern
    return f"(?=[{''.join(sorted(first[0]))}])(?:{pattern})"
