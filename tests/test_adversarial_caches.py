"""Adversarial cases for the caches kept between syncs (engine/findings.py, disk_cache.py): a kept answer
must be the one a sync with an empty cache folder gives, whatever changed in between."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sheetsync.engine.compliance import CustomTerm, load_checker
from sheetsync.engine.findings import book_checker
from sheetsync.i18n import language

BANNED = CustomTerm(term="serum", category="absolute_claim", severity="high", note="client says no")
TEXT = "The best serum on the internet, guaranteed results in 7 days."


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SHEETSYNC_CACHE_DIR", str(folder))
    return folder


def test_a_copy_rules_finding_kept_in_one_language_is_not_shown_in_another(cache: Path) -> None:
    """The Copy rules term's source ("Copy rules sheet" / 文案规则表) follows the book's language, which
    the market does not decide: an en book switched to Language zh showed the English source."""
    with language("en"):
        first = book_checker("en", "cosmetics", [BANNED], frozenset())
        english = first.check(TEXT)
        first.save()
    with language("zh"):
        second = book_checker("en", "cosmetics", [BANNED], frozenset())
        truth = load_checker("en", "cosmetics", [BANNED]).check(TEXT)
        assert second.check(TEXT) == truth
    assert truth != english  # the case is one where the words differ


def _spelt_in_a_process(name: str, cache: Path, **environ: str) -> str:
    """A channel's URL variable as a fresh process names it (pypinyin reads its settings on import)."""
    code = f"from sheetsync.chat.secrets import variable_names; print(variable_names({name!r})[0])"
    env = {key: value for key, value in os.environ.items() if key != "PYPINYIN_NO_PHRASES"}
    env.update(SHEETSYNC_CACHE_DIR=str(cache), **environ)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_a_spelling_kept_with_phrases_is_not_used_without_them(tmp_path: Path) -> None:
    """PYPINYIN_NO_PHRASES makes pypinyin read 重庆 character by character (zhongqing): a spelling kept by a
    process with phrases named another variable than an empty cache folder does."""
    name = "重庆投放群"
    assert "CHONGQING" in _spelt_in_a_process(name, tmp_path / "kept")
    truth = _spelt_in_a_process(name, tmp_path / "empty", PYPINYIN_NO_PHRASES="1")
    assert "ZHONGQING" in truth  # the setting changes the spelling: the case can fail
    assert _spelt_in_a_process(name, tmp_path / "kept", PYPINYIN_NO_PHRASES="1") == truth
