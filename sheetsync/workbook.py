"""The library API: open a campaign workbook, check or sync it, read its sheets as DataFrames.

The CLI is a thin shell over this module (STYLE.md: the library and its CLI are twins).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import contract, i18n
from .analysis import analyse
from .backends import Backend, SelectionBackend, open_backend
from .errors import SheetsyncError, TargetError, UsageError, WorkbookLockedError
from .i18n import _
from .parse.project import book_language
from .parse.table_view import locate_table
from .problems import Problem
from .sync import SyncReport, run

if TYPE_CHECKING:  # pandas costs a third of a second to import: only frames() needs it
    import pandas as pd

    from .chat.secrets import ChatSettings
    from .digest.run import DigestRun
    from .digest.smtp import SmtpSettings
    from .engine.compliance import Finding
    from .results import ImportReport
    from .whatif import WhatIfReport


@dataclass(frozen=True)
class CopyCheck:
    """The ad copy a workbook check looked at: (cell, text) pairs, each cell's findings, and what was checked."""

    checked: list[tuple[str, str]]
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    where: str = ""
    lang: str = "en"  # the book's language: what the findings are reported in


@dataclass(frozen=True)
class DemoRun:
    """The demo workbook sheetsync made and the report of its first sync."""

    path: Path
    report: SyncReport


