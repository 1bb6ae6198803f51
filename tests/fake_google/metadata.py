"""Developer metadata, and the values methods that find their ranges through it (DataFilters).

As Google documents them (Sheets API reference: DeveloperMetadata, DataFilter,
spreadsheets.values.batchUpdateByDataFilter / batchGetByDataFilter):

- Metadata sits on the spreadsheet, a sheet, or a dimensionRange of rows or
  columns, and "will remain associated at those locations as they move around":
  rows inserted above a row's metadata move it down with the row; deleting the
  row deletes its metadata (``Sheet.insert`` / ``Sheet.delete`` in state.py).
- What a sort does to row metadata Google does not document (a sort moves cell
  contents, not rows). The fake takes the harder reading: the metadata stays on
  its row position while the cells move (``Sheet.sort_rows``).
- A DataFilter selects an A1 range, a GridRange, or the ranges of the metadata a
  DeveloperMetadataLookup matches (a row's metadata: the whole row).
- ``batchUpdateByDataFilter`` writes each DataFilterValueRange's values from the
  top-left of every range its filter matches; null cells are skipped; values that
  exceed a matched range fail the request; ``updatedData`` (with
  ``includeValuesInResponse``) holds the whole matched range after the write.
  A filter that matches nothing writes nothing and has no response (undocumented;
  the fake's choice).
"""

from __future__ import annotations

from typing import Any

from . import cells, values
from .batch import handles
from .ranges import Box
from .schema import ApiError
from .state import Sheet, Spreadsheet

LOCATION_TYPES = {"ROWS": "ROW", "COLUMNS": "COLUMN"}


def every_metadata(book: Spreadsheet) -> list[tuple[Sheet | None, dict[str, Any]]]:
    """Every metadata entry of the book, with the sheet it lives on (None: the spreadsheet itself)."""
    found: list[tuple[Sheet | None, dict[str, Any]]] = [(None, m) for m in book.developer_metadata]
    for sheet in book.sheets:
        found.extend((sheet, m) for m in sheet.developer_metadata)
    return found


def metadata_box(book: Spreadsheet, sheet: Sheet | None, metadata: dict[str, Any]) -> Box | None:
    """The cells a metadata entry stands for: its rows or columns, its whole sheet; None for the spreadsheet."""
    if sheet is None:
        return None
    dimension_range = (metadata.get("location") or {}).get("dimensionRange")
    if not dimension_range:
        return sheet.whole()
    start, end = dimension_range.get("startIndex", 0), dimension_range.get("endIndex", 0)
    if dimension_range.get("dimension") == "ROWS":
        return Box(sheet.sheet_id, sheet.title, start, end, 0, sheet.column_count)
    return Box(sheet.sheet_id, sheet.title, 0, sheet.row_count, start, end)


def _lookup_matches(lookup: dict[str, Any], metadata: dict[str, Any]) -> bool:
    for field in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if field in lookup and lookup[field] != metadata.get(field):
            return False
    wanted_type = lookup.get("locationType")
    if wanted_type and wanted_type != (metadata.get("location") or {}).get("locationType"):
        return False
    wanted_location = lookup.get("metadataLocation")
    if wanted_location:
        location = {k: v for k, v in (metadata.get("location") or {}).items() if k != "locationType"}
        if {k: v for k, v in wanted_location.items() if k != "locationType"} != location:
            return False  # EXACT matching only: a limit of the fake
    return True


def matched_metadata(book: Spreadsheet, lookup: dict[str, Any]) -> list[tuple[Sheet | None, dict[str, Any]]]:
    if not any(lookup.get(k) not in (None, "") for k in lookup):
        raise ApiError(400, "A developer metadata lookup must specify at least one criterion.")
    return [(sheet, m) for sheet, m in every_metadata(book) if _lookup_matches(lookup, m)]


def matched_boxes(
    book: Spreadsheet, data_filter: dict[str, Any], by_id: dict[int, tuple[Sheet | None, dict[str, Any]]] | None = None
) -> list[Box]:
    """The ranges a DataFilter selects, in the sheet's current layout."""
    set_kinds = [k for k in ("a1Range", "gridRange", "developerMetadataLookup") if data_filter.get(k) is not None]
    if len(set_kinds) != 1:
        raise ApiError(400, "A data filter must specify exactly one of a1Range, gridRange or developerMetadataLookup.")
    if "a1Range" in set_kinds:
        return [book.box(data_filter["a1Range"])[1]]
    if "gridRange" in set_kinds:
        return [book.grid_box(data_filter["gridRange"])[1]]
    lookup = data_filter["developerMetadataLookup"]
    if by_id is not None and set(lookup) == {"metadataId"}:  # the common lookup, without a scan of every entry
        found = [by_id[lookup["metadataId"]]] if lookup["metadataId"] in by_id else []
    else:
        found = matched_metadata(book, lookup)
    boxes = [metadata_box(book, sheet, m) for sheet, m in found]
    return [box for box in boxes if box is not None]


# -- batchUpdate requests ---------------------------------------------------------------------------


