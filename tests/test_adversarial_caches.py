"""Adversarial cases for the caches kept between syncs (engine/findings.py, disk_cache.py): a kept answer
must be the one a sync with an empty cache folder gives, whatever changed in between."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sheetsync import i18n
from sheetsync.chat.secrets import setting_key
from sheetsync.engine import findings
from sheetsync.engine.compliance import CustomTerm, load_checker
from sheetsync.engine.findings import book_checker, memo_key
from sheetsync.i18n import language

BANNED = CustomTerm(term="serum", category="absolute_claim", severity="high", note="client says no")
TEXT = "The best serum on the internet, guaranteed results in 7 days."


def test_a_copy_rules_finding_kept_in_one_language_is_not_shown_in_another(cache_folder: Path) -> None:
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


def _spelt_in_a_process(name: str, cache_folder: Path, **environ: str) -> str:
    """A channel's URL variable as a fresh process names it (pypinyin reads its settings on import)."""
    code = f"from sheetsync.chat.secrets import variable_names; print(variable_names({name!r})[0])"
    env = {key: value for key, value in os.environ.items() if key != "PYPINYIN_NO_PHRASES"}
    env.update(SHEETSYNC_CACHE_DIR=str(cache_folder), **environ)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_a_spelling_kept_with_phrases_is_not_used_without_them(tmp_path: Path) -> None:
    """PYPINYIN_NO_PHRASES makes pypinyin read 重庆 character by character (zhongqing): a spelling kept by a
    process with phrases named another variable than an empty cache folder does."""
    name = "重庆投放群"
    assert "CHONGQING" in _spelt_in_a_process(name, tmp_path / "kept")
    truth = _spelt_in_a_process(name, tmp_path / "empty", PYPINYIN_NO_PHRASES="1")
    assert "ZHONGQING" in truth  # the setting changes the spelling: the case can fail
    assert _spelt_in_a_process(name, tmp_path / "kept", PYPINYIN_NO_PHRASES="1") == truth


def _catalogues_with(tmp_path: Path, msgid: str, msgstr: str) -> Path:
    """A copy of the installed catalogues where the zh translation of `msgid` is `msgstr` (a sheetsync upgrade
    that rewords one message)."""
    from babel.messages.mofile import read_mo, write_mo

    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder)
    mo = folder / "zh" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with mo.open("rb") as file:
        catalog = read_mo(file)
    assert catalog[msgid].string  # the message is translated today
    catalog[msgid].string = msgstr
    with mo.open("wb") as file:
        write_mo(file, catalog)
    return folder


