"""The Excel buttons: entry points that VBA calls through xlwings' RunPython, on the workbook that called.

    RunPython "import sheetsync.excel as s; s.sync()"

Each entry point works on ``book`` (default ``xlwings.Book.caller()``),
reports where the person is looking — the status bar while it runs, a
message box when done — and never shows a Python traceback for a mistake in
the workbook: a SheetsyncError becomes its one-line message; anything else
becomes a short message, with the traceback logged to ``sheetsync-error.log``
beside the workbook. This module is the Excel twin of the CLI: it opens the
book, makes one library call and turns the result into text.

On xlwings' remote engine (``xw.Book(json=...)``, xlwings Server) an entry
point returns ``book.json()``, the actions for the client to apply.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .contract import PROBLEMS
from .errors import SheetsyncError, TargetError
from .i18n import N_, _, n_
from .report_copy import render_copy_check
from .report_text import (
    preview_headline,
    problem_lines,
    render_digest_run,
    render_summary,
    sync_headline,
)
from .workbook import CopyCheck
from .workbook import open as open_workbook

if TYPE_CHECKING:
    from .digest.run import DigestRun
    from .sync import SyncReport

__all__ = ["check_copy", "digest_preview", "sync"]

TITLE = "sheetsync"
ERROR_LOG = "sheetsync-error.log"
OUTBOX_FOLDER = "outbox"
MAX_LINES = 24  # a message box taller than the screen hides its OK button
MAX_PROBLEM_LINES = 8
STARTED_BY_ENV = "SHEETSYNC_STARTED_BY"


def sync(book: Any = None, *, today: dt.date | None = None) -> dict[str, Any] | None:
    """The Sync now button: recompute, write the changed computed cells, show the summary."""
    book = _calling_book(book)

    def work(ui: _Excel) -> None:
        ui.status(_("sheetsync: syncing…"))
        ui.alert(sync_message(open_workbook(book).sync(today=today, started_by=started_by())))

    return _run(book, work)


def digest_preview(
    book: Any = None, *, today: dt.date | None = None, outbox: str | os.PathLike[str] | None = None
) -> dict[str, Any] | None:
    """The Preview digest button: write today's digests as .eml files to ``outbox`` beside the workbook; say where.

    Nothing is sent and nothing is remembered (Workbook.digest's preview), so
    the real digest still says what changed since the last one that went out.
    """
    book = _calling_book(book)

    def work(ui: _Excel) -> None:
        try:
            importlib.import_module(".digest.run", __package__)  # an installation without digests cannot preview
        except ImportError:
            ui.alert(i18n.translate(DIGESTS_UNAVAILABLE))
            return
        folder = Path(outbox) if outbox is not None else _beside(book, OUTBOX_FOLDER)
        ui.status(_("sheetsync: writing the digest preview…"))
        ui.alert(digest_message(open_workbook(book).digest(today=today, outbox=folder, preview=True), folder))

    return _run(book, work)


DIGESTS_UNAVAILABLE = N_(
    "Digests are not available in this sheetsync installation. "
    "Update it (pip install --upgrade sheetsync) and press Preview digest again."
)


def check_copy(book: Any = None) -> dict[str, Any] | None:
    """The Check copy button: check the selected cell(s), or every Reviews Copy cell if no text is selected."""
    book = _calling_book(book)

    def work(ui: _Excel) -> None:
        ui.status(_("sheetsync: checking the copy…"))
        ui.alert(copy_message(open_workbook(book).check_copy(selection=True)))

    return _run(book, work)


# --- messages -----------------------------------------------------------------


def sync_message(report: SyncReport) -> str:
    """What the Sync now box says: what was written, the launch, what is overdue, the problems.

    The text is the shared summary (report_text); when it is too long for a message box the
    details in the middle give way, never the launch line or the problems.
    """
    with i18n.language(report.lang):
        head = sync_headline(report)
        summary = render_summary(report).splitlines()
        cut = len(summary) - len(problem_lines(report))
        body, problems = summary[:cut], summary[cut:]
        sheet = PROBLEMS.label(report.lang)
        if len(problems) > MAX_PROBLEM_LINES:
            more = len(problems) - MAX_PROBLEM_LINES + 1
            problems = [
                *problems[: MAX_PROBLEM_LINES - 1],
                n_(
                    "  … and {n} more on the {sheet} sheet.",
                    "  … and {n} more on the {sheet} sheet.",
                    more,
                    sheet=sheet,
                ),
            ]
        elif report.problems:
            problems.append(_("The {sheet} sheet lists every problem with its fix.", sheet=sheet))
        return "\n".join([head, *_fit(body, MAX_LINES - 1 - len(problems)), *problems])


def digest_message(digest_run: DigestRun, folder: Path) -> str:
    """What the Preview digest box says: how many digests, for whom, and the folder they are in."""
    if not digest_run.deliveries:
        return render_digest_run(digest_run)
    with i18n.language(getattr(digest_run, "lang", None)):
        lines = [preview_headline(digest_run, folder), "", *render_digest_run(digest_run).splitlines()]
        return "\n".join(_fit(lines, MAX_LINES))


def copy_message(check: CopyCheck) -> str:
    """What the Check copy box says: per cell, each finding with its rule source and a safer wording."""
    with i18n.language(getattr(check, "lang", None)):
        return "\n".join(_fit(render_copy_check(check), MAX_LINES))


def _fit(lines: list[str], room: int) -> list[str]:
    """At most ``room`` lines, the last one saying how many were left out."""
    if len(lines) <= room:
        return lines
    hidden = len(lines) - room + 1
    return [*lines[: room - 1], n_("… and {n} more line.", "… and {n} more lines.", hidden)]


# --- talking to Excel -------------------------------------------------------------


class _Excel:
    """The status bar and message boxes of the workbook's Excel; silent where an engine has none."""

    def __init__(self, book: Any) -> None:
        self.book = book

    def status(self, text: str | bool) -> None:
        try:
            self.book.app.status_bar = text
        except NotImplementedError:  # xlwings' remote engine: Office.js has no status bar
            pass

    def alert(self, text: str, *, critical: bool = False) -> None:
        self.book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


def _run(book: Any, work: Callable[[_Excel], None]) -> dict[str, Any] | None:
    """Run one button's work with the status bar and messages around it; return the actions on a remote engine."""
    ui = _Excel(book)
    with _reporting(ui):
        work(ui)
    return _result(book)


@contextmanager
def _reporting(ui: _Excel) -> Iterator[None]:
    try:
        yield
    except SheetsyncError as err:
        ui.alert(str(err), critical=True)
    except Exception as exc:
        log = _log_error(ui.book)
        ui.alert(
            _(
                "sheetsync stopped unexpectedly: {error}\n"
                "The details are in {log}; please send that file to whoever set up sheetsync.",
                error=": ".join((type(exc).__name__, str(exc))),
                log=log,
            ),
            critical=True,
        )
    finally:
        ui.status(False)  # give the status bar back to Excel


def _log_error(book: Any) -> Path:
    """Append the current traceback to sheetsync-error.log beside the workbook (or in the temp folder)."""
    try:
        path = _beside(book, ERROR_LOG)
    except TargetError:
        path = Path(tempfile.gettempdir()) / ERROR_LOG
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"--- {stamp} {_fullname(book)}\n{traceback.format_exc()}\n")
    return path


def _beside(book: Any, name: str) -> Path:
    """A path in the workbook's folder; a workbook never saved has none."""
    fullname = Path(_fullname(book))
    if not fullname.is_absolute() or not fullname.parent.is_dir():
        raise TargetError(
            _("{name} has not been saved yet; save it first, then press the button again.", name=fullname.name)
        )
    return fullname.parent / name


def _fullname(book: Any) -> str:
    try:
        return str(book.fullname)
    except Exception:
        return str(book.name)


def _calling_book(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _result(book: Any) -> dict[str, Any] | None:
    """The queued actions on xlwings' remote engine (what xlwings Server returns to Excel); None on desktop Excel."""
    if book.app.engine.name == "remote":
        return book.json()
    return None


def started_by() -> str:
    """What the Log's By column says for a button press: $SHEETSYNC_STARTED_BY, else Excel and the user's login."""
    user = os.environ.get("USERNAME") or os.environ.get("USER")
    return os.environ.get(STARTED_BY_ENV) or (f"Excel ({user})" if user else "Excel")
