"""A Channels row and one analysis of the book → the ChatMessage that channel gets today.

The words are the e-mail digest's (digest/compose.py composes them, for a
group: no "waiting on you"), so a chat and a mailbox never tell a team two
different things. What a group needs besides is *who* must act: each person
with something waiting, their items under their name, @-mentioned when the
Channels row's Mention names them (or says all) and the Team sheet's Chat
cell says how to reach them in the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from .. import i18n
from ..analysis import Analysis
from ..contract import CADENCE, CHANNELS, DIGEST_KIND, choice_label
from ..digest.compose import compose, is_due, waiting_for
from ..digest.model import Digest, Recipient, Table, chat_key
from ..errors import UsageError
from ..i18n import _
from ..parse.channels import Channel
from ..parse.raci import Member
from .model import ChatMessage, Mention, Section

MAX_BRIEF_ITEMS = 3  # per person in a brief: a group's glance, like the e-mail brief's few lines
MAX_DETAILED_ITEMS = 8


def channel_key(channel: Channel) -> str:
    """The sent-record's name for a channel (beside people's e-mail addresses): chat:<name>."""
    return chat_key(channel.name)


def channel_recipient(channel: Channel) -> Recipient:
    """A channel as the digest composer's recipient: its Name, kind and cadence."""
    return Recipient(channel.name, channel_key(channel), kind=channel.digest, cadence=channel.cadence,
                     cell=channel.cell)


def channels_due(analysis: Analysis, only: str | None = None) -> list[Channel]:
    """Channels whose digest is due today (or exactly the one named `only`, whatever its cadence)."""
    if only is not None:
        chosen = [c for c in analysis.channels if c.name.casefold() == only.strip().casefold()]
        problems = channel_problems(analysis)
        if not chosen and problems:  # its row may be there, unusable: say why
            raise UsageError(_("{name} cannot be posted to: {problems}", name=only, problems="; ".join(problems)))
        if not chosen:
            names = "、".join(c.name for c in analysis.channels) or "—"
            raise UsageError(_("no group chat named {name} on the {sheet} sheet (it has: {names})", name=only,
                               sheet=CHANNELS.label(i18n.current()), names=names))
        return chosen
    return [c for c in analysis.channels if is_due(channel_recipient(c), analysis.today)]


def channel_problems(analysis: Analysis) -> list[str]:
    """The Channels sheet's Problems, as `check` words them: a chat run says them too, not only `check`."""
    return [str(p) for p in analysis.problems if CHANNELS.matches(p.sheet)]


def compose_channel(
    analysis: Analysis,
    channel: Channel,
    previous: dict | None,
    *,
    picture: Callable[[Digest], bytes | None] | None = None,
    everyone: dict[str, list[str]] | None = None,
) -> tuple[ChatMessage, dict]:
    """The channel's message in the book's language, and the snapshot to compare against next time.

    `picture` draws a detailed digest's timeline PNG (deliver.py passes
    digest/chart.py's, drawn once a run), so that composing stays free of drawing.
    `everyone` is `waiting_by_person(analysis)`, computed once for a run of many channels.
    """
    recipient = channel_recipient(channel)
    if recipient.kind == "none":  # asked for by --channel: the brief one
        recipient = replace(recipient, kind="brief")
    digest, snapshot = compose(analysis, recipient, previous, personal=False)
    with i18n.language(analysis.lang):
        message = ChatMessage(
            channel=channel.name,
            platform=channel.platform,
            kind=recipient.kind,
            lang=digest.lang,
            title=digest.project,  # the headline follows it: a subject line would say the launch twice
            headline=digest.headline,
            lines=list(digest.lines),
            waiting=_waiting(analysis, channel, recipient.kind,
                             waiting_by_person(analysis) if everyone is None else everyone),
            mention_all=channel.mention_all,
            link=digest.sheet_link,
            footer=_footer(digest.project, analysis.today, channel, recipient.kind),
        )
        if digest.detailed:
            message.sections = [_section(t) for t in digest.tables if t.rows or t.note]
            if digest.changes and previous is not None:  # not "your first digest": a group is no one person
                message.sections.append(Section(_("What changed since the last digest"), tuple(digest.changes)))
            if digest.problems:
                message.sections.append(Section(_("Problems in the sheet"), tuple(digest.problems)))
            if digest.notices:
                message.sections.append(Section(_("Notices"), tuple(digest.notices)))
            message.image = picture(digest) if picture else None
    return message, snapshot


def waiting_by_person(analysis: Analysis) -> dict[str, list[str]]:
    """What waits on each Team member, by name: the same for every channel of a run."""
    members = analysis.team.members if analysis.team else []
    return {m.name: waiting_for(analysis, _as_recipient(m)) for m in members}


def _waiting(
    analysis: Analysis, channel: Channel, kind: str, everyone: dict[str, list[str]]
) -> list[tuple[Mention, list[str]]]:
    """Each person with something waiting, in Team order; @-mentioned when Mention names them or says all.

    Everyone is listed, not only the people Mention names: the group sees the
    whole picture, and the named are the ones the app notifies.
    """
    members = analysis.team.members if analysis.team else []
    named = {m.name for m in channel.mentions}
    limit = MAX_DETAILED_ITEMS if kind == "detailed" else MAX_BRIEF_ITEMS
    out = []
    for member in members:
        items = everyone.get(member.name, [])
        if not items:
            continue
        if len(items) > limit:
            items = [*items[: limit - 1], _("… and {n} more", n=len(items) - limit + 1)]
        reachable = channel.mention_all or member.name in named
        out.append((Mention(member.name, member.chat if reachable else ""), items))
    return out


def _as_recipient(member: Member) -> Recipient:
    return Recipient(member.name, member.email, member.role, member.side or "agency")


def _section(table: Table) -> Section:
    """A digest table as a list: a chat has no tables, so each row is its cells joined, blanks left out.

    What a row is (its first two cells) and its flag (the last) read alone; the
    cells between are labelled with their column (负责人：王磊 · 截止：2026-12-03).
    """
    colon = i18n.pick(None, ": ", "：")
    lines = []
    for row in table.rows:
        last = len(row) - 1
        cells = [cell if i < 2 or i == last else f"{table.columns[i]}{colon}{cell}"
                 for i, cell in enumerate(row) if cell]
        lines.append(" · ".join(cells))
    return Section(table.title, (*lines, *([table.note] if table.note else [])))


def _footer(project: str, today: dt.date, channel: Channel, kind: str) -> str:
    return _(
        "Sent by sheetsync for {project} on {today}: a {kind} digest {cadence}; change it in the {sheet} sheet.",
        project=project, today=today.isoformat(), kind=choice_label(kind, DIGEST_KIND),
        cadence=choice_label(channel.cadence, CADENCE), sheet=CHANNELS.label(i18n.current()),
    )
