"""Append imported rows to the Results sheet, log them, and sync the computed columns: one write, under the lock.

Nothing is written over a person's cell: new rows go below the last filled row of the Results
sheet (any column, notes included). A row whose key (day, platform, campaign) the sheet already
holds is left out, so a second import of the same file adds nothing and writes nothing — not
even a Log row. The rows, the Log row (Action import, Note: the files and rows added) and the
sync of the computed columns those rows change (Goals, Budget, Problems) are planned on a copy
of the workbook with the rows in, and written together: a reader never sees rows without their
flags. A SheetMovedError (the book changed between read and write) reads and plans again, as
sync.run does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n
from ..backends.base import Backend
from ..baseline_record import with_changes
from ..contract import AD_PLATFORM, LOG, RESULTS, canonical_choice
from ..errors import SheetMovedError
from ..flag_colours import plan_colour_fixes
from ..i18n import _
from ..parse.cells import CellError, to_date
from ..parse.project import book_language, parse_project
from ..parse.table_view import TableView, locate_table
from ..problems import Problem
from ..raw import CellChange, CellValue, Formula, RawWorkbook, whole_number
from ..sync import SyncReport, last_filled_row, log_changes, plan
from .read import ExportFile, ImportedRow, read_export


@dataclass
class ImportReport:
    """What an import did: per file its platform, rows added and already there; the sync it ran; every Problem."""

    target: str
    files: list[ExportFile]
    added: dict[str, int] = field(default_factory=dict)  # file name → rows appended
    already: dict[str, int] = field(default_factory=dict)  # file name → rows the sheet already held
    problems: list[Problem] = field(default_factory=list)  # the files' problems and the book's (no Results sheet)
    sync: SyncReport | None = None
    written: bool = False
    lang: str = "en"

    @property
    def rows_added(self) -> int:
        return sum(self.added.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "written": self.written,
            "lang": self.lang,
            "files": [
                {"file": f.name, "platform": f.platform, "rows": len(f.rows), "added": self.added.get(f.name, 0),
                 "already_there": self.already.get(f.name, 0), "problems": [p.as_dict() for p in f.problems]}
                for f in self.files
            ],
            "rows_added": self.rows_added,
            "problems": [p.as_dict() for p in self.problems],
            "sync": self.sync.as_dict() if self.sync else None,
        }


def _missing_results(lang: str) -> Problem:
    sheet = i18n.pick(lang, RESULTS.name, RESULTS.zh)
    headers = ", ".join(c.label(lang) for c in RESULTS.columns)
    return Problem(sheet, "", _("the workbook has no {sheet} sheet to import into", sheet=sheet),
                   _("add a sheet named {sheet} with the headers {headers} (or copy it from a book made by "
                     "`sheetsync init`), then import again", sheet=sheet, headers=headers))


def _row_cells(title: str, columns: dict[str, int], row: int, item: ImportedRow, source: str,
               platform_label: str) -> list[CellChange]:
    values: dict[str, CellValue] = {"Date": item.day, "Platform": platform_label, "Campaign": item.campaign,
                                    "Currency": item.currency, **{k: whole_number(v) for k, v in item.values.items()},
                                    "Source": source}
    return [CellChange(title, row, columns[name], value) for name, value in values.items()
            if name in columns and value not in (None, "")]


def plan_import(workbook: RawWorkbook, files: list[ExportFile], report: ImportReport, *, today: dt.date | None,
                started_by: str):
    """The sync's analysis, the cells an import writes (rows, Log row, the sync's computed cells; [] if none) and
    the workbook as it will be once they are written."""
    book_problems: list[Problem] = []
    view = locate_table(workbook, RESULTS, book_problems, required=False)
    report.added, report.already = {}, {}
    if view is None or not view.usable:
        missing = [_missing_results(report.lang)] if view is None else []  # else: the columns it lacks, located
        report.problems = [*(p for f in files for p in f.problems), *book_problems, *missing]
        return None, [], workbook
    held = _held_keys(view)
    columns = {c.name: view.col(c.name) for c in RESULTS.columns if view.col(c.name)}
    next_row = last_filled_row(view.sheet, view.header_row) + 1
    changes: list[CellChange] = []
    added_keys: set[tuple[str, tuple[dt.date, str, str]]] = set()  # (file, row key) of every row added
    for export in files:
        added = already = 0
        for item in export.rows:
            if item.key in held:
                already += 1
                continue
            held.add(item.key)
            added_keys.add((export.name, item.key))
            label = i18n.pick(view.lang, *_platform_words(item.platform))
            changes += _row_cells(view.title, columns, next_row, item, export.name, label)
            next_row += 1
            added += 1
        report.added[export.name], report.already[export.name] = added, already
    report.problems = [p for f in files for p in f.problems]
    if not changes:
        return None, [], workbook
    with_rows = with_changes(workbook, changes)
    analysis, synced = plan(with_rows, today=today, started_by=started_by, action="sync")
    report.problems += _future_rows(files, added_keys, analysis.today)
    log = locate_table(workbook, LOG, [], required=False)
    synced = [c for c in synced if log is None or c.sheet != log.title]  # the import's own Log row replaces it
    changes += synced
    note = "; ".join(_("{file}: {count} rows", file=name, count=count) for name, count in report.added.items()
                     if count)
    changes += log_changes(workbook, "import", started_by, len(changes), len(analysis.problems), note)
    return analysis, changes, with_changes(with_rows, [c for c in changes if c.sheet != view.title])


def _future_rows(files: list[ExportFile], added: set[tuple[str, tuple[dt.date, str, str]]],
                 today: dt.date) -> list[Problem]:
    """Per file, one Problem for the rows it added dated after today: no total counts them until their day comes.

    A wrong year in the file or a wrong --today is the usual cause; said, not refused (a plan typed ahead is fine).
    """
    found = []
    for export in files:
        days = sorted(item.day for item in export.rows if (export.name, item.key) in added and item.day > today)
        if days:
            problem = Problem(
                export.name, "",
                i18n.n_("{count} row is dated after today, {first}: it counts from that day, not now",
                        "{count} rows are dated after today, from {first}: they count from their days, not now",
                        len(days), count=len(days), first=days[0].isoformat()),
                _("check the year in the file, and the --today given (or the Project's Today setting)"))
            export.problems.append(problem)
            found.append(problem)
    return found


def _held_keys(view: TableView) -> set[tuple[dt.date, str, str]]:
    """The keys (parse.results.ResultRow.key) of the rows the sheet holds: only the three cells that make one are
    read, so a re-import of 100,000 rows does not read every number (parse_results reads them for the sums)."""
    held = set()
    for row in view.data_rows():
        try:
            day = to_date(_cached(view.raw(row, "Date")))
        except CellError:
            continue
        platform = canonical_choice(_cached(view.raw(row, "Platform")), AD_PLATFORM)
        if day is not None and platform is not None:
            held.add((day, platform, view.prose(row, "Campaign").strip().casefold()))
    return held


def _cached(value: object) -> object:
    return value.cached if isinstance(value, Formula) else value


def _platform_words(key: str) -> tuple[str, str]:
    return key, AD_PLATFORM.get(key, key)


def run_import(backend: Backend, paths: list[str | Path], *, platform: str | None = None,
               today: dt.date | None = None, started_by: str = "api") -> ImportReport:
    """Import the export files into the workbook behind `backend` (see the module docstring)."""
    report = ImportReport(target=backend.target, files=[])
    with backend.exclusive():
        while True:
            workbook = backend.read()
            report.lang = book_language(workbook)
            with i18n.language(report.lang):
                currency = parse_project(workbook, []).currency
                report.files = [read_export(p, platform=platform, currency=currency) for p in paths]
                analysis, changes, written = plan_import(workbook, report.files, report, today=today,
                                                         started_by=started_by)
                if not changes:
                    return report
                colours, notices = plan_colour_fixes(written, analysis.views(), report.lang)
            try:
                backend.write(changes, colours) if colours else backend.write(changes)
            except SheetMovedError:
                continue
            break
    analysis.notices += notices
    report.written = True
    report.sync = SyncReport(target=backend.target, today=analysis.today, action="sync", changes=changes,
                             problems=analysis.problems, launch=analysis.launch, flags=analysis.flag_counts(),
                             written=True, analysis=analysis)
    return report


__all__ = ["ImportReport", "plan_import", "run_import"]
