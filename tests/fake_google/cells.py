"""Cell values: what a person or a RAW/USER_ENTERED write stores, and how reads render it.

A stored cell is a dict of the writable CellData fields (``userEnteredValue``,
``userEnteredFormat``, ``note``, ``dataValidation``, ``hyperlink``,
``textFormatRuns``); ``effectiveValue``, ``effectiveFormat`` and ``formattedValue``
are derived when the cell is read, as Google derives them.

Formulas are stored, not evaluated: a formula cell has no ``effectiveValue`` and an
empty ``formattedValue`` unless a test seeds its result with
``FakeGoogle.set_formula_result`` (kept under the private key ``_result``). Seeded on a cell
with nothing typed, it is a value an array formula elsewhere spilled there: Google reports
such a cell with an ``effectiveValue`` and no ``userEnteredValue``.

Dates are serial numbers counted from Google's epoch, 1899-12-30 (so 2026-03-02 is
46083), shown through the cell's ``numberFormat``; a DATE with no pattern renders as
``yyyy-mm-dd``.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)
WRITABLE = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "hyperlink", "textFormatRuns")
DERIVED = ("effectiveValue", "effectiveFormat", "formattedValue")
DATE_TYPES = ("DATE", "TIME", "DATE_TIME")
DEFAULT_PATTERNS = {"DATE": "yyyy-mm-dd", "TIME": "hh:mm:ss", "DATE_TIME": "yyyy-mm-dd hh:mm:ss"}

# The defaultFormat Google reports for a new en_US spreadsheet (ClientTest.test_create cassette).
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def serial(day: dt.date | dt.datetime) -> float | int:
    """A date or datetime as a Sheets serial number (days since 1899-12-30)."""
    moment = day if isinstance(day, dt.datetime) else dt.datetime(day.year, day.month, day.day)
    days = (moment - EPOCH).total_seconds() / 86400
    return int(days) if days.is_integer() else days


def from_serial(number: float) -> dt.datetime:
    return EPOCH + dt.timedelta(days=number)


def json_number(value: float | int) -> float | int:
    """Google writes whole doubles without a fraction (``3``, not ``3.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# -- writes ---------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_PERCENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)%$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def entered(value: Any, option: str) -> dict[str, Any]:
    """The stored cell for one value of a values.update/append body.

    RAW stores strings as strings. USER_ENTERED parses as if typed: ``=`` starts a
    formula, numbers, ``TRUE``/``FALSE``, ``50%``, ``2026-03-10`` (a DATE cell with
    pattern ``yyyy-mm-dd``) and ``3/10/2026`` (pattern ``M/d/yyyy``); a leading ``'``
    forces text. ``""`` leaves an empty cell.
    """
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    if value is None or value == "":
        return {}
    if isinstance(value, (list, dict)):
        return {"userEnteredValue": {"stringValue": str(value)}}
    text = str(value)
    if option == "RAW":
        return {"userEnteredValue": {"stringValue": text}}
    if text.startswith("'"):
        return {"userEnteredValue": {"stringValue": text[1:]}}
    if text.startswith("=") and len(text) > 1:
        return {"userEnteredValue": {"formulaValue": text}}
    if text.upper() in ("TRUE", "FALSE"):
        return {"userEnteredValue": {"boolValue": text.upper() == "TRUE"}}
    if _NUMBER.match(text.strip()):
        return {"userEnteredValue": {"numberValue": json_number(float(text))}}
    if _PERCENT.match(text.strip()):
        number = float(text.strip()[:-1]) / 100
        return {
            "userEnteredValue": {"numberValue": json_number(number)},
            "userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0%"}},
        }
    iso = _ISO_DATE.match(text.strip())
    us = _US_DATE.match(text.strip())
    try:
        if iso:
            year, month, day, hour, minute, second = iso.groups()
            moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
            kind, pattern = ("DATE_TIME", "yyyy-mm-dd hh:mm:ss") if hour else ("DATE", "yyyy-mm-dd")
            return {
                "userEnteredValue": {"numberValue": serial(moment)},
                "userEnteredFormat": {"numberFormat": {"type": kind, "pattern": pattern}},
            }
        if us:
            month, day, year = (int(part) for part in us.groups())
            return {
                "userEnteredValue": {"numberValue": serial(dt.date(year, month, day))},
                "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "M/d/yyyy"}},
            }
    except ValueError:
        pass  # 2026-02-30 is text, as in the Sheets UI
    return {"userEnteredValue": {"stringValue": text}}


