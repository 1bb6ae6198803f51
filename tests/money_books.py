"""Small books for the Goals/Budget tests: `sheetsync init` then openpyxl fills Project, Goals, Budget and Results.

Independent of the demo's numbers (the demo's budget is another helper's): each test types its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from sheetsync.cli import main

GOALS_EN, BUDGET_EN, RESULTS_EN = "Goals", "Budget", "Results"
SHEET_ZH = {"Project": "项目", "Goals": "目标", "Budget": "预算", "Results": "投放数据", "Timeline": "时间表"}


def make_book(
    path: Path,
    *,
    today: dt.date,
    lang: str = "en",
    settings: dict[str, object] | None = None,
    goals: list[tuple] = (),
    budget: list[tuple] = (),
    results: list[tuple] = (),
    demo: bool = False,
) -> Path:
    """A fresh book (the demo's, with `demo`) with these rows and only these in Goals, Budget and Results. settings: Project setting (in the book's language) → value.

    goals: (Goal, Metric, Target, By, Owner); budget: (Item, Platform, Owner, Planned, Committed, Spent, Notes);
    results: (Date, Platform, Campaign, Currency, Spend, Impressions, Reach, Clicks, Engagements, Followers, Leads,
    Conversions, Sales) — shorter tuples leave the rest blank.
    """
    args = ["init", str(path), "--today", today.isoformat()] + (["--lang", "zh"] if lang == "zh" else [])
    args += ["--demo"] if demo else []  # its Team and Channels get digests; its money rows are replaced below
    assert main(args) == 0
    wb = openpyxl.load_workbook(path)

    def sheet(name: str):
        return wb[SHEET_ZH[name] if lang == "zh" else name]

    project = sheet("Project")
    rows = {project.cell(r, 1).value: r for r in range(2, project.max_row + 1)}
    for setting, value in (settings or {}).items():
        project.cell(rows[setting], 2).value = value
    for name, data in (("Goals", goals), ("Budget", budget), ("Results", results)):
        ws = sheet(name)
        if ws.max_row > 1:
            ws.delete_rows(2, ws.max_row)
        for i, values in enumerate(data, start=2):
            for j, value in enumerate(values, start=1):
                ws.cell(i, j).value = value
    wb.save(path)
    return path


def read_sheet(path: Path, name: str, lang: str = "en") -> list[dict[str, object]]:
    """The data rows of a sheet as {header: value}."""
    ws = openpyxl.load_workbook(path)[SHEET_ZH[name] if lang == "zh" else name]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=2, values_only=True)
            if any(v is not None for v in row)]
