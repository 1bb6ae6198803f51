"""Google's published schemas (the discovery documents) as a request validator.

The discovery documents ``sheets.v4.json`` and ``drive.v3.json`` ship inside
google-api-python-client; they are the same schemas Google's front end parses
requests with. This module resolves their ``$ref``s and checks a JSON body or a
query string the way Google's JSON/proto parser does, producing Google's own
error wording:

- unknown field: ``Invalid JSON payload received. Unknown name "foo" at
  'requests[0].update_cells': Cannot find field.``
- wrong type or enum: ``Invalid value at 'requests[0].add_sheet.properties.sheet_type'
  (type.googleapis.com/google.apps.sheets.v4.SheetType), "FOO"``
- unknown query parameter: ``Invalid JSON payload received. Unknown name "foo":
  Cannot bind query parameter. Field 'foo' could not be found in request message.``

It also parses field masks (``fields=sheets(properties(sheetId,title))``, the
partial-response selector, and the ``fields`` of updateCells / repeatCell /
update*Properties) and checks every name in them against the schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import googleapiclient

from .jsonout import LazyRows

DOCUMENTS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"

# Canonical google.rpc.Code names for the HTTP statuses the fake answers with.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

FieldTree = dict[str, "FieldTree | None"]  # name -> sub-selection; None selects the whole field


@dataclass
class ApiError(Exception):
    """An error the fake answers with, in Google's ``{"error": {...}}`` shape."""

    code: int
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] | None = None  # Drive v3 adds the legacy "errors" list

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def status(self) -> str:
        return STATUS_NAMES.get(self.code, "UNKNOWN")

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            error["errors"] = self.errors
        error["status"] = self.status
        if self.details:
            error["details"] = self.details
        return {"error": error}


