r"""Which rules can match a text at all: one Aho-Corasick pass over the literal words every match starts with.

A market's rules are long alternations of words; scanning every text with every
rule is what `lint-copy` spent its time on (10,000 English texts: 2.6 s of 4.2 s
in regex scans). Most texts trigger two or three rules. So for each rule the
pack's regex is read once (Python's own regex parser) to find the literal
strings of which any match of it must contain one — `(?:guarantee|promise)d?`
contains "guarantee" or "promise", `[^，]{0,6}最(?:好|佳)` 最好 or 最佳 — and one
automaton over all of them tells, in a single pass in C, which rules are worth
running. A rule with no such literal (a branch that is only classes and
wildcards, `\w+est`) always runs: the prefilter only
ever skips a rule that cannot match, so findings are exactly the same.

Literals are compared lower-cased (the packs are case-insensitive; the three
characters that `re.IGNORECASE` matches to an ASCII letter but `str.lower` does
not are mapped first); a literal set that would grow past `_MAX_STRINGS` is not
used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from re import _constants as c  # type: ignore[attr-defined]  # the regex parser's opcodes (Python ≥ 3.11)
from re import _parser  # type: ignore[attr-defined]

import ahocorasick

_MAX_STRINGS = 400  # a literal set that would grow past this is not worth an automaton entry
_MAX_CLASS = 12  # a character class of up to this many characters is expanded ([Ss], [保包])
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)  # \b, ^, lookarounds: literals either side stay adjacent
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)

Items = list[tuple[object, object]]


def _class_chars(items: Items) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av).lower())  # type: ignore[arg-type]
        elif op is c.RANGE and av[1] - av[0] < _MAX_CLASS:  # type: ignore[index,operator]
            chars.update(chr(x).lower() for x in range(av[0], av[1] + 1))  # type: ignore[index,operator]
        else:
            return None  # NEGATE, CATEGORY (\d, \w), large ranges
    return chars if 0 < len(chars) <= _MAX_CLASS else None


def _exact(items: Items) -> set[str] | None:
    """Every string `items` can match, when that is a small finite set of literals (else None)."""
    strings = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is c.LITERAL:
            part: set[str] | None = {chr(av).lower()}  # type: ignore[arg-type]
        elif op is c.IN:
            part = _class_chars(av)  # type: ignore[arg-type]
        elif op is c.SUBPATTERN:
            part = _exact(list(av[-1]))  # type: ignore[index]
        elif op is c.BRANCH:
            part = set()
            for branch in av[1]:  # type: ignore[index]
                options = _exact(list(branch))
                if options is None:
                    return None
                part |= options
        elif op in _REPEATS and av[0] == 0 and av[1] == 1:  # type: ignore[index]
            inner = _exact(list(av[2]))  # type: ignore[index]
            part = None if inner is None else inner | {""}
        else:
            return None
        if part is None or len(strings) * len(part) > _MAX_STRINGS:
            return None
        strings = {a + b for a in strings for b in part}
    return strings


# Words in nearly every English text: a literal set holding one filters nothing.
_COMMON = frozenset("the a an and or of to in on for is are it its you your my our we i this that with".split())


def _score(strings: set[str]) -> tuple[int, int]:
    """Higher is a better filter: long strings (up to four characters), then few of them."""
    shortest = min(0 if s.strip() in _COMMON else len(s) for s in strings)
    return (min(shortest, 4), -len(strings))


def _needs(items: Items, run: set[str] | None = None) -> set[str] | None:
    """A set of literals of which every match of `items` contains at least one (None: none known).

    Adjacent literal parts (words, small classes, small literal groups) are joined into runs
    ("guarantee", 最好|最佳); the most selective run, or group that needs one, is chosen.
    """
    best: set[str] | None = None

    def offer(strings: set[str] | None) -> None:
        nonlocal best
        strings = {s for s in strings or ()} if strings else None
        if strings and all(strings) and (best is None or _score(strings) > _score(best)):
            best = strings

    run = run or {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        exact = _exact([(op, av)])
        if exact is not None and "" not in exact and len(run) * len(exact) <= _MAX_STRINGS:
            run = {a + b for a in run for b in exact}
            continue
        offer(run)
        before, run = run, ({""} if exact is None or "" in exact else exact)
        if exact is not None:
            continue
        # A group right after a run may begin with what the run ends with (Python's parser moves a
        # common prefix out of an alternation: no|number → n(?:o|umber)); so its needs carry the run.
        if op is c.SUBPATTERN:
            offer(_needs(list(av[-1]), before))  # type: ignore[index]
        elif op is c.ATOMIC_GROUP:
            offer(_needs(list(av), before))  # type: ignore[arg-type]
        elif op is c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:  # type: ignore[index]
                need = _needs(list(branch), before)
                if need is None:
                    union = set()
                    break
                union |= need
            if len(union) <= _MAX_STRINGS:
                offer(union)
        elif op in _REPEATS and av[0] >= 1:  # type: ignore[index]
            offer(_needs(list(av[2])))  # type: ignore[index]
    offer(run)
    return best


def literal_needs(pattern: str, parsed: object = None) -> frozenset[str] | None:
    """Literals (lower-cased) of which every match of `pattern` contains one, or None when none are known.

    `parsed`: the pattern as `re._parser.parse(pattern, re.IGNORECASE)` already returned it.
    """
    needs = _needs(list(parsed if parsed is not None else _parser.parse(pattern, re.IGNORECASE)))  # type: ignore[call-overload]
    if not needs:
        return None
    # "guarantee" covers "guaranteed": keep only strings that contain no other string of the set.
    return frozenset(s for s in needs if not any(o != s and o in s for o in needs))


# Characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not turn into one.
_CASELESS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
_CASELESS_CHARS = re.compile("[İıſ]")  # rare: a text without them is not translated


class Prefilter:
    """Tells which of a checker's rules (by index) and which of their context filters can match a text.

    Built once per rule set. The filters (compliance_context) are screened in the same pass: a filter
    regex whose literals are not in the text cannot fire anywhere in it, so most of a rule's dozen
    sentence and clause filters are never run (they were most of `lint-copy`'s time once [every_rule]
    lengthened every rule's list).
    """

    def __init__(
        self,
        patterns: Sequence[str],
        needs: Mapping[str, frozenset[str] | None] | None = None,
        filters: Sequence[str] = (),
    ) -> None:
        """`needs`: literal_needs already known per pattern (compliance_cache); the others are worked out.

        `patterns` are the rules' regexes (by index), `filters` their context filters' regexes.
        """
        self.needs = dict(needs or {})
        self._always: list[int] = []
        self._always_filters: list[str] = []  # filters with no literal: they may fire in any text
        automaton = ahocorasick.Automaton()
        keyed: dict[str, tuple[list, list]] = {}
        # A rule is keyed by its index (slot 0), a filter by its regex (slot 1).
        entries = [(p, 0, i) for i, p in enumerate(patterns)] + [(p, 1, p) for p in dict.fromkeys(filters)]
        for pattern, slot, key in entries:
            needs = self._needs_of(pattern)
            if needs is None:  # no literal: it may match any text
                (self._always, self._always_filters)[slot].append(key)
                continue
            for word in needs:
                keyed.setdefault(word, ([], []))[slot].append(key)
        for word, (indices, words_filters) in keyed.items():
            automaton.add_word(word, (word, tuple(indices), tuple(words_filters)))
        self._automaton = automaton if keyed else None
        if keyed:
            automaton.make_automaton()
        self.filtered = len(patterns) - len(self._always)  # rules that can be skipped (for the bench's report)

    def _needs_of(self, pattern: str) -> frozenset[str] | None:
        if pattern not in self.needs:
            self.needs[pattern] = literal_needs(pattern)
        return self.needs[pattern]

    def rules_for(self, text: str) -> list[int]:
        """Indices of the rules that can match `text` (lower-cased here), in their original order."""
        return self.screen(text)[0]

    def screen(self, text: str) -> tuple[list[int], set[str]]:
        """The rules that can match `text`, in their original order, and the filter regexes that can."""
        hit = set(self._always)
        filters = set(self._always_filters)
        if self._automaton is not None:
            seen: set[str] = set()
            if _CASELESS_CHARS.search(text):
                text = text.translate(_CASELESS)
            for _end, (word, indices, word_filters) in self._automaton.iter(text.lower()):
                if word not in seen:  # a word found again adds nothing
                    seen.add(word)
                    hit.update(indices)
                    filters.update(word_filters)
        return sorted(hit), filters
