"""Chinese precision that generalises (issue 13): lawful kinds of text are not blocked, the claims are.

Three kinds of lawful Chinese text look like violations to a phrase list:
- a regulator's notice, a consumer warning or statute text quoting banned claims (zh.toml [every_rule]);
- the lawful uses of absolute words in SAMR's《广告绝对化用语执法指南》(2023): the company's aims and
  ethos, a ranking with its source and time, usage advice, words not about the product, names, titles and
  tiers, awards with their year, ordinary facts about the world ([filters.lawful_absolute], lawful_ranking);
- approved health-food function wording (保健功能目录 2023) with its mandatory statement.
Each clean text must get no high or critical finding, and each is paired with a violating text in the
same words that is still caught in its category — so every test can fail both ways. The real packs in
templates/rules/ are used through `load_checker`.
"""

from __future__ import annotations

import pytest

from sheetsync.engine.compliance import load_checker

BLOCKING = {"high", "critical"}


def blocked(industry: str, text: str) -> set[str]:
    """The categories of the high and critical findings on a text."""
    return {f.category for f in load_checker("zh", industry).check(text) if f.severity in BLOCKING}


# (industry, clean text, violating counterpart, category caught in the counterpart)
REGULATOR_TEXT = [
    ("general", "依据《广告法》第九条，广告不得使用“国家级”“最高级”“最佳”等用语。", "本品采用国家级工艺，效果最佳。",
     "absolute_claim"),
    ("finance", "当事人在网店宣称理财产品“稳赚不赔、保本保息”，被处以罚款5万元。", "本产品稳赚不赔，保本保息。",
     "investment_return_promise"),
    ("general", "市场监管局提醒广大消费者：宣称“三天瘦十斤”的减肥产品均属虚假宣传，切勿相信。", "三天瘦十斤，不反弹！",
     "guaranteed_outcome"),
    ("cosmetics", "只添加了部分植物成分，却宣称产品“纯天然”的，属虚假宣传。", "本品100%纯天然，孕妇可用。",
     "cosmetics_claim"),
    ("education", "“签约保分”“不达标退费”等宣传背后，暗藏违规风险。", "签约保分，不达标退费！",
     "education_result_promise"),
    ("education", "教育局提醒：承诺“保过”“提分”的培训机构不可信。", "本校承诺保过，教育局认可。",
     "education_result_promise"),
    ("general", "任何宣称“包治百病”的产品都是骗人的。", "本品包治百病，都是真的。", "disease_claim_non_medical"),
    ("finance", "警惕打着“保本高息”旗号的非法集资。", "保本高息，稳赚不赔。", "investment_return_promise"),
    # statute text set out as a list of items ending in …的；
    ("medical_service", "宣传治愈率、有效率等诊疗效果的；保证治愈或者隐含保证治愈的；",
     "我院治愈率高达98%，保证治愈。", None),
    ("general", "（三）使用“最高级”“最佳”等用语；", "品质最佳，服务最好。", "absolute_claim"),
]

LAWFUL_ABSOLUTE = [
    # the company's own aims and ethos (指南第九条)
    ("general", "我们致力于成为行业第一的净水品牌。", "我们是行业第一的净水品牌。", "absolute_claim"),
    ("general", "始终把您的健康放在第一位。", "本品是行业第一品牌。", "absolute_claim"),
    ("general", "坚持顾客第一、质量第一，力争做最好的面包。", "我们的面包是全城最好的。", "absolute_claim"),
    # a ranking as an objective fact, with its source and time (指南第八条)
    ("general", "据欧睿国际统计，2023年XX品牌中国市场销量第一。", "XX品牌中国市场销量第一。", "absolute_claim"),
    ("general", "XX空调全国销量第一（数据来源：中怡康，统计时间：2023年1-12月）。", "XX空调全国销量第一，品质最好！",
     "absolute_claim"),
    ("general", "全国市场占有率第一。数据来源：XX研究院，截至2024年6月。", "全国市场占有率第一，口碑最好。",
     "absolute_claim"),
    # the absolute word is not about the product; names, titles and tiers
    ("cosmetics", "用了它，遇见最美的自己。", "用了它，皮肤最白最嫩。", "absolute_claim"),
    ("general", "上海最好吃餐饮管理有限公司出品。", "上海最好吃的火锅，就在这里。", "absolute_claim"),
    ("general", "她被评为2022年度最美乡村教师。", "我们的老师是全市最好的。", "absolute_claim"),
    ("general", "XX手机Pro至尊版，现货发售。", "至尊品质，顶级享受。", "absolute_claim"),
    # idioms about people or times, not the product
    ("general", "每个人都是独一无二的。", "独一无二的配方，全网仅此一家。", "absolute_claim"),
    ("general", "面对前所未有的挑战，我们从未退缩。", "前所未有的美白效果。", "absolute_claim"),
    # order in time with its year, not quality
    ("general", "2015年，我们在国内首家推出无添加酱油。", "国内首家无添加酱油品牌。", "absolute_claim"),
    # awards named with their year, grades set by a standard
    ("general", "2023年荣获中国质量协会颁发的全国质量奖。", "全国第一品牌，质量最好。", "absolute_claim"),
    ("general", "一级能效（国家标准最高等级）。", "能效最高，全网最省电。", "absolute_claim"),
    ("food", "特级初榨橄榄油，冷藏保存。", "顶级橄榄油，全网独家。", "absolute_claim"),
    # ordinary facts about the world
    ("food", "母乳是婴儿最好的食物，6个月内的婴儿应纯母乳喂养。", "这款奶粉是宝宝最好的食物。", "absolute_claim"),
    ("general", "莫高窟是世界上现存规模最大的佛教艺术宝库。", "我们是世界上规模最大的面膜工厂。", "absolute_claim"),
    ("general", "青海湖是中国最大的咸水湖，最佳观赏期是七月。", "我们是中国最大的面膜品牌。", "absolute_claim"),
]

