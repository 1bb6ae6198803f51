"""Compose each person's digest from one analysis of the workbook, in the book's language.

Brief (busy clients): the launch status in the subject, then a few lines — the
launch against its baseline (baseline.py), the next milestone, counts of overdue
and due-soon work, and what waits on this person. Detailed (the team): that plus
tables (the largest variances against the baseline among them), what changed
since this person's previous digest, the timeline picture and the sync's notices.
RACI routes escalation: the person accountable (A) for an overdue task hears about it.

Every word is a `_()` message in the language of the book (`Analysis.lang`, the
language of its Problems), not of its Market, which only chooses copy rules.
Contract words (flags, review stages, digest kinds) are shown with
`contract.flag_label` / `choice_label`. Dates are ISO (2026-12-09) in both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .. import i18n
from ..analysis import Analysis
from ..contract import (
    DIGEST_KIND,
    DUE_SOON,
    OK,
    choice_label,
    flag_label,
    sheet_spec,
)
from ..engine.risks import indicator_name
from ..i18n import _, n_
from ..outcomes import TaskResult
from ..parse.raci import BOT_ADDRESS
from .baseline import analysis_baseline_line, baseline_table
from .book import once
from .model import Digest, GanttBar, Recipient, Table, one_line
from .money import brief_lines, burn_down, money_tables
from .waiting import _day, _stage, _waiting

MAX_BRIEF_LINES = 8
SOON_WORKDAYS = 5


def is_due(recipient: Recipient, today: dt.date) -> bool:
    """Cadence: daily digests go out on every run, weekly ones on Mondays."""
    if recipient.kind == "none" or recipient.cadence == "none":
        return False
    return recipient.cadence == "daily" or (recipient.cadence == "weekly" and today.weekday() == 0)


def recipients(analysis: Analysis, *, to: str | None = None) -> list[Recipient]:
    """Team members who get a digest today (or exactly the one whose email is `to`, whatever the cadence)."""
    out = []
    view = analysis.team.view if analysis.team else None
    for m in analysis.team.members if analysis.team else []:
        cell = f"{view.title}!{view.locate(m.row, 'Email')}" if view is not None else ""
        r = Recipient(m.name, m.email, m.role, m.side or "agency", m.digest, m.cadence, cell)
        if to is not None:
            if m.email.casefold() == to.casefold():
                out.append(r if r.kind != "none" else replace(r, kind="brief", cadence="daily"))
        elif is_due(r, analysis.today):
            out.append(r)
    return out


def compose(
    analysis: Analysis, recipient: Recipient, previous: dict | None, *, personal: bool = True
) -> tuple[Digest, dict]:
    """One person's digest in the book's language, and the snapshot to compare against next time.

    `personal=False` composes for a group (a chat channel): no "waiting on you"
    lines, since a group is told what waits on each person (chat/compose.py).
    """
    with i18n.language(analysis.lang) as lang:
        return _compose(analysis, recipient, previous, lang, personal)


def waiting_for(analysis: Analysis, recipient: Recipient) -> list[str]:
    """What waits on this person: their tasks, overdue ones they are accountable for, reviews, requests, findings."""
    with i18n.language(analysis.lang):
        return _waiting(analysis, recipient)


def _compose(
    analysis: Analysis, recipient: Recipient, previous: dict | None, lang: str, personal: bool
) -> tuple[Digest, dict]:
    settings = analysis.settings
    project = one_line(settings.project_name or _("campaign"))
    headline = once(analysis, "headline", lambda: _headline(_launch_state(analysis)))
    digest = Digest(
        recipient=recipient,
        lang=lang,
        project=project,
        today=analysis.today,
        subject=one_line(_("[{project}] {headline}", project=project, headline=headline)),
        headline=headline,
        launch=settings.launch_date,
        projected_launch=analysis.launch.projected if analysis.launch else None,
        sheet_link="" if BOT_ADDRESS.search(settings.sheet_link) else settings.sheet_link,  # a Problem, never shown
        footer=_footer(project, analysis.today, recipient),
    )
    lines, money = once(analysis, "lines", lambda: _book_lines(analysis, lang))
    lines = list(lines)
    waiting = _waiting(analysis, recipient) if personal else []
    digest.waiting = waiting
    room = MAX_BRIEF_LINES - len(lines) + len(money) - 1
    if recipient.kind == "detailed" or not personal:
        pass  # the renderer shows `waiting` as its own section of a detailed digest
    elif waiting:
        more = len(waiting) - room + 1
        shown = waiting if len(waiting) <= room else [*waiting[: room - 1], _("… and {n} more", n=more)]
        lines += [_("Waiting on you:"), *(f"• {w}" for w in shown)]
    else:
        lines.append(_("Nothing is waiting on you."))
    digest.lines = lines
    snapshot = once(analysis, "snapshot", lambda: _snapshot(analysis))  # never changed: saved as JSON
    if digest.detailed:
        digest.tables = list(once(analysis, "tables", lambda: _tables(analysis)))
        digest.changes = _changes(previous, snapshot)
        digest.gantt = list(once(analysis, "gantt", lambda: _gantt(analysis)))
        digest.burn = once(analysis, "burn", lambda: burn_down(analysis))  # spend against the plan, by the timeline
        digest.notices = list(analysis.notices)  # the team's, never the client's brief
        # which cells: Problem.__str__ in the active language, said once per book and language
        digest.problems = list(once(analysis, "problems", lambda: [str(p) for p in analysis.problems]))
    return digest, snapshot


def _book_lines(analysis: Analysis, lang: str) -> tuple[list[str], list[str]]:
    """The brief's lines before what waits on the person, and the money lines among them: the same for everyone."""
    against = analysis_baseline_line(analysis)  # the launch against its committed date, once a baseline exists
    money = brief_lines(analysis)  # budget burn and goal progress, when the book has them: not from the waiting room
    return [*_problems_line(analysis, lang), *([against] if against else []), _next_line(analysis),
            _counts_line(analysis), *money], money