@handles("createDeveloperMetadata")
def create_developer_metadata(book: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
    metadata = cells.clone(request.get("developerMetadata") or {})
    if not metadata.get("metadataKey"):
        raise ApiError(400, "Developer metadata must specify a key.")
    if metadata.get("visibility") in (None, "DEVELOPER_METADATA_VISIBILITY_UNSPECIFIED"):
        raise ApiError(400, "Developer metadata must specify a visibility.")
    if "metadataId" in metadata:
        if metadata["metadataId"] <= 0:
            raise ApiError(400, "Developer metadata IDs must be positive.")
        if any(m.get("metadataId") == metadata["metadataId"] for _s, m in every_metadata(book)):
            raise ApiError(400, f"Developer metadata with ID {metadata['metadataId']} already exists.")
    else:
        metadata["metadataId"] = book.fresh_id()
    location = metadata.get("location") or {}
    dimension_range = location.get("dimensionRange")
    if dimension_range:
        sheet = book.sheet_by_id(dimension_range.get("sheetId", 0))
        dimension = dimension_range.get("dimension")
        if dimension not in LOCATION_TYPES:
            raise ApiError(400, "dimension must be ROWS or COLUMNS.")
        count = sheet.row_count if dimension == "ROWS" else sheet.column_count
        start, end = dimension_range.get("startIndex", 0), dimension_range.get("endIndex", count)
        if not 0 <= start < end <= count:
            raise ApiError(400, f"Invalid dimension range: startIndex {start}, endIndex {end}.")
        metadata["location"] = {"locationType": LOCATION_TYPES[dimension],
                                "dimensionRange": {"sheetId": sheet.sheet_id, "dimension": dimension,
                                                   "startIndex": start, "endIndex": end}}
        sheet.developer_metadata.append(metadata)
    elif "sheetId" in location:
        sheet = book.sheet_by_id(location["sheetId"])
        metadata["location"] = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
        sheet.developer_metadata.append(metadata)
    else:
        metadata["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
        book.developer_metadata.append(metadata)
    return {"createDeveloperMetadata": {"developerMetadata": cells.clone(metadata)}}


@handles("deleteDeveloperMetadata")
def delete_developer_metadata(book: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
    lookup = (request.get("dataFilter") or {}).get("developerMetadataLookup")
    if not lookup:
        raise ApiError(400, "Only developer metadata lookups may select metadata to delete.")
    doomed = matched_metadata(book, lookup)
    for sheet, metadata in doomed:
        owner = sheet.developer_metadata if sheet is not None else book.developer_metadata
        owner.remove(metadata)
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": [cells.clone(m) for _s, m in doomed]}}


# -- spreadsheets.values.*ByDataFilter --------------------------------------------------------------


def batch_update_by_data_filter(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = values.input_option(body.get("valueInputOption"))
    by_id = {m["metadataId"]: (sheet, m) for sheet, m in every_metadata(book)}
    responses = []
    sheets_touched: set[int] = set()
    for entry in body.get("data") or []:
        data_filter = entry.get("dataFilter") or {}
        rows = values.as_rows(entry)
        height, width = len(rows), max((len(row) for row in rows), default=0)
        for box in matched_boxes(book, data_filter, by_id):
            if height > box.rows or width > box.cols:
                raise ApiError(400, f"Requested writing within range [{box.a1()}], but tried writing past it.")
            sheet = book.sheet_by_id(box.sheet_id)
            written = 0
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    if value is not None:  # null leaves the cell as it is
                        values.put_value(sheet, box.row0 + i, box.col0 + j, value, option)
                        written += 1
            sheets_touched.add(box.sheet_id)
            written_box = Box(box.sheet_id, box.title, box.row0, box.row0 + height, box.col0, box.col0 + width)
            response: dict[str, Any] = {"dataFilter": cells.clone(data_filter)}
            if height and width:
                response.update(updatedRange=written_box.a1(), updatedRows=height, updatedColumns=width,
                                updatedCells=written)
            if body.get("includeValuesInResponse"):  # the whole matched range, after every update
                response["updatedData"] = _value_range(book, box, {
                    "valueRenderOption": body.get("responseValueRenderOption"),
                    "dateTimeRenderOption": body.get("responseDateTimeRenderOption"),
                })
            responses.append(response)
    return values.batch_update_response(book, responses, sheets_touched)


def batch_get_by_data_filter(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    options = {key: body.get(key) for key in ("valueRenderOption", "dateTimeRenderOption", "majorDimension")}
    matched: list[dict[str, Any]] = []
    by_id = {m["metadataId"]: (sheet, m) for sheet, m in every_metadata(book)}
    for data_filter in body.get("dataFilters") or []:
        for box in matched_boxes(book, data_filter, by_id):
            matched.append({"valueRange": _value_range(book, box, options), "dataFilters": [cells.clone(data_filter)]})
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if matched:
        out["valueRanges"] = matched
    return out


def _value_range(book: Spreadsheet, box: Box, options: dict[str, Any]) -> dict[str, Any]:
    major = options.get("majorDimension") or "ROWS"
    major = "ROWS" if major == "DIMENSION_UNSPECIFIED" else major
    render = options.get("valueRenderOption") or "FORMATTED_VALUE"
    dates = options.get("dateTimeRenderOption") or "SERIAL_NUMBER"
    if box.rows == 1 and major == "ROWS":  # one row (a row's metadata): read it without a scan of every cell
        sheet = book.sheet_by_id(box.sheet_id)
        line = [cells.render_for_values(sheet.cells.get((box.row0, c), {}), render, dates)
                for c in range(box.col0, box.col1)]
        while line and line[-1] == "":
            line.pop()
        rows = [line] if line else []
    else:
        rows = book.read_values(box, major=major, render=render, dates=dates)
    out: dict[str, Any] = {"range": box.a1(), "majorDimension": major}
    if rows:
        out["values"] = rows
    return out
