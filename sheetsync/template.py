"""Build a campaign workbook (.xlsx or .xlsm) that follows the contract, blank or filled with the demo campaign.

Built with XlsxWriter rather than openpyxl because only XlsxWriter writes
everything a template needs in one pass: dropdown validations, conditional
formats, header notes, and (in a later step) a VBA project and buttons. The
seam for that is ``write_campaign``, which fills any ``xlsxwriter.Workbook``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from . import demo as demo_campaign
from .a1 import column_letter
from .contract import (
    AT_RISK,
    COMPUTED_HEADER_FILL,
    DONE,
    DONE_LATE,
    DUE_SOON,
    FEEDBACK_STATUS,
    FLAG_COLOURS,
    HUMAN_HEADER_FILL,
    OVERDUE,
    RACI_LETTERS,
    SETTINGS,
    SHEETS,
    TASK_STATUS,
    Column,
    Setting,
    SheetSpec,
)
from .errors import UsageError

LANGUAGES = ("en", "zh")
SUFFIXES = (".xlsx", ".xlsm")
LAST_ROW = 1000  # validations and formats cover data rows 2..LAST_ROW
DATE_FORMAT = "yyyy-mm-dd"
# The shipped templates' creation time: fixed, so that rebuilding them gives the same bytes.
TEMPLATE_CREATED = datetime(2025, 1, 1)

COMPUTED_NOTE = {
    "en": "Computed by sheetsync: it overwrites this column on every sync. Don't type here.",
    "zh": "由 sheetsync 计算：每次同步都会覆盖此列。请勿在此输入。",
}
LEGEND = {
    "en": "Blue headers mark columns sheetsync computes and overwrites on every sync; grey ones are yours to fill in.",
    "zh": "蓝色表头的列由 sheetsync 计算，每次同步都会覆盖；灰色表头的列由你填写。",
}
RACI_NOTE = {
    "en": "Add one column per person or role to the right of Check, holding R, A, C, I or combinations such as A/R. "
          "Each activity needs exactly one A and at least one R.",
    "zh": "在“检查”列右侧为每个人或角色各加一列，填写 R、A、C、I 或组合（如 A/R）。"
          "每项活动须有且只有一个 A，至少一个 R。",
}

# The Project sheet's notes in Chinese; the English ones are the contract's Setting.help.
SETTING_HELP_ZH = {
    "Project name": "显示在摘要邮件中。",
    "Launch date": "广告上线的日期；所有截止日期都从这一天倒推。",
    "Calendar": "用于法定节假日和调休工作日的 ISO 国家代码（CN、US…）；留空 = 周一至周五。",
    "Extra holidays": "团队不上班的日期，用逗号分隔。",
    "Extra workdays": "团队上班的周末日期，用逗号分隔。",
    "Due soon window": "截止日期前多少个工作日将任务标记为 DUE SOON。",
    "Review SLA": "审核人须在多少个工作日内给出结论。",
    "Max revision rounds": "超过此轮次即标记为 REVISION LOOP。",
    "Feedback response": "答复客户反馈的工作日数。",
    "Market": "zh 或 en：决定摘要语言和适用的文案规则。",
    "Industry": "决定适用哪些广告文案规则。",
    "Sheet link": "本工作簿的链接，显示在摘要邮件中。",
    "Today": "可选：固定“今天”的日期（用于假设分析和测试）。请留空。",
}

# --- row colours by flag ---------------------------------------------------
# The review, risk and feedback flags reuse the contract's palette:
# red (OVERDUE's colours) for what must be fixed now, amber for what to look at.

REVISION_LOOP = "REVISION LOOP"
APPROVED_WITH_FINDINGS = "APPROVED WITH FINDINGS"
FINDINGS = "FINDINGS"
TRIGGERED = "TRIGGERED"

ROW_FLAG_COLOURS: dict[str, tuple[str, str]] = {
    **FLAG_COLOURS,
    REVISION_LOOP: FLAG_COLOURS[OVERDUE],
    APPROVED_WITH_FINDINGS: FLAG_COLOURS[OVERDUE],
    FINDINGS: FLAG_COLOURS[AT_RISK],
    TRIGGERED: FLAG_COLOURS[OVERDUE],
}
# Which flags colour the rows of each sheet (OK and OPEN stay uncoloured).
SHEET_ROW_FLAGS: dict[str, tuple[str, ...]] = {
    "Timeline": tuple(FLAG_COLOURS),
    "Reviews": (*FLAG_COLOURS, REVISION_LOOP, APPROVED_WITH_FINDINGS, FINDINGS),
    "Risks": (TRIGGERED,),
    "Feedback": (DUE_SOON, OVERDUE, DONE, DONE_LATE),
}
# The live rule that keeps an unfinished row's Due red between syncs: sheet → (Status vocabulary, finished statuses).
LIVE_OVERDUE: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "Timeline": (TASK_STATUS, ("Done",)),
    "Feedback": (FEEDBACK_STATUS, ("Done", "Won't do")),
}

MESSAGES = {
    "en": {
        "choice_title": "Choose from the list",
        "choice": "Choose one of: {}.",
        "days_title": "Working days",
        "days": "Write a whole number of working days, 0 or more, such as 3.",
        "int_title": "Whole number",
        "int": "Write a whole number of {} or more.",
        "date_title": "Date",
        "date": "Write a date such as 2025-03-14.",
        "email_title": "Email",
        "email": "This does not look like an email address (it has no @).",
    },
    "zh": {
        "choice_title": "请从列表中选择",
        "choice": "请选择其中之一：{}。",
        "days_title": "工作日",
        "days": "请填写不小于 0 的整数工作日，例如 3。",
        "int_title": "整数",
        "int": "请填写不小于 {} 的整数。",
        "date_title": "日期",
        "date": "请填写日期，例如 2025-03-14。",
        "email_title": "邮箱",
        "email": "这不像邮箱地址（没有 @）。",
    },
}


def build_workbook(
    path: str | Path,
    *,
    lang: str = "en",
    demo: bool = False,
    launch: date | None = None,
    today: date | None = None,
    created: datetime | None = None,
) -> Path:
    """Write a new campaign workbook at ``path`` (.xlsx, or .xlsm for a macro-enabled one) and return its path.

    ``demo`` fills the demo campaign, dated around ``launch`` and ``today``.
    ``created`` pins the document's creation time so that the same inputs give
    the same bytes (the shipped templates rely on it); default: now.
    """
    path = Path(path)
    if lang not in LANGUAGES:
        raise UsageError(f'Unknown language "{lang}"; choose en or zh.')
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{path} must end in .xlsx or .xlsm.")
    if path.exists():
        raise UsageError(f"{path} already exists; choose another name or delete it first.")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent} is not a folder; create it first or choose another path.")

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": "Campaign", "author": "sheetsync", "created": created or datetime.now()})
    sheets = write_campaign(workbook, lang=lang, demo=demo, launch=launch, today=today)
    if path.suffix.lower() == ".xlsm":
        from .excel_template import add_excel_buttons

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


def mark_macro_enabled(xlsx: bytes) -> bytes:
    """Give a package without a VBA project the macro-enabled workbook content type that an .xlsm must have.

    Excel refuses an .xlsm whose workbook part says "sheet.main" (plain xlsx);
    XlsxWriter only switches the type when a VBA project is added. A
    macro-enabled workbook with no macros is what Excel itself saves.
    """
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(plain, macro)
            target.writestr(info, data)
    return output.getvalue()


def write_campaign(
    workbook: xlsxwriter.Workbook,
    *,
    lang: str = "en",
    demo: bool = False,
    launch: date | None = None,
    today: date | None = None,
) -> dict[str, Worksheet]:
    """Add every contract sheet to ``workbook``; return the worksheets by canonical sheet name.

    A caller can add more before closing the workbook: a VBA project, buttons.
    """
    formats = _Formats(workbook)
    settings, rows, people = demo_campaign.campaign_content(lang, demo, launch, today)

    sheets: dict[str, Worksheet] = {}
    for spec in SHEETS:
        sheet = workbook.add_worksheet(spec.label(lang))
        sheets[spec.name] = sheet
        columns = [(c.label(lang), c) for c in spec.columns]
        if spec.name == "RACI":
            columns += [(person, None) for person in people]
        _write_header(sheet, columns, formats, lang)
        sheet.freeze_panes(1, 2 if spec.name == "Timeline" else 0)
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
        if column.kind in ("ids", "threshold"):  # keep "1,2" a list and "= 1" from becoming a formula
            return self.text
        return None


def _write_header(sheet: Worksheet, columns: list[tuple[str, Column | None]], formats: _Formats, lang: str) -> None:
    for index, (label, column) in enumerate(columns):
        computed = column is not None and column.computed
        sheet.write_string(0, index, label, formats.computed_header if computed else formats.human_header)
        sheet.set_column(index, index, column.width if column else 10, formats.column_format(column))
        if computed:
            sheet.write_comment(0, index, COMPUTED_NOTE[lang], {"author": "sheetsync", "x_scale": 2, "y_scale": 1})


def _write_project(sheet: Worksheet, values: dict[str, object], formats: _Formats, lang: str) -> None:
    """One row per setting: label, value (demo, given or default), help text; with validations on the values."""
    for row, setting in enumerate(SETTINGS, start=1):
        sheet.write_string(row, 0, setting.zh if lang == "zh" else setting.name)
        value = values.get(setting.name, setting.default)
        if setting.kind == "date":
            sheet.write_blank(row, 1, None, formats.date)  # so that a date typed here shows as yyyy-mm-dd
        _write_value(sheet, row, 1, value, formats.date if setting.kind == "date" else None)
        help_text = SETTING_HELP_ZH.get(setting.name, setting.help) if lang == "zh" else setting.help
        if help_text:
            sheet.write_string(row, 2, help_text)
        _validate_setting(sheet, row, setting, lang)
    sheet.write_string(len(SETTINGS) + 2, 2, LEGEND[lang], formats.legend)


def _validate_setting(sheet: Worksheet, row: int, setting: Setting, lang: str) -> None:
    messages = MESSAGES[lang]
    if setting.kind == "choice" and setting.choices:
        # Market and Industry are codes: the same canonical words in both languages.
        sheet.data_validation(row, 1, row, 1, _choice_rule(list(setting.choices), lang))
    elif setting.kind == "date":
        sheet.data_validation(row, 1, row, 1, _date_rule(lang))
    elif setting.kind in ("days", "int"):
        minimum = 1 if setting.name == "Max revision rounds" else 0
        sheet.data_validation(row, 1, row, 1, {
            "validate": "integer", "criteria": ">=", "value": minimum,
            "error_title": messages["int_title"], "error_message": messages["int"].format(minimum),
        })


def _choice_rule(labels: list[str], lang: str) -> dict[str, object]:
    separator = "、" if lang == "zh" else ", "
    return {
        "validate": "list", "source": labels,
        "error_title": MESSAGES[lang]["choice_title"],
        "error_message": MESSAGES[lang]["choice"].format(separator.join(labels)),
    }


def _date_rule(lang: str) -> dict[str, object]:
    return {
        "validate": "date", "criteria": ">=", "value": date(2000, 1, 1), "error_type": "warning",
        "error_title": MESSAGES[lang]["date_title"], "error_message": MESSAGES[lang]["date"],
    }


def _validate_column(sheet: Worksheet, index: int, column: Column, lang: str) -> None:
    """Dropdowns, number and date checks on the data rows of one human column."""
    if column.computed:
        return
    messages = MESSAGES[lang]
    rule: dict[str, object] | None = None
    if column.kind == "choice" and column.choices:
        rule = _choice_rule(list(column.choices.values()) if lang == "zh" else list(column.choices), lang)
    elif column.kind == "days":
        rule = {
            "validate": "integer", "criteria": ">=", "value": 0,
            "error_title": messages["days_title"], "error_message": messages["days"],
        }
    elif column.kind == "int":
        rule = {
            "validate": "integer", "criteria": ">=", "value": 1,
            "error_title": messages["int_title"], "error_message": messages["int"].format(1),
        }
    elif column.kind == "date":
        rule = _date_rule(lang)
    elif column.kind == "email":
        cell = f"{column_letter(index + 1)}2"
        rule = {
            "validate": "custom", "value": f'=ISNUMBER(SEARCH("@",{cell}))', "error_type": "warning",
            "error_title": messages["email_title"], "error_message": messages["email"],
        }
    if rule:
        sheet.data_validation(1, index, LAST_ROW - 1, index, rule)


def _explain_raci(sheet: Worksheet, column_count: int, lang: str) -> None:
    """How to add people, as a note on Activity; the letters suggested (not enforced) in the person columns."""
    sheet.write_comment(0, 0, RACI_NOTE[lang], {"author": "sheetsync", "x_scale": 2.5, "y_scale": 1.5})
    last = max(column_count, 12) - 1  # room for people added later
    sheet.data_validation(1, 2, LAST_ROW - 1, last, {
        "validate": "list", "source": [*RACI_LETTERS, "A/R"], "error_type": "warning",
        "error_title": MESSAGES[lang]["choice_title"], "error_message": "R, A, C, I, A/R, R/C…",
    })


def _add_flag_formats(sheet: Worksheet, spec: SheetSpec, workbook: xlsxwriter.Workbook) -> None:
    """Colour each data row by its Flag; on Timeline and Feedback also a live red Due for unfinished late rows.

    The live rule goes first and stops there, so that between syncs a Due
    cell that has passed stays red whatever flag the row still shows.
    """
    last_column = len(spec.columns) - 1
    letter = {c.name: column_letter(i + 1) for i, c in enumerate(spec.columns)}
    red = ROW_FLAG_COLOURS[OVERDUE]
    if spec.name in LIVE_OVERDUE:
        vocabulary, finished = LIVE_OVERDUE[spec.name]
        due, status = letter["Due"], letter["Status"]
        words = [*finished, *(vocabulary[word] for word in finished)]
        unfinished = ",".join(f'${status}2<>"{word}"' for word in words)
        due_index = [c.name for c in spec.columns].index("Due")
        sheet.conditional_format(1, due_index, LAST_ROW - 1, due_index, {
            "type": "formula",
            "criteria": f'=AND(${due}2<>"",${due}2<TODAY(),{unfinished})',
            "format": _colour_format(workbook, red),
            "stop_if_true": True,
        })
    flag = letter["Flag"]
    for word in SHEET_ROW_FLAGS[spec.name]:
        sheet.conditional_format(1, 0, LAST_ROW - 1, last_column, {
            "type": "formula",
            "criteria": f'=${flag}2="{word}"',
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
    index = {(column.name if column else label): i for i, (label, column) in enumerate(columns)}
    for row_number, row in enumerate(rows, start=1):
        for key, value in row.items():
            if key not in index:
                raise KeyError(f"{spec.name} has no column {key!r}")
            column = columns[index[key]][1]
            if column is not None and column.computed:
                raise ValueError(f"{spec.name}!{key} is computed; the demo must leave it empty")
            _write_value(sheet, row_number, index[key], value, formats.column_format(column))


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
