"""Problem: one validation finding, naming the sheet and cell, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A finding a person must act on. Written to the Problems sheet and printed one per line."""

    sheet: str
    cell: str  # A1 address ("E7"), a range ("B3:B5") or a row/header reference ("A1")
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.problem}; {self.fix}"

    def as_dict(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "problem": self.problem, "fix": self.fix}
