"""Issue 13's false positives: lawful look-alikes stay unblocked, and the same words used as a claim are still caught.

Each kind the issue names has a pair: a clean text (an idiom, a word that
contains 最/第一/唯一, a geographic fact, company history, a lawful reference
price, approved health-food wording with its mandatory statement, a
regulator's own warning) that must get no high or critical finding, and its
violating counterpart that must still be caught — so every test can fail both
ways. The real packs in templates/rules/ are used, through `load_checker` and
the public `lint-copy` command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sheetsync.engine.compliance import RulePackError, load_checker

BLOCKING = {"high", "critical"}

# (market, industry, clean look-alike, violating counterpart, category caught in the counterpart)
PAIRS = [
    # words that contain 最/第一/唯一 (segmentation)
    ("zh", "general", "珠穆朗玛峰是中国最高峰。", "我们的面膜品质最高。", "absolute_claim"),
    ("zh", "general", "本系统保证订单号的唯一性。", "行业唯一认证的净水器。", "absolute_claim"),
    ("zh", "general", "最强大脑节目同款拼图。", "最强大的净化功能，业内最好。", "absolute_claim"),
    ("zh", "general", "最终我们选择了这家店，第一次来就爱上了。", "这家店是全城第一，服务最好。", "absolute_claim"),
    # geographic facts
    ("zh", "general", "青海湖是中国最大的咸水湖。", "我们是中国最大的面膜品牌。", "absolute_claim"),
    ("zh", "general", "珠峰是世界第一高峰。", "我们的销量世界第一。", "absolute_claim"),
    # company history
    ("zh", "general", "1998年，我们在杭州开出第一家店。", "我们是全国第一家做无添加的品牌。", "absolute_claim"),
    ("zh", "general", "品牌创立于1998年，第一家门店开在南京路。", "本店是行业第一品牌。", "absolute_claim"),
    # idioms and everyday 治愈
    ("zh", "general", "老师傅修电脑，药到病除，故障一查就准。", "这款茶药到病除，喝了胃病就好。", "disease_claim_non_medical"),
    ("zh", "general", "治愈系小猫陪你过周末。", "坚持泡脚，三个月治愈失眠。", "disease_claim_non_medical"),
    # lawful reference price (《明码标价和禁止价格欺诈规定》第十四条)
    ("zh", "general", "到手价99元，前30日最低价129元。", "全网最低价，只要99元。", "absolute_claim"),
    ("zh", "general", "现价59元（近7日最低价69元）。", "史上最低，错过再等一年。", "absolute_claim"),
    # approved health-food function wording with the mandatory statement; a disease claim still fires
    ("zh", "health_food", "有助于增强免疫力。本品不能代替药物。", "增强免疫力，预防糖尿病。本品不能代替药物。",
     "medical_efficacy_claim"),
    ("zh", "health_food", "辅助降血糖。本品不能代替药物。", "辅助降血糖，可治疗糖尿病。", "medical_efficacy_claim"),
    # a regulator's own warning quoted in an ad
    ("zh", "general", "市场监管局提醒：保健食品不能治疗疾病，“包治百病”的说法不可信。", "本品包治百病，一喝见效。",
     "disease_claim_non_medical"),
    ("zh", "health_food", "有的不法商家夸大功效，把保健食品说成能“抗癌”的神药。", "本品抗癌，坚持服用效果显著。",
     "medical_efficacy_claim"),
    # a business philosophy rather than a product claim
    ("zh", "general", "追求完美，超越极致。", "极致美白，全网独家。", "absolute_claim"),
    # English equivalents
    ("en", "general", "The FDA warns: products that claim to cure cancer are fake.", "This tea cures cancer.",
     "disease_claim_non_medical"),
    ("en", "general", "Always talk with your doctor before you try any product claiming to treat COVID-19.",
     "Our spray treats COVID-19 in a day.", "disease_claim_non_medical"),
    ("en", "general", "Promises that you'll be able to quit your job often are false.",
     "Quit your job and trade with us from home.", "investment_return_promise"),
]

# English look-alikes that must get no finding at all (absolute claims are medium in English, so "not
# blocked" would pass without a filter): a name, an everyday phrase, a queue, a date mark, a reference price.
EN_ABSOLUTE = [
    ("Stay at the Best Western by the airport.", "Stay at the best hotel in the world."),
    ("The first time you visit, say hi.", "The world's first self-cleaning bottle."),
    ("You are #1 in the queue.", "We are #1 in skincare."),
    ("Best before: see lid.", "The best juice on the market."),
    ("Now $49 - the lowest price in the last 30 days was $59.", "Lowest prices guaranteed anywhere."),
]


def blocking(market: str, industry: str, text: str) -> list:
    return [f for f in load_checker(market, industry).check(text) if f.severity in BLOCKING]


@pytest.mark.parametrize(("market", "industry", "clean", "violating", "category"), PAIRS)
def test_lawful_lookalike_is_not_blocked_but_the_claim_is(market, industry, clean, violating, category):
    assert blocking(market, industry, clean) == []
    assert category in {f.category for f in blocking(market, industry, violating)}


@pytest.mark.parametrize(("clean", "violating"), EN_ABSOLUTE)
def test_english_lookalike_has_no_absolute_claim(clean, violating):
    checker = load_checker("en", "general")
    assert checker.check(clean) == []
    assert "absolute_claim" in {f.category for f in checker.check(violating)}


@pytest.mark.parametrize(
    ("clean", "violating"),
    [("报名费100元，现场扫码缴费。", "0元领取，需付运费10元。"), ("服务费1000元，不收取额外费用。", "首月1元体验，到期自动续费。")],
)
def test_a_number_inside_another_number_is_not_a_free_offer(clean, violating):
    checker = load_checker("zh", "general")
    assert checker.check(clean) == []
    assert "misleading_price_offer" in {f.category for f in checker.check(violating)}


def lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sheetsync", "lint-copy", *args], capture_output=True, text=True)


def test_lint_copy_keeps_facts_and_catches_the_claim():
    clean = lint("1998年开出第一家店；青海湖是中国最大的咸水湖，前30日最低价129元。", "--market", "zh", "--json")
    assert (clean.returncode, json.loads(clean.stdout)["findings"]) == (0, []), clean.stderr
    caught = lint("全国第一家无添加品牌，中国最大的面膜工厂", "--market", "zh", "--json")
    assert caught.returncode == 1, caught.stderr
    terms = {(f["rule"], f["term"]) for f in json.loads(caught.stdout)["findings"]}
    assert terms == {("zh.absolute.first", "全国第一"), ("zh.absolute.superlative", "最大")}


# --- the pack keys: word = "whole", claim_words, and filters with `when` ------------------------------

PACK = """market = "zh"
industries = ["*"]
claim_words = {claim_words}
[severity]
{severity}
[filters.statement]
exceptions = ['辅助降血糖']
when = ['本品不能代替药物']
[[rule]]
id = "zh.t.top"
category = "absolute_claim"
{word}
patterns = ['最高|全网最低']
message_zh = "x"
message_en = "x"
source = "s"
[[rule]]
id = "zh.t.sugar"
category = "health_claim"
patterns = ['降血糖']
filters = ["statement"]
message_zh = "x"
message_en = "x"
source = "s"
"""
SEVERITY = "\n".join(
    f'{c} = "high"'
    for c in (
        "absolute_claim medical_efficacy_claim disease_claim_non_medical improper_endorsement "
        "investment_return_promise education_result_promise guaranteed_outcome before_after personal_attribute "
        "misleading_price_offer missing_ad_disclosure comparative_claim cosmetics_claim"
    ).split()
)


def pack_checker(tmp_path: Path, word: str = 'word = "whole"', claim_words: str = '["最低价"]'):
    """A checker for a one-off pack; each variant gets its own folder (packs are cached per folder)."""
    folder = tmp_path / f"pack{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "zh.toml").write_text(PACK.format(word=word, claim_words=claim_words, severity=SEVERITY), encoding="utf-8")
    return load_checker("zh", "general", rules_dir=folder)


def terms(checker, text: str) -> list[str]:
    return [f.term for f in checker.check(text)]


def test_whole_word_rule_skips_a_candidate_inside_a_longer_word(tmp_path):
    assert terms(pack_checker(tmp_path), "中国最高峰") == []
    assert terms(pack_checker(tmp_path), "品质最高") == ["最高"]
    assert terms(pack_checker(tmp_path, word=""), "中国最高峰") == ["最高"]  # without the key: every match


def test_claim_words_keep_a_candidate_that_cuts_them(tmp_path):
    assert terms(pack_checker(tmp_path), "全网最低价") == ["全网最低"]  # cuts 最低价, a claim word
    assert terms(pack_checker(tmp_path, claim_words="[]"), "全网最低价") == []


def test_filter_with_when_needs_the_statement_somewhere_in_the_text(tmp_path):
    checker = pack_checker(tmp_path)
    assert terms(checker, "辅助降血糖。本品不能代替药物。") == []
    assert terms(checker, "辅助降血糖。") == ["降血糖"]


@pytest.mark.parametrize(
    ("word", "message"),
    [('word = "part"', "word = 'part'"), ("", "")],
)
def test_word_key_is_validated(tmp_path, word, message):
    if not message:
        pack_checker(tmp_path, word=word)  # no key: fine
        return
    with pytest.raises(RulePackError, match=message):
        pack_checker(tmp_path, word=word)


def test_filter_with_when_must_hold_only_exceptions(tmp_path):
    text = PACK.format(word="", claim_words="[]", severity=SEVERITY).replace(
        "when = ['本品不能代替药物']", "when = ['本品不能代替药物']\nsentence = ['x']"
    )
    (tmp_path / "zh.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError, match="filter 'statement'"):
        load_checker("zh", "general", rules_dir=tmp_path)
