"""The library API the CLI uses: sheetsync.open(...).sync()/.check()/.frames()."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import TODAY

import sheetsync


def test_open_check_sync_and_frames(make_campaign):
    campaign = make_campaign()
    book = sheetsync.open(campaign.path)
    report = book.check(today=TODAY)
    assert report.written is False and report.problems == []
    assert report.launch.date == dt.date(2026, 3, 14) and not report.launch.at_risk

    timeline = book.frame("Timeline", today=TODAY)
    assert list(timeline.index) == [2, 3, 4, 5]  # sheet rows, to find them again
    assert timeline.loc[3, "Due"] == pd.Timestamp("2026-03-11")
    assert timeline.loc[5, "Flag"] == "OK"
    assert book.frame("时间表", today=TODAY).equals(timeline)

    report = book.sync(today=TODAY)
    assert report.written and report.changed_cells == 4 * 5 + 4 + 5  # 4 tasks × 5 computed cells, 4 RACI checks, one Log row
    again = book.sync(today=TODAY)
    assert again.written is False and again.changed_cells == 0
    assert set(book.frames(today=TODAY)) >= {"Project", "Timeline", "Problems", "Log"}


def test_problems_frame_and_error_root(make_campaign, tmp_path):
    campaign = make_campaign()
    campaign.set_timeline([{"Duration": "x"}])
    frame = sheetsync.open(campaign.path).frame("Problems", today=TODAY)
    assert frame.to_dict("records") == [
        {"sheet": "Timeline", "cell": "E2", "problem": '"x" is not a number of working days',
         "fix": "write a whole number such as 3; until then it is planned as 1 working day"}
    ]
    with pytest.raises(sheetsync.SheetsyncError):
        sheetsync.open(tmp_path / "missing.xlsx").check()
