"""Front ends (command line, Excel buttons) make one library call per command and share one vocabulary of text.

The checks the issue "one library surface" names: the CLI imports no backend
it does not use, nothing imports the CLI but `__main__`, every command and
option is in the README, a closed pipe ends quietly, and the library calls
behind each command give what the command prints.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sheetsync
from sheetsync.cli import build_parser, main
from sheetsync.report_copy import render_finding
from sheetsync.report_text import render_digest_run

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "sheetsync"
TODAY = dt.date(2026, 11, 27)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def test_importing_the_cli_loads_no_backend_and_no_heavy_library():
    probe = "import sys, sheetsync.cli; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=_env()
    ).stdout.split()
    backends = [m for m in loaded if m.startswith("sheetsync.backends.") and m != "sheetsync.backends.base"]
    assert backends == []
    assert [m for m in ("pandas", "gspread", "xlwings", "openpyxl", "jinja2", "PIL") if m in loaded] == []


def test_only_main_imports_the_cli():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__main__.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                names = [a.name for a in node.names]
                if module in (".cli", "..cli", "sheetsync.cli") or (module in (".", "..") and "cli" in names):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
            elif isinstance(node, ast.Import) and any(a.name == "sheetsync.cli" for a in node.names):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


def _commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_and_option_is_in_the_readme():
    """Each command has a row in the README's command table naming every one of its options."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `sheetsync ")]
    missing = []
    for name, parser in _commands().items():
        mine = [row for row in rows if re.match(rf"\| `sheetsync {re.escape(name)}\b", row)]
        if not mine:
            missing.append(f"sheetsync {name}: no row in the command table")
            continue
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and not any(option in row for row in mine):
                    missing.append(f"sheetsync {name} {option}")
    assert missing == []
    assert "--version" in readme


def test_shared_options_have_one_help_text_everywhere():
    helps: dict[str, set[str]] = {}
    for parser in _commands().values():
        for action in parser._actions:
            for option in action.option_strings:
                helps.setdefault(option, set()).add(action.help)
    for option in ("--today", "--json", "--credentials", "--force", "--lang"):
        assert len(helps[option]) == 1, (option, helps[option])


def test_a_closed_pipe_ends_quietly(tmp_path):
    texts = tmp_path / "texts.txt"
    texts.write_text("全网最低价，国家级产品\n" * 3000, encoding="utf-8")
    shell = f'"{sys.executable}" -m sheetsync lint-copy - < "{texts}" | head -1'
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=_env(), timeout=120)
    assert done.stdout.startswith("1:")
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr == ""


# --- one library call per command -----------------------------------------------------------


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory) -> Path:
    return sheetsync.make_demo(tmp_path_factory.mktemp("demo"), today=TODAY).path


def test_workbook_digest_is_what_the_digest_command_does(demo_book, tmp_path, capsys):
    api = sheetsync.open(demo_book).digest(today=TODAY, outbox=tmp_path / "api", state_dir=tmp_path / "state-api")
    assert main(
        ["digest", str(demo_book), "--today", TODAY.isoformat(), "--outbox", str(tmp_path / "cli"),
         "--state", str(tmp_path / "state-cli")]
    ) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == render_digest_run(api).replace(str(tmp_path / "api"), str(tmp_path / "cli"))
    assert sorted(p.name for p in (tmp_path / "api").glob("*.eml")) == sorted(
        p.name for p in (tmp_path / "cli").glob("*.eml")
    )
    assert len(api.deliveries) >= 2


def test_a_digest_preview_remembers_nothing(demo_book, tmp_path):
    state = tmp_path / "state"
    run = sheetsync.open(demo_book).digest(today=TODAY, outbox=tmp_path / "out", state_dir=state, preview=True)
    assert [d.status for d in run.deliveries] == ["written"] * len(run.deliveries)
    assert not state.exists()


def test_a_preview_is_never_sent(demo_book):
    with pytest.raises(sheetsync.UsageError, match="never sent"):
        sheetsync.open(demo_book).digest(send=True, preview=True)


def test_check_copy_uses_the_books_own_rules(demo_book):
    check = sheetsync.open(demo_book).check_copy()
    assert check.where == "Reviews › Copy"
    assert check.checked and all(cell.startswith("Reviews!") for cell, _ in check.checked)
    assert any(check.findings.values())
    chosen = sheetsync.open(demo_book).check_copy([("Notes!A1", "The best serum in the world")], where="Notes!A1")
    assert chosen.where == "Notes!A1"
    assert [f.term for f in chosen.findings["Notes!A1"]] == ["best"]  # the English demo: Market en


def test_only_a_workbook_open_in_excel_has_a_selection_to_check(demo_book):
    with pytest.raises(sheetsync.UsageError, match="not open in Excel: it has no selection"):
        sheetsync.open(demo_book).check_copy(selection=True)


def test_lint_copy_yields_the_findings_the_command_prints(capsys):
    texts = ["The best serum in the world", "A calm, fresh morning"]
    found = list(sheetsync.lint_copy(texts, market="en"))
    assert found[0] and found[1] == []
    assert main(["lint-copy", "--market", "en", texts[0]]) == 1
    assert capsys.readouterr().out.splitlines() == [render_finding(f) for f in found[0]]


def test_create_refuses_to_overwrite(tmp_path):
    book = sheetsync.create(tmp_path / "c.xlsx", launch=dt.date(2026, 3, 14))
    assert book.target == str(tmp_path / "c.xlsx")
    with pytest.raises(sheetsync.SheetsyncError):
        sheetsync.create(tmp_path / "c.xlsx")
