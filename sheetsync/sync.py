"""One sync: read the workbook, parse, compute, plan the computed-cell changes, write them.

Everything here is pure except the two backend calls; `analyse` is what `check`
runs and what `sync` writes. A second sync with no edits in between plans no
change and writes nothing (not even a Log row).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from . import contract, i18n
from .analysis import Analysis, Desired, analyse, computed_cells
from .attention import attention
from .backends.base import Backend
from .baseline_record import Recording, prepare
from .contract import LOG, PROBLEMS
from .engine.schedule import LaunchStatus
from .errors import SheetMovedError
from .flag_colours import plan_colour_fixes
from .i18n import N_
from .parse.table_view import TableView, locate_table, merged_non_anchor
from .problems import Problem
from .raw import CellChange, CellValue, Formula, RawSheet, RawWorkbook
from .report_money import money_json


@dataclass
class SyncReport:
    """What a sync or check did: the CLI prints it, --json serialises it."""

    target: str
    today: dt.date
    action: str
    changes: list[CellChange]
    problems: list[Problem]
    launch: LaunchStatus | None
    flags: dict[str, dict[str, int]]
    written: bool
    analysis: Analysis | None = field(default=None, repr=False)
    dry_run: bool = False

    @property
    def lang(self) -> str:
        """The book's language: what the report is printed in."""
        return self.analysis.lang if self.analysis is not None else i18n.current()

    @property
    def recording(self) -> Recording | None:
        """What a baseline run recorded, or why it could not (None for a sync or check)."""
        return self.analysis.recording if self.analysis is not None else None

    @property
    def changed_cells(self) -> int:
        """Cells this sync changes, its own Log row included: the number the Log row and --json give too."""
        return len(self.changes)

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "action": self.action,
            "today": self.today.isoformat(),
            "written": self.written,
            "changed_cells": self.changed_cells,
            "problems": [p.as_dict() for p in self.problems],
            "launch": self.launch.as_dict() if self.launch else None,
            "baseline": self.analysis.baseline.as_dict() if self.analysis and self.analysis.baseline else None,
            "flags": self.flags,
            **money_json(self.analysis.money if self.analysis else None),  # "budget" and "goals"
            "notices": list(self.analysis.notices) if self.analysis else [],
            "lang": self.lang,
            "attention": attention(self.analysis) if self.analysis else [],
            "changes": [{"sheet": c.sheet, "cell": c.a1, "value": _json_value(c.value)} for c in self.changes]
            if self.dry_run
            else None,
        }


def _json_value(value: CellValue) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def plan(
    workbook: RawWorkbook,
    *,
    today: dt.date | None = None,
    started_by: str = "api",
    action: str = "sync",
    baseline_name: str | None = None,
):
    """Analyse the workbook and list the cell changes a sync would write (Problems and Log included).

    action "baseline" first records the current plan (baseline_record.prepare) into a copy of the workbook and
    plans the sync of that copy, so Variance is measured from the dates just recorded; its changes are the
    baseline's cells plus the sync's, and it always writes its Log row. A baseline that cannot be recorded plans
    no change at all (analysis.recording says so).
    """
    analysis = analyse(workbook, today=today)
    recorded: list[CellChange] = []
    note = ""
    if action == "baseline":
        with i18n.language(analysis.lang):
            recording, workbook = prepare(workbook, analysis, baseline_name)
        if not recording.recorded:
            analysis.recording = recording
            analysis.problems = _ordered(analysis.problems, workbook)
            return analysis, []
        analysis = analyse(workbook, today=today)  # the copy, the baseline in: Variance from the new dates
        analysis.recording = recording
        recorded = recording.changes
        with i18n.language(analysis.lang):
            note = recording.note()
    with i18n.language(analysis.lang):
        changes = recorded + _header_changes(analysis.views()) + diff(workbook, analysis.desired)
        analysis.problems = _ordered(analysis.problems, workbook)
        changes += _problems_sheet_changes(workbook, analysis.problems)
        if changes or action == "baseline":
            changes += log_changes(workbook, action, started_by, len(changes), len(analysis.problems), note)
    return analysis, changes


def _header_changes(views: list[TableView | None]) -> list[CellChange]:
    changes = []
    for view in views:
        if view is None:
            continue
        for name, col in view.new_columns.items():
            label = view.spec.column(name).label(view.lang)
            changes.append(CellChange(view.title, view.header_row, col, label))
    return changes


def same_value(old: CellValue | Formula, new: CellValue) -> bool:
    """Would writing `new` over `old` change what the cell shows?"""
    if isinstance(old, Formula):
        return False
    if old is None or old == "":
        return new is None or new == ""
    if new is None:
        return False
    if isinstance(new, dt.date) and not isinstance(new, dt.datetime):
        return isinstance(old, dt.date) and (old.date() if isinstance(old, dt.datetime) else old) == new
    if isinstance(new, bool) or isinstance(old, bool):
        return type(new) is type(old) and new == old
    if isinstance(new, (int, float)):
        return isinstance(old, (int, float)) and float(old) == float(new)
    if isinstance(new, str):
        return isinstance(old, str) and old == new
    return old == new


