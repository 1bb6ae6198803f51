"""Ad-copy compliance checker: findings for one `Copy` cell against the market's rule packs.

COMPLIANCE.md is the spec: thirteen categories, severities, sources. Matching is
two-layer (COMPLIANCE.md, "Practical notes"): each rule's broad candidate
patterns, then context filters that drop what is not a claim (ordinals and
time words, negations and disclaimers, mandatory statements, names, official
titles, consumer tips). A checker that flags every 最 gets switched off, so a
filter wins whenever it fires. The rules themselves are data in
templates/rules/*.toml (see compliance_rules.py and templates/rules/README.md);
the workbook's optional "Copy rules" sheet adds a team's own banned and
allowed terms as CustomTerm rows.

Pure: no I/O except reading the rule packs once per process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..contract import EVIDENCE_SETTINGS, INDUSTRY, PROJECT, SETTINGS, canonical_choice
from ..errors import UsageError
from ..i18n import N_, _, current, language, pick, translate
from .compliance_context import ContextFilters, filter_patterns, is_filtered, term_span, text_conditions_hold
from .compliance_normalise import Normaliser, original_span
from .compliance_prefilter import Prefilter
from .compliance_rules import (
    CATEGORIES,
    EVIDENCE_SEVERITY,
    MEDICAL_INDUSTRIES,
    SEVERITIES,
    Rule,
    RulePackError,
    default_rules_dir,
    load_packs,
    packs_for,
    resolve_category,
)

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "SEVERITIES",
    "CopyChecker",
    "CustomTerm",
    "Finding",
    "RulePackError",
    "category_name",
    "load_checker",
]

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # critical first
_SCREENED_MAX = 4096  # screened filter sets kept per checker (a few hundred in a day's copy)
KNOWN_INDUSTRIES = frozenset(INDUSTRY) | MEDICAL_INDUSTRIES

_SURROGATE = re.compile("[\ud800-\udfff]")  # no text library (rjieba, OpenCC) can encode one


CUSTOM_SOURCE = N_("Copy rules sheet")
_FACT_NAMES = {
    "cosmetics_registration": N_("a special-cosmetics registration (or drug approval)"),
    "efficacy_report": N_("an efficacy evaluation report"),
    "health_food_approval": N_("a health food approval number"),
    "price_history": N_("a record of the prices before the promotion"),
}

# What a category is called where people read it (a Findings cell, a digest). English books show the
# category id itself, as the Copy rules sheet and the rule packs write it; a translation names it.
CATEGORY_NAMES: dict[str, str] = {
    "absolute_claim": N_("absolute_claim"),
    "medical_efficacy_claim": N_("medical_efficacy_claim"),
    "disease_claim_non_medical": N_("disease_claim_non_medical"),
    "improper_endorsement": N_("improper_endorsement"),
    "investment_return_promise": N_("investment_return_promise"),
    "education_result_promise": N_("education_result_promise"),
    "guaranteed_outcome": N_("guaranteed_outcome"),
    "before_after": N_("before_after"),
    "personal_attribute": N_("personal_attribute"),
    "misleading_price_offer": N_("misleading_price_offer"),
    "missing_ad_disclosure": N_("missing_ad_disclosure"),
    "comparative_claim": N_("comparative_claim"),
    "cosmetics_claim": N_("cosmetics_claim"),
}


def category_name(category: str) -> str:
    """A copy category's name in the active language (the id itself in English; unknown ids as they are)."""
    name = CATEGORY_NAMES.get(category)
    return translate(name) if name else category


@dataclass(frozen=True)
class Finding:
    """One problem in a text: where it is, what category, why, and what to write instead."""

    category: str  # one of CATEGORIES
    severity: str  # one of SEVERITIES
    term: str  # text[start:end], the shortest span a reviewer would point at
    start: int  # character offsets into the checked text (str indices)
    end: int
    rule: str  # rule id, or "custom:<term>" for a Copy rules term
    source: str  # law article or platform policy
    suggestion: str  # safer wording in the text's language; "" if none
    message: str  # what is wrong, in the market's language
    evidence: str = ""  # the fact (EVIDENCE_FACTS) that would clear this "needs evidence" finding; "" otherwise


