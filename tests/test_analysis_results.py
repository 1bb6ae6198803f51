"""Analysis hands out typed rows joined to their outcomes; they agree with what a sync writes into the workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import sheetsync
from sheetsync.contract import DECISION_PENDING, OVERDUE, REVIEW_STAGE, TRIGGERED

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    """The demo, synced: its analysis, and its sheets as the workbook now shows them."""
    demo = sheetsync.make_demo(tmp_path_factory.mktemp("demo"), today=TODAY)
    frames = sheetsync.open(demo.path).frames(today=TODAY)
    return demo.report.analysis, frames


def _rows_flagged(frame, flag: str) -> list[int]:
    return [int(row) for row in frame.index[frame["Flag"] == flag]]


def test_overdue_work_is_what_the_sheets_flag_overdue(synced):
    analysis, frames = synced
    overdue = analysis.overdue()
    assert [r.task.row for r in overdue.tasks] == _rows_flagged(frames["Timeline"], OVERDUE)
    assert [r.review.row for r in overdue.reviews] == _rows_flagged(frames["Reviews"], OVERDUE)
    assert [r.item.row for r in overdue.feedback] == _rows_flagged(frames["Feedback"], OVERDUE)
    assert len(overdue) == 3  # the README's demo: one task, one review, one client request
    (task,) = overdue.tasks
    assert (task.task.id, task.due, task.projected_due) == ("T4", dt.date(2026, 11, 25), dt.date(2026, 11, 27))
    (review,) = overdue.reviews
    assert (review.review.asset, review.age) == ("Douyin script", 4)


def test_triggered_risks_carry_their_row_and_current_value(synced):
    analysis, frames = synced
    hits = analysis.triggered_risks()
    risks = frames["Risks"]
    assert [r.risk.row for r in hits] == _rows_flagged(risks, TRIGGERED)
    assert [r.current for r in hits] == [int(risks.loc[r.risk.row, "Current"]) for r in hits]
    assert [r.risk.id for r in hits] == ["R1", "R2", "R3"]


def test_reviews_by_stage_lists_pending_reviews_internal_first(synced):
    analysis, _ = synced
    stages = [r.review.stage for r in analysis.reviews_by_stage()]
    order = list(REVIEW_STAGE)
    assert stages == sorted(stages, key=order.index)
    assert all(r.review.decision == DECISION_PENDING for r in analysis.reviews_by_stage())
    assert len(stages) == len(analysis.pending_reviews()) > 0


def test_copy_findings_are_the_rows_whose_findings_cell_is_filled(synced):
    analysis, frames = synced
    reviews = frames["Reviews"]
    filled = [int(row) for row in reviews.index[reviews["Findings"].notna() & (reviews["Findings"] != "")]]
    assert [r.review.row for r in analysis.copy_findings()] == filled != []


def test_open_feedback_and_due_soon(synced):
    analysis, frames = synced
    feedback = frames["Feedback"]
    open_rows = [int(row) for row in feedback.index[~feedback["Status"].isin(["Done", "Won't do"])]]
    assert [r.item.row for r in analysis.open_feedback()] == open_rows
    horizon = analysis.calendar.add_workdays(TODAY, 5)
    soon = analysis.due_soon(5)
    assert soon and all(TODAY <= r.due <= horizon and not r.task.is_done for r in soon)
    assert [r.due for r in soon] == sorted(r.due for r in soon)


def test_results_are_frozen(synced):
    analysis, _ = synced
    record = analysis.task_results()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.task = None  # type: ignore[misc]


def test_schedule_order_puts_every_task_after_what_it_waits_on(synced):
    analysis, _ = synced
    ordered = analysis.schedule_order()
    assert sorted(r.task.row for r in ordered) == [r.task.row for r in analysis.task_results()]
    position = {r.task.id: i for i, r in enumerate(ordered)}
    for r in ordered:
        assert all(position[p] < position[r.task.id] for p in r.task.depends_on if p in position), r.task.id
