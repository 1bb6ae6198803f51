"""The optional Channels sheet → the group chats that get a digest through their group bot (issue 15).

A row names a chat, its platform, which digest it gets, how often, and whom it
@-mentions (Team names, or all). The webhook address and signing secret are
never in the book — anyone who can open the sheet could post to the group —
so a cell that holds one is a Problem telling where the address belongs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import i18n
from ..chat.secrets import variable_names
from ..contract import (
    CADENCE,
    CHANNELS,
    CHAT_PLATFORM,
    DIGEST_KIND,
    MENTION_ALL,
    TEAM,
    canonical_choice,
    choice_label,
    normalise_header,
    platform_label,
)
from ..i18n import _
from ..problems import Problem, column_label, joined
from ..raw import RawWorkbook
from .cells import to_choice
from .raci import WEBHOOK_ADDRESS, Member, mobile_number, pasted_webhook
from .table_view import INVALID, TableView, locate_table

_SEPARATORS = re.compile(r"[,，、;；/\n]+")


@dataclass(frozen=True)
class Channel:
    """One Channels row, read."""

    row: int
    name: str
    platform: str  # wecom | dingtalk | feishu | slack
    digest: str  # brief | detailed | none
    cadence: str  # daily | weekly | none
    mention_all: bool
    mentions: tuple[Member, ...]  # the Team members named in Mention, in the order written
    cell: str  # where the Name is, e.g. "Channels!A2", for messages about the channel


def parse_channels(workbook: RawWorkbook, members: list[Member], problems: list[Problem]) -> list[Channel]:
    """Read the Channels sheet; an unknown platform, an unknown name in Mention or a pasted webhook is a Problem."""
    view = locate_table(workbook, CHANNELS, problems, required=False)
    if view is None or not view.usable:
        return []
    team = {normalise_header(m.name): m for m in members}
    seen: dict[str, str] = {}
    channels: list[Channel] = []
    for row in view.data_rows():
        name = view.text(row, "Name")
        platform = view.read(row, "Platform", lambda v: to_choice(v, CHAT_PLATFORM), problems)
        digest = view.read(row, "Digest", lambda v: to_choice(v, DIGEST_KIND), problems)
        cadence = view.read(row, "Cadence", lambda v: to_choice(v, CADENCE), problems)
        pasted = [column for column in ("Name", "Mention") if WEBHOOK_ADDRESS.search(view.prose(row, column))]
        for column in pasted:
            then = (_("write the chat's name") if column == "Name"
                    else _("write Team names, or {all}", all=choice_label("all", MENTION_ALL)))
            problems.append(pasted_webhook(view.title, view.locate(row, column), then))
        if "Name" in pasted:
            continue
        if not name:
            problems.append(Problem(
                view.title, view.locate(row, "Name"), _("the channel has no name"),
                _("name it (the name chooses its webhook setting), e.g. 项目群 or launch-team"),
            ))
            continue
        key = normalise_header(name)
        if key in seen:
            problems.append(Problem(
                view.title, view.locate(row, "Name"),
                _('channel "{name}" is listed twice (first at {cell})', name=name, cell=seen[key]),
                _("keep one row per group chat"),
            ))
            continue
        url_name, _secret = variable_names(name)
        if url_name in seen:  # 项目群 and xiangmuqun: two rows, one webhook setting, the same group twice
            problems.append(Problem(
                view.title, view.locate(row, "Name"),
                _('channel "{name}" has the same webhook setting {variable} as {cell}', name=name,
                  variable=url_name, cell=seen[url_name]),
                _("keep one row per group chat, or rename one so each has its own setting"),
            ))
            continue
        seen[key] = seen[url_name] = view.locate(row, "Name")
        if platform is None:
            problems.append(Problem(
                view.title, view.locate(row, "Platform"), _('channel "{name}" has no platform', name=name),
                _("write one of {choices}", choices=", ".join(platform_label(p) for p in CHAT_PLATFORM)),
            ))
            continue
        if platform is INVALID:
            continue
        mention_all, mentions = (False, []) if "Mention" in pasted else _mentions(view, row, team, problems)
        if not mention_all:
            _check_reachable(view, row, str(platform), mentions, problems)
        channels.append(Channel(
            row=row,
            name=name,
            platform=str(platform),
            digest=digest if isinstance(digest, str) else "brief",  # a chat row is there to get a digest
            cadence=cadence if isinstance(cadence, str) else "daily",
            mention_all=mention_all,
            mentions=tuple(mentions),
            cell=f"{view.title}!{view.locate(row, 'Name')}",
        ))
    return channels


def _mentions(view: TableView, row: int, team: dict[str, Member], problems: list[Problem]) -> tuple[bool, list[Member]]:
    """Mention: Team names (comma, 、 or ; between them) or all; a name not on the Team is a Problem."""
    written = view.text(row, "Mention")
    mention_all, members = False, []
    unknown = []
    for word in filter(None, (w.strip().lstrip("@＠") for w in _SEPARATORS.split(written))):
        if canonical_choice(word, MENTION_ALL) == "all":
            mention_all = True
            continue
        # "张敏 李娜": names split by spaces, when the words are not one name (Li Na) but each is one
        whole = team.get(normalise_header(word))
        each = [team.get(normalise_header(w)) for w in word.split()]
        found = [whole] if whole else [m for m in each if m] if all(each) else []
        if not found:
            unknown.append(word)
            continue
        members += [m for m in found if m not in members]
    if unknown:
        problems.append(Problem(
            view.title, view.locate(row, "Mention"),
            _("{names} not on the {team} sheet", names=joined(unknown), team=TEAM.label(i18n.current())),
            _("write names as the {column} column of {team} spells them, or {all}", column=column_label(TEAM, "Name"),
              team=TEAM.label(i18n.current()), all=choice_label("all", MENTION_ALL)),
        ))
    return mention_all, members


_USER_ID = {  # what each app's user ID may hold (each module @s by it); anything else reaches nobody
    "wecom": re.compile(r"[A-Za-z0-9_.@-]{1,64}"),  # WeCom userid: letters, digits and _-@.
    "dingtalk": re.compile(r"[A-Za-z0-9_-]{1,64}"),  # DingTalk userId
    "feishu": re.compile(r"[A-Za-z0-9_-]{1,64}"),  # open_id ou_…, user_id
    "slack": re.compile(r"[UW][A-Z0-9]{2,}"),  # Slack member ID
}


def _reachable(member: Member, platform: str) -> bool:
    """Whether the platform's bot can @ this person from their Chat cell (chat/*.py: what each accepts)."""
    chat = member.chat.strip()
    if not chat:
        return False
    if mobile_number(chat):  # WeCom and DingTalk @ by mobile; Feishu and Slack bots cannot
        return platform in ("wecom", "dingtalk")
    return bool(_USER_ID[platform].fullmatch(chat))


def _check_reachable(view: TableView, row: int, platform: str, members: list[Member], problems: list[Problem]) -> None:
    """A named person the bot cannot @ (no Chat, or the wrong kind for this app) is a Problem, not a silent name."""
    unreachable = [m.name for m in members if not _reachable(m, platform)]
    if not unreachable:
        return
    needs = {
        "wecom": _("a mobile number or their WeCom userid"),
        "dingtalk": _("a mobile number or their DingTalk userId"),
        "feishu": _("their Feishu open_id (ou_…); a Feishu bot cannot @ by mobile number"),
        "slack": _("their Slack member ID (U…, in their Slack profile: ⋮ → Copy member ID)"),
    }
    problems.append(Problem(
        view.title, view.locate(row, "Mention"),
        _("{names} cannot be @-mentioned on {platform}: the {column} cell on the {team} sheet does not say how",
          names=joined(unreachable), platform=platform_label(platform), column=column_label(TEAM, "Chat"),
          team=TEAM.label(i18n.current())),
        _("write {what} there", what=needs[platform]),
    ))
