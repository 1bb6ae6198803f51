"""One sync: read the workbook, parse, compute, plan the computed-cell changes, write them.

Everything here is pure except the two backend calls; `analyse` is what `check`
runs and what `sync` writes. A second sync with no edits in between plans no
change and writes nothing (not even a Log row).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from . import contract
from .contract import LOG, PROBLEMS, REVIEWS, TIMELINE
from .engine.compliance import load_checker
from .engine.reviews import ReviewLog, check_reviews, describe_findings, link_to_timeline
from .engine.schedule import LaunchStatus, Schedule, schedule
from .parse.project import ProjectSettings, parse_project
from .parse.reviews import ReviewRows, parse_copy_rules, parse_reviews
from .parse.tables import TableView, locate_table, merged_non_anchor
from .parse.timeline import TimelineRows, parse_timeline
from .problems import Problem
from .table import CellChange, CellValue, Formula, RawSheet, RawWorkbook


class Backend(Protocol):
    """What sync needs of a workbook: one read of everything, one write of the changed computed cells."""

    target: str

    def read(self) -> RawWorkbook: ...

    def write(self, changes: list[CellChange]) -> None: ...


# (sheet title) → {(row, col): value} for every computed cell sheetsync wants to hold.
Desired = dict[str, dict[tuple[int, int], CellValue]]


@dataclass
class Analysis:
    """Everything a sync computes before writing."""

    workbook: RawWorkbook
    today: dt.date
    settings: ProjectSettings
    timeline: TimelineRows
    schedule: Schedule | None
    problems: list[Problem]
    desired: Desired
    changes: list[CellChange]
    reviews: ReviewRows | None = None
    review_log: ReviewLog | None = None

    @property
    def launch(self) -> LaunchStatus | None:
        return self.schedule.launch if self.schedule else None

    def flag_counts(self) -> dict[str, dict[str, int]]:
        """How many rows carry each flag, per sheet (canonical sheet names)."""
        counts: dict[str, dict[str, int]] = {}
        if self.schedule:
            counts[TIMELINE.name] = dict(Counter(t.flag for t in self.schedule.tasks.values()))
        if self.review_log:
            counts[REVIEWS.name] = dict(Counter(o.flag for o in self.review_log.rows.values()))
        return counts


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
    def changed_cells(self) -> int:
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
            "flags": self.flags,
            "changes": [{"sheet": c.sheet, "cell": c.a1, "value": _json_value(c.value)} for c in self.changes]
            if self.dry_run
            else None,
        }


def _json_value(value: CellValue) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def analyse(
    workbook: RawWorkbook, *, today: dt.date | None = None, started_by: str = "api", action: str = "sync"
) -> Analysis:
    """Parse and compute the whole workbook; plan the changes a sync would write.

    Each sheet is one step: parse it (problems name its cells), compute with the
    pure engine, and put the computed cells it wants into `desired`. Later steps
    may use earlier results (reviews gate timeline tasks).
    """
    problems: list[Problem] = []
    settings = parse_project(workbook, problems)
    today = today or settings.today or dt.date.today()
    calendar = settings.work_calendar()
    desired: Desired = {}

    # Reviews and copy
    reviews = parse_reviews(workbook, problems)
    custom_terms = parse_copy_rules(workbook, problems)
    checker = load_checker(settings.market, settings.industry, custom_terms)
    review_log = None
    if reviews.view is not None and reviews.view.usable:
        review_log = check_reviews(
            reviews.reviews,
            today=today,
            calendar=calendar,
            sla=settings.review_sla,
            max_rounds=settings.max_revision_rounds,
            checker=checker,
            sheet=reviews.view.title,
            locate=reviews.view.locate,
        )
        problems.extend(review_log.problems)
        desired[reviews.view.title] = _review_cells(reviews, review_log, settings.market)

    # Timeline
    timeline = parse_timeline(workbook, today, problems)
    result: Schedule | None = None
    view = timeline.view
    if view is not None and view.usable and settings.launch_date is not None:
        tasks = timeline.tasks
        if review_log is not None:
            tasks, link_problems = link_to_timeline(
                tasks, review_log.assets, sla=settings.review_sla, sheet=view.title, locate=view.locate
            )
            problems.extend(link_problems)
        result = schedule(
            tasks,
            launch=settings.launch_date,
            calendar=calendar,
            today=today,
            due_soon_window=settings.due_soon_window,
            locate=view.locate,
            known_ids=timeline.unscheduled_ids,
        )
        problems.extend(result.problems)
        desired[view.title] = _timeline_cells(view, timeline, result)

    changes = _header_changes([timeline.view, reviews.view]) + diff(workbook, desired)
    problems = _ordered(problems, workbook)
    problem_changes = _problems_sheet_changes(workbook, problems)
    changes += problem_changes
    if changes:
        changes += _log_changes(workbook, action, started_by, len(changes), len(problems))
    return Analysis(
        workbook, today, settings, timeline, result, problems, desired, changes, reviews=reviews, review_log=review_log
    )


def _review_cells(rows: ReviewRows, log: ReviewLog, market: str) -> dict[tuple[int, int], CellValue]:
    view = rows.view
    findings_col, flag_col = view.col("Findings"), view.col("Flag")
    cells: dict[tuple[int, int], CellValue] = {}
    for review in rows.reviews:
        outcome = log.rows[review.row]
        cells[(review.row, findings_col)] = describe_findings(outcome.findings, market) or None
        cells[(review.row, flag_col)] = outcome.flag
    _clear_stale(view, {r.row for r in rows.reviews}, (findings_col, flag_col), cells)
    return cells


def _clear_stale(view: TableView, live_rows: set[int], cols, cells: dict) -> None:
    """Rows that are not computed (errors, or emptied by a person) must not keep stale results."""
    for row in range(view.header_row + 1, view.sheet.max_row + 1):
        if row in live_rows:
            continue
        for col in cols:
            if view.sheet.value(row, col) is not None:
                cells[(row, col)] = None


def _timeline_cells(view: TableView, rows: TimelineRows, result: Schedule) -> dict[tuple[int, int], CellValue]:
    cols = {name: view.col(name) for name in ("Start", "Due", "Projected due", "Slack", "Flag")}
    cells: dict[tuple[int, int], CellValue] = {}
    scheduled_rows = set()
    for task in rows.tasks:
        dates = result.tasks[task.id]
        scheduled_rows.add(task.row)
        values = {
            "Start": dates.start,
            "Due": dates.due,
            "Projected due": dates.projected_due,
            "Slack": dates.slack,
            "Flag": dates.flag,
        }
        for name, value in values.items():
            cells[(task.row, cols[name])] = value
    _clear_stale(view, scheduled_rows, cols.values(), cells)
    return cells


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
        for (row, col), value in sorted(cells.items()):
            if merged_non_anchor(sheet, row, col):
                continue
            if not same_value(sheet.value(row, col), value):
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
    names = ("Sheet", "Cell", "Problem", "Fix")
    cols = [view.col(n) for n in names]
    cells: dict[tuple[int, int], CellValue] = {}
    first = view.header_row + 1
    for i, problem in enumerate(problems):
        for col, value in zip(cols, (problem.sheet, problem.cell, problem.problem, problem.fix), strict=True):
            cells[(first + i, col)] = value
    for row in range(first + len(problems), view.sheet.max_row + 1):
        for col in cols:
            if view.sheet.value(row, col) is not None:
                cells[(row, col)] = None
    return diff(workbook, {view.title: cells})


def _log_changes(
    workbook: RawWorkbook, action: str, started_by: str, changed: int, problem_count: int
) -> list[CellChange]:
    sink: list[Problem] = []
    view = locate_table(workbook, LOG, sink, required=False)
    if view is None or not view.usable or view.new_columns:
        return []
    row = _last_filled_row(view.sheet, view.header_row) + 1
    values = {
        "Time": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "Action": action,
        "By": started_by,
        "Changed cells": changed,
        "Problems": problem_count,
        "Note": "",
    }
    return [CellChange(view.title, row, view.col(name), value) for name, value in values.items() if value != ""]


def _last_filled_row(sheet: RawSheet, header_row: int) -> int:
    return max((r for (r, _), v in sheet.cells.items() if v is not None and v != ""), default=header_row)


def run(
    backend: Backend,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    started_by: str = "api",
    action: str = "sync",
) -> SyncReport:
    """Sync (action='sync') or only check (action='check') the workbook behind `backend`."""
    workbook = backend.read()
    analysis = analyse(workbook, today=today, started_by=started_by, action=action)
    write = action == "sync" and not dry_run and bool(analysis.changes)
    if write:
        backend.write(analysis.changes)
    return SyncReport(
        target=backend.target,
        today=analysis.today,
        action=action,
        changes=analysis.changes if action == "sync" else [],
        problems=analysis.problems,
        launch=analysis.launch,
        flags=analysis.flag_counts(),
        written=write,
        analysis=analysis,
        dry_run=dry_run,
    )
