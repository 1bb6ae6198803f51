"""An adversarial pass over the digest's speed work (digest/mime.py, smtp.py, outbox.py, render.py's shared tables).

Each test here broke the fast path before its fix, through the public CLI or API:

- the outbox's files are written by a thread pool; a pool thread starts without the caller's context,
  so a file that could not be written was reported in the terminal's language, not the book's;
- the SMTP fast path (send_message's bytes handed to sendmail) skipped send_message's removal of
  Resent-Bcc, so a blind copy's address would be shown to every recipient.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync.cli import main

TODAY = "2026-12-08"


def _zh_book(folder: Path) -> Path:
    book = folder / "春季上新.xlsx"
    assert main(["init", str(book), "--demo", "--today", TODAY, "--lang", "zh"]) == 0
    return book


def _digest(book: Path, outbox: Path, state: Path) -> int:
    return main(["digest", str(book), "--today", TODAY, "--outbox", str(outbox), "--state", str(state)])


def test_an_outbox_file_that_cannot_be_written_is_told_in_the_books_language_and_the_rerun_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # the terminal is English: the Chinese book's words must win
    book = _zh_book(tmp_path)
    assert _digest(book, tmp_path / "clean", tmp_path / "s0") == 0
    names = sorted(p.name for p in (tmp_path / "clean").iterdir())
    assert len(names) >= 4
    capsys.readouterr()

    outbox = tmp_path / "outbox"
    blocked = outbox / names[len(names) // 2]  # a folder in the way of one file in the middle of the batch
    blocked.mkdir(parents=True)
    assert _digest(book, outbox, tmp_path / "state") != 0
    said = capsys.readouterr()
    told = said.out + said.err
    assert f"{blocked}：无法写入摘要" in told and "cannot write" not in told  # was English from a pool thread
    assert not [p for p in outbox.iterdir() if p.name.endswith(".tmp")]  # nothing half-written left

    blocked.rmdir()  # the way is clear: the next run gives everyone exactly one file, nobody skipped
    assert _digest(book, outbox, tmp_path / "state") == 0
    assert sorted(p.name for p in outbox.iterdir()) == names
    for name in names:  # and the very digest a run with nothing in the way wrote (its Date aside)
        assert _undated(outbox / name) == _undated(tmp_path / "clean" / name)


def _undated(eml: Path) -> bytes:
    return b"\n".join(line for line in eml.read_bytes().split(b"\n") if not line.startswith(b"Date: "))
