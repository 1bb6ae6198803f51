"""Loading the copy rule packs fast without changing a finding: lazy regexes, the on-disk cache, lean imports.

A market's packs are validated and prepared once per pack content (compliance_cache); afterwards a
regex is built from the cached code the first time a text needs it. Whatever the cache holds —
nothing, the answer, garbage, another version's answer — the findings must be those of a fresh compile,
and a bad regex must still be a RulePackError naming pack and rule.
"""

from __future__ import annotations

import marshal
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_copy_corpus import corpus_items

from sheetsync.engine.compliance import Finding, RulePackError, load_checker
from sheetsync.engine.compliance_cache import CACHE_ENV
from sheetsync.engine.compliance_pattern import scan_form
from sheetsync.engine.compliance_rules import default_rules_dir, load_packs


def corpus(market: str) -> list[str]:
    return [item["text"] for _where, item in corpus_items(market, "copy_corpus_*.jsonl")]


def copy_rules(folder: Path) -> Path:
    shutil.copytree(default_rules_dir(), folder)
    return folder


def findings(market: str, industry: str, rules: Path, texts: list[str]) -> list[list[Finding]]:
    checker = load_checker(market, industry, rules_dir=rules)
    return [checker.check(text) for text in texts]


def cache_files(cache: Path, market: str) -> list[Path]:
    return sorted(cache.glob(f"packs-{market}-*.marshal"))


@pytest.mark.parametrize(("market", "industry"), [("zh", "general"), ("en", "general"), ("zh", "cosmetics")])
def test_cached_and_lazy_rules_find_exactly_what_a_fresh_compile_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, market: str, industry: str, fresh_compile
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    if industry == "general":  # the module's fresh compile, its cache file copied here
        texts, fresh, _path = spoilable_cache(fresh_compile, market, cache)
    else:
        texts = corpus(market)
        fresh = findings(market, industry, copy_rules(tmp_path / "fresh"), texts)  # miss: compiles and validates all
        assert sum(map(len, fresh)) > len(texts) / 2  # the corpus does trigger rules
    assert len(cache_files(cache, market)) == 1
    # Same pack bytes in another folder: the cache answers, every regex is built from its cached code.
    cached_rules = copy_rules(tmp_path / "cached")
    assert findings(market, industry, cached_rules, texts) == fresh
    patterns = [p for pack in load_packs(str(cached_rules)) if pack.market == market for p in pack.patterns()]
    assert patterns and all(p.code is not None for p in patterns)


@pytest.fixture(scope="module")
def fresh_compile(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[list[str], list[list[Finding]], Path]]:
    """(the market's corpus texts, their findings from a fresh compile of its general packs, the cache file).

    A fresh compile takes seconds; the tests that need one (or a warm cache to spoil) take it from here,
    once per market, and copy the cache file into their own cache folder.
    """
    made: dict[str, tuple[list[str], list[list[Finding]], Path]] = {}

    def fresh(market: str) -> tuple[list[str], list[list[Finding]], Path]:
        if market not in made:
            folder = tmp_path_factory.mktemp(f"fresh-{market}")
            texts = corpus(market)
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv(CACHE_ENV, str(folder / "cache"))
                found = findings(market, "general", copy_rules(folder / "rules"), texts)  # a miss: compiles all
            (path,) = cache_files(folder / "cache", market)
            assert sum(map(len, found)) > len(texts) / 2  # the corpus does trigger rules
            made[market] = (texts, found, path)
        return made[market]

    return fresh


def spoilable_cache(fresh_compile, market: str, cache: Path) -> tuple[list[str], list[list[Finding]], Path]:
    """The fresh compile's texts and findings, and a copy of its cache file in ``cache`` (a warm cache to spoil)."""
    texts, fresh, made = fresh_compile(market)
    cache.mkdir()
    path = cache / made.name
    shutil.copyfile(made, path)
    return texts, fresh, path


@pytest.mark.parametrize("garbage", ["{not json", '{"key": "x", "needs": {}, "code": {}}', "[1, 2]"])
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: str, fresh_compile
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    texts, fresh, path = spoilable_cache(fresh_compile, "en", cache)
    path.write_text(garbage, encoding="utf-8")
    assert findings("en", "general", copy_rules(tmp_path / "again"), texts) == fresh
    assert marshal.loads(path.read_bytes())["needs"]  # a good answer replaced the garbage


