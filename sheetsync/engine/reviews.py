"""The review log: three gates per round, counted rounds, pending reviews against the SLA, copy findings.

Pure. Semantics (DESIGN.md, "Review and compliance semantics"): each asset moves
Internal → Client → Compliance within a round; `Changes requested` or
`Rejected` opens the next round; rounds beyond `Max revision rounds` are a
revision loop; a `Pending` review older than `Review SLA` working days is
overdue (DUE SOON on its last day); approving copy that still has high or
critical findings is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from ..contract import (
    APPROVED,
    APPROVED_WITH_FINDINGS,
    CHANGES_REQUESTED,
    CHECK,
    DECISION_APPROVED,
    DECISION_CHANGES_REQUESTED,
    DECISION_PENDING,
    DECISION_REJECTED,
    DUE_SOON,
    FINDINGS,
    IN_PROGRESS,
    OVERDUE,
    PENDING,
    REJECTED,
    REVIEW_DECISION,
    REVIEW_STAGE,
    REVIEWS,
    REVISION_LOOP,
    SENT_BACK,
    STATUS_DONE,
    TASK_STATUS,
    TIMELINE,
    choice_label,
)
from ..i18n import _
from ..problems import Problem, column_label, or_list
from .calendar import WorkCalendar
from .compliance import evidence_setting
from .schedule import Task

STAGES = tuple(REVIEW_STAGE)
_DECISION_FLAG = {
    DECISION_APPROVED: APPROVED, DECISION_CHANGES_REQUESTED: CHANGES_REQUESTED, DECISION_REJECTED: REJECTED
}
BLOCKING_SEVERITIES = ("critical", "high")


class ReviewLike(Protocol):
    row: int
    asset: str
    round: int
    stage: str | None
    reviewer: str
    submitted_on: dt.date | None
    decision: str
    decided_on: dt.date | None
    copy: str
    unreadable: tuple[str, ...]  # columns whose cell could not be read (already reported)


class FindingLike(Protocol):
    category: str
    severity: str
    term: str
    source: str
    suggestion: str


class Checker(Protocol):
    def check(self, text: str) -> Sequence[FindingLike]: ...


@dataclass(frozen=True)
class ReviewOutcome:
    """What sheetsync writes on a Reviews row."""

    flag: str
    findings: tuple[FindingLike, ...]
    age: int | None = None  # working days a pending review has waited


@dataclass(frozen=True)
class AssetStatus:
    """Where an asset stands across its rounds."""

    asset: str
    latest_round: int
    passed: bool  # the latest round is approved at all three gates
    revisions: int  # rounds sent back (Changes requested or Rejected)
    waiting_at: str | None  # the first gate of the latest round not yet approved
    open_findings: int  # findings on the latest copy not cleared by all three gates


@dataclass
class ReviewLog:
    rows: dict[int, ReviewOutcome] = field(default_factory=dict)
    assets: dict[str, AssetStatus] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


Locator = Callable[[int, str], str]


def check_reviews(
    reviews: Sequence[ReviewLike],
    *,
    today: dt.date,
    calendar: WorkCalendar,
    sla: int,
    max_rounds: int,
    checker: Checker,
    sheet: str = "Reviews",
    locate: Locator = lambda row, column: f"{column}{row}",
    unreadable_rows: Sequence[int] = (),
) -> ReviewLog:
    """Check the workflow of every asset and the copy of every row; a row with an unreadable cell (or in
    `unreadable_rows`: no asset) is flagged CHECK, since its flag would rest on a guess."""
    log = ReviewLog()
    checker = _Memo(checker)  # the same copy is usually checked at each of the three gates

    def problem(row: int, column: str, what: str, fix: str) -> None:
        log.problems.append(Problem(sheet, locate(row, column), what, fix))

    for review in reviews:
        _check_row(review, today, problem)

    by_asset: dict[str, list[ReviewLike]] = defaultdict(list)
    for review in reviews:
        by_asset[review.asset].append(review)
    for asset, rows in by_asset.items():
        log.assets[asset] = _check_asset(asset, rows, checker, problem)

    for review in reviews:
        log.rows[review.row] = _outcome(review, today, calendar, sla, max_rounds, checker)
    for row in unreadable_rows:
        log.rows[row] = ReviewOutcome(CHECK, ())
    return log


class _Memo:
    """Check each distinct text once per sync."""

    def __init__(self, checker: Checker) -> None:
        self._checker = checker
        self._seen: dict[str, tuple[FindingLike, ...]] = {}

    def check(self, text: str) -> tuple[FindingLike, ...]:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = tuple(self._checker.check(text))
        return found


def _check_row(review: ReviewLike, today: dt.date, problem: Callable[[int, str, str, str], None]) -> None:
    decided = review.decided_on  # the usual row passes every check below: no words are made for it
    if review.stage is not None and review.reviewer and review.submitted_on is not None and (
        (decided is None) == (review.decision == DECISION_PENDING)
        and (decided is None or review.submitted_on <= decided <= today)
    ):
        return
    where = _round(review.asset, review.round)
    if review.stage is None and "Stage" not in review.unreadable:  # an unreadable stage is reported already
        problem(
            review.row,
            "Stage",
            _("the review of {review} has no stage", review=where),
            _("pick {stages}", stages=or_list(_stage(s) for s in STAGES)),
        )
    if not review.reviewer:
        problem(
            review.row, "Reviewer", _("the review of {review} has no reviewer", review=where), _("write who reviews it")
        )
    if review.submitted_on is None and "Submitted on" not in review.unreadable:
        problem(
            review.row,
            "Submitted on",
            _("the review of {review} has no submission date", review=where),
            _("write the date the copy was sent for review"),
        )
    guessed = review.unreadable  # unreadable cells are reported already: not also "missing" or contradicting
    if review.decision != DECISION_PENDING and review.decided_on is None and "Decided on" not in guessed:
        problem(
            review.row,
            "Decided on",
            _('"{decision}" has no decision date', decision=choice_label(review.decision, REVIEW_DECISION)),
            _("write the date it was decided"),
        )
    if review.decision == DECISION_PENDING and review.decided_on is not None and "Decision" not in guessed:
        problem(
            review.row,
            "Decision",
            _(
                "the review of {review} has a decision date but is still {pending}",
                review=where,
                pending=choice_label(DECISION_PENDING, REVIEW_DECISION),
            ),
            _("write the decision, or clear {decided_on}", decided_on=column_label(REVIEWS, "Decided on")),
        )
    if review.decided_on and review.submitted_on and review.decided_on < review.submitted_on:
        decided, submitted = review.decided_on.isoformat(), review.submitted_on.isoformat()
        what = _("decided on {decided}, before it was submitted ({submitted})", decided=decided, submitted=submitted)
        problem(review.row, "Decided on", what, _("correct one of the two dates"))
    if review.decided_on and review.decided_on > today:
        decided, today_text = review.decided_on.isoformat(), today.isoformat()
        what = _("decided on {decided}, after today ({today})", decided=decided, today=today_text)
        problem(review.row, "Decided on", what, _("correct the date"))


def _stage(stage: str) -> str:
    return choice_label(stage, REVIEW_STAGE)


def _round(asset: str, number: int) -> str:
    return _("{asset} round {round}", asset=asset, round=number)



def _check_asset(
    asset: str, rows: list[ReviewLike], checker: Checker, problem: Callable[[int, str, str, str], None]
) -> AssetStatus:
    rounds: dict[int, list[ReviewLike]] = defaultdict(list)
    for review in rows:
        rounds[review.round].append(review)
    numbers = sorted(rounds)

    for number in numbers:
        staged = {s: [r for r in rounds[number] if r.stage == s] for s in STAGES}
        for i, stage in enumerate(STAGES[1:], start=1):
            for later in staged[stage]:
                earlier_stage = STAGES[i - 1]
                earlier = staged[earlier_stage]
                if not earlier:
                    problem(
                        later.row,
                        "Stage",
                        _(
                            "the {stage} review of {review} is recorded, but that round has no {earlier} review",
                            stage=_stage(stage),
                            review=_round(asset, number),
                            earlier=_stage(earlier_stage),
                        ),
                        _(
                            "record the {earlier} review first (reviews go {order})",
                            earlier=_stage(earlier_stage),
                            order=" → ".join(_stage(s) for s in STAGES),
                        ),
                    )
                    continue
                before = earlier[-1]
                approved_in_time = before.decision == DECISION_APPROVED and (
                    before.decided_on is None or later.submitted_on is None or before.decided_on <= later.submitted_on
                )
                if not approved_in_time:
                    problem(
                        later.row,
                        "Stage",
                        _(
                            "the {stage} review of {review} (row {row}) is recorded before "
                            "the {earlier} review (row {earlier_row}) approved it",
                            stage=_stage(stage),
                            review=_round(asset, number),
                            row=later.row,
                            earlier=_stage(earlier_stage),
                            earlier_row=before.row,
                        ),
                        _(
                            "wait for {earlier} approval, or correct row {earlier_row}'s decision or dates",
                            earlier=_stage(earlier_stage),
                            earlier_row=before.row,
                        ),
                    )
        if number != numbers[0]:
            previous = rounds.get(number - 1)
            first = min(rounds[number], key=lambda r: r.row)
            if previous is None:
                problem(
                    first.row,
                    "Round",
                    _(
                        "{asset} has round {round} but no round {previous}",
                        asset=asset,
                        round=number,
                        previous=number - 1,
                    ),
                    _("number the rounds of an asset 1, 2, 3 … without gaps"),
                )
            elif not any(r.decision in SENT_BACK or "Decision" in r.unreadable for r in previous):
                problem(
                    first.row,
                    "Round",
                    _(
                        "{review} starts, but round {previous} was not sent back (no {sent_back})",
                        review=_round(asset, number),
                        previous=number - 1,
                        sent_back=or_list(choice_label(d, REVIEW_DECISION) for d in SENT_BACK),
                    ),
                    _(
                        "record the decision that sent round {previous} back, "
                        "or keep these reviews in round {previous}",
                        previous=number - 1,
                    ),
                )

    latest = numbers[-1]
    latest_rows = rounds[latest]
    approved = {s for s in STAGES if any(r.stage == s and r.decision == DECISION_APPROVED for r in latest_rows)}
    waiting = next((s for s in STAGES if s not in approved), None)
    revisions = sum(1 for n in numbers if any(r.decision in SENT_BACK for r in rounds[n]))
    copy = next((r.copy for r in sorted(latest_rows, key=lambda r: r.row, reverse=True) if r.copy), "")
    # Open: any finding while the copy has not passed all gates; after that, only the
    # high and critical ones a gate approved anyway (APPROVED WITH FINDINGS).
    findings = checker.check(copy) if copy else ()
    open_findings = len(findings) if waiting else sum(1 for f in findings if f.severity in BLOCKING_SEVERITIES)
    return AssetStatus(asset, latest, waiting is None, revisions, waiting, open_findings)


def _outcome(
    review: ReviewLike, today: dt.date, calendar: WorkCalendar, sla: int, max_rounds: int, checker: Checker
) -> ReviewOutcome:
    findings = tuple(checker.check(review.copy)) if review.copy else ()
    age = None
    if review.decision == DECISION_PENDING and review.submitted_on is not None:
        age = calendar.count(review.submitted_on.toordinal() + 1, today.toordinal() + 1)
    if review.decision == DECISION_APPROVED and any(f.severity in BLOCKING_SEVERITIES for f in findings):
        flag = APPROVED_WITH_FINDINGS
    elif review.round > max_rounds:
        flag = REVISION_LOOP
    elif review.unreadable:
        flag = CHECK
    elif age is not None and age > sla:
        flag = OVERDUE
    elif findings and review.decision != DECISION_APPROVED:
        flag = FINDINGS
    elif age is not None and age == sla:
        flag = DUE_SOON
    else:
        flag = _DECISION_FLAG.get(review.decision, PENDING)
    return ReviewOutcome(flag, findings, age)


def with_remedy(line: str, f: FindingLike) -> str:
    """A finding's line (Findings cell, digest) followed by what clears it: the Project setting a needs-evidence
    finding waits for, then a safer wording."""
    if getattr(f, "evidence", ""):
        line = _("{finding} · needs evidence: {setting}", finding=line, setting=evidence_setting(f.evidence))
    if f.suggestion:
        line = _("{finding} → try: {suggestion}", finding=line, suggestion=f.suggestion)
    return line


def link_to_timeline(
    tasks: Sequence[Task],
    assets: dict[str, AssetStatus],
    *,
    sla: int,
    sheet: str,
    reviews_sheet: str,
    locate: Locator = lambda row, column: f"{column}{row}",
) -> tuple[list[Task], list[Problem]]:
    """Reviews drive the timeline: an asset named like a Timeline ID gates that task.

    The task is not finished until the asset's latest round passed all three gates
    (Done without it is a Problem, and the task is tracked as in progress), and each
    round sent back adds `Review SLA` working days to its projection, so extra rounds
    visibly eat buffer.
    """
    problems: list[Problem] = []
    linked: list[Task] = []
    for task in tasks:
        status = assets.get(task.id)
        if status is None:
            linked.append(task)
            continue
        if task.is_done and not status.passed:
            problems.append(
                Problem(
                    sheet,
                    locate(task.row, "Status"),
                    _(
                        "{task} is {done}, but round {round} of its copy has not passed "
                        "the {stage} review; it is tracked as in progress",
                        task=task.id,
                        done=choice_label(STATUS_DONE, TASK_STATUS),
                        round=status.latest_round,
                        stage=_stage(status.waiting_at or ""),
                    ),
                    _(
                        "finish the {stage} review in the {reviews} sheet, or set {status} back to {in_progress}",
                        stage=_stage(status.waiting_at or ""),
                        reviews=reviews_sheet,
                        status=column_label(TIMELINE, "Status"),
                        in_progress=choice_label(IN_PROGRESS, TASK_STATUS),
                    ),
                )
            )
            task = replace(task, status=IN_PROGRESS, done_on=None)
        if not task.is_done and status.revisions:
            task = replace(task, review_delay=status.revisions * sla)
        linked.append(task)
    return linked, problems
