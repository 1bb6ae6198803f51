"""Evasion: a term with separators, pinyin, initials or traditional characters is caught as its plain form.

Uses the real rule packs. Each pair checks that the evasive text gets a
finding of the same category as the plain text, and that the finding's
start/end point into the text as written (the term quotes the separators,
the pinyin, the traditional characters). The corpus measurements rewrite every
caught violation — of the synthetic dev corpus, and of the real-case holdout
(iterated, never printed: HOLDOUT DISCIPLINE) — five ways and report the
catch rate per kind (`pytest -s` or `python tests/test_copy_evasion.py`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_compliance import RULE, write_pack

from sheetsync.engine.compliance import RulePackError, load_checker

DEV = Path(__file__).parent / "data" / "copy_corpus_dev.jsonl"
REAL = Path(__file__).parent / "data" / "real_cases.jsonl"

# (market, industry, plain, evasive, the term the finding must quote in the evasive text)
EVASIONS = [
    ("zh", "cosmetics", "7天美白，告别暗沉", "7 天美白，告别暗沉", "7 天美白"),
    ("zh", "general", "这是最好的面霜", "这是最*好的面霜", "最*好"),
    ("zh", "general", "这是最好的面霜", "这是最\u200b好的面霜", "最\u200b好"),
    ("zh", "general", "这是最好的面霜", "这是最🔥好的面霜", "最🔥好"),
    ("zh", "cosmetics", "三天治愈湿疹", "三天治·愈湿疹", "治·愈"),
    ("zh", "cosmetics", "三天治愈湿疹", "三天治/愈湿疹", "治/愈"),
    ("zh", "general", "全网销量第一的面霜", "全网销量第 一的面霜", "第 一"),
    ("en", "general", "The best coffee maker you'll ever own.", "The b e s t coffee maker you'll ever own.", "b e s t"),
    ("en", "general", "The best coffee maker you'll ever own.", "The B.E.S.T coffee maker you'll ever own.", "B.E.S.T"),
    ("en", "cosmetics", "This balm cures eczema.", "This balm c.u.r.e.s eczema.", "c.u.r.e.s"),
    ("en", "cosmetics", "This balm cures eczema.", "This balm c u r e s  e c z e m a.", "c u r e s"),
]


def categories(market: str, industry: str, text: str) -> set[str]:
    return {f.category for f in load_checker(market, industry).check(text)}


@pytest.mark.parametrize(("market", "industry", "plain", "evasive", "term"), EVASIONS)
def test_separators_inside_a_term_do_not_hide_it(market, industry, plain, evasive, term):
    wanted = categories(market, industry, plain)
    assert wanted, f"the plain form must be caught for this test to mean anything: {plain}"
    findings = load_checker(market, industry).check(evasive)
    assert wanted <= {f.category for f in findings}
    for finding in findings:
        assert evasive[finding.start : finding.end] == finding.term
    assert any(term in f.term for f in findings), [f.term for f in findings]


def test_lint_copy_json_offsets_point_into_the_text_as_written():
    text = "这是最*好的面霜"
    proc = subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", text, "--market", "zh", "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    (finding,) = [f for f in json.loads(proc.stdout)["findings"] if f["category"] == "absolute_claim"]
    assert (finding["term"], finding["start"], finding["end"]) == ("最*好", 2, 5)


def test_spaces_never_join_two_numbers():
    """`10 0天` stays the numbers 10 and 0: spacing must not turn one number claim into another."""
    checker = load_checker("zh", "cosmetics")
    spaced = checker.check("10 0天美白")
    assert all("10 0" not in f.term for f in spaced)
    assert [(f.term, f.start) for f in spaced] == [(f.term, f.start + 3) for f in checker.check("0天美白")]


def test_ordinary_spacing_is_left_alone():
    """Separators between words, not inside a term, change nothing: single-letter words, initials, clauses."""
    en = load_checker("en", "general")
    assert en.check("Plan A is a good plan, and B is too.") == []
    zh = load_checker("zh", "general")
    assert zh.check("第一步 打开包装") == zh.check("第一步打开包装") == []


def spaced(text: str, start: int, end: int) -> str:
    """The term text[start:end] with a space between its letters (CJK or Latin) and between a digit and CJK.

    Two digits stay together (a number is one token), and an English word space becomes two spaces so
    that the spaced-out words stay apart ("c u r e s  e c z e m a").
    """
    term = text[start:end]
    out = term[:1]
    for prev, ch in zip(term, term[1:], strict=False):
        letters = prev.isalpha() and ch.isalpha()
        number_and_cjk = (prev.isdigit() and not ch.isascii() and ch.isalpha()) or (
            ch.isdigit() and not prev.isascii() and prev.isalpha()
        )
        if letters or number_and_cjk:
            out += " "
        elif ch == " " and prev.isascii() and prev.isalpha():
            out += " "
        out += ch
    return text[:start] + out + text[end:]


def evasion_rate() -> tuple[int, int, list[str]]:
    """(still caught, caught before rewriting, ids missed) over the dev corpus's true positives."""
    caught = kept = 0
    missed: list[str] = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        checker = load_checker(item["market"], item["industry"])
        hits = [f for f in checker.check(item["text"]) if f.category in item["labels"]]
        for category in sorted({f.category for f in hits}):
            text = item["text"]
            for f in sorted((f for f in hits if f.category == category), key=lambda f: -f.start):
                text = spaced(text, f.start, f.end)
            caught += 1
            if category in {f.category for f in checker.check(text)}:
                kept += 1
            else:
                missed.append(f"{item['id']} {category}: {text}")
    return kept, caught, missed


