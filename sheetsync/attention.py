"""What needs someone's attention after a sync: every row flagged OVERDUE, TRIGGERED, BLOCKED, AT RISK or DUE SOON.

`sync --json` and the service's answer carry it (SyncReport.as_dict "attention"), so a
front end such as the Google Sheets sidebar can list the rows and select each one's
Flag cell without knowing the workbook contract. Each row names its sheet as the
book titles it, the Flag cell, the row's ID (None on sheets without one), what it is,
the canonical flag and the flag as the book shows it (已逾期 in a Chinese book).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .contract import AT_RISK, BLOCKED, DUE_SOON, OVERDUE, TRIGGERED, flag_label, flag_rank

if TYPE_CHECKING:
    from .analysis import Analysis
    from .parse.table_view import TableView

# The flags that ask for someone's attention; listed in contract.FLAGS order (most urgent first).
ATTENTION_FLAGS = frozenset({OVERDUE, TRIGGERED, BLOCKED, AT_RISK, DUE_SOON})


def attention(analysis: Analysis) -> list[dict[str, object]]:
    """Every row whose flag needs attention: overdue first (contract flag order), then by sheet and row."""
    rows: list[tuple[tuple[int, str], int, dict[str, object]]] = []

    def add(view: TableView | None, sheet_order: int, row: int, flag: str | None, ident: str | None, what: str,
            due: dt.date | None) -> None:
        if view is None or flag not in ATTENTION_FLAGS:
            return
        entry = {
            "sheet": view.title,
            "cell": view.locate(row, "Flag"),
            "id": ident or None,
            "what": what,
            "flag": flag,
            "label": flag_label(flag, analysis.lang),
            "due": due.isoformat() if due else None,
        }
        rows.append((flag_rank(flag), sheet_order * 1_000_000 + row, entry))

    timeline_view = analysis.timeline.view if analysis.timeline else None
    for task in analysis.task_results():
        add(timeline_view, 0, task.task.row, task.flag, task.task.id, task.task.name, task.due)
    reviews_view = analysis.reviews.view if analysis.reviews else None
    for review in analysis.review_results():
        row = review.review
        add(reviews_view, 1, row.row, review.flag, None, _review_what(row.asset, row.round, row.stage, analysis.lang),
            _review_due(analysis, row.submitted_on))
    feedback_view = analysis.feedback.view if analysis.feedback else None
    for item in analysis.feedback_results():
        add(feedback_view, 2, item.item.row, item.flag, None, item.item.request, item.due)
    risks_view = analysis.risks.view if analysis.risks else None
    for risk in analysis.risk_results():
        add(risks_view, 3, risk.risk.row, risk.flag, risk.risk.id, risk.risk.risk, None)
    return [entry for _, _, entry in sorted(rows, key=lambda r: (r[0], r[1]))]


def _review_what(asset: str, round_: int, stage: str | None, lang: str) -> str:
    """A review as people name it: the asset, its round and its gate (Banner A · round 2 · Client)."""
    from .contract import REVIEW_STAGE, choice_label

    parts = [asset, f"第{round_}轮" if lang == "zh" else f"round {round_}"]
    if stage:
        parts.append(choice_label(stage, REVIEW_STAGE, lang))
    return " · ".join(parts)


def _review_due(analysis: Analysis, submitted: dt.date | None) -> dt.date | None:
    """When a pending review's decision is due: its Review SLA in working days after it was submitted."""
    if submitted is None or analysis.calendar is None:
        return None
    return analysis.calendar.add_workdays(submitted, analysis.settings.review_sla)