@cache
def snake(name: str) -> str:
    """``updateCells`` -> ``update_cells``: Google names fields this way in error paths."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@cache
def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Discovery:
    """One API's discovery document: methods, schemas and validation against them."""

    def __init__(
        self, name: str, proto_package: str, legacy_fields: dict[str, dict[str, dict[str, Any]]] | None = None
    ) -> None:
        self.doc = json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))
        self.schemas: dict[str, dict[str, Any]] = self.doc["schemas"]
        for schema_name, extra in (legacy_fields or {}).items():
            self.schemas[schema_name]["properties"] = {**extra, **self.schemas[schema_name]["properties"]}
        self.proto_package = proto_package
        self.methods: dict[str, dict[str, Any]] = {}
        self._collect(self.doc, "")

    def _collect(self, resource: dict[str, Any], prefix: str) -> None:
        for name, sub in resource.get("resources", {}).items():
            for method_name, method in sub.get("methods", {}).items():
                self.methods[f"{prefix}{name}.{method_name}"] = method
            self._collect(sub, f"{prefix}{name}.")

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        return schema

    def _type_url(self, schema: dict[str, Any], name: str = "") -> str:
        type_name = schema.get("id") or (name[:1].upper() + name[1:])
        return f"type.googleapis.com/{self.proto_package}.{type_name}"

    # -- request bodies -------------------------------------------------------------------------

    def validate_body(self, method_id: str, body: Any) -> Any:
        """Check ``body`` against the method's request schema; return it with camelCase keys.

        Google accepts both ``updateCells`` and ``update_cells``; the fake normalises to the
        former so the handlers see one spelling. Raises :class:`ApiError` (400) listing every
        problem, newline-separated, as Google does.
        """
        request = self.methods[method_id].get("request")
        if request is None:
            return body
        errors: list[tuple[str, str]] = []
        normalised = self._check(body if body is not None else {}, request, "", "", errors)
        if errors:
            raise bad_request_from(errors)
        return normalised

    def _check(self, value: Any, schema: dict[str, Any], path: str, name: str, errors: list[tuple[str, str]]) -> Any:
        if value is None:  # proto3 JSON: null means "not set"
            return None
        target = self.resolve(schema)
        kind = target.get("type")
        simple = _SIMPLE.get((kind, target.get("format")))  # the common leaf: a value of its type, kept as is
        if simple is not None and type(value) in simple and "enum" not in target:
            return value
        if "properties" in target:
            if not isinstance(value, dict):
                errors.append((path, f"Invalid value at '{path}' ({self._type_url(target, name)}), {_show(value)}"))
                return value
            out: dict[str, Any] = {}
            for key, item in value.items():
                prop = key if key in target["properties"] else camel(key)
                if prop not in target["properties"]:
                    where = f" at '{path}'" if path else ""
                    errors.append(
                        (path, f'Invalid JSON payload received. Unknown name "{key}"{where}: Cannot find field.')
                    )
                    continue
                out[prop] = self._check(item, target["properties"][prop], _join(path, snake(prop)), prop, errors)
            return out
        if kind == "object" and "additionalProperties" in target:
            if not isinstance(value, dict):
                errors.append((path, f"Invalid value at '{path}' (map), {_show(value)}"))
                return value
            return {
                k: self._check(v, target["additionalProperties"], f"{path}[{k}]", name, errors)
                for k, v in value.items()
            }
        if kind == "object":  # google.protobuf.Struct
            return value
        if kind == "array":
            if not isinstance(value, list):
                items = self.resolve(target.get("items", {}))
                errors.append((path, f"Invalid value at '{path}' ({self._type_url(items, name)}), {_show(value)}"))
                return value
            return [self._check(v, target["items"], f"{path}[{i}]", name, errors) for i, v in enumerate(value)]
        if kind == "any":
            return value
        if "enum" in target:
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(target["enum"]):
                return target["enum"][value]
            if not isinstance(value, str) or value not in target["enum"]:
                errors.append((path, f"Invalid value at '{path}' ({self._type_url({}, name)}), {_show(value)}"))
            return value
        problem = _scalar_problem(value, kind, target.get("format"))
        if problem:
            errors.append((path, f"Invalid value at '{path}' ({problem}), {_show(value)}"))
            return value
        if kind == "integer" or target.get("format") in ("int64", "uint64"):
            return int(value)
        if kind == "number" and isinstance(value, str):
            return float(value)
        return value

    # -- query strings --------------------------------------------------------------------------

    def validate_query(self, method_id: str, query: dict[str, list[str]]) -> dict[str, Any]:
        """Check query parameters against the method's and the API's global parameters.

        Returns ``{camelCaseName: value}``: lists for repeated parameters, bools for booleans.
        """
        declared = {**self.doc.get("parameters", {}), **self.methods[method_id].get("parameters", {})}
        out: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for raw_name, values in query.items():
            name = raw_name if raw_name in declared else camel(raw_name)
            spec = declared.get(name)
            if spec is None or spec.get("location") == "path":
                errors.append(
                    (
                        raw_name,
                        f'Invalid JSON payload received. Unknown name "{raw_name}": Cannot bind query parameter. '
                        f"Field '{raw_name}' could not be found in request message.",
                    )
                )
                continue
            checked = []
            for value in values:
                path = snake(name)
                if "enum" in spec and value not in spec["enum"]:
                    errors.append((path, f"Invalid value at '{path}' ({self._type_url({}, name)}), {_show(value)}"))
                elif spec.get("type") == "boolean":
                    if value.lower() not in ("true", "false"):
                        errors.append((path, f"Invalid value at '{path}' (TYPE_BOOL), {_show(value)}"))
                    checked.append(value.lower() == "true")
                    continue
                elif spec.get("type") == "integer" and not re.fullmatch(r"-?\d+", value):
                    errors.append((path, f"Invalid value at '{path}' (TYPE_INT32), {_show(value)}"))
                checked.append(value)
            out[name] = checked if spec.get("repeated") else (checked[-1] if checked else None)
        if errors:
            raise bad_request_from(errors)
        return out

    # -- field masks ----------------------------------------------------------------------------

    def check_mask(self, tree: FieldTree, schema_name: str) -> list[str]:
        """Names in ``tree`` that the schema does not have, as dotted paths (empty if all exist)."""
        bad: list[str] = []
        self._check_mask(tree, self.schemas[schema_name], "", bad)
        return bad

    def _check_mask(self, tree: FieldTree, schema: dict[str, Any], path: str, bad: list[str]) -> None:
        target = self.resolve(schema)
        while target.get("type") == "array":
            target = self.resolve(target["items"])
        props = target.get("properties")
        for name, sub in tree.items():
            if name == "*":
                continue
            if props is None or name not in props:
                bad.append(_join(path, name))
                continue
            if sub is not None:
                self._check_mask(sub, props[name], _join(path, name), bad)


# (type, format) -> Python types that _check would return unchanged (no int64 strings, no uint32 sign check).
_SIMPLE: dict[tuple[Any, Any], tuple[type, ...]] = {
    **{("string", fmt): (str,) for fmt in (None, "byte", "google-datetime", "google-duration", "google-fieldmask")},
    **{("number", fmt): (int, float) for fmt in (None, "double", "float")},
    **{("integer", fmt): (int,) for fmt in (None, "int32")},
    ("boolean", None): (bool,),
}


def bad_request_from(errors: list[tuple[str, str]]) -> ApiError:
    """One 400 for a list of (field path, message), with Google's BadRequest details."""
    return ApiError(
        400,
        "\n".join(message for _, message in errors),
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": path, "description": message} for path, message in errors],
            }
        ],
    )


