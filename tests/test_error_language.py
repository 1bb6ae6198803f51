"""Errors raised before a book's language is known speak the terminal's language (LANG=zh_CN.UTF-8 → Chinese);
once the book is known (a refusal to write a book Excel has open, the note that its saved version was read),
they speak the book's."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sheetsync
from sheetsync.template import build_workbook

ROOT = Path(sheetsync.__file__).resolve().parents[1]  # the subprocess runs the sheetsync under test


def sheetsync_cli(*args: str, cwd: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": "", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sheetsync", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def open_in_excel(tmp_path):
    path = tmp_path / "campaign.xlsx"
    build_workbook(path, demo=True, today=dt.date(2026, 11, 27))
    (tmp_path / "~$campaign.xlsx").write_bytes(b"owner")
    return path


def test_a_chinese_terminal_is_told_in_chinese_that_the_file_does_not_exist(tmp_path):
    proc = sheetsync_cli("check", "活动.xlsx", cwd=tmp_path, lang="zh_CN.UTF-8")
    assert proc.returncode == 2
    assert proc.stderr.endswith("活动.xlsx 不存在；请检查路径和文件名。\n")

    english = sheetsync_cli("check", "活动.xlsx", cwd=tmp_path, lang="en_GB.UTF-8")
    assert english.stderr.endswith("活动.xlsx does not exist; check the path and the file name.\n")


def test_a_chinese_terminal_is_told_in_chinese_that_excel_has_the_book_open(open_in_excel, tmp_path):
    # an English book is answered in English, whatever the terminal speaks ...
    refused = sheetsync_cli("sync", "campaign.xlsx", "--today", "2026-11-27", cwd=open_in_excel.parent,
                            lang="zh_CN.UTF-8")
    assert refused.returncode == 2
    assert refused.stderr == (
        "Error: campaign.xlsx is open in Excel (lock file ~$campaign.xlsx); close it there, "
        "or pass --force to sync anyway.\n"
    )
    # ... and a Chinese book in Chinese, whatever the terminal speaks (the refusal comes before the read)
    build_workbook(tmp_path / "活动.xlsx", lang="zh", demo=True, today=dt.date(2026, 11, 27))
    (tmp_path / "~$活动.xlsx").write_bytes(b"owner")
    for terminal in ("C.UTF-8", "zh_CN.UTF-8"):
        refused = sheetsync_cli("sync", "活动.xlsx", "--today", "2026-11-27", cwd=tmp_path, lang=terminal)
        assert refused.returncode == 2
        assert refused.stderr == "错误：活动.xlsx 已在 Excel 中打开（锁文件 ~$活动.xlsx）；请先在那里关闭，或加 --force 强制同步。\n"
        checked = sheetsync_cli("check", "活动.xlsx", "--today", "2026-11-27", cwd=tmp_path, lang=terminal)
        assert checked.stderr == "Excel 正打开这个工作簿（~$活动.xlsx）：读取的是最后保存的版本\n"

    checked = sheetsync_cli("check", "campaign.xlsx", "--today", "2026-11-27", cwd=open_in_excel.parent,
                            lang="zh_CN.UTF-8")
    assert checked.returncode in (0, 1)
    assert checked.stderr == "Excel has this book open (~$campaign.xlsx): read the last saved version\n"
