"""Open copy findings in the digest: what the compliance reviewer and the asset's owner must see.

An asset's findings are those on the copy of its latest round (engine/reviews.py,
`AssetStatus.open_findings`): every finding while a gate has not approved that
round, then only the high and critical ones a gate approved anyway. They are
listed to the people who can act on them: whoever reviews the asset at the
Compliance stage (a Reviewer cell, by name or role) and the owner of the
Timeline task the asset is named after (by ID or milestone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import Analysis
from ..contract import SEVERITY, STAGE_COMPLIANCE, choice_label, normalise_header
from ..engine.compliance import category_name
from ..engine.reviews import BLOCKING_SEVERITIES, FindingLike, with_remedy
from ..i18n import _
from .book import once


@dataclass(frozen=True)
class AssetFindings:
    """The open findings on one asset's latest copy, and who is told about them."""

    asset: str
    round: int
    findings: tuple[FindingLike, ...]
    reviewers: tuple[str, ...]  # Reviewer cells of the asset's Compliance-stage rows
    owner: str  # the Owner of the Timeline task the asset is named after; "" if none


def open_copy_findings(a: Analysis) -> list[AssetFindings]:
    """Each asset with open findings on its latest copy, in Reviews order."""
    if a.review_log is None:
        return []
    owners: dict[str, str] = {}
    for task in a.tasks:
        for key in (task.id, task.name):
            if key and task.owner:
                owners.setdefault(normalise_header(key), task.owner)
    by_asset: dict[str, list] = {}  # one pass: a year-long book has thousands of review rows
    for result in a.review_results():
        by_asset.setdefault(result.review.asset, []).append(result)
    out: list[AssetFindings] = []
    for asset, status in a.review_log.assets.items():
        if not status.open_findings:
            continue
        rows = by_asset.get(asset, [])
        latest = [r for r in rows if r.review.round == status.latest_round and r.review.copy]
        if not latest:
            continue
        findings = max(latest, key=lambda r: r.review.row).findings
        if status.passed:
            findings = tuple(f for f in findings if f.severity in BLOCKING_SEVERITIES)
        reviewers = tuple(
            dict.fromkeys(r.review.reviewer for r in rows if r.review.stage == STAGE_COMPLIANCE and r.review.reviewer)
        )
        owner = owners.get(normalise_header(asset), "")
        out.append(AssetFindings(asset, status.latest_round, findings, reviewers, owner))
    return out


def findings_waiting(a: Analysis, me: Callable[[str], bool]) -> list[str]:
    """One digest line per open finding on the assets this person reviews for compliance or owns."""
    lines = []
    for item in once(a, "copy findings", lambda: open_copy_findings(a)):
        if not (me(item.owner) or any(me(r) for r in item.reviewers)):
            continue
        for f in item.findings:
            line = _(
                'copy of {asset} round {round}: "{term}" {category} · {severity}',
                asset=item.asset,
                round=item.round,
                term=f.term,
                category=category_name(f.category),
                severity=choice_label(f.severity, SEVERITY),
            )
            lines.append(with_remedy(line, f))
    return lines
