"""Rule packs for the ad-copy checker: load, validate and compile `templates/rules/*.toml`.

The rules are data so that a compliance person can read and amend them without
touching code (COMPLIANCE.md, "Practical notes"); this module is the only place
that knows the pack format, documented for people in templates/rules/README.md.
Loading is the engine's one I/O exception: packs are read once per rules folder
and cached; a regex is compiled when first used (compliance_pattern, compliance_cache).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..contract import COPY_CATEGORIES, EVIDENCE_SETTINGS
from ..resources import templates_root
from .compliance_cache import checked_needs, parsed_pack
from .compliance_normalise import Normaliser
from .compliance_pattern import LazyPattern, RulePackError, compile_pattern
from .compliance_pinyin import pattern_terms

# COMPLIANCE.md, "Categories": the thirteen ids used everywhere (defined once, in the contract).
CATEGORIES: tuple[str, ...] = COPY_CATEGORIES
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
# A rule's `evidence` names the fact that makes its claim lawful (a registration, a price history): without
# it the finding "needs evidence" at medium severity at most; a book recording the fact clears it.
EVIDENCE_FACTS: tuple[str, ...] = tuple(EVIDENCE_SETTINGS)
EVIDENCE_SEVERITY = "medium"

# A rule may say `category = "health_claim"`: COMPLIANCE.md lets the industry
# decide whether a disease or efficacy claim is a medical ad's efficacy claim
# (广告法 Arts. 16, 18) or a non-medical product claiming to treat disease (Art. 17).
HEALTH_CLAIM = "health_claim"
MEDICAL_INDUSTRIES = frozenset({"pharma", "medical_device", "health_food", "medical_service"})

ALL_INDUSTRIES = "*"
RULES_DIR_ENV = "SHEETSYNC_RULES_DIR"

# Context windows (characters) for `before`/`after` when a pack does not say:
# a Chinese clause carries a negation within a few characters, English needs words.
DEFAULT_WINDOW = {"zh": 8, "en": 30}

_RULE_KEYS = frozenset(
    {
        "id", "category", "severity", "industries", "skip_industries", "patterns", "exceptions",
        "before", "after", "sentence", "filters", "requires", "absent", "window", "message_zh", "message_en",
        "source", "suggestion", "word", "evidence",
    }
)
_PACK_KEYS = frozenset(
    {
        "market", "industries", "title", "window", "severity", "filters", "fold", "evasion", "rule", "claim_words",
        "every_rule",
    }
)
# `word = "whole"`: a candidate must start and end on a word boundary of the segmented text
# (最 in 最终, 第一 in 第一次, 唯一 in 唯一性 are parts of other words), unless the word
# containing it is one of the pack's `claim_words`.
WORD_MODES = ("any", "whole")
_FILTER_KEYS = frozenset({"exceptions", "before", "after", "sentence", "when"})
_REQUIRED_TEXT = ("id", "category", "message_zh", "message_en", "source")
_TERM_GROUP = "(?P<term>"


def resolve_category(category: str, industry: str) -> str:
    """The category a rule reports in this industry (health_claim → medical or non-medical)."""
    if category != HEALTH_CLAIM:
        return category
    return "medical_efficacy_claim" if industry in MEDICAL_INDUSTRIES else "disease_claim_non_medical"


@dataclass(frozen=True)
class Rule:
    """One compiled rule: candidate patterns, then the context filters that say "not a claim"."""

    id: str
    category: str  # one of CATEGORIES, or HEALTH_CLAIM
    severity: str | None  # None: the market's default for the resolved category
    regex: LazyPattern  # all patterns as one alternation; group termN narrows the span
    exceptions: tuple[LazyPattern, ...]  # suppress when a match overlaps the candidate (same clause)
    before: tuple[LazyPattern, ...]  # suppress when found in the clause just before the candidate
    after: tuple[LazyPattern, ...]  # suppress when found in the clause just after the candidate
    sentence: tuple[LazyPattern, ...]  # suppress when found anywhere in the candidate's sentence
    # (when, exceptions) pairs from filters with `when`: the exceptions hold only if the whole text
    # contains one of `when` (approved health-food wording with its mandatory statement elsewhere)
    guarded: tuple[tuple[tuple[LazyPattern, ...], tuple[LazyPattern, ...]], ...]
    requires: tuple[LazyPattern, ...]  # the whole text must contain one of these
    absent: tuple[LazyPattern, ...]  # the whole text must contain none of these
    window: int
    industries: frozenset[str] | None  # None: every industry
    skip_industries: frozenset[str]
    message_zh: str
    message_en: str
    source: str
    suggestion: str
    pack: str  # file name, for error messages
    word: str = "any"  # "whole": the candidate must be whole words of the segmented text (WORD_MODES)
    claim_words: frozenset[str] = frozenset()  # words that stay claims though they contain a candidate
    evidence: str = ""  # one of EVIDENCE_FACTS: the fact that clears this rule's findings; "" for a violation

    def applies_to(self, industry: str) -> bool:
        """Industry gating: `industries` keeps a rule to those industries, `skip_industries` removes it."""
        if industry in self.skip_industries:
            return False
        return self.industries is None or industry in self.industries


@dataclass(frozen=True)
class RulePack:
    """One TOML file: a market, the industries it serves, default severities and rules."""

    name: str
    market: str
    industries: frozenset[str] | None  # None: every industry
    severity: Mapping[str, str]
    normaliser: Normaliser  # [fold] table and [evasion] watch-list
    rules: tuple[Rule, ...]
    # [every_rule]: context filters added to every rule of the market (a regulator's notice quoting a
    # banned claim, a consumer warning, a statute: no rule should read those as the advertiser's claim)
    every_rule: Mapping[str, tuple[LazyPattern, ...]] = field(default_factory=dict)
    digest: str = ""  # sha256 of the file's bytes: what the compiled-pack cache is keyed by

    def patterns(self) -> Iterator[LazyPattern]:
        """Every regex of the pack: rules' patterns and filters, and [every_rule]."""
        for rule in self.rules:
            yield from (rule.regex, *rule.exceptions, *rule.before, *rule.after, *rule.sentence)
            yield from (*rule.requires, *rule.absent, *(p for pair in rule.guarded for group in pair for p in group))
        for extra in self.every_rule.values():
            yield from extra

    def serves(self, industry: str) -> bool:
        return self.industries is None or industry in self.industries


