"""The package's shape: small modules, each with one job (STYLE.md: a module past ~400 lines is usually two)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sheetsync"
LIMIT = 420  # "~400 lines": a little room for a docstring or an import
WHY = "One job needs"  # a longer module's docstring says why, in a sentence starting so


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_is_small_or_says_why(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines <= LIMIT:
        return
    docstring = " ".join((ast.get_docstring(ast.parse(text)) or "").split())
    assert WHY in docstring, f"{path.relative_to(PACKAGE)} has {lines} lines; split it, or say why ({WHY} …)"


def test_every_module_says_what_it_is_for():
    missing = [
        str(p.relative_to(PACKAGE))
        for p in _modules()
        if p.read_text(encoding="utf-8").strip() and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []


def _how_it_is_built() -> str:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    return readme.split("## How it is built", 1)[1].split("```", 2)[1]


def test_the_readme_tree_names_real_paths_and_every_top_level_module():
    block = _how_it_is_built()
    named = [line.split()[0] for line in block.splitlines() if line.startswith(("sheetsync/", "templates/"))]
    assert [path for path in named if not (PACKAGE.parent / path).exists()] == []
    top = [p for p in PACKAGE.iterdir() if p.name not in ("__init__.py", "__main__.py", "py.typed", "__pycache__")]
    unnamed = [p.name for p in top if (p.name + "/" if p.is_dir() else p.name) not in block]
    assert unnamed == [], "README's How it is built does not name these"

