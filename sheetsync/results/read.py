"""One export file → normalised result rows, with pandas: encodings, title rows, totals rows, units and number formats.

Why each rule:
- CSV from Chinese platforms comes as UTF-8 with a BOM or as GB18030 (Excel's "ANSI" on a Chinese
  Windows): UTF-8 is tried first, GB18030 next, so 消耗 reads as itself either way; a file saved as
  Excel's "Unicode text" (UTF-16 with its BOM, tab-separated) is read too.
- Exports often put a title ("巨量引擎 数据报表 2026-12-01 至 2026-12-07", a merged cell in XLSX)
  above the header: the header is the first of the top rows whose cells name a platform's columns.
- A totals row (合计/总计/Total) is the export's own sum: skipped, never imported as a day.
- Numbers come as 1,234 · 12.5% · ¥3,200.00 · 1.2万 (parse.cells.to_amount); plain ones go through
  pandas in one vectorised pass, only the rest one by one.
- A day repeated in one file (same day, platform and campaign) keeps its first row; each repeat is a
  Problem on its line. Summing would double-count an export pasted twice, the commoner cause.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n
from ..contract import AD_PLATFORM
from ..errors import SheetsyncError
from ..i18n import _
from ..parse.cells import CellError, to_amount, to_date
from ..problems import Problem
from .platforms import (
    BY_KEY,
    FIELDS,
    TOTAL_WORDS,
    PlatformExport,
    columns_for,
    currency_of,
    normalise_header,
    recognise,
)

HEADER_SEARCH_ROWS = 12  # how far down a title block may push the header
MEASURES = FIELDS[2:]
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class ImportedRow:
    """One day of one campaign, as the Results sheet will hold it; line is where it was in the file."""

    line: int
    day: dt.date
    platform: str
    campaign: str
    currency: str
    values: dict[str, float]  # Results column (Spend, Impressions…) → number

    @property
    def key(self) -> tuple[dt.date, str, str]:
        """As parse.results.ResultRow.key: the day, platform and campaign a re-import matches on."""
        return (self.day, self.platform, self.campaign.casefold())


@dataclass
class ExportFile:
    """What one file gave: its platform (None when not recognised), rows, and Problems located in it."""

    path: Path
    platform: str | None = None
    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the header as the file wrote it
    headers: dict[str, str] = field(default_factory=dict)  # Results field → the file's header for it

    @property
    def name(self) -> str:
        return self.path.name


ZIP_SIGNATURE = b"PK\x03\x04"  # an .xlsx/.xlsm is a zip archive
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97–2003 .xls


def read_table(path: Path):
    """The file's cells as a DataFrame of objects, no header: CSV decoded as UTF-8 (BOM or not) or GB18030.

    The content decides, not the name: an "Excel" download or a renamed file that is really CSV or
    tab-separated text reads as text (pandas would say "Excel file format cannot be determined").
    """
    import pandas as pd

    data = path.read_bytes()
    if data.startswith(ZIP_SIGNATURE):
        return pd.read_excel(io.BytesIO(data), header=None, dtype=object)
    if data.startswith(OLE_SIGNATURE):  # ImportError when no .xls reader (xlrd, python-calamine) is installed
        return pd.read_excel(io.BytesIO(data), header=None, dtype=object)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text": UTF-16, tab-separated
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte string
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.split("\n", 1)[0]
    separator = "\t" if first.count("\t") > first.count(",") else ","
    # A title row above the header has fewer fields than the table: the width is the widest of the top lines.
    top = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:50])), delimiter=separator))
    width = max((len(row) for row in top), default=1)
    return pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=str, keep_default_na=False,
                       sep=separator, skip_blank_lines=False, engine="c")


def _header_row(table, forced: PlatformExport | None) -> tuple[int, list[PlatformExport]]:
    """The first top row that reads as an export's header, and the platforms it fits."""
    for index in range(min(HEADER_SEARCH_ROWS, len(table))):
        headers = [normalise_header(v) for v in table.iloc[index].tolist()]
        if forced is not None:
            found = columns_for(forced, headers)
            if "Date" in found and len(found) >= 2:
                return index, [forced]
            continue
        fits = recognise(headers)
        if fits:
            return index, fits
    return -1, []


