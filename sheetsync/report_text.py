"""Plain-text renderings of results, one for every front end (command line, Excel buttons, web service).

Each function turns one library result into the lines a person reads, in the
language of the workbook it came from (its report's `lang`): a sync or check
(`render_report`), the demo's and the Sync now box's summary (`render_summary`,
after `sync_headline` in a message box), a digest run (`render_digest_run`,
after `preview_headline` for a preview); copy findings are worded by
report_copy.py and a what-if by report_whatif.py. Front ends may fit the text to
their window, never word it anew. Flag, status and stage words are the book's
own (contract.flag_label / choice_label); IDs, names and the book's content
are shown as written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import i18n
from .contract import (
    AT_RISK,
    CHANNELS,
    DIGEST_KIND,
    REVIEW_STAGE,
    TIMELINE,
    choice_label,
    flag_label,
    flag_rank,
    platform_label,
    sheet_spec,
)
from .digest.baseline import analysis_baseline_line
from .digest.header_text import one_line
from .engine.risks import indicator_name
from .engine.schedule import LaunchStatus
from .i18n import _, n_
from .outcomes import OverdueWork
from .report_money import MONEY_SHEETS, money_lines

if TYPE_CHECKING:
    from pathlib import Path

    from .digest.run import DigestRun
    from .raw import CellValue
    from .sync import SyncReport


def render_report(report: SyncReport) -> str:
    """The human text of a sync or check: what was written, then the summary (dry run: each cell it would write)."""
    with i18n.language(report.lang):
        day, target, n = report.today.isoformat(), report.target, report.changed_cells
        if report.action == "check":
            head = _("{target}: checked (nothing written), today {day}", target=target, day=day)
        elif report.dry_run:
            head = n_(
                "{target}: dry run, {n} cell would change, today {day}",
                "{target}: dry run, {n} cells would change, today {day}",
                n,
                target=target,
                day=day,
            )
        elif report.written:
            head = n_(
                "{target}: synced, {n} cell changed, today {day}",
                "{target}: synced, {n} cells changed, today {day}",
                n,
                target=target,
                day=day,
            )
        else:
            head = _("{target}: synced, nothing changed, today {day}", target=target, day=day)
        would_write = [
            _("  would write {sheet}!{cell} = {value}", sheet=c.sheet, cell=c.a1, value=_cell_text(c.value))
            for c in (report.changes if report.dry_run else [])
        ]
        return "\n".join([head, *_summary_lines(report), *would_write, *problem_lines(report)])


def render_summary(report: SyncReport) -> str:
    """The shared summary of a sync, check or demo: the launch, what is overdue and at risk, triggered risks,
    flag counts, notices, problems — each item named with its owner and date."""
    with i18n.language(report.lang):
        return "\n".join([*_summary_lines(report), *problem_lines(report)])


def _summary_lines(report: SyncReport) -> list[str]:
    a = report.analysis
    overdue = a.overdue() if a else OverdueWork()
    late = [_task_line(t) for t in overdue.tasks]
    for r in overdue.reviews:
        review = r.review
        late.append(
            n_(
                "  review {asset} round {round}: pending at {stage} ({reviewer}) since {submitted}, "
                "for {n} working day",
                "  review {asset} round {round}: pending at {stage} ({reviewer}) since {submitted}, "
                "for {n} working days",
                r.age or 0,
                asset=review.asset,
                round=review.round,
                stage=choice_label(review.stage, REVIEW_STAGE) if review.stage else "?",
                reviewer=review.reviewer or _("no reviewer"),
                submitted=_day(review.submitted_on),
            )
        )
    for f in overdue.feedback:
        late.append(
            _(
                '  feedback "{request}" from {sender} ({owner}): due {due}',
                request=f.item.request,
                sender=f.item.sender or "?",
                owner=f.item.owner or _("no owner"),
                due=_day(f.due),
            )
        )
    lines = [launch_line(report.launch, planned=bool(a.tasks) if a else True)]
    lines += [f"  {line}" for line in ([analysis_baseline_line(a)] if a else []) if line]  # against the baseline
    lines += [_("Overdue ({n}):", n=len(late)), *late] if late else [_("Nothing is overdue.")]
    at_risk = [t for t in (a.task_results() if a else []) if t.flag == AT_RISK]
    if at_risk:
        lines += [_("At risk ({n}):", n=len(at_risk)), *(_task_line(t) for t in at_risk)]
    hits = a.triggered_risks() if a else []
    if hits:
        lines.append(_("Risks triggered ({n}):", n=len(hits)))
    for hit in hits:
        risk = hit.risk
        lines.append(
            _(
                "  {id} {risk} — {indicator} {current} {threshold}; {owner}: {plan}",
                id=risk.id,
                risk=risk.risk,
                indicator=indicator_name(risk.indicator),
                current=hit.current,
                threshold=risk.threshold,
                owner=risk.owner or _("no owner"),
                plan=risk.plan,
            )
        )
    lines += [*money_lines(a.money if a else None), *_flag_lines(report)]
    # a notice that repeats a Problem (the calendar's) is said once, in the problem list below
    said = [p.problem for p in report.problems]
    lines += [n for n in dict.fromkeys(a.notices) if not any(p in n for p in said)] if a else []
    return lines


def _task_line(result: object) -> str:
    """An overdue or at-risk task: ID, name, owner, planned and projected due."""
    task, due, projected = result.task, _day(result.due), _day(result.projected_due)  # type: ignore[attr-defined]
    if task.owner:
        return _(
            "  task {id} {name}, {owner}: due {due}, now projected {projected}",
            id=task.id,
            name=task.name,
            owner=task.owner,
            due=due,
            projected=projected,
        )
    return _(
        "  task {id} {name} (no owner): due {due}, now projected {projected}",
        id=task.id,
        name=task.name,
        due=due,
        projected=projected,
    )


def sync_headline(report: SyncReport) -> str:
    """The first line of a button's or menu's sync message: how many cells it changed."""
    with i18n.language(report.lang):
        if report.written:
            return n_("Synced: {n} cell changed.", "Synced: {n} cells changed.", report.changed_cells)
        return _("Synced: nothing changed.")


_MAIL_WORDS = {
    "written": lambda n: n_("{n} written", "{n} written", n),
    "sent": lambda n: n_("{n} sent", "{n} sent", n),
    "skipped": lambda n: n_("{n} skipped", "{n} skipped", n),
    "invalid": lambda n: n_("{n} invalid", "{n} invalid", n),
    "failed": lambda n: n_("{n} failed", "{n} failed", n),
}
_CHAT_WORDS = {
    "written": lambda n: n_("{n} chat previewed", "{n} chats previewed", n),
    "sent": lambda n: n_("{n} posted", "{n} posted", n),
    "skipped": lambda n: n_("{n} already posted", "{n} already posted", n),
    "invalid": lambda n: n_("{n} not set up", "{n} not set up", n),
    "failed": lambda n: n_("{n} failed", "{n} failed", n),
}


def _counts(statuses: list[str], words: dict) -> list[str]:
    """Counts such as "2 sent, 1 skipped": each status once, in the order first met."""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return [words[s](n) if s in words else f"{n} {s}" for s, n in counts.items()]


def render_digest_run(run: DigestRun) -> str:
    """One line per recipient, then a count."""
    with i18n.language(getattr(run, "lang", None)):
        problems = [_("PROBLEM  {problem}", problem=one_line(p)) for p in getattr(run, "chat_problems", [])]
        if not run.deliveries and problems:
            return "\n".join(problems)
        if not run.deliveries and run.chat_channels == 0 and run.mode == "chat":
            return _("The book has no group chats: add a row to its {sheet} sheet (see the README: Group "
                     "chats).", sheet=CHANNELS.label(i18n.current()))
        if not run.deliveries:
            return _("No digest is due on {day} (weekly digests go out on Mondays).", day=run.today.isoformat())
        lines = []
        rows = run.as_dict()["deliveries"]
        for row in rows:
            kind = choice_label(row["kind"], DIGEST_KIND) if row["kind"] else ""
            if row.get("channel"):  # a group chat: its name, app and digest
                app = platform_label(row["platform"])
                who = one_line(_("#{channel} ({platform}, {kind})", channel=row["channel"], platform=app, kind=kind))
            else:
                who = one_line(f"{row['name']} <{row['email']}> ({kind})")  # a bad address may hold a line break
            status, reason = row["status"], one_line(str(row.get("reason") or ""))
            if status == "written":
                lines.append(_("written  {who}: {path}", who=who, path=row["path"]))
            elif status == "sent" and row.get("channel"):
                lines.append(_("posted   {who}", who=who))
            elif status == "sent":
                lines.append(_("sent     {who}", who=who))
            elif status == "skipped":
                lines.append(_("skipped  {who}: {reason}", who=who, reason=reason))
            elif status == "invalid":
                lines.append(_("INVALID  {who}: {reason}", who=who, reason=reason))
            else:
                lines.append(_("FAILED   {who}: {reason}", who=who, reason=reason))
        lines += problems
        mails = [r["status"] for r in rows if not r.get("channel")]
        chats = [r["status"] for r in rows if r.get("channel")]
        if mails:
            lines.append(_("{counts}.", counts=_list(_counts(mails, _MAIL_WORDS))))
        if chats:
            lines.append(_("Group chats: {counts}.", counts=_list(_counts(chats, _CHAT_WORDS))))
        return "\n".join(lines)


def preview_headline(run: DigestRun, folder: Path) -> str:
    """The first line of a digest preview's message: how many .eml files, where, and that nothing was sent."""
    with i18n.language(getattr(run, "lang", None)):
        written = sum(1 for d in run.deliveries if d.status == "written")
        return n_(
            "{n} digest preview written to {folder} (open the .eml files with your mail program; nothing was sent).",
            "{n} digest previews written to {folder} (open the .eml files with your mail program; nothing was sent).",
            written,
            folder=folder,
        )