def default_rules_dir() -> Path:
    """`$SHEETSYNC_RULES_DIR`, else the repository's templates/rules folder."""
    env = os.environ.get(RULES_DIR_ENV)
    if env:
        return Path(env)
    return templates_root() / "rules"


def _strings(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulePackError(f"{where}: expected a list of strings, got {value!r}.")
    return list(value)


def _industries(value: object, where: str) -> frozenset[str] | None:
    names = _strings(value, where)
    if not names or ALL_INDUSTRIES in names:
        return None
    return frozenset(names)


def _combine(patterns: Sequence[str], where: str) -> LazyPattern:
    """One alternation for all of a rule's patterns, so that a text costs one scan per rule.

    Each pattern may narrow its reported span with a `(?P<term>...)` group; the
    groups are renumbered (term0, term1...) because Python forbids repeated names.
    """
    parts = []
    for index, pattern in enumerate(patterns):
        compile_pattern(pattern, where)  # placeholders known
        if pattern.count(_TERM_GROUP) > 1:
            raise RulePackError(f"{where}: pattern {pattern!r} has more than one (?P<term>...) group.")
        parts.append("(?:" + pattern.replace(_TERM_GROUP, f"(?P<term{index}>") + ")")
    combined = compile_pattern("|".join(parts), where)
    combined.parts = tuple(patterns)  # compiled alone when the whole does not, to name the one at fault
    return combined


def _compile_rule(
    raw: Mapping[str, object],
    pack: str,
    window: int,
    filters: Mapping[str, Mapping[str, object]],
    claim_words: frozenset[str] = frozenset(),
) -> Rule:
    rule_id = raw.get("id")
    where = f"{pack}: rule {rule_id!r}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        allowed = ", ".join(sorted(_RULE_KEYS))
        raise RulePackError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {allowed}.")
    for key in _REQUIRED_TEXT:
        if not isinstance(raw.get(key), str) or not str(raw.get(key)).strip():
            raise RulePackError(f"{where}: field {key!r} is missing or empty.")
    category = str(raw["category"])
    if category not in CATEGORIES and category != HEALTH_CLAIM:
        raise RulePackError(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)} or {HEALTH_CLAIM}.")
    severity = raw.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise RulePackError(f"{where}: severity {severity!r} is not one of {', '.join(SEVERITIES)}.")
    patterns = _strings(raw.get("patterns"), where)
    if not patterns:
        raise RulePackError(f"{where}: a rule needs at least one pattern.")
    exceptions = _strings(raw.get("exceptions"), where)
    before = _strings(raw.get("before"), where)
    after = _strings(raw.get("after"), where)
    sentence = _strings(raw.get("sentence"), where)
    guarded = []
    for name in _strings(raw.get("filters"), where):
        shared = filters.get(name)
        if shared is None:
            raise RulePackError(f"{where}: filter {name!r} is not defined in this pack's [filters].")
        if "when" in shared:
            where_filter = f"{pack}: filter {name!r}"
            when = _strings(shared.get("when"), where_filter)
            if not when or set(shared) != {"when", "exceptions"}:
                raise RulePackError(f"{where_filter}: a filter with `when` holds exceptions and when, nothing else.")
            guarded.append(
                (
                    tuple(compile_pattern(p, where_filter) for p in when),
                    tuple(compile_pattern(p, where_filter) for p in _strings(shared.get("exceptions"), where_filter)),
                )
            )
            continue
        exceptions += _strings(shared.get("exceptions"), f"{pack}: filter {name!r}")
        before += _strings(shared.get("before"), f"{pack}: filter {name!r}")
        after += _strings(shared.get("after"), f"{pack}: filter {name!r}")
        sentence += _strings(shared.get("sentence"), f"{pack}: filter {name!r}")
    rule_window = raw.get("window", window)
    if not isinstance(rule_window, int) or rule_window < 1:
        raise RulePackError(f"{where}: window must be a positive whole number of characters.")
    suggestion = raw.get("suggestion", "")
    if not isinstance(suggestion, str):
        raise RulePackError(f"{where}: suggestion must be a string.")
    word = raw.get("word", "any")
    if word not in WORD_MODES:
        raise RulePackError(f"{where}: word = {word!r}; use one of {', '.join(map(repr, WORD_MODES))}.")
    evidence = raw.get("evidence", "")
    if evidence != "" and evidence not in EVIDENCE_FACTS:
        raise RulePackError(f"{where}: evidence {evidence!r} is not one of {', '.join(EVIDENCE_FACTS)}.")
    if evidence and severity in ("critical", "high"):
        raise RulePackError(f"{where}: a needs-evidence rule is {EVIDENCE_SEVERITY} or low, not {severity}.")
    return Rule(
        id=str(rule_id),
        category=category,
        severity=severity if isinstance(severity, str) else None,
        regex=_combine(patterns, where),
        exceptions=tuple(compile_pattern(p, where) for p in exceptions),
        before=tuple(compile_pattern(p, where) for p in before),
        after=tuple(compile_pattern(p, where) for p in after),
        sentence=tuple(compile_pattern(p, where) for p in sentence),
        guarded=tuple(guarded),
        requires=tuple(compile_pattern(p, where) for p in _strings(raw.get("requires"), where)),
        absent=tuple(compile_pattern(p, where) for p in _strings(raw.get("absent"), where)),
        window=rule_window,
        industries=_industries(raw.get("industries"), where),
        skip_industries=frozenset(_strings(raw.get("skip_industries"), where)),
        message_zh=str(raw["message_zh"]).strip(),
        message_en=str(raw["message_en"]).strip(),
        source=str(raw["source"]).strip(),
        suggestion=suggestion.strip(),
        pack=pack,
        word=str(word),
        claim_words=claim_words if word == "whole" else frozenset(),
        evidence=str(evidence),
    )


