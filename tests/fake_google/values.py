"""spreadsheets.values.*: read and write cell values by A1 range.

Shapes follow gspread's recorded cassettes: ``values.get`` answers the range it
read with open ends closed at the grid (``A:A`` on a 10-row sheet is ``A1:A10``),
drops trailing empty cells and rows and omits ``values`` when nothing is left;
writes answer ``updatedRange``/``updatedRows``/``updatedColumns``/``updatedCells``
for the rectangle actually written.
"""

from __future__ import annotations

from typing import Any

from . import cells
from .ranges import A1, Box, column_letters
from .schema import ApiError
from .state import Sheet, Spreadsheet


def value_range(book: Spreadsheet, text: str, query: dict[str, Any]) -> dict[str, Any]:
    """One ValueRange for values.get / values.batchGet."""
    _, box = book.box(text)
    major = query.get("majorDimension") or "ROWS"
    major = "ROWS" if major == "DIMENSION_UNSPECIFIED" else major
    rows = book.read_values(
        box,
        major=major,
        render=query.get("valueRenderOption") or "FORMATTED_VALUE",
        dates=query.get("dateTimeRenderOption") or "SERIAL_NUMBER",
    )
    out: dict[str, Any] = {"range": box.a1(), "majorDimension": major}
    if rows:
        out["values"] = rows
    return out


