"""Create a campaign Google Sheet with the same contract as the Excel template, in two API calls (plus one per share).

``spreadsheets.create`` makes the tabs (titles, frozen header rows); ONE
``spreadsheets.batchUpdate`` then adds everything else: headers (computed ones
light blue with a note), column widths, date and text formats, dropdown and
number validations, the flag colours as conditional-format rules, warning-only
protection on the computed columns, and the demo campaign's values. Sharing is
one Drive ``permissions.create`` per address (``gsheets_share``); laying out a
sheet that already exists is ``gsheets_existing``. What goes where is ``layout``'s,
the same as the Excel template's; this module only phrases it as Sheets API
requests and sends them through the Google backend's client.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..a1 import column_letter
from ..backends.gsheets.client import SHEETS_API, CallContext, GoogleClient, google_errors, sheet_url
from ..backends.gsheets.values import DATE_FORMAT, cell_data
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
from ..i18n import _
from .gsheets_share import share_addresses, share_sheet
from .layout import (
    CALENDAR_CHOICES,
    COMPUTED_NOTE,
    DATE_MESSAGE,
    DAYS_MESSAGE,
    EMAIL_MESSAGE,
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

__all__ = ["campaign_requests", "create_campaign_sheet", "grid_properties", "spreadsheet_body"]

TEXT_FORMAT = {"type": "TEXT"}
PIXELS_PER_CHARACTER = 7  # Excel's column width is in characters of the default font
COLUMN_COUNT = 26  # a new Google Sheet's width; RACI people columns fit in it


def create_campaign_sheet(
    client: GoogleClient,
    title: str,
    *,
    share: Sequence[str] = (),
    lang: str = "en",
    demo: bool = False,
    launch: date | None = None,
    today: date | None = None,
    calendar: str | None = None,
) -> tuple[str, str]:
    """Create a campaign Google Sheet owned by the service account and share it; return (spreadsheet ID, URL).

    ``demo`` fills the demo campaign dated around ``launch`` and ``today``;
    ``calendar`` (a code or a country's name) sets the Calendar, default by language (CN for zh);
    ``share`` addresses (each may be a comma-separated list) become Editors (Google emails them the link);
    they are checked before anything is made, and a sheet whose sharing fails is deleted again (``share_sheet``).
    """
    check_language(lang)
    if not title.strip():
        raise UsageError(_('Give the new Google Sheet a title, e.g. --gsheet "Serum launch".'))
    addresses = share_addresses(share)

    settings, rows, people = campaign_content(lang, demo, launch, today, calendar)

    context = CallContext(title, "", client.account_email, client.key_file, "create")
    with google_errors(context):
        created = client.http_client.request("post", SHEETS_API, json=spreadsheet_body(title, lang)).json()
    key = str(created["spreadsheetId"])
    url = sheet_url(key)
    by_title = {
        str(sheet["properties"]["title"]): int(sheet["properties"]["sheetId"]) for sheet in created.get("sheets", [])
    }
    sheet_ids = {spec.name: by_title[spec.label(lang)] for spec in SHEETS}
    settings = {**settings, "Sheet link": url}
    context = CallContext(url, key, client.account_email, client.key_file, "edit")
    with google_errors(context):
        client.http_client.batch_update(key, {"requests": campaign_requests(sheet_ids, lang, settings, rows, people)})
    share_sheet(client, key, addresses, created=True)
    return key, url


def grid_properties(spec: SheetSpec, rows: int = 0, columns: int = 0) -> dict[str, int]:
    """A contract tab's grid: LAST_ROW rows and its columns (never fewer than ``rows``, ``columns``), frozen headers."""
    grid: dict[str, int] = {
        "rowCount": max(rows, LAST_ROW),
        "columnCount": max(columns, COLUMN_COUNT, len(spec.columns)),
        "frozenRowCount": 1,
    }
    frozen = frozen_columns(spec)
    if frozen:
        grid["frozenColumnCount"] = frozen
    return grid


def spreadsheet_body(title: str, lang: str) -> dict[str, Any]:
    """The ``spreadsheets.create`` body: every contract tab with its frozen header row."""
    sheets = []
    for index, spec in enumerate(SHEETS):
        sheets.append({"properties": {"sheetId": index, "title": spec.label(lang), "index": index,
                                      "gridProperties": grid_properties(spec)}})
    properties = {"title": title, "locale": "zh_CN" if lang == "zh" else "en_US"}
    if lang == "zh":  # the Sheets menu asks for today in the sheet's time zone: a Shanghai morning is not UTC's night
        properties["timeZone"] = "Asia/Shanghai"
    return {"properties": properties, "sheets": sheets}


def campaign_requests(
    sheet_ids: dict[str, int],
    lang: str,
    settings: dict[str, object],
    rows: dict[str, list[dict[str, object]]],
    people: Sequence[str],
) -> list[dict[str, Any]]:
    """The batchUpdate requests that give each tab its contract: headers, formats, validations, rules, values.

    ``sheet_ids`` maps the canonical name of each tab to lay out to its sheetId; tabs not in it are left alone.
    """
    requests: list[dict[str, Any]] = []
    for spec in SHEETS:
        if spec.name not in sheet_ids:
            continue
        sheet_id = sheet_ids[spec.name]
        columns = sheet_columns(spec, lang, people)
        requests += _header(sheet_id, spec, columns, lang)
        requests += _widths(sheet_id, columns)
        if spec.name == "Project":
            requests += _project(sheet_id, settings, lang)
            continue
        requests += _column_formats(sheet_id, columns)
        if not spec.wholly_computed:
            for index, (_label, column) in enumerate(columns):
                if column is not None and not column.computed:
                    rule = _column_rule(column, index, lang)
                    if rule:
                        requests.append(_validation(sheet_id, 1, LAST_ROW, index, index + 1, rule))
        if spec.name == "RACI":
            last = max(len(columns), RACI_MIN_COLUMNS)
            letters = _list_rule(RACI_CHOICES, strict=False, message=RACI_CHOICES_MESSAGE)
            requests.append(_validation(sheet_id, 1, LAST_ROW, 2, last, letters))
        if spec.name in SHEET_ROW_FLAGS:
            requests += _flag_rules(sheet_id, spec)
        requests += _protections(sheet_id, spec, lang)
        requests += _values(sheet_id, spec, columns, rows.get(spec.name, []))
    return requests


# --- pieces ---------------------------------------------------------------------


def _colour(hex_rgb: str) -> dict[str, float]:
    red, green, blue = (int(hex_rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}


def _grid(sheet_id: int, row1: int, row2: int | None, col1: int, col2: int | None) -> dict[str, int]:
    """A GridRange, 0-based and end-exclusive; None leaves that end open."""
    grid = {"sheetId": sheet_id, "startRowIndex": row1, "startColumnIndex": col1}
    if row2 is not None:
        grid["endRowIndex"] = row2
    if col2 is not None:
        grid["endColumnIndex"] = col2
    return grid


def _header(sheet_id: int, spec: SheetSpec, columns: list[tuple[str, Column | None]], lang: str) -> list[dict]:
    cells = []
    for index, (label, column) in enumerate(columns):
        computed = column is not None and column.computed
        cell: dict[str, Any] = {
            "userEnteredValue": {"stringValue": label},
            "userEnteredFormat": {
                "backgroundColor": _colour(COMPUTED_HEADER_FILL if computed else HUMAN_HEADER_FILL),
                "textFormat": {"bold": True},
                "verticalAlignment": "TOP",
            },
        }
        if computed:
            cell["note"] = computed_note(column, lang)
        elif spec.name == "RACI" and index == 0:
            cell["note"] = translated(RACI_NOTE, lang)
        cells.append(cell)
    return [{
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": cells}],
            "fields": "userEnteredValue,userEnteredFormat.backgroundColor,userEnteredFormat.textFormat.bold,"
                      "userEnteredFormat.verticalAlignment,note",
        }
    }]


def _widths(sheet_id: int, columns: list[tuple[str, Column | None]]) -> list[dict]:
    return [
        {
            "updateDimensionProperties": {
                "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": index, "endIndex": index + 1},
                "properties": {"pixelSize": column_width(column) * PIXELS_PER_CHARACTER},
                "fields": "pixelSize",
            }
        }
        for index, (_label, column) in enumerate(columns)
    ]


