"""Chinese copy rules, issue 13 round 3: lawful kinds are not blocked, their violating twins still are.

Each case is a KIND of lawful text named by its source, written here in our own words, with a twin in
the same words that breaks the law and must still be caught in its category:
- 市场监管总局《广告绝对化用语执法指南》(2023) 第八条: comparison inside the seller's own range (本店最新款),
  time and order facts (最快次日达, 首家门店于2010年开业), the background of goods and raw materials,
  designations a state body confers (国家级绿色工厂), minimums set by a contract (最低保证利率), place names;
- a regulator's, a court's or a newspaper's text quoting a claim (zh.toml [every_rule]): a statute cited by
  article, enforcement news, the conduct of "some merchants" described, ads spoken of as a class, fraud news;
- 《明码标价和禁止价格欺诈规定》第十九条: a reference price that is the lowest price of the days before;
- approved health-food function wording with its mandatory statement (广告法第十八条第二款);
- disease words negated or in health education, advice before and after a procedure, a job's wage.
Then the recall kinds of this round (广告法第十六、十七、十八条; 医疗广告管理办法第七条): a disease known
by the shape of its name, a product presented as a drug, efficacy assertions, the health ads' missing
mandatory statement, medical ads promoting techniques — each with a lawful look-alike.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (industry, lawful text, violating twin, category of the twin)
LAWFUL_ABSOLUTE = [
    # 指南第八条第（一）项: the seller's own items ranked against each other
    ("general", "本店最受欢迎的一款是经典原味。", "全网最受欢迎的奶茶就是我们。", "absolute_claim"),
    ("general", "XX系列中最轻的一款笔记本，仅重1.1kg。", "XX笔记本全球最轻，品质最好。", "absolute_claim"),
    ("general", "该车是大众品牌中顶级配置，限量上市。", "该车品质顶级，同级无敌。", "absolute_claim"),
    ("general", "本楼盘最大户型143平米。", "本楼盘是全城最大最好的楼盘。", "absolute_claim"),
    ("general", "店内最便宜的套餐只要39元。", "本店面霜效果最好。", "absolute_claim"),
    # 指南第八条第（七）项: time facts, not quality
    ("general", "最快次日达，最晚周五发货。", "全网最快的快递，服务最好。", "absolute_claim"),
    ("general", "首家门店于2010年在上海开业。", "全国首家，独一无二。", "absolute_claim"),
    # 指南第八条第（五）项: the background of the goods and their raw materials; places
    ("general", "原料产自世界最大的高原湖泊周边。", "我们是世界最大的乳品品牌。", "absolute_claim"),
    ("general", "天下第一关山海关，门票40元。", "天下第一好茶，行业第一品牌。", "absolute_claim"),
    # 指南第八条第（六）项: designations a state body confers
    ("general", "公司是国家级农业产业化重点龙头企业（农业农村部2022年认定）。", "国家级品质，行业龙头企业。",
     "absolute_claim"),
    ("general", "国家级旅游度假区，欢迎五一来玩。", "国家级工艺，世界级口感。", "absolute_claim"),
    # minimums set by a contract or a rule, and words not about the product
    ("finance", "本万能险最低保证利率1.75%，超过最低保证利率的部分是不确定的。", "本产品收益最高，风险最低。",
     "absolute_claim"),
    ("general", "唯一的遗憾是周末不营业。", "唯一获得专利的净水器。", "absolute_claim"),
    ("general", "把最好的留给家人，是我们的初心。", "最好的面霜，就选我们。", "absolute_claim"),
]

QUOTED_BY_OTHERS = [
    # a statute cited by article without 《》
    ("general", "根据广告法第九条规定，广告不得使用“最佳”等用语。", "本品效果最佳。", "absolute_claim"),
    # enforcement news
    ("general", "执法人员检查发现，该店宣传“全网最低价”“国家级”。", "国家级品质，全网最低价。", "absolute_claim"),
    ("general", "该公司宣称产品可以治疗高血压，被市场监管局立案调查。", "本品可以治疗高血压。",
     "disease_claim_non_medical"),
    # others' conduct described with the claim as their pretext
    ("education", "部分培训机构假借命题专家的噱头，组织所谓的“保密培训”。", "命题专家亲授，保密培训。",
     "education_result_promise"),
    ("general", "一些商家打着“根治糖尿病”的旗号推销产品。", "本品根治糖尿病。", "disease_claim_non_medical"),
    # ads spoken of as a class
    ("pharma", "药品广告中使用患者的形象作证明，其中含有不科学的表明疗效的断言或者保证。", "本品疗效确切，药到病除。",
     "medical_efficacy_claim"),
    # a quoted term discussed, or given as an example of what someone used
    ("general", "“第一”一词是否属于绝对化用语，要看语境。", "行业第一，品质保证。", "absolute_claim"),
    ("general", "某4S店在宣传所经销的车型时使用“该车是行业顶级配置”。", "该车是行业顶级配置。", "absolute_claim"),
    # fraud news and risk education
    ("finance", "某平台承诺年化收益18%，最终爆雷跑路，投资者血本无归。", "本平台承诺年化收益18%，保本保息。",
     "investment_return_promise"),
    ("finance", "保本理财已成为历史，资管新规打破刚性兑付。", "本产品保本保息，刚性兑付。", "investment_return_promise"),
    ("finance", "承诺保本的理财产品，收益率超过8%就要打问号，10%以上就要准备损失全部本金。",
     "本理财产品承诺保本，年化收益保底8%。", "investment_return_promise"),
    ("finance", "银行理财产品不再承诺保本保收益。", "本理财产品承诺保本保收益。", "investment_return_promise"),
]

OTHER_LAWFUL = [
    # 明码标价和禁止价格欺诈规定第十九条: the lowest price of the days before the promotion
    ("general", "原价指本次活动开始前30天内的最低售价。", "全网最低价，史上最低！", "absolute_claim"),
    # approved function wording with its mandatory statement (广告法第十八条第二款)
    ("health_food", "有助于增强免疫力。保健食品不是药物，不能代替药物治疗疾病。",
     "有助于增强免疫力，还能治疗糖尿病。本品不能代替药物。", "medical_efficacy_claim"),
    # a registered health food whose ad the team filed under 食品: the approved wording with its statement
    ("food", "XX牌胶囊，保健功能：辅助降血糖。保健食品不是药物，不能代替药物治疗疾病。", "这款饼干能辅助降血糖。",
     "disease_claim_non_medical"),
    # disease words negated, or in health education
    ("food", "本品不具有治疗高血压的功能，请遵医嘱用药。", "本品可以治疗高血压。", "disease_claim_non_medical"),
    ("general", "预防高血压，要少盐少油、适量运动。", "预防高血压，就喝本茶。", "disease_claim_non_medical"),
    ("food", "预防痛风，关键在于控制嘌呤摄入、多喝水。", "喝我们的茶，预防痛风。", "disease_claim_non_medical"),
    # advice before and after a procedure is not a before/after picture
    ("medical_service", "做之前要先面诊，做之后注意冰敷消肿。", "做之前塌鼻，做之后鼻梁高挺，判若两人。", "before_after"),
    ("medical_service", "手术前后的心理疏导很重要。", "隆鼻前后，颜值大变。", "before_after"),
    # a job's wage is not a return; a deposit is principal-protected by law
    ("general", "招聘货车司机，底薪6000元，月入8000元以上，五险一金，包吃住。", "兼职刷单，月入过万。",
     "investment_return_promise"),
    ("general", "银行定期存款保本保息，适合稳健型储户。", "本平台保本保息，银行兜底。", "investment_return_promise"),
]

# The recall kinds of this round: (industry, violating text, category, lawful look-alike)
RECALL = [
    # a disease known by the shape of its name, with a verb of cure or prevention
    ("general", "本茶可治疗慢阻肺病。", "disease_claim_non_medical", "本药剂可防治水稻稻瘟病，请按说明使用。"),
    ("general", "本茶可治疗慢阻肺病。", "disease_claim_non_medical", "本产品不能治疗慢阻肺病，请及时就医。"),
    # softer verbs with a disease or a symptom (medium: counted, not blocked)
    ("general", "告别尿频尿急，一觉到天亮。", "disease_claim_non_medical", "改善睡眠环境，从一个好枕头开始。"),
    # products presented as drugs, medication stopped, tumours shrinking, miracle-cure idioms
    ("food", "天然胰岛素，糖友必备。", "disease_claim_non_medical", "良药苦口利于病，忠言逆耳利于行。"),
    ("health_food", "服用后成功停药，血糖稳定。本品不能代替药物。", "medical_efficacy_claim",
     "有助于维持血糖健康水平。本品不能代替药物。"),
    ("general", "喝了三个月，甲状腺结节缩小了。", "disease_claim_non_medical", "甲状腺结节患者请定期复查。"),
    # recovered patients counted; "authorities" as proof (medium)
    ("health_food", "已帮助10万名患者康复。本品不能代替药物。", "medical_efficacy_claim",
     "已有10万家庭选择我们。本品不能代替药物。"),
    ("health_food", "权威认证，品质保证。本品不能代替药物。", "medical_efficacy_claim",
     "经第三方检测，符合国家标准（报告编号2024-001）。本品不能代替药物。"),
    # efficacy assertions in drug ads
    ("pharma", "快速止痛，疗效显著。", "medical_efficacy_claim",
     "用于缓解轻至中度疼痛。请按药品说明书或者在药师指导下购买和使用。"),
    # a refund or an insurer guaranteeing a treatment; disparaging what other providers failed at
    ("medical_service", "治疗无效全额退款，保险公司承保。", "medical_efficacy_claim", "未开始治疗可全额退款。"),
    ("medical_service", "专修种别人种不好的种植牙。", "comparative_claim", "本院开展种植牙，需先面诊评估。"),
    # medical ads promoting techniques (医疗广告管理办法第七条第（一）项)
    ("medical_service", "无痛人流，德国进口设备。", "medical_efficacy_claim",
     "本院设有内科、外科、妇产科、儿科。地址：XX路1号，电话：12345678。"),
]

PAIRS = LAWFUL_ABSOLUTE + QUOTED_BY_OTHERS + OTHER_LAWFUL


def rules_on(industry: str, text: str) -> set[str]:
    """The ids of the rules that report a finding on `text`."""
    return {f.rule for f in load_checker("zh", industry).check(text)}


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), PAIRS)
def test_a_lawful_kind_is_not_blocked(industry: str, clean: str, violating: str, category: str) -> None:
    assert_not_blocked("zh", industry, clean, "lawful kind")


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), PAIRS)
def test_its_violating_twin_is_still_caught(industry: str, clean: str, violating: str, category: str) -> None:
    assert_caught("zh", industry, violating, category, "violating twin")


@pytest.mark.parametrize(("industry", "violating", "category", "clean"), RECALL)
def test_a_recall_kind_is_caught(industry: str, violating: str, category: str, clean: str) -> None:
    assert_caught("zh", industry, violating, category, "recall kind")


@pytest.mark.parametrize(("industry", "violating", "category", "clean"), RECALL)
def test_its_lawful_look_alike_gets_no_finding(industry: str, violating: str, category: str, clean: str) -> None:
    assert rules_on(industry, clean) == set(), clean


def test_soft_disease_verbs_are_a_review_not_a_block() -> None:
    findings = load_checker("zh", "general").check("改善慢性荨麻疹困扰。")
    assert [(f.rule, f.severity, f.term) for f in findings] == [
        ("zh.health.disease_by_name_shape_soft", "medium", "慢性荨麻疹")
    ]


@pytest.mark.parametrize(
    ("industry", "text", "rule"),
    [
        ("health_food", "有助于抗氧化，适合中老年人。", "zh.health.health_food_statement_missing"),
    ],
)
def test_a_health_ad_without_its_mandatory_statement_needs_review(industry: str, text: str, rule: str) -> None:
    findings = [f for f in load_checker("zh", industry).check(text) if f.rule == rule]
    assert [(f.category, f.severity) for f in findings] == [("medical_efficacy_claim", "medium")]


@pytest.mark.parametrize(
    ("industry", "text"),
    [
        ("health_food", "有助于增强免疫力。保健食品不是药物，不能代替药物治疗疾病。"),
        ("health_food", "有助于抗氧化。本品不能代替药物。"),
    ],
)
def test_the_mandatory_statement_clears_the_review(industry: str, text: str) -> None:
    assert rules_on(industry, text) == set(), text
