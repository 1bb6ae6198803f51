"""spreadsheets.batchUpdate: one handler per request kind, applied in order to a copy.

Any failure names the request the way Google does (``Invalid requests[1].addSheet:
A sheet with the name "Timeline" already exists. Please enter another name.``) and
the server then throws the copy away, so a batch changes everything or nothing.
Request kinds the schema knows but this fake does not implement answer 501
UNIMPLEMENTED (a limit of the fake, never something Google says).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import cells
from .ranges import Box, exceeds_grid
from .schema import ApiError, FieldTree, MaskSyntaxError, mask_paths, parse_mask, sheets
from .state import Sheet, Spreadsheet, grid_sheet_properties

Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return register


def apply_batch(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """Apply every request of a validated BatchUpdateSpreadsheetRequest to ``book`` (a copy)."""
    requests = body.get("requests") or []
    if not requests:
        raise ApiError(400, "Must specify at least one request.")
    replies = []
    for index, request in enumerate(requests):
        kinds = [kind for kind, value in (request or {}).items() if value is not None]
        if not kinds:
            raise ApiError(400, f"Invalid requests[{index}]: No request set.")
        if len(kinds) > 1:
            raise ApiError(
                400,
                f"Invalid value at 'requests[{index}]' (oneof), oneof field 'kind' is already set. "
                f"Cannot set '{kinds[1]}'",
            )
        kind = kinds[0]
        handler = HANDLERS.get(kind)
        if handler is None:
            raise ApiError(501, f"The fake Sheets API does not implement requests[{index}].{kind}.")
        try:
            reply = handler(book, request[kind])
        except ApiError as error:
            raise ApiError(error.code, f"Invalid requests[{index}].{kind}: {error.message}") from error
        replies.append(reply or {})
    response: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        response["updatedSpreadsheet"] = book.resource(
            ranges=body.get("responseRanges"), include_grid_data=bool(body.get("responseIncludeGridData"))
        )
    return response


# -- masks ------------------------------------------------------------------------------------------


def update_mask(text: str | None, schema_name: str) -> list[str]:
    """The leaf paths of an update mask, each checked to exist in ``schema_name``."""
    if not text:
        raise ApiError(400, "At least one field must be specified in 'fields'.")
    try:
        tree: FieldTree = parse_mask(text)
    except MaskSyntaxError as error:
        raise ApiError(400, f"Invalid field mask '{text}': cannot parse '{error}'.") from error
    unknown = sheets().check_mask(tree, schema_name)
    if unknown:
        raise ApiError(400, f"Invalid field mask '{text}': field '{unknown[0]}' does not exist in {schema_name}.")
    if "*" in tree:
        return ["*"]
    return mask_paths(tree)


def write_cell(sheet: Sheet, row: int, col: int, source: dict[str, Any], paths: list[str]) -> None:
    stored = cells.clone(sheet.cells.get((row, col), {}))
    for path in cells.WRITABLE if paths == ["*"] else paths:
        if path.split(".")[0] in cells.DERIVED:
            continue  # read-only CellData fields: Google ignores writes to them
        cells.set_path(stored, path, source)
        if path.startswith("userEnteredValue"):
            stored.pop("_result", None)
    sheet.set_cell(row, col, stored)


# -- cells ------------------------------------------------------------------------------------------


@handles("updateCells")
def update_cells(book: Spreadsheet, request: dict[str, Any]) -> None:
    paths = update_mask(request.get("fields"), "CellData")
    rows = request.get("rows") or []
    if "range" in request and "start" in request:
        raise ApiError(400, "Only one of 'start' or 'range' may be set.")
    if "range" in request:
        sheet, box = book.grid_box(request["range"])
        for r in range(box.row0, box.row1):
            row = rows[r - box.row0].get("values") or [] if r - box.row0 < len(rows) else []
            for c in range(box.col0, box.col1):
                source = (row[c - box.col0] or {}) if c - box.col0 < len(row) else {}
                write_cell(sheet, r, c, source, paths)
        return
    start = request.get("start")
    if start is None:
        raise ApiError(400, "Either 'start' or 'range' must be set.")
    sheet = book.sheet_by_id(start.get("sheetId", 0))
    width = max((len(row.get("values") or []) for row in rows), default=0)
    row0, col0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
    sheet.check_inside(Box(sheet.sheet_id, sheet.title, row0, row0 + max(len(rows), 1), col0, col0 + max(width, 1)))
    for i, row in enumerate(rows):
        for j, source in enumerate(row.get("values") or []):
            write_cell(sheet, row0 + i, col0 + j, source or {}, paths)


@handles("repeatCell")
def repeat_cell(book: Spreadsheet, request: dict[str, Any]) -> None:
    paths = update_mask(request.get("fields"), "CellData")
    sheet, box = book.grid_box(request.get("range") or {})
    for r in range(box.row0, box.row1):
        for c in range(box.col0, box.col1):
            write_cell(sheet, r, c, request.get("cell") or {}, paths)


@handles("appendCells")
def append_cells(book: Spreadsheet, request: dict[str, Any]) -> None:
    paths = update_mask(request.get("fields"), "CellData")
    sheet = book.sheet_by_id(request.get("sheetId", 0))
    rows = request.get("rows") or []
    start = sheet.last_row_with_data()
    width = max((len(row.get("values") or []) for row in rows), default=0)
    if width > sheet.column_count:
        sheet.check_inside(Box(sheet.sheet_id, sheet.title, start, start + len(rows), 0, width))
    if start + len(rows) > sheet.row_count:
        sheet.grid["rowCount"] = start + len(rows)  # appendCells adds rows when the sheet is full
    for i, row in enumerate(rows):
        for j, source in enumerate(row.get("values") or []):
            write_cell(sheet, start + i, j, source or {}, paths)


@handles("setDataValidation")
def set_data_validation(book: Spreadsheet, request: dict[str, Any]) -> None:
    sheet, box = book.grid_box(request.get("range") or {})
    # One copy of the rule for the whole range (a template's rule covers a column's 1,000 cells): stored
    # cells and what they hold are replaced, never changed in place, so the cells may share it.
    rule = cells.clone(request.get("rule"))
    for r in range(box.row0, box.row1):
        for c in range(box.col0, box.col1):
            stored = dict(sheet.cells.get((r, c), {}))
            if rule:
                stored["dataValidation"] = rule
            else:
                stored.pop("dataValidation", None)
            sheet.set_cell(r, c, stored)


@handles("mergeCells")
def merge_cells(book: Spreadsheet, request: dict[str, Any]) -> None:
    sheet, box = book.grid_box(request.get("range") or {})
    merge_type = request.get("mergeType") or "MERGE_ALL"
    if merge_type == "MERGE_ROWS":
        pieces = [Box(box.sheet_id, box.title, r, r + 1, box.col0, box.col1) for r in range(box.row0, box.row1)]
    elif merge_type == "MERGE_COLUMNS":
        pieces = [Box(box.sheet_id, box.title, box.row0, box.row1, c, c + 1) for c in range(box.col0, box.col1)]
    else:
        pieces = [box]
    kept = []
    for merge in sheet.merges:
        inside = (
            box.row0 <= merge["startRowIndex"]
            and merge["endRowIndex"] <= box.row1
            and box.col0 <= merge["startColumnIndex"]
            and merge["endColumnIndex"] <= box.col1
        )
        overlaps = (
            merge["startRowIndex"] < box.row1
            and box.row0 < merge["endRowIndex"]
            and merge["startColumnIndex"] < box.col1
            and box.col0 < merge["endColumnIndex"]
        )
        if overlaps and not inside:
            raise ApiError(400, "You can't merge cells that partially overlap an existing merge.")
        if not inside:
            kept.append(merge)
    for piece in pieces:
        if piece.rows * piece.cols < 2:
            continue
        for r in range(piece.row0, piece.row1):
            for c in range(piece.col0, piece.col1):
                if (r, c) != (piece.row0, piece.col0) and (r, c) in sheet.cells:
                    stored = dict(sheet.cells[(r, c)])  # cells are replaced, never changed in place
                    stored.pop("userEnteredValue", None)  # only the top-left value survives
                    sheet.set_cell(r, c, stored)
        grid_range = piece.grid_range()
        grid_range.pop("sheetId")
        kept.append(grid_range)
    sheet.merges = kept


@handles("unmergeCells")
def unmerge_cells(book: Spreadsheet, request: dict[str, Any]) -> None:
    sheet, box = book.grid_box(request.get("range") or {})
    sheet.merges = [
        m
        for m in sheet.merges
        if not (
            m["startRowIndex"] < box.row1
            and box.row0 < m["endRowIndex"]
            and m["startColumnIndex"] < box.col1
            and box.col0 < m["endColumnIndex"]
        )
    ]


# -- sheets and the spreadsheet ---------------------------------------------------------------------


def check_title_free(book: Spreadsheet, title: str, *, except_id: int | None = None) -> None:
    for sheet in book.sheets:
        if sheet.title.lower() == title.lower() and sheet.sheet_id != except_id:
            raise ApiError(400, f'A sheet with the name "{title}" already exists. Please enter another name.')


@handles("addSheet")
def add_sheet(book: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
    wanted = copy.deepcopy(request.get("properties") or {})
    title = wanted.get("title")
    if title is None:
        number = len(book.sheets) + 1
        while any(sheet.title == f"Sheet{number}" for sheet in book.sheets):
            number += 1
        title = f"Sheet{number}"
    check_title_free(book, title)
    sheet_id = wanted.get("sheetId")
    if sheet_id is None:
        sheet_id = book.fresh_sheet_id()
    elif any(sheet.sheet_id == sheet_id for sheet in book.sheets):
        raise ApiError(400, f"A sheet with the id {sheet_id} already exists.")
    index = min(wanted.get("index", len(book.sheets)), len(book.sheets))
    grid = wanted.get("gridProperties") or {}
    properties = grid_sheet_properties(sheet_id, title, index, grid.get("rowCount", 1000), grid.get("columnCount", 26))
    properties["gridProperties"] = {**properties["gridProperties"], **grid}
    for name in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
        if name in wanted:
            properties[name] = wanted[name]
    for sheet in book.sheets:
        if sheet.properties["index"] >= index:
            sheet.properties["index"] += 1
    book.sheets.append(Sheet(properties))
    book.reindex()
    return {"addSheet": {"properties": copy.deepcopy(properties)}}


@handles("deleteSheet")
def delete_sheet(book: Spreadsheet, request: dict[str, Any]) -> None:
    sheet_id = request.get("sheetId", 0)
    if not any(sheet.sheet_id == sheet_id for sheet in book.sheets):
        raise ApiError(400, f"No sheet with id: {sheet_id}")
    if len(book.sheets) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    book.sheets = [sheet for sheet in book.sheets if sheet.sheet_id != sheet_id]
    book.reindex()


@handles("updateSheetProperties")
def update_sheet_properties(book: Spreadsheet, request: dict[str, Any]) -> None:
    paths = update_mask(request.get("fields"), "SheetProperties")
    wanted = request.get("properties") or {}
    sheet = book.sheet_by_id(wanted.get("sheetId", 0))
    updated = copy.deepcopy(sheet.properties)
    for path in (
        ["title", "index", "gridProperties", "hidden", "tabColor", "tabColorStyle", "rightToLeft"]
        if paths == ["*"]
        else paths
    ):
        if path == "sheetId":
            continue
        cells.set_path(updated, path, wanted)
    if updated["title"] != sheet.title:
        check_title_free(book, updated["title"], except_id=sheet.sheet_id)
    grid = updated.setdefault("gridProperties", {})
    for name, default in (("rowCount", sheet.row_count), ("columnCount", sheet.column_count)):
        grid.setdefault(name, default)
        if grid[name] < 1:
            raise ApiError(400, f"gridProperties.{name} must be at least 1.")
    if grid.get("frozenRowCount", 0) >= grid["rowCount"]:
        raise ApiError(400, "You can't freeze all visible rows on the sheet.")
    sheet.cells = {(r, c): v for (r, c), v in sheet.cells.items() if r < grid["rowCount"] and c < grid["columnCount"]}
    new_index = updated.get("index", sheet.properties["index"])
    sheet.properties = updated
    if "index" in paths or paths == ["*"]:
        others = [s for s in book.sheets if s is not sheet]
        others.insert(min(new_index, len(others)), sheet)
        for index, each in enumerate(others):
            each.properties["index"] = index
        book.reindex()


@handles("updateSpreadsheetProperties")
def update_spreadsheet_properties(book: Spreadsheet, request: dict[str, Any]) -> None:
    paths = update_mask(request.get("fields"), "SpreadsheetProperties")
    wanted = request.get("properties") or {}
    for path in list(wanted) if paths == ["*"] else paths:
        cells.set_path(book.properties, path, wanted)


# -- rows and columns -------------------------------------------------------------------------------


def dimension_box(book: Spreadsheet, dimension_range: dict[str, Any], *, inserting: bool = False) -> tuple[Sheet, Box]:
    """A DimensionRange as the rows or columns it covers, checked against the grid.

    Inserting may start right after the last row or column (that appends); nothing else
    may reach past the grid.
    """
    sheet = book.sheet_by_id(dimension_range.get("sheetId", 0))
    dimension = dimension_range.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise ApiError(400, "dimension must be ROWS or COLUMNS.")
    count = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start = dimension_range.get("startIndex", 0)
    end = dimension_range.get("endIndex", count)
    if start < 0 or end < start:
        raise ApiError(400, f"Invalid dimension range: startIndex {start}, endIndex {end}.")
    if dimension == "ROWS":
        box = Box(sheet.sheet_id, sheet.title, start, end, 0, sheet.column_count)
    else:
        box = Box(sheet.sheet_id, sheet.title, 0, sheet.row_count, start, end)
    if (start > count) if inserting else (end > count):
        raise exceeds_grid(box, sheet.row_count, sheet.column_count)
    return sheet, box


@handles("insertDimension")
def insert_dimension(book: Spreadsheet, request: dict[str, Any]) -> None:
    dimension_range = request.get("range") or {}
    sheet, box = dimension_box(book, dimension_range, inserting=True)
    dimension = dimension_range["dimension"]
    start, end = (box.row0, box.row1) if dimension == "ROWS" else (box.col0, box.col1)
    if request.get("inheritFromBefore") and start == 0:
        raise ApiError(400, "Cannot inherit properties from before the first row or column.")
    sheet.insert(dimension, start, end - start)


@handles("appendDimension")
def append_dimension(book: Spreadsheet, request: dict[str, Any]) -> None:
    sheet = book.sheet_by_id(request.get("sheetId", 0))
    length = request.get("length", 0)
    if length < 1:
        raise ApiError(400, "length must be at least 1.")
    sheet.grid["rowCount" if request.get("dimension") == "ROWS" else "columnCount"] += length


@handles("deleteDimension")
def delete_dimension(book: Spreadsheet, request: dict[str, Any]) -> None:
    dimension_range = request.get("range") or {}
    sheet, box = dimension_box(book, dimension_range)
    dimension = dimension_range["dimension"]
    start, end = (box.row0, box.row1) if dimension == "ROWS" else (box.col0, box.col1)
    total = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end - start >= total:
        noun = "rows" if dimension == "ROWS" else "columns"
        raise ApiError(400, f"You can't delete all the {noun} on the sheet.")
    sheet.delete(dimension, start, end)


@handles("autoResizeDimensions")
def auto_resize_dimensions(book: Spreadsheet, request: dict[str, Any]) -> None:
    if request.get("dimensions"):
        dimension_box(book, request["dimensions"])  # validated; pixel sizes are not modelled


@handles("updateDimensionProperties")
def update_dimension_properties(book: Spreadsheet, request: dict[str, Any]) -> None:
    update_mask(request.get("fields"), "DimensionProperties")
    dimension_box(book, request.get("range") or {})  # validated; sizes and hiding are not modelled


# -- sheet-level objects ----------------------------------------------------------------------------


@handles("addConditionalFormatRule")
def add_conditional_format_rule(book: Spreadsheet, request: dict[str, Any]) -> None:
    rule = copy.deepcopy(request.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, "ConditionalFormatRule must have at least one range.")
    sheet_ids = {grid_range.get("sheetId", 0) for grid_range in ranges}
    if len(sheet_ids) > 1:
        raise ApiError(400, "All ranges of a conditional format rule must be on the same sheet.")
    sheet = book.sheet_by_id(sheet_ids.pop())
    for grid_range in ranges:
        book.grid_box(grid_range)
    if "booleanRule" not in rule and "gradientRule" not in rule:
        raise ApiError(400, "ConditionalFormatRule must have a booleanRule or a gradientRule.")
    index = request.get("index", 0)
    if not 0 <= index <= len(sheet.conditional_formats):
        raise ApiError(400, f"Invalid index {index}; the sheet has {len(sheet.conditional_formats)} rules.")
    sheet.conditional_formats.insert(index, rule)


@handles("deleteConditionalFormatRule")
def delete_conditional_format_rule(book: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
    sheet = book.sheet_by_id(request.get("sheetId", 0))
    index = request.get("index", 0)
    if not 0 <= index < len(sheet.conditional_formats):
        raise ApiError(400, f"No conditional format on sheet {sheet.sheet_id} at index {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


@handles("addProtectedRange")
def add_protected_range(book: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
    protected = copy.deepcopy(request.get("protectedRange") or {})
    if "range" not in protected:
        raise ApiError(400, "ProtectedRange must have a range.")
    sheet, _ = book.grid_box(protected["range"])
    protected.setdefault("protectedRangeId", book.fresh_id())
    protected["range"].setdefault("sheetId", sheet.sheet_id)
    protected.setdefault("requestingUserCanEdit", True)
    sheet.protected_ranges.append(protected)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(protected)}}


@handles("deleteProtectedRange")
def delete_protected_range(book: Spreadsheet, request: dict[str, Any]) -> None:
    wanted = request.get("protectedRangeId")
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if protected.get("protectedRangeId") == wanted:
                sheet.protected_ranges.remove(protected)
                return
    raise ApiError(400, f"No protected range with id: {wanted}")