def test_findings_kept_before_a_catalogue_was_reworded_are_worded_again(
    cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Copy rules source and the evidence note are translated when the text is checked: findings kept
    under the old catalogue kept the old words after an upgrade that changed only the .mo file."""
    with language("zh"):
        first = book_checker("en", "cosmetics", [BANNED], frozenset())
        first.check(TEXT)
        first.save()
    monkeypatch.setattr(i18n, "LOCALE_DIR", _catalogues_with(tmp_path, "Copy rules sheet", "本书的文案规则表"))
    i18n._catalogue.cache_clear()
    try:
        with language("zh"):
            truth = load_checker("en", "cosmetics", [BANNED]).check(TEXT)
            assert any("本书的文案规则表" in f.source for f in truth)
            assert book_checker("en", "cosmetics", [BANNED], frozenset()).check(TEXT) == truth
    finally:
        i18n._catalogue.cache_clear()


def test_the_key_follows_the_contract_and_the_installed_text_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Setting labels (Project › Efficacy report, contract.py) are in the evidence findings' words, and
    pypinyin/opencc/rjieba decide what the checker reads: a changed one must not answer from the old file.
    A process that runs on (`serve`) keeps the key of what it imported, whatever the files say now."""
    spec = findings._Spec("zh", "cosmetics", frozenset())
    contract = tmp_path / "contract.py"
    contract.write_bytes(findings._CONTRACT.read_bytes())
    library = tmp_path / "site" / "fakepinyin"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(findings, "_CONTRACT", contract)
    monkeypatch.setattr(findings, "_LIBRARIES", (*findings._LIBRARIES, "fakepinyin"))
    findings._installed.cache_clear()  # a process started now
    try:
        before = memo_key(spec, ())
        contract.write_bytes(contract.read_bytes() + b"\n# a label reworded\n")
        assert memo_key(spec, ()) == before  # this process still runs the contract it imported
        findings._installed.cache_clear()  # the next process reads the new one
        assert memo_key(spec, ()) != before
        before = memo_key(spec, ())
        (library / "__init__.py").write_text("VERSION = 22\n")  # an upgrade: other bytes
        findings._installed.cache_clear()
        assert memo_key(spec, ()) != before
    finally:
        findings._installed.cache_clear()


def _kept_file(cache_folder: Path) -> Path:
    (path,) = cache_folder.glob("findings-*.marshal")
    return path


def _warm(cache_folder: Path) -> tuple[list, Path]:
    with language("en"):
        memo = book_checker("en", "cosmetics", [BANNED], frozenset())
        truth = memo.check(TEXT)
        memo.check("Plain words.")
        memo.save()
    assert truth  # the text has findings a planted entry could hide
    return truth, _kept_file(cache_folder)


def _rewrite(path: Path, entries: dict[str, object]) -> None:
    data = marshal.loads(path.read_bytes())
    data["findings"].update(entries)
    path.write_bytes(marshal.dumps(data))


@pytest.mark.parametrize(
    "entry",
    [("x",), "not findings", (("absolute_claim", "high", "serum", "4", "9", "r", "s", "", "m", ""),), ((1, 2),), 7],
)
def test_a_damaged_entry_under_the_right_key_is_checked_again(cache_folder: Path, entry: object) -> None:
    """An entry of the wrong shape (a bit flipped, another version's writer) crashed the sync with a TypeError
    or showed a finding with a text offset "4"; it is checked again."""
    truth, path = _warm(cache_folder)
    _rewrite(path, {TEXT: entry})
    with language("en"):
        memo = book_checker("en", "cosmetics", [BANNED], frozenset())
        assert memo.check(TEXT) == truth
        assert memo.checked == 1


def test_a_kept_file_someone_else_could_write_is_not_trusted(cache_folder: Path) -> None:
    """A cache folder set to a shared place: a group-writable file (or another user's) could have been planted
    to clear a banned text; its answers are not used."""
    truth, path = _warm(cache_folder)
    _rewrite(path, {TEXT: ()})  # "no findings", well formed, under the right key
    with language("en"):
        assert book_checker("en", "cosmetics", [BANNED], frozenset()).check(TEXT) == []  # own file: trusted
        path.chmod(0o664)
        assert book_checker("en", "cosmetics", [BANNED], frozenset()).check(TEXT) == truth
        if os.geteuid() == 0:  # only root can give the file to another user
            path.chmod(0o600)
            os.chown(path, 4242, -1)
            assert book_checker("en", "cosmetics", [BANNED], frozenset()).check(TEXT) == truth


def test_a_planted_spelling_is_not_trusted(cache_folder: Path) -> None:
    """The kept spelling names the variable a webhook address is read from: a group-writable file is not read."""
    assert setting_key("项目群") == "XIANGMUQUN"
    path = cache_folder / "pinyin-names.marshal"
    kept = marshal.loads(path.read_bytes())
    kept["names"]["项目群"] = "other team"
    path.write_bytes(marshal.dumps(kept))
    assert setting_key("项目群") == "OTHER_TEAM"  # the user's own file is trusted
    path.chmod(0o666)
    assert setting_key("项目群") == "XIANGMUQUN"


def test_a_running_process_does_not_keep_old_words_under_an_upgrades_key(
    cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sheetsync serve` runs on while an upgrade replaces the catalogues: it still words findings with the
    catalogue it loaded. Keyed by the .mo file on disk, those old words were kept under the new key, and the
    first process started after the upgrade showed them."""
    with language("zh"):
        i18n._(BANNED.note)  # the running process has loaded its catalogue
        monkeypatch.setattr(i18n, "LOCALE_DIR", _catalogues_with(tmp_path, "Copy rules sheet", "本书的文案规则表"))
        running = book_checker("en", "cosmetics", [BANNED], frozenset())
        assert not any("本书的文案规则表" in f.source for f in running.check(TEXT))  # the old words, in memory
        running.save()
        i18n._catalogue.cache_clear()  # a process started after the upgrade
        try:
            truth = load_checker("en", "cosmetics", [BANNED]).check(TEXT)
            assert book_checker("en", "cosmetics", [BANNED], frozenset()).check(TEXT) == truth
        finally:
            i18n._catalogue.cache_clear()


def test_a_process_spelling_with_an_old_pypinyin_keeps_it_under_the_old_edition(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` imported pypinyin, then an upgrade replaced it on disk: the process still spells with the old one,
    and kept under the new files' edition its spelling was taken by the next process as the new pypinyin's."""
    from sheetsync.chat import secrets

    monkeypatch.setattr(secrets, "_IMPORTED_PINYIN", [])
    monkeypatch.setattr(secrets, "_pinyin_edition", lambda: "pypinyin 1")
    assert setting_key("项目群") == "XIANGMUQUN"  # the running process imports pypinyin 1
    monkeypatch.setattr(secrets, "_pinyin_edition", lambda: "pypinyin 2")  # the upgrade, on disk
    assert setting_key("投放群") == "TOUFANGQUN"  # spelt by pypinyin 1, still in memory

    monkeypatch.setattr(secrets, "_IMPORTED_PINYIN", [])  # the next process: pypinyin 2, which spells otherwise
    monkeypatch.setattr("pypinyin.lazy_pinyin", lambda text: ["new", "spelling"])
    assert setting_key("投放群") == "NEWSPELLING"


def test_years_of_edits_do_not_fill_the_cache_folder(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Copy rules edit keys a new file; none was ever removed. Past MAX_FILES the least recently used go,
    and a file a sync answered from counts as used."""
    monkeypatch.setattr(findings, "MAX_FILES", 3)
    _truth, used = _warm(cache_folder)
    for age, name in enumerate("abcd", start=1):
        old = cache_folder / f"findings-{name * 32}.marshal"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 * age, 1_000_000 * age))
    os.utime(used, (1, 1))  # the oldest file, then a sync answered from it
    with language("en"):
        memo = book_checker("en", "cosmetics", [BANNED], frozenset())
        memo.check(TEXT)
        memo.save()
        assert memo.hits == 1
        fresh = book_checker("en", "cosmetics", [], frozenset())
        fresh.check(TEXT)
        fresh.save()
    kept = {path.name for path in cache_folder.glob("findings-*.marshal")}
    assert kept == {used.name, fresh._path.name, f"findings-{'d' * 32}.marshal"}


def test_planted_holidays_and_pack_caches_are_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file kept in the cache folder is read through disk_cache.read: one someone else could have written
    (group- or world-writable) is ignored, so a shared cache folder cannot plant a holiday-free calendar."""
    from sheetsync.engine import calendar as cal

    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("SHEETSYNC_CACHE_DIR", str(folder))
    cal._year_days.cache_clear()
    path = folder / f"holidays-{cal._installed()}-CN-2026.marshal"
    path.write_bytes(marshal.dumps(((), ())))  # "no holidays, no make-up days" in 2026
    path.chmod(0o666)
    public, _makeup = cal._year_days("CN", 2026)
    assert dt.date(2026, 10, 1) in public  # National Day: the planted answer was not used
    cal._year_days.cache_clear()
    path.write_bytes(marshal.dumps(((), ())))
    path.chmod(0o600)  # the user's own file is trusted, as kept
    public, _makeup = cal._year_days("CN", 2026)
    assert dt.date(2026, 10, 1) not in public
    cal._year_days.cache_clear()
