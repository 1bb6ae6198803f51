"""Cell values between sheetsync and the Sheets API: ExtendedValue and CellData, date serials, fingerprints.

What a cell holds or shows comes back from ``spreadsheets.get`` as an
ExtendedValue with its number format; sheetsync writes plain values as
CellData (dates with a date format). The guard read compares fingerprints:
what a cell holds in a form both reads agree on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from ...raw import CellValue, whole_number
from ...serials import EPOCH_1900, MAX_SERIAL

# Sheets' day 0 is Excel's 1900-system epoch, but Sheets has no 29 Feb 1900 and
# counts back before 1900 (negative serials), so its conversion is its own.
EPOCH = EPOCH_1900
DATE_FORMAT = {"type": "DATE", "pattern": "yyyy-mm-dd"}
DATE_TIME_FORMAT = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
DATE_TYPES = frozenset({"DATE", "DATE_TIME", "TIME"})
ERROR_TEXT = {
    "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!", "REF": "#REF!",
    "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A", "LOADING": "Loading...", "ERROR": "#ERROR!",
}



def to_serial(value: dt.date) -> int | float:
    """A date (whole number) or datetime (with a fraction) as a Sheets serial number."""
    moment = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    delta = moment - EPOCH
    if delta.seconds == 0 and delta.microseconds == 0:
        return delta.days
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400


def from_serial(serial: float) -> dt.date | dt.datetime | None:
    """A serial shown as a date: a date when it has no time part, else a datetime; None when out of range."""
    if not math.isfinite(serial) or not -693_593 <= serial <= MAX_SERIAL:  # 0001-01-01 .. 9999-12-31
        return None
    days = math.floor(serial)
    millis = round((serial - days) * 86_400_000)
    moment = EPOCH + dt.timedelta(days=days, milliseconds=millis)
    return moment.date() if millis % 86_400_000 == 0 else moment


def extended_value(raw: Mapping[str, Any] | None, as_date: bool) -> CellValue:
    """An ExtendedValue (what a cell holds or shows) as a sheetsync cell value."""
    if not raw:
        return None
    if "stringValue" in raw:
        text = raw["stringValue"]
        return text if text != "" else None
    if "boolValue" in raw:
        return bool(raw["boolValue"])
    if "numberValue" in raw:
        number = float(raw["numberValue"])
        if as_date:
            moment = from_serial(number)
            if moment is not None:
                return moment
        return whole_number(float(number))
    if "errorValue" in raw:
        error = raw["errorValue"] or {}
        return ERROR_TEXT.get(str(error.get("type", "ERROR")), "#ERROR!")
    if "formulaValue" in raw:  # only in userEnteredValue
        return raw["formulaValue"]
    return None


def number_format_type(cell: Mapping[str, Any]) -> str:
    for key in ("effectiveFormat", "userEnteredFormat"):
        kind = ((cell.get(key) or {}).get("numberFormat") or {}).get("type")
        if kind:
            return str(kind)
    return ""


def value_fingerprint(value: Any) -> str | float | bool | None:
    """What a cell holds, in a form the first read and the guard read agree on (formulas as text)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def entered_fingerprint(cell: Mapping[str, Any]) -> str | float | bool | None:
    entered = cell.get("userEnteredValue")
    if entered is None:  # a value spilled by an array formula: the guard sees what it shows
        entered = cell.get("effectiveValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return str(entered["formulaValue"])
    if "errorValue" in entered:
        return ERROR_TEXT.get(str((entered["errorValue"] or {}).get("type")), "#ERROR!")
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in entered:
            return value_fingerprint(entered[key])
    return None


def cell_data(value: CellValue, *, date_format: bool = True) -> dict[str, Any]:
    """The CellData that writes ``value`` as a plain value (never a formula); dates with their date format."""
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, dt.date):
        data: dict[str, Any] = {"userEnteredValue": {"numberValue": to_serial(value)}}
        if date_format:
            number_format = DATE_TIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
            data["userEnteredFormat"] = {"numberFormat": dict(number_format)}
        return data
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}