# Measured when separators were first stripped: 149 of 154 (0.97); before that 7 of 154 (0.05).
EVASION_FLOOR = 0.95


def test_dev_corpus_violations_with_spaced_terms_are_still_caught():
    kept, caught, missed = evasion_rate()
    print(f"\nspaced-term evasion on dev: {kept}/{caught} = {kept / caught:.2f}; missed: {missed}")
    assert kept / caught >= EVASION_FLOOR, missed


# --- pinyin, initials and traditional characters --------------------------------------------------

# (industry, evasive text, the term the finding must quote, its category): each kind of rewriting, with offsets.
SPELLINGS = [
    ("general", "这是zui好的面霜", "zui好", "absolute_claim"),
    ("general", "全网销量第yi的面霜", "第yi", "absolute_claim"),
    ("general", "全网zui低价，快来", "zui", "absolute_claim"),
    ("cosmetics", "三天zhi愈湿疹", "zhi愈", "disease_claim_non_medical"),
    ("cosmetics", "三天zhiyu湿疹", "zhiyu", "disease_claim_non_medical"),
    ("cosmetics", "这款药膏能zl湿疹", "zl", "disease_claim_non_medical"),
    ("finance", "保ben保息，放心投", "保ben", "investment_return_promise"),
    ("general", "這是最好的麵霜", "最好", "absolute_claim"),
    ("general", "國家級產品，值得信賴", "國家級", "absolute_claim"),
    ("general", "銷量遙遙領先，行業領導者", "遙遙領先", "absolute_claim"),  # 遙 was never in the hand-written table
    ("general", "这是最＊好的面霜，Ｎｏ．１", "最＊好", "absolute_claim"),
    ("general", "这是最*好的面霜，蘋果zui愛", "最*好", "absolute_claim"),  # squeeze and pinyin in one text
    ("general", "今天是⼀年中zui好的日子", "zui好", "absolute_claim"),  # a Kangxi radical before the pinyin
]


