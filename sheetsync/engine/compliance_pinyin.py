"""Pinyin and initials written in place of a watch-listed term's characters, read back as the term.

Social copy dodges keyword filters by spelling part of a banned term in
pinyin (zui好, 第yi, zhi愈), the whole term in pinyin (zhiyu) or its initials
(zl for 治疗). The rule packs name the terms worth watching (`[evasion]
terms`, templates/rules/README.md); `unpinyin` rewrites a Latin run back into
the term's characters when the mixed spelling is that term, and says where
each character of the result came from, so a finding quotes "zui好".

Precision comes first, because Chinese copy is full of ordinary Latin words
(iPhone, SPF50, VC, App, ok):
- only lower-case runs of two letters or more (iPhone, App, VC, SPF are never
  read); a run touching a digit is a model number or a unit, never pinyin;
- part of a term in pinyin counts only beside the rest of the term in
  characters (zui好, 第yi); a whole term in pinyin only when it has two or more
  characters (zhiyu), or, for one character (zui), when the run touches
  Chinese text;
- initials only for a whole watch-listed term of two characters or more (a
  pattern's word: three or more), beside Chinese text, never a word of the
  packs' `keep` list (bb, dj), and only when they spell one term — one of the
  pack's list if any does, else one pattern word (dy is 第一 or 代言: left alone).
pypinyin's character dictionary is read only when a run could be pinyin at all
(a cheap syllable test), so most copy never loads it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TWO_LOWER = re.compile("[a-z]{2}")
_LATIN_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?![A-Za-z0-9])")
_SYLLABLES = re.compile(
    r"(?:(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn|ia|ie|iu|ua|uo|ue|ui|ve"
    r"|a|o|e|i|u|v))+"
)
_INITIALS = re.compile(r"[bpmfdtnlgkhjqxrzcsyw]{2,6}")
_MAX_READINGS = 16  # spellings kept per term block (heteronyms multiply)


@dataclass(slots=True)
class _Spelling:
    """term[first:last] spelled in Latin letters; `cuts` are the letters per character."""

    term: str
    first: int
    last: int
    cuts: tuple[int, ...]
    initials: bool
    watched: bool  # a term of the pack's list, not only a word of a pattern


_CHAR_CLASS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]")
_LITERAL_RUN = re.compile(f"[{_CJK}]{{2,}}")


def pattern_terms(pattern: str) -> list[str]:
    """The literal Chinese words of a regex (治愈 and 根治 in '(?:治愈|根治)(?:率)?'), for the watch-list.

    Character classes and escapes are skipped, and a character made optional
    by a quantifier is left off its run (最佳? gives 最 alone, which is dropped).
    """
    plain = _CHAR_CLASS.sub(" ", pattern)
    words = []
    for run in _LITERAL_RUN.finditer(plain):
        word = run[0][:-1] if plain[run.end() : run.end() + 1] in ("?", "*", "{", "+") else run[0]
        if len(word) >= 2:
            words.append(word)
    return words


@lru_cache(maxsize=1)
def _pinyin_dict() -> dict:
    """pypinyin's character dictionary (code point → "lè,yuè").

    Read from its data file without importing the package, whose phrase
    dictionary (not needed for single characters) costs a quarter of a second
    at start-up; any other layout of pypinyin falls back to the import.
    """
    import importlib.util
    import json

    spec = importlib.util.find_spec("pypinyin")
    folders = (spec.submodule_search_locations or []) if spec else []
    data = Path(folders[0]) / "pinyin_dict.json" if folders else None
    if data is not None and data.is_file():
        return {int(code): readings for code, readings in json.loads(data.read_text(encoding="utf-8")).items()}
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@lru_cache(maxsize=4096)
def _readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of a character (乐: le, yue), ü written v; () for a character pypinyin lacks."""
    readings = _pinyin_dict().get(ord(char), "").split(",")
    toneless = (unicodedata.normalize("NFD", r).replace("u\u0308", "v") for r in readings)
    plain = {"".join(c for c in r if c.isascii()) for r in toneless}
    return tuple(sorted(r for r in plain if r.isalpha()))


