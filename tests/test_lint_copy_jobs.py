"""`lint-copy` on a long batch uses every core: the same findings, in the same order, as one process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sheetsync import copy_lint
from sheetsync.copy_lint import lint_copy
from sheetsync.engine.compliance import load_checker

TEXTS = [
    "The best serum ever, guaranteed results in 7 days",
    "A calm morning walk by the sea",
    "Was £70, now £29.95 — today only!",
    "Cures arthritis and eczema naturally",
    "",
    "Earn $5,000 a week from home",
]


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_each_text_its_own_findings_in_order(monkeypatch, jobs: int) -> None:
    monkeypatch.setattr(copy_lint, "CHUNK", 4)  # 60 texts: 4 answered at once, 14 chunks to the workers
    texts = [f"{n}: {text}" if text else "" for n, text in enumerate(TEXTS * 10)]
    checker = load_checker("en", "general")
    expected = [checker.check(text) for text in texts]
    assert sum(map(bool, expected)) == 40  # four texts in six have findings: the comparison means something
    assert list(lint_copy(texts, market="en", jobs=jobs)) == expected
    assert list(lint_copy(texts, market="en", jobs=1)) == expected


def test_the_command_answers_a_long_batch_the_same_with_one_process_or_all_cores() -> None:
    lines = "\n".join(TEXTS * 400) + "\n"  # 2,400 lines: past the first 1,000, two chunks for the workers

    def lint(*jobs: str) -> str:
        command = [sys.executable, "-m", "sheetsync", "lint-copy", "-", "--market", "en", *jobs]
        done = subprocess.run(command, input=lines, capture_output=True, text=True, check=False)
        assert done.returncode == 1, done.stderr  # findings
        return done.stdout

    one, every = lint("--jobs", "1"), lint()
    assert every == one
    assert one.splitlines()[-1].startswith("2400:")  # the last line's findings, numbered as the text's line
