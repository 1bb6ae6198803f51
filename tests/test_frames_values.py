"""frames() hold the values the engine used: dates typed as text or serials, numbers typed as text, choice words."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import TODAY

import sheetsync


def _serial(day: dt.date) -> int:
    """The number Excel shows for a date in a cell formatted as a number."""
    return (day - dt.date(1899, 12, 30)).days


TIMELINE = [  # a Chinese book, typed the way people type: dates as Chinese text, slashes or serials
    {"ID": "T1", "Milestone": "方案", "Duration": "2", "Buffer": 1, "Status": "已完成", "Done on": "2026年2月27日"},
    {"ID": "T2", "Milestone": "初稿", "Depends on": "T1", "Duration": 3, "Status": "进行中",
     "Fixed due": _serial(dt.date(2026, 3, 13))},
    {"ID": "T3", "Milestone": "内审", "Depends on": "T1，T2", "Duration": "1", "Fixed due": "2026/3/12"},
    {"ID": 4, "Milestone": "上线", "Depends on": "T3", "Duration": 0},
]
REVIEWS = [
    {"Asset": "主视觉", "Round": "2", "Stage": "客户", "Submitted on": "2026年2月25日", "Decision": "通过",
     "Decided on": _serial(dt.date(2026, 2, 26))},
    {"Asset": "抖音脚本", "Round": 1, "Stage": "内部", "Submitted on": _serial(dt.date(2026, 2, 27)), "Decision": "待审"},
]
FEEDBACK = [{"Received on": "2026年3月1日", "Request": "换产品图", "Agreed due": "2026/3/6", "Status": "待处理"}]


@pytest.fixture
def book(make_campaign):
    campaign = make_campaign(lang="zh", timeline=TIMELINE)
    campaign.set_rows("Reviews", REVIEWS)
    campaign.set_rows("Feedback", FEEDBACK)
    return sheetsync.open(campaign.path)


def _day(value: object) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _typed(value: object) -> object:
    """A frame value, a blank cell as None."""
    return None if not isinstance(value, list) and pd.isna(value) else value


def test_timeline_frame_holds_what_the_schedule_used(book):
    analysis = book.check(today=TODAY).analysis
    frame = book.frame("时间表", today=TODAY)

    assert [t.row for t in analysis.tasks] == list(frame.index) == [2, 3, 4, 5]
    for result in analysis.task_results():
        task, row = result.task, frame.loc[result.task.row]
        assert row["ID"] == task.id
        assert row["Duration"] == task.duration
        assert (_typed(row["Buffer"]) or 0, _typed(row["Depends on"]) or [], _typed(row["Status"]) or "Not started") == (
            task.buffer, list(task.depends_on), task.status
        )  # a blank cell is the engine's default
        assert _day(row["Fixed due"]) == task.fixed_due
        assert _day(row["Done on"]) == task.done_on
        assert _day(row["Due"]) == result.due and row["Flag"] == result.flag

    assert frame.loc[2, "Done on"] == pd.Timestamp("2026-02-27")  # 2026年2月27日
    assert frame.loc[3, "Fixed due"] == pd.Timestamp("2026-03-13")  # a serial
    assert frame.loc[4, "Fixed due"] == pd.Timestamp("2026-03-12")  # 2026/3/12
    assert frame["Fixed due"].dtype.kind == "M"
    assert frame.loc[2, "Duration"] == 2 and frame["Duration"].dtype == "Int64"  # "2" typed as text
    assert frame.loc[2, "Status"] == "Done" and frame.loc[4, "Depends on"] == ["T1", "T2"]
    assert frame.loc[5, "ID"] == "4"


def test_reviews_and_feedback_frames_hold_what_the_engine_used(book):
    analysis = book.check(today=TODAY).analysis
    frames = book.frames(today=TODAY)

    reviews = frames["Reviews"]
    assert [r.row for r in analysis.reviews.reviews] == list(reviews.index)
    for review in analysis.reviews.reviews:
        row = reviews.loc[review.row]
        assert (row["Round"], row["Stage"], row["Decision"]) == (review.round, review.stage, review.decision)
        assert _day(row["Submitted on"]) == review.submitted_on
        assert _day(row["Decided on"]) == review.decided_on
    assert reviews["Submitted on"].tolist() == [pd.Timestamp("2026-02-25"), pd.Timestamp("2026-02-27")]

    feedback = frames["Feedback"]
    (item,) = analysis.feedback.items
    row = feedback.loc[item.row]
    assert (_day(row["Received on"]), _day(row["Agreed due"]), row["Status"]) == (
        item.received_on, item.agreed_due, item.status
    ) == (dt.date(2026, 3, 1), dt.date(2026, 3, 6), "Open")


def test_a_cell_the_engine_cannot_read_is_empty_and_extra_columns_stay_as_typed(make_campaign):
    campaign = make_campaign()
    campaign.set_timeline([{"Duration": "x", "Fixed due": "someday"}])
    campaign.edit(lambda wb: wb["Timeline"].cell(1, 30, "My notes") and wb["Timeline"].cell(2, 30, "2026年3月1日"))
    book = sheetsync.open(campaign.path)

    frame = book.frame("Timeline", today=TODAY)
    problems = book.frame("Problems", today=TODAY)

    assert pd.isna(frame.loc[2, "Duration"]) and pd.isna(frame.loc[2, "Fixed due"])
    assert {"E2", "G2"} <= set(problems["cell"])  # the Problems frame says why
    assert frame.loc[2, "My notes"] == "2026年3月1日"
