"""Spreadsheet date serials, in both of Excel's date systems: the one place their epochs are defined.

A serial is a count of days (a fraction for the time of day) since an epoch:
1899-12-30 in the 1900 system (Windows Excel's default), 1904-01-01 in the 1904
system (old Mac workbooks; workbookPr date1904="1"). The 1900 system keeps
Lotus 1-2-3's 29 February 1900, a day that never was, so serials 1 to 59 are
one day off what the epoch alone says; to_excel_serial and from_excel_serial
keep that day as Excel does.

The xlsx backend reads and writes serials with these; parse.cells counts a bare
number in a date column from the same 1899-12-30 epoch; Google Sheets' serials
(backends/gsheets) count from it too, though without the 1900 leap-year bug.
A RawWorkbook says which of these systems its dates came from (DATE_SYSTEMS), so
parse.cells can give back the number a person typed into a date-formatted cell.
Pure and outside backends/, like a1.py: parsing must not load a backend.
"""

from __future__ import annotations

import datetime as dt
import math

EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)
_MICROS_PER_DAY = 86_400_000_000
_MILLIS_PER_DAY = 86_400_000
MAX_SERIAL = 2_958_465  # 9999-12-31
# How a book's backend turned serials into dates: Excel's 1900 system (with its 29 Feb 1900),
# Excel's 1904 system, or Google Sheets (the 1900 epoch without the phantom day).
EXCEL_1900, EXCEL_1904, SHEETS = "excel1900", "excel1904", "sheets"
DATE_SYSTEMS = (EXCEL_1900, EXCEL_1904, SHEETS)


def from_excel_serial(serial: float, date1904: bool) -> dt.date | dt.datetime | None:
    """A date serial as Excel shows it: a date when it has no time part, else a datetime; None if out of range."""
    if not math.isfinite(serial) or serial < 0 or serial > MAX_SERIAL:
        return None
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if not date1904 and 1 <= serial < 60:
        # Lotus 1-2-3 compatibility: Excel counts a 29 Feb 1900 that never was,
        # so serials before it are one day later than the 1899-12-30 epoch says.
        epoch += dt.timedelta(days=1)
    days = math.floor(serial)
    # A double holds a serial to about a microsecond; Excel itself keeps milliseconds.
    millis = round((serial - days) * _MILLIS_PER_DAY)
    moment = epoch + dt.timedelta(days=days, milliseconds=millis)
    if millis % _MILLIS_PER_DAY == 0:
        return moment.date()
    return moment


def to_excel_serial(value: dt.date, date1904: bool) -> int | float:
    """A date (whole number) or datetime (with a fraction) as the serial Excel stores."""
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
    else:
        moment = dt.datetime(value.year, value.month, value.day)
    delta = moment - epoch
    days = delta.days
    if not date1904 and moment < dt.datetime(1900, 3, 1):
        days -= 1  # the same Lotus 1-2-3 leap-year bug, the other way round
    if delta.seconds == 0 and delta.microseconds == 0:
        return days
    return days + (delta.seconds * 1_000_000 + delta.microseconds) / _MICROS_PER_DAY


def serial_of(value: dt.date, system: str = EXCEL_1900) -> int | float:
    """The number stored behind a date the backend handed over, in the book's date system."""
    if system == EXCEL_1904:
        return to_excel_serial(value, True)
    if system == SHEETS:
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        delta = moment.replace(tzinfo=None) - EPOCH_1900
        return delta.days + (delta.seconds * 1_000_000 + delta.microseconds) / _MICROS_PER_DAY
    serial = to_excel_serial(value, False)
    return serial + 1 if serial < 0 else serial  # serial 0 (Excel's 1900-01-00) is read as the epoch itself
