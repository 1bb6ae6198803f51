"""The plan against its commitment, as digests and the command line say it: one line, and a table of the worst slips.

Once `sheetsync baseline` has recorded the signed-off plan, a busy client wants
one thing from it — is the launch still where we promised? — so the brief
digest, every group chat and the sync summary carry one line: the projected
launch against the committed one, in working days of the project calendar
(`BaselineStatus.launch_variance`). The team's detailed digest adds the tasks
furthest behind their committed due dates (at most five, as MS Project's
variance view is read: the largest first) and which tasks the baseline does
not know. A book without a baseline gets neither.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .. import i18n
from ..contract import TIMELINE
from ..i18n import _, n_

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..engine.baseline import BaselineStatus
    from .model import Table

LARGEST_SHOWN = 5  # rows of the detailed digest's table: the worst slips, not the whole Timeline
ADDED_NAMED = 8  # task IDs named in the "added after the baseline" note before "… and N more"


def baseline_line(status: BaselineStatus | None, projected: dt.date | None) -> str | None:
    """`Launch 2027-01-18 — 3 working days later than committed (2027-01-15, baseline "Sign-off")`.

    None when there is nothing to compare: no baseline, or one recorded without
    a launch date, or no projected launch (a plan the Problems sheet blocks).
    """
    if status is None or status.launch is None or status.launch_variance is None or projected is None:
        return None
    committed = status.launch.isoformat()
    if status.name:
        committed = _('{date}, baseline "{name}"', date=committed, name=status.name)
    days, launch = status.launch_variance, projected.isoformat()
    if days > 0:
        return n_(
            "Launch {launch} — {n} working day later than committed ({committed})",
            "Launch {launch} — {n} working days later than committed ({committed})",
            days, launch=launch, committed=committed,
        )
    if days < 0:
        return n_(
            "Launch {launch} — {n} working day earlier than committed ({committed})",
            "Launch {launch} — {n} working days earlier than committed ({committed})",
            -days, launch=launch, committed=committed,
        )
    return _("Launch {launch} — as committed ({committed})", launch=launch, committed=committed)


def analysis_baseline_line(a: Analysis) -> str | None:
    """The baseline line of one analysed book (see `baseline_line`), in the active language."""
    return baseline_line(a.baseline, a.launch.projected if a.launch else None)


def baseline_table(a: Analysis) -> Table | None:
    """The detailed digest's "Against the baseline": the largest variances, and the tasks added after it.

    Rows are the tasks late against their committed due, worst first (ties in
    Timeline order), at most `LARGEST_SHOWN`; the note counts and names the
    tasks the baseline does not know, since they have no variance to show.
    """
    status = a.baseline
    if status is None:
        return None
    projected = {r.task.id: r for r in a.task_results()}
    rows = []
    for task_id, days in status.largest(LARGEST_SHOWN):
        result = projected.get(task_id)
        committed = status.recorded.get(task_id)
        rows.append((
            task_id,
            result.task.name if result else "",
            committed[1].isoformat() if committed else "",
            result.projected_due.isoformat() if result else "",
            n_("+{n} working day", "+{n} working days", days),
        ))
    lang = i18n.current()
    columns = tuple(TIMELINE.column(name).label(lang)
                    for name in ("ID", "Milestone", "Baseline due", "Projected due", "Variance"))
    from .model import Table  # imported when a digest is composed: a sync's summary needs only the line above

    return Table(_("Against the baseline"), columns, tuple(rows), _("No task is behind the baseline."),
                 note=added_after_note(status))


def added_after_note(status: BaselineStatus) -> str:
    """"2 tasks were added after the baseline: T6, T11." — or "" when the baseline knows every task."""
    added = status.added_after
    if not added:
        return ""
    named = added[:ADDED_NAMED]
    if len(added) > len(named):
        named.append(_("… and {n} more", n=len(added) - len(named)))
    return n_(
        "{n} task was added after the baseline: {ids}.",
        "{n} tasks were added after the baseline: {ids}.",
        len(added), ids=i18n.pick(None, ", ", "、").join(named),
    )


__all__ = ["analysis_baseline_line", "baseline_line", "baseline_table"]
