"""Issue 13's named gaps: cosmetics, comparative, English results and earnings claims, with clean look-alikes.

Each example is one the issue reports as missed (or a close variant); each
counter-example is lawful copy that must stay clean. The real packs in
templates/rules/ are used, through the public `lint-copy` command and
`load_checker`, as a new user would on a skincare launch.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sheetsync import i18n
from sheetsync.engine.compliance import category_name, load_checker

CAUGHT = [
    # (market, industry, text, category, term)
    ("zh", "cosmetics", "100%纯天然，温和不刺激", "cosmetics_claim", "100%纯天然"),
    ("zh", "cosmetics", "零添加，敏感肌放心用", "cosmetics_claim", "零添加"),
    ("zh", "cosmetics", "这款精华能祛痘", "cosmetics_claim", "祛痘"),
    ("zh", "cosmetics", "美白祛斑精华，一瓶搞定", "cosmetics_claim", "美白祛斑"),
    ("zh", "cosmetics", "医院同款修护霜", "cosmetics_claim", "医院同款"),
    ("zh", "cosmetics", "坚持使用，逆转肌龄10岁", "cosmetics_claim", "逆转肌龄"),
    ("zh", "cosmetics", "比某大牌效果更好，价格只要一半", "comparative_claim", "比某大牌效果更好"),
    ("zh", "cosmetics", "治疗痤疮，温和不刺激", "disease_claim_non_medical", "治疗痤疮"),
    ("zh", "general", "其他牌子都是智商税，选我们就对了", "comparative_claim", "其他牌子都是智商税"),
    ("en", "cosmetics", "Our chemical-free serum for sensitive skin", "cosmetics_claim", "chemical-free"),
    ("en", "cosmetics", "A hospital-grade cleanser for everyday use", "cosmetics_claim", "hospital-grade"),
    ("en", "cosmetics", "The No.1 skincare brand", "absolute_claim", "No.1"),
    ("en", "cosmetics", "The best ever moisturiser you'll ever use", "absolute_claim", "best"),
    ("en", "cosmetics", "Clinically proven to cure acne", "disease_claim_non_medical", "Clinically proven to cure"),
    ("en", "cosmetics", "Better than any other serum on the market", "comparative_claim", "Better than any other serum"),
    ("en", "general", "Lose 10 lbs in 2 weeks!", "guaranteed_outcome", "Lose 10 lbs in 2 weeks"),
    ("en", "general", "I lost 5 kg in 3 weeks with this plan", "guaranteed_outcome", "lost 5 kg in 3 weeks"),
    ("en", "general", "Make $5,000 a month from home", "investment_return_promise", "Make $5,000 a month"),
    ("en", "general", "Earn 3,000 dollars every week from your phone", "investment_return_promise",
     "Earn 3,000 dollars every week"),
    ("en", "general", "She made $12,000 in her first month", "investment_return_promise",
     "She made $12,000 in her first month"),
]

CLEAN = [
    # (market, industry, text): lawful copy that looks risky
    ("zh", "general", "零添加蔗糖的酸奶，配料表看得见"),  # a food's factual free-from, outside the cosmetics pack
    ("zh", "cosmetics", "配方不含酒精和香精，成分表见详情页"),  # a specific, checkable formula fact
    ("zh", "cosmetics", "我们并非100%纯天然，而是科学配方"),  # negated
    ("zh", "cosmetics", "这款面霜比上个月的配方更好用"),  # compared with itself, not with others
    ("zh", "education", "孩子比其他同学更快进步"),  # not a competitor
    ("en", "general", "Visit us at 12 No.1 Street"),  # an address
    ("en", "general", "The best part of the tutorial is the Q&A"),  # an everyday phrase
    ("en", "cosmetics", "Teeth whitening kit with a shade guide"),  # not skin lightening
    ("en", "cosmetics", "Free from added fragrance and alcohol (see ingredients)"),  # the safer wording itself
    ("en", "cosmetics", "We're not chemical-free - nothing is"),  # negated
    ("en", "general", "Better than our previous formula in a 2024 lab test"),  # compared with itself
]


@pytest.mark.parametrize(("market", "industry", "text", "category", "term"), CAUGHT)
def test_named_gap_is_caught(market, industry, text, category, term):
    findings = load_checker(market, industry).check(text)
    assert (category, term) in {(f.category, text[f.start:f.end]) for f in findings}, findings


@pytest.mark.parametrize(("market", "industry", "text"), CLEAN)
def test_lawful_lookalike_is_clean(market, industry, text):
    assert load_checker(market, industry).check(text) == []


def test_lint_copy_cosmetics_json_names_the_new_categories():
    proc = subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", "医院同款修护霜，比某大牌效果更好", "--market", "zh",
         "--industry", "cosmetics", "--json"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    found = {(f["category"], f["term"]) for f in json.loads(proc.stdout)["findings"]}
    assert found == {("cosmetics_claim", "医院同款"), ("comparative_claim", "比某大牌效果更好")}


def test_new_categories_have_chinese_names():
    with i18n.language("zh"):
        assert category_name("cosmetics_claim") == "化妆品违规宣称"
        assert category_name("comparative_claim") == "不当比较广告"
    with i18n.language("en"):
        assert category_name("cosmetics_claim") == "cosmetics_claim"
