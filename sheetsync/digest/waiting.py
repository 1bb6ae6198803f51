"""What waits on one person, for their digest (and for a chat channel's line about each person).

Split from compose.py, which composes the rest of a digest: this is the part that is
the person's own, worked out for each recipient while the book's parts are shared
(book.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..analysis import Analysis
from ..contract import REVIEW_STAGE, choice_label, flag_label, normalise_header
from ..i18n import _, n_
from .findings import findings_waiting
from .model import Recipient


@dataclass
class _Who:
    """Whether a workbook name (a person or a role) means this recipient."""

    keys: set[str]

    @classmethod
    def of(cls, r: Recipient) -> _Who:
        return cls({normalise_header(r.name)} | ({normalise_header(r.role)} if r.role else set()))

    def __call__(self, name: str) -> bool:
        return bool(name) and normalise_header(name) in self.keys


def _day(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _stage(stage: str | None) -> str:
    return choice_label(stage, REVIEW_STAGE) if stage else "?"


def _waiting(a: Analysis, r: Recipient) -> list[str]:
    me = _Who.of(r)
    items: list[str] = []
    for result in a.open_tasks():
        task = result.task
        if me(task.owner):
            flag = flag_label(result.flag)
            items.append(_("{id} {name}: due {due} ({flag})", id=task.id, name=task.name, due=_day(result.due),
                           flag=flag))
        elif result.overdue and a.raci_result and any(me(w) for w in a.raci_result.holders(task.id, "A")):
            items.append(_("{id} {name} is overdue and you are accountable (owner {owner})",
                           id=task.id, name=task.name, owner=task.owner or "?"))
    for pending in a.pending_reviews():
        review = pending.review
        if me(review.reviewer):
            items.append(n_("review {asset} round {round} ({stage}), pending {n} working day",
                            "review {asset} round {round} ({stage}), pending {n} working days",
                            pending.age or 0, asset=review.asset, round=review.round, stage=_stage(review.stage)))
    for request in a.open_feedback():
        item = request.item
        if me(item.owner):
            items.append(_('client request "{request}" ({related}), due {due}',
                           request=item.request, related=item.related_to, due=_day(request.due)))
    items += findings_waiting(a, me)  # the compliance reviewer's and the asset owner's open copy findings
    return items
