"""The rule packs' number grammar: `{MONEY}`, `{DURATION}`… match whole numbers with their units only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sheetsync.engine.compliance import CATEGORIES, RulePackError, load_checker
from sheetsync.engine.compliance_grammar import expand
from sheetsync.engine.compliance_rules import load_pack


def found(placeholder: str, text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(expand(placeholder), text, re.IGNORECASE)]


@pytest.mark.parametrize(
    ("placeholder", "text", "expected"),
    [
        ("{MONEY}", "报名费100元，含教材", ["100元"]),  # never "0元" inside another number
        ("{MONEY}", "0元体验三次", ["0元"]),
        ("{MONEY}", "服务费10.0元", ["10.0元"]),
        ("{MONEY}", "make $500 a week", ["$500"]),
        ("{MONEY}", "首付1,000元起", ["1,000元"]),
        ("{DURATION}", "第13天", ["13天"]),
        ("{DURATION}", "7 天美白", ["7 天"]),  # one space or hyphen may sit between a number and its unit
        ("{DURATION}", "7天美白，两周瘦10斤，一个疗程", ["7天", "两周", "一个疗程"]),
        ("{DURATION}", "lose 10 lbs in 2 weeks with our 30-day plan", ["2 weeks", "30-day"]),
        ("{PERCENT}", "年化收益12%，八成用户，成功率", ["12%", "八成"]),
        ("{PERCENT}", "百分之百有效，12 percent", ["百分之百", "12 percent"]),
        ("{WEIGHT}", "一个月瘦10斤, lose 10 lbs, 2 stone lighter", ["10斤", "10 lbs", "2 stone"]),
    ],
)
def test_numbers_keep_their_boundaries(placeholder: str, text: str, expected: list[str]) -> None:
    assert found(placeholder, text) == expected


def test_a_rule_can_use_the_grammar(tmp_path: Path) -> None:
    pack = (Path(__file__).parents[1] / "templates" / "rules" / "zh.toml").read_text(encoding="utf-8")
    (tmp_path / "zh.toml").write_text(
        pack
        + """
[[rule]]
id = "zh.test.free_trial"
category = "misleading_price_offer"
patterns = ['(?P<term>(?<![\\d.]){MONEY})体验']
message_zh = "“{term}”体验"
message_en = "{term} trial"
source = "test"
""",
        encoding="utf-8",
    )
    checker = load_checker("zh", rules_dir=tmp_path)
    assert [f.term for f in checker.check("0元体验，名额有限") if f.rule == "zh.test.free_trial"] == ["0元"]
    assert not [f for f in checker.check("报名费100元体验课") if f.rule == "zh.test.free_trial" and f.term == "0元"]


def test_an_unknown_placeholder_names_the_rule(tmp_path: Path) -> None:
    (tmp_path / "zh.toml").write_text(
        'market = "zh"\n[[rule]]\nid = "zh.bad"\ncategory = "absolute_claim"\npatterns = [\'{DAYZ}见效\']\n'
        'message_zh = "x"\nmessage_en = "x"\nsource = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(RulePackError, match=r"zh\.bad.*\{DAYZ\}"):
        load_checker("zh", rules_dir=tmp_path)


def test_every_rule_filters_reach_every_pack_of_the_market(tmp_path: Path) -> None:
    """`[every_rule]` in one pack adds its filters to every rule of the market, other packs' rules included."""
    rule = (
        '[[rule]]\nid = "{id}"\ncategory = "absolute_claim"\npatterns = [\'{term}\']\n'
        'message_zh = "x"\nmessage_en = "x"\nsource = "x"\n'
    )
    severity = "\n".join(f'{c} = "high"' for c in CATEGORIES)
    (tmp_path / "zh.toml").write_text(
        f'market = "zh"\n[severity]\n{severity}\n[every_rule]\nsentence = [\'不得使用\']\n'
        + rule.format(id="zh.a", term="顶级"),
        encoding="utf-8",
    )
    (tmp_path / "zh-x.toml").write_text(
        'market = "zh"\nindustries = ["*"]\n' + rule.format(id="zh.b", term="国家级"), encoding="utf-8"
    )
    checker = load_checker("zh", rules_dir=tmp_path)
    assert {f.rule for f in checker.check("顶级品质，国家级工艺")} == {"zh.a", "zh.b"}
    assert checker.check("广告中不得使用“顶级”“国家级”等用语。") == []
    (tmp_path / "zh.toml").write_text(
        f'market = "zh"\n[severity]\n{severity}\n[every_rule]\nwhen = [\'x\']\n', encoding="utf-8"
    )
    with pytest.raises(RulePackError, match=r"every_rule"):
        load_pack(tmp_path / "zh.toml")