def test_cached_code_that_does_not_fit_falls_back_to_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_compile
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    texts, fresh, path = spoilable_cache(fresh_compile, "zh", cache)
    record = marshal.loads(path.read_bytes())
    record["code"] = {p: (f, g, i, [0]) for p, (f, g, i, _c) in record["code"].items()}  # code the engine refuses
    path.write_bytes(marshal.dumps(record))
    assert findings("zh", "general", copy_rules(tmp_path / "again"), texts) == fresh


def test_a_changed_pack_is_not_read_from_the_old_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_compile
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    spoilable_cache(fresh_compile, "zh", tmp_path / "cache")  # the unchanged packs' answer is in the cache
    assert load_checker("zh", rules_dir=copy_rules(tmp_path / "before")).check("宇宙无敌好用") == []
    rules = copy_rules(tmp_path / "after")
    with (rules / "zh.toml").open("a", encoding="utf-8") as pack:
        pack.write(NEW_RULE.format(pattern="宇宙无敌"))
    assert [f.rule for f in load_checker("zh", rules_dir=rules).check("宇宙无敌好用")] == ["zh.test.loading"]


NEW_RULE = """
[[rule]]
id = "zh.test.loading"
category = "absolute_claim"
patterns = ['{pattern}']
message_zh = "测试"
message_en = "test"
source = "《中华人民共和国广告法》第九条"
"""


@pytest.mark.parametrize("pattern", ["宇宙(无敌", "(?<=a+)宇宙"])
def test_a_bad_regex_is_an_error_naming_pack_and_rule_even_with_a_warm_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, fresh_compile
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    spoilable_cache(fresh_compile, "zh", tmp_path / "cache")  # the good packs are cached
    rules = copy_rules(tmp_path / "bad")
    with (rules / "zh-x.toml").open("w", encoding="utf-8") as pack:
        pack.write('market = "zh"\n' + NEW_RULE.format(pattern=pattern))
    with pytest.raises(RulePackError, match=r"^zh-x\.toml: rule 'zh\.test\.loading': regex .* does not compile"):
        load_checker("zh", rules_dir=rules)


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    checker = load_checker("zh", rules_dir=copy_rules(tmp_path / "rules"))
    assert [f.term for f in checker.check("全网最好的面霜")] == ["最好"]


def test_lint_copy_imports_only_the_copy_checker(tmp_path: Path) -> None:
    script = (
        "import sys, sheetsync.cli\n"
        "code = sheetsync.cli.main(['lint-copy', '全网最好的面霜', '--json'])\n"
        "heavy = ['sheetsync.sync', 'sheetsync.analysis', 'sheetsync.workbook', 'pandas', 'openpyxl']\n"
        "print(code, [m for m in heavy if m in sys.modules])\n"
    )
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert run.stdout.splitlines()[-1] == "1 []"
    assert '"term": "最好"' in run.stdout


@pytest.mark.parametrize("market", ["zh", "en"])
def test_the_scan_lookahead_changes_no_match_of_any_rule(market: str) -> None:
    texts = corpus(market) + ["", "Best", "最", "#1 pick", "No. 1", "ſafe ＫＥＬＶＩＮ İnstant"]
    rules = [r for pack in load_packs(str(default_rules_dir())) if pack.market == market for r in pack.rules]
    changed = 0
    for rule in rules:
        pattern = rule.regex.pattern
        faster = scan_form(pattern)
        changed += faster != pattern
        plain, scanned = re.compile(pattern, re.IGNORECASE), re.compile(faster, re.IGNORECASE)
        for text in texts:
            expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in scanned.finditer(text)] == expected, (rule.id, text)
    assert changed > len(rules) / 2  # most rules do get the lookahead
    assert scan_form("(?:a|)b") == "(?=[ab])(?:(?:a|)b)"
    assert scan_form("a?") == "a?"  # can match the empty string: left alone
    assert scan_form("[^a]b") == "[^a]b"  # a negated class: left alone
