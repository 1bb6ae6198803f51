"""Chinese rules by kind, round 4 (issue 13): templates/rules/zh-round4.toml.

Each kind of claim the law names gets a violating phrasing, written for this test, found by its rule in its
category, and a lawful look-alike that is not blocked. The texts are new: none is a real-case item. Where the
law bars the wording outright the finding blocks (high or critical); where the claim is lawful with a fact the
text cannot show (a study, a consenting endorser, a registration) it is medium and the test says so.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (rule, industry, text, category): a high or critical finding of the category, from this rule
BLOCKED = [
    # 广告法第十六条第一款第（四）项、第十八条第一款第（五）项: a professional or a public figure says it works
    (
        "zh.r4.endorse.person_says_product_works",
        "health_food",
        "健身教练王某称这款代餐粉效果明显",
        "improper_endorsement",
    ),
    ("zh.r4.endorse.person_says_product_works", "pharma", "知名博主透露，此药见效很快", "improper_endorsement"),
    # 第十八条第一款第（五）项 and 第十七条: a user's or patient's result story
    ("zh.r4.endorse.user_result_story", "health_food", "楼下王大妈吃了半年，头晕不犯了", "improper_endorsement"),
    ("zh.r4.endorse.beneficiary_story", "medical_device", "坚持用了二十天，我的肩周不疼了", "improper_endorsement"),
    ("zh.r4.endorse.beneficiary_story", "health_food", "江苏的钱阿姨服用后，复查指标正常了", "improper_endorsement"),
    # 第十六条第一款第（四）项: no spokesperson for drugs, devices, health food and medical services
    ("zh.r4.endorse.spokesperson_label", "health_food", "形象大使：某知名歌手", "improper_endorsement"),
    ("zh.r4.endorse.figure_fronts_product", "health_food", "患者张某某（化名）口述治疗经过", "improper_endorsement"),
    ("zh.r4.endorse.figure_fronts_product", "finance", "资深分析师亲自带你操作", "improper_endorsement"),
    # 第四条、第二十八条: titles of the highest standing lent to a product
    ("zh.r4.endorse.honoured_scientist", "food", "两院院士领衔研发的功能饮品", "improper_endorsement"),
    # 第二十五条第一款第（一）项: returns promised outside the 保/包/稳 family
    ("zh.r4.investment.low_cost_high_return", "general", "门槛低，回报高，开店首选", "investment_return_promise"),
    ("zh.r4.investment.assured_income", "general", "社区底商，租金收益有保障", "investment_return_promise"),
    ("zh.r4.investment.assured_income", "general", "小吃加盟，半年轻松回本", "investment_return_promise"),
    ("zh.r4.investment.business_takings", "general", "加盟项目单店月利润5万元", "investment_return_promise"),
    ("zh.r4.investment.business_takings", "general", "认购藏品，到期溢价回购", "investment_return_promise"),
    ("zh.r4.investment.scheme_income", "general", "邀请好友越多，奖励越多，持有即享分红", "investment_return_promise"),
    ("zh.r4.investment.yield_beats_deposit", "finance", "收益远超定期存款，欢迎咨询", "investment_return_promise"),
    ("zh.r4.investment.sure_gain_idioms", "general", "临街旺铺，一铺养三代", "investment_return_promise"),
    ("zh.r4.investment.lifetime_and_compounding", "general", "一次投资，终身收益", "investment_return_promise"),
    ("zh.r4.investment.lifetime_and_compounding", "general", "入会月息3分，按月结算", "investment_return_promise"),
    # 第二十四条: score floors, exam insiders, timed passes, assured results
    ("zh.r4.education.floor_or_refund_on_score", "education", "暑期集训，分数兜底", "education_result_promise"),
    ("zh.r4.education.floor_or_refund_on_score", "education", "提分不足15分，学费全退", "education_result_promise"),
    ("zh.r4.education.floor_or_refund_on_score", "education", "去年本班全员上岸", "education_result_promise"),
    ("zh.r4.education.exam_insiders", "education", "资深阅卷组长领衔授课", "education_result_promise"),
    ("zh.r4.education.timed_pass", "education", "在职备考，一年拿下CPA", "education_result_promise"),
    ("zh.r4.education.result_assured", "education", "考编上岸有保障", "education_result_promise"),
    ("zh.r4.education.visible_gain", "education", "全程托管，成绩不提高不收费", "education_result_promise"),
    ("zh.r4.education.visible_gain", "education", "一对一辅导，成绩提升看得见", "education_result_promise"),
    # 第十六、十七、十八条: disease and drug-like claims outside the lists
    ("zh.r4.health.lesion_action", "food", "每天一杯，帮助溶解结石", "disease_claim_non_medical"),
    ("zh.r4.health.lesion_action", "medical_device", "理疗仪直达病灶，消除炎症", "medical_efficacy_claim"),
    ("zh.r4.health.treats_with_effect", "health_food", "对胃溃疡有修复作用", "medical_efficacy_claim"),
    ("zh.r4.health.drug_replacement", "health_food", "坚持服用，从此告别降糖药", "medical_efficacy_claim"),
    ("zh.r4.health.tcm_regimen_strong", "food", "五谷粉，清除体内重金属", "disease_claim_non_medical"),
    ("zh.r4.health.condition_relief", "general", "护腰带，缓解腰肌劳损", "disease_claim_non_medical"),
    ("zh.r4.health.condition_relief", "food", "益生菌饮品，预防过敏体质", "disease_claim_non_medical"),
    ("zh.r4.health.organ_restored", "health_food", "让血管恢复弹性", "medical_efficacy_claim"),
    ("zh.r4.health.suitable_for_disease", "food", "适宜人群：失眠、便秘人群", "disease_claim_non_medical"),
    ("zh.r4.health.virility_and_boon", "food", "男性饮品，增强性功能", "disease_claim_non_medical"),
    ("zh.r4.health.hair_reversal", "food", "黑芝麻丸，吃出白发变黑", "disease_claim_non_medical"),
    ("zh.r4.health.disease_nemesis", "health_food", "糖友的救命稻草", "medical_efficacy_claim"),
    ("zh.r4.health.disease_nemesis", "general", "十年老毛病，一次去根", "disease_claim_non_medical"),
    ("zh.r4.health.body_function_claims", "food", "核桃乳，降低血液粘稠度", "disease_claim_non_medical"),
    # 化妆品监督管理条例第三十七条；化妆品标签管理办法第十九条
    ("zh.r4.cosmetics.free_from_chemicals", "cosmetics", "面霜零化学添加剂，无激素无依赖", "cosmetics_claim"),
    # 第十六、十八、二十四、二十五条: a named person anywhere in the copy, described figures and groups, creators
    ("zh.r4.endorse.name_in_copy", "health_food", "据说张文宏也在吃", "improper_endorsement"),
    ("zh.r4.endorse.name_in_copy", "health_food", "冯巩、蔡明都说好", "improper_endorsement"),
    ("zh.r4.endorse.described_figure", "health_food", "大学教授亲自试吃，赞不绝口", "improper_endorsement"),
    ("zh.r4.endorse.described_figure", "health_food", "老干部们都在喝", "improper_endorsement"),
    ("zh.r4.endorse.creator_recommends", "health_food", "百万粉丝健康博主亲测", "improper_endorsement"),
    # 第十六条第一款第（二）项: a safety absolute in a drug, device or health-food ad
    ("zh.r4.health.zero_risk", "medical_device", "家用理疗，零风险", "medical_efficacy_claim"),
    # 第四条、第九条第（八）项、第二十八条: permanence, assured and instant results
    ("zh.r4.outcome.permanent_or_assured", "general", "防水涂料，终身不漏水", "guaranteed_outcome"),
    ("zh.r4.outcome.permanent_or_assured", "general", "房产托管，保证三个月内卖出", "guaranteed_outcome"),
    ("zh.r4.outcome.instant_change", "general", "解酒饮料，喝完立刻醒酒", "guaranteed_outcome"),
    ("zh.r4.outcome.instant_change", "general", "貔貅摆件，摆上就能招财", "guaranteed_outcome"),
    # 第二十五条、第二十六条; 金融营销宣传管理办法: principal safe, payment certain, rent assured, a bare yield
    ("zh.r4.investment.principal_and_payment", "finance", "平台运营五年，从未逾期", "investment_return_promise"),
    ("zh.r4.investment.principal_and_payment", "general", "购铺送租约，业主坐享收益", "investment_return_promise"),
    ("zh.r4.investment.yield_figure_anywhere", "finance", "一万元起投，年收益800元", "investment_return_promise"),
    # 化妆品监督管理条例第三十七条: blemishes gone at once, wrinkles removed
    ("zh.r4.cosmetics.instant_removal", "cosmetics", "洁面泡沫，黑头粉刺一洗就掉", "cosmetics_claim"),
    ("zh.r4.cosmetics.instant_removal", "cosmetics", "眼霜祛除鱼尾纹", "cosmetics_claim"),
    # 第十六条第一款第（一）项: no recurrence, senses restored; 人口与计划生育法第三十九条: sex selection
    ("zh.r4.health.no_recurrence", "medical_device", "颈椎治疗仪，用后颈椎病不再犯", "medical_efficacy_claim"),
    ("zh.r4.health.no_recurrence", "medical_device", "助听器，让老人重获新声", "medical_efficacy_claim"),
    ("zh.r4.medical.sex_selection", "medical_service", "中医调理，包生男孩", "medical_efficacy_claim"),
    ("zh.r4.health.zero_risk", "pharma", "纯中药，安全无毒", "medical_efficacy_claim"),
    # 广告法第九条第（三）项；绝对化用语执法指南 (2023)
    ("zh.r4.absolute.leading_without_source", "general", "全国销量遥遥领先的空气炸锅", "absolute_claim"),
]

# (rule, industry, text, category): found at medium ("needs evidence" or a reviewer's look), never blocking
REVIEWED = [
    # 第三十三条、第三十八条: a consenting endorser who really used the product is lawful outside health ads
    ("zh.r4.endorse.famous_person_review", "general", "资深教练都在用的跑鞋", "improper_endorsement"),
    ("zh.r4.endorse.named_user_result", "cosmetics", "李某某用后皮肤白了一个度", "improper_endorsement"),
    (
        "zh.r4.endorse.person_says_product_works_review",
        "general",
        "知名博主认为这款床垫效果明显",
        "improper_endorsement",
    ),
    # 保健食品广告审查暂行规定第八条: a study must be citable
    ("zh.r4.health.unverified_research", "health_food", "实验证明可提升抗氧化能力三倍", "medical_efficacy_claim"),
    ("zh.r4.health.tcm_regimen_soft", "food", "红豆薏米茶，祛除体内湿气", "disease_claim_non_medical"),
    ("zh.r4.health.daily_necessity", "health_food", "上班族每天必备的营养补充", "medical_efficacy_claim"),
    ("zh.r4.endorse.name_in_copy_review", "general", "连续三年，刘涛都在用", "improper_endorsement"),
    ("zh.r4.endorse.creator_recommends_review", "general", "KOL推荐的扫地机器人", "improper_endorsement"),
    ("zh.r4.endorse.spokesperson_review", "general", "演员某某联袂代言", "improper_endorsement"),
    # 广告法第十一条第二款: a performance figure needs its test source in the ad
    ("zh.r4.outcome.performance_rate", "general", "空气净化器，除甲醛率99%", "guaranteed_outcome"),
    ("zh.r4.cosmetics.beauty_claims_elsewhere", "general", "美容院专供祛斑精华", "cosmetics_claim"),
    ("zh.r4.investment.doubling_in_time", "general", "黄金地段，五年翻一番", "investment_return_promise"),
    ("zh.r4.cosmetics.measured_change", "cosmetics", "坚持使用，细纹减少40%", "cosmetics_claim"),
    ("zh.r4.education.elite_outcome_review", "education", "寒假集训，逆袭名校", "education_result_promise"),
    # 化妆品分类规则和分类目录: melanin is the whitening mechanism; a registration clears it
    ("zh.r4.cosmetics.melanin_action", "cosmetics", "烟酰胺精华，阻断黑色素生成", "cosmetics_claim"),
    ("zh.r4.cosmetics.salon_grade", "cosmetics", "院线级修护精华", "cosmetics_claim"),
]

# (kind, industry, text): lawful wording near the rules above — no high or critical finding
LOOK_ALIKES = [
    ("advice", "general", "专家指出，春季应注意保暖，预防感冒"),  # health advice, not a product claim
    ("advice", "health_food", "营养师提醒：保健食品不能代替药物"),
    ("figure", "general", "著名演员赵某主演的新片定档国庆"),
    ("figure", "education", "本校教师均持有教师资格证"),
    ("story", "health_food", "如果服用后出现不适，请立即停用并咨询医生"),
    ("story", "general", "我们用了新工艺，包装更环保"),
    ("yield", "finance", "三年期大额存单年利率2.35%，到期还本付息"),
    ("yield", "finance", "国债的年化收益一般在2.5%左右"),
    ("yield", "finance", "本基金为货币基金，七日年化收益率1.9%，基金有风险"),  # the fund's own risk statement
    ("yield", "finance", "固定收益类产品，业绩比较基准3.5%。理财非存款，产品有风险"),  # a regulator's product class
    ("yield", "finance", "近一年收益率4.8%。过往业绩不代表未来表现，投资有风险"),
    ("yield", "general", "公司2023年年报：净利润同比增长12%"),
    ("yield", "general", "老顾客回购率90%，欢迎品尝"),  # a repurchase rate is not a buy-back promise
    ("yield", "general", "投资者教育：警惕“低成本高收益”的非法集资陷阱"),
    ("yield", "general", "门店招聘：底薪5000元，收入稳定，五险一金"),
    ("education", "education", "历年真题解析，配套模拟卷"),
    ("education", "education", "课程共三个月，每周两次课，效果因人而异"),
    ("education", "education", "本机构不承诺全员通过，不做保过宣传"),
    ("education", "education", "从零基础开始，循序渐进学英语"),
    ("education", "education", "学不会可以随时提问，老师答疑"),
    ("health", "health_food", "不适宜人群：高血压患者慎用"),  # the mandatory warning (保健食品标注警示用语指南)
    ("health", "food", "本品不适合糖尿病患者食用"),
    ("health", "general", "糖尿病患者饮食指南：少吃甜食，定期监测血糖"),
    ("health", "health_food", "对化学性肝损伤有辅助保护功能。本品不能代替药物"),  # an approved function
    ("health", "health_food", "保健食品不能代替药物，切勿停用降糖药"),
    ("health", "general", "如发现甲状腺结节，请及时到医院就诊"),
    ("cosmetics", "cosmetics", "不含化学防腐剂以外的添加物"),
    ("endorse", "general", "高度推荐这家店的服务"),
    ("endorse", "general", "博主分享了她的旅行见闻"),
    ("endorse", "health_food", "张医生提醒：保健食品不能代替药物"),
    ("outcome", "general", "终身保修，质保三年"),  # a warranty is a service term
    ("outcome", "general", "甲醛检测报告显示，除醛率92%（报告编号A123）"),
    ("outcome", "general", "装上就能用，无需安装驱动"),
    ("outcome", "general", "永不止步，追求卓越"),
    ("cosmetics", "general", "本店美白祛斑产品均有特殊化妆品注册证"),
    ("health", "general", "科普：如何预防近视？多到户外活动"),  # health education, a how-to question
    ("health", "general", "世界防治结核病日，关注肺部健康"),  # an awareness day
    ("health", "food", "世界卫生组织建议每日摄入盐不超过5克，以预防高血压"),  # an authority's advice
    ("health", "general", "他在抗癌路上走了十年，从未放弃"),  # a patient's fight, not a product's effect
    ("yield", "general", "车贷年化利率3.8%，详询门店"),  # a loan's cost, not a return
    ("yield", "general", "公司营收五年翻一番（2019—2024年报）"),
    ("statute", "general", "对产品的效果作出保证性承诺，明示或者暗示保本、无风险"),  # the statute's own words
    ("statute", "cosmetics", "药妆的说法在我国没有法律依据"),  # a term discussed, not used
    ("health", "general", "为防止老毛病再犯，久坐后要起身活动"),
    ("absolute", "general", "本店最受欢迎的菜品是红烧肉"),  # the seller's own range (执法指南 2023)
    ("absolute", "general", "中国第一高楼上海中心大厦"),  # a geographic fact (绝对化用语执法指南 2023)
    ("absolute", "general", "本小区唯一出入口位于东门"),
    ("absolute", "general", "据某机构2023年统计，本品牌销量领先"),  # a sales fact with its period and source
]


@pytest.mark.parametrize(("rule", "industry", "text", "category"), BLOCKED)
def test_a_violation_is_found_by_its_rule_in_its_category_and_blocks(
    rule: str, industry: str, text: str, category: str
) -> None:
    findings = load_checker("zh", industry).check(text)
    ours = [f for f in findings if f.rule == rule]
    assert ours, f"{rule}: {text!r} gave {[(f.rule, f.term) for f in findings]}"
    assert {f.category for f in ours} == {category}
    assert {f.severity for f in ours} & {"high", "critical"}


@pytest.mark.parametrize(("rule", "industry", "text", "category"), REVIEWED)
def test_a_claim_needing_evidence_or_review_is_found_at_medium(
    rule: str, industry: str, text: str, category: str
) -> None:
    findings = load_checker("zh", industry).check(text)
    ours = [f for f in findings if f.rule == rule]
    assert ours, f"{rule}: {text!r} gave {[(f.rule, f.term) for f in findings]}"
    assert {f.category for f in ours} == {category}
    assert {f.severity for f in ours} <= {"medium", "low"}


@pytest.mark.parametrize(("kind", "industry", "text"), LOOK_ALIKES)
def test_a_lawful_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("zh", industry, text, kind)


def test_a_finding_reads_in_chinese_and_cites_the_law() -> None:
    """A person reads the message: in a zh book it is Chinese and names the statute."""
    findings = load_checker("zh", "health_food").check("江苏的钱阿姨服用后，复查指标正常了")
    ours = [f for f in findings if f.rule == "zh.r4.endorse.beneficiary_story"]
    assert ours and "患者" in ours[0].message and "广告法" in ours[0].source


def test_the_risk_statement_anywhere_in_the_text_clears_a_takings_figure() -> None:
    """广告法第二十五条 asks for the risk statement; in its own sentence it still covers the figure."""
    bare = load_checker("zh", "general").check("加盟项目，单店年利润30万元")
    warned = load_checker("zh", "general").check("加盟项目，单店年利润30万元。投资有风险，经营需谨慎")
    assert "zh.r4.investment.business_takings" in {f.rule for f in bare}
    assert "zh.r4.investment.business_takings" not in {f.rule for f in warned}
