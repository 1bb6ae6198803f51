"""Plain-text renderings of results, one for every front end (command line, Excel buttons, web service).

Each function turns one library result into the lines a person reads: a sync
or check (`render_report`), the demo's and the Sync now box's summary
(`render_summary`, after `sync_headline` in a message box), a what-if (`render_what_if`), a digest run
(`render_digest_run`, after `preview_headline` for a preview) and copy findings (`render_finding`,
`render_copy_check`). Front ends may fit the text to their window, never
word it anew.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .contract import flag_rank
from .digest.model import one_line
from .engine.schedule import LaunchStatus
from .outcomes import OverdueWork

if TYPE_CHECKING:
    from pathlib import Path

    from .digest.run import DigestRun
    from .engine.compliance import Finding
    from .sync import SyncReport
    from .whatif import WhatIfReport
    from .workbook import CopyCheck


def render_report(report: SyncReport) -> str:
    """The human text of a sync or check."""
    day = report.today.isoformat()
    if report.action == "check":
        head = f"{report.target}: checked (nothing written), today {day}"
    elif report.dry_run:
        head = f"{report.target}: dry run, {report.changed_cells} cells would change, today {day}"
    elif report.written:
        head = f"{report.target}: synced, {report.changed_cells} cells changed, today {day}"
    else:
        head = f"{report.target}: synced, nothing changed, today {day}"
    lines = [head, launch_line(report.launch)]
    lines += _flag_lines(report)
    if report.dry_run:
        lines += [f"  would write {change}" for change in report.changes]
    lines += problem_lines(report)
    return "\n".join(line for line in lines if line)


def render_summary(report: SyncReport) -> str:
    """The demo's short human summary: launch status, what is overdue, triggered risks, problems."""
    lines = [launch_line(report.launch)]
    a = report.analysis
    overdue = a.overdue() if a else OverdueWork()
    late: list[str] = []
    for t in overdue.tasks:
        owner = f", {t.task.owner}" if t.task.owner else ""
        late.append(
            f"  task {t.task.id} {t.task.name}{owner}: due {t.due.isoformat()}, "
            f"now projected {t.projected_due.isoformat()}"
        )
    for r in overdue.reviews:
        review = r.review
        late.append(
            f"  review {review.asset} round {review.round}: pending at {review.stage} ({review.reviewer}) "
            f"for {r.age} working days"
        )
    for f in overdue.feedback:
        item = f.item
        late.append(
            f'  feedback "{item.request}" from {item.sender or "?"} ({item.owner or "no owner"}): '
            f"due {f.due.isoformat()}"
        )
    lines += [f"Overdue ({len(late)}):", *late] if late else ["Nothing is overdue."]
    hits = a.triggered_risks() if a else []
    if hits:
        lines.append(f"Risks triggered ({len(hits)}):")
    for hit in hits:
        risk = hit.risk
        lines.append(
            f"  {risk.id} {risk.risk} — {risk.indicator} {hit.current} {risk.threshold}; "
            f"{risk.owner or 'no owner'}: {risk.plan}"
        )
    lines += _flag_lines(report)
    lines += problem_lines(report)
    return "\n".join(lines)


def sync_headline(report: SyncReport) -> str:
    """The first line of a button's or menu's sync message: how many cells it changed."""
    if report.written:
        return f"Synced: {report.changed_cells} cell{'s' if report.changed_cells != 1 else ''} changed."
    return "Synced: nothing changed."


def render_what_if(report: WhatIfReport) -> str:
    """The human text of a what-if."""
    changes = [f"{task_id} takes {days:+d} working days" for task_id, days in report.delays.items()]
    if report.launch_change:
        changes.insert(0, f"launch moves to {report.launch_change.isoformat()}")
    lines = [f"What if {', '.join(changes)} (today {report.today.isoformat()}):"]
    before, after = report.before.launch, report.after.launch
    if before and after:
        lines.append(f"Launch: {_launch_words(before)} → {_launch_words(after)}")
        lines.append(
            f"Buffer before launch: {before.margin_days} → {after.margin_days} working days ({report.buffer_used} used)"
        )
    if report.moves:
        lines.append(f"Milestones that move ({len(report.moves)}):")
        for move in report.moves:
            b, a = move.before, move.after  # b is None for a task the change adds
            changed = (
                ("start ", b and b.start, a.start),
                ("due ", b and b.due, a.due),
                ("projected ", b and b.projected_due, a.projected_due),
                ("slack ", b and b.slack, a.slack),
                ("", b and b.flag, a.flag),
            )
            parts = [f"{label}{_day(old)} → {_day(new)}" for label, old, new in changed if old != new]
            lines.append(f"  {move.id} {move.milestone}: " + ", ".join(parts))
    else:
        lines.append("No milestone moves.")
    if report.risks:
        lines.append("Risks triggered:")
        for r in report.risks:
            mark = "NEW " if r.new else ""
            lines.append(
                f"  {mark}{r.id} {r.risk} ({r.indicator} {r.current}, threshold {r.threshold})"
                f" — owner {r.owner or '?'}: {r.plan}"
            )
    lines.append("Nothing was written.")
    return "\n".join(lines)


