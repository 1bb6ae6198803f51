"""Who does what: RACI completeness, owners who are R or A, names that exist in the Team sheet.

Pure. DESIGN.md, RACI: every activity has exactly one A and at least one R; the
Timeline Owner of a milestone is its R or A; every person or role named exists
in the Team sheet. The result also routes digests: A for escalation, C/I for
who hears about what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..contract import OK, TIMELINE, flag_label, normalise_header
from ..i18n import _, pick
from ..problems import Problem, column_label
from .schedule import Task


class MemberLike(Protocol):
    name: str
    role: str


class RaciRowLike(Protocol):
    row: int
    activity: str
    letters: dict[str, frozenset[str]]


@dataclass
class Directory:
    """Names and roles of the Team sheet; a RACI column or an Owner may be either."""

    members: Sequence[MemberLike]

    def __post_init__(self) -> None:
        self._names = {normalise_header(m.name): m for m in self.members}
        self._roles: dict[str, list[MemberLike]] = {}
        for m in self.members:
            if m.role:
                self._roles.setdefault(normalise_header(m.role), []).append(m)

    def __bool__(self) -> bool:
        return bool(self.members)

    def knows(self, who: str) -> bool:
        key = normalise_header(who)
        return key in self._names or key in self._roles

    def identities(self, who: str) -> set[str]:
        """Everything `who` may be called: the name, the person's role, or the people holding a role."""
        key = normalise_header(who)
        out = {key}
        if key in self._names and self._names[key].role:
            out.add(normalise_header(self._names[key].role))
        for member in self._roles.get(key, []):
            out.add(normalise_header(member.name))
        return out

    def people(self, who: str) -> list[str]:
        """The member names behind a name or a role."""
        key = normalise_header(who)
        if key in self._names:
            return [self._names[key].name]
        return [m.name for m in self._roles.get(key, [])]


@dataclass
class RaciResult:
    checks: dict[int, str] = field(default_factory=dict)  # RACI row → Check cell
    problems: list[Problem] = field(default_factory=list)
    rows_by_task: dict[str, RaciRowLike] = field(default_factory=dict)

    def holders(self, task_id: str, letter: str) -> list[str]:
        row = self.rows_by_task.get(task_id)
        return [who for who, letters in row.letters.items() if letter in letters] if row else []


Locator = Callable[[int, str], str]


def check_raci(
    rows: Sequence[RaciRowLike],
    tasks: Sequence[Task],
    directory: Directory,
    *,
    raci_sheet: str,
    raci_locate: Locator,
    header_cells: dict[str, str],
    timeline_sheet: str,
    timeline_locate: Locator,
    other_activities: Iterable[str] = (),
) -> RaciResult:
    """Check the matrix against the Timeline and the Team; say per row what is wrong.

    `other_activities` are IDs and names of Timeline rows that could not be scheduled
    (already reported): a RACI row for them is not "matching no milestone".
    """
    result = RaciResult()
    unscheduled = {normalise_header(a) for a in other_activities}
    by_id = {normalise_header(t.id): t for t in tasks}
    by_name = {}
    for t in tasks:
        by_name.setdefault(normalise_header(t.name), t)

    if directory:
        for who, cell in header_cells.items():
            if not directory.knows(who):
                result.problems.append(
                    Problem(
                        raci_sheet,
                        cell,
                        _('"{who}" heads a RACI column but is not a name or role in the Team sheet', who=who),
                        _("add them to the Team sheet, or correct the header"),
                    )
                )

    for row in rows:
        issues: list[str] = []
        task = by_id.get(normalise_header(row.activity)) or by_name.get(normalise_header(row.activity))
        where = raci_locate(row.row, "Activity")
        if task is None and normalise_header(row.activity) in unscheduled:
            pass
        elif task is None:
            issues.append(_("matches no milestone"))
            result.problems.append(
                Problem(
                    raci_sheet,
                    where,
                    _('"{activity}" matches no Timeline ID or milestone', activity=row.activity),
                    _("use a Timeline ID or milestone name, or delete the row"),
                )
            )
        elif task.id in result.rows_by_task:
            issues.append(_("{task} already has a row", task=task.id))
            result.problems.append(
                Problem(
                    raci_sheet,
                    where,
                    _(
                        "{task} has a second RACI row (first at row {row})",
                        task=task.id,
                        row=result.rows_by_task[task.id].row,
                    ),
                    _("merge the two rows into one"),
                )
            )
            task = None
        else:
            result.rows_by_task[task.id] = row
        accountable = [who for who, letters in row.letters.items() if "A" in letters]
        responsible = [who for who, letters in row.letters.items() if "R" in letters]
        if not accountable:
            issues.append(_("no A"))
            result.problems.append(
                Problem(
                    raci_sheet,
                    where,
                    _('"{activity}" has no A (accountable)', activity=row.activity),
                    _("give exactly one person or role an A"),
                )
            )
        elif len(accountable) > 1:
            who = pick(None, ", ", "、").join(accountable)
            issues.append(_("{n} A: {who}", n=len(accountable), who=who))
            result.problems.append(
                Problem(
                    raci_sheet,
                    where,
                    _('"{activity}" has {n} A ({who})', activity=row.activity, n=len(accountable), who=who),
                    _("keep exactly one A: one person answers for it"),
                )
            )
        if not responsible:
            issues.append(_("no R"))
            result.problems.append(
                Problem(
                    raci_sheet,
                    where,
                    _('"{activity}" has no R (responsible)', activity=row.activity),
                    _("give at least one person or role an R"),
                )
            )
        if task is not None and task.owner:
            doers = {normalise_header(w) for w in accountable + responsible}
            if not (directory.identities(task.owner) if directory else {normalise_header(task.owner)}) & doers:
                issues.append(_("owner {owner} is not R or A", owner=task.owner))
                result.problems.append(
                    Problem(
                        timeline_sheet,
                        timeline_locate(task.row, "Owner"),
                        _(
                            "{task}'s owner {owner} is neither R nor A for it in the RACI (row {row})",
                            task=task.id,
                            owner=task.owner,
                            row=row.row,
                        ),
                        _(
                            "make {owner} R or A there, or change the {owner_column}",
                            owner=task.owner,
                            owner_column=column_label(TIMELINE, "Owner"),
                        ),
                    )
                )
        result.checks[row.row] = pick(None, "; ", "；").join(issues) if issues else flag_label(OK)

    if rows:
        for task in tasks:
            if task.id not in result.rows_by_task:
                result.problems.append(
                    Problem(
                        timeline_sheet,
                        timeline_locate(task.row, "ID"),
                        _("{task} has no RACI row", task=task.id),
                        _("add a row for {task} to the RACI sheet: who is R, A, C and I", task=task.id),
                    )
                )
    return result


def check_names(directory: Directory, named: Iterable[tuple[str, str, str]]) -> list[Problem]:
    """Every (sheet, cell, name) must be a name or role of the Team sheet (when there is a Team)."""
    if not directory:
        return []
    return [
        Problem(
            sheet,
            cell,
            _('"{who}" is not a name or role in the Team sheet', who=who),
            _("add them to the Team sheet, or correct the name"),
        )
        for sheet, cell, who in named
        if who and not directory.knows(who)
    ]
