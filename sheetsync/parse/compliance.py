"""The optional Copy rules sheet → a team's own banned and allowed terms for the copy checker.

The terms become engine/compliance.py's CustomTerm rows, checked next to the rule packs.
"""

from __future__ import annotations

from ..contract import COPY_RULE_CATEGORIES, COPY_RULES, SEVERITY, choice_label
from ..engine.compliance import CustomTerm
from ..i18n import _
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import to_choice
from .table_view import INVALID, locate_table


def parse_copy_rules(workbook: RawWorkbook, problems: list[Problem]) -> list[CustomTerm]:
    """The optional Copy rules sheet: a category id bans a term, `allowed` (允许) allows it."""
    view = locate_table(workbook, COPY_RULES, problems, required=False)
    if view is None or not view.usable:
        return []
    terms: list[CustomTerm] = []
    for row in view.data_rows():
        term = view.prose(row, "Term")
        category = view.read(row, "Category", lambda v: to_choice(v, COPY_RULE_CATEGORIES), problems)
        severity = view.read(row, "Severity", lambda v: to_choice(v, SEVERITY), problems)
        if not term:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Term"),
                    _("the rule has no term"),
                    _("write the word or phrase to match"),
                )
            )
            continue
        if category is None:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Category"),
                    _('"{term}" has no category', term=term),
                    _(
                        "write a category id such as absolute_claim, or {allowed}",
                        allowed=choice_label("allowed", COPY_RULE_CATEGORIES),
                    ),
                )
            )
            continue
        if category is INVALID:
            continue
        allowed = category == "allowed"
        terms.append(
            CustomTerm(
                term=term,
                category=None if allowed else category,
                severity=None if allowed or severity is INVALID else severity,
                note=view.prose(row, "Note"),
                allowed=allowed,
            )
        )
    return terms