def launch_line(launch: LaunchStatus | None, *, planned: bool = True) -> str:
    """One line on the launch: on track, or at risk by how many working days; and whether that rests on a guess.

    ``planned`` False (no task on the Timeline): nothing can be on track yet, so the line says so.
    """
    if launch is None:
        return _("Launch: not planned (see problems).")
    if not planned:
        return _(
            "Launch {date}: nothing planned yet; add the tasks on the {timeline} sheet.",
            date=launch.date.isoformat(), timeline=TIMELINE.label(i18n.current()),
        )
    if launch.at_risk:
        line = n_(
            "Launch {date}: AT RISK by {n} working day (projected {projected})",
            "Launch {date}: AT RISK by {n} working days (projected {projected})",
            launch.slip_days,
            date=launch.date.isoformat(),
            projected=launch.projected.isoformat(),
        )
    else:
        line = _("Launch {date}: on track", date=launch.date.isoformat())
    return _provisional(line, launch)


def problem_lines(report: SyncReport) -> list[str]:
    """ "No problems." or a count and one indented line per problem (in the report's language)."""
    with i18n.language(report.lang):
        if not report.problems:
            return [_("No problems.")]
        return [_("Problems ({n}):", n=len(report.problems))] + [f"  {p}" for p in report.problems]


