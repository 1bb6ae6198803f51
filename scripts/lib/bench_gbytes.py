"""scripts/bench --only gbytes: the bytes a Google sync reads, before issue 19 and now, side by side.

Each size's campaign is loaded into the fake Google of tests/fake_google twice (two identical
sheets), and synced twice on each: once as sheetsync asked before (the read's old ``fields``
mask with ``userEnteredFormat`` too, Google's default indented JSON, python-requests' User-Agent,
for which Google does not gzip), once as it asks now (the tighter mask, ``prettyPrint=false``,
``Accept-Encoding: gzip`` with "gzip" in the User-Agent, as Google requires). The fake sends
what Google documents for each request and records every answer: the JSON's bytes and the bytes
on the wire. "gz" also gives what the old answers would weigh if Google had gzipped them anyway.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SIZES = (50, 5000)


@contextlib.contextmanager
def as_before() -> Iterator[None]:
    """sheetsync's Google calls as they were asked before issue 19 (old mask, indented, not gzipped)."""
    from sheetsync.backends.gsheets import backend, transport

    saved = backend.READ_FIELDS, transport._compact, transport.USER_AGENT
    backend.READ_FIELDS = backend.READ_FIELDS.replace(
        "effectiveFormat/numberFormat/type", "userEnteredFormat/numberFormat/type,effectiveFormat/numberFormat/type"
    )
    transport._compact = lambda params: params
    transport.USER_AGENT = ""  # python-requests' own User-Agent: no "gzip" in it, so Google sends plain JSON
    try:
        yield
    finally:
        backend.READ_FIELDS, transport._compact, transport.USER_AGENT = saved


def sync_bytes(fake: Any, target: str, today: dt.date, sync: Callable[..., Any]) -> dict[str, Any]:
    """One sync: its calls, the JSON bytes and wire bytes of every answer (token answers apart), the read's."""
    fake.calls.clear()
    fake.sent.clear()
    started = time.perf_counter()
    sync(target, today)
    seconds = time.perf_counter() - started
    answers = [s for s in fake.sent if s.name != "oauth2.token"]
    read = [s for s in answers if s.name == "spreadsheets.get"]
    # What the same answers would weigh gzipped (Google gzips only when asked; these were not, before).
    return {
        "seconds": seconds,  # the whole sync against the fake on 127.0.0.1: no network time in it
        "calls": dict(Counter(call.name for call in fake.calls)),
        "json_bytes": sum(s.json_bytes for s in answers),
        "wire_bytes": sum(s.wire_bytes for s in answers),
        "read_json_bytes": sum(s.json_bytes for s in read),
        "read_wire_bytes": sum(s.wire_bytes for s in read),
        "read_gzip_bytes": sum(s.gzip_bytes for s in read),
        "gzip_bytes": sum(s.gzip_bytes for s in answers),
    }


def bench_gbytes(
    sizes: list[int], folder: Path, *, build: Callable[[Path, int], Any], content: Callable[[Path], Any],
    load_into_fake: Callable[[Any, Any], str], google_env: Callable[..., Any], today: dt.date,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    """For each size: a first and a second sync, before and now, on twin sheets in one fake Google."""
    from fake_google import FakeGoogle

    import sheetsync

    def sync(target: str, when: dt.date) -> None:
        sheetsync.open(target).sync(today=when)

    out: dict[str, Any] = {"sizes": []}
    for rows in sizes:
        progress(f"gbytes: {rows} rows")
        source = folder / f"campaign-{rows}.xlsx"
        if not source.exists():
            build(source, rows)
        workbook = content(source)
        with FakeGoogle() as fake, google_env(fake, folder / "service-account.json"):
            fake.record_gzip_sizes = True
            before_key = load_into_fake(fake, workbook)
            now_key = fake.copy_spreadsheet(before_key)
            figures: dict[str, Any] = {"rows": rows}
            for which in ("first", "second"):
                with as_before():
                    figures[f"before_{which}"] = sync_bytes(fake, "gsheet:" + before_key, today, sync)
                figures[f"now_{which}"] = sync_bytes(fake, "gsheet:" + now_key, today, sync)
            for which in ("first", "second"):
                old, new = figures[f"before_{which}"], figures[f"now_{which}"]
                figures[f"{which}_wire_ratio"] = new["wire_bytes"] / old["wire_bytes"]
                figures[f"{which}_json_ratio"] = new["json_bytes"] / old["json_bytes"]
                figures[f"{which}_gzip_ratio"] = new["gzip_bytes"] / old["gzip_bytes"]
        out["sizes"].append(figures)
    return out


def _mb(n: int) -> str:
    return f"{n / 1e6:.3f}" if n < 1e6 else f"{n / 1e6:.1f}"


def render_gbytes(figures: dict[str, Any]) -> list[str]:
    lines = [
        "Google: bytes a sync reads, before issue 19 and now, same campaign on twin sheets in the fake Google",
        f"{'rows':>6} {'sync':>6} {'calls':>12} {'before MB':>10} {'(gz)':>8} {'now JSON MB':>12} {'wire MB':>8} "
        f"{'wire/before':>12} {'JSON/before':>12} {'gz/gz':>6} {'s before':>9} {'s now':>6}",
    ]
    for size in figures["sizes"]:
        for which in ("first", "second"):
            old, new = size[f"before_{which}"], size[f"now_{which}"]
            calls = f"{sum(old['calls'].values())}->{sum(new['calls'].values())}"
            lines.append(
                f"{size['rows']:>6} {which:>6} {calls:>12} {_mb(old['wire_bytes']):>10} {_mb(old['gzip_bytes']):>8} "
                f"{_mb(new['json_bytes']):>12} {_mb(new['wire_bytes']):>8} {size[f'{which}_wire_ratio']:>12.3f} "
                f"{size[f'{which}_json_ratio']:>12.3f} {size[f'{which}_gzip_ratio']:>6.2f} "
                f"{old['seconds']:>9.2f} {new['seconds']:>6.2f}"
            )
        old, new = size["before_second"], size["now_second"]
        lines.append(
            f"{'':>6} {'read':>6} {'1->1':>12} {_mb(old['read_wire_bytes']):>10} {_mb(old['read_gzip_bytes']):>8} "
            f"{_mb(new['read_json_bytes']):>12} {_mb(new['read_wire_bytes']):>8} "
            f"{new['read_wire_bytes'] / old['read_wire_bytes']:>12.3f} "
            f"{new['read_json_bytes'] / old['read_json_bytes']:>12.3f} "
            f"{new['read_gzip_bytes'] / old['read_gzip_bytes']:>6.2f}"
        )
    lines += [
        "   before: the old mask, indented JSON, no gzip (python-requests' User-Agent lacks \"gzip\", which Google",
        "   requires before it compresses); (gz): the same answers gzipped, had Google done it anyway. now: the",
        "   tighter mask, prettyPrint=false, gzip asked for. wire: bytes sent; JSON: unzipped; gz/gz: now's gzip over",
        "   before's gzip. Every answer of the sync counted (token answers apart); read: the spreadsheets.get alone.",
        "   s: the whole sync against the fake on 127.0.0.1 (its gzip and JSON writing included, no network time).",
    ]
    return lines
