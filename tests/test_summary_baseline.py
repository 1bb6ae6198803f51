"""`sync` and `check` say the launch against its committed date under the launch line; `sync --json` carries it.

The book is the demo with a baseline typed in by hand (see test_digest_baseline.py for the hand-worked
variances): committed launch 2026-12-21 (Monday), projected 2026-12-24 (Thursday) — Dec 21, 22, 23 = 3
working days late.
"""

from __future__ import annotations

import datetime as dt
import json

from test_digest_baseline import TODAY, demo, late_line, set_baseline

from sheetsync.cli import main


def test_sync_and_check_put_the_baseline_under_the_launch_line(tmp_path, capsys):
    path = demo(tmp_path, "en")
    set_baseline(path, "en", "Sign-off", dt.date(2026, 12, 21))
    for command in ("sync", "check"):
        capsys.readouterr()
        assert main([command, str(path), "--today", TODAY]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[1:3] == [
            "Launch 2026-12-24: on track",
            '  Launch 2026-12-24 — 3 working days later than committed (2026-12-21, baseline "Sign-off")',
        ], command


def test_a_chinese_book_says_it_in_its_language(tmp_path, capsys):
    path = demo(tmp_path, "zh")
    set_baseline(path, "zh", "客户确认", dt.date(2026, 12, 21))
    capsys.readouterr()
    assert main(["check", str(path), "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "上线日期 2026-12-24：按计划进行"
    assert lines[2] == "  " + late_line("zh", "2026-12-24", 3, "2026-12-21", "客户确认")


def test_sync_json_has_the_baseline(tmp_path, capsys):
    path = demo(tmp_path, "en")
    set_baseline(path, "en", "Sign-off", dt.date(2026, 12, 21))
    capsys.readouterr()
    assert main(["sync", str(path), "--today", TODAY, "--json"]) == 0
    baseline = json.loads(capsys.readouterr().out)["baseline"]
    assert baseline == {
        "name": "Sign-off",
        "launch": "2026-12-21",
        "launch_variance_days": 3,
        "variances": {"T1": -1, "T2": 5, "T3": 0, "T4": 2, "T5": 0, "T6": None, "T7": 5, "T8": 0, "T9": 4,
                      "T10": 4, "T11": None, "T12": 1, "T13": 2},
    }
