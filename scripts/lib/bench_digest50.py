"""scripts/bench --only digest50: 50 digests of a 500-row book written to the outbox, against one digest.

The bench's digest book (tests/bench_workbooks.py, seed 1, 500 Timeline rows, the 50-person Team of
bench_digests: every third detailed). Timings, each the median of a few runs in this one process, the
book read and analysed once beforehand (what the cron run does before its digests):

- one: the digest for one person (`to=`, a detailed one), to the outbox;
- fifty: all 50 to the outbox;
- ratio fifty / one: 50 would be one per person done again; composing the book's parts once, drawing the
  pictures once and laying out the tables once is what brings it down — and, since issue 19, each table's
  HTML rendered once (digest_table.html.j2), each distinct line quoted-printable encoded once, the e-mail
  header classes made once (digest/mime.py), the .eml files synced to disk together and the run's
  snapshots saved in one transaction.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPEAT, QUICK_REPEAT = 5, 3


def bench_digest50(quick: bool = False, progress: Callable[[str], None] = lambda _m: None,
                   team: Callable[[], list[dict[str, object]]] | None = None) -> dict[str, object]:
    import bench_workbooks

    from sheetsync.analysis import analyse
    from sheetsync.backends.xlsx import XlsxFileBackend
    from sheetsync.digest.run import OUTBOX, run_digests

    rows, people = 500, 50
    with tempfile.TemporaryDirectory(prefix="sheetsync-bench-digest50-") as tmp:
        folder = Path(tmp)
        campaign = bench_workbooks.generate_campaign(rows, seed=1)
        campaign.rows["Team"] = team() if team else _team(people)
        path = bench_workbooks.write_campaign_workbook(folder / "digests.xlsx", campaign)
        analysis = analyse(XlsxFileBackend(path).read(), today=campaign.today)
        runs = [0]

        cpu: list[float] = []

        def once(to: str | None) -> float:
            runs[0] += 1
            started, started_cpu = time.perf_counter(), time.process_time()
            done = run_digests(analysis, target=str(path), mode=OUTBOX, outbox=folder / f"out{runs[0]}",
                               state_dir=folder / f"state{runs[0]}", to=to)
            seconds = time.perf_counter() - started
            if to is None:
                cpu.append(time.process_time() - started_cpu)
            assert len(done.deliveries) == (1 if to else people), len(done.deliveries)
            return seconds

        once(None)  # warm: imports, templates compiled, fonts loaded — as in any process after its first digest
        one, fifty = [], []
        for i in range(QUICK_REPEAT if quick else REPEAT):
            progress(f"digest50: round {i + 1}")
            one.append(once("person.0@agency.example.com"))  # person 0 gets a detailed digest
            fifty.append(once(None))
    return {
        "rows": rows, "recipients": people,
        "one_s": statistics.median(one), "fifty_s": statistics.median(fifty),
        "fifty_range_s": [min(fifty), max(fifty)],
        "ratio_fifty_to_one": statistics.median(f / o for f, o in zip(fifty, one, strict=True)),
        # CPU seconds of the 50 (all threads of this process): what a busy, shared machine disturbs least
        "fifty_cpu_s": statistics.median(cpu[1:]),
    }


def _team(people: int) -> list[dict[str, object]]:
    return [
        {"Name": f"Person {i}", "Role": "Account manager" if i % 5 == 0 else "Copywriter",
         "Email": f"person.{i}@agency.example.com", "Side": "client" if i % 4 == 0 else "agency",
         "Digest": "detailed" if i % 3 == 0 else "brief", "Cadence": "daily", "Chat": f"138{i:08d}"}
        for i in range(people)
    ]


def render_digest50(figures: dict[str, object]) -> list[str]:
    lo, hi = figures["fifty_range_s"]  # type: ignore[misc]
    return [
        f"Digests for {figures['recipients']} recipients of a {figures['rows']}-row workbook, to the outbox",
        f"   all {figures['recipients']}: {figures['fifty_s']:.2f} s (runs {lo:.2f}–{hi:.2f} s)   "
        f"one detailed digest: {figures['one_s']:.3f} s   ratio 50 / one {figures['ratio_fifty_to_one']:.1f}"
        f"   CPU of all {figures['recipients']}: {figures['fifty_cpu_s']:.2f} s",
    ]
