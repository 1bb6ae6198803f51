"""The plain text of a what-if, and the one line a change request's impact is recorded as.

Apart from report_text.py (the sync, digest and summary texts) because a what-if has
its own vocabulary: the change, the launch and the buffer left before → after, the
decisions its new plan needs, the risks it triggers. In the book's language
(the report's `before.lang`), as every rendering is.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import i18n
from .contract import STATUS_BLOCKED, flag_label
from .engine.risks import indicator_name
from .i18n import _, n_

if TYPE_CHECKING:
    from .engine.schedule import LaunchStatus
    from .whatif import Decision, WhatIfReport

IMPACT_LIMIT = 250  # characters: one line a person reads in a cell without widening the column
_NAMED_DECISIONS = 5  # more decisions are counted in the impact line, not named


def render_what_if(report: WhatIfReport) -> str:
    """The human text of a what-if."""
    with i18n.language(report.before.lang):
        return "\n".join(_what_if_lines(report))


def impact_line(report: WhatIfReport) -> str:
    """The change request's impact as one line for the Feedback sheet's Impact cell (≤ IMPACT_LIMIT characters)."""
    with i18n.language(report.before.lang):
        parts = [_("what-if of {day}", day=report.today.isoformat())]
        before, after = report.before.launch, report.after.launch
        if before and after:
            parts.append(_("launch {before} → {after}", before=_launch_words(before), after=_launch_words(after)))
            parts.append(_("buffer left {buffer}", buffer=_buffer_words(before, after, report.buffer_used)))
        ids = [d.id for d in report.decisions]
        named = _list(ids[:_NAMED_DECISIONS]) + ("…" if len(ids) > _NAMED_DECISIONS else "")
        parts.append(
            n_("{n} decision needed ({tasks})", "{n} decisions needed ({tasks})", len(ids), tasks=named)
            if ids
            else _("no decision needed")
        )
        line = _("{changes}: {impact}", changes=_list(change_words(report)), impact=_("; ").join(parts))
        return line if len(line) <= IMPACT_LIMIT else line[: IMPACT_LIMIT - 1] + "…"


def change_words(report: WhatIfReport) -> list[str]:
    """The change asked, one phrase per part: the launch move, each slip, each re-estimate."""
    changes = [_("launch moves to {date}", date=report.launch_change.isoformat())] if report.launch_change else []
    changes += [
        n_(
            "{task} finishes {days} working day late",
            "{task} finishes {days} working days late",
            days,
            task=task_id,
            days=days,
        )
        for task_id, days in report.slips.items()
    ]
    changes += [_delay_words(task_id, days) for task_id, days in report.delays.items()]
    return changes


def _delay_words(task_id: str, days: int) -> str:
    """"T5 takes +2 working days", or for a shorter re-estimate "T5 takes 1 working day less" (not "-1")."""
    if days < 0:
        return n_("{task} takes {days} working day less", "{task} takes {days} working days less", -days,
                  task=task_id, days=-days)
    return n_("{task} takes {days} working day", "{task} takes {days} working days", days,
              task=task_id, days=format(days, "+d"))


def _what_if_lines(report: WhatIfReport) -> list[str]:
    lines = [_("What if {changes} (today {day}):", changes=_list(change_words(report)), day=report.today.isoformat())]
    before, after = report.before.launch, report.after.launch
    if before and after:
        lines.append(_("Launch: {before} → {after}", before=_launch_words(before), after=_launch_words(after)))
        lines.append(_("Buffer left before launch: {buffer}", buffer=_buffer_words(before, after, report.buffer_used)))
    if report.moves:
        lines.append(_("Milestones that move ({n}):", n=len(report.moves)))
        for move in report.moves:
            b, a = move.before, move.after  # b is None for a task the change adds
            changed = (
                (_("start {old} → {new}"), b and b.start, a.start),
                (_("due {old} → {new}"), b and b.due, a.due),
                (_("projected {old} → {new}"), b and b.projected_due, a.projected_due),
                (_("slack {old} → {new}"), b and b.slack, a.slack),
                ("{old} → {new}", b and flag_label(b.flag), flag_label(a.flag)),
            )
            parts = [text.format(old=_day(old), new=_day(new)) for text, old, new in changed if old != new]
            lines.append(_("  {id} {name}: {changes}", id=move.id, name=move.milestone, changes=_list(parts)))
    else:
        lines.append(_("No milestone moves."))
    if report.decisions:
        lines.append(_("Decisions needed ({n}) — the new plan is already past:", n=len(report.decisions)))
        lines += [_decision_line(d) for d in report.decisions]
    if report.launch_change and after:
        lines.append(_feasibility(after))
    if report.risks:
        lines.append(_("Risks triggered:"))
        for r in report.risks:
            line = _(
                "{id} {risk} ({indicator} {current}, threshold {threshold}) — owner {owner}: {plan}",
                id=r.id,
                risk=r.risk,
                indicator=indicator_name(r.indicator),
                current=r.current,
                threshold=r.threshold,
                owner=r.owner or "?",
                plan=r.plan,
            )
            lines.append("  " + (_("NEW {risk}", risk=line) if r.new else line))
    if report.recorded:
        lines.append(
            _("Written to {sheet}!{cell}: {impact}", sheet=report.recorded.sheet, cell=report.recorded.cell,
              impact=report.recorded.impact)
        )
    else:
        if report.record_problems:  # --record found no place for the impact
            lines.append(_("Problems ({n}):", n=len(report.record_problems)))
            lines += [f"  {p}" for p in report.record_problems]
        lines.append(_("Nothing was written."))
    return lines


def _buffer_words(before: LaunchStatus, after: LaunchStatus, used: int | None) -> str:
    """"4 → 1 working days (3 used)", "1 → 1 working day (0 used)", or "2 → -3 working days (the launch slips 3
    working days)"."""
    if after.buffer_days < 0:
        slip = after.slip_days or -after.buffer_days
        why = n_("the launch slips {n} working day", "the launch slips {n} working days", slip)
    elif used is not None and used < 0:
        why = _("{n} gained", n=-used)
    else:
        why = _("{n} used", n=used or 0)
    return n_(  # "day" or "days" by the figure it follows; "-3" written as the Slack column and the JSON write it
        "{before} → {after} working day ({why})",
        "{before} → {after} working days ({why})",
        abs(after.buffer_days),
        before=before.buffer_days,
        after=after.buffer_days,
        why=why,
    )


