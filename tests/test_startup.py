"""A Sync now click starts a fresh process: it imports only what an xlsx sync uses, and pays once for what it can keep.

The speed itself is measured by `scripts/bench --only startup`; these tests prove the behaviour
is kept and that the fast paths are taken: no pandas/Jinja/Pillow/Google stack in the process,
each pack's TOML and each country-year's holidays answered from the cache folder, the same
answers as without it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sheetsync.engine import calendar as calendar_module
from sheetsync.engine import compliance_cache
from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.compliance_rules import default_rules_dir
from sheetsync.engine.disk_cache import CACHE_ENV
from sheetsync.template import build_workbook

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-12-08"
# email: only digests compose mail (digest/model.py imports none of it up front); tomllib: pack TOML and holidays come
# from the cache folder, chat.toml is read only by a chat run; csv: only `sheetsync import` reads exports.
NOT_FOR_A_SYNC = ("pandas", "jinja2", "PIL", "gspread", "google", "starlette", "numpy", "smtplib", "email", "tomllib",
                  "csv")

# Runs the CLI as `python -m sheetsync` does, then says which modules the process holds.
MODULES_AFTER = """
import json, sys
from sheetsync.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _run(args: list[str], cwd: Path) -> tuple[int, list[str], str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    env.update(PYTHONPATH=str(REPO), SHEETSYNC_TEMPLATES_DIR=str(REPO / "templates"))
    done = subprocess.run([sys.executable, "-c", MODULES_AFTER, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    last = json.loads(done.stdout.strip().splitlines()[-1])
    return last["status"], last["modules"], done.stdout, done.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "demo.xlsx"
    build_workbook(path, demo=True, today=dt.date(2026, 12, 8))
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_sync_of_the_demo_leaves_the_frames_digest_and_google_stacks_out(tmp_path: Path, lang: str) -> None:
    book = tmp_path / "demo.xlsx"
    build_workbook(book, demo=True, today=dt.date(2026, 12, 8), lang=lang)
    (tmp_path / "edited.xlsx").write_bytes(book.read_bytes())
    _run(["check", "demo.xlsx", "--today", TODAY], tmp_path)  # a cold cache folder is filled (the first click)
    status, modules, out, err = _run(["sync", "demo.xlsx", "--today", TODAY], tmp_path)
    assert status == 0, err
    assert ("Timeline:" if lang == "en" else "时间表") in out  # the summary is printed, as always
    loaded = {m.split(".")[0] for m in modules}
    assert not loaded & set(NOT_FOR_A_SYNC), sorted(loaded & set(NOT_FOR_A_SYNC))
    assert "holidays" not in loaded  # the registry and each year's holidays came from the cache folder
    assert "pypinyin" not in loaded  # the group chats' names were spelt by the first run, kept in the cache folder
    assert "rjieba" not in loaded and "opencc" not in loaded  # every copy text's findings kept: no checker built
    # The summary borrows plain wording helpers (digest.header_text/baseline, chat.secrets); nothing that composes,
    # renders, draws, sends or serves a digest is loaded, nor the digest's dataclasses (digest.model).
    heavy = ("sheetsync.digest.model", "sheetsync.digest.render", "sheetsync.digest.chart", "sheetsync.digest.run", "sheetsync.digest.smtp",
             "sheetsync.chat.compose", "sheetsync.chat.deliver", "sheetsync.serve", "sheetsync.backends.gsheets",
             "sheetsync.results.read", "sheetsync.results.write",
             "sheetsync.whatif", "sheetsync.frames")  # a sync names platforms; it imports no export
    assert not [m for m in modules if m.startswith(heavy)]


def test_frames_still_bring_pandas_when_asked_for(tmp_path: Path, demo: Path) -> None:
    shutil.copyfile(demo, tmp_path / "demo.xlsx")
    code = ("import sys, sheetsync\n"
            "frames = sheetsync.open('demo.xlsx').frames()\n"
            "print(type(frames['Timeline']).__module__.split('.')[0], 'pandas' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "SHEETSYNC_TEMPLATES_DIR": str(REPO / "templates")}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["pandas", "True"], done.stderr


def test_a_sync_of_a_book_excel_has_open_answers_with_its_one_line(tmp_path: Path, demo: Path) -> None:
    book = tmp_path / "campaign.xlsx"
    shutil.copyfile(demo, book)
    (tmp_path / "~$campaign.xlsx").write_bytes(b"\x05Ann Lee")
    before = book.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO), "SHEETSYNC_TEMPLATES_DIR": str(REPO / "templates")}
    done = subprocess.run([sys.executable, "-m", "sheetsync", "sync", "campaign.xlsx", "--today", TODAY], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "Error: campaign.xlsx is open in Excel (lock file ~$campaign.xlsx); close it there, or pass --force to sync anyway."
    ]
    assert book.read_bytes() == before


def test_each_packs_toml_is_parsed_once_per_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    packs = sorted(default_rules_dir().glob("*.toml"))
    assert packs
    expected = [tomllib.loads(p.read_text(encoding="utf-8")) for p in packs]
    assert [compliance_cache.parsed_pack(p.read_bytes()) for p in packs] == expected  # a miss: parsed, kept
    assert len(list((tmp_path / "cache").glob("toml-*.marshal"))) == len({p.read_bytes() for p in packs})
    calls: list[str] = []
    monkeypatch.setattr(tomllib, "loads", lambda text: calls.append(text) or {})
    assert [compliance_cache.parsed_pack(p.read_bytes()) for p in packs] == expected  # a hit: not parsed again
    assert calls == []


def test_a_pack_the_cache_cannot_keep_or_cannot_parse_is_still_read_as_tomllib_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    dated = b'market = "en"\nreviewed = 2026-12-08\n'  # a TOML date: marshal cannot keep it
    assert compliance_cache.parsed_pack(dated) == {"market": "en", "reviewed": dt.date(2026, 12, 8)}
    assert compliance_cache.parsed_pack(dated) == {"market": "en", "reviewed": dt.date(2026, 12, 8)}
    assert not list((tmp_path / "cache").glob("toml-*"))
    with pytest.raises(tomllib.TOMLDecodeError):
        compliance_cache.parsed_pack(b"market = \n")
    (tmp_path / "cache").mkdir()
    good = b'market = "zh"\n'
    compliance_cache.parsed_pack(good)
    (kept,) = (tmp_path / "cache").glob("toml-*.marshal")
    kept.write_bytes(b"not marshal at all")  # a corrupt answer is ignored and parsed again
    assert compliance_cache.parsed_pack(good) == {"market": "zh"}


def test_holidays_come_from_the_cache_folder_with_the_same_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    first, last = dt.date(2025, 12, 1), dt.date(2027, 2, 28)

    def days(country: str) -> tuple[list[dt.date], list[int]]:
        calendar_module._year_days.cache_clear()
        calendar_module._has_arrangement.cache_clear()
        calendar_module._registry.cache_clear()
        work = WorkCalendar(country)
        return work.holidays_between(first, last), work.unconfirmed_years(first, last)

    cold = {country: days(country) for country in ("CN", "US", "GB")}
    assert dt.date(2026, 2, 16) in cold["CN"][0] and dt.date(2026, 12, 25) in cold["US"][0]
    assert len(list((tmp_path / "cache").glob("holidays-*.marshal"))) == 10  # three countries × three years, and the registry
    calls: list[str] = []
    real = calendar_module._country_holidays
    monkeypatch.setattr(calendar_module, "_country_holidays",
                        lambda country, year: calls.append(country) or real(country, year))
    assert {country: days(country) for country in ("CN", "US", "GB")} == cold
    assert calls == []  # every year answered from the cache folder
    cn = WorkCalendar("CN")
    assert cn.is_workday(dt.date(2026, 2, 14))  # a Saturday worked to make up for the Spring Festival
    calendar_module._registry.cache_clear()
    import holidays.registry

    assert calendar_module.supported_countries() == sorted({e[1] for e in holidays.registry.COUNTRIES.values()})
    assert calendar_module.country_code("Great Britain") == "GB" and calendar_module.country_code("中国") == "CN"
    for path in (tmp_path / "cache").glob("holidays-*"):
        path.write_bytes(b"garbage")
    assert {country: days(country) for country in ("CN", "US", "GB")} == cold  # a corrupt cache: asked again
    assert calls