def _column_formats(sheet_id: int, columns: list[tuple[str, Column | None]]) -> list[dict]:
    """Dates show as yyyy-mm-dd; ID lists and thresholds stay text ("1,2" a list, "= 1" no formula)."""
    requests = []
    for index, (_label, column) in enumerate(columns):
        if column is None:
            continue
        if column.kind == "date":
            number_format = DATE_FORMAT
        elif column.kind in TEXT_KINDS:
            number_format = TEXT_FORMAT
        else:
            continue
        requests.append({
            "repeatCell": {
                "range": _grid(sheet_id, 1, LAST_ROW, index, index + 1),
                "cell": {"userEnteredFormat": {"numberFormat": dict(number_format)}},
                "fields": "userEnteredFormat.numberFormat",
            }
        })
    return requests


def _condition(kind: str, *values: str) -> dict[str, Any]:
    condition: dict[str, Any] = {"type": kind}
    if values:
        condition["values"] = [{"userEnteredValue": value} for value in values]
    return condition


def _list_rule(labels: Iterable[str], *, strict: bool = True, message: str = "") -> dict[str, Any]:
    rule: dict[str, Any] = {"condition": _condition("ONE_OF_LIST", *labels), "strict": strict, "showCustomUi": True}
    if message:
        rule["inputMessage"] = message
    return rule


