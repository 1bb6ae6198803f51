"""Issue 14, item 8: with --json, a command that cannot run says so in JSON on stdout, and in a line on stderr."""

from __future__ import annotations

import json

import pytest

from sheetsync.cli import main


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


@pytest.mark.parametrize(
    "command",
    [["sync"], ["sync", "--dry-run"], ["check"], ["whatif", "--delay", "T1=2"], ["digest"]],
    ids=lambda c: " ".join(c),
)
def test_an_error_is_a_json_object_on_stdout_as_well(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([command[0], "missing.xlsx", *command[1:], "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": "missing.xlsx does not exist; check the path and the file name.", "exit": 2}
    assert captured.err == "Error: missing.xlsx does not exist; check the path and the file name.\n"


def test_a_chinese_error_is_readable_json(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["check", "活动.xlsx", "--json"]) == 2
    out = capsys.readouterr().out
    assert json.loads(out) == {"error": "活动.xlsx 不存在；请检查路径和文件名。", "exit": 2}
    assert "活动" in out  # not \u escapes


def test_a_rejected_argument_is_json_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "campaign.xlsx", "--today", "soon", "--json"]) == 2
    captured = capsys.readouterr()
    reason = 'argument --today: "soon" is not a date; write it as 2026-03-01 (or 2026/3/1, 2026年3月1日)'
    assert json.loads(captured.out) == {"error": reason, "exit": 2}
    assert captured.err.endswith(f"sheetsync check: error: {reason}\n")
