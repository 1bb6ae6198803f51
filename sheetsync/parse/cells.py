"""Typed reading of single cells: dates, working days, choices, ID lists.

Each reader returns the typed value or raises CellError whose text says what is
wrong and how to fix it; TableView.read (parse/table_view.py) turns that into a
Problem naming the cell.
"""

from __future__ import annotations

import calendar as calendar_mod
import datetime as dt
import re

from ..contract import canonical_choice
from ..errors import SheetsyncError
from ..raw import CellValue, Formula
from ..serials import EPOCH_1900, MAX_SERIAL

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
_DATE_FIX = "write a date such as 2026-03-01"


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
            raise CellError(f"{shown(value)} is a number, not a date (as a date it is {day.isoformat()})", _DATE_FIX)
        raise CellError(
            f"{day.isoformat()} is outside the dates a plan can hold ({FIRST_DATE.year}–{LAST_DATE.year})",
            "write the full date with its year, such as 2026-03-01",
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
        raise CellError(f"{shown(value)} is not a date", _DATE_FIX)
    if isinstance(value, (int, float)):
        if not 1 <= value <= MAX_SERIAL:
            raise CellError(f"{shown(value)} is not a date", _DATE_FIX)
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
                    reason = f"{year}-{month:02d} has {last} days"
                else:
                    reason = "there is no month " + str(month)
                raise CellError(f'"{text}" is not a real date ({reason})', "correct the day or month") from None
    raise CellError(f'"{text}" is not a date', "write it as 2026-03-01 (or 2026/3/1, 2026年3月1日)")


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


def to_days(value: CellValue, *, what: str = "working days") -> int | None:
    """A whole number of working days from 0 to MAX_DAYS."""
    if is_blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise CellError(f"{shown(value)} is not a number of {what}", "write a whole number such as 3")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise CellError(f'"{text}" is not a number of {what}', "write a whole number such as 3") from None
    if not number.is_integer():
        raise CellError(f"{shown(value)} is not a whole number of {what}", "round it to a whole number such as 3")
    if number < 0:
        raise CellError(f"{shown(value)} is negative", "write 0 or a positive whole number")
    if number > MAX_DAYS:
        raise CellError(f"{shown(value)} is more {what} than a plan can hold", f"write a whole number up to {MAX_DAYS}")
    return int(number)


def to_int(value: CellValue, *, what: str = "number") -> int | None:
    return to_days(value, what=what)


def to_choice(value: CellValue, choices: dict[str, str]) -> str | None:
    """The canonical word of a vocabulary, from either language's label."""
    if is_blank(value):
        return None
    canon = canonical_choice(value, choices)
    if canon is None:
        allowed = ", ".join(choices)
        raise CellError(f'"{shown(value)}" is not one of {allowed}', "pick one from the dropdown")
    return canon


def to_ids(value: CellValue) -> list[str]:
    """A comma-separated list of task IDs."""
    if is_blank(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    parts = [p.strip() for p in re.split(r"[,，;；、\s]+", str(value)) if p.strip()]
    for part in parts:
        check_id(part)
    return parts


def check_id(text: str) -> str:
    if text.startswith("="):
        raise CellError(f'"{text}" begins with "=" and is not an ID', "write the plain ID, such as T3")
    if not ID_PATTERN.match(text):
        raise CellError(
            f'"{text}" is not a valid ID',
            "use letters, digits, '-', '_' or '.', such as T3 (separate several by commas)",
        )
    return text


def to_id(value: CellValue) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return check_id(str(value).strip())
