"""Variance against a baseline: the committed plan held still while the projection moves.

`sheetsync baseline` records each task's planned Start and Due and the launch
date once the client has signed the timeline off; every later sync keeps those
dates and measures the projection against them, in working days of the
project calendar (positive = later than committed), as MS Project's baseline
variance does. A task added after the baseline has no variance, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .calendar import WorkCalendar
from .schedule import LaunchStatus, Task, TaskDates


@dataclass(frozen=True)
class BaselineStatus:
    """The committed plan and how far the projection has moved from it."""

    name: str  # the baseline's name ("" when only dates were recorded)
    launch: dt.date | None  # the launch date committed to
    recorded: dict[str, tuple[dt.date | None, dt.date]] = field(default_factory=dict)  # task → (start, due)
    variances: dict[str, int | None] = field(default_factory=dict)  # task → working days late (None: added after)
    launch_variance: int | None = None  # projected launch against the committed one (+ late)
    unmeasured: tuple[str, ...] = ()  # in the baseline, but its committed due cannot be read (no variance, not added)

    @property
    def added_after(self) -> list[str]:
        """Tasks the baseline does not know: added to the Timeline after it was recorded."""
        return [task for task, days in self.variances.items() if days is None]

    def largest(self, limit: int = 5) -> list[tuple[str, int]]:
        """The tasks furthest behind the baseline (late first, then by ID order of the Timeline), at most `limit`."""
        late = [(task, days) for task, days in self.variances.items() if days is not None and days > 0]
        return sorted(late, key=lambda pair: -pair[1])[:limit]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "launch": self.launch.isoformat() if self.launch else None,
            "launch_variance_days": self.launch_variance,
            "variances": self.variances,
        }


def variance(calendar: WorkCalendar, baseline_due: dt.date, projected_due: dt.date, *, milestone: bool) -> int:
    """Working days from the committed due to the projected one: 0 on time, positive late, negative early.

    A task's due is the end of its day, a milestone's the beginning of its day, as the schedule reads them.
    """
    offset = 0 if milestone else 1
    return calendar.count(baseline_due.toordinal() + offset, projected_due.toordinal() + offset)


def compare(
    *,
    name: str,
    launch: dt.date | None,
    recorded: Mapping[str, tuple[dt.date | None, dt.date]],
    tasks: list[Task],
    dates: Mapping[str, TaskDates],
    launch_status: LaunchStatus | None,
    calendar: WorkCalendar,
    unreadable: Collection[str] = (),
) -> BaselineStatus:
    """Measure every scheduled task (in Timeline order) and the launch against the recorded baseline.

    `unreadable`: tasks whose committed due cannot be read; they get no variance at all (neither a number nor
    "added after"), as the cell's Problem already says what to fix.
    """
    variances: dict[str, int | None] = {}
    for task in tasks:
        if task.id not in dates or task.id in unreadable:
            continue
        committed = recorded.get(task.id)
        variances[task.id] = (
            None
            if committed is None
            else variance(calendar, committed[1], dates[task.id].projected_due, milestone=task.is_milestone)
        )
    launch_variance = None
    if launch is not None and launch_status is not None:
        launch_variance = calendar.count(launch.toordinal(), launch_status.projected.toordinal())
    unmeasured = tuple(t.id for t in tasks if t.id in unreadable and t.id in dates)
    return BaselineStatus(name, launch, dict(recorded), variances, launch_variance, unmeasured)


__all__ = ["BaselineStatus", "compare", "variance"]
