"""One exception tree: every error class in the package derives from SheetsyncError or is listed as internal.

sheetsync/errors.py's docstring draws the tree (class, module); these tests walk
every module of the package so a new error class cannot be left out of it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import sheetsync
from sheetsync import errors
from sheetsync.errors import SheetsyncError

PACKAGE_DIR = Path(sheetsync.__file__).parent
ENTRY = re.compile(r"^( +)(\w+) +(sheetsync(?:\.\w+)*)")


def _modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(sheetsync.__path__, prefix="sheetsync.")
        if not info.name.endswith(".__main__")  # importing it runs the command line
    ]
    return ["sheetsync", *names]


def _exception_classes() -> dict[tuple[str, str], type[BaseException]]:
    """Every exception class defined in the package, by (name, module)."""
    found = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == name:
                found[(cls.__name__, name)] = cls
    return found


def _documented() -> tuple[list[tuple[int, str, str]], set[tuple[str, str]]]:
    """The docstring's tree as (indent, class, module) in order, and its internal classes as (class, module)."""
    doc = errors.__doc__ or ""
    tree_part, _, internal_part = doc.partition("\nInternal")
    tree = [(len(m[1]), m[2], m[3]) for line in tree_part.splitlines() if (m := ENTRY.match(line))]
    internal = {(m[2], m[3]) for line in internal_part.splitlines() if (m := ENTRY.match(line))}
    return tree, internal


def test_every_error_class_derives_from_sheetsync_error_or_is_listed_as_internal():
    tree, internal = _documented()
    public = {(name, module) for _, name, module in tree}
    for (name, module), cls in sorted(_exception_classes().items()):
        if issubclass(cls, SheetsyncError):
            assert (name, module) in public, f"{module}.{name} is missing from the tree in errors.py's docstring"
        else:
            assert (name, module) in internal, (
                f"{module}.{name} does not derive from SheetsyncError; derive it, or list it in errors.py's "
                "docstring as internal and say why no caller ever sees it"
            )


def test_the_docstring_names_only_classes_that_exist_where_it_says():
    tree, internal = _documented()
    classes = _exception_classes()
    for name, module in [(name, module) for _, name, module in tree] + sorted(internal):
        assert (name, module) in classes, f"errors.py's docstring names {module}.{name}, which does not exist"
    for name, module in internal:
        assert not issubclass(classes[(name, module)], SheetsyncError), f"{name} is a SheetsyncError, not internal"


def test_the_docstring_tree_is_the_class_tree():
    tree, _ = _documented()
    classes = _exception_classes()
    assert tree[0][1:] == ("SheetsyncError", "sheetsync.errors")
    parents: list[tuple[int, type[BaseException]]] = []
    for indent, name, module in tree:
        cls = classes[(name, module)]
        while parents and parents[-1][0] >= indent:
            parents.pop()
        if parents:
            parent = parents[-1][1]
            sheetsync_bases = [base for base in cls.__bases__ if issubclass(base, SheetsyncError)]
            assert sheetsync_bases == [parent], f"{name} is drawn under {parent.__name__}"
        parents.append((indent, cls))


# --- backends hold no template content (issue 10: making a workbook is one package) -----------------------


def _imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a source file imports (relative imports resolved)."""
    package = ".".join(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names |= {f"{target}.{alias.name}" for alias in node.names}
    return names


BACKEND_FILES = sorted((PACKAGE_DIR / "backends").rglob("*.py"))


@pytest.mark.parametrize("path", BACKEND_FILES, ids=lambda path: path.relative_to(PACKAGE_DIR).as_posix())
def test_no_backend_module_imports_the_template_package(path):
    imported = _imported_modules(path)
    template = sorted(name for name in imported if name == "sheetsync.template" or name.startswith("sheetsync.template."))
    assert not template, f"{path.relative_to(PACKAGE_DIR)} imports {template}"