@dataclass(frozen=True)
class CustomTerm:
    """A row of the workbook's optional "Copy rules" sheet: a client's own banned or allowed term."""

    term: str
    category: str | None  # one of CATEGORIES for a banned term; None for an allowed term
    severity: str | None  # None: the category's default severity for the market
    note: str = ""
    allowed: bool = False  # suppresses every finding whose span lies inside an occurrence of the term


def _custom_pattern(term: str, market: str) -> re.Pattern[str]:
    """Literal, case-insensitive; an English word term only matches whole words."""
    body = re.escape(term.strip())
    if market == "en":
        if re.match(r"\w", term.strip()):
            body = r"\b" + body
        if re.search(r"\w$", term.strip()):
            body += r"\b"
    return re.compile(body, re.IGNORECASE)


class CopyChecker:
    """Checks ad copy for one market and industry; build it with load_checker()."""

    def __init__(
        self,
        market: str,
        industry: str,
        rules: Sequence[Rule],
        severity: dict[str, str],
        custom: Sequence[CustomTerm] = (),
        normaliser: Normaliser | None = None,
        prefilter: Prefilter | None = None,
        facts: frozenset[str] = frozenset(),
        screen: bool = True,
    ) -> None:
        """`screen=False` runs every rule and every filter on every text: the plain reference that the
        screened path (Prefilter.screen) must equal, finding for finding (tests/test_copy_engine_speedpath.py)."""
        self.market = market
        self.industry = industry
        self.facts = frozenset(facts)  # recorded facts: rules needing one of them no longer apply
        self._rules = tuple(r for r in rules if r.evidence not in self.facts)
        if prefilter is None or len(self._rules) != len(rules):  # the prefilter indexes the rules it was built for
            prefilter = rules_prefilter(self._rules, prefilter.needs if prefilter else None)
        self._prefilter = prefilter
        self._screen = screen
        # Each rule's filter regexes, and its filters screened per set of them that a text can match: texts
        # share a few such sets, so a rule's screened filters are built once per set, not once per text.
        self._filter_words = [frozenset(p.pattern for p in filter_patterns(r)) for r in self._rules]
        self._screened: dict[tuple[int, frozenset[str]], ContextFilters] = {}
        self._severity = dict(severity)
        self._normalise = normaliser or Normaliser()
        self._banned: list[tuple[CustomTerm, re.Pattern[str]]] = []
        self._allowed: list[re.Pattern[str]] = []
        for row in custom:
            _validate_custom(row)
            pattern = _custom_pattern(self._normalise.fold(row.term), market)
            if row.allowed:
                self._allowed.append(pattern)
            else:
                self._banned.append((row, pattern))

    @property
    def rule_count(self) -> int:
        """How many pack rules apply to this market and industry."""
        return len(self._rules)

    def check(self, text: str) -> list[Finding]:
        """Findings sorted by start; no duplicates, no overlapping findings of the same category."""
        if not text or not text.strip():
            return []
        if _SURROGATE.search(text):  # a lone surrogate (an xlsx cell's _xD800_): U+FFFD, one for one, offsets kept
            text = _SURROGATE.sub("\ufffd", text)
        # Normalising folds scripts (國→国), drops separators inside terms (最*好, b e s t) and reads
        # pinyin back (zui好 → 最好); `index` maps the offsets of what is matched back to the original.
        original = text
        text, index = self._normalise(text)
        candidates: list[tuple[Finding, bool]] = []  # (finding, from a custom term)
        # Only the rules and filters whose literal words occur in the text can match it (one automaton pass).
        indices, possible = self._prefilter.screen(text) if self._screen else (range(len(self._rules)), None)
        for rule_index in indices:
            rule = self._rules[rule_index]
            filters: ContextFilters | None = None  # screened once the rule has a candidate
            for match in rule.regex.finditer(text):
                start, end = term_span(match)
                if start == end:
                    continue
                if filters is None:
                    filters = self._filters(rule_index, possible)
                    if not text_conditions_hold(rule, filters, text):
                        break
                if is_filtered(rule, text, start, end, filters):
                    continue
                candidates.append((self._finding(rule, original, *original_span(index, start, end)), False))
        for row, pattern in self._banned:
            for match in pattern.finditer(text):
                if match.start() < match.end():
                    span = original_span(index, *match.span())
                    candidates.append((self._custom_finding(row, original, *span), True))
        if self._allowed and candidates:
            allowed = [original_span(index, *m.span()) for p in self._allowed for m in p.finditer(text) if m[0]]
            candidates = [
                (f, custom) for f, custom in candidates if not any(a <= f.start and f.end <= b for a, b in allowed)
            ]
        return _without_overlaps(candidates)

    def _filters(self, rule_index: int, possible: set[str] | None) -> ContextFilters:
        """The rule's context filters that can fire in a text whose possible filter regexes are `possible`."""
        rule = self._rules[rule_index]
        if possible is None:
            return ContextFilters(rule)
        key = (rule_index, self._filter_words[rule_index] & possible)
        filters = self._screened.get(key)
        if filters is None:
            if len(self._screened) > _SCREENED_MAX:
                self._screened.clear()
            filters = self._screened[key] = ContextFilters(rule, key[1])
        return filters

    def _finding(self, rule: Rule, text: str, start: int, end: int) -> Finding:
        category = resolve_category(rule.category, self.industry)
        severity = rule.severity or self._severity[category]
        message = (rule.message_zh if self.market == "zh" else rule.message_en).replace("{term}", text[start:end])
        if rule.evidence:
            if _SEVERITY_RANK[severity] < _SEVERITY_RANK[EVIDENCE_SEVERITY]:
                severity = EVIDENCE_SEVERITY
            with language(self.market):
                message = pick(None, f"{message} ", message) + evidence_note(rule.evidence)
        return Finding(
            category=category,
            severity=severity,
            term=text[start:end],
            start=start,
            end=end,
            rule=rule.id,
            source=rule.source,
            suggestion=rule.suggestion,
            message=message,
            evidence=rule.evidence,
        )

    def _custom_finding(self, row: CustomTerm, text: str, start: int, end: int) -> Finding:
        category = str(row.category)
        note = row.note.strip()
        if self.market == "zh":
            message = f"「{row.term}」是本项目 Copy rules 表中的禁用词" + (f"：{note}" if note else "。")
        else:
            message = f'"{row.term}" is banned in this project\'s Copy rules sheet' + (f": {note}" if note else ".")
        return Finding(
            category=category,
            severity=row.severity or self._severity[category],
            term=text[start:end],
            start=start,
            end=end,
            rule=f"custom:{row.term}",
            source=translate(CUSTOM_SOURCE) + (pick(None, ": ", "：") + note if note else ""),
            suggestion="",
            message=message,
        )


