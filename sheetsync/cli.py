"""The command line: parse arguments, make one library call, print the result.

Exit status: 0 = synced with no problems, 1 = synced but problems were found,
2 = could not run (bad arguments, unreadable or locked workbook). Why it could
not run is one line on stderr; with --json also `{"error": "...", "exit": 2}`
on stdout, so a script reading stdout always gets JSON.

What it prints is in the workbook's language once a book is read (the report's
`lang`), before that in the terminal's (or `--lang` for a new book); --json
output is UTF-8 with Chinese kept readable, whatever the terminal's encoding.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import sheetsync

from . import i18n
from .backends.base import is_google_address
from .cli_parser import ArgumentsRejected, build_parser
from .contract import PROJECT, TIMELINE
from .errors import SheetsyncError, UsageError
from .i18n import _, n_
from .report_copy import finding_dict, render_finding

if TYPE_CHECKING:
    from .engine.compliance import Finding

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2

_HEADERS = {"en": "English", "zh": "中文"}  # "(demo campaign, 中文 headers)": the language by its own name


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except ArgumentsRejected as err:  # argparse's own words, as argparse prints them
        wants_json = argparse.Namespace(json="--json" in (sys.argv[1:] if argv is None else argv))
        return _cannot_run(wants_json, f"{err.prog}: error: {err.message}", err.message)
    try:
        return _COMMANDS[args.command](args)
    except SheetsyncError as err:
        args.book = None  # the error says what happened; no note after it
        with i18n.language(err.lang or _language_of(str(err))):  # the book's language once known
            return _cannot_run(args, _("Error: {error}", error=err), str(err))
    except KeyboardInterrupt:
        return _cannot_run(args, _("Interrupted."), _("Interrupted."))
    except BrokenPipeError:
        # The reader went away (`sheetsync lint-copy - < texts | head -1`): stop quietly, as cat does.
        # Point stdout at /dev/null so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CANNOT_RUN
    finally:
        book = getattr(args, "book", None)
        with i18n.language(getattr(args, "answer_lang", None)):  # the note is worded in the book's language
            if book is not None and book.note:  # e.g. Excel has the book open: its last saved version was read
                print(book.note, file=sys.stderr)


def _language_of(message: str) -> str | None:
    """A message already in Chinese (raised inside a Chinese book's analysis) gets a Chinese prefix;
    an English one that only names a Chinese word (中国, a file name) keeps the terminal's."""
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in message)
    latin = sum(ch.isascii() and ch.isalpha() for ch in message)
    return "zh" if chinese > latin else None


def _cannot_run(args: argparse.Namespace, line: str, error: str) -> int:
    """Say why the command could not run: one line on stderr and, with --json, {"error", "exit"} on stdout."""
    print(line, file=sys.stderr)
    if getattr(args, "json", False):  # a script reading stdout learns it failed, and why, without parsing stderr
        _print_json({"error": error, "exit": EXIT_CANNOT_RUN}, indent=None)
    return EXIT_CANNOT_RUN


def _started_by() -> str:
    return os.environ.get("SHEETSYNC_STARTED_BY", "command line")


