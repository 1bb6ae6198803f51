"""The two checks every copy-rule test file makes of its cases: a violation is caught in its category, a lawful
look-alike is not blocked (no high or critical finding, the review gate's threshold)."""

from __future__ import annotations

from sheetsync.engine.compliance import load_checker

BLOCKING = frozenset({"high", "critical"})


def assert_caught(market: str, industry: str, text: str, category: str, kind: str = "") -> None:
    """The checker reports a finding of `category` on `text` (other findings may come with it)."""
    findings = load_checker(market, industry).check(text)
    found = sorted((f.category, f.rule, f.term) for f in findings)
    assert category in {f.category for f in findings}, f"{kind}: {text!r} gave {found}"


def assert_not_blocked(market: str, industry: str, text: str, kind: str = "") -> None:
    """No high or critical finding on `text` (a medium "needs evidence" one may remain)."""
    findings = load_checker(market, industry).check(text)
    blocking = [(f.category, f.severity, f.term, f.rule) for f in findings if f.severity in BLOCKING]
    assert blocking == [], f"{kind}: {text!r}"


def assert_look_alike(market: str, industry: str, text: str, rule: str, kind: str = "") -> None:
    """A lawful look-alike of a kind: not blocked, and the kind's own `rule` does not fire on it at all."""
    assert_not_blocked(market, industry, text, kind)
    assert rule not in {f.rule for f in load_checker(market, industry).check(text)}, (kind, text)


def assert_kinds_covered(violating: list[tuple], clean: list[tuple], *, violations: int, look_alikes: int) -> None:
    """Every kind (first field) of `violating` has at least `violations` violating cases and `look_alikes` clean
    ones, so no rule kind is tested from one side only."""
    for kind in {row[0] for row in violating}:
        assert sum(row[0] == kind for row in violating) >= violations, kind
        assert sum(row[0] == kind for row in clean) >= look_alikes, kind
