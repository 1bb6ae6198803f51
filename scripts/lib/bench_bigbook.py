"""scripts/bench --only bigbook: the big book (5,000 Timeline + 20,000 Reviews rows) against openpyxl, side by side.

Each repetition times, one after the other on the same machine state: a bare openpyxl
load_workbook + save of the generated book (the fixed point), a first sync of a fresh copy
(every computed cell written) and a second sync of that copy (nothing changes, nothing is
written). The figures are the medians and the ratio of each sync to the round trip of its own
repetition, with the range of those per-repetition ratios (the machine is shared: a ratio
taken side by side moves less than either time). Then the peak RSS of one first sync in a
fresh process, beside a process that only loads the same file with openpyxl.

Aims (issue 19): first sync <= 0.3x the round trip, second sync <= 0.15x, peak memory no higher
than before (170 MB at 5,000 rows when the issue was filed; openpyxl's load alone is about 125 MB).
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

FIRST_AIM, SECOND_AIM = 0.3, 0.15


def bench_bigbook(
    sizes: list[int],
    folder: Path,
    *,
    quick: bool,
    progress: Callable[[str], None],
    build: Callable[[Path, int], object],
    today: dt.date,
    peak_mb: Callable[[Path, Path], tuple[float, float]],
) -> dict[str, object]:
    """First and second sync against the openpyxl round trip for each size, and the peak RSS of the largest.

    `build(path, rows)` writes the seeded campaign; `peak_mb(source, fresh_copy)` gives (sync MB, openpyxl load MB).
    """
    import openpyxl

    import sheetsync

    books = []
    for rows in sizes:
        source = folder / f"bigbook-{rows}.xlsx"
        progress(f"bigbook: generating {rows} rows")
        build(source, rows)
        reps = 3 if quick else 5
        trips, firsts, seconds, first_ratios, second_ratios = [], [], [], [], []
        written = changed = 0
        second_wrote = False
        for rep in range(reps):
            progress(f"bigbook: {rows} rows, repetition {rep + 1} of {reps}")
            started = time.perf_counter()
            openpyxl.load_workbook(source).save(folder / "round-trip.xlsx")
            trip = time.perf_counter() - started
            copy = folder / f"bigbook-{rows}-{rep}.xlsx"
            shutil.copyfile(source, copy)
            started = time.perf_counter()
            first = sheetsync.open(copy).sync(today=today)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            second = sheetsync.open(copy).sync(today=today)
            second_s = time.perf_counter() - started
            changed, written = first.changed_cells, first.written
            second_wrote = second_wrote or second.written
            trips.append(trip)
            firsts.append(first_s)
            seconds.append(second_s)
            first_ratios.append(first_s / trip)
            second_ratios.append(second_s / trip)
            copy.unlink()
        books.append({
            "rows": rows,
            "file_kb": round(source.stat().st_size / 1024),
            "repetitions": reps,
            "openpyxl_round_trip_s": statistics.median(trips),
            "first_sync_s": statistics.median(firsts),
            "first_ratio": statistics.median(first_ratios),
            "first_ratio_range": (min(first_ratios), max(first_ratios)),
            "first_changed_cells": changed,
            "first_written": written,
            "second_sync_s": statistics.median(seconds),
            "second_ratio": statistics.median(second_ratios),
            "second_ratio_range": (min(second_ratios), max(second_ratios)),
            "second_wrote": second_wrote,
        })
    largest = max(sizes)
    progress(f"bigbook: peak RSS at {largest} rows")
    source = folder / f"bigbook-{largest}.xlsx"
    copy = folder / f"bigbook-{largest}-memory.xlsx"
    shutil.copyfile(source, copy)
    sync_mb, load_mb = peak_mb(source, copy)
    return {
        "books": books,
        "memory": {"rows": largest, "sync_peak_mb": sync_mb, "openpyxl_load_peak_mb": load_mb},
        "aims": {"first_ratio_max": FIRST_AIM, "second_ratio_max": SECOND_AIM},
    }


def render_bigbook(figures: dict[str, object]) -> list[str]:
    lines = [
        f"Big book: sync against a bare openpyxl load+save of the same file, side by side "
        f"(aims: first <= {FIRST_AIM}x, second <= {SECOND_AIM}x):"
    ]
    for b in figures["books"]:  # type: ignore[union-attr]
        (f_low, f_high), (s_low, s_high) = b["first_ratio_range"], b["second_ratio_range"]
        lines.append(
            f"   {b['rows']:>6} rows ({b['file_kb']} KB)   openpyxl {b['openpyxl_round_trip_s']:.2f} s   "
            f"first sync {b['first_sync_s']:.2f} s = {b['first_ratio']:.2f}x ({f_low:.2f}-{f_high:.2f}; "
            f"{b['first_changed_cells']} cells)   second {b['second_sync_s']:.2f} s = {b['second_ratio']:.2f}x "
            f"({s_low:.2f}-{s_high:.2f}; wrote: {'yes' if b['second_wrote'] else 'no'})   "
            f"median of {b['repetitions']}"
        )
    m = figures["memory"]  # type: ignore[index]
    lines.append(
        f"   peak RSS, first sync of {m['rows']} rows in a fresh process: {m['sync_peak_mb']:.0f} MB "
        f"(openpyxl load alone {m['openpyxl_load_peak_mb']:.0f} MB)"
    )
    return lines
