"""Digests to 50 people composed once per book: the very same bytes as the per-person path gave.

tests/data/digest_speed_50.json holds the SHA-256 of every .eml (and of each of its parts: text, HTML,
pictures) that sheetsync wrote for this 50-person team before the book-once composition (commit e3e5d5b),
with a fixed send time. The fast path must give each file byte for byte: tables laid out once
(render.html_table), bodies quoted-printable encoded a line at a time and written in one piece (mime.py).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import json
from pathlib import Path

import bench_workbooks
import pytest

from sheetsync.analysis import analyse
from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.digest import chart, render
from sheetsync.digest.run import OUTBOX, run_digests

GOLDEN = Path(__file__).parent / "data" / "digest_speed_50.json"
SENT_AT = dt.datetime(2026, 12, 8, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def team(n: int = 50) -> list[dict[str, object]]:
    """The bench's 50 people: every third a detailed digest, every fourth on the client's side."""
    return [
        {"Name": f"Person {i}", "Role": "Account manager" if i % 5 == 0 else "Copywriter",
         "Email": f"person.{i}@agency.example.com", "Side": "client" if i % 4 == 0 else "agency",
         "Digest": "detailed" if i % 3 == 0 else "brief", "Cadence": "daily"}
        for i in range(n)
    ]


def parts(raw: bytes) -> dict[str, list[str]]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    out: dict[str, list[str]] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        data = part.get_content()
        data = data.encode() if isinstance(data, str) else data
        out.setdefault(part.get_content_type(), []).append(hashlib.sha256(data).hexdigest())
    return out


@pytest.fixture(scope="module")
def book50(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("digest50")
    campaign = bench_workbooks.generate_campaign(200, seed=1)
    campaign.rows["Team"] = team()
    path = bench_workbooks.write_campaign_workbook(folder / "b.xlsx", campaign)
    return folder, analyse(XlsxFileBackend(path).read(), today=campaign.today)


def test_fifty_digests_have_the_bytes_the_per_person_path_wrote(book50, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, analysis = book50
    drawn = []
    draw = chart._draw_gantt
    monkeypatch.setattr(chart, "_draw_gantt", lambda *a, **k: drawn.append(1) or draw(*a, **k))
    chart.clear_picture_cache()
    render._html_table.cache_clear()
    run = run_digests(analysis, target="digest-speed", mode=OUTBOX, outbox=folder / "out", state_dir=folder / "state",
                sent_at=SENT_AT)
    golden = json.loads(GOLDEN.read_text())
    written = sorted((folder / "out").iterdir())
    assert [f.name for f in written] == sorted(golden)
    for f in written:
        raw = f.read_bytes()
        assert parts(raw) == golden[f.name]["parts"], f.name
        assert hashlib.sha256(raw).hexdigest() == golden[f.name]["eml"], f.name
    detailed = sum(1 for g in golden.values() if "image/png" in g["parts"])
    assert detailed == 17 and len(drawn) == 1  # 17 detailed digests share one timeline picture
    # ... and each table's HTML, laid out once (digest_table.html.j2) and placed in all 17
    shown = [t for d in run.digests if d.detailed for t in d.tables]
    tables = render._html_table.cache_info()
    assert len(shown) == 17 * len(run.digests[0].tables) > 17
    assert (tables.misses, tables.hits) == (len(set(shown)), len(shown) - len(set(shown)))
