"""scripts/bench runs end to end and reports every figure (its speed is not tested: benchmarks are not tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench"


def test_quick_bench_reports_every_figure_as_json():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--sizes", "50", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)

    assert set(results) >= {"machine", "aims", "sync", "engine", "tj3", "memory"}
    [sync] = results["sync"]
    assert sync["rows"] == 50 and sync["reviews"] == 200
    for key in ("openpyxl_round_trip_s", "first_sync_s", "first_sync_ratio", "second_sync_s", "second_sync_ratio"):
        assert sync[key] > 0, key
    assert sync["first_sync_changed_cells"] > 0
    assert sync["second_sync_wrote"] is False  # a second sync with no edits writes nothing

    engine = results["engine"]
    assert engine["tasks"] == 10_000
    for key in ("schedule_s", "baseline_s", "ratio"):
        assert engine[key] > 0, key

    if results["tj3"] is not None:  # None when tj3 is not installed
        tj3 = results["tj3"]
        assert tj3["tj3_s"] > 0 and tj3["schedule_s"] > 0 and tj3["ratio"] > 0
        assert tj3["dates_agree"] == tj3["tasks"] == 500

    memory = results["memory"]
    assert memory["rows"] == 50
    for key in ("sync_peak_mb", "openpyxl_load_peak_mb", "ratio"):
        assert memory[key] > 0, key

    lint = results["lint_copy"]
    assert lint["texts"] == 10_000 and lint["startup_s"] > 0
    assert set(lint["markets"]) == {"zh", "en"}
    assert all(m["seconds"] > 0 and m["ratio_to_startup"] > 0 for m in lint["markets"].values())

    digests = results["digests"]
    assert digests["recipients"] == 50 and digests["delivered"] == digests["received"] == 50
    assert digests["send_s"] > 0 and digests["outbox_s"] > 0