@pytest.mark.parametrize(("industry", "text", "term", "category"), SPELLINGS)
def test_spellings_are_read_as_the_term_and_quoted_as_written(industry, text, term, category):
    findings = load_checker("zh", industry).check(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.term
    assert any(f.category == category and term in f.term for f in findings), [(f.term, f.category) for f in findings]


CLEAN_LATIN = [
    ("cosmetics", "新款iPhone手机壳，SPF50防晒霜，VC精华，App下载领券，ok的"),
    ("general", "bb霜和cc霜怎么选？DJ现场太燃了，抖音dy同款，积分jf兑换"),
    ("general", "Ban掉这个功能吧，Ben说可以，He和She都来了，Yao Ming签名"),
    ("general", "我们的app很好用，zara的衣服不错，nike跑鞋，vlog记录生活，emo的时候听歌"),
    ("health_food", "早餐吃了ban个面包，he了一杯豆浆，下午去gym"),
]


@pytest.mark.parametrize(("industry", "text"), CLEAN_LATIN)
def test_ordinary_latin_words_in_chinese_copy_are_not_read_as_pinyin(industry, text):
    """Brand names, units, abbreviations and English words in Chinese copy stay words: no finding."""
    assert load_checker("zh", industry).check(text) == []


def test_english_copy_is_unchanged_by_pinyin():
    """The watch-list is the zh packs': an en checker reads "zui hao", "zhiyu" and "zl" as letters."""
    en = load_checker("en", "cosmetics")
    assert en.check("zui hao zhiyu zl cream, by Yao and Zhi") == []
    text = "Zui and Hao founded us; the DJ played the best set."
    assert [(f.term, f.start) for f in load_checker("en", "general").check(text)] == [("best", text.index("best"))]


def test_the_pack_fold_still_overrides_opencc():
    """OpenCC writes 帳 as 帐; zh.toml's [fold] says 账 — a Copy rules term written 账户 matches 帳戶."""
    from sheetsync.engine.compliance import CustomTerm

    checker = load_checker("zh", "general", custom=[CustomTerm("账户", "absolute_claim", None)])
    (finding,) = checker.check("開個帳戶")
    assert (finding.term, finding.start) == ("帳戶", 2)


@pytest.mark.parametrize(
    ("evasion", "caught"),
    [
        ("", []),  # no watch-list: pinyin is letters
        ('[evasion]\nterms = ["宇宙第一"]', [("宇宙第yi", 0, 5)]),
        ("[evasion]\nwatch_patterns = true", [("宇宙第yi", 0, 5)]),  # the pattern's own word is watched
        ('[evasion]\nterms = ["宇宙第一"]\nkeep = ["yi"]', []),
    ],
)
def test_the_watch_list_is_the_packs(tmp_path, evasion, caught):
    folder = write_pack(tmp_path / "rules", evasion + "\n" + RULE.format(category="absolute_claim", pattern="宇宙第一"))
    findings = load_checker("zh", "general", rules_dir=folder).check("宇宙第yi的好货")
    assert [(f.term, f.start, f.end) for f in findings] == caught


@pytest.mark.parametrize(
    ("evasion", "message"),
    [
        ('terms = ["zui"]', "terms must be a list of Chinese terms"),
        ('terms = "最好"', "terms must be a list of Chinese terms"),
        ('keep = ["BB"]', "keep must be a list of lower-case Latin words"),
        ('watch_patterns = "yes"', "watch_patterns must be true or false"),
        ('words = ["最"]', "may only hold terms"),
    ],
)
def test_a_bad_evasion_section_names_the_pack(tmp_path, evasion, message):
    folder = write_pack(
        tmp_path / "rules", f"[evasion]\n{evasion}\n" + RULE.format(category="absolute_claim", pattern="最")
    )
    with pytest.raises(RulePackError, match=message) as info:
        load_checker("zh", "general", rules_dir=folder)
    assert str(info.value).startswith("zh.toml: [evasion]")


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _pinyin(term: str) -> list[str]:
    """The pinyin of each character of a term (in context when pypinyin keeps one syllable per character)."""
    from pypinyin import lazy_pinyin

    whole = lazy_pinyin(term)
    return whole if len(whole) == len(term) else [lazy_pinyin(ch)[0] for ch in term]


def _symbols(term: str) -> str:
    out = term[:1]
    for prev, ch in zip(term, term[1:], strict=False):
        if _cjk(prev) and _cjk(ch):
            out += "*"
        elif prev.isascii() and prev.isalpha() and ch.isascii() and ch.isalpha():
            out += "."
        out += ch
    return out


def _one_in_pinyin(position: int):
    def rewrite(term: str) -> str:
        places = [i for i, ch in enumerate(term) if _cjk(ch)]
        if not places:
            return term
        i = places[min(position, len(places) - 1)]
        return term[:i] + _pinyin(term)[i] + term[i + 1 :]

    return rewrite


def _initials(term: str) -> str:
    if sum(map(_cjk, term)) < 2:
        return term
    return "".join(p[0] if _cjk(ch) else ch for ch, p in zip(term, _pinyin(term), strict=True))


def _rewrite_terms(text: str, spans: list[tuple[int, int]], rewrite) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + rewrite(text[start:end]) + text[end:]
    return text


def corpus_violations() -> list[dict]:
    """Caught violations: the synthetic dev corpus and the real cases (both splits), as market/industry/labels."""
    items = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        items.append({**item, "origin": "synthetic dev", "labels": set(item["labels"])})
    for line in REAL.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["violates"]:
            labels = {item["category"]}
            items.append({**item, "market": item["lang"], "labels": labels, "origin": f"real {item['split']}"})
    return items


def evasion_rates() -> dict[tuple[str, str], tuple[int, int, list[str]]]:
    """(still caught, tried, missed dev ids) per (origin, kind) over every caught violation and category.

    A real case caught only outside its labelled category is tried with the categories it was caught in.
    Missed items are named only for dev: holdout texts are never shown.
    """
    from opencc import OpenCC

    s2t = OpenCC("s2t.json")
    result: dict[tuple[str, str], tuple[int, int, list[str]]] = {}
    for item in corpus_violations():
        checker = load_checker(item["market"], item["industry"])
        findings = checker.check(item["text"])
        hits = [f for f in findings if f.category in item["labels"]] or (
            findings if item["origin"] != "synthetic dev" else []
        )
        for category in sorted({f.category for f in hits}):
            spans = [(f.start, f.end) for f in hits if f.category == category]
            terms = [item["text"][a:b] for a, b in spans]
            variants: list[tuple[str, str]] = [("spaces", item["text"])]
            variants[0] = ("spaces", item["text"])
            text = item["text"]
            for a, b in sorted(spans, reverse=True):
                text = spaced(text, a, b)
            variants = [("spaces", text), ("symbols", _rewrite_terms(item["text"], spans, _symbols))]
            if item["market"] == "zh":
                longest = max(sum(map(_cjk, t)) for t in terms)
                variants += [("pinyin", _rewrite_terms(item["text"], spans, _one_in_pinyin(k))) for k in range(longest)]
                if any(sum(map(_cjk, t)) >= 2 for t in terms):
                    variants.append(("initials", _rewrite_terms(item["text"], spans, _initials)))
                variants.append(("traditional", s2t.convert(item["text"])))
            for kind, text in variants:
                kept, tried, missed = result.get((item["origin"], kind), (0, 0, []))
                still = category in {f.category for f in checker.check(text)}
                if not still and item["origin"] != "real holdout":
                    missed = [*missed, f"{item.get('id', '')} {category}: {text}"]
                result[(item["origin"], kind)] = (kept + still, tried + 1, missed)
    return result


def rate_table(rates: dict[tuple[str, str], tuple[int, int, list[str]]]) -> str:
    return "\n".join(
        f"{origin:14} {kind:12} {kept:4}/{tried:<4} = {kept / tried:.2f}"
        for (origin, kind), (kept, tried, _m) in sorted(rates.items())
    )


# Measured when pinyin and OpenCC came in (issue 13), rounded down; before them pinyin/initials/traditional
# rewrites were caught only where the rewritten character was outside the term or in the hand-written fold table.
# Floors are the measured rates rounded down to 0.05 (a full 1.00 on few items kept at 0.95, except the
# deterministic traditional conversion). Initials are ambiguous by nature (sszd: 史上最低? 四射之地?): only
# watch-listed terms and the patterns' words of three characters or more are read from them. The "real" rows were
# re-measured when the real-case corpus grew (613 items, batch 6; 805 items, batch 8): the items tried changed.
EVASION_FLOORS: dict[tuple[str, str], float] = {  # re-measured on 805 items after issue 13's fourth round
    ("real holdout", "spaces"): 0.95,  # 157/159
    ("real holdout", "symbols"): 0.95,  # 157/159
    ("real holdout", "pinyin"): 0.95,  # 257/268 (each character of each caught term in turn)
    ("real holdout", "initials"): 0.25,  # 18/68
    ("real holdout", "traditional"): 1.00,  # 68/68
    ("real dev", "spaces"): 0.95,  # 219/227 (the last dev rules catch English copy that letter-spacing hides)
    ("real dev", "symbols"): 0.90,  # 213/227
    ("real dev", "pinyin"): 0.85,  # 421/473
    # 15/101: dev items caught through whole terms whose initials are not read (lxxfz, ts5—8f touching a digit, the
    # round-4 named-person and condition patterns): rounded down
    ("real dev", "initials"): 0.10,
    ("real dev", "traditional"): 1.00,  # 101/101
    ("synthetic dev", "spaces"): 0.95,  # 158/162
    ("synthetic dev", "symbols"): 0.95,  # 158/162
    ("synthetic dev", "pinyin"): 0.90,  # 350/376
    ("synthetic dev", "initials"): 0.15,  # 13/78
    ("synthetic dev", "traditional"): 1.00,  # 79/79
}


@pytest.fixture(scope="module")
def rates() -> dict[tuple[str, str], tuple[int, int, list[str]]]:
    measured = evasion_rates()
    print("\n" + rate_table(measured))
    return measured


def test_corpus_violations_rewritten_five_ways_are_still_caught(rates):
    low = {
        key: (f"{kept}/{tried}", missed[:5])
        for key, (kept, tried, missed) in rates.items()
        if key in EVASION_FLOORS and kept / tried < EVASION_FLOORS[key]
    }
    assert not low, low


if __name__ == "__main__":
    print(rate_table(evasion_rates()))