def _print_json(value: object, *, indent: int | None = 2) -> None:
    """JSON as UTF-8 with Chinese as written (not \\u escapes), whatever encoding the terminal's locale names."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and (sys.stdout.encoding or "").replace("-", "").lower() != "utf8":
        reconfigure(encoding="utf-8")
    print(json.dumps(value, ensure_ascii=False, indent=indent))


def cmd_init(args: argparse.Namespace) -> int:
    if args.gsheet:
        return _init_gsheet(args)
    if not args.path:
        raise UsageError(_("give the new workbook's path (sheetsync init campaign.xlsx) or --gsheet TITLE"))
    if is_google_address(args.path):
        return _init_existing_gsheet(args)
    if args.share:
        raise UsageError(_("--share works with Google Sheets; share a file the way you share files"))
    book = sheetsync.create(
        args.path, lang=args.lang, demo=args.demo, launch=args.launch, today=args.today, calendar=args.calendar
    )
    path = Path(book.target)
    with i18n.language(args.lang):
        kind = _("demo campaign") if args.demo else _("campaign template")
        print(_("Created {path} ({kind}, {lang} headers).", path=path, kind=kind, lang=_HEADERS[args.lang]))
        if args.demo:
            _sync_demo(book, args)
            print(
                _(
                    "Next: open {path} to see the flags; change a Status or a date, then run: sheetsync sync {path}",
                    path=path,
                )
            )
        else:
            print(
                _(
                    "Next: fill in the {project} and {timeline} sheets, then run: sheetsync sync {path}",
                    project=PROJECT.label(args.lang),
                    timeline=TIMELINE.label(args.lang),
                    path=path,
                )
            )
        if path.suffix.lower() == ".xlsm":
            print(
                _(
                    "In Excel, use the Sync now, Preview digest and Check copy buttons on the {project} sheet "
                    '(needs Python with sheetsync and xlwings: pip install "sheetsync[excel]").',
                    project=PROJECT.label(args.lang),
                )
            )
    return EXIT_OK


def _init_gsheet(args: argparse.Namespace) -> int:
    if args.path:
        raise UsageError(_("give a file path or --gsheet TITLE, not both"))
    book = sheetsync.create_gsheet(
        args.gsheet,
        share=args.share,
        credentials=args.credentials,
        lang=args.lang,
        demo=args.demo,
        launch=args.launch,
        today=args.today,
        calendar=args.calendar,
    )
    with i18n.language(args.lang):
        kind = _("demo campaign") if args.demo else _("campaign template")
        print(
            _(
                'Created Google Sheet "{title}" ({kind}, {lang} headers): {url}',
                title=args.gsheet,
                kind=kind,
                lang=_HEADERS[args.lang],
                url=book.target,
            )
        )
        _gsheet_next(book, args)
    return EXIT_OK


def _init_existing_gsheet(args: argparse.Namespace) -> int:
    done = sheetsync.lay_out(
        args.path,
        share=args.share,
        credentials=args.credentials,
        lang=args.lang,
        demo=args.demo,
        launch=args.launch,
        today=args.today,
        calendar=args.calendar,
    )
    url = done.workbook.target
    with i18n.language(args.lang):
        if done.added:
            print(
                _(
                    "Laid out {url} as the campaign template ({lang} headers): {tabs}.",
                    url=url,
                    lang=_HEADERS[args.lang],
                    tabs=", ".join(done.added),
                )
            )
        else:
            print(_("{url} already has every campaign tab; nothing was laid out.", url=url))
        if done.kept:
            print(
                _(
                    "Left as they were, since they already hold data (sync reads them by their headers): {tabs}.",
                    tabs=", ".join(done.kept),
                )
            )
        _gsheet_next(done.workbook, args)
    return EXIT_OK


def _gsheet_next(book: sheetsync.Workbook, args: argparse.Namespace) -> None:
    """After init made or laid out a Google Sheet: who it is shared with, the demo's first sync, what to do next."""
    from .template.gsheets_share import share_addresses  # the Google libraries are loaded by now

    url = book.target
    if args.share:
        print(_("Shared with {people} (Editor).", people=", ".join(share_addresses(args.share))))
    if args.demo:
        _sync_demo(book, args)
        print(
            _("Next: open {url} to see the flags; change a Status or a date, then run: sheetsync sync {url}", url=url)
        )
        return
    print(
        _(
            "Next: fill in the {project} and {timeline} tabs, then run: sheetsync sync {url}",
            project=PROJECT.label(args.lang),
            timeline=TIMELINE.label(args.lang),
            url=url,
        )
    )