def _whole_number_rule(cell: str, minimum: int, message: str) -> dict[str, Any]:
    formula = f"=AND(ISNUMBER({cell}),{cell}>={minimum},INT({cell})={cell})"
    return {"condition": _condition("CUSTOM_FORMULA", formula), "strict": True, "inputMessage": message}


def _date_rule(lang: str) -> dict[str, Any]:
    return {"condition": _condition("DATE_IS_VALID"), "strict": False, "inputMessage": translated(DATE_MESSAGE, lang)}


def _column_rule(column: Column, index: int, lang: str) -> dict[str, Any] | None:
    """The same checks as the Excel template's, in Google's terms (strict = reject, else warn)."""
    cell = f"{column_letter(index + 1)}2"
    if column.kind == "choice" and column.choices:
        labels = choice_labels(column, lang)
        return _list_rule(labels, message=choice_message(labels, lang))
    if column.kind == "days":
        return _whole_number_rule(cell, 0, translated(DAYS_MESSAGE, lang))
    if column.kind == "int":
        return _whole_number_rule(cell, 1, whole_number_message(1, lang))
    if column.kind == "date":
        return _date_rule(lang)
    if column.kind == "email":
        email = translated(EMAIL_MESSAGE, lang)
        return {"condition": _condition("TEXT_IS_EMAIL"), "strict": False, "inputMessage": email}
    return None


def _setting_rule(setting: Setting, row: int, lang: str) -> dict[str, Any] | None:
    if setting.kind == "choice" and setting.choices:
        labels = choice_labels(setting, lang)
        return _list_rule(labels, message=choice_message(labels, lang))
    if setting.kind == "country":  # suggests the common codes; any other country is fine
        return _list_rule(CALENDAR_CHOICES, strict=False, message=calendar_message(lang))
    if setting.kind == "date":
        return _date_rule(lang)
    if setting.kind in ("days", "int"):
        minimum = setting_minimum(setting)
        return _whole_number_rule(f"B{row + 1}", minimum, whole_number_message(minimum, lang))
    return None


def _validation(sheet_id: int, row1: int, row2: int, col1: int, col2: int, rule: dict[str, Any]) -> dict:
    return {"setDataValidation": {"range": _grid(sheet_id, row1, row2, col1, col2), "rule": rule}}


