"""Sheet rows joined to what the engine computed for them: the typed results `Analysis` hands out.

Each record is a parsed row (a Timeline task, a Reviews row, a Feedback
request, a Risks row) and its outcome, frozen together, so that front ends and
the digest read "this task, due then, OVERDUE" without matching row numbers or
IDs against the engine's tables themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .contract import DECISION_PENDING, FEEDBACK_CLOSED, OVERDUE
from .engine.feedback import FeedbackOutcome
from .engine.reviews import FindingLike, ReviewOutcome
from .engine.risks import RiskOutcome
from .engine.schedule import Task, TaskDates
from .parse.feedback import FeedbackRow
from .parse.reviews import Review
from .parse.risks import RiskRow


@dataclass(frozen=True)
class TaskResult:
    """A Timeline task and its computed dates and flag."""

    task: Task
    dates: TaskDates

    @property
    def flag(self) -> str:
        return self.dates.flag

    @property
    def due(self) -> dt.date:
        return self.dates.due

    @property
    def projected_due(self) -> dt.date:
        return self.dates.projected_due

    @property
    def overdue(self) -> bool:
        return self.dates.flag == OVERDUE

    def soonest_first(self) -> tuple[dt.date, int]:
        """Sort key: by planned due, then by Timeline row."""
        return self.dates.due, self.task.row


@dataclass(frozen=True)
class ReviewResult:
    """A Reviews row and its flag, copy findings and (while pending) age."""

    review: Review
    outcome: ReviewOutcome

    @property
    def flag(self) -> str:
        return self.outcome.flag

    @property
    def age(self) -> int | None:
        """Working days a pending review has waited."""
        return self.outcome.age

    @property
    def findings(self) -> tuple[FindingLike, ...]:
        return self.outcome.findings

    @property
    def pending(self) -> bool:
        return self.review.decision == DECISION_PENDING

    @property
    def overdue(self) -> bool:
        return self.outcome.flag == OVERDUE


@dataclass(frozen=True)
class FeedbackResult:
    """A client request on the Feedback sheet and its due date and flag."""

    item: FeedbackRow
    outcome: FeedbackOutcome

    @property
    def flag(self) -> str:
        return self.outcome.flag

    @property
    def due(self) -> dt.date | None:
        return self.outcome.due

    @property
    def open(self) -> bool:
        """Not yet Done or Won't do."""
        return self.item.status not in FEEDBACK_CLOSED

    @property
    def overdue(self) -> bool:
        return self.outcome.flag == OVERDUE


@dataclass(frozen=True)
class RiskResult:
    """A Risks row and its indicator's current value and flag."""

    risk: RiskRow
    outcome: RiskOutcome

    @property
    def current(self) -> int | None:
        return self.outcome.current

    @property
    def flag(self) -> str | None:
        return self.outcome.flag

    @property
    def triggered(self) -> bool:
        return self.outcome.triggered


@dataclass(frozen=True)
class OverdueWork:
    """Everything past its due, each in sheet order: tasks, pending reviews, client requests."""

    tasks: tuple[TaskResult, ...] = ()
    reviews: tuple[ReviewResult, ...] = ()
    feedback: tuple[FeedbackResult, ...] = ()

    def __len__(self) -> int:
        return len(self.tasks) + len(self.reviews) + len(self.feedback)


__all__ = ["FeedbackResult", "OverdueWork", "ReviewResult", "RiskResult", "TaskResult"]
