r"""The first-character lookaheads of the English packs (issue 13, round 4) never hide a match.

Many English patterns start `\b(?=[abc…])(?:alternation…)`: the lookahead names the characters a match
can start with, so Python's regex engine skips every other position quickly (the long verb and disease
alternations were most of `lint-copy`'s English time). It is only correct while it lists every first
character of what follows; a word added to the alternation with a new first letter would silently stop
matching. This test reads each such pattern with Python's own regex parser and checks the lookahead
covers every character the rest of the pattern can start with.
"""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest

from sheetsync.engine.compliance_grammar import expand

RULES = Path(__file__).resolve().parent.parent / "templates" / "rules"
LOOKAHEAD = re.compile(r"^\\b\(\?=\[((?:\\.|[^\]\\])+)\]\)")
_SPACE = set(string.whitespace)


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(characters a match of `items` can start with, lower-cased, or None for "any"; can it be empty)."""
    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op is c.LITERAL:
            return out | {chr(av).lower()}, False
        if op is c.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is c.LITERAL:
                    chars.add(chr(a).lower())
                elif o is c.RANGE:
                    chars |= {chr(x).lower() for x in range(a[0], a[1] + 1)}
                elif o is c.CATEGORY and a is c.CATEGORY_DIGIT:
                    chars |= set(string.digits)
                elif o is c.CATEGORY and a is c.CATEGORY_SPACE:
                    chars |= _SPACE
                else:
                    return None, False
            return out | chars, False
        if op in (c.SUBPATTERN, c.BRANCH, c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            branches = [list(av[-1])] if op is c.SUBPATTERN else av[1] if op is c.BRANCH else [list(av[2])]
            can_be_empty = op not in (c.SUBPATTERN, c.BRANCH) and av[0] == 0
            for branch in branches:
                chars_or_none, empty = _first(list(branch))
                if chars_or_none is None:
                    return None, False
                out |= chars_or_none
                can_be_empty |= empty
            if not can_be_empty:
                return out, False
            continue
        return None, False
    return out, True


def _lookahead_patterns() -> list[tuple[str, str]]:
    found = []
    for path in sorted(RULES.glob("en*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
            found += [(rule["id"], p) for p in rule["patterns"] if LOOKAHEAD.match(p)]
    return found


PATTERNS = _lookahead_patterns()


def test_the_english_packs_use_first_character_lookaheads() -> None:
    assert len(PATTERNS) >= 100


@pytest.mark.parametrize(("rule", "pattern"), PATTERNS, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PATTERNS)])
def test_a_lookahead_lists_every_first_character_of_its_pattern(rule: str, pattern: str) -> None:
    declared = _declared(pattern)
    rest = "\\b" + pattern[LOOKAHEAD.match(pattern).end():]
    starts, empty = _first(list(_parser.parse(expand(rest), re.IGNORECASE)))
    assert starts is not None and not empty, (rule, "the pattern's start cannot be listed")
    assert starts <= declared, (rule, sorted(starts - declared))


def _declared(pattern: str) -> set[str]:
    """The characters the pattern's lookahead class allows, lower-cased."""
    parsed = _parser.parse(f"[{LOOKAHEAD.match(pattern)[1]}]", re.IGNORECASE)
    (op, items), = list(parsed)
    if op is c.LITERAL:  # a class of one character is parsed as that character
        return {chr(items).lower()}
    assert op is c.IN
    chars: set[str] = set()
    for o, a in items:
        if o is c.LITERAL:
            chars.add(chr(a).lower())
        elif o is c.RANGE:
            chars |= {chr(x).lower() for x in range(a[0], a[1] + 1)}
        elif o is c.CATEGORY and a is c.CATEGORY_DIGIT:
            chars |= set(string.digits)
    return chars