def _flag_lines(report: SyncReport) -> list[str]:
    """Per sheet, as the book names it: how many rows carry each flag, most urgent first."""
    titles = _sheet_titles(report)
    lines = []
    for sheet, counts in report.flags.items():
        if counts and sheet not in MONEY_SHEETS:  # said by the budget and goals lines
            ranked = sorted(counts.items(), key=lambda item: flag_rank(item[0]))
            parts = [_("{n} {flag}", n=n, flag=flag_label(flag)) for flag, n in ranked]
            lines.append(_("{sheet}: {flags}", sheet=titles.get(sheet, sheet), flags=_list(parts)))
    return lines


def _sheet_titles(report: SyncReport) -> dict[str, str]:
    """Canonical sheet name → the sheet's title in this book (its language's name where the book has none)."""
    titles = {}
    for name in report.flags:
        try:
            titles[name] = sheet_spec(name).label(i18n.current())
        except KeyError:
            titles[name] = name
    a = report.analysis
    if a is not None:
        for part in (a.timeline, a.reviews, a.risks, a.feedback):
            if part is not None and part.view is not None:
                titles[part.view.spec.name] = part.view.title
    return titles


def _list(parts: list[str]) -> str:
    """Items joined as the active language writes a list."""
    return i18n.pick(None, ", ", "，").join(parts)


def _cell_text(value: CellValue) -> str:
    """A value a dry run would write, as a person reads it: dates as dates, text quoted, blank said."""
    if value is None or value == "":
        return _("(blank)")
    if isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _provisional(words: str, launch: LaunchStatus) -> str:
    """"on track — provisional: T8's duration is unreadable (Timeline!E9)" when the plan rests on a guess."""
    note = launch.provisional_note()
    return _("{words} — {note}", words=words, note=note) if note else words