def load_pack(path: Path) -> RulePack:
    """Read and compile one pack; every problem is a RulePackError naming the file and the rule."""
    pack = _read_pack(path)
    for pattern in pack.patterns():
        pattern.compiled  # noqa: B018  # compile now: a bad regex is an error here, not at first use
    return pack


def _read_pack(path: Path) -> RulePack:
    """Read and check one pack; its regexes are compiled later (validate_packs, or first use)."""
    name = path.name
    try:
        data = path.read_bytes()
        raw = parsed_pack(data)  # compliance_cache: parsed once per content
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{name}: cannot read the rule pack: {exc}.") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError (tomllib is imported only on a cache miss)
        raise RulePackError(f"{name}: not valid TOML: {exc}; fix the file.") from exc
    unknown = set(raw) - _PACK_KEYS
    if unknown:
        raise RulePackError(f"{name}: unknown top-level key(s) {', '.join(sorted(unknown))}.")
    market = raw.get("market")
    if not isinstance(market, str) or not market:
        raise RulePackError(f'{name}: the pack must declare market = "zh" or "en".')
    severity = raw.get("severity", {})
    if not isinstance(severity, dict):
        raise RulePackError(f"{name}: [severity] must be a table of category = severity.")
    for category, value in severity.items():
        if category not in CATEGORIES or value not in SEVERITIES:
            raise RulePackError(f"{name}: [severity] {category} = {value!r} is not a known category and severity.")
    filters = raw.get("filters", {})
    if not isinstance(filters, dict) or not all(
        isinstance(f, dict) and set(f) <= _FILTER_KEYS for f in filters.values()
    ):
        raise RulePackError(
            f"{name}: each [filters.NAME] table may only hold exceptions, before, after, sentence and when."
        )
    window = raw.get("window", DEFAULT_WINDOW.get(market, 12))
    fold = raw.get("fold", {})
    if (
        not isinstance(fold, dict)
        or set(fold) - {"from", "to"}
        or not isinstance(fold.get("from", ""), str)
        or not isinstance(fold.get("to", ""), str)
        or len(fold.get("from", "")) != len(fold.get("to", ""))
    ):
        raise RulePackError(f'{name}: [fold] needs from = "..." and to = "..." of equal length (one character each).')
    rules_raw = raw.get("rule", [])
    if not isinstance(rules_raw, list):
        raise RulePackError(f"{name}: rules are written as [[rule]] tables.")
    every_rule = raw.get("every_rule", {})
    if not isinstance(every_rule, dict) or not set(every_rule) <= _FILTER_KEYS - {"when"}:
        raise RulePackError(f"{name}: [every_rule] may only hold exceptions, before, after and sentence.")
    claim_words = frozenset(w.strip() for w in _strings(raw.get("claim_words"), f"{name}: claim_words") if w.strip())
    rules = tuple(_compile_rule(r, name, window, filters, claim_words) for r in rules_raw)
    return RulePack(
        name=name,
        market=market,
        industries=_industries(raw.get("industries"), name),
        severity=dict(severity),
        normaliser=Normaliser(str.maketrans(fold.get("from", ""), fold.get("to", "")), *_evasion(raw, name)),
        rules=rules,
        every_rule={
            key: tuple(compile_pattern(p, f"{name}: [every_rule]") for p in _strings(value, f"{name}: [every_rule]"))
            for key, value in every_rule.items()
        },
        digest=hashlib.sha256(data).hexdigest(),
    )


