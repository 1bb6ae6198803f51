"""What `sheetsync baseline` prints: the baseline recorded (or why not), the launch, then the problems.

Text for a person (in the book's language) and the JSON a script reads: the sync
report's keys plus `recording` (Recording.as_dict: recorded, name, launch,
tasks, the baseline it replaced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import i18n
from .i18n import _
from .report_text import launch_line, problem_lines

if TYPE_CHECKING:
    from .sync import SyncReport


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
        return "\n".join([*lines, *problem_lines(report)])


def baseline_json(report: SyncReport) -> dict[str, object]:
    """The sync report's JSON with what was recorded under "recording"."""
    assert report.recording is not None, "a baseline run's report"
    return {**report.as_dict(), "recording": report.recording.as_dict()}


__all__ = ["baseline_json", "render_baseline"]