class Workbook:
    """A campaign workbook behind some backend (Excel file today; live Excel and Google Sheets later)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @property
    def target(self) -> str:
        return self.backend.target

    def __repr__(self) -> str:
        return f"<sheetsync.Workbook {self.target!r}>"

    @property
    def note(self) -> str | None:
        """One line on how the last read went, or None (Excel has the book open: its last saved version was read)."""
        return getattr(self.backend, "note", None)

    def check(self, *, today: dt.date | None = None) -> SyncReport:
        """Compute and validate everything; write nothing."""
        return run(self.backend, today=today, action="check")

    def sync(self, *, today: dt.date | None = None, dry_run: bool = False, started_by: str = "api") -> SyncReport:
        """Recompute every computed cell and write the ones that changed (nothing at all if none did)."""
        try:
            return run(self.backend, today=today, dry_run=dry_run, started_by=started_by)
        except WorkbookLockedError as err:  # refused before reading: find the book's language to say it in
            with contextlib.suppress(SheetsyncError):
                err.lang = book_language(self.backend.read())
            raise

    def baseline(self, *, name: str | None = None, today: dt.date | None = None, started_by: str = "api") -> SyncReport:
        """Record the current plan as the committed baseline, and sync; report.recording says what was recorded."""
        return run(self.backend, today=today, started_by=started_by, action="baseline", baseline_name=name)

    def import_results(
        self, files: Iterable[str | os.PathLike[str]], *, platform: str | None = None, today: dt.date | None = None,
        started_by: str = "api",
    ) -> ImportReport:
        """Append the ad platforms' export files (CSV/XLSX) to the Results sheet, then sync; see sheetsync.results.

        ``platform`` (meta, tiktok, oceanengine, xiaohongshu, tencent) says which export the files are when their
        columns fit more than one. Rows the sheet already holds (same day, platform, campaign) are left out.
        """
        from .results import run_import

        return run_import(self.backend, [Path(f) for f in files], platform=platform, today=today,
                          started_by=started_by)

    def what_if(
        self, *, today: dt.date | None = None, launch: dt.date | None = None, delays: dict[str, int] | None = None,
        slips: dict[str, int] | None = None, record: int | None = None, started_by: str = "api",
    ) -> WhatIfReport:
        """How a change request would move the launch, milestones, buffer and risks; `record`: into a Feedback row."""
        from .whatif_record import run_what_if  # a sync (a click, a cron run) never loads the what-if machinery

        return run_what_if(
            self.backend, today=today, launch=launch, delays=delays, slips=slips, record=record, started_by=started_by
        )

    def digest(
        self,
        *,
        today: dt.date | None = None,
        send: bool = False,
        outbox: str | os.PathLike[str] = "outbox",
        state_dir: str | os.PathLike[str] | None = None,
        to: str | None = None,
        smtp: SmtpSettings | None = None,
        preview: bool = False,
        chat: str | None = None,
        email: bool | None = None,
        chat_settings: ChatSettings | None = None,
        chat_options: dict[str, object] | None = None,
    ) -> DigestRun:
        """Compose today's digests and write them to ``outbox`` as .eml files, or ``send`` them through SMTP.

        ``chat="post"`` also posts each Channels row due today to its group bot (webhook
        addresses from ``chat_settings``, default the environment and chat.toml);
        ``chat="outbox"`` writes the JSON it would post into ``outbox`` instead. ``email``
        (default: unless ``chat`` is given without ``send``) says whether e-mail goes out too.

        SMTP settings come from ``smtp`` or the SHEETSYNC_SMTP_* environment (checked before the
        workbook is read). The sent-record in ``state_dir`` (default: the user's state folder,
        $XDG_STATE_HOME/sheetsync or ~/.local/state/sheetsync), keyed by the sheet's identity
        (``Backend.identity``), keeps a re-run the same day from sending twice, from whichever
        folder it runs; share ``state_dir`` between machines to keep it across them. Each
        message's Date is the real send time. ``preview`` writes to the outbox
        against a copy of that record, so nothing is remembered and the real digest still says
        what changed since the last one that went out.
        """
        from .digest.run import CHAT_OUTBOX, CHAT_POST, LEDGER_FILE, OUTBOX, SEND, default_state_dir, run_digests
        from .digest.smtp import SmtpSettings

        if send and preview:
            raise UsageError(_("a preview is never sent; drop send or preview"))
        if send and smtp is None:
            smtp = SmtpSettings.from_env()  # a missing setting fails before anything is read
        if chat not in (None, CHAT_POST, CHAT_OUTBOX):
            raise UsageError(_("chat is {post} or {outbox}, not {value!r}", post=CHAT_POST, outbox=CHAT_OUTBOX,
                               value=chat))
        if email is None:
            email = send or chat is None
        analysis = analyse(self.backend.read(), today=today)
        try:
            if chat == CHAT_POST and not preview and chat_settings is None:
                from .chat.secrets import ChatSettings

                with i18n.language(analysis.lang):  # a world-readable chat.toml stops us before any send
                    chat_settings = ChatSettings()
            options: dict[str, Any] = {
                "target": self.target, "mode": (SEND if send else OUTBOX) if email else None,
                "outbox": Path(outbox), "sheet": getattr(self.backend, "identity", None) or self.target,
                "chat": CHAT_OUTBOX if chat and preview else chat, "chat_settings": chat_settings,
                "chat_options": chat_options, "to": to,
            }
            state = Path(state_dir) if state_dir is not None else default_state_dir()
            if not preview:
                return run_digests(analysis, state_dir=state, smtp=smtp, **options)
            with tempfile.TemporaryDirectory(prefix="sheetsync-preview-") as scratch:
                for part in ("", "-wal"):  # the ledger alone, not the whole state folder (logs, other tools' files)
                    if (state / f"{LEDGER_FILE}{part}").is_file():
                        shutil.copy2(state / f"{LEDGER_FILE}{part}", Path(scratch) / f"{LEDGER_FILE}{part}")
                return run_digests(analysis, state_dir=Path(scratch), **options)
        except SheetsyncError as err:  # said in the book's language, now that it is known
            err.lang = err.lang or analysis.lang
            raise

    def check_copy(
        self, cells: list[tuple[str, str]] | None = None, *, where: str = "", selection: bool = False
    ) -> CopyCheck:
        """Check ad copy with this workbook's own checker (its Market, Industry and Copy rules).

        ``cells`` are (cell name, text) pairs described by ``where``; ``selection`` takes them from
        the cells selected in Excel (a workbook open through xlwings). Without either, or when the
        selection holds no text, every Copy cell of the Reviews sheet is checked.
        """
        from .engine.compliance import load_checker
        from .parse.compliance import parse_copy_rules
        from .parse.project import parse_project
        from .parse.reviews import parse_reviews

        if selection:
            if not isinstance(self.backend, SelectionBackend):
                raise UsageError(
                    _("{target} is not open in Excel: it has no selection; pass the cells instead", target=self.target)
                )
            if (selected := self.backend.selected_texts()) is not None:
                cells, where = selected
        workbook = self.backend.read()
        lang = book_language(workbook)
        ignored: list[Problem] = []  # a sync reports the workbook's problems; a copy check reports findings
        with i18n.language(lang):
            settings = parse_project(workbook, ignored)
        checker = load_checker(
            settings.market, settings.industry, parse_copy_rules(workbook, ignored), facts=settings.evidence
        )
        if cells is None:
            reviews = parse_reviews(workbook, ignored)
            if reviews.view is None:
                raise TargetError(_("No Reviews sheet: select the cells holding the ad copy, then check them."))
            view = reviews.view
            cells = [(f"{view.title}!{view.locate(r.row, 'Copy')}", r.copy) for r in reviews.reviews if r.copy.strip()]
            where = f"{view.title} › {view.spec.column('Copy').label(view.lang)}"
        return CopyCheck(cells, {cell: checker.check(text) for cell, text in cells}, where, lang)

    def frames(self, *, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
        """Every contract sheet as a DataFrame, computed columns filled as a sync would write them.

        Columns carry canonical English names (extra columns keep their own header); the
        index is the sheet row number, so a row can be found in the workbook again.
        Contract columns hold the values the engine used, read by the parse layer's own
        readers: dates (``2026年12月3日``, ``2026/12/3``, a serial) as datetime64, working
        days and counts as Int64, Depends on as a list of IDs, and dropdown and flag words
        as their canonical English word whatever the book's language (``Done`` for 已完成).
        A cell the engine could not read is empty (the Problems frame says why); other
        columns, and the Project sheet's values, are as typed.
        """
        from .frames import problems_frame, sheet_frame, with_changes

        raw = self.backend.read()
        analysis = analyse(raw, today=today)
        out: dict[str, pd.DataFrame] = {}
        for spec in contract.SHEETS:
            if spec.name == "Problems":
                out[spec.name] = problems_frame(analysis.problems)
                continue
            sink: list[Problem] = []
            view = locate_table(raw, spec, sink, required=False)
            if view is None:
                continue
            sheet = with_changes(view.sheet, analysis.desired.get(view.title, {}))
            out[spec.name] = sheet_frame(sheet, view.header_row, view.columns | view.new_columns, spec)
        return out

    def frame(self, sheet: str, *, today: dt.date | None = None) -> pd.DataFrame:
        """One sheet (canonical or Chinese name) as a DataFrame; see frames()."""
        frames = self.frames(today=today)
        for spec in contract.SHEETS:
            if spec.matches(sheet) and spec.name in frames:
                return frames[spec.name]
        raise KeyError(_("no sheet {sheet} in {target}", sheet=repr(sheet), target=self.target))


def open(  # noqa: A001 - mirrors builtins.open on purpose
    target: str | os.PathLike | Any, *, force: bool = False, credentials: str | None = None
) -> Workbook:
    """Open a campaign workbook: an .xlsx/.xlsm path, a Google Sheet URL or gsheet:KEY, or an open xlwings Book."""
    return Workbook(open_backend(target, force=force, credentials=credentials))


def create(
    path: str | os.PathLike,
    *,
    lang: str = "en",
    demo: bool = False,
    launch: dt.date | None = None,
    today: dt.date | None = None,
    calendar: str | None = None,
) -> Workbook:
    """Make a new campaign workbook file from the template (.xlsm gets the Excel buttons); never overwrites.

    ``calendar``: the country whose holidays count (code or name: "US", "中国"); default CN for zh, none for en.
    """
    from .template import build_workbook

    return open(build_workbook(path, lang=lang, demo=demo, launch=launch, today=today, calendar=calendar))


def create_gsheet(
    title: str,
    *,
    share: Iterable[str] = (),
    credentials: str | None = None,
    lang: str = "en",
    demo: bool = False,
    launch: dt.date | None = None,
    today: dt.date | None = None,
    calendar: str | None = None,
) -> Workbook:
    """Make a new campaign Google Sheet owned by the service account; ``share`` addresses become Editors.

    Every address is checked before anything is made; when Google refuses a share the new sheet is deleted again.
    """
    from .backends.gsheets.client import connect
    from .template.gsheets import create_campaign_sheet

    _, url = create_campaign_sheet(
        connect(credentials), title, share=list(share), lang=lang, demo=demo, launch=launch, today=today,
        calendar=calendar,
    )
    return open(url, credentials=credentials)


@dataclass(frozen=True)
class LaidOut:
    """An existing Google Sheet laid out as the template: the workbook, tabs laid out, tabs left as they were."""

    workbook: Workbook
    added: tuple[str, ...]
    kept: tuple[str, ...]  # contract tabs that already held something; sync reads them as they are


def lay_out(
    target: str,
    *,
    share: Iterable[str] = (),
    credentials: str | None = None,
    lang: str = "en",
    demo: bool = False,
    launch: dt.date | None = None,
    today: dt.date | None = None,
    calendar: str | None = None,
) -> LaidOut:
    """Lay out an existing Google Sheet (URL or gsheet:KEY) as the template, for one the service account cannot create.

    Adds the contract tabs it lacks and lays out blank ones; tabs holding anything, and the
    person's own tabs, are left as they are (sheetsync.template.gsheets_existing says why).
    """
    from .backends.gsheets.client import connect
    from .template.gsheets_existing import lay_out_sheet

    done = lay_out_sheet(
        connect(credentials), target, share=list(share), lang=lang, demo=demo, launch=launch, today=today,
        calendar=calendar,
    )
    return LaidOut(open(done.url, credentials=credentials), done.added, done.kept)


def make_demo(
    folder: str | os.PathLike = "sheetsync-demo", *, today: dt.date | None = None, lang: str = "en",
    calendar: str | None = None,
) -> DemoRun:
    """Make (or remake) the demo campaign in ``folder`` and sync it as of ``today``."""
    path = Path(folder) / "campaign-demo.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # the demo is ours to remake
    today = today or dt.date.today()
    book = create(path, lang=lang, demo=True, today=today, calendar=calendar)
    from .template.demo import first_run  # the plan as the client signed it off, recorded as the baseline
    return DemoRun(path, first_run(book, today=today, lang=lang, started_by="demo"))
