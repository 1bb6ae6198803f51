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
            return re.compile(self.pattern, re.IGNORECASE)
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
