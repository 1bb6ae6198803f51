"""The copy checker's second layer: context that says a candidate is not a claim.

A rule's patterns find candidates; the filters here drop the ones a reader
would not take as a claim (COMPLIANCE.md, "Practical notes"): an exception
overlapping the candidate in its sentence (第一次, best before), a negation in
the clause before or after it (不承诺保过), a warning or mandatory statement
anywhere in its sentence, an exception that holds only when the whole text
says something (`when`: the health-food statement), and — for `word = "whole"`
rules — a candidate that is only part of a longer word (最 in 最终).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence, Set
from functools import lru_cache

from .compliance_pattern import LazyPattern
from .compliance_rules import Rule

# A `before`/`after` window stops at the end of the clause (a negation in the
# previous clause does not cover this one); an exception is sought in the whole
# sentence, because names and mandatory statements can sit across a comma.
_CLAUSE_END = re.compile(r"[。！？!?；;，,、：:\n]|\.(?=\s|$)")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")
_EXCEPTION_REACH = 40  # characters either side of a candidate searched for exceptions
# A `sentence` filter reads the candidate's whole sentence, up to this far either side: a regulator's
# "be skeptical… there is no clear proof that any supplement — … — will treat diabetes" puts its
# marker well before the claim it quotes.
_SENTENCE_REACH = 200


def _boundary_before(pattern: re.Pattern[str], text: str, start: int, reach: int) -> int:
    """Index just after the last clause/sentence end before `start`, at most `reach` back."""
    lo = max(0, start - reach)
    last = lo
    for match in pattern.finditer(text, lo, start):
        last = match.end()
    return last


def _boundary_after(pattern: re.Pattern[str], text: str, end: int, reach: int) -> int:
    """Index of the first clause/sentence end at or after `end`, at most `reach` ahead."""
    hi = min(len(text), end + reach)
    match = pattern.search(text, end, hi)
    return match.start() if match else hi


def term_span(match: re.Match[str]) -> tuple[int, int]:
    """The span a reviewer points at: the pattern's (?P<term>...) group if it has one, else the whole match."""
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("term"):
            return match.span(name)
    return match.span()


@lru_cache(maxsize=8)
def _word_starts(text: str) -> tuple[int, ...]:
    """Where each word of the text starts, by jieba's dictionary (rjieba): computed once per text.

    Only texts with a candidate of a `word = "whole"` rule get here, so most
    texts are never segmented and rjieba is imported on first need.
    """
    import rjieba

    return tuple(start for _word, start, _end in rjieba.tokenize(text))


def _inside_other_word(rule: Rule, text: str, start: int, end: int) -> bool:
    """True when the candidate is part of a longer word (最 in 最终, 第一 in 第一次, 最高 in 最高峰).

    A word cut by either edge of the candidate makes it "not a claim", unless
    that word is one of the pack's claim words (全网最低 cut from 最低价).
    """
    starts = _word_starts(text)
    cut: list[str] = []
    at = bisect_right(starts, start) - 1
    if at >= 0 and starts[at] < start:
        cut.append(text[starts[at] : starts[at + 1] if at + 1 < len(starts) else len(text)])
    after = bisect_right(starts, end - 1)
    word_end = starts[after] if after < len(starts) else len(text)
    if word_end > end:
        cut.append(text[starts[after - 1] : word_end])
    return bool(cut) and not any(word in rule.claim_words for word in cut)


def _overlaps(patterns: Sequence[re.Pattern[str]], text: str, lo: int, hi: int, start: int, end: int) -> bool:
    """True when a match of one of the patterns within text[lo:hi] overlaps the candidate."""
    return any(m.start() < end and start < m.end() for p in patterns for m in p.finditer(text, lo, hi))


def filter_patterns(rule: Rule) -> Iterator[LazyPattern]:
    """Every regex of the rule's context filters and text gates (what Prefilter screens per text)."""
    yield from (*rule.exceptions, *rule.before, *rule.after, *rule.sentence, *rule.requires, *rule.absent)
    yield from (p for pair in rule.guarded for group in pair for p in group)


class ContextFilters:
    """A rule's context filters that can fire in one text; `screened` leaves out those whose words it lacks."""

    __slots__ = ("absent", "after", "before", "exceptions", "guarded", "requires", "sentence")

    def __init__(self, rule: Rule, possible: Set[str] | None = None) -> None:
        """`possible`: the filter regexes that can match the text (Prefilter.screen); None keeps them all."""

        def keep(patterns: tuple[LazyPattern, ...]) -> tuple[LazyPattern, ...]:
            if possible is None or not patterns:
                return patterns
            return tuple(p for p in patterns if p.pattern in possible)

        self.exceptions = keep(rule.exceptions)
        self.before = keep(rule.before)
        self.after = keep(rule.after)
        self.sentence = keep(rule.sentence)
        self.requires = keep(rule.requires)
        self.absent = keep(rule.absent)
        guarded = ((keep(when), keep(exceptions)) for when, exceptions in rule.guarded)
        self.guarded = tuple((when, exceptions) for when, exceptions in guarded if when and exceptions)


def text_conditions_hold(rule: Rule, filters: ContextFilters, text: str) -> bool:
    """Text-level gates: e.g. a missing-disclosure rule needs a purchase cue and no ad label anywhere."""
    if rule.requires and not any(p.search(text) for p in filters.requires):
        return False
    return not any(p.search(text) for p in filters.absent)


def is_filtered(rule: Rule, text: str, start: int, end: int, filters: ContextFilters | None = None) -> bool:
    """True when a context filter says the candidate is not a claim.

    `filters`: the rule's filters screened for this text (ContextFilters); None runs them all.
    """
    f = filters or ContextFilters(rule)
    if f.exceptions or f.sentence or f.guarded:
        lo = _boundary_before(_SENTENCE_END, text, start, _EXCEPTION_REACH)
        hi = _boundary_after(_SENTENCE_END, text, end, _EXCEPTION_REACH)
        if _overlaps(f.exceptions, text, lo, hi, start, end):
            return True
        for when, exceptions in f.guarded:
            if _overlaps(exceptions, text, lo, hi, start, end) and any(p.search(text) for p in when):
                return True
        if f.sentence:
            lo = _boundary_before(_SENTENCE_END, text, start, _SENTENCE_REACH)
            hi = _boundary_after(_SENTENCE_END, text, end, _SENTENCE_REACH)
            sentence = text[lo:hi]
            if any(p.search(sentence) for p in f.sentence):
                return True
    if f.before:
        lo = _boundary_before(_CLAUSE_END, text, start, rule.window)
        window = text[lo:start]
        if any(p.search(window) for p in f.before):
            return True
    if f.after:
        hi = _boundary_after(_CLAUSE_END, text, end, rule.window)
        window = text[end:hi]
        if any(p.search(window) for p in f.after):
            return True
    return rule.word == "whole" and _inside_other_word(rule, text, start, end)
