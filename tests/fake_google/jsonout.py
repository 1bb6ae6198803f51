"""Response bodies as Google writes them (2-space indented JSON), fast enough for big grids.

``dumps(value)`` returns exactly ``json.dumps(value, ensure_ascii=False, indent=2)``
(Google's default); ``dumps(value, pretty=False)`` what Google sends for ``prettyPrint=false``,
``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``:
the standard library falls back to its pure-Python encoder whenever ``indent`` is set,
and a 5,000-row campaign read (tens of MB of JSON) spent most of its time there.

Grid data is the bulk of a big ``spreadsheets.get``, so it is not built as millions of
small dicts: :class:`LazyRows` stands for a GridData's ``rowData`` list and keeps the
stored cells (plus the defaultFormat and any ``fields`` mask applied to it).
``dumps`` writes each cell from a cache keyed by the stored cell's ``repr`` (which,
for JSON-shaped data, tells apart everything JSON writes differently: ``1``, ``1.0``,
``True``, ``"1"``), the mask and the indentation, so an identical cell (a status, a date, a reviewer) is
turned into CellData text once. :meth:`LazyRows.materialize` gives the plain list the
lazy form stands for; both paths use the same ``cells.cell_data`` and
``schema.apply_mask``, so the text is the same either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import cells

_string = json.encoder.encode_basestring  # ensure_ascii=False: escapes only '"', '\\' and controls
_float_repr = float.__repr__
_int_repr = int.__repr__
_INFINITY = float("inf")
_PADS: list[str] = ["\n" + "  " * level for level in range(32)]
_EMPTY: dict[str, Any] = {}
_CACHE_LIMIT = 400_000  # cell texts kept per (mask, defaultFormat, indentation)
_fragments: dict[tuple[str, str, int], dict[str, str]] = {}  # context -> repr(stored cell) -> text (-1: compact)


def _indented(level: int) -> str:
    while level >= len(_PADS):
        _PADS.append("\n" + "  " * len(_PADS))
    return _PADS[level]


def _compact(level: int) -> str:
    return ""


_pad = _indented  # the style being written: set by dumps (under the fake's lock) for _encode and LazyRows
_colon = ": "


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return _float_repr(value)


def _key(key: Any) -> str:
    """A dict key as json writes it (str as is; float, bool, None and int keys converted)."""
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, float):
        return _string(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return _string(_int_repr(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar(value: Any) -> str | None:
    """The JSON text of a scalar, or None for a container (or something json cannot write)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return _int_repr(value)
    if kind is float:
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return _int_repr(value)
    if isinstance(value, float):
        return _float(value)
    return None


