"""The Project sheet: one setting per row (Setting, Value).

Project-wide settings have no engine module of their own: the calendar settings
feed engine/calendar.py (ProjectSettings.work_calendar), the others parametrise
the engine's sheet families (due-soon window, review SLA, market, …). The
Calendar is written as a country code or name (`中国`, `China`, `cn` → CN);
`unconfirmed_calendar` says when a plan reaches a year whose official holiday
arrangement the installed data does not have yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import i18n
from ..a1 import rowcol_to_a1
from ..contract import EVIDENCE_SETTINGS, LANGUAGE, PROJECT, SETTINGS, TIMELINE, Setting, canonical_choice
from ..engine.calendar import WorkCalendar, country_code
from ..i18n import _
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import to_amount, to_choice, to_date, to_dates, to_days, to_int, to_text
from .table_view import INVALID, locate_table


@dataclass(frozen=True)
class ProjectSettings:
    """The typed Project sheet; defaults per DESIGN.md where a setting is blank or missing."""

    project_name: str = ""
    client: str = ""
    launch_date: dt.date | None = None
    calendar: str = ""
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()
    due_soon_window: int = 2
    review_sla: int = 2
    max_revision_rounds: int = 3
    feedback_response: int = 2
    market: str = "zh"
    industry: str = "general"
    sheet_link: str = ""
    cosmetics_registration: str = ""  # the facts that clear "needs evidence" copy findings (EVIDENCE_SETTINGS)
    efficacy_report: str = ""
    health_food_approval: str = ""
    price_history: str = ""
    language: str = ""  # en | zh; blank: the language of the book's headers
    budget: float | None = None  # the approved budget, its currency and the flight's last day (Goals and Budget)
    currency: str = ""
    flight_end: dt.date | None = None
    baseline: str = ""  # the committed plan's name and launch, written by `sheetsync baseline`
    baseline_launch: dt.date | None = None
    today: dt.date | None = None
    cells: dict[str, str] = field(default_factory=dict, compare=False)  # setting → A1 of its value
    sheet: str = field(default="", compare=False)  # the Project sheet's title in this book

    def work_calendar(self) -> WorkCalendar:
        return WorkCalendar(self.calendar, self.extra_holidays, self.extra_workdays)

    @property
    def evidence(self) -> frozenset[str]:
        """The facts this book records (a filled setting of EVIDENCE_SETTINGS): their copy findings clear."""
        return frozenset(fact for fact, name in EVIDENCE_SETTINGS.items() if getattr(self, _FIELD[name]).strip())


_FIELD = {s.name: s.name.lower().replace(" ", "_") for s in SETTINGS}
_FIELD["Launch date"] = "launch_date"


def _reader(setting: Setting):
    kind = setting.kind
    if kind == "date":
        return to_date
    if kind == "dates":
        return lambda v: tuple(to_dates(v))
    if kind == "days":
        return to_days
    if kind == "number":
        return to_amount
    if kind == "int":
        return lambda v: to_int(v, what="rounds")
    if kind == "choice":
        return lambda v: to_choice(v, setting.choices or {})
    return to_text


def book_language(workbook: RawWorkbook) -> str:
    """The language sheetsync answers a book in: its Language setting, else its Project (or Timeline) headers'."""
    view = locate_table(workbook, PROJECT, [], required=False)
    if view is not None and view.usable:
        language = next((s for s in SETTINGS if s.name == "Language"), None)
        for row in view.data_rows():
            if language is not None and language.matches(view.text(row, "Setting")):
                chosen = i18n.normalise(canonical_choice(view.text(row, "Value"), LANGUAGE))
                if chosen:
                    return chosen
        return view.lang
    timeline = locate_table(workbook, TIMELINE, [], required=False)
    return timeline.lang if timeline is not None else i18n.current()


def parse_project(workbook: RawWorkbook, problems: list[Problem]) -> ProjectSettings:
    """Read the settings; each unreadable value is a Problem and falls back to its default."""
    view = locate_table(workbook, PROJECT, problems)
    if view is None or not view.usable:
        return ProjectSettings(market=_book_market())
    values: dict[str, object] = {}
    cells: dict[str, str] = {}
    invalid: set[str] = set()
    value_col = view.col("Value")
    for row in view.data_rows():
        label = view.text(row, "Setting")
        setting = next((s for s in SETTINGS if s.matches(label)), None)
        if setting is None or setting.name in values:
            continue
        cells[setting.name] = rowcol_to_a1(row, value_col) if value_col else f"row {row}"
        value = view.read(row, "Value", _reader(setting), problems, as_written=setting.kind in ("text", "url"))
        if value is INVALID:
            invalid.add(setting.name)
            continue
        if value is None or value == "" or value == ():
            continue
        if setting.kind == "country":
            code = country_code(value)
            if code is None:
                problems.append(
                    Problem(
                        view.title,
                        cells[setting.name],
                        _('"{value}" is not a country the holiday calendar knows', value=value),
                        _(
                            "write an ISO country code such as CN, US, GB or SG, or the country's name "
                            "(China, 中国), or leave it blank for Monday–Friday"
                        ),
                    )
                )
                continue
            value = code
        values[setting.name] = value

    if "Launch date" not in values and "Launch date" not in invalid:
        where = cells.get("Launch date", rowcol_to_a1(view.header_row, 1))
        problems.append(
            Problem(
                view.title,
                where,
                "the launch date is missing, so no deadline can be planned",
                'write the ad launch date in the Value column of the "Launch date" row, such as 2026-03-01',
            )
        )
    values.setdefault("Market", _book_market())
    kwargs = {_FIELD[name]: value for name, value in values.items()}
    return ProjectSettings(**kwargs, cells=cells, sheet=view.title)


def _book_market() -> str:
    """A blank Market: the copy rules of the book's own language (an English book gets the English rules)."""
    return "zh" if i18n.current() == "zh" else "en"


def unconfirmed_calendar(
    settings: ProjectSettings, calendar: WorkCalendar, first: dt.date, last: dt.date
) -> Problem | None:
    """The warning, once per sync, that the plan from `first` to `last` reaches a year the holidays data lacks.

    A year counts as confirmed when the installed `holidays` data holds its make-up
    workdays, or when the Extra workdays setting holds a date of that year.
    """
    years = calendar.unconfirmed_years(first, last)
    if not years:
        return None
    listed = "、".join(map(str, years)) if i18n.current() == "zh" else ", ".join(map(str, years))
    cell = settings.cells.get("Calendar", "")
    return Problem(
        settings.sheet or PROJECT.label(i18n.current()),
        cell,
        _(
            "the installed holiday data has no official {country} holiday arrangement for {years} yet: "
            "the plan's days off and make-up workdays there are a guess",
            country=calendar.country,
            years=listed,
        ),
        _(
            "once the arrangement is announced, enter its make-up workdays in Extra workdays and its extra days "
            "off in Extra holidays, or upgrade holidays (pip install -U holidays)"
        ),
    )


def calendar_notice(problem: Problem) -> str:
    """The same warning as one line to the team (CLI and digest)."""
    where = f"{problem.sheet}!{problem.cell}" if problem.cell else problem.sheet
    return _("The calendar needs confirming ({where}): {problem}; {fix}.", where=where, problem=problem.problem,
             fix=problem.fix)
