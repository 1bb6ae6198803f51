"""Shared fixtures: real campaign workbooks built from the template, filled like a person would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sheetsync.contract import SETTINGS, SHEETS, sheet_spec
from sheetsync.template import build_workbook

TODAY = dt.date(2026, 3, 2)  # a Monday
LAUNCH = dt.date(2026, 3, 14)  # a Saturday: ads go live any day

# A small valid campaign; hand-worked plan in tests/test_sync_xlsx.py.
BASE_TIMELINE = [
    {"ID": "T1", "Milestone": "Proposal", "Owner": "Li Na", "Duration": 2, "Buffer": 1, "Status": "Not started"},
    {"ID": "T2", "Milestone": "First draft", "Owner": "Li Na", "Depends on": "T1", "Duration": 3},
    {"ID": "T3", "Milestone": "Internal review", "Owner": "Wang Lei", "Depends on": "T2", "Duration": 1, "Buffer": 1},
    {"ID": "T4", "Milestone": "Launch", "Owner": "Zhang Min", "Depends on": "T3", "Duration": 0},
]


BASE_TEAM = [
    {"Name": "Li Na", "Role": "Copywriter", "Email": "li.na@agency.example.com", "Side": "agency", "Digest": "brief",
     "Cadence": "daily"},
    {"Name": "Wang Lei", "Role": "Creative lead", "Email": "wang.lei@agency.example.com", "Side": "agency",
     "Digest": "detailed", "Cadence": "daily"},
    {"Name": "Zhang Min", "Role": "Account manager", "Email": "zhang.min@agency.example.com", "Side": "agency",
     "Digest": "detailed", "Cadence": "weekly"},
]
# RACI: activity, then letters for Li Na, Wang Lei, Zhang Min
BASE_RACI = [("T1", "R", "C", "A"), ("T2", "R", "A", "I"), ("T3", "C", "A/R", "I"), ("T4", "I", "R", "A")]


def header_columns(ws, spec_name: str, lang: str = "en") -> dict[str, int]:
    """Canonical column name → 1-based column, from row 1 of a template sheet."""
    spec = sheet_spec(spec_name)
    out = {}
    for cell in ws[1]:
        for column in spec.columns:
            if cell.value is not None and column.matches(cell.value):
                out[column.name] = cell.column
    return out


def setting_row(ws, name: str) -> int:
    spec = next(s for s in SETTINGS if s.name == name)
    for row in range(2, ws.max_row + 1):
        if spec.matches(ws.cell(row, 1).value):
            return row
    raise KeyError(name)


class Campaign:
    """A campaign workbook on disk plus helpers to edit it as a person would (openpyxl)."""

    def __init__(self, path: Path, lang: str = "en") -> None:
        self.path = path
        self.lang = lang

    def edit(self, change: Callable[[openpyxl.Workbook], None]) -> None:
        wb = openpyxl.load_workbook(self.path)
        change(wb)
        wb.save(self.path)

    def sheet(self, name: str):
        spec = sheet_spec(name)
        wb = openpyxl.load_workbook(self.path)
        return wb[spec.label(self.lang)]

    def cells(self, name: str) -> dict[str, object]:
        """Every non-empty cell of a sheet: A1 → value."""
        ws = self.sheet(name)
        return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}

    def human_cells(self) -> dict[tuple[str, str], object]:
        """Every non-empty cell that people own (all sheets, computed columns excluded)."""
        wb = openpyxl.load_workbook(self.path)
        out = {}
        for ws in wb.worksheets:
            spec = next((s for s in SHEETS if s.matches(ws.title)), None)
            if spec is not None and spec.wholly_computed:
                continue
            computed_cols = set()
            if spec is not None:
                cols = header_columns(ws, spec.name)
                computed_cols = {cols[c.name] for c in spec.computed if c.name in cols}
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None and (c.column not in computed_cols or c.row == 1):
                        out[(ws.title, c.coordinate)] = c.value
        return out

    def set_setting(self, name: str, value: object) -> None:
        def change(wb):
            ws = wb[sheet_spec("Project").label(self.lang)]
            ws.cell(setting_row(ws, name), 2).value = value

        self.edit(change)

    def set_timeline(self, rows: list[dict[str, object]]) -> None:
        self.set_rows("Timeline", rows)

    def set_raci(self, rows: list[tuple[str, ...]], people: tuple[str, ...] = ("Li Na", "Wang Lei", "Zhang Min")) -> None:
        """Write RACI headers for `people` from column C, then one row per (activity, letters…)."""

        def change(wb):
            ws = wb[sheet_spec("RACI").label(self.lang)]
            for i, who in enumerate(people):
                ws.cell(1, 3 + i).value = who
            for r, (activity, *letters) in enumerate(rows, start=2):
                ws.cell(r, 1).value = activity
                for i, letter in enumerate(letters):
                    ws.cell(r, 3 + i).value = letter or None
            for r in range(len(rows) + 2, ws.max_row + 1):  # rows the new matrix no longer has
                for c in [1, *range(3, 3 + len(people))]:
                    ws.cell(r, c).value = None

        self.edit(change)

    def set_rows(self, sheet: str, rows: list[dict[str, object]]) -> None:
        """Fill rows 2, 3, … of a contract sheet by canonical column name."""

        def change(wb):
            ws = wb[sheet_spec(sheet).label(self.lang)]
            cols = header_columns(ws, sheet)
            for i, values in enumerate(rows):
                for name, value in values.items():
                    ws.cell(2 + i, cols[name]).value = value

        self.edit(change)


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own ($SHEETSYNC_CACHE_DIR, not yet made): what sheetsync keeps between
    runs (findings, pinyin spellings, packs, holidays) starts from nothing and is seen nowhere else."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SHEETSYNC_CACHE_DIR", str(folder))
    return folder


# The bytes of each campaign make_campaign has built, by its arguments: a later test with the same ones gets a
# copy (four openpyxl load-and-save rounds fill the plan in; hundreds of tests start from the same few books).
_CAMPAIGNS: dict[str, bytes] = {}


@pytest.fixture
def make_campaign(tmp_path: Path) -> Callable[..., Campaign]:
    """Build a campaign workbook from the template with the base plan filled in."""
    counter = iter(range(1000))

    def make(*, lang: str = "en", suffix: str = ".xlsx", timeline=None, launch=LAUNCH, people=True) -> Campaign:
        path = tmp_path / f"campaign{next(counter)}{suffix}"
        campaign = Campaign(path, lang)
        key = repr((lang, suffix, timeline, launch, people))
        if key in _CAMPAIGNS:
            path.write_bytes(_CAMPAIGNS[key])
            return campaign
        build_workbook(path, lang=lang)
        if launch is not None:
            campaign.set_setting("Launch date", launch)
        campaign.set_timeline(BASE_TIMELINE if timeline is None else timeline)
        if people:
            campaign.set_rows("Team", BASE_TEAM)
            campaign.set_raci(BASE_RACI)
        _CAMPAIGNS[key] = path.read_bytes()
        return campaign

    return make


@pytest.fixture(scope="module")
def created_demo(tmp_path_factory) -> Path:
    """The demo campaign as `sheetsync.create` lays it out on 2026-12-08 (no first run: no sync, no baseline)."""
    import sheetsync

    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    sheetsync.create(path, demo=True, today=dt.date(2026, 12, 8))
    return path


@pytest.fixture
def demo(created_demo: Path, tmp_path: Path) -> Path:
    """A copy of `created_demo` for one test to change (a module's own `demo` fixture takes precedence)."""
    import shutil

    path = tmp_path / "demo.xlsx"
    shutil.copy(created_demo, path)
    return path


@pytest.fixture
def test_rules(monkeypatch) -> Path:
    """Point the copy checker at the tiny, stable rule pack in tests/data/test-rules (market en)."""
    folder = Path(__file__).parent / "data" / "test-rules"
    monkeypatch.setenv("SHEETSYNC_RULES_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def own_chat_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the machine's chat.toml or SHEETSYNC_CHAT_* webhooks: its own config folder, no variables."""
    import os

    folder = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    for name in list(os.environ):
        if name.startswith("SHEETSYNC_CHAT_"):
            monkeypatch.delenv(name)
    return folder / "sheetsync" / "chat.toml"


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own per-user state folder: digests never read or write the real ~/.local/state."""
    folder = tmp_path / "xdg-state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    monkeypatch.delenv("SHEETSYNC_STATE_DIR", raising=False)
    return folder / "sheetsync"


@pytest.fixture(scope="session")
def prepared_copy_rules() -> Callable[[Path], Path]:
    """Put the rule packs' prepared cache (both markets) into a fresh HOME: ``seed(home)``.

    A sheetsync run in a fresh HOME starts with an empty ~/.cache/sheetsync and spends seconds
    validating and preparing every rule pack (a cache miss, tested in test_copy_loading.py) before
    its first copy check; the walk-throughs that run the CLI in a fresh HOME prove nothing by it.
    The files come from the cache this user's runs keep (warmed here, in a child process, if cold).
    """
    import os
    import shutil
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SHEETSYNC_CACHE_DIR"}
    script = (
        "from sheetsync.engine.compliance import load_checker\n"
        "from sheetsync.engine.compliance_cache import cache_dir\n"
        "load_checker('zh'); load_checker('en'); print(cache_dir())\n"
    )
    warmed = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    folder = Path(warmed.stdout.strip().splitlines()[-1])
    prepared = sorted(folder.glob("packs-*.marshal"))
    assert {p.name.split("-")[1] for p in prepared} >= {"zh", "en"}, prepared
    prepared += sorted(folder.glob("toml-*.marshal"))  # each pack's parsed TOML (compliance_cache.parsed_pack)

    def seed(home: Path) -> Path:
        target = home / ".cache" / "sheetsync"
        target.mkdir(parents=True, exist_ok=True)
        for path in prepared:
            shutil.copyfile(path, target / path.name)
        return target

    return seed
