"""Evasion-proof text for the copy checker: one script, no separators, no pinyin, with a map back to the original.

`Normaliser` is what the checker runs on a text before matching, in order:
1. fold, one character for one (offsets carry over): the pack's `[fold]`
   table first (it wins), then full-width letters and digits, compatibility
   ideographs and Kangxi radicals to their plain forms (NFKC where it maps one
   character to one; full-width punctuation stays, the clause filters read it),
   then traditional → simplified Chinese with OpenCC (t2s), only when the text
   has a character outside GB2312 or one of the few GB2312 characters t2s
   changes — most simplified copy never loads OpenCC;
2. `squeeze` (below): separators inserted inside a term;
3. pinyin and initials written for a watch-listed term's characters
   (compliance_pinyin.py: zui好 → 最好, zl → 治疗).
The map gives, for each character of the result, the span of the original it
came from, so a finding quotes the text as written (zui好, 最*好, 國家級).

Separators:

Social copy hides a banned term from keyword filters by putting something
between its characters: 最*好, 治·愈, 第 一, 7 天美白, a zero-width space, an
emoji, or letter-spacing in English (b e s t, c.u.r.e). `squeeze` removes
such separators and returns, with the squeezed text, where each of its
characters came from, so that a finding still quotes and points into the
text as written (a span over 最*好 is the three characters 最*好).

What is removed, and nothing else (clause punctuation stays, the context
filters need it):
- zero-width and other invisible format characters, anywhere;
- a short run of spaces, dots, asterisks, slashes, hyphens, tildes, bars or
  emoji between two CJK characters;
- a short run of spaces between a digit and a CJK character (7 天 → 7天,
  第 1 → 第1). Two digits are never joined: "10 0天" stays two numbers,
  so spacing cannot turn one number claim into another;
- the separators of a run of single Latin letters each followed by the same
  space, dot, asterisk or hyphen (b e s t → best, U.S.A → USA, 42l.b.s →
  42lbs); two spaces end a spaced-out word and read as one, so
  "c u r e s  e c z e m a" is "cures eczema", and with dots one space is a
  word space (l.o.s.t i.n → lost in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from . import compliance_pinyin

# A span map: for each character of a normalised text, the start and end of what it came from in the original.
Offsets = tuple[list[int], list[int]]

_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_EMOJI = "\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff"
_SPACE = " \t\u00a0\u3000"
_CJK_SEPARATOR = f"[{_SPACE}.·•・*＊/／\\\\\\-－_~～|｜{_EMOJI}]"

_INVISIBLE_RUN = re.compile(f"[{_INVISIBLE}]+")
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]){_CJK_SEPARATOR}{{1,3}}(?=[{_CJK}])")
_DIGIT_CJK = re.compile(f"(?<=\\d)[{_SPACE}]{{1,2}}(?=[{_CJK}])|(?<=[{_CJK}])[{_SPACE}]{{1,2}}(?=\\d)")
# One separator throughout a word (b e s t, c.u.r.e.d): with dots a single space is a word space
# (l.o.s.t i.n), and a number may come first (42l.b.s).
_SPACED_LETTERS = re.compile(
    r"(?<![A-Za-z_'’])[A-Za-z](?P<sep>[ .*\-])[A-Za-z](?![\w'’])(?:(?P=sep)[A-Za-z](?![\w'’]))*"
)
_WORD_GAP = re.compile(r"  (?=[\w'’])")
_SUSPECTS = (  # cheap tests, one per kind; most copy passes none and is returned as it is
    re.compile(f"[{_INVISIBLE}]"),
    re.compile(f"[{_CJK}]{_CJK_SEPARATOR}|\\d[{_SPACE}]{{1,2}}[{_CJK}]"),
    re.compile(r"(?<![A-Za-z])[A-Za-z][ .*\-][A-Za-z]\b"),
)
_LETTER_SEPARATOR = re.compile(r"[ .*\-]")


def _drops(text: str) -> list[tuple[int, int]]:
    """Spans of `text` to remove, sorted, not overlapping."""
    spans = [m.span() for m in _INVISIBLE_RUN.finditer(text)]
    if spans:  # look for separators as if the invisible characters were gone
        visible = _INVISIBLE_RUN.sub("", text)
        index = [i for i, ch in enumerate(text) if not _INVISIBLE_RUN.match(ch)]
        spans += [(index[a], index[b - 1] + 1) for a, b in _visible_drops(visible)]
    else:
        spans = _visible_drops(text)
    return sorted(set(spans))


def _visible_drops(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _BETWEEN_CJK.finditer(text)]
    spans += [m.span() for m in _DIGIT_CJK.finditer(text)]
    for run in _SPACED_LETTERS.finditer(text):
        spans += [(run.start() + a, run.start() + b) for a, b in (m.span() for m in _LETTER_SEPARATOR.finditer(run[0]))]
        if _WORD_GAP.match(text, run.end()):  # the two spaces after a spaced-out word are one word space
            spans.append((run.end(), run.end() + 1))
    return spans


def squeeze(text: str) -> tuple[str, list[int] | None]:
    """The text without inserted separators, and the original index of each kept character (None: unchanged)."""
    if not any(p.search(text) for p in _SUSPECTS):
        return text, None
    drops = _drops(text)
    if not drops:
        return text, None
    keep = bytearray(b"\x01") * len(text)
    for start, end in drops:
        keep[start:end] = bytes(end - start)
    index = [i for i, k in enumerate(keep) if k]
    return "".join(text[i] for i in index), index


# NFKC where it maps one character to one and the result is a letter or digit: full-width Ａ１ (and ％＋),
# CJK compatibility ideographs, Kangxi radicals (⼀ → 一). Circled ⑩ would be two characters: left alone.
_NFKC_RANGES = (
    (0xFF05, 0xFF05),
    (0xFF0B, 0xFF0B),
    (0xFF10, 0xFF19),
    (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A),
    (0xF900, 0xFAFF),
    (0x2F00, 0x2FD5),
    (0x2E80, 0x2EF3),
    (0x2460, 0x2473),
)
_NFKC_SUSPECT = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _NFKC_RANGES) + "]")
# GB2312 characters that t2s still changes (measured with OpenCC 1.1: the rest of GB2312 is simplified already).
_T2S_IN_GB2312 = "乾菸薹拚捱摺吒後徵夥榘於袷麴醣麽"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_T2S_IN_GB2312_CHAR = re.compile(f"[{_T2S_IN_GB2312}]")


@lru_cache(maxsize=1)
def _nfkc_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for first, last in _NFKC_RANGES:
        for code in range(first, last + 1):
            plain = unicodedata.normalize("NFKC", chr(code))
            if len(plain) == 1 and plain != chr(code) and (plain.isalnum() or plain in "%+"):
                table[code] = plain
    return table


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - opencc ships no type for its converter
    import opencc  # only for copy with a character that could be traditional

    return opencc.OpenCC("t2s.json")


def _could_be_traditional(text: str) -> bool:
    """Cheap test: a CJK character outside GB2312 (which is all simplified), or one of the few t2s changes inside it."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:  # an emoji, a symbol or a traditional character: ask the CJK characters alone
        try:
            "".join(_CJK_CHAR.findall(text)).encode("gb2312")
        except UnicodeEncodeError:
            return True
    return _T2S_IN_GB2312_CHAR.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → simplified, one character for one (offsets carry over).

    OpenCC converts phrases (乾燥 → 干燥 but 乾隆 stays) and may change a
    length (a few phrases map to longer or shorter ones); then each character is
    converted alone, so the result is always as long as the text.
    """
    if not _could_be_traditional(text):
        return text
    converter = _t2s()
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    alone = converter.convert("\n".join(text)).split("\n")
    return "".join(a if len(a) == 1 else ch for ch, a in zip(text, alone, strict=False))


def fold(text: str, table: Mapping[int, str] = {}) -> str:  # noqa: B006 - read only
    """One script, one character for one: the pack's table, full-width and compatibility forms, then t2s."""
    if table:
        text = text.translate(table)
    if text.isascii():  # most English copy: nothing to fold
        return text
    if _NFKC_SUSPECT.search(text):
        text = text.translate(_nfkc_table())
    return to_simplified(text)


