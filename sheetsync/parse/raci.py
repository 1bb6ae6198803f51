"""The Team and RACI sheets → typed rows (who is who, who does what).

Both feed engine/raci.py, which checks the RACI against the Team and routes digests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..a1 import rowcol_to_a1
from ..contract import (
    CADENCE,
    DIGEST_KIND,
    RACI,
    RACI_LETTERS,
    SHEETS,
    TEAM,
    TEAM_SIDE,
    choice_label,
    plain_text,
)
from ..email_address import address_problem
from ..i18n import _
from ..problems import Problem, column_label
from ..raw import Formula, RawWorkbook
from .cells import is_blank, shown, to_choice
from .table_view import TableView, locate_table

# A web address where a name or an account belongs (Channels Name and Mention, a Team member's Chat).
WEBHOOK_ADDRESS = re.compile(r"https?://|access_token=|[?&]key=|/hook/|hooks\.slack\.com", re.IGNORECASE)
# A group bot's own address, wherever it is pasted: whoever holds it can post to the group.
BOT_ADDRESS = re.compile(
    r"qyapi\.weixin\.qq\.com/cgi-bin/webhook|oapi\.dingtalk\.com/robot|open\.(?:feishu\.cn|larksuite\.com)/"
    r"open-apis/bot|hooks\.slack\.com/(?:services|workflows|triggers)",
    re.IGNORECASE,
)


def pasted_webhook(sheet: str, cell: str, then: str = "") -> Problem:
    """The Problem for a cell holding a webhook address; `then` says what belongs in the cell instead."""
    fix = _("delete it here and put it in SHEETSYNC_CHAT_<NAME>_URL or chat.toml (see the README's Group chats)")
    return Problem(
        sheet, cell,
        _("holds a webhook address: anyone who can open the sheet could post to the group"),
        _("{fix}; then {then}", fix=fix, then=then) if then else fix,
    )


def bot_addresses(workbook: RawWorkbook, problems: list[Problem]) -> None:
    """A group bot's address anywhere in the book's sheets (a column of one's own, the Sheet link) is a Problem.

    Cells already reported are not reported twice. Only text with "://" is
    searched, so a year-long book costs a few milliseconds.
    """
    said = {(p.sheet, p.cell) for p in problems}
    for title, sheet in workbook.sheets.items():
        if not any(spec.matches(title) for spec in SHEETS):  # a sheet of one's own is never read (or inflated)
            continue
        for (row, col), value in sheet.cells.items():
            text = value.cached if value.__class__ is Formula else value
            if isinstance(text, str) and "://" in text and BOT_ADDRESS.search(text):
                cell = rowcol_to_a1(row, col)
                if (title, cell) not in said:
                    problems.append(pasted_webhook(title, cell))


@dataclass(frozen=True)
class Member:
    """One Team row."""

    row: int
    name: str
    role: str
    email: str
    side: str | None  # agency | client
    digest: str  # brief | detailed | none
    cadence: str  # daily | weekly | none
    chat: str = ""  # for @-mentions in a group chat: a mobile number or the person's user ID in the app


@dataclass
class TeamRows:
    view: TableView | None
    members: list[Member] = field(default_factory=list)


def parse_team(workbook: RawWorkbook, problems: list[Problem]) -> TeamRows:
    """Read the Team; a bad email for someone who gets a digest and a duplicate name are Problems."""
    view = locate_table(workbook, TEAM, problems, required=False)
    result = TeamRows(view=view)
    if view is None or not view.usable:
        return result
    seen: dict[str, str] = {}
    for row in view.data_rows():
        name = view.text(row, "Name")
        side = view.read(row, "Side", lambda v: to_choice(v, TEAM_SIDE), problems)
        digest = view.read(row, "Digest", lambda v: to_choice(v, DIGEST_KIND), problems)
        cadence = view.read(row, "Cadence", lambda v: to_choice(v, CADENCE), problems)
        email = view.text(row, "Email")
        if not name:
            problems.append(
                Problem(view.title, view.locate(row, "Name"), _("the team member has no name"), _("write their name"))
            )
            continue
        key = name.casefold()
        if key in seen:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Name"),
                    _('"{name}" is listed twice (first at {cell})', name=name, cell=seen[key]),
                    _("keep one row per person; tell namesakes apart, e.g. Li Na (data)"),
                )
            )
            continue
        seen[key] = view.locate(row, "Name")
        digest_kind = digest if isinstance(digest, str) else "none"  # blank = no digest
        wrong = address_problem(email) if digest_kind != "none" else None
        if wrong is not None:  # the same rule digest applies before sending: see email_address.py
            what = wrong.problem
            if not email:
                what = _(
                    "{name} gets a {kind} digest but has no email",
                    name=name,
                    kind=choice_label(digest_kind, DIGEST_KIND),
                )
            fix = _(
                "{fix}, or set {digest} to {none}",
                fix=wrong.fix,
                digest=column_label(TEAM, "Digest"),
                none=choice_label("none", DIGEST_KIND),
            )
            problems.append(Problem(view.title, view.locate(row, "Email"), what, fix))
        result.members.append(
            Member(
                row=row,
                name=name,
                role=view.prose(row, "Role"),
                email=email,
                side=side if isinstance(side, str) else None,
                digest=digest_kind,
                cadence=cadence if isinstance(cadence, str) else "none",
                chat=_chat(view, row, problems),
            )
        )
    return result


_MOBILE = re.compile(r"\+?(?:86)?(1\d{10})")  # a mainland mobile, as DingTalk's atMobiles and WeCom's list take it


def mobile_number(chat: str) -> str | None:
    """The 11-digit mobile number a Chat cell holds (spaces, dashes and +86 allowed), else None."""
    match = _MOBILE.fullmatch(re.sub(r"[\s-]", "", chat))
    return match.group(1) if match else None


def _chat(view: TableView, row: int, problems: list[Problem]) -> str:
    """A Team member's Chat cell; a webhook address pasted there is a Problem and is not used."""
    chat = view.text(row, "Chat")
    if WEBHOOK_ADDRESS.search(chat):
        then = _("write their mobile number or their user ID in the app")
        problems.append(pasted_webhook(view.title, view.locate(row, "Chat"), then))
        return ""
    return chat


@dataclass(frozen=True)
class RaciRow:
    """One RACI row: an activity and each person's or role's letters."""

    row: int
    activity: str
    letters: dict[str, frozenset[str]]  # column header (person or role) → letters


@dataclass
class RaciRows:
    view: TableView | None
    rows: list[RaciRow] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)  # column header → column


