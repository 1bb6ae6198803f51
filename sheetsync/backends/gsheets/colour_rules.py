"""Flag colour rules on Google: each fixed conditional-format rule replaced in place, new ones added after.

The rules are read with the sheet (backend.py keeps them, as read, per tab) and
replaced in the same batchUpdate that prepares the values write.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from ...flag_colours import ColourFix

OPEN = 10**7  # an open end of a conditional format's range (Google's grids stop at 10 million cells)


class RuledSheet(Protocol):
    """What a tab's state offers here: its id and its conditional formats as read."""

    sheet_id: int
    rules: list[dict[str, Any]]


def recolour_requests(fixes: Sequence[ColourFix], states: Mapping[str, RuledSheet]) -> list[dict[str, Any]]:
    """Each fixed rule deleted and added back at its place with the new formula, ranges and colours kept."""
    requests: list[dict[str, Any]] = []
    for fix in sorted(fixes, key=lambda f: f.key is None):  # replaced in place first, then added after them
        state = states[fix.sheet]
        if fix.key is None and fix.colours is not None:
            requests.append({"addConditionalFormatRule": {"rule": _new_rule(state, fix), "index": len(state.rules)}})
            continue
        index = int(fix.key)  # type: ignore[call-overload]
        rule = copy.deepcopy(state.rules[index])
        rule["booleanRule"]["condition"]["values"] = [{"userEnteredValue": fix.formula}]
        requests += [
            {"deleteConditionalFormatRule": {"sheetId": state.sheet_id, "index": index}},
            {"addConditionalFormatRule": {"rule": rule, "index": index}},
        ]
    return requests


def _new_rule(state: RuledSheet, fix: ColourFix) -> dict[str, Any]:
    """A flag's colour rule for Google, as the template makes it (0-based, end-exclusive grid ranges)."""
    assert fix.colours is not None
    fill, font = fix.colours
    grids = []
    for r1, c1, r2, c2 in fix.ranges:
        grid = {"sheetId": state.sheet_id, "startRowIndex": r1 - 1, "startColumnIndex": c1 - 1}
        grid |= {"endRowIndex": r2} if r2 < OPEN else {}
        grid |= {"endColumnIndex": c2} if c2 < OPEN else {}
        grids.append(grid)
    return {
        "ranges": grids,
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": fix.formula}]},
            "format": {"backgroundColor": _rgb(fill), "textFormat": {"foregroundColor": _rgb(font)}},
        },
    }


def _rgb(hex_rgb: str) -> dict[str, float]:
    red, green, blue = (int(hex_rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}
