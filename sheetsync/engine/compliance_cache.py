"""What a market's rule packs cost to prepare, paid once per pack content instead of once per process.

Before a market's rules can be used, every regex must be known to compile (so a
bad pack fails with a RulePackError naming pack and rule, not halfway through a
batch) and the prefilter must know each rule's literal words (compliance_prefilter,
one parse per rule); and compiling the regexes themselves is most of the rest. All
three depend only on the packs' bytes, the Python version
and this engine's code, so they are done once and the answer kept in the user's
cache folder (`$SHEETSYNC_CACHE_DIR`, else `$XDG_CACHE_HOME/sheetsync`, else
~/.cache/sheetsync), in a file named by a hash of all of those. A cache that is
missing, unreadable, unwritable, corrupt or for other packs is ignored: the work
is simply done again. With the answer cached, a regex is built only when a text
first needs it (compliance_rules.LazyPattern), from the code Python's own regex
compiler produced (`re._compiler._code`, handed to `_sre.compile` exactly as
re.compile does), so it is the same regex as a fresh compile, without the parse.
"""

from __future__ import annotations

import _sre  # the regex engine's constructor: builds a Pattern from cached code
import contextlib
import hashlib
import marshal
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]  # Python's own regex compiler
from typing import TYPE_CHECKING

from .compliance_pattern import scan_form
from .compliance_prefilter import literal_needs
from .disk_cache import CACHE_ENV, cache_dir, keep, load  # noqa: F401  # CACHE_ENV: named here too

if TYPE_CHECKING:
    from .compliance_pattern import LazyPattern
    from .compliance_rules import RulePack

_FORMAT = 4  # 3: prefilter literals for the filters' regexes too; 4: marshal, not JSON (4.7 MB read in 0.1 s)
# The code whose behaviour the cached answer depends on: pattern expansion, validation, literal extraction.
_CODE = (
    "compliance_rules.py",
    "compliance_pattern.py",
    "compliance_grammar.py",
    "compliance_prefilter.py",
    "compliance_cache.py",
)

Needs = Mapping[str, frozenset[str] | None]


def _key(market: str, packs: Sequence[RulePack]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}|{sys.version}|{market}".encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    for pack in packs:
        digest.update(f"|{pack.name}|{pack.digest}".encode())
    return digest.hexdigest()


Code = tuple[int, int, dict[str, int], list[int]]  # flags, groups, group names, the engine's code


def _code(pattern: LazyPattern, needs: dict[str, frozenset[str] | None] | None) -> Code:
    """What re.compile hands the regex engine for `pattern` (re._compiler.compile, without the last step).

    A regex that does not compile raises RulePackError naming pack and rule. With `needs`, the
    pattern's prefilter literals are added to it from the same parse.
    """
    try:
        parsed = _parser.parse(pattern.pattern, re.IGNORECASE)
        if needs is not None:
            needs[pattern.pattern] = literal_needs(pattern.pattern, parsed)
        scanned = scan_form(pattern.pattern)
        if scanned != pattern.pattern:
            parsed = _parser.parse(scanned, re.IGNORECASE)
        code = _compiler._code(parsed, re.IGNORECASE)
    except re.error:
        pattern.check()  # raises RulePackError naming the pattern (or the part of a rule's patterns) at fault
        raise
    return re.IGNORECASE | parsed.state.flags, parsed.state.groups, dict(parsed.state.groupdict), list(code)


def _builder(pattern: str, cached: Code) -> Callable[[], re.Pattern[str]]:
    flags, groups, groupindex, code = cached
    indexgroup: list[str | None] = [None] * groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return lambda: _sre.compile(pattern, flags, code, groups - 1, groupindex, tuple(indexgroup))


def _read(path: Path, key: str, patterns: set[str]) -> tuple[dict[str, frozenset[str] | None], dict[str, Code]] | None:
    try:
        data = load(path)
        if data["key"] != key or set(data["needs"]) != patterns:
            return None
        needs = {p: None if n is None else frozenset(n) for p, n in data["needs"].items()}
        return needs, {p: (int(f), int(g), dict(i), list(c)) for p, (f, g, i, c) in data["code"].items()}
    except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
        return None


def _write(path: Path, key: str, needs: Needs, code: Mapping[str, Code]) -> None:
    """The prepared packs, kept with marshal: this Python's own format (the key names the version)."""
    plain = {p: (int(f), int(g), {n: int(i) for n, i in names.items()}, [int(op) for op in c])  # no int subclasses
             for p, (f, g, names, c) in code.items()}
    record = {"key": key, "needs": {p: None if n is None else sorted(n) for p, n in needs.items()}, "code": plain}
    with contextlib.suppress(ValueError):  # unmarshallable: simply not cached
        keep(path, marshal.dumps(record))


def checked_needs(market: str, packs: Sequence[RulePack]) -> dict[str, frozenset[str] | None]:
    """Each regex's prefilter literals (rules' and filters'), once every regex of the market's packs compiles.

    On a cache miss every regex is compiled here (raising RulePackError for a bad one, and nothing is
    cached); on a hit nothing is compiled until a text needs it, and then from the cached code.
    """
    patterns = {pattern.pattern for pack in packs for pattern in pack.patterns()}  # rules' and filters' regexes
    try:
        key = _key(market, packs)
    except OSError:  # the engine's own files unreadable: no caching, still correct
        key = ""
    path = cache_dir() / f"packs-{market}-{key[:40]}.marshal"
    if key:
        cached = _read(path, key, patterns)
        if cached is not None:
            needs, code = cached
            for pack in packs:
                for pattern in pack.patterns():
                    if pattern.pattern in code:
                        pattern.code = _builder(pattern.pattern, code[pattern.pattern])
            return needs
    compiled: dict[str, Code] = {}
    needs: dict[str, frozenset[str] | None] = {}
    for pack in packs:  # validates every regex of the market, building each once
        for pattern in pack.patterns():
            if pattern.pattern not in compiled:
                compiled[pattern.pattern] = _code(pattern, needs)
            pattern.code = _builder(pattern.pattern, compiled[pattern.pattern])
    if key:
        _write(path, key, needs, compiled)
    return needs


def parsed_pack(data: bytes) -> dict:
    """A pack file's TOML, parsed once per content (tomllib was 0.2 s of every start for the 18 packs).

    Raises what tomllib.loads / bytes.decode raise for a bad file (never cached). Only a table marshal
    can keep exactly (strings, numbers, booleans, lists, tables: not TOML's dates) is cached.
    """
    digest = hashlib.sha256(f"{_FORMAT}|{sys.version}|toml|".encode() + data).hexdigest()
    path = cache_dir() / f"toml-{digest[:40]}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        cached = load(path)
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == digest and isinstance(cached[1], dict):
            return cached[1]
    import tomllib  # only on a miss

    raw = tomllib.loads(data.decode("utf-8"))
    with contextlib.suppress(ValueError):  # a value marshal cannot keep (a TOML date): not cached
        kept = marshal.dumps((digest, raw))
        if marshal.loads(kept)[1] == raw:
            keep(path, kept)
    return raw