@dataclass(frozen=True)
class Normaliser:
    """A market's normalisation: the packs' `[fold]` table and the `[evasion]` watch-list of pinyin-prone terms."""

    table: Mapping[int, str] = field(default_factory=dict)
    terms: tuple[str, ...] = ()  # Chinese terms whose characters may be written in pinyin or initials
    keep: frozenset[str] = frozenset()  # Latin words never read as pinyin (bb, dj: BB cream, a DJ)
    watch_patterns: bool = False  # also watch every literal Chinese word of the rules' patterns
    words: tuple[str, ...] = ()  # those words (filled in by compliance_rules.packs_for)

    @classmethod
    def merged(cls, parts: Iterable[Normaliser]) -> Normaliser:
        """The packs' normalisers as one: later tables override earlier ones, watch-lists add up."""
        table: dict[int, str] = {}
        terms: dict[str, None] = {}
        keep: set[str] = set()
        watch = False
        for part in parts:
            table.update(part.table)
            terms.update(dict.fromkeys(part.terms))
            keep |= part.keep
            watch = watch or part.watch_patterns
        return cls(table, tuple(terms), frozenset(keep), watch)

    def fold(self, text: str) -> str:
        """A Copy rules term as the checker matches it (folded; never squeezed)."""
        return fold(text, self.table)

    def __call__(self, text: str) -> tuple[str, Offsets | None]:
        """The text to match and, unless unchanged in length, where each of its characters came from."""
        text, index = squeeze(fold(text, self.table))
        offsets = None if index is None else (index, [i + 1 for i in index])
        if self.terms or self.words:
            text, spans = compliance_pinyin.unpinyin(text, self.terms, self.words, self.keep)
            if spans is not None:
                if offsets is not None:  # compose: pinyin spans are spans of the squeezed text
                    spans = ([offsets[0][i] for i in spans[0]], [offsets[1][i - 1] for i in spans[1]])
                offsets = spans
        return text, offsets


def original_span(offsets: Offsets | None, start: int, end: int) -> tuple[int, int]:
    """A non-empty span of the normalised text as a span of the original (separators inside it included)."""
    if offsets is None:
        return start, end
    return offsets[0][start], offsets[1][end - 1]