# -- reads ----------------------------------------------------------------------------------------


def effective_value(cell: dict[str, Any]) -> dict[str, Any] | None:
    return copy.deepcopy(_effective(cell))


def _effective(cell: dict[str, Any]) -> dict[str, Any] | None:
    """The cell's effectiveValue, shared with the stored cell (callers must not change it)."""
    entered_value = cell.get("userEnteredValue")
    if not entered_value:  # nothing typed: what an array formula spilled here, if anything
        return cell.get("_result")
    if "formulaValue" in entered_value:
        return cell.get("_result")
    return entered_value


def number_format(cell: dict[str, Any]) -> dict[str, Any] | None:
    return (cell.get("userEnteredFormat") or {}).get("numberFormat")


def formatted_value(cell: dict[str, Any]) -> str | None:
    """The text Google shows for a cell (its ``formattedValue``)."""
    return _formatted(cell, _effective(cell))


def _formatted(cell: dict[str, Any], value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    if "stringValue" in value:
        return value["stringValue"]
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "errorValue" in value:
        return {"DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!", "REF": "#REF!", "NAME": "#NAME?", "N_A": "#N/A"}.get(
            value["errorValue"].get("type", ""), "#ERROR!"
        )
    return render_number(float(value.get("numberValue", 0)), number_format(cell))


def render_number(number: float, fmt: dict[str, Any] | None) -> str:
    kind = (fmt or {}).get("type", "NUMBER_FORMAT_TYPE_UNSPECIFIED")
    pattern = (fmt or {}).get("pattern", "")
    if kind in DATE_TYPES:
        return render_date(from_serial(number), pattern or DEFAULT_PATTERNS[kind])
    if kind == "PERCENT":
        decimals = _decimals(pattern or "0%")
        return f"{number * 100:.{decimals}f}%"
    if kind in ("NUMBER", "CURRENCY", "SCIENTIFIC") and pattern:
        decimals = _decimals(pattern)
        text = f"{number:,.{decimals}f}" if "," in pattern else f"{number:.{decimals}f}"
        return ("$" + text) if kind == "CURRENCY" and "$" in pattern else text
    if kind == "TEXT":
        return general(number)
    return general(number)


def general(number: float) -> str:
    """Google's automatic number format: ``3``, ``2.5``, ``0.3333333333``."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.10g}"


def _decimals(pattern: str) -> int:
    match = re.search(r"\.([0#]+)", pattern)
    return len(match.group(1)) if match else 0


_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|\"[^\"]*\"|.", re.IGNORECASE)


def render_date(moment: dt.datetime, pattern: str) -> str:
    """Render a Sheets date pattern (``yyyy-mm-dd``, ``M/d/yyyy``, ``dd mmm yyyy``, ``hh:mm``)."""
    tokens = _DATE_TOKEN.findall(pattern)
    out = []
    for i, token in enumerate(tokens):
        low = token.lower()
        after_hour = any(t.lower() in ("h", "hh") for t in tokens[max(0, i - 2) : i])
        before_second = any(t.lower() in ("s", "ss") for t in tokens[i + 1 : i + 3])
        if low == "yyyy":
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low == "mmmm":
            out.append(moment.strftime("%B"))
        elif low == "mmm":
            out.append(moment.strftime("%b"))
        elif low in ("mm", "m"):
            number = moment.minute if (after_hour or before_second) else moment.month
            out.append(f"{number:02d}" if low == "mm" else str(number))
        elif low == "dddd":
            out.append(moment.strftime("%A"))
        elif low == "ddd":
            out.append(moment.strftime("%a"))
        elif low == "dd":
            out.append(f"{moment.day:02d}")
        elif low == "d":
            out.append(str(moment.day))
        elif low == "hh":
            out.append(f"{moment.hour:02d}")
        elif low == "h":
            out.append(str(moment.hour))
        elif low == "ss":
            out.append(f"{moment.second:02d}")
        elif low == "s":
            out.append(str(moment.second))
        elif token.startswith('"'):
            out.append(token[1:-1])
        else:
            out.append(token)
    return "".join(out)


def render_for_values(cell: dict[str, Any], value_render: str, date_render: str) -> Any:
    """One cell as values.get returns it; ``""`` for an empty cell."""
    if value_render == "FORMULA":
        entered_value = cell.get("userEnteredValue") or {}
        if "formulaValue" in entered_value:
            return entered_value["formulaValue"]
        value = _effective(cell)
    elif value_render == "UNFORMATTED_VALUE":
        value = _effective(cell)
    else:
        return formatted_value(cell) or ""
    if value is None:
        return ""
    if "numberValue" in value:
        fmt = number_format(cell) or {}
        if fmt.get("type") in DATE_TYPES and date_render == "FORMATTED_STRING":
            return formatted_value(cell) or ""
        return json_number(value["numberValue"])
    if "boolValue" in value:
        return value["boolValue"]
    if "errorValue" in value:
        return formatted_value(cell) or ""
    return value.get("stringValue", "")


def cell_data(cell: dict[str, Any], default_format: dict[str, Any]) -> dict[str, Any]:
    """The full CellData Google returns for a stored cell (writable plus derived fields)."""
    return copy.deepcopy(shared_cell_data(cell, default_format))


SHOWN = frozenset(("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "hyperlink", "textFormatRuns",
                   "_result"))  # _result alone: a value an array formula spilled here


def shows_anything(cell: dict[str, Any]) -> bool:
    """False when ``cell_data`` of the cell is ``{}`` (no value, format, note, rule or link)."""
    return not SHOWN.isdisjoint(cell)


def clone(value: Any) -> Any:
    """``copy.deepcopy`` for JSON-shaped data (dicts, lists, scalars), several times faster."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _ATOMS else clone(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _ATOMS else clone(item) for item in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)


_ATOMS = frozenset((str, int, float, bool, type(None)))


def shared_cell_data(cell: dict[str, Any], default_format: dict[str, Any]) -> dict[str, Any]:
    """``cell_data`` without the copies: parts are the stored cell's own (read it, never change it)."""
    out: dict[str, Any] = {}
    if "userEnteredValue" in cell:
        out["userEnteredValue"] = _numbers(cell["userEnteredValue"])
    value = _effective(cell)
    if value is not None:
        out["effectiveValue"] = _numbers(value)
    text = _formatted(cell, value)
    if text is not None:
        out["formattedValue"] = text
    if "userEnteredFormat" in cell:
        out["userEnteredFormat"] = cell["userEnteredFormat"]
    if out:
        overlay = cell.get("userEnteredFormat")
        out["effectiveFormat"] = merge(copy.deepcopy(default_format), overlay) if overlay else default_format
    for name in ("note", "dataValidation", "hyperlink", "textFormatRuns"):
        if name in cell:
            out[name] = cell[name]
    return out


def _numbers(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` with a whole numberValue written without a fraction (a new dict only if that changes it)."""
    if "numberValue" in value:
        number = json_number(value["numberValue"])
        if number is not value["numberValue"]:
            return {**value, "numberValue": number}
    return value


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = clone(value)
    return base


def set_path(target: dict[str, Any], path: str, source: dict[str, Any]) -> None:
    """Copy ``source``'s value at dotted ``path`` into ``target``, or clear it if absent there."""
    names = path.split(".")
    found: Any = source
    for name in names:
        found = found.get(name) if isinstance(found, dict) else None
        if found is None:
            break
    if found is None:
        clear_path(target, names)
        return
    node = target
    for name in names[:-1]:
        if not isinstance(node.get(name), dict):
            node[name] = {}
        node = node[name]
    node[names[-1]] = clone(found)


def clear_path(target: dict[str, Any], names: list[str]) -> None:
    if len(names) == 1:
        target.pop(names[0], None)
        return
    child = target.get(names[0])
    if isinstance(child, dict):
        clear_path(child, names[1:])
        if not child:
            target.pop(names[0])
