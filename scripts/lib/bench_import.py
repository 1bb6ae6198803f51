"""scripts/bench --only import: 100,000 result rows from a generated export, against pandas reading the file alone.

The export is a 巨量引擎 daily report as the platform writes it (UTF-8 with a BOM, a title row, 消耗(元)
with thousands separators, one value in fifty as 1.2万 or ¥3,200.00, a 合计 row): 500 campaigns × 200 days.
Three timings, each the best of a few runs:

- pandas alone: `pandas.read_csv` of the same file (header on the right line), nothing else;
- read: sheetsync.results.read_export — decoding, finding the header, recognising the platform,
  every number and date read, totals and repeated days checked — the rows ready to append;
- import: Workbook.import_results into a new campaign workbook (xlsx): the read, the keys already in
  the sheet, the rows, the sync of the computed columns and the Log row written under the lock; then
  the second import of the same file (everything already there, nothing written).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROWS = 100_000
CAMPAIGNS = 500
HEADER = ["日期", "广告计划", "消耗(元)", "展示数", "点击数", "点击率", "转化数", "转化成本"]


def write_export(path: Path, rows: int = ROWS) -> Path:
    """A 巨量引擎 export of `rows` days × campaigns (seedless: the numbers follow from the row number)."""
    days = max(1, rows // CAMPAIGNS)
    start = dt.date(2026, 1, 1)
    lines = ["巨量引擎 广告数据报表", ",".join(HEADER)]
    for n in range(rows):
        day = start + dt.timedelta(days=n % days)
        campaign = f"计划{n // days:04d}"
        spend = 1000 + (n * 37) % 9000
        shown = 20_000 + (n * 113) % 180_000
        clicks = 200 + (n * 7) % 3000
        conversions = 1 + n % 90
        spend_text = f'"¥{spend:,.2f}"' if n % 50 == 0 else f'"{spend:,.2f}"'
        shown_text = f"{shown / 10000:.1f}万" if n % 50 == 1 else f'"{shown:,}"'
        lines.append(f"{day.isoformat()},{campaign},{spend_text},{shown_text},{clicks},"
                     f"{clicks / shown:.2%},{conversions},{spend / conversions:.2f}")
    lines.append("合计,,,,,,,")
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path


def _best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_import(quick: bool = False, progress: Callable[[str], None] = lambda _m: None,
                 rows: int = ROWS) -> dict[str, object]:
    import pandas as pd

    import sheetsync
    from sheetsync.results import read_export

    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="sheetsync-bench-import-") as tmp:
        folder = Path(tmp)
        export = write_export(folder / "oceanengine-100k.csv", rows)
        progress(f"import: pandas alone on {rows:,} rows")
        pandas_s = _best(lambda: pd.read_csv(export, skiprows=1, encoding="utf-8-sig"), repeat)
        progress("import: read_export")
        read = read_export(export)
        assert len(read.rows) == rows and not read.problems, read.problems[:3]
        read_s = _best(lambda: read_export(export), repeat)
        progress("import: into a new workbook, then again")
        book_path = folder / "campaign.xlsx"
        sheetsync.create(book_path, today=dt.date(2026, 12, 8))
        book = sheetsync.open(book_path)
        started = time.perf_counter()
        first = book.import_results([export], today=dt.date(2026, 12, 8))
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        second = book.import_results([export], today=dt.date(2026, 12, 8))
        again_s = time.perf_counter() - started
        assert first.rows_added == rows and second.rows_added == 0 and not second.written
        return {
            "rows": rows, "file_mb": round(export.stat().st_size / 1e6, 2), "pandas_s": round(pandas_s, 3),
            "read_s": round(read_s, 3), "read_ratio": round(read_s / pandas_s, 2),
            "import_s": round(import_s, 3), "import_ratio": round(import_s / pandas_s, 2),
            "again_s": round(again_s, 3), "again_ratio": round(again_s / pandas_s, 2),
            "book_mb": round(book_path.stat().st_size / 1e6, 2),
        }


def render_import(figures: dict[str, object]) -> list[str]:
    f = figures
    return [
        f"Import of {f['rows']:,} result rows (a {f['file_mb']} MB 巨量引擎 CSV export):",
        f"   pandas.read_csv alone          {f['pandas_s']:.2f} s",
        f"   read_export (rows ready)       {f['read_s']:.2f} s   ratio {f['read_ratio']:.1f}x pandas",
        f"   import into a new xlsx book    {f['import_s']:.2f} s   ratio {f['import_ratio']:.1f}x pandas "
        f"(rows, sync and Log written; the book is {f['book_mb']} MB)",
        f"   the same import again          {f['again_s']:.2f} s   ratio {f['again_ratio']:.1f}x pandas "
        "(all already there: nothing written)",
    ]