def _scalar_problem(value: Any, kind: str | None, fmt: str | None) -> str | None:
    """The proto type name Google reports if ``value`` cannot be parsed as ``kind``."""
    if fmt in ("int64", "uint64"):
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"-?\d+", value)
        )
        return None if ok else f"TYPE_{fmt.upper()}"
    if kind == "integer":
        ok = (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, float) and value.is_integer())
            or (isinstance(value, str) and re.fullmatch(r"-?\d+", value))
        )
        if ok and fmt == "uint32" and int(value) < 0:
            ok = False
        return None if ok else f"TYPE_{(fmt or 'int32').upper()}"
    if kind == "number":
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|NaN|-?Infinity", value)
        )
        return None if ok else ("TYPE_FLOAT" if fmt == "float" else "TYPE_DOUBLE")
    if kind == "boolean":
        return None if isinstance(value, bool) else "TYPE_BOOL"
    if kind == "string":
        return None if isinstance(value, str) else "TYPE_STRING"
    return None


# -- field-mask syntax ------------------------------------------------------------------------------


class MaskSyntaxError(ValueError):
    """The mask text does not parse (unbalanced parentheses, empty names, spaces)."""


def parse_mask(text: str) -> FieldTree:
    """Parse ``a.b,c(d,e/f)`` into ``{"a": {"b": None}, "c": {"d": None, "e": {"f": None}}}``.

    This is the partial-response syntax of Google APIs (``a/b`` and ``a.b`` both nest,
    ``a(b,c)`` sub-selects). Whitespace is not allowed: the Sheets API rejects
    ``"properties, sheets.properties"`` and so does this parser.
    """
    tree, pos = _parse_list(text, 0)
    if pos != len(text):
        raise MaskSyntaxError(text[pos:])
    return tree


def _parse_list(text: str, pos: int) -> tuple[FieldTree, int]:
    tree: FieldTree = {}
    while True:
        match = re.compile(r"[A-Za-z_*][A-Za-z0-9_]*(?:[./][A-Za-z_*][A-Za-z0-9_]*)*").match(text, pos)
        if not match:
            raise MaskSyntaxError(text[pos:] or text)
        names = re.split(r"[./]", match.group())
        pos = match.end()
        sub: FieldTree | None = None
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse_list(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise MaskSyntaxError(text)
            pos += 1
        _merge(tree, names, sub)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return tree, pos


def _merge(tree: FieldTree, names: list[str], sub: FieldTree | None) -> None:
    head, rest = names[0], names[1:]
    if not rest:
        if head in tree and tree[head] is not None and sub is not None:
            for name, child in sub.items():
                _merge(tree[head], [name], child)  # type: ignore[arg-type]
        else:
            tree[head] = None if (head in tree and tree[head] is None) else sub
        return
    if head in tree and tree[head] is None:
        return  # already selecting the whole field
    child = tree.setdefault(head, {})
    _merge(child, rest, sub)  # type: ignore[arg-type]


def mask_paths(tree: FieldTree, prefix: str = "") -> list[str]:
    """Flatten a mask tree into dotted leaf paths: ``{"a": {"b": None}}`` -> ``["a.b"]``."""
    paths: list[str] = []
    for name, sub in tree.items():
        path = _join(prefix, name)
        paths.extend([path] if sub is None else mask_paths(sub, path))
    return paths


def apply_mask(value: Any, tree: FieldTree | None) -> Any:
    """Keep only the selected parts of a response (lists are filtered element by element)."""
    if tree is None or "*" in tree and len(tree) == 1 and tree["*"] is None:
        return value
    if isinstance(value, LazyRows):  # grid rows still to be written out: the mask goes with them
        return value.masked(tree)
    if isinstance(value, list):
        return [apply_mask(item, tree) for item in value]
    if isinstance(value, dict):
        if "*" in tree:
            return {k: apply_mask(v, tree.get(k, tree["*"])) for k, v in value.items()}
        return {k: apply_mask(value[k], sub) for k, sub in tree.items() if k in value}
    return value


@cache
def sheets() -> Discovery:
    """The Sheets v4 discovery document (loaded once per process)."""
    return Discovery("sheets.v4", "google.apps.sheets.v4")


@cache
def drive() -> Discovery:
    """The Drive v3 discovery document (loaded once per process)."""
    # Permission.withLink left the published schema but Drive still accepts it, and
    # gspread 6's Client.insert_permission (used by Spreadsheet.share) always sends it.
    return Discovery("drive.v3", "google.apps.drive.v3", {"Permission": {"withLink": {"type": "boolean"}}})