def _footer(project: str, today: dt.date, r: Recipient) -> str:
    cadence = _("on Mondays") if r.cadence == "weekly" else _("every working day")
    return _(
        "Sent by sheetsync for {project} on {today}. "
        "You get a {kind} digest {cadence}; change it in the Team sheet.",
        project=project, today=_day(today), kind=choice_label(r.kind, DIGEST_KIND), cadence=cadence,
    )


def indicator_label(code: str) -> str:
    """How a risk indicator is named in a digest table: the code in English, what it counts in Chinese."""
    return indicator_name(code)


# --- brief ----------------------------------------------------------------------


def _launch_state(a: Analysis) -> dict | None:
    """The launch line's facts, kept in the snapshot so an old headline can be said again in any language."""
    launch = a.launch
    if launch is None:
        return None
    return {
        "date": launch.date.isoformat(),
        "at_risk": bool(launch.at_risk),
        "slip": launch.slip_days,
        "projected": launch.projected.isoformat(),
    }


def _headline(state: dict | None) -> str:
    if state is None:
        return _("Launch: not planned yet (see the Problems sheet)")
    if state["at_risk"]:
        return n_(
            "Launch {date}: at risk by {n} working day (projected {projected})",
            "Launch {date}: at risk by {n} working days (projected {projected})",
            state["slip"], date=state["date"], projected=state["projected"],
        )
    return _("Launch {date}: on track", date=state["date"])


def _problems_line(a: Analysis, lang: str) -> list[str]:
    """One line when the sheet has Problems: the dates a digest shows are computed past cells that need fixing."""
    if not a.problems:
        return []
    return [
        n_(
            "{n} cell needs fixing — the dates below may be off (see the {sheet} sheet).",
            "{n} cells need fixing — the dates below may be off (see the {sheet} sheet).",
            len(a.problems), sheet=sheet_spec("Problems").label(lang),
        )
    ]


