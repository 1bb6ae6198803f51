"""Attributes of a package imported on their first use (PEP 562 module ``__getattr__``).

`sheetsync lint-copy` needs none of the workbook machinery and the command line's parser
none of Starlette; importing them up front was a third of a command's start-up.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module


def lazy_attributes(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: attribute name → the submodule that defines it.

    The first use imports the submodule and keeps the attribute in the package, so later
    uses cost nothing.
    """

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
