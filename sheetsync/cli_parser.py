"""The command line's grammar: every command, its options and their help, and the argument types.

Kept apart from cli.py, which runs the commands: this module only says what may be typed.
Options several commands share are defined once (argparse parents), so each has one help
text everywhere (tests/test_front_ends.py). A refused command line raises
ArgumentsRejected instead of exiting, so cli.main can say why as JSON too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from pathlib import Path
from typing import NoReturn

from . import __version__
from .contract import AD_PLATFORM, EVIDENCE_SETTINGS, INDUSTRY, canonical_choice
from .i18n import _, pick
from .parse.cells import CellError, to_date


def _date_arg(text: str) -> dt.date:
    """A date as typed: 2026-03-01, 2026/3/1, 2026年3月1日 — full-width too (`２０２６／１２／３１`, an IME's)."""
    try:
        day = to_date(unicodedata.normalize("NFKC", text))
    except CellError as err:
        raise argparse.ArgumentTypeError(err.problem + _("; ") + err.fix) from None
    if day is None:
        raise argparse.ArgumentTypeError(_("a date is required, such as 2026-03-01"))
    return day


def _platform_arg(text: str) -> str:
    """An ad platform by its key or its name in either language: oceanengine, 巨量引擎, 小红书聚光, Meta."""
    platform = canonical_choice(text, {k: v for k, v in AD_PLATFORM.items() if k != "other"})
    if platform is None:
        names = pick(None, ", ", "、").join(f"{key} ({name})" for key, name in AD_PLATFORM.items() if key != "other")
        raise argparse.ArgumentTypeError(_('"{text}" is not a platform sheetsync imports; use one of {names}',
                                           text=text, names=names))
    return platform


def _delay_arg(text: str, option: str = "--delay") -> tuple[str, int]:
    """`T3=2` as {ID, days}, however a Chinese IME left it: `Ｔ３＝２`, `T3 = 2天` (NFKC, spaces, a trailing 天)."""
    task_id, sep, days = unicodedata.normalize("NFKC", text).partition("=")
    days = days.strip().removesuffix("天").strip()
    try:
        if not sep or not task_id.strip():
            raise ValueError
        return task_id.strip(), int(days)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _('"{text}" is not ID=N; write e.g. {option} T3=2', text=text, option=option)
        ) from None


def _slip_arg(text: str) -> tuple[str, int]:
    return _delay_arg(text, "--slip")


class _SumByTask(argparse.Action):
    """A repeatable ID=N option gathered as {ID: N}, the days of one task given twice added up."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # noqa: ANN001 - argparse's signature
        task_id, days = values
        summed = dict(getattr(namespace, self.dest) or {})
        summed[task_id] = summed.get(task_id, 0) + days
        setattr(namespace, self.dest, summed)


def _row_arg(text: str) -> int:
    try:
        row = int(text)
    except ValueError:
        row = 0
    if row < 1:
        raise argparse.ArgumentTypeError(_('"{text}" is not a row number; write e.g. --record 5', text=text))
    return row


TARGET_HELP = "the workbook: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY"


class ArgumentsRejected(Exception):
    """argparse refused the command line; main() says why (as JSON too with --json) instead of exiting."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog, self.message = prog, message


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise ArgumentsRejected(self.prog, message)


