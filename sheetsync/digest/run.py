"""One digest run: who gets one today, compose, render, then write to the outbox or send, and remember.

The ledger (an SQLite file in the state folder) remembers what was sent, so a
second cron run on the same day sends nothing again, and each person's last
snapshot, so a detailed digest can say what changed since their previous one.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n
from ..analysis import Analysis
from ..email_address import address_problem
from ..i18n import _
from .compose import compose, recipients
from .ledger import Ledger
from .model import Delivery, Digest, Recipient
from .outbox import write_outbox
from .render import render_message
from .smtp import SmtpSettings, send_all

OUTBOX, SEND = "outbox", "send"
LEDGER_FILE = "sent.sqlite"


@dataclass
class DigestRun:
    target: str
    today: dt.date
    mode: str
    digests: list[Digest] = field(default_factory=list)
    invalid: list[Recipient] = field(default_factory=list)  # skipped: their Team address breaks the rule
    deliveries: list[Delivery] = field(default_factory=list)
    lang: str = "en"  # the book's language: what the run is reported in

    @property
    def failed(self) -> list[Delivery]:
        """Messages that did not go out: delivery failures and recipients skipped for a bad address."""
        return [d for d in self.deliveries if d.status in ("failed", "invalid")]

    def as_dict(self) -> dict[str, object]:
        by_email = {d.recipient.email.casefold(): d for d in self.digests}
        invalid = {r.email.casefold(): r for r in self.invalid}
        rows = []
        for delivery in self.deliveries:
            digest = by_email.get(delivery.recipient.casefold())
            who = digest.recipient if digest else invalid.get(delivery.recipient.casefold())
            rows.append(
                {
                    "name": who.name if who else "",
                    "email": delivery.recipient,
                    "kind": who.kind if who else "",
                    "subject": digest.subject if digest else "",
                    "status": delivery.status,
                    "reason": delivery.reason,
                    "attempts": delivery.attempts,
                    "path": delivery.path,
                }
            )
        return {"target": self.target, "today": self.today.isoformat(), "mode": self.mode, "deliveries": rows}


def default_state_dir(target: str) -> Path:
    """`.sheetsync/` beside a workbook file; SHEETSYNC_STATE_DIR wins."""
    if os.environ.get("SHEETSYNC_STATE_DIR"):
        return Path(os.environ["SHEETSYNC_STATE_DIR"])
    path = Path(target)
    return (path.parent if path.suffix else Path.cwd()) / ".sheetsync"


def run_digests(
    analysis: Analysis,
    *,
    target: str,
    mode: str = OUTBOX,
    outbox: Path = Path("outbox"),
    state_dir: Path | None = None,
    to: str | None = None,
    smtp: SmtpSettings | None = None,
) -> DigestRun:
    """Compose today's digests and deliver them; returns one Delivery per recipient.

    A recipient whose Team address breaks the rule of email_address.py gets an
    "invalid" Delivery naming the cell and the fix; everyone else still gets theirs.
    Every reason is in the book's language, like the digests.
    """
    with i18n.language(analysis.lang):
        return _run(analysis, target=target, mode=mode, outbox=outbox, state_dir=state_dir, to=to, smtp=smtp)


def _run(
    analysis: Analysis,
    *,
    target: str,
    mode: str,
    outbox: Path,
    state_dir: Path | None,
    to: str | None,
    smtp: SmtpSettings | None,
) -> DigestRun:
    run = DigestRun(target=target, today=analysis.today, mode=mode, lang=analysis.lang)
    ledger = Ledger((state_dir or default_state_dir(target)) / LEDGER_FILE)
    project = analysis.settings.project_name or Path(target).stem
    channel = "smtp" if mode == SEND else "outbox"
    sender = smtp.sender if smtp else "sheetsync <sheetsync@localhost>"
    messages = []
    snapshots = {}
    refused: list[Delivery] = []
    for recipient in recipients(analysis, to=to):
        wrong = address_problem(recipient.email)  # the rule `check` reports on the Team sheet
        if wrong is not None:
            where = recipient.cell + i18n.pick(None, ": ", "：") if recipient.cell else ""
            run.invalid.append(recipient)
            reason = _("not sent: {where}{problem}; {fix}", where=where, problem=wrong.problem, fix=wrong.fix)
            refused.append(Delivery(recipient.email, "invalid", reason))
            continue
        previous = ledger.last_snapshot(project, recipient.email, channel)
        digest, snapshot = compose(analysis, recipient, previous)
        run.digests.append(digest)
        snapshots[recipient.email] = snapshot
        messages.append((recipient.email, render_message(digest, sender=sender)))
    if mode == SEND:
        if smtp is None:
            smtp = SmtpSettings.from_env()
        run.deliveries = send_all(messages, smtp, ledger, project=project, day=analysis.today)
    else:
        run.deliveries = write_outbox(messages, outbox)
    run.deliveries = refused + run.deliveries
    for delivery in run.deliveries:
        if delivery.status in ("sent", "written"):
            ledger.save_snapshot(project, delivery.recipient, channel, analysis.today, snapshots[delivery.recipient])
    return run