def read_export(path: str | Path, *, platform: str | None = None, currency: str = "") -> ExportFile:
    """Read one export; `platform` (a contract.AD_PLATFORM key) forces which export it is; `currency` is the default."""
    path = Path(path)
    export = ExportFile(path)
    try:
        table = read_table(path)
    except FileNotFoundError:
        export.problems.append(Problem(path.name, "", _("there is no such file"),
                                       _("check the file's name and folder")))
        return export
    except ImportError:  # an Excel 97-2003 .xls without a reader for it
        export.problems.append(Problem(path.name, "", _("an Excel 97-2003 (.xls) file, which sheetsync cannot read"),
                                       _("open it in Excel or WPS and save it as .xlsx or CSV, then import that")))
        return export
    except (OSError, ValueError, SheetsyncError) as err:
        export.problems.append(Problem(path.name, "", _("the file cannot be read: {error}", error=err),
                                       _("export it again as CSV or XLSX from the ad platform")))
        return export
    forced = BY_KEY.get(platform) if platform else None
    header, fits = _header_row(table, forced)
    if header < 0 or len(fits) != 1:
        top = 0 if header < 0 else header
        export.columns = [str(v) for v in table.iloc[top].tolist() if str(v).strip()] if len(table) else []
        export.problems.append(_unrecognised(path, export.columns, fits))
        return export
    chosen = fits[0]
    export.platform = chosen.key
    raw_headers = table.iloc[header].tolist()
    export.columns = [str(v) for v in raw_headers if str(v).strip()]
    columns = columns_for(chosen, [normalise_header(v) for v in raw_headers])
    export.headers = {name: str(raw_headers[index]).strip() for name, index in columns.items()}
    unit = currency_of(raw_headers[columns["Spend"]]) if "Spend" in columns else ""
    _rows(export, table, header, columns, unit or currency, excel=path.suffix.casefold() in EXCEL_SUFFIXES)
    return export


def _keys(keys: list[str]) -> str:
    """The --platform words, each with the platform's Chinese name in a Chinese book: 小红书聚光（xiaohongshu）."""
    return i18n.pick(None, ", ".join(keys), "、".join(f"{AD_PLATFORM.get(k, k)}（{k}）" for k in keys))


def _unrecognised(path: Path, columns: list[str], fits: list[PlatformExport]) -> Problem:
    seen = ", ".join(columns[:12]) or _("no columns")
    if fits:
        names = _keys([p.key for p in fits])
        return Problem(path.name, "", _("the columns ({columns}) fit more than one platform's export: {platforms}",
                                        columns=seen, platforms=names),
                       _("say which with --platform, such as --platform {example}", example=fits[0].key))
    return Problem(path.name, "", _("not an export sheetsync knows: it has the columns {columns}", columns=seen),
                   _("export the daily report with a date and the spend, impressions or clicks columns; "
                     "or give --platform NAME ({names})", names=_keys(list(BY_KEY))))


def _line(excel: bool, index: int) -> str:
    """Where a table row is in the file: its line (CSV) or row (XLSX) number."""
    return _("line {line}", line=index + 1) if not excel else _("row {row}", row=index + 1)


def _numbers(column) -> tuple[list[float | None], list[int]]:
    """A column as numbers: plain ones vectorised by pandas, the rest (1.2万, ¥3,200.00, 12.5%) by to_amount.

    Returns the numbers and the positions to_amount must still read.
    """
    import pandas as pd

    text = column.astype(str).str.strip().str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    blank = text.isna() | text.isin(("", "nan", "None", "-", "--"))  # an empty XLSX cell stays NaN
    pending = (numbers.isna() & ~blank).to_numpy().nonzero()[0].tolist()
    return [None if v != v else float(v) for v in numbers.tolist()], pending


