"""Evasion-proof text for the copy checker: separators inserted inside a term are removed before matching.

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
- the separators of a run of single Latin letters each followed by one
  space, dot, asterisk or hyphen (b e s t → best, U.S.A → USA); two spaces
  end such a word and read as one, so "c u r e s  e c z e m a" is "cures eczema".
"""

from __future__ import annotations

import re

_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_EMOJI = "\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff"
_SPACE = " \t\u00a0\u3000"
_CJK_SEPARATOR = f"[{_SPACE}.·•・*＊/／\\\\\\-－_~～|｜{_EMOJI}]"

_INVISIBLE_RUN = re.compile(f"[{_INVISIBLE}]+")
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]){_CJK_SEPARATOR}{{1,3}}(?=[{_CJK}])")
_DIGIT_CJK = re.compile(f"(?<=\\d)[{_SPACE}]{{1,2}}(?=[{_CJK}])|(?<=[{_CJK}])[{_SPACE}]{{1,2}}(?=\\d)")
_SPACED_LETTERS = re.compile(r"(?<![\w'’])[A-Za-z](?:[ .*\-][A-Za-z](?![\w'’])){1,}")
_WORD_GAP = re.compile(r"  (?=[\w'’])")
_SUSPECTS = (  # cheap tests, one per kind; most copy passes none and is returned as it is
    re.compile(f"[{_INVISIBLE}]"),
    re.compile(f"[{_CJK}]{_CJK_SEPARATOR}|\\d[{_SPACE}]{{1,2}}[{_CJK}]"),
    re.compile(r"\b[A-Za-z][ .*\-][A-Za-z]\b"),
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


def original_span(index: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """A non-empty span of the squeezed text as a span of the original (separators inside it included)."""
    if index is None:
        return start, end
    return index[start], index[end - 1] + 1