def _decision_line(decision: Decision) -> str:
    if decision.due_past:
        why = _("due {due} is before today", due=decision.due.isoformat())
    elif decision.status == STATUS_BLOCKED:  # waiting on someone: "not started" would hide why
        why = _("blocked and its start {start} is before today", start=decision.start.isoformat())
    else:
        why = _("not started and its start {start} is before today", start=decision.start.isoformat())
    line = _("  {id} {name}: {why}", id=decision.id, name=decision.milestone, why=why)
    return line if decision.new else _("{line} (already before the change)", line=line)


def _feasibility(after: LaunchStatus) -> str:
    if not after.at_risk:
        return _("The new launch {date} can be made from today.", date=after.date.isoformat())
    return n_(
        "The new launch {date} cannot be made from today: it would slip {n} working day (projected {projected}).",
        "The new launch {date} cannot be made from today: it would slip {n} working days (projected {projected}).",
        after.slip_days,
        date=after.date.isoformat(),
        projected=after.projected.isoformat(),
    )


def _launch_words(launch: LaunchStatus) -> str:
    if launch.at_risk:
        words = n_(
            "at risk by {n} working day ({projected})",
            "at risk by {n} working days ({projected})",
            launch.slip_days,
            projected=launch.projected.isoformat(),
        )
    else:
        words = _("on track ({date})", date=launch.date.isoformat())
    note = launch.provisional_note()
    return _("{words} — {note}", words=words, note=note) if note else words


def _list(parts: list[str]) -> str:
    """Items joined as the active language writes a list."""
    return i18n.pick(None, ", ", "，").join(parts)


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


__all__ = ["IMPACT_LIMIT", "change_words", "impact_line", "render_what_if"]