def _encode(value: Any, level: int, out: list[str]) -> None:
    text = _scalar(value)
    if text is not None:
        out.append(text)
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = _pad(level + 1)
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            separator = "," + inner
            out.append(_string(key) if type(key) is str else _key(key))
            out.append(_colon)
            text = _scalar(item)
            if text is not None:
                out.append(text)
            else:
                _encode(item, level + 1, out)
        out.append(_pad(level))
        out.append("}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = _pad(level + 1)
        separator = "[" + inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            text = _scalar(item)
            if text is not None:
                out.append(text)
            else:
                _encode(item, level + 1, out)
        out.append(_pad(level))
        out.append("]")
    elif isinstance(value, LazyRows):
        value.encode(level, out)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any, *, pretty: bool = True) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, with :class:`LazyRows` written out.

    ``pretty=False``: no indentation and no spaces (``separators=(",", ":")``), as Google answers a
    request with ``prettyPrint=false``. Not thread-safe: the fake writes its answers under its lock.
    """
    global _pad, _colon
    _pad, _colon = (_indented, ": ") if pretty else (_compact, ":")
    try:
        out: list[str] = []
        _encode(value, 0, out)
        return "".join(out)
    finally:
        _pad, _colon = _indented, ": "


_WHOLE = object()  # a row keeps its values, each cell unmasked
_DROPPED = object()  # the mask leaves every row as {}


def _row_mask(tree: dict[str, Any] | None) -> Any:
    """What ``apply_mask`` does to a RowData dict ``{"values": [...]}`` under ``tree``."""
    if tree is None or ("*" in tree and len(tree) == 1 and tree["*"] is None):
        return _WHOLE
    if "*" in tree:
        return tree.get("values", tree["*"])
    if "values" in tree:
        return tree["values"]
    return _DROPPED


class LazyRows:
    """A GridData ``rowData`` list, written cell by cell from the stored cells when encoded.

    ``rows`` holds, per grid row, None for an empty row (``{}``) or the stored cells from
    the first column of the range to the last non-empty one (``{}`` for gaps).
    ``masks`` are the ``fields`` sub-masks applied to every CellData, in order.
    """

    __slots__ = ("default_format", "dropped", "masks", "rows")

    def __init__(
        self,
        rows: list[list[dict[str, Any]] | None],
        default_format: dict[str, Any],
        masks: tuple[Any, ...] = (),
        dropped: bool = False,
    ) -> None:
        self.rows = rows
        self.default_format = default_format
        self.masks = masks
        self.dropped = dropped

    def __len__(self) -> int:
        return len(self.rows)

    def masked(self, tree: dict[str, Any] | None) -> LazyRows:
        """What ``apply_mask(self.materialize(), tree)`` would be, still lazy."""
        sub = _row_mask(tree)
        if sub is _WHOLE or self.dropped:
            return self
        if sub is _DROPPED:
            return LazyRows(self.rows, self.default_format, self.masks, dropped=True)
        if sub is None or ("*" in sub and len(sub) == 1 and sub["*"] is None):
            return self
        return LazyRows(self.rows, self.default_format, (*self.masks, sub), self.dropped)

    def _cell(self, *, shared: bool) -> Callable[[dict[str, Any]], Any]:
        from .schema import apply_mask

        default_format, masks = self.default_format, self.masks
        cell_data = cells.shared_cell_data if shared else cells.cell_data

        def cell(stored: dict[str, Any]) -> Any:
            data: Any = cell_data(stored, default_format)
            for tree in masks:
                data = apply_mask(data, tree)
            return data

        return cell

    def materialize(self) -> list[dict[str, Any]]:
        """The plain rowData list this stands for (fresh dicts, nothing shared with the stored cells)."""
        cell = self._cell(shared=False)
        return [
            {"values": [cell(stored) for stored in row]} if row is not None and not self.dropped else {}
            for row in self.rows
        ]

    def encode(self, level: int, out: list[str]) -> None:
        """Append this list's JSON text, as ``_encode`` would write ``materialize()`` at ``level``."""
        if not self.rows:
            out.append("[]")
            return
        row_pad, values_pad, cell_pad = _pad(level + 1), _pad(level + 2), _pad(level + 3)
        context = (repr(self.masks), repr(self.default_format), level + 3 if _pad is _indented else -1)
        texts = _fragments.get(context)
        if texts is None:
            if sum(len(known) for known in _fragments.values()) > _CACHE_LIMIT:
                _fragments.clear()
            texts = _fragments[context] = {}
        elif len(texts) > _CACHE_LIMIT:
            texts.clear()
        cell = self._cell(shared=True)  # written out at once, under the fake's lock
        separator = "[" + row_pad
        open_row = "{" + values_pad + '"values"' + _colon + "["
        close_row = values_pad + "]" + row_pad + "}"
        for row in self.rows:
            out.append(separator)
            separator = "," + row_pad
            if row is None or self.dropped:
                out.append("{}")
                continue
            out.append(open_row)
            cell_separator = cell_pad
            for stored in row:
                out.append(cell_separator)
                cell_separator = "," + cell_pad
                key = repr(stored)
                text = texts.get(key)
                if text is None:
                    parts: list[str] = []
                    _encode(cell(stored), level + 3, parts)
                    text = texts[key] = "".join(parts)
                out.append(text)
            out.append(close_row)
        out.append(_pad(level))
        out.append("]")
