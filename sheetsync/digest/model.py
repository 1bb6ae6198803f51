"""What a digest says, before it is rendered: plain data shared by compose, render and deliver.

It imports no part of the `email` package up front, and a sync's printed summary takes
`one_line` from header_text.py: a Sync now click imports neither (45 ms of one, with e-mail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .header_text import one_line  # noqa: F401  (re-exported: compose, render and the chats take it from here)

if TYPE_CHECKING:
    from email.message import EmailMessage

    from .burndown import BurnDown


@dataclass(frozen=True)
class Recipient:
    """A Team member who gets a digest."""

    name: str
    email: str
    role: str = ""
    side: str = "agency"  # agency | client
    kind: str = "brief"  # brief | detailed
    cadence: str = "daily"  # daily | weekly
    cell: str = ""  # where the Email is typed, e.g. "Team!C2", for messages about it


@dataclass(frozen=True)
class Table:
    """A titled table of the detailed digest; every cell is already text."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""  # what to say when there are no rows
    note: str = ""  # one line under the table, rows or not (the tasks a baseline does not know)


@dataclass(frozen=True)
class GanttBar:
    """One task in the timeline picture."""

    id: str
    start: dt.date
    due: dt.date  # planned
    projected: dt.date
    flag: str
    milestone: bool = False
    name: str = ""  # the task's name, shown after its ID on the row's label


@dataclass
class Digest:
    """One message for one person on one day."""

    recipient: Recipient
    lang: str  # zh | en
    project: str
    today: dt.date
    subject: str  # one line, no newlines
    headline: str  # the launch status sentence
    lines: list[str] = field(default_factory=list)  # the brief part: at most ~8 lines
    waiting: list[str] = field(default_factory=list)  # items waiting on this person (already in `lines` for brief)
    tables: list[Table] = field(default_factory=list)  # detailed only
    changes: list[str] = field(default_factory=list)  # detailed only: since this person's previous digest
    gantt: list[GanttBar] = field(default_factory=list)  # detailed only: the timeline picture's bars
    burn: BurnDown | None = None  # detailed only: the burn-down picture (spend against the plan), with a budget
    launch: dt.date | None = None
    projected_launch: dt.date | None = None
    sheet_link: str = ""
    footer: str = ""
    notices: list[str] = field(default_factory=list)  # detailed only: what the sync says once to the team
    problems: list[str] = field(default_factory=list)  # the sheet's Problems: one line (brief) or one per cell
    sheet: str = ""  # the spreadsheet's identity (Backend.identity): with the person and day, its Message-ID

    @property
    def detailed(self) -> bool:
        return self.recipient.kind == "detailed"


@dataclass(frozen=True)
class Delivery:
    """What happened to one message: sent, written to the outbox, skipped (already sent today), failed or invalid."""

    recipient: str
    status: str  # sent | written | skipped | failed | invalid (the Team address is not one usable address)
    reason: str = ""  # for failed/skipped: one line, e.g. "550 5.1.1 mailbox unavailable (permanent)"
    attempts: int = 0
    path: str = ""  # the outbox file, for "written"


def chat_key(channel: str) -> str:
    """A group chat's name in the sent-record and in a run's deliveries, beside people's addresses: chat:<name>."""
    return f"chat:{channel}"


def digest_kind(message: EmailMessage) -> str:
    """Which digest a message is (brief, detailed...), from the header render sets; one ledger entry per kind a day."""
    return str(message.get("X-Sheetsync-Digest", "digest")).strip() or "digest"


def bare_address(address: str) -> str:
    """The address part of "Name <addr>" (or the text itself when it has no angle brackets)."""
    from email.utils import parseaddr  # imported when used: a sync's summary borrows one_line from here, not e-mail

    return parseaddr(address)[1] or address.strip()