def _shared_options() -> dict[str, argparse.ArgumentParser]:
    """The options several commands take, each defined once with one help text (argparse parents)."""
    names = ("target", "credentials", "today", "json", "force", "lang")
    parents = {name: argparse.ArgumentParser(add_help=False) for name in names}
    parents["target"].add_argument("target", help=TARGET_HELP)
    parents["credentials"].add_argument(
        "--credentials",
        metavar="KEY.json",
        help="Google service-account key for Google Sheets (default: $GOOGLE_APPLICATION_CREDENTIALS)",
    )
    parents["today"].add_argument(
        "--today", type=_date_arg, help="pretend today is this date (default: the Today setting, else today)"
    )
    parents["json"].add_argument("--json", action="store_true", help="print JSON instead of text")
    parents["force"].add_argument(
        "--force",
        action="store_true",
        help="open it even if Excel or LibreOffice has it open (its ~$ or .~lock file exists); "
        "another sync of it is still waited for",
    )
    parents["lang"].add_argument("--lang", choices=("en", "zh"), default="en", help="header language (default en)")
    return parents


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sheetsync",
        description="Keep a social-media ad campaign on schedule from inside its spreadsheet.",
    )
    parser.add_argument("--version", action="version", version=f"sheetsync {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = _shared_options()

    def command(name: str, help_text: str, *options: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, parents=[shared[o] for o in options])

    init = command("init", "create a campaign workbook from the template", "credentials", "today", "lang")
    init.add_argument(
        "path",
        nargs="?",
        help="the new workbook (.xlsx, or .xlsm for Excel buttons), or an existing Google Sheet's URL or gsheet:KEY "
        "to lay out; omit with --gsheet",
    )
    init.add_argument("--gsheet", metavar="TITLE", help="create a Google Sheet with this title instead of a file")
    init.add_argument(
        "--share",
        metavar="EMAIL",
        action="append",
        default=[],
        help="Google Sheets: make EMAIL an Editor (repeatable, or several separated by commas)",
    )
    init.add_argument("--demo", action="store_true", help="fill it with the demo campaign and sync it")
    init.add_argument("--launch", type=_date_arg, help="the ad launch date")
    init.add_argument(
        "--calendar",
        metavar="COUNTRY",
        help="whose public holidays count: an ISO code or a country's name (US, China, 中国; default CN with "
        "--lang zh, none = Monday–Friday in English)",
    )

    workbook_options = ("target", "credentials", "today", "json", "force")
    sync = command("sync", "recompute deadlines and flags and write them into the workbook", *workbook_options)
    sync.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    command("check", "compute and validate, write nothing", *workbook_options)

    baseline = command(
        "baseline", "record the current plan (each task's Start and Due, the launch date) as the committed baseline",
        *workbook_options,
    )
    baseline.add_argument(
        "--name",
        help='the baseline\'s name, e.g. "Sign-off" (default "Baseline N", in a Chinese book "基线N": '
        "N counts the baselines in the Log)",
    )

    importing = command(
        "import", "append the ad platforms' exports (CSV/XLSX) to the Results sheet, then sync", *workbook_options,
    )
    importing.add_argument("files", nargs="+", metavar="FILE", help="export files from Meta, TikTok, 巨量引擎, "
                           "小红书聚光 or 腾讯广告 (rows already in the sheet are skipped)")
    importing.add_argument("--platform", type=_platform_arg, metavar="NAME",
                           help="which platform's export the files are, when their columns fit more than one")

    whatif = command(
        "whatif",
        "how a change request would move the launch, the milestones and the buffer left "
        "(writes nothing unless --record)",
        *workbook_options,
    )
    whatif.add_argument(
        "--slip",
        action=_SumByTask,
        type=_slip_arg,
        default={},
        metavar="ID=N",
        help="task ID will finish N working days later than now projected; its plan stays (repeatable; "
        "T5=2, Ｔ５＝２ and T5=2天 are the same)",
    )
    whatif.add_argument(
        "--delay",
        action=_SumByTask,
        type=_delay_arg,
        default={},
        metavar="ID=N",
        help="task ID needs N more working days of Duration: the plan before it moves earlier (repeatable)",
    )
    whatif.add_argument(
        "--launch", type=_date_arg, help="move the launch to this date; lists the tasks whose new plan is past"
    )
    whatif.add_argument(
        "--record",
        type=_row_arg,
        metavar="ROW",
        help="write the impact into this Feedback row's Impact cell (the change request), and a Log row",
    )

    digest = command(
        "digest", "email each person the digest that fits them (to ./outbox unless --send); --chat: group chats",
        *workbook_options,
    )
    where = digest.add_mutually_exclusive_group()
    where.add_argument(
        "--outbox", type=Path, metavar="DIR",
        help="write .eml files here (default ./outbox); with --chat, the JSON each group bot would get",
    )
    where.add_argument("--send", action="store_true", help="send through SMTP (SHEETSYNC_SMTP_* environment variables)")
    digest.add_argument(
        "--chat", action="store_true",
        help="post to the Channels sheet's group chats (SHEETSYNC_CHAT_<NAME>_URL or chat.toml); "
        "e-mail too only with --send",
    )
    digest.add_argument("--to", metavar="EMAIL", help="only this Team member, whatever their cadence")
    digest.add_argument("--channel", metavar="NAME", help="with --chat: only this channel, whatever its cadence")
    digest.add_argument(
        "--state", type=Path, metavar="DIR",
        help="where the sent-record lives; share it between machines "
        "(default $XDG_STATE_HOME/sheetsync or ~/.local/state/sheetsync)",
    )

    lint = command("lint-copy", "check ad copy against the compliance rule packs", "json")
    lint.add_argument(
        "text", nargs="?", help="the copy to check; '-' reads one text per line from stdin; omitted: all of stdin"
    )
    lint.add_argument("--market", choices=("zh", "en"), default="zh", help="rules for this market (default zh)")
    lint.add_argument(
        "--industry", default="general", metavar="NAME",
        help="industry pack (default general): " + ", ".join(INDUSTRY)
        + "; or as the Industry setting writes it (化妆品)",
    )
    lint.add_argument(
        "--evidence", action="append", default=[], metavar="FACT",
        help="a fact you hold, which clears its needs-evidence findings (repeatable): "
        + ", ".join(EVIDENCE_SETTINGS) + "; or the Project setting that records it (特殊化妆品注册证号)",
    )

    lint.add_argument(
        "--jobs", type=int, metavar="N",
        help="processes checking a long batch ('-', over 1,000 texts; default: one per core; 1: no others)",
    )

    _serve_parser(command(
        "serve", "run the web service behind the Google Sheets menu (HTTP on 127.0.0.1: put HTTPS in a reverse "
        "proxy in front); 'serve token add KEY' issues a sheet's token", "credentials",
    ))

    apps = command("apps-script", "write the Google Sheets menu's Apps Script files into DIR, ready for clasp push")
    apps.add_argument(
        "dir", type=Path, metavar="DIR", help="the folder for the Apps Script files (Code.gs …, appsscript.json)"
    )
    apps.add_argument("--script-id", metavar="ID", help="the sheet's Apps Script project id: also write .clasp.json")
    apps.add_argument("--replace", action="store_true", help="replace files there that differ from sheetsync's")

    demo = command("demo", "make the demo workbook, sync it and summarise it", "today", "lang")
    demo.add_argument("dir", nargs="?", default="sheetsync-demo", help="folder for the demo (default ./sheetsync-demo)")
    return parser


def _serve_parser(serve: argparse.ArgumentParser) -> None:
    """`sheetsync serve [options]` and `sheetsync serve token add|revoke|list`."""
    state_help = (
        "where the service keeps its tokens (and reads the digest sent-record); "
        "default $XDG_STATE_HOME/sheetsync or ~/.local/state/sheetsync"
    )
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; HTTPS belongs in a reverse proxy in front)")
    serve.add_argument("--port", type=int, default=8787, help="port to listen on (default 8787)")
    serve.add_argument("--state", type=Path, metavar="DIR", help=state_help)
    serve.add_argument("--log", type=Path, metavar="FILE",
                       help="append the JSON-lines access log here (default stderr)")
    serve.add_argument("--max-body", type=int, default=256, metavar="KIB",
                       help="largest request body in KiB (default 256); larger ones get 413")
    serve.add_argument("--rate", type=float, default=30, metavar="N",
                       help="requests per minute per token (default 30; 0: unlimited); more get 429")
    serve.add_argument("--burst", type=int, default=5, metavar="N",
                       help="requests a token may make at once before --rate applies (default 5)")
    serve.add_argument("--busy-wait", type=float, default=10, metavar="SECONDS",
                       help="how long a request waits for another sync of its sheet before 409 busy (default 10)")
    serve.add_argument("--google-rate", type=float, default=60, metavar="N",
                       help="calls per minute to Google across all sheets (default 60, the per-user quota; 0: "
                            "unpaced)")
    token = serve.add_subparsers(dest="serve_command", metavar="token", parser_class=Parser)
    tokens = token.add_parser("token", help="issue, revoke or list the sheets' tokens").add_subparsers(
        dest="token_command", required=True, metavar="add|revoke|list", parser_class=Parser
    )
    for name, help_text in (
        ("add", "issue a token for the sheet KEY; prints the token alone (shown once, stored hashed)"),
        ("revoke", "revoke every token of the sheet KEY"),
        ("list", "list the tokens: sheet KEY, id and when made (never the token)"),
    ):
        action = tokens.add_parser(name, help=help_text)
        if name != "list":
            action.add_argument(
                "key", metavar="KEY", help="the Google Sheet: its key (the part of its address after /d/), or its URL"
            )
        # SUPPRESS: not given here, `serve --state DIR token add KEY`'s stays (a default would overwrite it)
        action.add_argument("--state", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=state_help)