def input_option(option: str | None) -> str:
    if option is None:
        raise ApiError(400, "'valueInputOption' is required but not specified")
    if option == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise ApiError(400, "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    return option


def as_rows(body: dict[str, Any]) -> list[list[Any]]:
    values = body.get("values") or []
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise ApiError(400, f"Invalid values[{i}]: {row!r} is not a list of cell values.")
    if (body.get("majorDimension") or "ROWS") != "COLUMNS":
        return values
    height = max((len(column) for column in values), default=0)
    return [[column[r] if r < len(column) else None for column in values] for r in range(height)]


def _is_single_cell(parsed: A1) -> bool:
    cells_text = parsed.text.rsplit("!", 1)[-1]
    return ":" not in cells_text and parsed.row0 is not None and parsed.col0 is not None


def write(
    book: Spreadsheet, text: str, body: dict[str, Any], option: str, *, grow: bool = False, start_row: int | None = None
) -> tuple[Sheet, Box, int]:
    """Write a ValueRange's values from the top-left of ``text``; return (sheet, written box, cells)."""
    sheet, parsed = book.a1(text)
    if body.get("range") and body["range"] != text:
        _, body_box = book.box(body["range"], check=False)
        _, url_box = book.box(text, check=False)
        if body_box != url_box:
            raise ApiError(
                400, f"Requested range [{text}] and the range in the request body [{body['range']}] do not match."
            )
    rows = as_rows(body)
    row0 = start_row if start_row is not None else (parsed.row0 or 0)
    col0 = parsed.col0 or 0
    width = max((len(row) for row in rows), default=0)
    box = Box(sheet.sheet_id, sheet.title, row0, row0 + len(rows), col0, col0 + width)
    if start_row is None and not _is_single_cell(parsed):
        if parsed.row1 is not None and box.row1 > parsed.row1:
            raise ApiError(400, f"Requested writing within range [{text}], but tried writing to row [{box.row1}]")
        if parsed.col1 is not None and box.col1 > parsed.col1:
            raise ApiError(
                400,
                f"Requested writing within range [{text}], but tried writing to column [{column_letters(box.col1 - 1)}]",
            )
    if grow and box.row1 > sheet.row_count:
        sheet.grid["rowCount"] = box.row1  # values.append adds rows to a full sheet
    if rows:
        sheet.check_inside(box)
    written = 0
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue  # null leaves the cell as it is
            put_value(sheet, row0 + i, col0 + j, value, option)
            written += 1
    return sheet, box, written


def put_value(sheet: Sheet, row: int, col: int, value: Any, option: str) -> None:
    """Store one typed value, keeping the cell's formatting (and its number format if set)."""
    stored = cells.clone(sheet.cells.get((row, col), {}))
    stored.pop("userEnteredValue", None)
    stored.pop("_result", None)
    # A cell formatted as Plain text (number format TEXT) keeps typed text as text, unparsed: USER_ENTERED
    # follows "the same rules that are applied when entering text into a cell via the Google Sheets UI"
    # (Sheets API reference, ValueInputOption), and the UI's Plain text format stops that parsing.
    plain_text = ((stored.get("userEnteredFormat") or {}).get("numberFormat") or {}).get("type") == "TEXT"
    new = cells.entered(value, "RAW" if plain_text and option == "USER_ENTERED" and isinstance(value, str)
                        and not value.startswith("'") else option)
    if "userEnteredValue" in new:
        stored["userEnteredValue"] = new["userEnteredValue"]
    new_format = (new.get("userEnteredFormat") or {}).get("numberFormat")
    if new_format and not (stored.get("userEnteredFormat") or {}).get("numberFormat"):
        stored.setdefault("userEnteredFormat", {})["numberFormat"] = new_format
    sheet.set_cell(row, col, stored)


def update_response(book: Spreadsheet, box: Box, written: int, query: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if box.rows and box.cols:
        out.update(updatedRange=box.a1(), updatedRows=box.rows, updatedColumns=box.cols, updatedCells=written)
    if query.get("includeValuesInResponse"):
        data: dict[str, Any] = {"range": box.a1(), "majorDimension": "ROWS"}
        rows = book.read_values(
            box,
            render=query.get("responseValueRenderOption") or "FORMATTED_VALUE",
            dates=query.get("responseDateTimeRenderOption") or "SERIAL_NUMBER",
        )
        if rows:
            data["values"] = rows
        out["updatedData"] = data
    return out


def update(book: Spreadsheet, text: str, body: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
    option = input_option(query.get("valueInputOption"))
    _, box, written = write(book, text, body, option)
    return update_response(book, box, written, query)


def batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = input_option(body.get("valueInputOption"))
    responses = []
    sheets_touched = set()
    for i, data in enumerate(body.get("data") or []):
        if not data.get("range"):
            raise ApiError(400, f"Invalid data[{i}]: range is required.")
        sheet, box, written = write(book, data["range"], data, option)
        sheets_touched.add(sheet.sheet_id)
        responses.append(update_response(book, box, written, body))
    return batch_update_response(book, responses, sheets_touched)


def batch_update_response(
    book: Spreadsheet, responses: list[dict[str, Any]], sheets_touched: set[int]
) -> dict[str, Any]:
    """The BatchUpdateValues(ByDataFilter)Response: totals summed over the per-range answers.

    Both batch calls answer alike (no totals at all when nothing matched), so one function builds it.
    """
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if responses:
        out.update(
            totalUpdatedRows=sum(r.get("updatedRows", 0) for r in responses),
            totalUpdatedColumns=sum(r.get("updatedColumns", 0) for r in responses),
            totalUpdatedCells=sum(r.get("updatedCells", 0) for r in responses),
            totalUpdatedSheets=len(sheets_touched),
            responses=responses,
        )
    return out


def append(book: Spreadsheet, text: str, body: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
    """values.append: find the table in ``text`` and write after its last row."""
    option = input_option(query.get("valueInputOption"))
    sheet, box = book.box(text)
    occupied = [
        (r, c)
        for (r, c), cell in sheet.cells.items()
        if cell.get("userEnteredValue") and box.row0 <= r < box.row1 and box.col0 <= c < box.col1
    ]
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    start = box.row0
    if occupied:
        first = min(r for r, _ in occupied)
        last = max(r for r, _ in occupied)
        right = max(c for _, c in occupied)
        out["tableRange"] = Box(sheet.sheet_id, sheet.title, first, last + 1, box.col0, right + 1).a1()
        start = last + 1
    rows = as_rows(body)
    if query.get("insertDataOption") == "INSERT_ROWS" and rows:
        sheet.insert("ROWS", start, len(rows))
    anchor = Box(sheet.sheet_id, sheet.title, start, start + 1, box.col0, box.col0 + 1).a1()
    _, written_box, written = write(book, anchor, {**body, "range": None}, option, grow=True, start_row=start)
    out["updates"] = update_response(book, written_box, written, query)
    return out


def clear(book: Spreadsheet, text: str) -> str:
    """Clear values (not formats) in ``text``; return the cleared range in A1."""
    sheet, box = book.box(text)
    for (r, c), cell in list(sheet.cells.items()):
        if box.row0 <= r < box.row1 and box.col0 <= c < box.col1:
            cell = cells.clone(cell)
            cell.pop("userEnteredValue", None)
            cell.pop("_result", None)
            sheet.set_cell(r, c, cell)
    return box.a1()
