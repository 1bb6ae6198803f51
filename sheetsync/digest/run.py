"""One digest run: who gets one today, compose, render, then write to the outbox or send, and remember.

The ledger (an SQLite file in the state folder) remembers what was sent, so a
second cron run on the same day sends nothing again, and each person's last
snapshot, so a detailed digest can say what changed since their previous one.
There is one state folder per user (XDG: $XDG_STATE_HOME/sheetsync, else
~/.local/state/sheetsync) and records are keyed by the sheet's identity, so the
folder a command runs in does not matter; `--state DIR` (or
$SHEETSYNC_STATE_DIR) points several machines at one shared folder.

Each message's Date is the moment it is handed over (local time and offset).
With `--today` in the past it is still the real time: the digest's day is in
its subject and footer, and a back-dated Date would hide it deep in the inbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..analysis import Analysis
from ..email_address import address_problem
from ..i18n import _
from ..resources import user_folder
from .book import Book
from .compose import compose, recipients
from .ledger import Ledger
from .model import Delivery, Digest, Recipient, chat_key
from .outbox import write_outbox
from .render import render_message
from .smtp import SmtpSettings, send_all

if TYPE_CHECKING:
    from ..chat.model import ChatMessage
    from ..chat.secrets import ChatSettings

OUTBOX, SEND = "outbox", "send"  # e-mail: to .eml files, or through SMTP; chat: CHAT_POST or CHAT_OUTBOX
CHAT_POST, CHAT_OUTBOX = "post", "outbox"
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
    chats: list[ChatMessage] = field(default_factory=list)  # with --chat: each channel's message
    chat_channels: int | None = None  # with --chat: how many rows the Channels sheet has (due today or not)
    chat_problems: list[str] = field(default_factory=list)  # with --chat: the Channels sheet's Problems

    @property
    def incomplete(self) -> bool:
        """Something did not go out: a failed or invalid delivery, or a Channels row that cannot be posted."""
        return bool(self.failed or self.chat_problems)

    @property
    def failed(self) -> list[Delivery]:
        """Messages that did not go out: delivery failures and recipients skipped for a bad address."""
        return [d for d in self.deliveries if d.status in ("failed", "invalid")]

    def as_dict(self) -> dict[str, object]:
        by_email = {d.recipient.email.casefold(): d for d in self.digests}
        invalid = {r.email.casefold(): r for r in self.invalid}
        chats = {chat_key(m.channel): m for m in self.chats}
        rows: list[dict[str, object]] = []
        for delivery in self.deliveries:
            chat = chats.get(delivery.recipient)
            if chat is not None:
                rows.append({
                    "name": chat.channel, "email": "", "channel": chat.channel, "platform": chat.platform,
                    "kind": chat.kind, "subject": chat.title, "status": delivery.status, "reason": delivery.reason,
                    "attempts": delivery.attempts, "path": delivery.path,
                })
                continue
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
        out: dict[str, object] = {"target": self.target, "today": self.today.isoformat(), "mode": self.mode,
                                  "deliveries": rows}
        if self.chat_problems:
            out["chat_problems"] = list(self.chat_problems)
        return out


def default_state_dir() -> Path:
    """The user's one state folder: $SHEETSYNC_STATE_DIR, else $XDG_STATE_HOME/sheetsync, else ~/.local/state/sheetsync.

    XDG Base Directory spec: a relative $XDG_STATE_HOME is invalid and ignored.
    """
    return user_folder("XDG_STATE_HOME", ".local/state", override="SHEETSYNC_STATE_DIR")


def legacy_ledger(target: str) -> Path:
    """Where sheetsync before the per-user folder kept the sent-record: `.sheetsync/` beside a file, else in `.`."""
    path = Path(target)
    return (path.parent if path.suffix else Path.cwd()) / ".sheetsync" / LEDGER_FILE


def run_digests(
    analysis: Analysis,
    *,
    target: str,
    mode: str | None = OUTBOX,
    outbox: Path = Path("outbox"),
    state_dir: Path | None = None,
    to: str | None = None,
    smtp: SmtpSettings | None = None,
    sheet: str | None = None,
    sent_at: dt.datetime | None = None,
    chat: str | None = None,
    chat_settings: ChatSettings | None = None,
    chat_options: dict[str, object] | None = None,
) -> DigestRun:
    """Compose today's digests and deliver them; returns one Delivery per recipient and per chat channel.

    `mode` None sends no e-mail (a run for chats only). `chat` CHAT_POST posts
    each Channels row due today to its group bot (webhooks from `chat_settings`,
    default: the environment and chat.toml), CHAT_OUTBOX writes the JSON it
    would post into `outbox`; `chat_options` go to chat/post.py's post_all
    (retries, backoff, sleep: for tests).
    `sheet` is the spreadsheet's identity (Backend.identity; default TARGET as
    given): what the ledger and the Message-IDs are keyed by. `sent_at` is the
    Date of every message (default: now, in local time). A recipient whose Team
    address breaks the rule of email_address.py gets an "invalid" Delivery
    naming the cell and the fix; everyone else still gets theirs.
    Every reason is in the book's language, like the digests.
    """
    with i18n.language(analysis.lang), Ledger((state_dir or default_state_dir()) / LEDGER_FILE) as ledger:
        run = _run(
            analysis, ledger, target=target, mode=mode, outbox=outbox, to=to, smtp=smtp,
            sheet=sheet or target, sent_at=sent_at or dt.datetime.now().astimezone(),
        )
        if chat is not None:
            from ..chat.deliver import deliver_chats  # imported when used: e-mail runs start faster

            chats = deliver_chats(analysis, ledger, sheet=sheet or target, post=chat == CHAT_POST,
                                  outbox=outbox, settings=chat_settings, **(chat_options or {}))
            run.chats = chats.messages
            run.chat_channels = chats.listed
            run.chat_problems = chats.problems
            run.deliveries += chats.deliveries
        return run


def _run(
    analysis: Analysis,
    ledger: Ledger,
    *,
    target: str,
    mode: str | None,
    outbox: Path,
    to: str | None,
    smtp: SmtpSettings | None,
    sheet: str,
    sent_at: dt.datetime,
) -> DigestRun:
    run = DigestRun(target=target, today=analysis.today, mode=mode or "chat", lang=analysis.lang)
    if mode is None:
        return run
    _adopt_older_records(ledger, target, analysis.settings.project_name or Path(target).stem, sheet)
    channel = "smtp" if mode == SEND else "outbox"
    sender = smtp.sender if smtp else "sheetsync <sheetsync@localhost>"
    messages = []
    snapshots = {}
    refused: list[Delivery] = []
    book = Book(analysis)  # the book's parts of a digest composed once, for everyone
    for recipient in recipients(analysis, to=to):
        wrong = address_problem(recipient.email)  # the rule `check` reports on the Team sheet
        if wrong is not None:
            where = recipient.cell + i18n.pick(None, ": ", "：") if recipient.cell else ""
            run.invalid.append(recipient)
            reason = _("not sent: {where}{problem}; {fix}", where=where, problem=wrong.problem, fix=wrong.fix)
            refused.append(Delivery(recipient.email, "invalid", reason))
            continue
        previous = ledger.last_snapshot(sheet, recipient.email, channel)
        digest, snapshot = compose(book, recipient, previous)  # type: ignore[arg-type]
        digest.sheet = sheet
        run.digests.append(digest)
        snapshots[recipient.email] = snapshot
        messages.append((recipient.email, render_message(digest, sender=sender, sent_at=sent_at)))
    if mode == SEND:
        if smtp is None:
            smtp = SmtpSettings.from_env()
        with ledger.hold(f"mail:{sheet}:{analysis.today.isoformat()}"):  # two runs at once take turns
            run.deliveries = send_all(messages, smtp, ledger, sheet=sheet, day=analysis.today)
    else:
        run.deliveries = write_outbox(messages, outbox, day=analysis.today)
    run.deliveries = refused + run.deliveries
    done = [d.recipient for d in run.deliveries if d.status in ("sent", "written")]  # saved in one transaction
    ledger.save_snapshots(sheet, channel, analysis.today, [(who, snapshots[who]) for who in done])
    return run


def _adopt_older_records(ledger: Ledger, target: str, project: str, sheet: str) -> None:
    """Honour what an older sheetsync recorded under the Project name, so upgrading re-sends nothing today.

    Its records are in this ledger (a shared --state folder) or in `.sheetsync/`
    beside the workbook (for a Google Sheet: the folder the command runs in).
    """
    ledger.adopt(ledger.path, project, sheet)
    older = legacy_ledger(target)
    if older.is_file() and older.resolve() != ledger.path.resolve():
        ledger.adopt(older, project, sheet)
