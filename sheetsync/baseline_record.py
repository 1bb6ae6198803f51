"""`sheetsync baseline`: record the current plan as the committed one.

A baseline is the plan the client signed off: each scheduled task's Start and
Due as this very analysis computes them (the dates a sync writes), and the
launch date. They go into the Timeline's `Baseline start` and `Baseline due`
and the Project's `Baseline` (the name) and `Baseline launch`, which only this
command writes; every later sync reads them back and measures Variance.

Recording is planned against the workbook as read: `prepare` gives the cells
the baseline itself changes and a copy of the workbook with them in, and
sync.plan analyses that copy, so the Variance written in the same run is
measured from the dates just recorded, never from the stale cells.

Finished work keeps its history: a Done task already in a baseline keeps the
committed dates it has (re-baselining after a launch move does not rewrite how
late it was); a Done task recorded for the first time is committed at what it
did (due the earlier of its planned Due and its Done on, so work done early
reads 0 and work done late its lateness). A plan that is provisional (a
dependency cycle, an unreadable Duration) is not recorded at all: nothing is
written and the answer names the Problems to fix first.

An old book gets the three Timeline columns here (they are on-demand columns a
sync never adds) and the two Project rows below the last filled row of its
Project table, in its language; only empty cells are written there. When a
column has no room (a column of notes without a header is in the way) the
baseline is not recorded and nothing at all is written: the Problem says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import i18n
from .a1 import a1_to_rowcol, column_letter, rowcol_to_a1
from .analysis import Analysis, computed_cells
from .contract import LOG, PROJECT, SETTINGS, normalise_header
from .i18n import N_, _, n_
from .parse.cells import is_blank
from .parse.table_view import TableView, locate_table, merged_non_anchor
from .problems import Problem
from .raw import CellChange, CellValue, RawSheet, RawWorkbook

BASELINE_COLUMNS = ("Baseline start", "Baseline due", "Variance")
BASELINE_SETTINGS = ("Baseline", "Baseline launch")
LOG_ACTION = N_("baseline")  # the Log's Action word of a baseline (sync.LOG_WORDS lists it too)


@dataclass(frozen=True)
class Recording:
    """What one `baseline` run recorded, or why it could not: the CLI and --json say it, the Log row names it."""

    name: str
    launch: dt.date | None
    tasks: int  # scheduled tasks whose dates were recorded
    recorded: bool
    previous: tuple[str, dt.date | None] | None = None  # the baseline it replaced (name, launch), if any
    changes: list[CellChange] = field(default_factory=list, repr=False)  # the cells the baseline itself writes

    def note(self) -> str:
        """The Log row's Note, in the active language: the baseline's name, its launch and, on a re-baseline,
        the one it replaced and its launch (said once when it did not move)."""
        launch = _("launch {date}", date=_day(self.launch))
        if self.previous is None:
            return n_(
                'Baseline "{name}" recorded: {launch}, {n} task',
                'Baseline "{name}" recorded: {launch}, {n} tasks',
                self.tasks, name=self.name, launch=launch,
            )
        old_name, old_launch = self.previous
        if old_launch != self.launch:
            launch = _("launch {before} → {date}", before=_day(old_launch), date=_day(self.launch))
        if not old_name or normalise_header(old_name) == normalise_header(self.name):  # never "(was itself)"
            return n_(
                'Re-baselined "{name}": {launch}, {n} task',
                'Re-baselined "{name}": {launch}, {n} tasks',
                self.tasks, name=self.name, launch=launch,
            )
        return n_(
            'Re-baselined "{name}" (was "{previous}"): {launch}, {n} task',
            'Re-baselined "{name}" (was "{previous}"): {launch}, {n} tasks',
            self.tasks, name=self.name, previous=old_name, launch=launch,
        )

    def as_dict(self) -> dict[str, object]:
        previous = None
        if self.previous is not None:
            previous = {"name": self.previous[0], "launch": _iso(self.previous[1])}
        return {
            "recorded": self.recorded,
            "name": self.name,
            "launch": _iso(self.launch),
            "tasks": self.tasks,
            "previous": previous,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def prepare(workbook: RawWorkbook, analysis: Analysis, name: str | None) -> tuple[Recording, RawWorkbook]:
    """The baseline's own cell changes and the workbook with them in; or, when it cannot be recorded, a Recording
    with recorded=False (the Problem, if any, added to `analysis.problems`) and the workbook as it was."""
    settings = analysis.settings
    baselined = analysis.baseline is not None or bool(settings.baseline or settings.baseline_launch)
    previous = (settings.baseline, settings.baseline_launch) if baselined else None
    chosen = name.strip() if name and name.strip() else default_name(workbook, analysis.lang, settings.baseline)
    failed = Recording(chosen, settings.launch_date, 0, recorded=False, previous=previous)
    timeline = analysis.timeline.view if analysis.timeline is not None else None
    project = locate_table(workbook, PROJECT, [], required=False)
    if timeline is None or not timeline.usable or analysis.schedule is None or project is None or not project.usable:
        return failed, workbook  # nothing is planned: the analysis's Problems say why
    if project.col("Value") is None:
        return failed, workbook

    if analysis.launch is not None and analysis.launch.provisional:
        return failed, workbook  # a plan on a guess (a cycle, an unreadable Duration) is no commitment: its Problems
    problems: list[Problem] = [] if previous is not None else _teams_columns(timeline)
    if not problems:
        timeline.add_columns(list(BASELINE_COLUMNS), problems)
    if problems:
        analysis.problems.extend(problems)
        return failed, workbook

    values = _committed_dates(analysis, timeline)
    if _hidden_in_a_merge(timeline, project, analysis, values):
        return failed, workbook  # nothing half-written: the merge's Problem (table_view) says which cells
    changes = [
        CellChange(timeline.title, timeline.header_row, col, timeline.spec.column(column).label(timeline.lang))
        for column, col in timeline.new_columns.items()
        if column in BASELINE_COLUMNS
    ]
    changes += _changed(timeline.sheet, computed_cells(timeline, ("Baseline start", "Baseline due"), values))
    changes += _project_changes(project, analysis, {"Baseline": chosen, "Baseline launch": settings.launch_date})
    recording = Recording(chosen, settings.launch_date, len(values), recorded=True, previous=previous, changes=changes)
    return recording, with_changes(workbook, changes)


def _committed_dates(analysis: Analysis, timeline: TableView) -> dict[int, tuple[CellValue, CellValue]]:
    """Each scheduled task's (Baseline start, Baseline due) by row: the plan, except for finished work.

    A Done task is history, not a plan: re-baselining keeps the committed dates it already has (a launch moved
    afterwards replans it, as late as possible, days after it was done, and would rewrite its lateness). A Done
    task with no readable baseline yet is committed at what it did: due the earlier of its planned Due and its
    Done on (done early reads 0, done late reads its lateness), start its planned Start, or its Done on when it
    finished before that Start.
    """
    dates = analysis.schedule.tasks if analysis.schedule is not None else {}
    kept = analysis.baseline.recorded if analysis.baseline is not None else {}
    start_col = timeline.col("Baseline start")
    values: dict[int, tuple[CellValue, CellValue]] = {}
    for task in analysis.tasks:
        if task.id not in dates:
            continue
        start, due = dates[task.id].start, dates[task.id].due
        if task.is_done and task.id in kept:
            old_start, due = kept[task.id]
            start = old_start if old_start is not None or start_col is None else timeline.sheet.value(task.row,
                                                                                                      start_col)
        elif task.is_done and task.done_on is not None:
            due = min(due, task.done_on)
            start = min(start, task.done_on)
        values[task.row] = (start, due)
    return values


def _hidden_in_a_merge(timeline: TableView, project: TableView, analysis: Analysis, rows: dict) -> bool:
    """Whether a cell the baseline must write (a task's Baseline start or due, a setting's Value) is covered by a
    merge it does not anchor, where no value can go: the name or a committed date would be silently lost."""
    cols = [timeline.col(name) for name in ("Baseline start", "Baseline due")]
    cells = [(timeline.sheet, row, col) for row in rows for col in cols if col is not None]
    for setting in BASELINE_SETTINGS:
        where = analysis.settings.cells.get(setting)
        if where is not None:
            cells.append((project.sheet, *a1_to_rowcol(where)))
    return any(merged_non_anchor(sheet, row, col) for sheet, row, col in cells)


def _teams_columns(view: TableView) -> list[Problem]:
    """Before the first baseline sheetsync owns nothing in these columns: one a book made before them already has
    (a team's own "Variance", say) and that holds anything below its header is the team's, never taken over."""
    problems = []
    for name in BASELINE_COLUMNS:
        col = view.columns.get(name)
        if col is None:
            continue
        cells = view.sheet.cells.items()
        rows = sorted(r for (r, c), v in cells if c == col and r > view.header_row and not is_blank(v))
        if not rows:
            continue
        letter, header = column_letter(col), str(view.sheet.value(view.header_row, col)).strip()
        problems.append(Problem(
            view.title,
            rowcol_to_a1(rows[0], col),
            _('column {letter} "{header}" holds cells sheetsync did not write (no baseline has been recorded yet); '
              "recording one would overwrite them", letter=letter, header=header),
            _('rename its header (such as "{header} (ours)") or move the cells elsewhere, then run sheetsync '
              "baseline again", header=header),
        ))
    return problems


def _changed(sheet: RawSheet, cells: dict[tuple[int, int], CellValue]) -> list[CellChange]:
    from .sync import same_value

    return [
        CellChange(sheet.name, row, col, value)
        for (row, col), value in sorted(cells.items())
        if not merged_non_anchor(sheet, row, col) and not same_value(sheet.value(row, col), value)
    ]


def _project_changes(view: TableView, analysis: Analysis, values: dict[str, CellValue]) -> list[CellChange]:
    """The Value of each setting's row where it has one (these rows are sheetsync's by contract); else a new row
    below the last filled row of the Project table: its Setting label and Value, each written only where empty."""
    changes: list[CellChange] = []
    missing = []
    for setting, value in values.items():
        where = analysis.settings.cells.get(setting)
        if where is None:
            missing.append(setting)
            continue
        row, col = a1_to_rowcol(where)
        changes += _changed(view.sheet, {(row, col): value})
    setting_col, value_col = view.col("Setting"), view.col("Value")
    assert setting_col is not None and value_col is not None
    row = max(view.data_rows(), default=view.header_row)
    for setting in missing:
        row += 1
        while not _free(view.sheet, row, (setting_col, value_col)):
            row += 1
        label = next(s for s in SETTINGS if s.name == setting).label(view.lang)
        changes += [CellChange(view.title, row, setting_col, label), CellChange(view.title, row, value_col,
                                                                                 values[setting])]
    return changes


def _free(sheet: RawSheet, row: int, cols: tuple[int, int]) -> bool:
    """Whether a new setting row may go here: its Setting and Value cells are empty and not inside a merge."""
    return all(sheet.value(row, c) in (None, "") and sheet.merged_range_at(row, c) is None for c in cols)


def with_changes(workbook: RawWorkbook, changes: list[CellChange]) -> RawWorkbook:
    """A copy of `workbook` with `changes` in (the sheets they touch copied; the others shared)."""
    sheets = dict(workbook.sheets)
    for title in {c.sheet for c in changes}:
        old = workbook.sheets[title]
        cells = dict(old.cells)
        for change in changes:
            if change.sheet != title:
                continue
            if change.value is None:
                cells.pop((change.row, change.col), None)
            else:
                cells[(change.row, change.col)] = change.value
        sheets[title] = RawSheet(old.name, cells, list(old.merged), old.sheet_id, list(old.colour_rules))
    return RawWorkbook(sheets, workbook.source, workbook.date_system)


def default_name(workbook: RawWorkbook, lang: str, current: str) -> str:
    """"Baseline N" (基线N in a Chinese book): N = 1 + the baselines the Log records, skipping the current name.

    The word is the Project setting's own label, so the name reads the same in either language's book.
    """
    word = next(s for s in SETTINGS if s.name == "Baseline").label(lang)
    n = 1 + logged_baselines(workbook)
    while True:
        name = f"{word}{n}" if lang == "zh" else f"{word} {n}"
        if normalise_header(name) != normalise_header(current):
            return name
        n += 1


def logged_baselines(workbook: RawWorkbook) -> int:
    """How many Log rows record a baseline (their Action is the word in either language)."""
    view = locate_table(workbook, LOG, [], required=False)
    if view is None or not view.usable or view.col("Action") is None:
        return 0
    words = set()
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            words.add(normalise_header(i18n.translate(LOG_ACTION)))
    rows = view.sheet.filled_rows(view.header_row)  # every Log column is sheetsync's: data_rows() sees none
    return sum(1 for row in rows if normalise_header(view.text(row, "Action")) in words)


__all__ = ["BASELINE_COLUMNS", "Recording", "default_name", "prepare", "with_changes"]