def _flag_rules(sheet_id: int, spec: SheetSpec) -> list[dict]:
    """Rows coloured by Flag; first, on Timeline and Feedback, a live red Due for unfinished late rows.

    Google applies only the first rule that matches a cell, so the live rule
    going first does what Excel's stop-if-true does in the template.
    """
    rules: list[dict[str, Any]] = []
    live = live_overdue_rule(spec)
    if live:
        due_index, formula = live
        rules.append(_colour_rule(sheet_id, due_index, due_index + 1, formula, ROW_FLAG_COLOURS[OVERDUE]))
    for word, formula in flag_rules(spec):
        rules.append(_colour_rule(sheet_id, 0, len(spec.columns), formula, ROW_FLAG_COLOURS[word]))
    return [{"addConditionalFormatRule": {"rule": rule, "index": index}} for index, rule in enumerate(rules)]


def _colour_rule(sheet_id: int, col1: int, col2: int, formula: str, colours: tuple[str, str]) -> dict[str, Any]:
    fill, font = colours
    return {
        "ranges": [_grid(sheet_id, 1, LAST_ROW, col1, col2)],
        "booleanRule": {
            "condition": _condition("CUSTOM_FORMULA", formula),
            "format": {"backgroundColor": _colour(fill), "textFormat": {"foregroundColor": _colour(font)}},
        },
    }


def _protections(sheet_id: int, spec: SheetSpec, lang: str) -> list[dict]:
    """Warning-only protection: people are asked before typing over what sheetsync overwrites anyway."""
    if spec.wholly_computed:
        ranges = [{"sheetId": sheet_id}]
    else:
        ranges = [_grid(sheet_id, 0, None, i, i + 1) for i, c in enumerate(spec.columns) if c.computed]
    return [
        {"addProtectedRange": {"protectedRange": {"range": grid, "description": translated(COMPUTED_NOTE, lang),
                                                  "warningOnly": True}}}
        for grid in ranges
    ]


def _values(
    sheet_id: int, spec: SheetSpec, columns: list[tuple[str, Column | None]], rows: list[dict[str, object]]
) -> list[dict]:
    """The demo rows from row 2; keys are canonical column names or, on RACI, people's names."""
    if not rows:
        return []
    row_data = []
    for row in rows:
        cells: list[dict[str, Any]] = [{} for _column in columns]
        for index, _column, value in row_cells(spec, columns, row):
            cells[index] = cell_data(_plain(value), date_format=False)
        row_data.append({"values": cells})
    return [{
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 0},
            "rows": row_data,
            "fields": "userEnteredValue",
        }
    }]


def _plain(value: object) -> Any:
    return None if value == () else value


def _project(sheet_id: int, values: dict[str, object], lang: str) -> list[dict]:
    """One row per setting (label, value, help), validations on the values, the header legend below."""
    rows = []
    requests: list[dict[str, Any]] = []
    for row, setting in enumerate(SETTINGS, start=1):
        value = setting_value(setting, values, lang)
        help_text = setting_help(setting, lang)
        label = setting_label(setting, lang)
        value_cell = cell_data(_plain(value), date_format=False)
        if setting.kind == "date":  # so that a date typed here later shows as yyyy-mm-dd too
            value_cell["userEnteredFormat"] = {"numberFormat": dict(DATE_FORMAT)}
        rows.append({"values": [cell_data(label), value_cell, cell_data(help_text or None)]})
        rule = _setting_rule(setting, row, lang)
        if rule:
            requests.append(_validation(sheet_id, row, row + 1, 1, 2, rule))
    legend = {
        "userEnteredValue": {"stringValue": translated(LEGEND, lang)},
        "userEnteredFormat": {"backgroundColor": _colour(COMPUTED_HEADER_FILL), "textFormat": {"italic": True}},
    }
    rows.append({"values": []})
    rows.append({"values": [{}, {}, legend]})
    values_request = {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 0},
            "rows": rows,
            "fields": "userEnteredValue,userEnteredFormat.numberFormat,userEnteredFormat.backgroundColor,"
                      "userEnteredFormat.textFormat.italic",
        }
    }
    return [values_request, *requests]
