"""Recall on the kinds of Chinese violation that real enforcement cases show (issue 13), with look-alikes.

Each kind the real-case notices revealed (a named person recommending, yields
worded outside 保/包/稳, results within a stated time, drug-like vocabulary in
non-drugs, refunds tied to the outcome, undisclosed 探店/种草 posts,
disparaging comparisons, effortless recovery, and the food and medical-service
verticals) has at least three violating phrasings, written here as variations
of the kind rather than copies of a case, each expected in its category; and
at least two lawful look-alikes that must not get a high or critical finding —
the review gate must not block them.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_kinds_covered, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (kind, industry, text, category the checker must report)
VIOLATIONS = [
    # a named person recommending or using the product
    ("named", "general", "钟南山推荐护目镜，防护更安心", "improper_endorsement"),
    ("named", "general", "连李佳琦都在用的面膜", "improper_endorsement"),
    ("named", "general", "著名演员刘晓庆力荐这款床垫", "improper_endorsement"),
    ("named", "health_food", "王志远教授推荐：每天两粒鱼油", "improper_endorsement"),
    ("named", "health_food", "影后周迅都在吃的胶原蛋白肽", "improper_endorsement"),
    ("named", "pharma", "院士张伯礼联合推荐的感冒冲剂", "improper_endorsement"),
    ("named", "medical_device", "传承八百年，第36代苗医传承人亲制膏贴", "improper_endorsement"),
    ("named", "finance", "陈东升先生力荐的稳健理财计划", "improper_endorsement"),
    # guarantees and yields outside the 保/包/稳 family
    ("yield", "general", "加盟奶茶店，三个月即可回本", "investment_return_promise"),
    ("yield", "general", "宝妈副业，月入3万元不是梦", "investment_return_promise"),
    ("yield", "general", "会员每月返利，高额回报等你拿", "investment_return_promise"),
    ("yield", "general", "年化收益保底8%，本息保障", "investment_return_promise"),
    ("yield", "finance", "这只产品收益率高达9.5%，欢迎咨询", "investment_return_promise"),
    ("yield", "real_estate_like", "临街商铺，售后包租10年，租金回报率8%", "investment_return_promise"),
    # results within a stated time
    ("time", "general", "坚持穿两周后就能明显瘦5斤", "guaranteed_outcome"),
    ("time", "general", "增高垫穿一个月就长高3cm", "guaranteed_outcome"),
    ("time", "cosmetics", "28天后肌肤白皙透亮", "guaranteed_outcome"),
    ("time", "cosmetics", "肌肤15倍透亮，迅速美白", "cosmetics_claim"),
    ("time", "health_food", "吃两盒就能停药", "medical_efficacy_claim"),
    ("time", "education", "三个月提分50分，逆袭名校", "education_result_promise"),
    ("time", "medical_service", "光子嫩肤3次祛斑，告别色斑", "medical_efficacy_claim"),
    # drug-like or traditional-medicine vocabulary in non-drugs
    ("drug", "general", "祖传秘方泡脚包，调理失眠多梦", "disease_claim_non_medical"),
    ("drug", "general", "苗家草方足贴，疏通血管", "disease_claim_non_medical"),
    ("drug", "food", "这款茶饮能抗病毒，抑菌消炎", "disease_claim_non_medical"),
    ("drug", "cosmetics", "纯中药成分面霜，三个疗程皮肤焕然一新", "disease_claim_non_medical"),
    ("drug", "health_food", "高血压人群专用的降压茶", "medical_efficacy_claim"),
    ("drug", "general", "负离子净化器，预防新冠病毒", "disease_claim_non_medical"),
    # refunds tied to the outcome
    ("refund", "general", "减肥咖啡，不掉秤全额退款", "guaranteed_outcome"),
    ("refund", "general", "生发液，长不出双倍赔付", "guaranteed_outcome"),
    ("refund", "health_food", "降糖茶饮，30天没效果退钱", "medical_efficacy_claim"),
    ("refund", "education", "英语冲刺营，没上岸全额退学费", "education_result_promise"),
    # undisclosed shop-visit and product-seeding posts
    ("seeding", "general", "探店｜这家火锅人均68元，团购套餐戳下方", "missing_ad_disclosure"),
    ("seeding", "general", "【测评】十款扫地机横评，第三款到手价1299元", "missing_ad_disclosure"),
    ("seeding", "general", "宝藏小店种草！门店地址在这里，今天下单打8折", "missing_ad_disclosure"),
    # comparative and disparaging claims
    ("compare", "general", "国货之光，吊打国际大牌", "comparative_claim"),
    ("compare", "general", "别家的净水器都是智商税", "comparative_claim"),
    ("compare", "cosmetics", "这瓶精华比SK-II还要好用", "comparative_claim"),
    ("compare", "general", "同行卖的那些便宜货大多是假货", "comparative_claim"),
    ("compare", "general", "清洁力是普通洗衣液的3倍", "comparative_claim"),
    # implied effortless or instant recovery
    ("effortless", "general", "颈椎贴一贴见效，轻松告别颈椎痛", "disease_claim_non_medical"),
    ("effortless", "general", "这款足浴粉，一次根治脚气", "disease_claim_non_medical"),
    ("effortless", "health_food", "喝了它，从此不再失眠", "medical_efficacy_claim"),
    ("effortless", "general", "塑身衣轻松告别小肚子", "guaranteed_outcome"),
    # ordinary food (zh-food.toml)
    ("food", "food", "这款燕麦片能平稳血糖，还能增强免疫力", "disease_claim_non_medical"),
    ("food", "food", "茅台镇部队特供酒，限量发售", "absolute_claim"),
    ("food", "food", "配方奶粉无限接近母乳，宝宝更聪明", "comparative_claim"),
    ("food", "food", "儿童成长奶粉，让孩子长高又益智", "disease_claim_non_medical"),
    ("food", "food", "蜂蜜具有杀菌消炎作用", "disease_claim_non_medical"),
    # medical services and aesthetics (zh-medical.toml)
    ("medical", "medical_service", "热玛吉零风险、无恢复期，效果永久保持", "medical_efficacy_claim"),
    ("medical", "medical_service", "双眼皮手术成功率高达99%", "medical_efficacy_claim"),
    ("medical", "medical_service", "求美者真人案例，术后7天效果惊艳", "improper_endorsement"),
    ("medical", "medical_service", "隆鼻术前术后对比，一眼就能看出", "before_after"),
    ("medical", "medical_service", "鼻子塌、单眼皮，难怪找不到男朋友", "personal_attribute"),
    ("medical", "medical_service", "别家医院修复不了的，来我们这里", "comparative_claim"),
    # education admission records and shortcuts
    ("education", "education", "办学十年，考入清北80余人", "education_result_promise"),
    ("education", "education", "英国名校本硕直录，免雅思", "education_result_promise"),
    ("education", "education", "前命题组长亲授申论", "education_result_promise"),
]

# (kind, industry, text): lawful look-alikes, no high or critical finding allowed
LOOK_ALIKES = [
    ("named", "general", "店长推荐：本周新品拿铁"),
    ("named", "general", "金牌推荐套餐，两人份"),
    ("named", "health_food", "营养师建议：每天吃够五种颜色的蔬菜"),
    ("named", "general", "作者王小波的散文集，新版上市"),
    ("yield", "general", "贷款年化利率3.65%起，按日计息"),
    ("yield", "finance", "历史年化收益率4.2%，过往业绩不代表未来表现，投资有风险"),
    ("yield", "general", "存款利率下调，年化利率1.5%"),
    ("time", "general", "下单后7天内发货，30天无理由退货"),
    ("time", "general", "会员30天内可无限次使用白条分期"),
    ("time", "cosmetics", "建议连续使用28天，每天早晚各一次"),
    ("time", "education", "课程共3个月，每周两次课"),
    ("drug", "food", "祖传秘方卤牛肉，老字号三代传承"),
    ("drug", "food", "采用巴氏杀菌工艺，冷藏保存"),
    ("drug", "general", "配方升级，口感更顺滑"),
    ("refund", "general", "7天无理由退货，不满意可退换"),
    ("refund", "general", "商品破损包退包换"),
    ("seeding", "general", "广告｜探店这家火锅，人均68元，团购戳下方"),
    ("seeding", "general", "自费测评十款扫地机，到手价1299元的那款最吵"),
    ("compare", "general", "限时秒杀价99元，先到先得"),
    ("compare", "general", "比以前好用多了，推荐给大家"),
    ("compare", "general", "不交智商税，只买需要的"),
    ("effortless", "general", "一次购买，终身保修"),
    ("effortless", "general", "轻松告别排队，线上预约更方便"),
    ("food", "food", "每100克含钙120毫克，口感香浓"),
    ("food", "food", "减肥没有捷径，均衡饮食最重要"),
    ("food", "food", "提倡母乳喂养，六个月内纯母乳喂养"),
    ("medical", "medical_service", "手术存在风险，请术前与医生充分沟通"),
    ("medical", "medical_service", "本院诊疗科目：医疗美容科、皮肤科；接诊时间9:00-17:00"),
    ("education", "education", "课程面向零基础学员，含语法与口语两部分"),
    ("education", "education", "模拟面试考官由资深讲师担任"),
    ("drug", "cosmetics", "本产品不含激素，敏感肌请先做局部测试"),
    ("education", "education", "本班共28名学员，上课率100%需家长配合"),
    ("medical", "medical_service", "宣传“零风险”“不留疤”的医美广告均属违法，市场监管部门已查处"),
]


def industry_of(name: str) -> str:
    """The checker industry for a row (property ads are checked as general copy)."""
    return "general" if name == "real_estate_like" else name


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATIONS)
def test_violation_is_caught_in_its_category(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("zh", industry_of(industry), text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text"), LOOK_ALIKES)
def test_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("zh", industry, text, kind)


def test_every_kind_has_three_violations_and_two_look_alikes() -> None:
    assert_kinds_covered(VIOLATIONS, LOOK_ALIKES, violations=3, look_alikes=2)


def test_a_named_endorser_needs_evidence_in_general_but_is_barred_in_health() -> None:
    general = load_checker("zh", "general").check("钟南山推荐护目镜")
    assert [(f.category, f.severity, f.term) for f in general] == [("improper_endorsement", "medium", "钟南山推荐")]
    health = load_checker("zh", "health_food").check("影后周迅都在吃的胶原蛋白肽")
    assert ("improper_endorsement", "critical") in {(f.category, f.severity) for f in health}


def test_yield_figure_alone_stays_with_the_finance_pack() -> None:
    # a bare yield is the finance pack's (risk statement decides); a promised one is blunt anywhere
    assert not load_checker("zh", "general").check("年化收益12%")
    promised = load_checker("zh", "general").check("年化收益保底12%")
    assert {f.category for f in promised} == {"investment_return_promise"}


@pytest.mark.parametrize(
    ("industry", "text", "category"),
    [
        ("general", "养生馆艾灸，疏通经络、调理气血", "disease_claim_non_medical"),
        ("general", "不打针不吃药，血压稳稳的", "disease_claim_non_medical"),
        ("general", "纪念金币限量发行，保值增值", "investment_return_promise"),
        ("general", "陶晶莹都在用的粉底液", "improper_endorsement"),
        ("cosmetics", "医学护肤级精华，干细胞修复", "cosmetics_claim"),
        ("education", "去年学员考研上岸率87%", "education_result_promise"),
        ("general", "纳豆胶囊是血管清道夫，稳定血压", "disease_claim_non_medical"),
        ("medical_service", "本院为某医科大学临床教学基地，术后极速恢复", "improper_endorsement"),
        ("health_food", "鱼油软胶囊，国药准字OTC认证", "medical_efficacy_claim"),
        ("cosmetics", "淡斑精华，有效率高达97%", "cosmetics_claim"),
    ],
)
def test_more_phrasings_of_the_same_kinds(industry: str, text: str, category: str) -> None:
    assert_caught("zh", industry, text, category)
