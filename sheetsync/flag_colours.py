"""Bring a book's flag colour rules up to date: which of sheetsync's own rules a sync rewrites, and what to say.

A template colours each data row by its Flag with one conditional-format rule per
coloured flag (contract.SHEET_ROW_FLAGS). Books made before flags were written in
the book's language match only the English word (``=$O2="OVERDUE"``), so a
Chinese book's rows lose their colours once sheetsync writes 已逾期. A sync
rewrites such a rule to match every spelling of its flag
(``=OR($O2="OVERDUE",$O2="已逾期")``, as new templates have it).

Only rules sheetsync itself made are touched: a formula of exactly that shape,
naming the sheet's Flag column on the first data row, over ranges starting on
that row, each word a spelling of one and the same flag. A person's own rule is
never changed; a rule that mentions flag words in any other shape is left alone,
and when that leaves the book's own words uncoloured the team is told once how
to get the colours back. Pure: backends read the rules (RawSheet.colour_rules)
and apply the fixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .a1 import column_letter
from .contract import FLAG_BY_NAME, FLAGS, ROW_FLAG_COLOURS, SHEET_ROW_FLAGS
from .i18n import _
from .parse.table_view import TableView
from .raw import ColourRule, RawWorkbook

_TEST = r'\$([A-Z]{1,3})\$?(\d+)="([^"]*)"'
_ONE = re.compile(rf"={_TEST}")
_OR = re.compile(rf"=OR\(({_TEST}(?:,{_TEST})*)\)")
_TESTS = re.compile(_TEST)
# Every spelling of every flag → the flag (derived from contract.FLAGS, so a new flag is known at once).
_FLAG_OF_SPELLING = {spelling: flag.name for flag in FLAGS for spelling in (flag.name, flag.zh)}


@dataclass(frozen=True)
class ColourFix:
    """Rewrite one rule of a sheet (``key`` as the backend read it) to ``formula`` (with its '=').

    ``key`` None: add the rule, after the others, over ``ranges`` with ``colours`` (fill, font) — a
    coloured flag (contract.FLAGS) the book's sheetsync rules do not have yet.
    """

    sheet: str
    key: object
    formula: str
    ranges: tuple[tuple[int, int, int, int], ...] = ()
    colours: tuple[str, str] | None = None


def spellings(flag: str) -> tuple[str, ...]:
    """Every word a book may show for a flag: the English word, then the Chinese."""
    return tuple(dict.fromkeys((flag, FLAG_BY_NAME[flag].zh)))


def flag_formula(letter: str, row: int, flag: str) -> str:
    """The rule formula (on ``row``) colouring a row whose Flag cell shows any spelling of ``flag``."""
    tests = ",".join(f'${letter}{row}="{word}"' for word in spellings(flag))
    return f"=OR({tests})" if len(spellings(flag)) > 1 else f"={tests}"


def sheetsync_rule(formula: str) -> tuple[str, int, str] | None:
    """(column letters, row, flag) when ``formula`` has the exact shape sheetsync writes, else None."""
    text = formula.strip()
    if not text.startswith("="):
        text = "=" + text
    if _ONE.fullmatch(text):
        tests = _TESTS.findall(text)
    elif _OR.fullmatch(text):
        tests = _TESTS.findall(text)
    else:
        return None
    places = {(letter, row) for letter, row, _word in tests}
    flags = {_FLAG_OF_SPELLING.get(word) for _letter, _row, word in tests}
    words = [word for _letter, _row, word in tests]
    if len(places) != 1 or len(flags) != 1 or None in flags or len(set(words)) != len(words):
        return None
    (letter, row), (flag,) = places.pop(), flags
    assert flag is not None
    return letter, int(row), flag


_ANY_TEST = re.compile(r'\$?([A-Z]{1,3})\$?(\d+)\s*=\s*"([^"]*)"')


def _flag_words_tested(formula: str, letter: str, row: int) -> set[str]:
    """The flag words a formula compares the Flag cell with, in any shape (what a person's rule is about)."""
    tests = _ANY_TEST.findall(formula)
    return {word for col, r, word in tests if (col, int(r)) == (letter, row) and word in _FLAG_OF_SPELLING}


def _starts_on(rule: ColourRule, row: int, col: int) -> bool:
    """Whether every range of the rule starts on the first data row and one of them covers the Flag column."""
    return bool(rule.ranges) and all(r1 == row for r1, _c1, _r2, _c2 in rule.ranges) and any(
        c1 <= col <= c2 for _r1, c1, _r2, c2 in rule.ranges
    )


def plan_colour_fixes(workbook: RawWorkbook, views: list[TableView], lang: str) -> tuple[list[ColourFix], list[str]]:
    """The rule rewrites that make each flag sheet colour every spelling of its flags, and notices for the team.

    Nothing is asked when the rules already match: a second sync writes nothing.
    """
    fixes: list[ColourFix] = []
    notices: list[str] = []
    for view in views:
        flag_col = view.col("Flag")
        if view.spec.name not in SHEET_ROW_FLAGS or flag_col is None or not view.usable:
            continue
        sheet = workbook.sheets[view.title]
        letter, first_row = column_letter(flag_col), view.header_row + 1
        coloured: set[str] = set()
        ranges: tuple[tuple[int, int, int, int], ...] = ()
        theirs: set[str] = set()  # flag words that rules sheetsync did not make are about
        for rule in sheet.colour_rules:
            shape = sheetsync_rule(rule.formula)
            if shape is None or shape[:2] != (letter, first_row) or not _starts_on(rule, first_row, flag_col):
                theirs |= _flag_words_tested(rule.formula, letter, first_row)
                continue
            flag = shape[2]
            if shape[2] not in SHEET_ROW_FLAGS[view.spec.name]:
                continue
            coloured.add(flag)
            ranges = ranges or rule.ranges
            wanted = flag_formula(letter, first_row, flag)
            if rule.formula.lstrip("=") != wanted.lstrip("="):
                fixes.append(ColourFix(view.title, rule.key, wanted))
        missing = [f for f in SHEET_ROW_FLAGS[view.spec.name] if f not in coloured]
        # a flag sheetsync's rules lack (new in contract.FLAGS) is added, unless a person's rule is about it
        if coloured:
            fixes += [
                ColourFix(view.title, None, flag_formula(letter, first_row, f), ranges, ROW_FLAG_COLOURS[f])
                for f in missing
                if not theirs & set(spellings(f))
            ]
        uncoloured = [
            FLAG_BY_NAME[f].label(lang)
            for f in missing
            if FLAG_BY_NAME[f].label(lang) not in theirs and (theirs & set(spellings(f)) or not coloured)
        ]
        # A book with no flag rules at all is not nagged; nor an English one whose own rules colour its words.
        if uncoloured and theirs and lang != "en":
            notices.append(
                _(
                    "{sheet}: rows flagged {flags} may show no colour: the sheet has no colour rule for them "
                    "that sheetsync can update (it leaves rules it did not make alone). To get the colours, "
                    "copy the sheet's conditional formats from a new book made by sheetsync init.",
                    sheet=view.title, flags=("、" if lang == "zh" else ", ").join(uncoloured),
                )
            )
    return fixes, notices
