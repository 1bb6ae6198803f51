"""Lay out a Google Sheet that already exists — a person's empty or partly filled sheet — as the campaign template.

For a service account without Drive storage of its own (it cannot create
sheets), or a team that wants the sheet in its own Drive: ONE
``spreadsheets.get`` (the tabs and whether each holds anything), ONE
``batchUpdate``, then one Drive permission per ``--share`` address.

Which tabs change:

- a contract tab that is missing is added after the others and laid out as in a new sheet;
- a contract tab that exists but is blank is laid out in place, under its own name;
- the sheet's only tab, blank and not a contract tab (Google's "Sheet1"), becomes the
  first missing contract tab, so an empty sheet ends up like a new one;
- a contract tab that already holds anything is left exactly as it is and reported:
  its columns may stand in the person's own order (sync finds them by header), and
  validations, formats or headers laid over them would land in the wrong columns;
- every other tab is the person's and is not touched.

``demo`` needs every contract tab blank: demo rows beside someone's data would mix two campaigns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..backends.gsheets.client import CallContext, GoogleClient, google_errors, sheet_url, spreadsheet_key
from ..contract import SHEETS
from ..errors import TargetError, UsageError
from ..i18n import _
from .gsheets import campaign_requests, grid_properties
from .gsheets_share import share_addresses, share_sheet
from .layout import campaign_content, check_language

__all__ = ["LaidOut", "lay_out_sheet"]

READ_FIELDS = (
    "spreadsheetId,properties/title,sheets(properties(sheetId,title,index,sheetType,"
    "gridProperties(rowCount,columnCount)),data/rowData/values/userEnteredValue)"
)
_GRID_FIELDS = "gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount"


@dataclass(frozen=True)
class LaidOut:
    """What laying out an existing sheet did: its ID and URL, the tabs laid out, the contract tabs left as they were."""

    key: str
    url: str
    added: tuple[str, ...]  # tab titles, as they are now in the sheet
    kept: tuple[str, ...]


@dataclass
class _Tab:
    sheet_id: int
    title: str
    rows: int
    columns: int
    blank: bool


def lay_out_sheet(
    client: GoogleClient,
    target: str,
    *,
    share: Sequence[str] = (),
    lang: str = "en",
    demo: bool = False,
    launch: date | None = None,
    today: date | None = None,
    calendar: str | None = None,
) -> LaidOut:
    """Give the existing sheet at TARGET (URL or gsheet:KEY) every contract tab it lacks, leaving the rest alone."""
    check_language(lang)
    addresses = share_addresses(share)
    key = spreadsheet_key(target)
    if key is None:
        raise TargetError(
            _(
                "{target}: not a Google Sheet address; give https://docs.google.com/spreadsheets/d/KEY/... "
                "or gsheet:KEY.",
                target=target,
            )
        )
    url = sheet_url(key)
    context = CallContext(target, key, client.account_email, client.key_file, "open")
    with google_errors(context):
        response = client.http_client.spreadsheets_get(key, params={"includeGridData": "true", "fields": READ_FIELDS})
    tabs = _tabs(response)
    present: dict[str, _Tab] = {}
    for tab in tabs:
        for spec in SHEETS:
            if spec.matches(tab.title):
                present.setdefault(spec.name, tab)
    kept = [spec for spec in SHEETS if spec.name in present and not present[spec.name].blank]
    if demo and kept:
        raise UsageError(
            _(
                "{target}: --demo needs a sheet without campaign data, and its {tab} tab already has some; "
                "lay it out without --demo, or use an empty sheet.",
                target=target, tab=present[kept[0].name].title,
            )
        )
    spare = tabs[0] if len(tabs) == 1 and tabs[0].blank and not present else None
    next_id = max((tab.sheet_id for tab in tabs), default=0) + 1
    requests: list[dict[str, Any]] = []
    sheet_ids: dict[str, int] = {}
    added: list[str] = []
    for spec in SHEETS:
        if spec in kept:
            continue
        tab = present.get(spec.name) or spare
        if tab is None:
            properties = {"sheetId": next_id, "title": spec.label(lang), "gridProperties": grid_properties(spec)}
            requests.append({"addSheet": {"properties": properties}})
            sheet_ids[spec.name], next_id = next_id, next_id + 1
            added.append(spec.label(lang))
            continue
        fields = _GRID_FIELDS + (",gridProperties.frozenColumnCount" if "frozenColumnCount" in grid_properties(spec)
                                 else "")
        properties = {"sheetId": tab.sheet_id, "gridProperties": grid_properties(spec, tab.rows, tab.columns)}
        title = tab.title
        if tab is spare:
            title = properties["title"] = spec.label(lang)
            fields += ",title"
            spare = None
        requests.append({"updateSheetProperties": {"properties": properties, "fields": fields}})
        sheet_ids[spec.name] = tab.sheet_id
        added.append(title)
    if sheet_ids:
        settings, rows, people = campaign_content(lang, demo, launch, today, calendar)
        requests += campaign_requests(sheet_ids, lang, {**settings, "Sheet link": url}, rows, people)
        context.doing = "edit"
        with google_errors(context):
            client.http_client.batch_update(key, {"requests": requests})
    share_sheet(client, key, addresses, created=False)
    return LaidOut(key, url, tuple(added), tuple(present[spec.name].title for spec in kept))


def _tabs(response: dict[str, Any]) -> list[_Tab]:
    """The grid tabs in tab order, each with whether any of its cells holds anything."""
    tabs = []
    for sheet in sorted(response.get("sheets") or [], key=lambda s: (s.get("properties") or {}).get("index", 0)):
        props = sheet.get("properties") or {}
        if props.get("sheetType", "GRID") != "GRID":
            continue
        grid = props.get("gridProperties") or {}
        blank = not any(
            cell.get("userEnteredValue")
            for block in sheet.get("data") or []
            for row in block.get("rowData") or []
            for cell in (row or {}).get("values") or []
            if cell
        )
        tabs.append(_Tab(int(props.get("sheetId", 0)), str(props.get("title", "")),
                         int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0)), blank))
    return tabs
