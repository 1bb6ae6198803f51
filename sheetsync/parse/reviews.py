"""The Reviews sheet → typed Review rows (engine/reviews.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..contract import DECISION_PENDING, REVIEW_DECISION, REVIEW_STAGE, REVIEWS
from ..i18n import _
from ..problems import Problem
from ..raw import RawWorkbook
from .cells import to_choice, to_date, to_int
from .table_view import INVALID, Memo, TableView, locate_table


@dataclass(frozen=True)
class Review:
    """One Reviews row: one gate's decision on one round of one asset."""

    row: int
    asset: str
    round: int
    stage: str | None  # Internal | Client | Compliance
    reviewer: str
    submitted_on: dt.date | None
    decision: str  # Pending | Approved | Changes requested | Rejected (blank = Pending)
    decided_on: dt.date | None
    copy: str
    unreadable: tuple[str, ...] = ()  # columns whose cell is reported unreadable: the row's flag is CHECK


@dataclass
class ReviewRows:
    view: TableView | None
    reviews: list[Review] = field(default_factory=list)
    unreadable_rows: list[int] = field(default_factory=list)


def parse_reviews(workbook: RawWorkbook, problems: list[Problem]) -> ReviewRows:
    """Read every review row; a row without an asset is reported and left out (unreadable_rows: flagged CHECK)."""
    view = locate_table(workbook, REVIEWS, problems, required=False)
    result = ReviewRows(view=view)
    if view is None or not view.usable:
        return result
    # each distinct cell value is read once: a big book repeats the same rounds, stages, dates and names
    read_round = view.column_reader("Round", Memo(lambda v: to_int(v, what="rounds")), problems)
    read_stage = view.column_reader("Stage", Memo(lambda v: to_choice(v, REVIEW_STAGE)), problems)
    read_decision = view.column_reader("Decision", Memo(lambda v: to_choice(v, REVIEW_DECISION)), problems)
    read_date = Memo(to_date)
    read_submitted = view.column_reader("Submitted on", read_date, problems)
    read_decided = view.column_reader("Decided on", read_date, problems)
    asset_of, reviewer_of = view.column_text("Asset"), view.column_text("Reviewer")
    copy_of = view.column_text("Copy", as_written=True)
    for row in view.data_rows():
        asset = asset_of(row)
        round_no = read_round(row)
        stage = read_stage(row)
        submitted = read_submitted(row)
        decision = read_decision(row)
        decided = read_decided(row)
        read = {"Round": round_no, "Stage": stage, "Submitted on": submitted, "Decision": decision,
                "Decided on": decided}
        unreadable = tuple(column for column, value in read.items() if value is INVALID)
        if not asset:
            problems.append(
                Problem(
                    view.title,
                    view.locate(row, "Asset"),
                    _("the review has no asset"),
                    _("name the asset (a Timeline ID such as T7, or the creative's name)"),
                )
            )
            result.unreadable_rows.append(row)
            continue
        if round_no == 0:
            problems.append(
                Problem(view.title, view.locate(row, "Round"), _("round 0 does not exist"), _("number rounds from 1"))
            )
        result.reviews.append(
            Review(
                row=row,
                asset=asset,
                round=round_no if isinstance(round_no, int) and round_no > 0 else 1,
                stage=stage if isinstance(stage, str) else None,
                reviewer=reviewer_of(row),
                submitted_on=submitted if isinstance(submitted, dt.date) else None,
                decision=decision if isinstance(decision, str) else DECISION_PENDING,
                decided_on=decided if isinstance(decided, dt.date) else None,
                copy=copy_of(row),
                unreadable=unreadable,
            )
        )
    return result