def diff(workbook: RawWorkbook, desired: Desired) -> list[CellChange]:
    """The computed cells whose value differs from what the workbook holds now."""
    changes = []
    for title, cells in desired.items():
        sheet = workbook.sheets[title]
        held = sheet.cells
        # A second sync finds most cells as they are: the same type and an equal value is always the same
        # (same_value agrees), so only the others are looked at closely, and only the changes sorted.
        differing = []
        for key, value in cells.items():
            old = held.get(key)
            if old.__class__ is value.__class__ and old == value:
                continue
            if not same_value(old, value):
                differing.append((key, value))
        for (row, col), value in sorted(differing, key=lambda item: item[0]):
            if not merged_non_anchor(sheet, row, col):
                changes.append(CellChange(title, row, col, value))
    return changes


def _ordered(problems: list[Problem], workbook: RawWorkbook) -> list[Problem]:
    """Problems in workbook order, then by row, then column; duplicates removed."""
    from .a1 import a1_to_rowcol

    order = {title: i for i, title in enumerate(workbook.sheets)}
    canon = {spec.name: spec for spec in contract.SHEETS}

    def key(p: Problem) -> tuple:
        sheet_pos = order.get(p.sheet)
        if sheet_pos is None:
            spec = canon.get(p.sheet)
            sheet_pos = len(order) + (contract.SHEETS.index(spec) if spec else 99)
        first = p.cell.split(":")[0]
        try:
            row, col = a1_to_rowcol(first)
        except ValueError:
            row, col = 0, 0
        return (sheet_pos, row, col)

    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=key)


def _problems_sheet_changes(workbook: RawWorkbook, problems: list[Problem]) -> list[CellChange]:
    sink: list[Problem] = []
    view = locate_table(workbook, PROBLEMS, sink, required=False)
    if view is None or not view.usable or view.new_columns:
        return []
    first = view.header_row + 1
    rows = {first + i: (p.sheet, p.cell, p.problem, p.fix) for i, p in enumerate(problems)}
    cells = computed_cells(view, ("Sheet", "Cell", "Problem", "Fix"), rows)
    return diff(workbook, {view.title: cells})


def log_changes(
    workbook: RawWorkbook, action: str, started_by: str, changed: int, problem_count: int, note: str = ""
) -> list[CellChange]:
    """The Log row of a run that writes (sync, baseline, a recorded what-if, an import): Action and By in the
    book's language (LOG_WORDS), its Changed cells counting every cell the run changes, this row's too."""
    sink: list[Problem] = []
    view = locate_table(workbook, LOG, sink, required=False)
    if view is None or not view.usable or view.new_columns:
        return []
    row = last_filled_row(view.sheet, view.header_row) + 1
    values: dict[str, CellValue] = {
        "Time": local_time(),
        "Action": _log_word(action),
        "By": _log_word(started_by),
        "Changed cells": changed,
        "Problems": problem_count,
        "Note": note,
    }
    values["Changed cells"] = changed + sum(1 for value in values.values() if value != "")
    return [CellChange(view.title, row, view.col(name), value) for name, value in values.items() if value != ""]


# The Log's Action and By words sheetsync itself gives, shown in the book's language; any other By (a name
# from $SHEETSYNC_STARTED_BY, "Excel (li.na)") is written as given.
LOG_WORDS = {
    "sync": N_("sync"),
    "baseline": N_("baseline"),
    "what-if": N_("what-if"),  # whatif --record
    "import": N_("import"),
    "check": N_("check"),
    "command line": N_("command line"),
    "api": N_("api"),
    "demo": N_("demo"),
}


def _log_word(word: str) -> str:
    return i18n.translate(LOG_WORDS[word]) if word in LOG_WORDS else word


def local_time(now: dt.datetime | None = None) -> str:
    """A Log time: local wall-clock time with its UTC offset, such as 2026-12-07 13:05:09 +08:00."""
    moment = (now or dt.datetime.now()).astimezone()
    offset = moment.strftime("%z")  # +0800 (Python 3.11 has no %:z)
    return f"{moment:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:5]}"


def last_filled_row(sheet: RawSheet, header_row: int) -> int:
    """The last row holding anything (the header row on an empty sheet): where appended rows go below."""
    return max((r for (r, _), v in sheet.cells.items() if v is not None and v != ""), default=header_row)


def run(
    backend: Backend,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    started_by: str = "api",
    action: str = "sync",
    baseline_name: str | None = None,
) -> SyncReport:
    """Sync (action='sync'), only check (action='check') or record a baseline and sync (action='baseline')
    the workbook behind `backend`.

    A sync holds the backend's lock from its read to its write: a second sync of the
    same workbook waits, then reads what the first one wrote.
    """
    writing = action in ("sync", "baseline") and not dry_run
    with backend.exclusive() if writing else contextlib.nullcontext():
        while True:
            workbook = backend.read()
            analysis, changes = plan(
                workbook, today=today, started_by=started_by, action=action, baseline_name=baseline_name
            )
            with i18n.language(analysis.lang):
                colours, notices = plan_colour_fixes(workbook, analysis.views(), analysis.lang)
            analysis.notices += notices
            refused = analysis.recording is not None and not analysis.recording.recorded  # nothing half-written
            write = writing and not refused and bool(changes or colours)
            if not write:
                break
            try:
                if colours:  # only backends that read colour rules (RawSheet.colour_rules) are ever asked
                    backend.write(changes, colours)
                else:
                    backend.write(changes)
            except SheetMovedError:
                continue  # the workbook changed mid-sync: read and plan again (the backend gives up after a few tries)
            break
    return SyncReport(
        target=backend.target,
        today=analysis.today,
        action=action,
        changes=changes if action != "check" else [],
        problems=analysis.problems,
        launch=analysis.launch,
        flags=analysis.flag_counts(),
        written=write,
        analysis=analysis,
        dry_run=dry_run,
    )