def _rows(export: ExportFile, table, header: int, columns: dict[str, int], currency: str, *, excel: bool) -> None:
    body = table.iloc[header + 1:]
    cells = {name: body.iloc[:, index] for name, index in columns.items()}
    numbers = {}
    unreadable: set[int] = set()  # a row with a cell it cannot read is left out whole: a re-import then adds it
    for name in MEASURES:
        if name in cells:
            values, pending = _numbers(cells[name])
            for position in pending:
                try:
                    values[position] = to_amount(cells[name].iat[position])
                except CellError as err:
                    values[position] = None
                    unreadable.add(position)
                    export.problems.append(_cell_problem(export, excel, header + 1 + position, name, err))
            numbers[name] = values
    dates = cells["Date"].tolist()
    campaigns = cells["Campaign"].tolist() if "Campaign" in cells else [""] * len(dates)
    seen: dict[tuple[dt.date, str, str], int] = {}
    totals = _totals(body.iloc[:, : max(2, min(columns.values()) + 1)])
    days = _dates(cells["Date"])
    ends = cells["End"].tolist() if "End" in cells else None
    for position, (raw_day, campaign) in enumerate(zip(dates, campaigns, strict=True)):
        index = header + 1 + position
        if totals[position]:
            continue
        if _blank(raw_day) and all(numbers[n][position] is None for n in numbers) and _blank(campaign):
            continue
        if position in unreadable:
            continue
        try:
            day = days[position] or to_date(raw_day.strip() if isinstance(raw_day, str) else raw_day)
        except CellError as err:
            export.problems.append(_cell_problem(export, excel, index, "Date", err))
            continue
        if day is None:
            export.problems.append(Problem(export.name, _line(excel, index),
                                           _("the row has no date in {column}", column=_label(export, "Date")),
                                           _("export the report by day")))
            continue
        if ends is not None and _end_day(ends[position]) not in (None, day):
            export.problems.append(Problem(
                export.name, _line(excel, index),
                _("the row covers {start} to {end}, not one day", start=day.isoformat(), end=str(ends[position])[:10]),
                _("export the report broken down by day (Breakdown → By time → Day), then import it again")))
            continue
        campaign = "" if _blank(campaign) else str(campaign).strip()
        row = ImportedRow(index + 1, day, export.platform or "", campaign, currency,
                          {n: v[position] for n, v in numbers.items() if v[position] is not None})
        if row.key in seen:
            export.problems.append(Problem(
                export.name, _line(excel, index),
                _("{day} of {campaign} is in the file twice (first on {first}): the first one is imported",
                  day=day.isoformat(), campaign=campaign or "-", first=_line(excel, seen[row.key] - 1)),
                _("delete the repeated row, or add the two in the sheet by hand")))
            continue
        seen[row.key] = index + 1
        export.rows.append(row)


def _dates(column) -> list[dt.date | None]:
    """The ISO dates (2026-12-01) of a column in one pandas pass; None where to_date must read the cell."""
    import pandas as pd

    parsed = pd.to_datetime(column.astype(str).str.strip(), format="%Y-%m-%d", errors="coerce")
    return [None if pd.isna(day) else day.date() for day in parsed.tolist()]


def _end_day(value: object) -> dt.date | None:
    """The last day a row covers (Meta's Reporting ends), or None when blank or not a date."""
    try:
        return to_date(value.strip() if isinstance(value, str) else value)
    except CellError:
        return None


def _totals(first_columns) -> list[bool]:
    """Per row: is it the export's own sum (合计, 总计, Total, "Total of 7 results" in one of its first cells)?"""
    mask = None
    for _name, column in first_columns.items():
        words = column.astype(str).str.strip().str.casefold().str.startswith(TOTAL_WORDS)
        mask = words if mask is None else mask | words
    return mask.tolist()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _label(export: ExportFile, name: str) -> str:
    return export.headers.get(name, name)


def _cell_problem(export: ExportFile, excel: bool, index: int, name: str, err: CellError) -> Problem:
    where = _("{line}, column {column}", line=_line(excel, index), column=_label(export, name))
    return Problem(export.name, where, _("{problem}: the row is not imported", problem=err.problem),
                   _("{fix}, then import the file again", fix=err.fix))


__all__ = ["ExportFile", "ImportedRow", "read_export", "read_table"]