def _sync_demo(book: sheetsync.Workbook, args: argparse.Namespace) -> None:
    """Sync the demo just made, as `sheetsync demo` does, and print its summary."""
    from .report_text import render_summary  # imported when used: lint-copy starts faster
    from .template.demo import first_run  # the plan as the client signed it off, recorded as the baseline
    today = args.today or dt.date.today()
    print(render_summary(first_run(book, today=today, lang=args.lang, started_by="init --demo")))


def _open(args: argparse.Namespace) -> sheetsync.Workbook:
    args.book = sheetsync.open(args.target, force=args.force, credentials=args.credentials)  # main() says its note
    return args.book


def cmd_sync(args: argparse.Namespace) -> int:
    if args.command == "check":
        report = _open(args).check(today=args.today)
    else:
        report = _open(args).sync(today=args.today, dry_run=args.dry_run, started_by=_started_by())
    args.answer_lang = report.lang
    if args.json:
        _print_json(report.as_dict())
    else:
        from .report_text import render_report  # imported when used: lint-copy starts faster

        print(render_report(report))
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def cmd_baseline(args: argparse.Namespace) -> int:
    from .report_baseline import baseline_json, render_baseline  # imported when used: lint-copy starts faster

    report = _open(args).baseline(name=args.name, today=args.today, started_by=_started_by())
    args.answer_lang = report.lang
    print(render_baseline(report)) if not args.json else _print_json(baseline_json(report))
    return EXIT_OK if report.recording.recorded and not report.problems else EXIT_PROBLEMS


def cmd_import(args: argparse.Namespace) -> int:
    from .results.report import render_import  # imported when used: lint-copy starts faster
    report = _open(args).import_results(args.files, platform=args.platform, today=args.today, started_by=_started_by())
    args.answer_lang = report.lang
    print(render_import(report)) if not args.json else _print_json(report.as_dict())
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    demo = sheetsync.make_demo(args.dir, today=args.today, lang=args.lang)
    with i18n.language(demo.report.lang):
        print(_("Demo workbook: {path}", path=demo.path))
        from .report_text import render_summary  # imported when used: lint-copy starts faster

        print(render_summary(demo.report))
        print(
            _(
                "Open {path} in Excel or LibreOffice to see the coloured flags; "
                "run `sheetsync sync {path}` after edits.",
                path=demo.path,
            )
        )
    return EXIT_OK


def cmd_whatif(args: argparse.Namespace) -> int:
    delays, slips = args.delay, args.slip  # {ID: working days}, repeated IDs added up (cli_parser._SumByTask)
    if args.launch is None and not delays and not slips:
        raise UsageError(_("say what changes: --slip ID=N, --delay ID=N and/or --launch DATE (then --record ROW)"))
    report = _open(args).what_if(
        today=args.today, launch=args.launch, delays=delays, slips=slips, record=args.record, started_by=_started_by()
    )
    args.answer_lang = report.before.lang
    if args.json:
        _print_json(report.as_dict())
    else:
        from .report_whatif import render_what_if  # imported when used: lint-copy starts faster

        print(render_what_if(report))
    return EXIT_PROBLEMS if report.record_problems else EXIT_OK


def cmd_digest(args: argparse.Namespace) -> int:
    if args.channel is not None and not args.chat:
        raise UsageError(_("--channel picks a group chat: add --chat"))
    chat = None
    if args.chat:
        chat = "outbox" if args.outbox is not None else "post"
    run = _open(args).digest(
        today=args.today, send=args.send, outbox=args.outbox or Path("outbox"), state_dir=args.state, to=args.to,
        chat=chat, chat_options={"only": args.channel} if args.channel else None,
    )
    args.answer_lang = run.lang
    if args.json:
        _print_json(run.as_dict())
    else:
        from .report_text import render_digest_run  # imported when used: lint-copy starts faster

        print(render_digest_run(run))
    return EXIT_PROBLEMS if run.incomplete else EXIT_OK


