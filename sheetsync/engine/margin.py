"""How much buffer is left before the launch: how many working days the unfinished work can still slip.

Pure, like the rest of the engine. The forward pass (schedule.py) lets a late task eat the buffers after it
before its successors move, so the margin a person can still spend is not the last task's own gap to the
launch (LaunchStatus.margin_days, 0 whenever a "Launch" milestone sits on the launch date) but the tightest
gap over the whole unfinished network:

* a backward pass from the launch over the *projected* network gives each task the latest end that does not
  delay the launch — without buffers (they are there to be consumed) and without Fixed due caps (a missed
  cap is the task's own lateness, not the launch's);
* each unfinished task's margin is the working days between its projected end and that latest end;
* the buffer left is the smallest of those margins.

A milestone planned on the launch date and still there (the timeline's own "Launch" row) is the launch
itself: its margin is 0 by definition, so it is not counted (a slip or a push off it is). Done tasks do
not move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .calendar import WorkCalendar
    from .schedule import Task


def latest_ends(
    order: Sequence[str],
    tasks: Mapping[str, Task],
    successors: Mapping[str, Sequence[str]],
    launch: int,
    calendar: WorkCalendar,
    slips: Mapping[str, int],
) -> dict[str, int]:
    """Each unfinished task's latest end point that keeps the launch (`launch` is its point), buffers ignored.

    A task whose successors are all done is bound by nothing (absent from the answer).
    """
    cal = calendar
    latest_start: dict[str, int] = {}
    latest_end: dict[str, int] = {}
    for tid in reversed(order):
        task = tasks[tid]
        if task.is_done:
            continue
        if successors[tid]:
            bounds = [latest_start[s] for s in successors[tid] if s in latest_start]
            if not bounds:
                continue
            end = min(bounds)
        else:
            end = launch
        latest_end[tid] = end
        extra = task.review_delay + slips.get(tid, 0)  # working days added to its projected end
        if task.is_milestone:
            latest_start[tid] = cal.back(end, extra)
        else:
            latest_start[tid] = cal.shift_workdays(cal.last_workday_before(end), -(task.duration + extra - 1))
    return latest_end


def buffer_left(
    order: Sequence[str],
    tasks: Mapping[str, Task],
    successors: Mapping[str, Sequence[str]],
    projected_ends: Mapping[str, int],
    planned_points: Mapping[str, int],
    launch: int,
    calendar: WorkCalendar,
    slips: Mapping[str, int],
) -> int:
    """Working days the unfinished work can still slip before the launch does (0: none; negative: already late).

    `projected_ends` are the forward pass's end points, `planned_points` each milestone's planned point.
    With nothing left that can slip, the gap between the last projected end and the launch.
    """
    latest = latest_ends(order, tasks, successors, launch, calendar, slips)
    margins = {tid: calendar.count(projected_ends[tid], end) for tid, end in latest.items()}

    def is_the_launch(tid: str) -> bool:
        task = tasks[tid]
        moved = task.review_delay or slips.get(tid, 0) or projected_ends[tid] != launch
        return task.is_milestone and planned_points[tid] == launch and not moved

    counted = [m for tid, m in margins.items() if not is_the_launch(tid)]
    if counted or margins:
        return min(counted or margins.values())
    ready = max(projected_ends.values(), default=launch)
    return calendar.count(ready, launch)


__all__ = ["buffer_left", "latest_ends"]
