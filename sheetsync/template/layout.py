"""What a new campaign holds, whatever the format: the one layout both the Excel and the Google builders follow.

Sheets and columns come from the contract; this module adds what a *new*
workbook shows on top of them: header notes and the legend, the Project
sheet's help texts, the validation messages, which flags colour the rows of
each sheet (and the live "late Due" rule), the RACI letters suggested, and the
starting content (the demo campaign, or just a launch date). ``xlsx`` and
``gsheets`` only translate these decisions into XlsxWriter calls or Sheets API
requests.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from .. import i18n
from ..a1 import column_letter
from ..contract import (
    FEEDBACK_CLOSED,
    FEEDBACK_STATUS,
    RACI_LETTERS,
    SHEET_ROW_FLAGS,
    TASK_FINISHED,
    TASK_STATUS,
    Column,
    Setting,
    SheetSpec,
    dropdown_words,
)
from ..engine.calendar import country_code
from ..errors import UsageError
from ..flag_colours import flag_formula
from ..i18n import N_, _
from . import demo as demo_campaign

LANGUAGES = ("en", "zh")
# The Calendar a new book starts with, by language (blank: Monday–Friday), and the codes its dropdown
# offers: common markets (each has its Chinese name in engine.calendar); any other code or name is accepted.
DEFAULT_CALENDAR = {"en": "", "zh": "CN"}
CALENDAR_CHOICES = ("CN", "HK", "MO", "TW", "SG", "MY", "TH", "VN", "ID", "PH", "JP", "KR", "IN", "AU", "NZ",
                    "US", "CA", "GB", "IE", "FR", "DE")
LAST_ROW = 1000  # validations and formats cover data rows 2..LAST_ROW
PERSON_COLUMN_WIDTH = 10  # RACI person columns, in characters
TEXT_KINDS = ("ids", "threshold")  # kept text: "1,2" stays a list and "= 1" does not become a formula

# The sentences a new workbook shows, as messages of the workbook catalogue: `translated(message, lang)`.
COMPUTED_NOTE = N_("Computed by sheetsync: it overwrites this column on every sync. Don't type here.")


def computed_note(column: Column, lang: str) -> str:
    """A computed column's header note: who writes it (a column only one command fills says which, in its help)."""
    return column.help_text(lang) if column.on_demand else translated(COMPUTED_NOTE, lang)
LEGEND = N_(
    "Blue headers mark columns sheetsync computes and overwrites on every sync; grey ones are yours to fill in."
)
RACI_NOTE = N_(
    "Add one column per person or role to the right of Check, holding R, A, C, I or combinations such as A/R. "
    "Each activity needs exactly one A and at least one R."
)

# The live rule that keeps an unfinished row's Due red between syncs: sheet → (Status vocabulary, finished statuses).
LIVE_OVERDUE: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "Timeline": (TASK_STATUS, TASK_FINISHED),
    "Feedback": (FEEDBACK_STATUS, FEEDBACK_CLOSED),
}

# Validation titles and messages ({placeholders} filled by `translated`).
CHOICE_TITLE = N_("Choose from the list")
CHOICE_MESSAGE = N_("Choose one of: {choices}.")
CALENDAR_MESSAGE = N_("An ISO country code such as {codes}, or another country's code or name; blank = Monday–Friday.")
DAYS_TITLE = N_("Working days")
DAYS_MESSAGE = N_("Write a whole number of working days, 0 or more, such as 3.")
INT_TITLE = N_("Whole number")
INT_MESSAGE = N_("Write a whole number of {minimum} or more.")
DATE_TITLE = N_("Date")
DATE_MESSAGE = N_("Write a date such as 2025-03-14.")
EMAIL_TITLE = N_("Email")
EMAIL_MESSAGE = N_("This does not look like an email address (it has no @).")

# The letters suggested (not enforced) in RACI person columns, over at least RACI_MIN_COLUMNS columns.
RACI_CHOICES = (*RACI_LETTERS, "A/R")
RACI_CHOICES_MESSAGE = N_("R, A, C, I or a combination such as A/R or R/C.")
RACI_MIN_COLUMNS = 12  # room for people added later


def translated(message: str, lang: str, **params: object) -> str:
    """One of the messages above in the workbook's language, its {placeholders} filled from ``params``."""
    with i18n.language(lang):
        return i18n.translate(message, **params)


def check_language(lang: str) -> None:
    """Refuse a language the template has no texts for."""
    if lang not in LANGUAGES:
        raise UsageError(f'Unknown language "{lang}"; choose en or zh.')


def calendar_setting(calendar: str | None, lang: str) -> str:
    """The Calendar a new book starts with: the country given (code or name), else the language's default."""
    if calendar is None:
        return DEFAULT_CALENDAR[lang]
    if not calendar.strip():
        return ""
    code = country_code(calendar)
    if code is None:
        with i18n.language(lang):  # the new book's language (init --lang)
            raise UsageError(
                _(
                    'Unknown calendar "{calendar}"; give an ISO country code such as CN, US, GB or SG, '
                    "or the country's name (China, 中国).",
                    calendar=calendar,
                )
            )
    return code


