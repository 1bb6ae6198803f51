"""Typed reading of single cells: dates, working days, choices, ID lists.

Each reader returns the typed value or raises CellError whose text says what is
wrong and how to fix it; TableView.read (parse/table_view.py) turns that into a
Problem naming the cell.
"""

from __future__ import annotations

import calendar as calendar_mod
import datetime as dt
import re
import unicodedata

from .. import i18n
from ..contract import SETTINGS, SHEETS, canonical_choice, dropdown_words
from ..errors import SheetsyncError
from ..i18n import N_, _, translate
from ..raw import CellValue, Formula
from ..serials import EPOCH_1900, EXCEL_1900, MAX_SERIAL, serial_of

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
)
ID_PATTERN = re.compile(r"^[\w.\-]+$")  # letters (any script), digits, _ . -

# Sane bounds on what a person types, checked here once for every sheet and setting.
# Dates: a campaign plan lives within decades of today; 1990 keeps any year typed alone
# (2026 is serial 1905-07-18) and any day typed alone (20 is 1900-01-19) from passing as a date,
# and 2100 is past any launch a plan could hold. Both stay far inside what the date type,
# both date systems' serials and the holiday calendars can count from, even after MAX_DAYS more.
FIRST_DATE = dt.date(1990, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
# Working days (durations, buffers, windows, SLAs, revision rounds): 3650 working days is
# about 14 years, longer than any task or setting of a campaign, and small enough that a
# chain of them stays inside the date type (a million days would reach past year 9999).
MAX_DAYS = 3650
_DATE_FIX = N_("write a date such as 2026-03-01")


class CellError(SheetsyncError, ValueError):
    """A cell that cannot be read as what its column needs. Message: 'what is wrong' + '; ' + fix."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}; {fix}")
        self.problem = problem
        self.fix = fix


def shown(value: CellValue | Formula) -> str:
    """How a cell value is quoted in a message."""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(value: CellValue | Formula) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: CellValue | Formula) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return shown(value.cached) if value.cached is not None else ""
    return shown(value).strip()


def to_date(value: CellValue) -> dt.date | None:
    """A real date, an Excel serial, or text such as 2026-03-01, 2026/3/1, 2026年3月1日; FIRST_DATE..LAST_DATE."""
    day = _any_date(value)
    if day is not None and not FIRST_DATE <= day <= LAST_DATE:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise CellError(
                _("{value} is a number, not a date (as a date it is {day})", value=shown(value), day=day.isoformat()),
                translate(_DATE_FIX),
            )
        raise CellError(
            _(
                "{day} is outside the dates a plan can hold ({first}–{last})",
                day=day.isoformat(),
                first=FIRST_DATE.year,
                last=LAST_DATE.year,
            ),
            _("write the full date with its year, such as 2026-03-01"),
        )
    return day


def _any_date(value: CellValue) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("{value} is not a date", value=shown(value)), translate(_DATE_FIX))
    if isinstance(value, (int, float)):
        if not 1 <= value <= MAX_SERIAL:
            raise CellError(_("{value} is not a date", value=shown(value)), translate(_DATE_FIX))
        # days from the 1900 system's epoch, without Excel's 29 Feb 1900 (a number here was never a date cell)
        return EPOCH_1900.date() + dt.timedelta(days=int(value))
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month, day = (int(g) for g in m.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                if 1 <= month <= 12:
                    last = calendar_mod.monthrange(year, month)[1]
                    year_month = f"{year}-{month:02d}"
                    reason = _("{month} has {days} days", month=year_month, days=last)
                else:
                    reason = _("there is no month {month}", month=month)
                raise CellError(
                    _('"{text}" is not a real date ({reason})', text=text, reason=reason),
                    _("correct the day or month"),
                ) from None
    raise CellError(_('"{text}" is not a date', text=text), _("write it as 2026-03-01 (or 2026/3/1, 2026年3月1日)"))


def to_dates(value: CellValue) -> list[dt.date]:
    """A comma-separated list of dates (or one real date)."""
    if is_blank(value):
        return []
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        return [d for d in [to_date(value)] if d]
    out = []
    for part in re.split(r"[,，;；、\n]+", str(value)):
        if part.strip():
            out.append(to_date(part.strip()))
    return [d for d in out if d]


# What a whole number of days or rounds may be written as besides digits: full-width digits
# (NFKC makes ３ a 3), Chinese numerals, and for working days a unit in either language.
_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_DAY_UNIT = r"(?:个?工作日|个?工作天|天|日|d|days?|(?:work|working|business)\s*days?|workdays?)"
_WITH_DAY_UNIT = re.compile(rf"^{_NUMBER}\s*{_DAY_UNIT}?$")
_BARE = re.compile(rf"^{_NUMBER}$")
# The words `what` may be, for messages: marked here so the catalogues hold them.
_WHAT = {"working days": N_("working days"), "rounds": N_("rounds"), "number": N_("number")}


def _chinese_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十五 → 15, 二十 → 20, 一百零五 → 105; None for a sequence such as 一二."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            if digit:  # two digits in a row (一二): not a numeral
                return None
            digit = _CN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
    return total + (digit or 0)


def _typed_number(text: str, pattern: re.Pattern[str]) -> float | None:
    m = pattern.match(unicodedata.normalize("NFKC", text).strip().casefold())
    if not m:
        return None
    number = m.group(1)
    if number[0].isdigit():
        return float(number)
    value = _chinese_number(number)
    return None if value is None else float(value)


def to_days(value: CellValue, *, what: str = "working days", date_system: str = EXCEL_1900) -> int | None:
    """A whole number of working days from 0 to MAX_DAYS.

    Lenient where the meaning is plain: 3天, 3 days, 3d, 三天, ３ and 3个工作日 are 3; so is a 3 typed
    into a cell formatted as a date, which the backend hands over as 1900-01-03 (the book's
    `date_system` gives back the number). A real date (2026-12-03) is not a number of days.
    """
    if is_blank(value):
        return None
    label = translate(_WHAT.get(what, what))
    if isinstance(value, bool):
        raise CellError(
            _("{value} is not a number of {what}", value=shown(value), what=label), _("write a whole number such as 3")
        )
    if isinstance(value, (dt.date, dt.datetime)):
        number = float(serial_of(value, date_system))
        if not 0 <= number <= MAX_DAYS:
            raise CellError(
                _("{value} is a date, not a number of {what}", value=shown(value), what=label),
                _("write a whole number such as 3 (and set the cell's format to General or Number)"),
            )
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        parsed = _typed_number(text, _WITH_DAY_UNIT if what == "working days" else _BARE)
        if parsed is None:
            raise CellError(
                _('"{text}" is not a number of {what}', text=text, what=label), _("write a whole number such as 3")
            )
        number = parsed
    shown_value = shown(value) if not isinstance(value, dt.date) else shown(number)
    if not number.is_integer():
        raise CellError(
            _("{value} is not a whole number of {what}", value=shown_value, what=label),
            _("round it to a whole number such as 3"),
        )
    if number < 0:
        raise CellError(_("{value} is negative", value=shown_value), _("write 0 or a positive whole number"))
    if number > MAX_DAYS:
        raise CellError(
            _("{value} is more {what} than a plan can hold", value=shown_value, what=label),
            _("write a whole number up to {limit}", limit=MAX_DAYS),
        )
    return int(number)


def to_int(value: CellValue, *, what: str = "number") -> int | None:
    return to_days(value, what=what)


# An amount as people and the ad platforms' exports write it: 1,234 · 1 234 · ¥3,200.00 · $12.50 · 12.5% ·
# 1.2万 · 3亿 · 2.5k · 1.2M · -- (none) · (120) (a negative, as accountants write it). Currency marks and a
# trailing unit word (3,200元 · 1.2万次 · 500人) are dropped.
_AMOUNT = re.compile(
    r"^(?P<neg>[-−(])?\s*(?P<cur>[¥￥$€£]|rmb|cny|usd|元)?\s*(?P<num>\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>%|‰|万|亿|千|百万|k|m|w)?\s*(?:元|rmb|cny|usd|次|个|人|条|笔)?\)?$"
)
_SCALE = {"%": 0.01, "‰": 0.001, "千": 1e3, "k": 1e3, "万": 1e4, "w": 1e4, "百万": 1e6, "m": 1e6, "亿": 1e8}
_NONE_WORDS = {"-", "--", "—", "n/a", "na", "none", "null", "无", "暂无", "/"}


def to_amount(value: CellValue) -> float | None:
    """A number of anything (money, impressions, a rate): 12.5% is 0.125, 1.2万 is 12000, ¥3,200.00 is 3200.

    Blank and the exports' no-data marks (--, N/A, 暂无) are None; a date or a word is a CellError.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise CellError(_("{value} is not a number", value=shown(value)), _("write a number such as 1200 or 1.2万"))
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if text in _NONE_WORDS:
        return None
    compact = re.sub(r"(?<=\d)[,\s'](?=\d{3}(?!\d))", "", text)  # thousands separators: 1,234 · 1 234 · 1'234
    match = _AMOUNT.match(compact)
    if match is None:
        raise CellError(
            _('"{text}" is not a number', text=str(value).strip()), _("write a number such as 1200, 12.5% or 1.2万")
        )
    number = float(match["num"]) * _SCALE.get(match["unit"] or "", 1.0)
    return -number if match["neg"] else number


def to_choice(value: CellValue, choices: dict[str, str]) -> str | None:
    """The canonical word of a vocabulary, from either language's label.

    The message lists the words as the book's dropdown offers them, and mentions a dropdown only
    where the contract gives one (a Copy rules Category has none).
    """
    if is_blank(value):
        return None
    canon = canonical_choice(value, choices)
    if canon is None:
        allowed = i18n.pick(None, ", ", "、").join(dropdown_words(choices, i18n.current()))
        problem = _('"{value}" is not one of {choices}', value=shown(value), choices=allowed)
        if _has_dropdown(choices):
            raise CellError(problem, _("pick one from the dropdown"))
        raise CellError(problem, _("write one of these words"))
    return canon


def _has_dropdown(choices: dict[str, str]) -> bool:
    """Whether the templates give these choices a dropdown: a choice column or setting (as template/ decides)."""
    columns = (c for spec in SHEETS for c in spec.columns)
    return any(item.kind == "choice" and item.choices is choices for item in (*columns, *SETTINGS))


def id_parts(value: CellValue) -> list[str]:
    """The comma-separated parts of a list of IDs, as written (not checked)."""
    if is_blank(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [p.strip() for p in re.split(r"[,，;；、\s]+", str(value)) if p.strip()]


def to_ids(value: CellValue) -> list[str]:
    """A comma-separated list of task IDs."""
    parts = id_parts(value)
    for part in parts:
        check_id(part)
    return parts


def check_id(text: str) -> str:
    if text.startswith("="):
        raise CellError(_('"{text}" begins with "=" and is not an ID', text=text), _("write the plain ID, such as T3"))
    if not ID_PATTERN.match(text):
        raise CellError(
            _('"{text}" is not a valid ID', text=text),
            _("use letters, digits, '-', '_' or '.', such as T3 (separate several by commas)"),
        )
    return text


def to_id(value: CellValue) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return check_id(str(value).strip())