# everyday speech and lawful facts in other categories
OTHER = [
    # a figurative "illness" is a joke, not a disease
    ("general", "告别懒癌，周末也能早起。", "告别癌症，一杯就够。", "disease_claim_non_medical"),
    ("general", "治好了我的拖延症，计划本写满了。", "治好了我的胃病，三天见效。", "disease_claim_non_medical"),
    ("general", "选择困难症的福音，一套搞定。", "糖尿病的福音，降血糖一套搞定。", "disease_claim_non_medical"),
    # a bank deposit or treasury bond is principal-protected by law; an investment product is not
    ("finance", "定期存款保本保息，利率以银行公布为准。", "这款理财跟定期存款一样保本保息。",
     "investment_return_promise"),
    ("finance", "储蓄国债到期还本付息，按年付息。", "XX理财保本保息，年化8%。", "investment_return_promise"),
    ("finance", "大额存单保本保息，20万元起存。", "私募基金保本保息，稳赚不赔。", "investment_return_promise"),
]

# a medical ad's care instructions around a procedure are not a before/after image
MEDICAL_CARE = [
    ("术前术后注意事项请咨询医生。", "术前术后对比，判若两人。"),
    ("手术前后的饮食禁忌见附页。", "手术前后，判若两人。"),
    ("治疗前后需空腹，请提前预约。", "治疗前后对比图，效果看得见。"),
]

# approved health-food function wording with its mandatory statement; a disease claim beside it still fires
HEALTH_FOOD = [
    ("保健功能：有助于维持血脂（胆固醇/甘油三酯）健康水平。本品不能代替药物。",
     "有助于维持血脂健康水平，治疗高血脂。本品不能代替药物。"),
    ("保健功能：有助于增强免疫力、缓解体力疲劳。本品不能代替药物。", "增强免疫力，预防癌症。本品不能代替药物。"),
    ("保健功能：对化学性肝损伤有辅助保护作用。本品不能代替药物。", "对化学性肝损伤有辅助保护作用，根治脂肪肝。"),
    ("蓝帽子认证，有助于改善睡眠。保健食品不是药物，不能代替药物治疗疾病。", "有助于改善睡眠，专治失眠症。"),
]


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), REGULATOR_TEXT)
def test_a_regulators_notice_or_statute_text_is_not_blocked(industry, clean, violating, category):
    assert blocked(industry, clean) == set()
    caught = blocked(industry, violating)
    assert caught if category is None else category in caught


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), LAWFUL_ABSOLUTE)
def test_lawful_uses_of_absolute_words_are_not_blocked(industry, clean, violating, category):
    assert blocked(industry, clean) == set()
    assert category in blocked(industry, violating)


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), OTHER)
def test_everyday_speech_and_lawful_facts_are_not_blocked(industry, clean, violating, category):
    assert blocked(industry, clean) == set()
    assert category in blocked(industry, violating)


@pytest.mark.parametrize(("clean", "violating"), MEDICAL_CARE)
def test_care_instructions_around_a_procedure_are_not_a_before_after(clean, violating):
    assert blocked("medical_service", clean) == set()
    assert "before_after" in blocked("medical_service", violating)


@pytest.mark.parametrize(("clean", "violating"), HEALTH_FOOD)
def test_approved_health_food_wording_with_its_statement_is_not_blocked(clean, violating):
    assert blocked("health_food", clean) == set()
    assert "medical_efficacy_claim" in blocked("health_food", violating)


@pytest.mark.parametrize(
    "text",
    [
        # an ad never says 不得 about itself, but it may say 不得不 or 舍不得
        "不得不说，这是最好的面霜。",
        "怪不得回购这么多次，这是最好的面霜。",
        # a source without a time, or a quality claim beside a sourced ranking, is still a claim
        "据统计，本品销量第一。",
        "最好的面霜。数据来源：2024年某平台。",
        # the regulator's name used as an endorsement is not a warning
        "市场监管局认证，全国最好的净水器。",
    ],
)
def test_lookalike_markers_do_not_excuse_a_claim(text):
    assert "absolute_claim" in blocked("general", text)
