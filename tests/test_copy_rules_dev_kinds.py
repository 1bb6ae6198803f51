"""Kinds read from the dev half of blind batch 7 (issue 13), written as kinds, each with a lawful look-alike:
property leasebacks, money made in minutes and lying-down income, loans promised whatever the credit, admission
counts as a course's proof; earnings in words, a trading account doubled or tripled, a condition named to sell
and a symptom said to be over."""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (market, industry, violating text, category, the rule that must find it)
KINDS = [
    ("zh", "general", "临街商铺售后返租，十年包租，年回报8%。", "investment_return_promise", "zh.endorse.leaseback_return"),
    ("zh", "general", "临街旺铺带租约出售，稳定回报。", "investment_return_promise", "zh.endorse.leaseback_return"),
    ("zh", "general", "每天刷视频，30分钟赚200元！", "investment_return_promise", "zh.investment.guaranteed_return"),
    ("zh", "general", "加入我们，躺着也能赚钱。", "investment_return_promise", "zh.investment.guaranteed_return"),
    ("zh", "finance", "黑户也能贷，不查征信，当天放款。", "guaranteed_outcome", "zh.endorse.credit_free_loan"),
    ("zh", "finance", "只需身份证即可贷款，百分百下款。", "guaranteed_outcome", "zh.endorse.credit_free_loan"),
    ("zh", "education", "去年集训营共有上百名学员考入985名校。", "education_result_promise", "zh.endorse.admission_count"),
    ("en", "general", "Members make hundreds to thousands of pounds a week from their phones.",
     "investment_return_promise", "en.offers.earnings_rate"),
    ("en", "finance", "Our signals can triple your portfolio in a month.", "investment_return_promise",
     "en.offers.return_promise"),
    ("en", "health_food", "Are you struggling with joint pain? Try FlexiJoint today!", "medical_efficacy_claim",
     "en.conditions.condition_hook"),
    ("en", "food", "No more bloating after meals with our kefir.", "disease_claim_non_medical",
     "en.conditions.symptom_over"),
]

LOOK_ALIKES = [
    ("zh", "general", "本商铺已整体出租，租约至2027年，欢迎咨询。"),
    ("zh", "general", "躺着看手机容易伤眼睛，请注意用眼卫生。"),
    ("zh", "general", "兼职骑手，按单计酬，多劳多得。"),
    ("zh", "finance", "贷款需查询个人征信，审核通过后放款；请理性借贷。"),
    ("zh", "finance", "警惕“无征信、凭身份证即可贷款”的非法网贷广告。"),
    ("zh", "education", "我校今年有两名同学参加了夏令营的开营仪式。"),
    ("en", "general", "Our drivers earn £12 an hour plus tips. Apply now."),
    ("en", "finance", "Past performance is not a guide: your capital is at risk and you may not double your money."),
    ("en", "general", "Do you suffer from hay fever? Talk to your pharmacist."),
    ("en", "health_food", "Vitamin C contributes to the reduction of tiredness and fatigue."),
    ("en", "general", "Say goodbye to clutter with our storage boxes."),
]


@pytest.mark.parametrize(("market", "industry", "text", "category", "rule"), KINDS)
def test_the_kind_is_found_by_its_rule(market: str, industry: str, text: str, category: str, rule: str) -> None:
    assert_caught(market, industry, text, category)
    assert rule in {f.rule for f in load_checker(market, industry).check(text)}


@pytest.mark.parametrize(("market", "industry", "text"), LOOK_ALIKES)
def test_the_look_alike_is_not_blocked(market: str, industry: str, text: str) -> None:
    assert_not_blocked(market, industry, text)


def test_a_condition_hook_and_an_earnings_figure_go_to_a_reviewer_a_promised_return_blocks() -> None:
    en = load_checker("en", "health_food")
    assert {f.severity for f in en.check("Do you suffer with IBS? Try Neptox!")} == {"medium"}
    earnings = "Earn hundreds to thousands of dollars a day from home."
    assert {f.severity for f in load_checker("en", "general").check(earnings)} == {"medium"}
    assert "critical" in {f.severity for f in load_checker("en", "finance").check("We double your account.")}