def evidence_setting(fact: str) -> str:
    """Where a book records a fact, in the active language: Project › Cosmetics registration."""
    setting = next(s for s in SETTINGS if s.name == EVIDENCE_SETTINGS[fact])
    return f"{PROJECT.label(current())} › {setting.label(current())}"


def evidence_note(fact: str) -> str:
    """What a "needs evidence" finding adds to its message: the fact that clears it and where to record it."""
    return _(
        "Needs evidence: lawful with {fact}; once you hold it, write it in {setting} and this finding clears.",
        fact=translate(_FACT_NAMES[fact]),
        setting=evidence_setting(fact),
    )


def _without_overlaps(candidates: list[tuple[Finding, bool]]) -> list[Finding]:
    """Keep one finding per overlapping same-category cluster: most severe, then custom, then earliest, shortest."""
    ranked = sorted(
        candidates,
        key=lambda fc: (_SEVERITY_RANK[fc[0].severity], not fc[1], fc[0].start, fc[0].end - fc[0].start),
    )
    kept: list[Finding] = []
    for finding, _custom in ranked:
        if any(k.category == finding.category and k.start < finding.end and finding.start < k.end for k in kept):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end, f.category))


def _validate_custom(row: CustomTerm) -> None:
    """A Copy rules row must name a category (banned) or be allowed; messages point at the row's term."""
    if not row.term or not row.term.strip():
        raise UsageError("Copy rules: a row has an empty term; write the word or phrase to ban or allow.")
    if row.allowed:
        return
    if row.category not in CATEGORIES:
        raise UsageError(
            f'Copy rules: term "{row.term}" has category {row.category!r}; '
            f"use one of {', '.join(CATEGORIES)}, or mark the term allowed."
        )
    if row.severity is not None and row.severity not in SEVERITIES:
        raise UsageError(
            f'Copy rules: term "{row.term}" has severity {row.severity!r}; '
            f"use one of {', '.join(SEVERITIES)} or leave it blank."
        )


