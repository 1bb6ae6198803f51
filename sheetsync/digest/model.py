"""What a digest says, before it is rendered: plain data shared by compose, render and deliver."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Recipient:
    """A Team member who gets a digest."""

    name: str
    email: str
    role: str = ""
    side: str = "agency"  # agency | client
    kind: str = "brief"  # brief | detailed
    cadence: str = "daily"  # daily | weekly


@dataclass(frozen=True)
class Table:
    """A titled table of the detailed digest; every cell is already text."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""  # what to say when there are no rows


@dataclass(frozen=True)
class GanttBar:
    """One task in the timeline picture."""

    id: str
    start: dt.date
    due: dt.date  # planned
    projected: dt.date
    flag: str
    milestone: bool = False


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
    launch: dt.date | None = None
    projected_launch: dt.date | None = None
    sheet_link: str = ""
    footer: str = ""

    @property
    def detailed(self) -> bool:
        return self.recipient.kind == "detailed"
