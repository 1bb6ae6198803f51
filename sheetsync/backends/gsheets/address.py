"""A Google Sheet's address: the spreadsheet ID in whatever a browser shows, and the URL people open.

Pure text, no Google library: the browser's multi-account paths (``/spreadsheets/u/1/d/KEY``),
Drive's ``open?id=KEY`` and ``file/d/KEY/view`` links, ``?usp=sharing`` and ``#gid=`` tails all
name the same file.
"""

from __future__ import annotations

import re

__all__ = ["sheet_url", "spreadsheet_key"]

_KEY = r"[A-Za-z0-9_-]{20,}"
_ACCOUNT = r"(?:u/\d+/)?"  # the browser's multi-account path: /spreadsheets/u/1/d/KEY
_TAIL = r"(?:[/?#].*)?"
_ADDRESSES = (  # every address a browser shows for a sheet, with or without https://
    re.compile(rf"^(?:https?://)?docs\.google\.com/spreadsheets/{_ACCOUNT}d/({_KEY}){_TAIL}$"),
    re.compile(rf"^(?:https?://)?drive\.google\.com/{_ACCOUNT}file/d/({_KEY}){_TAIL}$"),
    re.compile(rf"^(?:https?://)?drive\.google\.com/{_ACCOUNT}open\?(?:.*&)?id=({_KEY})(?:[&#].*)?$"),
    re.compile(rf"^gsheet:({_KEY})$"),
)


def spreadsheet_key(target: str) -> str | None:
    """The spreadsheet ID in a sheet or Drive URL or ``gsheet:KEY``; None when TARGET is not a Google Sheet."""
    text = target.strip()
    for address in _ADDRESSES:
        match = address.match(text)
        if match:
            return match.group(1)
    return None


def sheet_url(key: str) -> str:
    """The address people open the sheet at."""
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"