def industry_key(industry: str) -> str:
    """The canonical industry for `industry` as a person or a book writes it: `cosmetics`, `化妆品` (the Industry
    dropdown's words in either language, contract.canonical_choice); unknown: a UsageError in the active language."""
    key = canonical_choice(industry or "general", INDUSTRY)
    if key is None:
        error = UsageError(_(
            'the industry "{industry}" is unknown; use one of {choices}',
            industry=industry, choices=pick(None, ", ".join(INDUSTRY), "、".join(INDUSTRY.values())),
        ))
        error.lang = current()  # worded in the active language (lint-copy: the market's); said in it
        raise error
    return key


@lru_cache(maxsize=64)
def _pack_rules(
    market: str, industry: str, rules_dir: str
) -> tuple[tuple[Rule, ...], dict[str, str], Normaliser, Prefilter]:
    rules, severity, normaliser, needs = packs_for(market, industry, Path(rules_dir))
    return tuple(rules), severity, normaliser, rules_prefilter(rules, needs)


def rules_prefilter(rules: Sequence[Rule], needs: Mapping[str, frozenset[str] | None] | None = None) -> Prefilter:
    """The prefilter for these rules (by index) and all their context filters."""
    filters = [p.pattern for rule in rules for p in filter_patterns(rule)]
    return Prefilter([r.regex.pattern for r in rules], needs, filters)


def load_checker(
    market: str = "zh",
    industry: str = "general",
    custom: Sequence[CustomTerm] = (),
    rules_dir: Path | None = None,
    facts: frozenset[str] = frozenset(),
    screen: bool = True,
) -> CopyChecker:
    """A checker for a market ("zh", "en") and industry, with the workbook's Copy rules terms.

    ``facts`` are what the book records (ProjectSettings.evidence, `lint-copy --evidence`): a rule whose
    `evidence` is among them is not checked, its claim being lawful with that fact.

    Packs are read and compiled once per (market, industry, folder); building a
    checker with custom terms afterwards costs only those terms. ``screen=False``: the plain reference
    path, every rule and filter on every text (same findings, slower; for tests).
    """
    folder = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    market_key = (market or "zh").strip().lower()
    canonical_industry = industry_key(industry)
    markets = {p.market for p in load_packs(str(folder.resolve()))}
    if market_key not in markets:
        raise UsageError(f"market {market!r} has no rule pack in {folder}; use one of {', '.join(sorted(markets))}.")
    unknown = sorted(set(facts) - set(EVIDENCE_SETTINGS))
    if unknown:
        raise UsageError(f"evidence {', '.join(unknown)} is unknown; use one of {', '.join(EVIDENCE_SETTINGS)}.")
    rules, severity, normaliser, prefilter = _pack_rules(market_key, canonical_industry, str(folder.resolve()))
    return CopyChecker(market_key, canonical_industry, rules, severity, custom, normaliser, prefilter, facts, screen)
