"""The command line: parse arguments, make one library call, print the result.

Exit status: 0 = synced with no problems, 1 = synced but problems were found,
2 = could not run (bad arguments, unreadable or locked workbook).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from . import __version__
from .contract import INDUSTRY
from .errors import SheetsyncError, UsageError
from .parse.cells import CellError, to_date
from .sync import SyncReport

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def _date_arg(text: str) -> dt.date:
    try:
        day = to_date(text)
    except CellError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if day is None:
        raise argparse.ArgumentTypeError("a date is required, such as 2026-03-01")
    return day


def _delay_arg(text: str) -> tuple[str, int]:
    task_id, sep, days = text.partition("=")
    try:
        if not sep or not task_id.strip():
            raise ValueError
        return task_id.strip(), int(days)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not ID=N; write e.g. --delay T3=2') from None


TARGET_HELP = "the workbook: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY"
CREDENTIALS_HELP = "Google service-account key for Google Sheets (default: $GOOGLE_APPLICATION_CREDENTIALS)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sheetsync",
        description="Keep a social-media ad campaign on schedule from inside its spreadsheet.",
    )
    parser.add_argument("--version", action="version", version=f"sheetsync {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser("init", help="create a campaign workbook from the template")
    init.add_argument(
        "path", nargs="?", help="the new workbook (.xlsx, or .xlsm for Excel buttons); omit with --gsheet"
    )
    init.add_argument("--gsheet", metavar="TITLE", help="create a Google Sheet with this title instead of a file")
    init.add_argument(
        "--share", metavar="EMAIL", action="append", default=[], help="with --gsheet: make EMAIL an Editor (repeatable)"
    )
    init.add_argument("--credentials", metavar="KEY.json", help=CREDENTIALS_HELP)
    init.add_argument("--lang", choices=("en", "zh"), default="en", help="header language (default en)")
    init.add_argument("--demo", action="store_true", help="fill it with the demo campaign")
    init.add_argument("--launch", type=_date_arg, help="the ad launch date")
    init.add_argument("--today", type=_date_arg, help="date the demo's progress is relative to (default: today)")

    for name, help_text in (
        ("sync", "recompute deadlines and flags and write them into the workbook"),
        ("check", "compute and validate, write nothing"),
    ):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("target", help=TARGET_HELP)
        cmd.add_argument("--credentials", metavar="KEY.json", help=CREDENTIALS_HELP)
        cmd.add_argument(
            "--today", type=_date_arg, help="pretend today is this date (default: the Today setting, else today)"
        )
        cmd.add_argument("--json", action="store_true", help="print one JSON object instead of text")
        cmd.add_argument(
            "--force", action="store_true", help="open it even if Excel has it open (its ~$ lock file exists)"
        )
        if name == "sync":
            cmd.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    whatif = sub.add_parser("whatif", help="how a change request would move the launch and milestones (writes nothing)")
    whatif.add_argument("target", help=TARGET_HELP)
    whatif.add_argument("--credentials", metavar="KEY.json", help=CREDENTIALS_HELP)
    whatif.add_argument("--launch", type=_date_arg, help="move the launch to this date")
    whatif.add_argument(
        "--delay",
        action="append",
        type=_delay_arg,
        default=[],
        metavar="ID=N",
        help="task ID takes N more working days (repeatable)",
    )
    whatif.add_argument("--today", type=_date_arg, help="pretend today is this date")
    whatif.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    whatif.add_argument("--force", action="store_true", help="read it even if Excel has it open")

    digest = sub.add_parser("digest", help="email each person the digest that fits them (to ./outbox unless --send)")
    digest.add_argument("target", help=TARGET_HELP)
    digest.add_argument("--credentials", metavar="KEY.json", help=CREDENTIALS_HELP)
    digest.add_argument("--today", type=_date_arg, help="pretend today is this date")
    where = digest.add_mutually_exclusive_group()
    where.add_argument(
        "--outbox", type=Path, default=Path("outbox"), metavar="DIR", help="write .eml files here (default)"
    )
    where.add_argument("--send", action="store_true", help="send through SMTP (SHEETSYNC_SMTP_* environment variables)")
    digest.add_argument("--to", metavar="EMAIL", help="only this Team member, whatever their cadence")
    digest.add_argument("--state", type=Path, metavar="DIR", help="where the sent-record lives (default .sheetsync/)")
    digest.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    digest.add_argument("--force", action="store_true", help="read it even if Excel has it open")

    lint = sub.add_parser("lint-copy", help="check ad copy against the compliance rule packs")
    lint.add_argument(
        "text", nargs="?", help="the copy to check; '-' reads one text per line from stdin; omitted: all of stdin"
    )
    lint.add_argument("--market", choices=("zh", "en"), default="zh", help="rules for this market (default zh)")
    lint.add_argument("--industry", choices=sorted(INDUSTRY), default="general", help="industry pack (default general)")
    lint.add_argument("--json", action="store_true", help="print JSON (one object per line with '-')")

    demo = sub.add_parser("demo", help="make the demo workbook, sync it and summarise it")
    demo.add_argument("dir", nargs="?", default="sheetsync-demo", help="folder for the demo (default ./sheetsync-demo)")
    demo.add_argument("--today", type=_date_arg, help="pretend today is this date")
    demo.add_argument("--lang", choices=("en", "zh"), default="en", help="header language (default en)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except SheetsyncError as err:
        print(f"Error: {err}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _started_by() -> str:
    return os.environ.get("SHEETSYNC_STARTED_BY", "command line")


def cmd_init(args: argparse.Namespace) -> int:
    from .template import build_workbook

    if args.gsheet:
        return _init_gsheet(args)
    if not args.path:
        raise UsageError("give the new workbook's path (sheetsync init campaign.xlsx) or --gsheet TITLE")
    if args.share:
        raise UsageError("--share works with --gsheet; share a file the way you share files")
    path = build_workbook(args.path, lang=args.lang, demo=args.demo, launch=args.launch, today=args.today)
    kind = "demo campaign" if args.demo else "campaign template"
    print(f"Created {path} ({kind}, {args.lang} headers).")
    print(f"Next: fill in the Project and Timeline sheets, then run: sheetsync sync {path}")
    if path.suffix.lower() == ".xlsm":
        print(
            "In Excel, use the Sync now, Preview digest and Check copy buttons on the Project sheet "
            '(needs Python with sheetsync and xlwings: pip install "sheetsync[excel]").'
        )
    return EXIT_OK


def _init_gsheet(args: argparse.Namespace) -> int:
    from .backends.gsheets_client import connect
    from .backends.gsheets_init import create_campaign_sheet

    if args.path:
        raise UsageError("give a file path or --gsheet TITLE, not both")
    _, url = create_campaign_sheet(
        connect(args.credentials),
        args.gsheet,
        share=args.share,
        lang=args.lang,
        demo=args.demo,
        launch=args.launch,
        today=args.today,
    )
    kind = "demo campaign" if args.demo else "campaign template"
    print(f'Created Google Sheet "{args.gsheet}" ({kind}, {args.lang} headers): {url}')
    if args.share:
        print(f"Shared with {', '.join(args.share)} (Editor).")
    print(f"Next: fill in the Project and Timeline tabs, then run: sheetsync sync {url}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from .workbook import open as open_workbook

    book = open_workbook(args.target, force=args.force, credentials=args.credentials)
    if args.command == "check":
        report = book.check(today=args.today)
    else:
        report = book.sync(today=args.today, dry_run=args.dry_run, started_by=_started_by())
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_report(report, dry_run=getattr(args, "dry_run", False)))
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .template import build_workbook
    from .workbook import open as open_workbook

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "campaign-demo.xlsx"
    if path.exists():
        path.unlink()  # the demo is ours to remake
    today = args.today or dt.date.today()
    build_workbook(path, lang=args.lang, demo=True, today=today)
    report = open_workbook(path).sync(today=today, started_by="demo")
    print(f"Demo workbook: {path}")
    print(render_summary(report))
    print(f"Open {path} in Excel or LibreOffice to see the coloured flags; run `sheetsync sync {path}` after edits.")
    return EXIT_OK


def cmd_whatif(args: argparse.Namespace) -> int:
    from .workbook import open as open_workbook

    delays: dict[str, int] = {}
    for task_id, days in args.delay:
        delays[task_id] = delays.get(task_id, 0) + days
    if args.launch is None and not delays:
        raise UsageError("say what changes: --launch DATE and/or --delay ID=N")
    report = open_workbook(args.target, force=args.force, credentials=args.credentials).what_if(
        today=args.today, launch=args.launch, delays=delays
    )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_what_if(report))
    return EXIT_OK


def render_what_if(report) -> str:
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
            b, a = move.before, move.after
            parts = []
            for key, label in (("start", "start"), ("due", "due"), ("projected_due", "projected")):
                if b.get(key) != a.get(key):
                    parts.append(f"{label} {_day(b.get(key))} → {_day(a.get(key))}")
            if b.get("slack") != a.get("slack"):
                parts.append(f"slack {b.get('slack')} → {a.get('slack')}")
            if b.get("flag") != a.get("flag"):
                parts.append(f"{b.get('flag')} → {a.get('flag')}")
            lines.append(f"  {move.id} {move.milestone}: " + ", ".join(parts))
    else:
        lines.append("No milestone moves.")
    triggered = [r for r in report.risks]
    if triggered:
        lines.append("Risks triggered:")
        for r in triggered:
            mark = "NEW " if r.new else ""
            lines.append(
                f"  {mark}{r.id} {r.risk} ({r.indicator} {r.current}, threshold {r.threshold})"
                f" — owner {r.owner or '?'}: {r.plan}"
            )
    lines.append("Nothing was written.")
    return "\n".join(lines)


def _day(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _launch_words(launch) -> str:
    if launch.at_risk:
        days = f"{launch.slip_days} working day{'s' if launch.slip_days != 1 else ''}"
        return f"at risk by {days} ({launch.projected.isoformat()})"
    return f"on track ({launch.date.isoformat()})"


def cmd_digest(args: argparse.Namespace) -> int:
    from .analysis import analyse
    from .backends import open_backend
    from .digest.deliver import SmtpSettings
    from .digest.run import OUTBOX, SEND, run_digests

    smtp = SmtpSettings.from_env() if args.send else None  # fail before reading anything
    backend = open_backend(args.target, force=args.force, credentials=args.credentials)
    analysis = analyse(backend.read(), today=args.today)
    run = run_digests(
        analysis,
        target=backend.target,
        mode=SEND if args.send else OUTBOX,
        outbox=args.outbox,
        state_dir=args.state,
        to=args.to,
        smtp=smtp,
    )
    if args.json:
        print(json.dumps(run.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_digest_run(run))
    return EXIT_PROBLEMS if run.failed else EXIT_OK


def render_digest_run(run) -> str:
    """One line per recipient, then a count."""
    if not run.deliveries:
        return f"No digest is due on {run.today.isoformat()} (weekly digests go out on Mondays)."
    lines = []
    for row in run.as_dict()["deliveries"]:
        who = f"{row['name']} <{row['email']}> ({row['kind']})"
        if row["status"] == "written":
            lines.append(f"written  {who}: {row['path']}")
        elif row["status"] == "sent":
            lines.append(f"sent     {who}")
        elif row["status"] == "skipped":
            lines.append(f"skipped  {who}: {row['reason']}")
        else:
            lines.append(f"FAILED   {who}: {row['reason']}")
    counts = {}
    for d in run.deliveries:
        counts[d.status] = counts.get(d.status, 0) + 1
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items()) + ".")
    return "\n".join(lines)


def cmd_lint_copy(args: argparse.Namespace) -> int:
    from .engine.compliance import load_checker

    checker = load_checker(args.market, args.industry)
    if args.text == "-":
        texts = [line.rstrip("\r\n") for line in sys.stdin]
        batch = True
    else:
        texts = [args.text if args.text is not None else sys.stdin.read().rstrip("\n")]
        batch = False
    found_any = False
    out = []
    for number, text in enumerate(texts, start=1):
        findings = checker.check(text)
        found_any = found_any or bool(findings)
        if args.json:
            record: dict[str, object] = {"findings": [finding_dict(f) for f in findings]}
            if batch:
                record = {"line": number, **record}
            out.append(json.dumps(record, ensure_ascii=False))
        else:
            prefix = f"{number}:" if batch else ""
            for f in findings:
                hint = f" → {f.suggestion}" if f.suggestion else ""
                out.append(
                    f'{prefix}{f.start}-{f.end} {f.category} {f.severity} "{f.term}": {f.message} ({f.source}){hint}'
                )
    if out:
        print("\n".join(out))
    return EXIT_PROBLEMS if found_any else EXIT_OK


def finding_dict(finding) -> dict[str, object]:
    """A finding as lint-copy --json prints it."""
    keys = ("category", "severity", "term", "start", "end", "rule", "source", "suggestion")
    return {key: getattr(finding, key) for key in keys}


def render_report(report: SyncReport, *, dry_run: bool = False) -> str:
    """The human text of a sync or check."""
    if report.action == "check":
        head = f"{report.target}: checked (nothing written), today {report.today.isoformat()}"
    elif dry_run:
        head = f"{report.target}: dry run, {report.changed_cells} cells would change, today {report.today.isoformat()}"
    elif report.written:
        head = f"{report.target}: synced, {report.changed_cells} cells changed, today {report.today.isoformat()}"
    else:
        head = f"{report.target}: synced, nothing changed, today {report.today.isoformat()}"
    lines = [head, _launch_line(report)]
    for sheet, counts in report.flags.items():
        if counts:
            parts = ", ".join(f"{n} {flag}" for flag, n in sorted(counts.items(), key=_flag_order))
            lines.append(f"{sheet}: {parts}")
    if dry_run:
        lines += [f"  would write {change}" for change in report.changes]
    lines += _problem_lines(report)
    return "\n".join(line for line in lines if line)


def render_summary(report: SyncReport) -> str:
    """The demo's short human summary: launch status, what is overdue, triggered risks, problems."""
    lines = [_launch_line(report)]
    a = report.analysis
    late: list[str] = []
    if a and a.schedule:
        for task in a.tasks:
            dates = a.schedule.tasks[task.id]
            if dates.flag == "OVERDUE":
                owner = f", {task.owner}" if task.owner else ""
                late.append(
                    f"  task {task.id} {task.name}{owner}: due {dates.due.isoformat()}, "
                    f"now projected {dates.projected_due.isoformat()}"
                )
    if a and a.review_log and a.reviews:
        for r in a.reviews.reviews:
            outcome = a.review_log.rows[r.row]
            if outcome.flag == "OVERDUE":
                late.append(
                    f"  review {r.asset} round {r.round}: pending at {r.stage} ({r.reviewer}) "
                    f"for {outcome.age} working days"
                )
    if a and a.feedback_log and a.feedback:
        for item in a.feedback.items:
            outcome = a.feedback_log.items[item.row]
            if outcome.flag == "OVERDUE":
                late.append(
                    f'  feedback "{item.request}" from {item.sender or "?"} ({item.owner or "no owner"}): '
                    f"due {outcome.due.isoformat()}"
                )
    lines += [f"Overdue ({len(late)}):", *late] if late else ["Nothing is overdue."]
    if a and a.risk_log and a.risks:
        hits = [r for r in a.risks.risks if a.risk_log.items[r.row].triggered]
        if hits:
            lines.append(f"Risks triggered ({len(hits)}):")
        for r in hits:
            current = a.risk_log.items[r.row].current
            lines.append(
                f"  {r.id} {r.risk} — {r.indicator} {current} {r.threshold}; {r.owner or 'no owner'}: {r.plan}"
            )
    for sheet, counts in report.flags.items():
        parts = ", ".join(f"{n} {flag}" for flag, n in sorted(counts.items(), key=_flag_order))
        lines.append(f"{sheet}: {parts}")
    lines += _problem_lines(report)
    return "\n".join(lines)