def cmd_lint_copy(args: argparse.Namespace) -> int:
    batch = args.text == "-"
    if batch:
        texts: Iterable[str] = (line.rstrip("\r\n") for line in sys.stdin)
    else:
        texts = [args.text if args.text is not None else sys.stdin.read().rstrip("\n")]
    results = sheetsync.lint_copy(
        texts, market=args.market, industry=args.industry, evidence=args.evidence, jobs=args.jobs
    )
    with i18n.language(args.market):  # the rule pack's language: its messages and the category names agree
        return _print_findings(results, batch=batch, as_json=args.json)


def _print_findings(results: Iterable[list[Finding]], *, batch: bool, as_json: bool) -> int:
    found_any = False
    for number, findings in enumerate(results, start=1):
        found_any = found_any or bool(findings)
        if as_json:
            record: dict[str, object] = {"findings": [finding_dict(f) for f in findings]}
            _print_json({"line": number, **record} if batch else record, indent=None)
        else:
            for finding in findings:
                print(render_finding(finding, prefix=f"{number}:" if batch else ""))
    return EXIT_PROBLEMS if found_any else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the service, or (serve token …) issue, revoke and list the sheets' tokens."""
    from .serve.server import serve

    if args.serve_command == "token":
        return _serve_token(args)
    from .backends.gsheets.client import load_credentials

    load_credentials(args.credentials)  # a missing or broken key file stops here, not at the first click
    print(_("sheetsync serve on http://{host}:{port} — tokens in {state}; put HTTPS in a reverse proxy in front.",
            host=args.host, port=args.port, state=args.state or _state_dir()), file=sys.stderr)
    serve(
        args.host, args.port, state_dir=args.state, credentials=args.credentials, log=args.log,
        max_body=args.max_body * 1024, rate=args.rate, burst=args.burst, busy_wait=args.busy_wait,
        google_rate=args.google_rate,
    )
    return EXIT_OK


def _state_dir() -> Path:
    from .digest.run import default_state_dir

    return default_state_dir()


def _serve_token(args: argparse.Namespace) -> int:
    from .serve.tokens import TokenStore

    store = TokenStore(args.state or _state_dir())
    if args.token_command == "add":
        print(store.add(args.key))  # the token alone on stdout, for `TOKEN=$(sheetsync serve token add KEY)`
    elif args.token_command == "revoke":
        count = store.revoke(args.key)
        print(n_("Revoked {n} token of sheet {key}.", "Revoked {n} tokens of sheet {key}.", count, key=args.key)
              if count else _("Sheet {key} had no token; nothing revoked.", key=args.key))
    else:
        records = store.list()
        for record in records:
            print(f"{record.key}  {record.id}  {record.created}")
        if not records:
            print(_("No tokens yet: issue one with sheetsync serve token add KEY."), file=sys.stderr)
    return EXIT_OK


def cmd_apps_script(args: argparse.Namespace) -> int:
    from .apps_script import write_project  # imported when used: lint-copy starts faster

    for done in write_project(args.dir, script_id=args.script_id, replace=args.replace):
        if done.outcome == "unchanged":
            print(_("unchanged {path}", path=done.path))
        elif done.outcome == "replaced":
            print(_("replaced {path}", path=done.path))
        else:
            print(_("wrote {path}", path=done.path))
    if args.script_id:
        print(_("Next: cd {folder} && clasp push", folder=args.dir))
    else:
        print(_("Next: in the sheet, Extensions → Apps Script → Project Settings gives its Script ID; run this again "
                "with --script-id ID, then clasp push (or paste each file into that editor)"))
    return EXIT_OK


_COMMANDS = {
    "init": cmd_init, "sync": cmd_sync, "check": cmd_sync, "baseline": cmd_baseline, "demo": cmd_demo,
    "import": cmd_import, "lint-copy": cmd_lint_copy, "whatif": cmd_whatif, "digest": cmd_digest,
    "serve": cmd_serve, "apps-script": cmd_apps_script,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