_LATIN_WORD = re.compile(r"[a-z]+")


def _evasion(raw: dict, name: str) -> tuple[tuple[str, ...], frozenset[str], bool]:
    """`[evasion]`: the watch-list of Chinese terms for pinyin, the Latin words never read as pinyin, watch_patterns."""
    evasion = raw.get("evasion", {})
    if not isinstance(evasion, dict) or set(evasion) - {"terms", "keep", "watch_patterns"}:
        raise RulePackError(f"{name}: [evasion] may only hold terms = [...], keep = [...] and watch_patterns.")
    if not isinstance(evasion.get("watch_patterns", False), bool):
        raise RulePackError(f"{name}: [evasion] watch_patterns must be true or false.")
    terms, keep = evasion.get("terms", []), evasion.get("keep", [])
    if not isinstance(terms, list) or not all(isinstance(t, str) and _CJK_TERM.fullmatch(t) for t in terms):
        raise RulePackError(f'{name}: [evasion] terms must be a list of Chinese terms such as "治愈", characters only.')
    if not isinstance(keep, list) or not all(isinstance(k, str) and _LATIN_WORD.fullmatch(k) for k in keep):
        raise RulePackError(f'{name}: [evasion] keep must be a list of lower-case Latin words such as "bb".')
    return tuple(dict.fromkeys(terms)), frozenset(keep), evasion.get("watch_patterns", False)


