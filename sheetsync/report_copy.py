"""Plain-text renderings of ad-copy findings: `lint-copy`'s lines and JSON, and a workbook's copy check.

The twin of report_text.py for the copy checker, shared by the command line and
the Check copy button. A workbook's check is worded in that book's language
(its CopyCheck's `lang`); `lint-copy`, which has no book, in the active one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import i18n
from .contract import SEVERITY, choice_label, sheet_spec
from .engine.compliance import category_name
from .i18n import _, n_

if TYPE_CHECKING:
    from .engine.compliance import Finding
    from .workbook import CopyCheck


def render_finding(finding: Finding, *, prefix: str = "") -> str:
    """One copy finding as lint-copy prints it: where, category, severity, term, rule, source, safer wording."""
    f = finding
    hint = f" → {f.suggestion}" if f.suggestion else ""
    severity, category = choice_label(f.severity, SEVERITY), category_name(f.category)
    return f'{prefix}{f.start}-{f.end} {category} {severity} "{f.term}": {f.message} ({f.source}){hint}'


def finding_dict(finding: Finding) -> dict[str, object]:
    """A finding as lint-copy --json prints it."""
    keys = ("category", "severity", "term", "start", "end", "rule", "source", "suggestion")
    return {key: getattr(finding, key) for key in keys}


def render_copy_check(check: CopyCheck) -> list[str]:
    """The lines of a workbook copy check: per cell, each finding with its rule source and a safer wording."""
    with i18n.language(getattr(check, "lang", None)):
        return _copy_check_lines(check)


def _copy_check_lines(check: CopyCheck) -> list[str]:
    if not check.checked:
        return [
            _(
                "No ad copy to check: {where} holds no text. Select the cells with the copy, or fill in {copy}.",
                where=check.where,
                copy=_sheet_column("Reviews", "Copy"),
            )
        ]
    flagged = {cell: found for cell, found in check.findings.items() if found}
    cells = len(check.checked)
    if not flagged:
        return [
            n_("No findings in {n} cell of {where}.", "No findings in {n} cells of {where}.", cells, where=check.where)
        ]
    total = sum(len(found) for found in flagged.values())
    lines = [
        n_(
            "{n} finding in {flagged} of {cells} cells of {where}:",
            "{n} findings in {flagged} of {cells} cells of {where}:",
            total,
            flagged=len(flagged),
            cells=cells,
            where=check.where,
        )
    ]
    for cell, found in flagged.items():
        for f in found:
            severity = choice_label(f.severity, SEVERITY)
            line = _(
                '{cell}: "{term}" {category} ({severity}), {source}',
                cell=cell,
                term=f.term,
                category=category_name(f.category),
                severity=severity,
                source=f.source,
            )
            lines.append(line + (_(" → try: {suggestion}", suggestion=f.suggestion) if f.suggestion else ""))
    return lines


def _sheet_column(sheet: str, column: str) -> str:
    """ "Reviews › Copy" in the active language."""
    spec = sheet_spec(sheet)
    lang = i18n.current()
    return f"{spec.label(lang)} › {spec.column(column).label(lang)}"
