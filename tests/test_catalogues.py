"""The message catalogues: every message the code uses is in both languages, translated, and compiled.

Runs the same check as `scripts/build-catalogues --check` (Babel's extractor over
the package and the digest templates), then proves the run-time side: the
compiled catalogue the standard library loads answers in Chinese, fills named
placeholders after translating, and a language set for one block does not leak.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sheetsync import i18n

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
catalogues = pytest.importorskip("catalogues")


def test_every_message_is_in_both_catalogues_translated_and_compiled():
    assert catalogues.check() == []


def test_the_check_finds_a_message_missing_from_the_catalogues(tmp_path, monkeypatch):
    source = tmp_path / "sheetsync"
    source.mkdir()
    (source / "probe.py").write_text('from .i18n import _\nX = _("a message nobody translated {n}", n=1)\n')
    monkeypatch.setattr(catalogues, "ROOT", tmp_path)
    monkeypatch.setattr(catalogues, "LOCALE", tmp_path / "sheetsync" / "locale")
    wrong = catalogues.check()
    assert any("missing 'a message nobody translated {n}'" in line and line.startswith("zh:") for line in wrong)
    assert any(line.startswith("en:") for line in wrong)


def test_the_check_finds_a_message_translated_in_two_files(tmp_path, monkeypatch):
    """Two people translating one message in two area files: only one translation is compiled, by chance."""
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(catalogues.LOCALE, locale)
    chat_wecom = locale / "zh" / "chat_wecom.po"
    chat_wecom.write_text(chat_wecom.read_text(encoding="utf-8") + '\nmsgid "Open the sheet"\nmsgstr "打开"\n',
                          encoding="utf-8")
    monkeypatch.setattr(catalogues, "LOCALE", locale)
    assert catalogues.twice("zh") == ["zh: 'Open the sheet' is in both chat_wecom.po and digest.po; keep it in one"]
    assert catalogues.twice("en") == []


def test_placeholders_must_survive_translation():
    assert catalogues.placeholders("{task} is due {date:%Y}") == {"task", "date"}
    assert catalogues.placeholders("{{literal}} {n}") == {"n"}


def test_the_script_reports_complete_catalogues():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build-catalogues"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "complete and compiled" in done.stdout


def test_language_normalises_what_people_write():
    assert [i18n.normalise(x) for x in ("zh", "zh_CN.UTF-8", "中文", "Chinese", "en-GB", "English", "fr", "")] == [
        "zh", "zh", "zh", "zh", "en", "en", None, None,
    ]


def test_a_language_block_does_not_leak(monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with i18n.language("zh"):
        assert i18n.current() == "zh"
        with i18n.language("en"):
            assert i18n.current() == "en"
        assert i18n.current() == "zh"
    assert i18n.current() == "en"


def test_the_terminal_language_is_the_default_before_a_book_is_read(monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.current() == "zh"