@lru_cache(maxsize=8)
def _index(terms: tuple[str, ...], words: tuple[str, ...]) -> dict[str, list[_Spelling]]:
    """Spellings of the watch-list: every part of a term in full syllables; a whole term in initials.

    `terms` are the pack's evasion-prone terms (any part in pinyin; initials
    from two characters), `words` the patterns' literal words (one character
    or the whole word in pinyin; initials from three characters: two letters
    spell too many of them to mean one).
    """
    index: dict[str, list[_Spelling]] = {}
    for term in dict.fromkeys((*terms, *words)):
        readings = [_readings(ch) for ch in term]
        if not all(readings):
            continue
        watched = term in terms
        for first in range(len(term)):
            for last in range(first + 1, len(term) + 1):
                if not watched and last - first not in (1, len(term)):
                    continue
                for combo in itertools.islice(itertools.product(*readings[first:last]), _MAX_READINGS):
                    spelling = _Spelling(term, first, last, tuple(len(s) for s in combo), False, watched)
                    index.setdefault("".join(combo), []).append(spelling)
        if len(term) >= (2 if watched else 3):
            for letters in sorted({"".join(r[0] for r in combo) for combo in itertools.product(*readings)}):
                index.setdefault(letters, []).append(_Spelling(term, 0, len(term), (1,) * len(term), True, watched))
    return index


def _could_be_pinyin(run: str) -> bool:
    """Cheap test before pypinyin is loaded: lower case, two letters or more, pinyin syllables or initials."""
    return run.islower() and len(run) >= 2 and bool(_SYLLABLES.fullmatch(run) or _INITIALS.fullmatch(run))


def _fits(spelling: _Spelling, run: str, text: str, start: int, end: int, keep: frozenset[str]) -> bool:
    """The run, with the text around it, spells the whole term, and the precision conditions hold."""
    if run in keep:
        return False
    term = spelling.term
    before, after = term[: spelling.first], term[spelling.last :]
    if text[start - len(before) : start] != before or start < len(before) or text[end : end + len(after)] != after:
        return False
    touches_cjk = bool(_CJK_CHAR.match(text[start - 1 : start]) if start else False) or bool(
        _CJK_CHAR.match(text, end) if end < len(text) else False
    )
    if spelling.initials:
        return touches_cjk
    return bool(before or after) or len(term) >= 2 or touches_cjk


def _choose(
    run: str, text: str, start: int, end: int, index: dict[str, list[_Spelling]], keep: frozenset[str]
) -> _Spelling | None:
    """The longest term the run spells in its place; initials only when they spell one term (a listed one first)."""
    spellings = index.get(run, [])
    initials = [s for s in spellings if s.initials]
    if initials:
        listed = {s.term for s in initials if s.watched}
        meant = listed if listed else {s.term for s in initials}
        spellings = [s for s in spellings if not s.initials or (len(meant) == 1 and s.term in meant)]
    fitting = [s for s in spellings if _fits(s, run, text, start, end, keep)]
    return max(fitting, key=lambda s: (len(s.term), not s.initials), default=None)


def unpinyin(
    text: str, terms: tuple[str, ...], words: tuple[str, ...], keep: frozenset[str]
) -> tuple[str, tuple[list[int], list[int]] | None]:
    """The text with watch-listed terms' pinyin read back as characters, and each character's original span.

    None for the spans: nothing was rewritten (the text is returned as it is).
    """
    if not _TWO_LOWER.search(text) or not _CJK_CHAR.search(text):
        return text, None
    runs = [m for m in _LATIN_RUN.finditer(text) if _could_be_pinyin(m[0])]
    if not runs:
        return text, None
    index = _index(terms, words)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for run in runs:
        spelling = _choose(run[0], text, run.start(), run.end(), index, keep)
        if spelling is None:
            continue
        pieces.append(text[done : run.start()])
        starts.extend(range(done, run.start()))
        ends.extend(range(done + 1, run.start() + 1))
        at = run.start()
        for char, width in zip(spelling.term[spelling.first : spelling.last], spelling.cuts, strict=True):
            pieces.append(char)
            starts.append(at)
            ends.append(at + width)
            at += width
        done = run.end()
    if not pieces:
        return text, None
    pieces.append(text[done:])
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return "".join(pieces), (starts, ends)
