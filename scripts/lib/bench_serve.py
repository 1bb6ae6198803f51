"""scripts/bench, section 8: a Sheets-menu click through `sheetsync serve` beside the command line's sync.

The service is the real app on uvicorn (tests/serve_server.py), warm: started, rule packs
compiled, signed in to the fake Google. A click is one `POST /v1/sheets/KEY/sync`; its
service time is the access log's `ms` (request in to answer out, on the server) and the
client's round trip beside it. The command line is `sheetsync sync gsheet:KEY` in a fresh
process, start-up included, as cron or a person at a terminal runs it. Both sync the same
generated campaign, loaded fresh into the fake Google of tests/fake_google for each run:
a first sync (every computed cell written) and a second one (nothing changed).

The fake is a Python test server on 127.0.0.1: its time is in both columns alike, and no
network or Google-side time is in either.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SIZES = (50, 5000)


def repetitions(rows: int, quick: bool) -> int:
    if quick:
        return 2 if rows <= 500 else 1
    return 5 if rows <= 500 else 2


def cli_sync(key: str, today: dt.date) -> float:
    """Seconds for `sheetsync sync gsheet:KEY` in a fresh process, Python's start-up included."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sheetsync", "sync", f"gsheet:{key}", "--today", today.isoformat()],
        capture_output=True, text=True, env=env, timeout=600,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"sheetsync sync failed: {done.stderr.strip()}")
    return seconds


def click(url: str, key: str, token: str, today: dt.date, log: Path) -> tuple[float, float, dict[str, Any]]:
    """One menu click: (service ms from the access log, client round trip s, the answer)."""
    from serve_server import post

    lines_before = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    started = time.perf_counter()
    answer = post(url, key, "sync", token, {"today": today.isoformat()})
    round_trip = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"the service answered {answer.status_code}: {answer.text}")
    lines: list[str] = []
    for _ in range(200):  # the log line is written once the answer has gone out: wait for it
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        if len(lines) > lines_before:
            break
        time.sleep(0.01)
    return json.loads(lines[-1])["ms"] / 1000, round_trip, answer.json()


def bench_serve(
    sizes: list[int], folder: Path, quick: bool, *, build: Callable[[Path, int], object],
    content: Callable[[Path], Any],
    load_into_fake: Callable[[Any, Any], str], timed_fake: Callable[[], Any], google_env: Callable[..., Any],
    today: dt.date, progress: Callable[[str], None],
) -> dict[str, object]:
    """For each size: first and second sync by a warm service and by the command line, medians and ratios."""
    from serve_server import running_service

    from sheetsync.serve import TokenStore

    results = []
    fake = timed_fake()
    try:
        with google_env(fake, folder / "service-account.json"), tempfile.TemporaryDirectory() as state:
            log = Path(state) / "access.log"
            store = TokenStore(state)
            with running_service(state, log=log, rate=0, google_rate=0) as url:
                warm = load_into_fake(fake, content(_campaign(folder, 10, build)))
                click(url, warm, store.add(warm), today, log)  # signs in; loads what the first click would
                for rows in sizes:
                    progress(f"serve: {rows} rows")
                    source = content(_campaign(folder, rows, build))
                    reps = repetitions(rows, quick)
                    figures: dict[str, list[float]] = {k: [] for k in (
                        "service_first_s", "service_second_s", "round_trip_first_s", "round_trip_second_s",
                        "cli_first_s", "cli_second_s")}
                    changed = 0
                    for _ in range(reps):
                        key = load_into_fake(fake, source)
                        token = store.add(key)
                        for which in ("first", "second"):
                            service_s, round_trip_s, answer = click(url, key, token, today, log)
                            figures[f"service_{which}_s"].append(service_s)
                            figures[f"round_trip_{which}_s"].append(round_trip_s)
                            changed = answer["changed_cells"] if which == "first" else changed
                        key = load_into_fake(fake, source)
                        for which in ("first", "second"):
                            figures[f"cli_{which}_s"].append(cli_sync(key, today))
                    medians = {name: statistics.median(values) for name, values in figures.items()}
                    results.append({
                        "rows": rows, "repetitions": reps, "first_sync_changed_cells": changed, **medians,
                        "ratio_first": medians["cli_first_s"] / medians["service_first_s"],
                        "ratio_second": medians["cli_second_s"] / medians["service_second_s"],
                    })
    finally:
        fake.stop()
    return {"sizes": results}


def _campaign(folder: Path, rows: int, build: Callable[[Path, int], object]) -> Path:
    path = folder / f"serve-campaign-{rows}.xlsx"
    if not path.exists():
        build(path, rows)
    return path


def render_serve(serve: dict) -> list[str]:
    lines = [
        "8. A Sheets-menu click through `sheetsync serve` (warm: started, packs compiled, signed in) beside",
        "   `sheetsync sync gsheet:KEY` in a fresh process (start-up included); same sheet, fake Google (median)",
        f"{'rows':>6} {'reps':>5} {'changed':>8} {'click s':>8} {'(client)':>9} {'CLI s':>7} {'ratio':>6} "
        f"{'2nd click s':>12} {'(client)':>9} {'CLI s':>7} {'ratio':>6}",
    ]
    for s in serve["sizes"]:
        lines.append(
            f"{s['rows']:>6} {s['repetitions']:>5} {s['first_sync_changed_cells']:>8} {s['service_first_s']:>8.3f} "
            f"{s['round_trip_first_s']:>9.3f} {s['cli_first_s']:>7.3f} {s['ratio_first']:>6.1f} "
            f"{s['service_second_s']:>12.3f} {s['round_trip_second_s']:>9.3f} {s['cli_second_s']:>7.3f} "
            f"{s['ratio_second']:>6.1f}"
        )
    lines += [
        "   click: the service's own time, request in to answer out (its access log); client: the HTTP round",
        "   trip; ratio: CLI / click. The fake's time is in both alike; no network or Google time is in either.",
    ]
    return lines
