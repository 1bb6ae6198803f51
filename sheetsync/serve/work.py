"""The sheetsync work behind each endpoint: blocking library calls, run in a worker thread by the app.

Each function opens the sheet through the library (`Workbook` over the Google backend)
with the service's one Google client, so a click pays the sheet's read, compute and
write, not a sign-in per request; and answers exactly what the command line prints with
--json (sync, check) or what the interface says (digest, lint).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..i18n import _

if TYPE_CHECKING:
    from ..backends.gsheets.client import GoogleClient
    from ..digest.model import Digest
    from ..workbook import Workbook


class Sheets:
    """Opens sheets for the service: one Google client (one sign-in) shared by every request."""

    def __init__(self, credentials: str | None, state_dir: Path, google_wait: float | None = None) -> None:
        self.credentials = credentials
        self.state_dir = state_dir
        self.google_wait = google_wait  # seconds per call to Google when SHEETSYNC_GOOGLE_TIMEOUT is not set
        self._client: GoogleClient | None = None
        self._lock = threading.Lock()
        self.langs: dict[str, str] = {}  # sheet key → the book's language, once read: errors are said in it

    def client(self) -> GoogleClient:
        """The Google client, made on first use: a missing key file is said per request, in the sheet's language."""
        from ..backends.gsheets.client import connect
        from ..backends.gsheets.transport import TIMEOUT_ENV

        with self._lock:
            if self._client is None:
                chosen = os.environ.get(TIMEOUT_ENV, "").strip()  # the operator's own deadline wins
                self._client = connect(self.credentials, max_wait=None if chosen else self.google_wait)
            return self._client

    def without_key_file(self, message: str) -> str:
        """``message`` with the service-account key file's path said as "the service's key file".

        The command line's errors name the file, which helps whoever runs it; a sheet's user
        cannot act on a path on the server, and should not learn it. The log keeps the original.
        """
        from ..backends.gsheets.client import CREDENTIALS_ENV

        path = self.credentials or os.environ.get(CREDENTIALS_ENV, "")
        if not path or path not in message:
            return message
        print(f"sheetsync serve: {message}", file=sys.stderr, flush=True)
        return message.replace(path, _("the service's key file"))

    def open(self, key: str) -> Workbook:
        from ..backends.gsheets.backend import open_gsheet
        from ..workbook import Workbook

        return Workbook(open_gsheet(f"gsheet:{key}", client=self.client()))

    # --- the endpoints' work ---

    def sync(self, key: str, *, today: dt.date | None, dry_run: bool, action: str) -> dict[str, object]:
        book = self.open(key)
        if action == "check":
            report = book.check(today=today)
        else:
            report = book.sync(today=today, dry_run=dry_run, started_by="api")
        self.langs[key] = report.lang
        with i18n.language(report.lang):
            return report.as_dict()

    def digest(self, key: str, *, today: dt.date | None) -> dict[str, object]:
        """Today's digests as their HTML bodies: a preview, so nothing is sent and the sent-record is untouched.

        Workbook.digest(preview=True) writes the .eml files into a scratch outbox (deleted
        here) against a scratch copy of the ledger; the HTML is rendered from the same digests.
        """
        book = self.open(key)
        with tempfile.TemporaryDirectory(prefix="sheetsync-serve-") as outbox:
            run = book.digest(today=today, preview=True, outbox=outbox, state_dir=self.state_dir)
        self.langs[key] = run.lang
        return {
            "lang": run.lang,
            "digests": [
                {
                    "person": digest.recipient.name,
                    "address": digest.recipient.email,
                    "kind": digest.recipient.kind,
                    "subject": digest.subject,
                    "html": preview_html(digest),
                }
                for digest in run.digests
            ],
        }

    def lint(self, key: str, cells: list[tuple[str, str]] | None) -> dict[str, object]:
        """Findings for the given (cell, text) pairs, in their order, else for every Copy cell of the Reviews sheet.

        The given texts are checked under their positions, not their cell names: a caller may
        send one name twice (or none), and the findings are looked up by name.
        """
        from ..report_copy import finding_dict

        book = self.open(key)
        if cells:
            check = book.check_copy([(str(i), text) for i, (_cell, text) in enumerate(cells)], where="Sheets")
            found = [check.findings.get(str(i), []) for i in range(len(cells))]
        else:
            check = book.check_copy(None)
            cells = check.checked
            found = [check.findings.get(cell, []) for cell, _text in cells]
        self.langs[key] = check.lang
        return {
            "lang": check.lang,
            "results": [
                {"cell": cell, "text": text, "findings": [finding_dict(f) for f in findings]}
                for (cell, text), findings in zip(cells, found, strict=True)
            ],
        }


PICTURE_CID = "sheetsync-timeline-preview"


def preview_html(digest: Digest) -> str:
    """The digest's HTML body as the mail shows it, the detailed digest's timeline picture inline (data: URI).

    In the message the picture travels as a related part (cid:); a sidebar has no message
    around the HTML, so the same PNG goes into the page itself.
    """
    import base64

    from ..digest.chart import gantt_png
    from ..digest.render import render_html

    if not (digest.detailed and digest.gantt):
        return render_html(digest)
    with i18n.language(digest.lang):
        png = gantt_png(digest.gantt, today=digest.today, launch=digest.launch,
                        projected_launch=digest.projected_launch)
    inline = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return render_html(digest, image_cid=PICTURE_CID).replace(f'src="cid:{PICTURE_CID}"', f'src="{inline}"')


def warm_up() -> None:
    """Import the workbook machinery and compile every rule pack once, before the first click pays for it."""
    from ..backends.gsheets import backend  # noqa: F401 - gspread, google-auth
    from ..contract import INDUSTRY
    from ..digest import chart, render  # noqa: F401 - jinja2, the digest templates, the timeline picture
    from ..engine.compliance import load_checker
    from ..workbook import Workbook  # noqa: F401 - analysis, engine, sync

    for market in ("zh", "en"):
        for industry in INDUSTRY:
            load_checker(market, industry)
