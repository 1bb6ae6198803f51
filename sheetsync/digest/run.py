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

from ..analysis import Analysis
from .compose import compose, recipients
from .ledger import Ledger
from .model import Delivery, Digest
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
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.status == "failed"]

    def as_dict(self) -> dict[str, object]:
        by_email = {d.recipient.email.casefold(): d for d in self.digests}
        rows = []
        for delivery in self.deliveries:
            digest = by_email.get(delivery.recipient.casefold())
            rows.append(
                {
                    "name": digest.recipient.name if digest else "",
                    "email": delivery.recipient,
                    "kind": digest.recipient.kind if digest else "",
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
    """Compose today's digests and deliver them; returns one Delivery per recipient."""
    run = DigestRun(target=target, today=analysis.today, mode=mode)
    ledger = Ledger((state_dir or default_state_dir(target)) / LEDGER_FILE)
    project = analysis.settings.project_name or Path(target).stem
    channel = "smtp" if mode == SEND else "outbox"
    sender = smtp.sender if smtp else "sheetsync <sheetsync@localhost>"
    messages = []
    snapshots = {}
    for recipient in recipients(analysis, to=to):
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
    for delivery in run.deliveries:
        if delivery.status in ("sent", "written"):
            ledger.save_snapshot(project, delivery.recipient, channel, analysis.today, snapshots[delivery.recipient])
    return run
