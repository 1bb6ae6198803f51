"""Build a campaign workbook (.xlsx or .xlsm) that follows the contract, blank or filled with the demo campaign.

Built with XlsxWriter rather than openpyxl because only XlsxWriter writes
everything a template needs in one pass: dropdown validations, conditional
formats, header notes, and (for an .xlsm, see ``xlsm``) a VBA project and
buttons. The seam for that is ``write_campaign``, which fills any
``xlsxwriter.Workbook`` with the ``layout`` every format shares.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..a1 import column_letter
from ..contract import (
    COMPUTED_HEADER_FILL,
    HUMAN_HEADER_FILL,
    OVERDUE,
    ROW_FLAG_COLOURS,
    SETTINGS,
    SHEET_ROW_FLAGS,
    SHEETS,
    Column,
    Setting,
    SheetSpec,
)
from ..errors import UsageError
from .layout import (
    CALENDAR_CHOICES,
    CHOICE_TITLE,
    DATE_MESSAGE,
    DATE_TITLE,
    DAYS_MESSAGE,
    DAYS_TITLE,
    EMAIL_MESSAGE,
    EMAIL_TITLE,
    INT_TITLE,
    LAST_ROW,
    LEGEND,
    RACI_CHOICES,
    RACI_CHOICES_MESSAGE,
    RACI_MIN_COLUMNS,
    RACI_NOTE,
    TEXT_KINDS,
    calendar_message,
    campaign_content,
    check_language,
    choice_labels,
    choice_message,
    column_width,
    computed_note,
    flag_rules,
    frozen_columns,
    live_overdue_rule,
    row_cells,
    setting_help,
    setting_label,
    setting_minimum,
    setting_value,
    sheet_columns,
    translated,
    whole_number_message,
)
from .xlsm import add_excel_buttons, mark_macro_enabled

SUFFIXES = (".xlsx", ".xlsm")
DATE_FORMAT = "yyyy-mm-dd"
# The shipped templates' creation time: fixed, so that rebuilding them gives the same bytes.
TEMPLATE_CREATED = datetime(2025, 1, 1)


def build_workbook(
    path: str | Path,
    *,
    lang: str = "en",
    demo: bool = False,
    launch: date | None = None,
    today: date | None = None,
    created: datetime | None = None,
    calendar: str | None = None,
) -> Path:
    """Write a new campaign workbook at ``path`` (.xlsx, or .xlsm for a macro-enabled one) and return its path.

    ``demo`` fills the demo campaign, dated around ``launch`` and ``today``.
    ``calendar`` (an ISO code or a country's name) sets the Calendar; default: CN
    for a Chinese book, blank (Monday–Friday) for an English one.
    ``created`` pins the document's creation time so that the same inputs give
    the same bytes (the shipped templates rely on it); default: now.
    """
    path = Path(path)
    check_language(lang)
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{path} must end in .xlsx or .xlsm.")
    if path.exists():
        raise UsageError(f"{path} already exists; choose another name or delete it first.")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent} is not a folder; create it first or choose another path.")

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": "Campaign", "author": "sheetsync", "created": created or datetime.now()})
    sheets = write_campaign(workbook, lang=lang, demo=demo, launch=launch, today=today, calendar=calendar)
    if path.suffix.lower() == ".xlsm":
        add_excel_buttons(workbook, sheets["Project"], lang=lang)
    workbook.close()
    content = buffer.getvalue()
    if path.suffix.lower() == ".xlsm":
        content = mark_macro_enabled(content)
    try:
        with open(path, "xb") as file:
            file.write(content)
    except FileExistsError as exc:
        raise UsageError(f"{path} already exists; choose another name or delete it first.") from exc
    return path


def write_campaign(
    workbook: xlsxwriter.Workbook,
    *,
    lang: str = "en",
    demo: bool = False,
    launch: date | None = None,
    today: date | None = None,
    calendar: str | None = None,
) -> dict[str, Worksheet]:
    """Add every contract sheet to ``workbook``; return the worksheets by canonical sheet name.

    A caller can add more before closing the workbook: a VBA project, buttons.
    """
    formats = _Formats(workbook)
    settings, rows, people = campaign_content(lang, demo, launch, today, calendar)

    sheets: dict[str, Worksheet] = {}
    for spec in SHEETS:
        sheet = workbook.add_worksheet(spec.label(lang))
        sheets[spec.name] = sheet
        columns = sheet_columns(spec, lang, people)
        _write_header(sheet, columns, formats, lang)
        sheet.freeze_panes(1, frozen_columns(spec))
        if spec.name == "Project":
            _write_project(sheet, settings, formats, lang)
            continue
        for column_index, (_, column) in enumerate(columns):
            if column is not None and not spec.wholly_computed:
                _validate_column(sheet, column_index, column, lang)
        if spec.name == "RACI":
            _explain_raci(sheet, len(columns), lang)
        if spec.name in SHEET_ROW_FLAGS:
            _add_flag_formats(sheet, spec, formats.workbook)
        _write_rows(sheet, spec, columns, rows.get(spec.name, []), formats)
    sheets["Project"].activate()
    return sheets


class _Formats:
    """The cell formats the template shares across sheets."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        header = {"bold": True, "border": 1, "valign": "top"}
        self.human_header = workbook.add_format({**header, "bg_color": "#" + HUMAN_HEADER_FILL})
        self.computed_header = workbook.add_format({**header, "bg_color": "#" + COMPUTED_HEADER_FILL})
        self.legend = workbook.add_format({"bg_color": "#" + COMPUTED_HEADER_FILL, "italic": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.text = workbook.add_format({"num_format": "@"})

    def column_format(self, column: Column | None) -> Format | None:
        if column is None:
            return None
        if column.kind == "date":
            return self.date
        if column.kind in TEXT_KINDS:
            return self.text
        return None


def _write_header(sheet: Worksheet, columns: list[tuple[str, Column | None]], formats: _Formats, lang: str) -> None:
    for index, (label, column) in enumerate(columns):
        computed = column is not None and column.computed
        sheet.write_string(0, index, label, formats.computed_header if computed else formats.human_header)
        sheet.set_column(index, index, column_width(column), formats.column_format(column))
        if computed:
            note = computed_note(column, lang)
            sheet.write_comment(0, index, note, {"author": "sheetsync", "x_scale": 2, "y_scale": 1})


def _write_project(sheet: Worksheet, values: dict[str, object], formats: _Formats, lang: str) -> None:
    """One row per setting: label, value (demo, given or default), help text; with validations on the values."""
    for row, setting in enumerate(SETTINGS, start=1):
        sheet.write_string(row, 0, setting_label(setting, lang))
        value = setting_value(setting, values, lang)
        if setting.kind == "date":
            sheet.write_blank(row, 1, None, formats.date)  # so that a date typed here shows as yyyy-mm-dd
        _write_value(sheet, row, 1, value, formats.date if setting.kind == "date" else None)
        help_text = setting_help(setting, lang)
        if help_text:
            sheet.write_string(row, 2, help_text)
        _validate_setting(sheet, row, setting, lang)
    sheet.write_string(len(SETTINGS) + 2, 2, translated(LEGEND, lang), formats.legend)


def _validate_setting(sheet: Worksheet, row: int, setting: Setting, lang: str) -> None:
    if setting.kind == "choice" and setting.choices:
        sheet.data_validation(row, 1, row, 1, _choice_rule(choice_labels(setting, lang), lang))
    elif setting.kind == "country":  # suggests the common codes; any other country is fine (information only)
        sheet.data_validation(row, 1, row, 1, {
            "validate": "list", "source": list(CALENDAR_CHOICES), "error_type": "information",
            "error_title": translated(CHOICE_TITLE, lang), "error_message": calendar_message(lang),
            "input_message": calendar_message(lang),
        })
    elif setting.kind == "date":
        sheet.data_validation(row, 1, row, 1, _date_rule(lang))
    elif setting.kind in ("days", "int"):
        minimum = setting_minimum(setting)
        sheet.data_validation(row, 1, row, 1, {
            "validate": "integer", "criteria": ">=", "value": minimum,
            "error_title": translated(INT_TITLE, lang), "error_message": whole_number_message(minimum, lang),
        })


def _choice_rule(labels: list[str], lang: str) -> dict[str, object]:
    return {
        "validate": "list", "source": labels,
        "error_title": translated(CHOICE_TITLE, lang), "error_message": choice_message(labels, lang),
    }


def _date_rule(lang: str) -> dict[str, object]:
    return {
        "validate": "date", "criteria": ">=", "value": date(2000, 1, 1), "error_type": "warning",
        "error_title": translated(DATE_TITLE, lang), "error_message": translated(DATE_MESSAGE, lang),
    }


def _validate_column(sheet: Worksheet, index: int, column: Column, lang: str) -> None:
    """Dropdowns, number and date checks on the data rows of one human column."""
    if column.computed:
        return
    rule: dict[str, object] | None = None
    if column.kind == "choice" and column.choices:
        rule = _choice_rule(choice_labels(column, lang), lang)
    elif column.kind == "days":
        rule = {
            "validate": "integer", "criteria": ">=", "value": 0,
            "error_title": translated(DAYS_TITLE, lang), "error_message": translated(DAYS_MESSAGE, lang),
        }
    elif column.kind == "int":
        rule = {
            "validate": "integer", "criteria": ">=", "value": 1,
            "error_title": translated(INT_TITLE, lang), "error_message": whole_number_message(1, lang),
        }
    elif column.kind == "date":
        rule = _date_rule(lang)
    elif column.kind == "email":
        cell = f"{column_letter(index + 1)}2"
        rule = {
            "validate": "custom", "value": f'=ISNUMBER(SEARCH("@",{cell}))', "error_type": "warning",
            "error_title": translated(EMAIL_TITLE, lang), "error_message": translated(EMAIL_MESSAGE, lang),
        }
    if rule:
        sheet.data_validation(1, index, LAST_ROW - 1, index, rule)


def _explain_raci(sheet: Worksheet, column_count: int, lang: str) -> None:
    """How to add people, as a note on Activity; the letters suggested (not enforced) in the person columns."""
    sheet.write_comment(0, 0, translated(RACI_NOTE, lang), {"author": "sheetsync", "x_scale": 2.5, "y_scale": 1.5})
    last = max(column_count, RACI_MIN_COLUMNS) - 1
    sheet.data_validation(1, 2, LAST_ROW - 1, last, {
        "validate": "list", "source": list(RACI_CHOICES), "error_type": "warning",
        "error_title": translated(CHOICE_TITLE, lang), "error_message": translated(RACI_CHOICES_MESSAGE, lang),
    })


def _add_flag_formats(sheet: Worksheet, spec: SheetSpec, workbook: xlsxwriter.Workbook) -> None:
    """Colour each data row by its Flag; on Timeline and Feedback also a live red Due for unfinished late rows.

    The live rule goes first and stops there, so that between syncs a Due
    cell that has passed stays red whatever flag the row still shows.
    """
    last_column = len(spec.columns) - 1
    live = live_overdue_rule(spec)
    if live:
        due_index, formula = live
        sheet.conditional_format(1, due_index, LAST_ROW - 1, due_index, {
            "type": "formula",
            "criteria": formula,
            "format": _colour_format(workbook, ROW_FLAG_COLOURS[OVERDUE]),
            "stop_if_true": True,
        })
    for word, formula in flag_rules(spec):
        sheet.conditional_format(1, 0, LAST_ROW - 1, last_column, {
            "type": "formula",
            "criteria": formula,
            "format": _colour_format(workbook, ROW_FLAG_COLOURS[word]),
        })


def _colour_format(workbook: xlsxwriter.Workbook, colours: tuple[str, str]) -> Format:
    fill, font = colours
    return workbook.add_format({"bg_color": "#" + fill, "font_color": "#" + font})


def _write_rows(
    sheet: Worksheet,
    spec: SheetSpec,
    columns: list[tuple[str, Column | None]],
    rows: list[dict[str, object]],
    formats: _Formats,
) -> None:
    """Write demo rows; keys are canonical column names or, on RACI, people's names."""
    for row_number, row in enumerate(rows, start=1):
        for index, column, value in row_cells(spec, columns, row):
            _write_value(sheet, row_number, index, value, formats.column_format(column))


def _write_value(sheet: Worksheet, row: int, col: int, value: object, cell_format: Format | None) -> None:
    if value is None or value == "" or value == ():
        return
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, cell_format)
    else:
        sheet.write_string(row, col, str(value), cell_format)