def _next_line(a: Analysis) -> str:
    upcoming = [r for r in a.open_tasks() if not r.overdue] or a.open_tasks()
    if not upcoming:
        return _("Every timeline task is done.")
    first = upcoming[0]
    task, due = first.task, _day(first.due)
    if first.flag == OK:
        return _("Next: {id} {name}, due {due}", id=task.id, name=task.name, due=due)
    return _("Next: {id} {name}, due {due} ({flag})", id=task.id, name=task.name, due=due, flag=flag_label(first.flag))


def _counts_line(a: Analysis) -> str:
    overdue = a.overdue()
    soon = sum(counts.get(DUE_SOON, 0) for counts in a.flag_counts().values())  # tasks, reviews and requests
    return _(
        "Overdue: {tasks}, {reviews}, {feedback} · due soon: {soon}",
        tasks=n_("{n} task", "{n} tasks", len(overdue.tasks)),
        reviews=n_("{n} review", "{n} reviews", len(overdue.reviews)),
        feedback=n_("{n} client request", "{n} client requests", len(overdue.feedback)),
        soon=soon,
    )


# --- detailed ---------------------------------------------------------------------


def _task_row(r: TaskResult) -> tuple[str, ...]:
    return (r.task.id, r.task.name, r.task.owner, _day(r.due), _day(r.projected_due), flag_label(r.flag))


def _task_columns() -> tuple[str, ...]:
    return (_("ID"), _("Task"), _("Owner"), _("Due"), _("Projected"), _("Flag"))


def _tables(a: Analysis) -> list[Table]:
    empty = _("None.")
    overdue = a.overdue()
    # one table for three kinds of late work: the first column says which kind each row is
    overdue_rows = []
    for result in sorted(overdue.tasks, key=TaskResult.soonest_first):
        _id, *rest = _task_row(result)
        overdue_rows.append((_("task {id}", id=_id), *rest))
    for late in overdue.reviews:
        review = late.review
        overdue_rows.append(
            (
                _("review: {asset} round {round}", asset=review.asset, round=review.round),
                n_("{stage} review, pending {n} working day", "{stage} review, pending {n} working days",
                   late.age or 0, stage=_stage(review.stage)),
                review.reviewer,
                "",
                "",
                flag_label(late.flag),
            )
        )
    for late in overdue.feedback:
        item = late.item
        what = _("client request on {related}", related=item.related_to) if item.related_to else _("client request")
        overdue_rows.append((what, item.request, item.owner, _day(late.due), "", flag_label(late.flag)))
    columns = (_("Item"), *_task_columns()[1:])
    tables = [Table(_("Overdue"), columns, tuple(overdue_rows), empty)]

    soon_rows = tuple(_task_row(r) for r in a.due_soon(SOON_WORKDAYS))
    tables.append(Table(_("Due in the next 5 working days"), _task_columns(), soon_rows, empty))
    tables += [t for t in (baseline_table(a),) if t is not None] + money_tables(a)

    review_rows = tuple(
        (
            _stage(r.review.stage) if r.review.stage else "",
            r.review.asset,
            str(r.review.round),
            r.review.reviewer,
            _day(r.review.submitted_on),
            "" if r.age is None else str(r.age),
            flag_label(r.flag),
        )
        for r in a.reviews_by_stage()
    )
    review_columns = (_("Stage"), _("Asset"), _("Round"), _("Reviewer"), _("Submitted"), _("Age (working days)"),
                      _("Flag"))
    tables.append(Table(_("Reviews by stage"), review_columns, review_rows, empty))

    risk_rows = tuple(
        (r.risk.id, r.risk.risk, indicator_label(r.risk.indicator), str(r.current), str(r.risk.threshold),
         r.risk.owner, r.risk.plan)
        for r in a.triggered_risks()
    )
    risk_columns = (_("ID"), _("Risk"), _("Indicator"), _("Now"), _("Threshold"), _("Owner"), _("Contingency plan"))
    tables.append(Table(_("Triggered risks"), risk_columns, risk_rows, empty))

    feedback_rows = tuple(
        (
            _day(r.item.received_on),
            r.item.sender,
            r.item.request,
            r.item.related_to,
            r.item.owner,
            _day(r.due),
            flag_label(r.flag),
        )
        for r in a.open_feedback()
    )
    feedback_columns = (_("Received"), _("From"), _("Request"), _("Related to"), _("Owner"), _("Due"), _("Flag"))
    tables.append(Table(_("Open client feedback"), feedback_columns, feedback_rows, empty))
    return tables


