"""scripts/bench runs end to end and reports every figure (its speed is not tested: benchmarks are not tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench"


def test_quick_bench_reports_every_figure_as_json():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--sizes", "20,50", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)

    assert set(results) >= {"machine", "aims", "sync", "engine", "tj3", "memory", "lint_copy", "digests", "chats", "google"}
    assert [s["rows"] for s in results["sync"]] == [20, 50]
    sync = results["sync"][-1]
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
    chats = results["chats"]
    assert chats["channels"] == chats["posted"] == 50
    assert chats["accepted_posts"] >= 50 and chats["post_s"] > 0 and chats["outbox_s"] > 0

    google = results["google"]
    assert [g["rows"] for g in google] == [20, 50]  # the sizes given, as in section 1
    first_calls = google[0]["first_sync_calls"]
    assert first_calls == {"spreadsheets.get": 1, "spreadsheets.values.batchGet": 1, "spreadsheets.batchUpdate": 1,
                           "spreadsheets.values.batchUpdateByDataFilter": 1}  # tags (first write), then values
    for g in google:
        assert g["first_sync_calls"] == first_calls  # the same few calls at every size
        assert g["second_sync_calls"] == {"spreadsheets.get": 1}  # nothing changed: the read only
        assert g["first_sync_tokens"] == g["second_sync_tokens"] == 1  # counted apart: one per run
        assert g["first_sync_changed_cells"] == g["xlsx_first_sync_changed_cells"] > 0  # same changes as xlsx
        assert g["first_sync_wrote"] is True
        assert g["second_sync_wrote"] is False and g["second_sync_changed_cells"] == 0
        assert g["repetitions"] >= 1 and g["read_mb"] > 0
        for which in ("first", "second"):
            for key in (f"{which}_sync_s", f"{which}_sync_fake_s", f"xlsx_{which}_sync_s", f"{which}_sync_ratio"):
                assert g[key] > 0, (g["rows"], key)