def campaign_content(
    lang: str, demo: bool, launch: date | None, today: date | None, calendar: str | None = None
) -> tuple[dict[str, object], dict[str, list[dict[str, object]]], list[str]]:
    """Settings, rows and RACI people a new campaign starts with: the demo's, or the defaults that fit its language.

    A Chinese book plans on China's calendar and checks copy by Chinese rules; an
    English one on Monday–Friday and English rules. ``calendar`` (a code or a
    country's name) overrides the calendar.
    """
    defaults: dict[str, object] = {"Market": lang, "Calendar": calendar_setting(calendar, lang)}
    if demo:
        launch, today = demo_campaign.demo_dates(launch, today)
        settings = demo_campaign.demo_settings(lang, launch, today)
        if calendar is not None:
            settings["Calendar"] = defaults["Calendar"]
        return (
            settings,
            demo_campaign.demo_rows(lang, launch, today),
            demo_campaign.demo_people(lang),
        )
    return {**defaults, **({"Launch date": launch} if launch else {})}, {}, []


def sheet_columns(spec: SheetSpec, lang: str, people: Sequence[str]) -> list[tuple[str, Column | None]]:
    """The header of one sheet: (label, contract column); on RACI one more column per person (column None)."""
    columns: list[tuple[str, Column | None]] = [(c.label(lang), c) for c in spec.columns]
    if spec.name == "RACI":
        columns += [(person, None) for person in people]
    return columns


def frozen_columns(spec: SheetSpec) -> int:
    """ID and Milestone stay in view on Timeline."""
    return 2 if spec.name == "Timeline" else 0


def column_width(column: Column | None) -> int:
    """Width in characters (of the default font)."""
    return column.width if column else PERSON_COLUMN_WIDTH


def setting_label(setting: Setting, lang: str) -> str:
    return setting.zh if lang == "zh" else setting.name


def setting_value(setting: Setting, values: dict[str, object], lang: str) -> object:
    """A setting's starting value (given, else the default), a choice spelt as the book's dropdown offers it."""
    value = values.get(setting.name, setting.default)
    if setting.choices and isinstance(value, str) and value in setting.choices:
        return choice_labels(setting, lang)[list(setting.choices).index(value)]
    return value


def setting_help(setting: Setting, lang: str) -> str:
    return setting.help_text(lang)


def setting_minimum(setting: Setting) -> int:
    """The smallest whole number a days or int setting accepts."""
    return 1 if setting.name == "Max revision rounds" else 0


def choice_labels(column: Column | Setting, lang: str) -> list[str]:
    """A dropdown's entries, as the book's language spells them (Market and Language: the same in both)."""
    return dropdown_words(column.choices or {}, lang)


def _listed(words: Sequence[str], lang: str) -> str:
    return i18n.pick(lang, ", ", "、").join(words)


def choice_message(labels: Sequence[str], lang: str) -> str:
    return translated(CHOICE_MESSAGE, lang, choices=_listed(labels, lang))


def whole_number_message(minimum: int, lang: str) -> str:
    return translated(INT_MESSAGE, lang, minimum=minimum)


def calendar_message(lang: str) -> str:
    """The note on the Calendar dropdown, which suggests codes but accepts any country."""
    return translated(CALENDAR_MESSAGE, lang, codes=_listed(("CN", "US", "GB", "SG"), lang))


def live_overdue_rule(spec: SheetSpec) -> tuple[int, str] | None:
    """(Due column index, formula on row 2) keeping an unfinished row's passed Due red between syncs, if any."""
    if spec.name not in LIVE_OVERDUE:
        return None
    vocabulary, finished = LIVE_OVERDUE[spec.name]
    letter = {c.name: column_letter(i + 1) for i, c in enumerate(spec.columns)}
    due, status = letter["Due"], letter["Status"]
    words = [*finished, *(vocabulary[word] for word in finished)]
    unfinished = ",".join(f'${status}2<>"{word}"' for word in words)
    due_index = [c.name for c in spec.columns].index("Due")
    return due_index, f'=AND(${due}2<>"",${due}2<TODAY(),{unfinished})'


def flag_rules(spec: SheetSpec) -> list[tuple[str, str]]:
    """(flag, formula on row 2) colouring a whole data row, in the order the rules apply.

    Each rule matches the flag in both languages (OVERDUE or 已逾期), so a book's
    rows keep their colours when its Language setting changes, whatever
    language its template was built in.
    """
    flag = column_letter([c.name for c in spec.columns].index("Flag") + 1)
    rules = []
    for word in SHEET_ROW_FLAGS[spec.name]:
        rules.append((word, flag_formula(flag, 2, word)))
    return rules


def row_cells(
    spec: SheetSpec, columns: Sequence[tuple[str, Column | None]], row: dict[str, object]
) -> Iterator[tuple[int, Column | None, object]]:
    """(column index, contract column, value) of one starting row; keys are canonical names or RACI people."""
    index = {(column.name if column else label): i for i, (label, column) in enumerate(columns)}
    for key, value in row.items():
        if key not in index:
            raise KeyError(f"{spec.name} has no column {key!r}")
        column = columns[index[key]][1]
        if column is not None and column.computed:
            raise ValueError(f"{spec.name}!{key} is computed; the demo must leave it empty")
        yield index[key], column, value