_CJK_TERM = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{1,8}")


@lru_cache(maxsize=16)
def load_packs(rules_dir: str) -> tuple[RulePack, ...]:
    """Every pack in a folder, read once per process (cached by folder); regexes compile on first use."""
    folder = Path(rules_dir)
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise RulePackError(f"{folder}: no rule packs (*.toml) found; set {RULES_DIR_ENV} or restore templates/rules.")
    packs = tuple(_read_pack(p) for p in paths)
    seen: dict[tuple[str, str], str] = {}
    for pack in packs:
        for rule in pack.rules:
            key = (pack.market, rule.id)
            if key in seen:
                raise RulePackError(f"{pack.name}: rule id {rule.id!r} is already used in {seen[key]}; make it unique.")
            seen[key] = pack.name
    return packs


def packs_for(
    market: str, industry: str, rules_dir: Path
) -> tuple[list[Rule], dict[str, str], Normaliser, Mapping[str, frozenset[str] | None]]:
    """The rules that apply to a market and industry, the default severity per category, the normaliser,
    and the prefilter's literals per rule regex (compliance_cache: validated once per pack content).

    The normaliser (compliance_normalise.py) folds scripts one character for
    one, squeezes separators and reads pinyin back as characters, with a map
    from the text it matches to the original, so findings quote the original.
    """
    packs = [p for p in load_packs(str(rules_dir)) if p.market == market]
    if not packs:
        markets = sorted({p.market for p in load_packs(str(rules_dir))})
        raise RulePackError(f"no rule pack for market {market!r} in {rules_dir}; known markets: {', '.join(markets)}.")

    needs = checked_needs(market, packs)
    severity: dict[str, str] = {}
    normalisers: list[Normaliser] = []
    rules: list[Rule] = []
    for pack in packs:
        if pack.serves(industry):
            severity.update(pack.severity)
            normalisers.append(pack.normaliser)
            rules.extend(r for r in pack.rules if r.applies_to(industry))
    every: dict[str, tuple[LazyPattern, ...]] = {}
    for pack in packs:
        for key, patterns in pack.every_rule.items():
            every[key] = every.get(key, ()) + patterns
    if every:
        rules = [replace(r, **{key: getattr(r, key) + extra for key, extra in every.items()}) for r in rules]
    missing = [c for c in CATEGORIES if c not in severity]
    if missing:
        raise RulePackError(f"market {market!r}: no default severity for {', '.join(missing)}; add them to [severity].")
    normaliser = Normaliser.merged(normalisers)
    if normaliser.watch_patterns:  # every literal word of the rules that apply (治愈 in '(?:治愈|根治)率?')
        words = [word for rule in rules for word in pattern_terms(rule.regex.pattern)]
        normaliser = dataclasses.replace(normaliser, words=tuple(dict.fromkeys(words)))
    return rules, severity, normaliser, needs