_LETTER_SPLIT = re.compile(r"[/,，、+&\s]+")


def parse_raci(workbook: RawWorkbook, problems: list[Problem]) -> RaciRows:
    """Read the RACI matrix: every column right of Activity/Check with a header is a person or role."""
    view = locate_table(workbook, RACI, problems, required=False)
    result = RaciRows(view=view)
    if view is None or not view.usable:
        return result
    own = set(view.columns.values()) | set(view.new_columns.values())
    sheet = view.sheet
    for col in range(1, sheet.max_col + 1):
        header = sheet.value(view.header_row, col)
        if col in own or is_blank(header) or isinstance(header, Formula):
            continue
        result.people[shown(header).strip()] = col
    for row in sheet.filled_rows(view.header_row):
        activity = view.text(row, "Activity")
        cells = {person: sheet.value(row, col) for person, col in result.people.items()}
        if not activity and all(is_blank(v) for v in cells.values()):
            continue
        if not activity:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Activity"),
                    _("the row assigns letters but has no activity"),
                    _("write the Timeline ID or milestone name it is about"),
                )
            )
            continue
        letters: dict[str, frozenset[str]] = {}
        for person, value in cells.items():
            if is_blank(value):
                continue
            text = plain_text(shown(value.cached if isinstance(value, Formula) else value)).strip().upper()
            parts = [p for p in _LETTER_SPLIT.split(text) if p]
            if len(parts) == 1 and len(parts[0]) > 1 and set(parts[0]) <= set(RACI_LETTERS):
                parts = list(parts[0])  # "AR"
            if not parts or any(p not in RACI_LETTERS for p in parts):
                problems.append(
                    Problem(
                        view.title,
                        rowcol_to_a1(row, result.people[person]),
                        _('"{value}" is not R, A, C or I', value=shown(value)),
                        _("write one of R, A, C, I, or a combination such as A/R"),
                    )
                )
                continue
            letters[person] = frozenset(parts)
        result.rows.append(RaciRow(row=row, activity=activity, letters=letters))
    return result
