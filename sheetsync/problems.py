"""Problem: one validation finding, naming the sheet and cell, what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import i18n
from .contract import SheetSpec
from .i18n import _


@dataclass(frozen=True, order=True)
class Problem:
    """A finding a person must act on. Written to the Problems sheet and printed one per line."""

    sheet: str
    cell: str  # A1 address ("E7"), a range ("B3:B5") or a row/header reference ("A1")
    problem: str
    fix: str

    def __str__(self) -> str:
        """One line: where, what is wrong, the fix — punctuated as the active language writes it."""
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        colon, semicolon = (": ", "; ") if i18n.current() != "zh" else ("：", "；")
        return f"{where}{colon}{self.problem}{semicolon}{self.fix}"

    def as_dict(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "problem": self.problem, "fix": self.fix}


def column_label(spec: SheetSpec, name: str) -> str:
    """A contract column's header as the book writes it (the active language), for naming it in a message."""
    return spec.column(name).label(i18n.current())


def joined(items: Iterable[str]) -> str:
    """'a, b and c' in the active language ('a、b 和 c')."""
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    return _("{items} and {last}", items=i18n.pick(None, ", ", "、").join(words[:-1]), last=words[-1])


def or_list(items: Iterable[str]) -> str:
    """'a, b or c' in the active language ('a、b 或 c')."""
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    return _("{items} or {last}", items=i18n.pick(None, ", ", "、").join(words[:-1]), last=words[-1])


def one_of(items: Iterable[str]) -> str:
    """A choice list for 'pick one of: …', separated as the active language writes lists."""
    return i18n.pick(None, ", ", "、").join(items)
