"""What `sheetsync baseline` prints: the baseline recorded (or why not), the launch, the tasks late already, problems.

Text for a person (in the book's language) and the JSON a script reads: the sync
report's keys plus `recording` (Recording.as_dict: recorded, name, launch,
tasks, the baseline it replaced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import i18n
from .i18n import _, n_
from .report_text import launch_line, problem_lines

if TYPE_CHECKING:
    from .engine.baseline import BaselineStatus
    from .sync import SyncReport

NAMED_LATE = 5  # tasks named in the "already late" line before "… and N more", as the digest's table shows five


def render_baseline(report: SyncReport) -> str:
    """One line naming the baseline and its launch (the Log row's Note), the launch line, then the problems."""
    recording = report.recording
    assert recording is not None, "a baseline run's report"
    with i18n.language(report.lang):
        if recording.recorded:
            head = _("{note}.", note=recording.note())
        else:
            head = _(
                'Baseline "{name}" not recorded, nothing written: fix the problems below, then run it again.',
                name=recording.name,
            )
        lines = [head]
        if recording.recorded and report.launch is not None:
            lines.append(launch_line(report.launch))
        if recording.recorded and report.analysis is not None and report.analysis.baseline is not None:
            lines += _late_at_recording(report.analysis.baseline)
        return "\n".join([*lines, *problem_lines(report)])


def _late_at_recording(status: BaselineStatus) -> list[str]:
    """The tasks behind their plan the day it is committed: their Variance is not 0 the moment it is recorded.

    Without this line a Variance of 2 next to a plan signed off a minute ago reads as a mistake.
    """
    late = status.largest(len(status.variances))
    if not late:
        return []
    named = [f"{task} +{days}" for task, days in late[:NAMED_LATE]]
    if len(late) > NAMED_LATE:
        named.append(_("… and {n} more", n=len(late) - NAMED_LATE))
    return [n_(
        "{n} task was already behind its plan when it was recorded (its Variance starts there): {tasks}",
        "{n} tasks were already behind their plan when it was recorded (their Variance starts there): {tasks}",
        len(late), tasks=i18n.pick(None, ", ", "、").join(named),
    )]


def baseline_json(report: SyncReport) -> dict[str, object]:
    """The sync report's JSON with what was recorded under "recording"."""
    assert report.recording is not None, "a baseline run's report"
    return {**report.as_dict(), "recording": report.recording.as_dict()}


__all__ = ["baseline_json", "render_baseline"]
