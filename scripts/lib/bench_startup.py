"""scripts/bench --only startup: a whole-process `sheetsync sync` against a bare openpyxl round trip, as processes.

A Sync now click in Excel starts a fresh Python process, so what a person waits for is the
whole process: interpreter, imports, rule packs, read, analysis, write. The fixed point is
the same file loaded and saved by openpyxl in its own process (`python -c "openpyxl
load_workbook + save"`). Both run side by side, interleaved (sync, openpyxl, sync, ...),
each on a fresh copy of the book; the figure is the median of each and the ratio of the
medians, with the range of the per-pair ratios (the machine is shared). The CPU seconds
(user + system) of the same processes are given beside the wall time, with their ratio:
on a machine other sessions keep busy, wall time is mostly waiting for a core.

Both sides run as an installed package does: bytecode cached (a private PYTHONPYCACHEPREFIX,
written by a warm-up run), and sheetsync's cache folder (prepared rule packs, holidays) warm
from that warm-up, as on any click after the first. The first click after an install or a
rule-pack edit (an empty cache folder) is timed once on its own.

Also timed: the same sync while Excel has the book open (its `~$` owner file beside it), which
refuses in one line (aim: within 2 s).

Books: the demo (`sheetsync init --demo`, 13 tasks) and a generated 100-task, 400-review
campaign (tests/bench_workbooks.py).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_TODAY = "2026-12-08"
ROUND_TRIP = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
AIM = 0.5


def _environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")}
    env.update({
        "PYTHONPATH": str(ROOT),
        "SHEETSYNC_TEMPLATES_DIR": str(ROOT / "templates"),
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
        "SHEETSYNC_CACHE_DIR": str(tmp / "cache"),
    })
    return env


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict[str, str], refused: bool = False, cpu: list[float] | None = None) -> float:
    """Wall seconds of one process run; its CPU seconds (user + system) appended to `cpu` when given."""
    before = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if cpu is not None:
        cpu.append(_cpu_of_children() - before)
    if refused:
        if done.returncode != 2 or len(done.stderr.splitlines()) != 1:
            raise RuntimeError(f"a sync of a book Excel has open did not refuse in one line: {done.stderr[-2000:]}")
    elif done.returncode not in (0, 1):  # 1: the sync found problems in the book, still a whole sync
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def _pair(book: Path, today: str, tmp: Path, env: dict[str, str], runs: int) -> dict[str, object]:
    copy, saved = tmp / f"copy-{book.name}", tmp / f"saved-{book.name}"
    sync = [sys.executable, "-m", "sheetsync", "sync", str(copy), "--today", today]
    openpyxl = [sys.executable, "-c", ROUND_TRIP, str(book), str(saved)]

    sync_cpu: list[float] = []
    trip_cpu: list[float] = []

    def one_sync(cpu: list[float] | None = None) -> float:
        shutil.copyfile(book, copy)
        return _timed(sync, env, cpu=cpu)

    shutil.rmtree(tmp / "cache", ignore_errors=True)
    first = one_sync()  # an empty cache folder: the first click after an install or a rule-pack edit
    _timed(openpyxl, env)  # warm-up: openpyxl's bytecode under the same prefix
    syncs, trips = [], []
    for _ in range(runs):
        syncs.append(one_sync(sync_cpu))
        trips.append(_timed(openpyxl, env, cpu=trip_cpu))
    ratios = sorted(s / t for s, t in zip(syncs, trips, strict=True))
    cpu_ratios = sorted(s / t for s, t in zip(sync_cpu, trip_cpu, strict=True))
    shutil.copyfile(book, copy)
    owner = copy.with_name(f"~${copy.name}")  # Excel has it open: the sync refuses, in one line
    owner.write_bytes(b"\x05Ann Lee")
    locked = statistics.median(_timed(sync, env, refused=True) for _ in range(3))
    owner.unlink()
    sync_s, trip_s = statistics.median(syncs), statistics.median(trips)
    return {
        "book": book.name, "runs": runs, "sync_s": round(sync_s, 3), "openpyxl_s": round(trip_s, 3),
        "ratio": round(sync_s / trip_s, 2), "ratio_range": [round(ratios[0], 2), round(ratios[-1], 2)],
        "first_click_s": round(first, 3), "first_click_ratio": round(first / trip_s, 2),
        "excel_open_s": round(locked, 3),
        # CPU seconds (user + system) of the same processes: what a busy, shared machine disturbs least
        "sync_cpu_s": round(statistics.median(sync_cpu), 3), "openpyxl_cpu_s": round(statistics.median(trip_cpu), 3),
        "cpu_ratio": round(statistics.median(sync_cpu) / statistics.median(trip_cpu), 2),
        "cpu_ratio_range": [round(cpu_ratios[0], 2), round(cpu_ratios[-1], 2)],
    }


def bench_startup(quick: bool = False, progress: Callable[[str], None] = lambda _m: None) -> dict[str, object]:
    """The demo and the 100/400 book: process sync against process openpyxl round trip, medians and ratios."""
    sys.path.insert(0, str(ROOT / "tests"))
    import bench_workbooks

    runs = 3 if quick else 7
    runs = int(os.environ.get("SHEETSYNC_BENCH_STARTUP_RUNS", runs))  # more pairs on a busy machine
    with tempfile.TemporaryDirectory(prefix="sheetsync-bench-startup-") as name:
        tmp = Path(name)
        env = _environment(tmp)
        demo = tmp / "demo.xlsx"
        subprocess.run([sys.executable, "-m", "sheetsync", "init", str(demo), "--demo", "--today", DEMO_TODAY],
                       env=env, check=True, capture_output=True)
        campaign = tmp / "campaign-100.xlsx"
        made = bench_workbooks.build_campaign_workbook(campaign, 100)
        results = []
        for book, today in ((demo, DEMO_TODAY), (campaign, made.today.isoformat())):
            progress(f"startup: {book.name}, {runs} interleaved runs each")
            results.append(_pair(book, today, tmp, env, runs))
    return {"aim": AIM, "books": results}


def render_startup(figures: dict[str, object]) -> list[str]:
    lines = [f"Whole-process `sheetsync sync` against `openpyxl` load+save in its own process (aim <= {AIM}x):"]
    for f in figures["books"]:  # type: ignore[union-attr]
        low, high = f["ratio_range"]
        lines.append(
            f"   {f['book']:<20} sync {f['sync_s']:.2f} s   openpyxl {f['openpyxl_s']:.2f} s   "
            f"ratio {f['ratio']:.2f}x (pairs {low:.2f}-{high:.2f}, median of {f['runs']})   "
            f"first click, empty cache {f['first_click_s']:.2f} s ({f['first_click_ratio']:.2f}x)   "
            f"Excel has it open: refused in {f['excel_open_s']:.2f} s (aim < 2 s)"
        )
        if "cpu_ratio" in f:
            low, high = f["cpu_ratio_range"]
            lines.append(f"   {'':<20} CPU: sync {f['sync_cpu_s']:.2f} s   openpyxl {f['openpyxl_cpu_s']:.2f} s   "
                         f"ratio {f['cpu_ratio']:.2f}x (pairs {low:.2f}-{high:.2f})")
    return lines


if __name__ == "__main__":
    import json

    print(json.dumps(bench_startup("--quick" in sys.argv, lambda m: print(m, file=sys.stderr)), indent=2))