def render_digest_run(run: DigestRun) -> str:
    """One line per recipient, then a count."""
    if not run.deliveries:
        return f"No digest is due on {run.today.isoformat()} (weekly digests go out on Mondays)."
    lines = []
    for row in run.as_dict()["deliveries"]:
        who = one_line(f"{row['name']} <{row['email']}> ({row['kind']})")  # a bad address may hold a line break
        if row["status"] == "written":
            lines.append(f"written  {who}: {row['path']}")
        elif row["status"] == "sent":
            lines.append(f"sent     {who}")
        elif row["status"] == "skipped":
            lines.append(f"skipped  {who}: {row['reason']}")
        elif row["status"] == "invalid":
            lines.append(f"INVALID  {who}: {one_line(str(row['reason']))}")
        else:
            lines.append(f"FAILED   {who}: {row['reason']}")
    counts: dict[str, int] = {}
    for d in run.deliveries:
        counts[d.status] = counts.get(d.status, 0) + 1
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items()) + ".")
    return "\n".join(lines)


def preview_headline(run: DigestRun, folder: Path) -> str:
    """The first line of a digest preview's message: how many .eml files, where, and that nothing was sent."""
    written = sum(1 for d in run.deliveries if d.status == "written")
    head = f"{written} digest preview{'s' if written != 1 else ''} written to {folder}"
    return head + " (open the .eml files with your mail program; nothing was sent)."


def render_finding(finding: Finding, *, prefix: str = "") -> str:
    """One copy finding as lint-copy prints it: where, category, severity, term, rule, source, safer wording."""
    f = finding
    hint = f" → {f.suggestion}" if f.suggestion else ""
    return f'{prefix}{f.start}-{f.end} {f.category} {f.severity} "{f.term}": {f.message} ({f.source}){hint}'


def finding_dict(finding: Finding) -> dict[str, object]:
    """A finding as lint-copy --json prints it."""
    keys = ("category", "severity", "term", "start", "end", "rule", "source", "suggestion")
    return {key: getattr(finding, key) for key in keys}


def render_copy_check(check: CopyCheck) -> list[str]:
    """The lines of a workbook copy check: per cell, each finding with its rule source and a safer wording."""
    if not check.checked:
        return [
            f"No ad copy to check: {check.where} holds no text. "
            "Select the cells with the copy, or fill in Reviews › Copy."
        ]
    flagged = {cell: found for cell, found in check.findings.items() if found}
    cells = len(check.checked)
    if not flagged:
        return [f"No findings in {cells} cell{'s' if cells != 1 else ''} of {check.where}."]
    total = sum(len(found) for found in flagged.values())
    lines = [f"{total} finding{'s' if total != 1 else ''} in {len(flagged)} of {cells} cells of {check.where}:"]
    for cell, found in flagged.items():
        for f in found:
            hint = f" → try: {f.suggestion}" if f.suggestion else ""
            lines.append(f'{cell}: "{f.term}" {f.category} ({f.severity}), {f.source}{hint}')
    return lines


def launch_line(launch: LaunchStatus | None) -> str:
    """One line on the launch: on track, or at risk by how many working days."""
    if launch is None:
        return "Launch: not planned (see problems)."
    if launch.at_risk:
        return (
            f"Launch {launch.date.isoformat()}: AT RISK by {launch.slip_days} working "
            f"day{'s' if launch.slip_days != 1 else ''} (projected {launch.projected.isoformat()})"
        )
    return f"Launch {launch.date.isoformat()}: on track"


def problem_lines(report: SyncReport) -> list[str]:
    """"No problems." or a count and one indented line per problem."""
    if not report.problems:
        return ["No problems."]
    return [f"Problems ({len(report.problems)}):"] + [f"  {p}" for p in report.problems]


def _flag_lines(report: SyncReport) -> list[str]:
    lines = []
    for sheet, counts in report.flags.items():
        if counts:
            parts = ", ".join(f"{n} {flag}" for flag, n in sorted(counts.items(), key=lambda item: flag_rank(item[0])))
            lines.append(f"{sheet}: {parts}")
    return lines


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _launch_words(launch: LaunchStatus) -> str:
    if launch.at_risk:
        days = f"{launch.slip_days} working day{'s' if launch.slip_days != 1 else ''}"
        return f"at risk by {days} ({launch.projected.isoformat()})"
    return f"on track ({launch.date.isoformat()})"