def _gantt(a: Analysis) -> list[GanttBar]:
    return [
        GanttBar(r.task.id, r.dates.start, r.due, r.projected_due, r.flag, r.task.is_milestone, r.task.name)
        for r in a.task_results()
    ]


# --- what changed -------------------------------------------------------------------


def _snapshot(a: Analysis) -> dict:
    """What the next digest compares against: canonical flags and projections by stable keys, in no language.

    `launch` stays the English headline (what earlier snapshots hold, so the
    comparison survives an upgrade); `launch_state` lets a change be said in
    the book's language.
    """
    state = _launch_state(a)
    with i18n.language("en"):
        launch = _headline(state)
    snap: dict = {"launch": launch, "launch_state": state, "tasks": {}, "reviews": {}, "feedback": {}, "risks": {},
                  "review_names": {}}
    for r in a.task_results():
        snap["tasks"][r.task.id] = {"name": r.task.name, "flag": r.flag, "projected": r.projected_due.isoformat()}
    for r in a.review_results():
        key = f"{r.review.asset} r{r.review.round} {r.review.stage}"
        snap["reviews"][key] = r.flag
        snap["review_names"][key] = [r.review.asset, r.review.round, r.review.stage]
    for r in a.feedback_results():
        key = f"{_day(r.item.received_on)} {r.item.request}"
        snap["feedback"][key] = {"request": r.item.request, "flag": r.flag}
    for r in a.risk_results():
        snap["risks"][r.risk.id] = {"risk": r.risk.risk, "flag": r.flag}
    return snap


def _flag(word: object) -> str:
    return flag_label(str(word)) if word else "—"


def _changes(previous: dict | None, now: dict) -> list[str]:
    if previous is None:
        return [_("This is your first digest for this project.")]
    out: list[str] = []
    if previous.get("launch") != now["launch"]:
        old = _headline(previous["launch_state"]) if "launch_state" in previous else previous.get("launch")
        out.append(_("Launch: {old} → {new}", old=old, new=_headline(now["launch_state"])))
    before_tasks = previous.get("tasks", {})
    for tid, cur in now["tasks"].items():
        old = before_tasks.get(tid)
        name = cur["name"]
        if old is None:
            out.append(_("New task {id} {name}", id=tid, name=name))
        elif old.get("flag") != cur["flag"]:
            out.append(_("{id} {name}: {old} → {new}", id=tid, name=name, old=_flag(old.get("flag")),
                         new=_flag(cur["flag"])))
        elif old.get("projected") != cur["projected"]:
            out.append(_("{id} {name}: projected {old} → {new}", id=tid, name=name, old=old.get("projected"),
                         new=cur["projected"]))
    for key, flag in now["reviews"].items():
        old = previous.get("reviews", {}).get(key)
        if old != flag:
            asset, round_, stage = now["review_names"][key]
            out.append(_("Review {asset} round {round} ({stage}): {old} → {new}", asset=asset, round=round_,
                         stage=_stage(stage), old=_flag(old), new=_flag(flag)))
    for key, cur in now["feedback"].items():
        old = previous.get("feedback", {}).get(key)
        if old is None:
            out.append(_('New client request: "{request}"', request=cur["request"]))
        elif old.get("flag") != cur["flag"]:
            out.append(_('Client request "{request}": {old} → {new}', request=cur["request"],
                         old=_flag(old.get("flag")), new=_flag(cur["flag"])))
    for rid, cur in now["risks"].items():
        old = previous.get("risks", {}).get(rid)
        if old is not None and old.get("flag") != cur["flag"]:
            out.append(_("Risk {id} {risk}: {old} → {new}", id=rid, risk=cur["risk"], old=_flag(old.get("flag")),
                         new=_flag(cur["flag"])))
    return out or [_("Nothing changed since your last digest.")]