_FLAG_ORDER = ["OVERDUE", "BLOCKED", "AT RISK", "DUE SOON", "DONE LATE", "DONE", "OK"]


def _flag_order(item: tuple[str, int]) -> tuple[int, str]:
    flag = item[0]
    return (_FLAG_ORDER.index(flag) if flag in _FLAG_ORDER else len(_FLAG_ORDER), flag)


def _launch_line(report: SyncReport) -> str:
    launch = report.launch
    if launch is None:
        return "Launch: not planned (see problems)."
    if launch.at_risk:
        return (
            f"Launch {launch.date.isoformat()}: AT RISK by {launch.slip_days} working "
            f"day{'s' if launch.slip_days != 1 else ''} (projected {launch.projected.isoformat()})"
        )
    return f"Launch {launch.date.isoformat()}: on track"


def _problem_lines(report: SyncReport) -> list[str]:
    if not report.problems:
        return ["No problems."]
    return [f"Problems ({len(report.problems)}):"] + [f"  {p}" for p in report.problems]


_COMMANDS = {
    "init": cmd_init,
    "sync": cmd_sync,
    "check": cmd_sync,
    "demo": cmd_demo,
    "lint-copy": cmd_lint_copy,
    "whatif": cmd_whatif,
    "digest": cmd_digest,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
