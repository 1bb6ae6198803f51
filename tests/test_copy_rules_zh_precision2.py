"""Chinese copy rules, issue 13 round 3 (second pass): more lawful kinds are not blocked, their twins still are.

Each case is a KIND of lawful text, written here in our own words, with a violating twin in the same
words that must still be caught in its category. The kinds and where they are handled:
- zh.toml [every_rule]: a news report of someone else's case (据报道，某商家…), a platform's or a reviewer's
  rules quoted (平台规则, 社区公约, 广告审查标准), a claim asked about with doubt (真的能…吗), a definitional
  question (什么是…), a quoted claim discussed as a kind (“7天见效”之类的承诺) or attributed to a class of
  sellers (承诺“无效退款”的商家), a named third party's claim (某培训机构宣称), guidance to the reader
  (投资者应格外谨慎), a regulator's judgement (可不认定为违法), health advice to a patient (不可擅自停药,
  控制血压要靠规范用药), charity and public-health services (义诊, 筛查, 科普), insurance covers (重疾险,
  确诊即赔), a claim said not to exist (不存在“包过”), a promise disclaimed (不承诺效果); as exceptions that
  must overlap the finding: cleaning results (油污全没了 — a stain is not a disease), behaviours and vaccines
  that prevent a disease, plant and animal diseases, the people a food suits (适合控制血糖人群);
- a claim denied by the next sentence (…吗？不能。) — `denied_question`, a filter with `when`;
- 市场监管总局《广告绝对化用语执法指南》(2023) 第八条: a dish or product name in quotes (“天下第一鲜”鱼头汤),
  order in time with its year, order of arrival (第一名学员), legal limits (最高偿付限额), epidemiology;
- finance (广告法第二十五条): the risk statement in its usual wordings (业绩比较基准不代表未来表现), deposits and
  large-sum certificates as the subject (《存款保险条例》), savings bonds, an insurance contract's guaranteed
  minimum and an annuity's payout set by contract, the regulated class name 固定收益类, investor education;
- education and endorsement: a notice to students or parents (学员须知：) is not a speaker label, a consumer
  warning about 命题专家 is not the claim;
- medical services: the course of recovery told to a patient (1至3个月逐渐恢复自然), material for clinicians.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (industry, lawful text, violating twin, category of the twin)
QUOTED_AND_REPORTED = [
    ("general", "据报道，某商家宣称其产品能根治高血压，已被消费者投诉。", "据央视报道，本品能根治高血压。",
     "disease_claim_non_medical"),
    ("finance", "记者调查发现，该平台承诺“年化收益15%，保本保息”，目前已无法兑付。", "本平台年化收益15%，保本保息。",
     "investment_return_promise"),
    ("general", "广告审查标准中，宣传“治愈”“根治”的内容不予通过。", "本品治愈率高达99%，根治不复发。",
     "disease_claim_non_medical"),
    ("general", "社区公约：禁止发布“根治”“包治百病”等医疗宣传内容。", "本品包治百病。", "disease_claim_non_medical"),
    ("general", "减肥产品宣称“一个月瘦20斤”，这种说法没有科学依据。", "一个月瘦20斤，不反弹。", "guaranteed_outcome"),
    ("general", "“7天见效”之类的承诺往往难以兑现，消费者不要轻易相信。", "7天见效，无效退款。", "guaranteed_outcome"),
    ("general", "承诺“无效退款”的商家，往往设置了苛刻的退款条件。", "瘦身茶无效退款。", "guaranteed_outcome"),
    ("education", "某培训机构宣称“不过全额退款”，但合同中设置了诸多限制条件。", "考试不过全额退款。",
     "education_result_promise"),
    ("general", "商家在店内标注“本店销量第一”，如有据可查，可不认定为违法。", "本品销量全国第一，品质最好。",
     "absolute_claim"),
    ("education", "考试不存在“包过”，只有认真学习才能通过。", "报名本班，考试包过。", "education_result_promise"),
    ("education", "家长须知：有机构打着命题专家的名号招生，请核实师资资质。", "命题专家亲授，考前押题。",
     "education_result_promise"),
    ("finance", "年化收益率超过10%的理财产品，投资者应格外谨慎。", "本理财产品年化收益率12%，稳赚不赔。",
     "investment_return_promise"),
    ("finance", "什么是保本理财？资管新规后，银行理财已不能承诺保本保收益。", "本理财产品保本保收益。",
     "investment_return_promise"),
    ("medical_service", "治疗前后对比仅供医学交流，不作为广告宣传。", "隆鼻前后对比，颜值大变。", "before_after"),
    ("medical_service", "某医美机构在公众号发布多组求美者术前术后对比图。", "本院求美者术前术后对比图，效果惊艳。",
     "before_after"),
    ("medical_service", "有些医美广告用“术前术后对比”吸引消费者，消费者不要被照片迷惑。", "术前术后对比，判若两人。",
     "before_after"),
    # a court's account, victims' stories, rumours rebutted, a bought product that failed
    ("finance", "法院审理查明，被告人以“保本高息”为诱饵吸收公众存款。", "本产品保本高息，欢迎认购。",
     "investment_return_promise"),
    ("finance", "受害人称，对方承诺月收益10%，先后投入50万元。", "本项目月收益10%，先到先得。", "investment_return_promise"),
    ("general", "老人听信推销员说能治好高血压，花3万元买了保健品。", "本品能治好高血压。", "disease_claim_non_medical"),
    ("general", "网传某饮料能治愈糖尿病，经核实为谣言。", "本饮料能治愈糖尿病。", "disease_claim_non_medical"),
    ("general", "王阿姨花了2万元买的“神药”，吃了半年血糖也没降下来。", "王阿姨吃了半年，血糖降下来了。",
     "disease_claim_non_medical"),
    ("education", "家长反映，机构承诺“不过退费”，孩子没考过却拒绝退款。", "考试不过退费，放心报名。",
     "education_result_promise"),
    # a job posting's wage
    ("general", "外卖骑手招聘，多劳多得，月入8000元以上。", "在家刷单，月入8000元以上。", "investment_return_promise"),
]

QUESTIONS = [
    # doubt in the question itself, and a question answered "no" in the next sentence
    ("food", "喝这款茶真的能降血压吗？不，控制血压要靠规范用药。", "喝这款茶能降血压。", "disease_claim_non_medical"),
    ("health_food", "吃这个就能根治糖尿病吗？不能，糖尿病需要在医生指导下长期治疗。本品不能代替药物。",
     "吃这个就能根治糖尿病，三个疗程见效。本品不能代替药物。", "medical_efficacy_claim"),
    ("general", "这种茶能治愈癌症？不，没有任何食品能治愈癌症。", "这种茶能治愈癌症。", "disease_claim_non_medical"),
    # a question answered "yes" is still a claim
    ("general", "这种茶能治愈癌症吗？当然不能。", "这种茶能治愈癌症吗？不用怀疑，它能。", "disease_claim_non_medical"),
]

HEALTH_CONTEXTS = [
    ("general", "厨房清洁剂，用了一周，灶台油污全没了。", "这款茶喝了一周，高血压全没了。", "disease_claim_non_medical"),
    ("general", "社区义诊：免费测血压、血糖，专家现场解答高血压防治问题。", "本茶可治疗高血压。",
     "disease_claim_non_medical"),
    ("general", "癌症早筛可以提高治愈率。", "本品治愈率高达95%。", "disease_claim_non_medical"),
    ("general", "高血压患者需长期服药控制血压，不可擅自停药。", "喝本茶控制血压，不用再吃降压药。",
     "disease_claim_non_medical"),
    ("general", "接种HPV疫苗可以预防宫颈癌。", "喝本品可以预防宫颈癌。", "disease_claim_non_medical"),
    ("food", "多吃蔬菜水果，有助于预防便秘。", "多喝本品酸奶，预防便秘。", "disease_claim_non_medical"),
    ("general", "植物医生：防治月季黑斑病、白粉病。", "本茶防治胃溃疡。", "disease_claim_non_medical"),
    ("general", "AI辅助诊断系统可以帮助医生发现早期肺癌。", "本仪器促进生发，告别脱发。", "disease_claim_non_medical"),
    ("finance", "购买防癌险，万一患上癌症，可获得治疗费用补偿。", "本产品可以防癌抗癌。", "disease_claim_non_medical"),
    ("finance", "癌症特药保障：覆盖100种抗癌特药，直付到药店。", "本茶能抗癌。", "disease_claim_non_medical"),
    ("food", "低GI食品，适合控制血糖人群选用。", "低GI饼干，帮助控制血糖。", "disease_claim_non_medical"),
    ("general", "肺癌是我国发病率最高的癌症。", "本品是疗效最高的抗癌产品。", "absolute_claim"),
    ("general", "电影讲述一位母亲陪伴女儿战胜白血病的故事。", "喝本品战胜白血病。", "disease_claim_non_medical"),
    ("general", "研究人员发现一种新药可以抑制肿瘤生长，目前仍在临床试验阶段。", "本茶可以抑制肿瘤生长。",
     "disease_claim_non_medical"),
    ("medical_service", "双眼皮手术后一般需要7天拆线，1至3个月逐渐恢复自然。", "双眼皮3天恢复自然，看不出痕迹。",
     "medical_efficacy_claim"),
]

FINANCE = [
    ("finance", "XX银行理财产品，业绩比较基准为年化3.2%-3.8%。业绩比较基准不是预期收益率，不代表产品的未来表现和实际收益。",
     "XX银行理财产品，年化收益3.8%，到期保本。", "investment_return_promise"),
    ("finance", "货币基金七日年化收益率1.8%，历史收益不代表未来表现。", "货币基金七日年化收益率1.8%，天天赚钱。",
     "investment_return_promise"),
    ("finance", "本产品为固定收益类产品，业绩比较基准年化4%，理财非存款，产品有风险，投资须谨慎。",
     "本产品固定收益，年化4%。", "investment_return_promise"),
    ("finance", "本行三年期大额存单利率2.35%，20万元起存，保本保息。", "本平台理财产品保本保息，比大额存单收益高。",
     "investment_return_promise"),
    ("finance", "我行存款产品保本保息，受《存款保险条例》保护。", "我们的理财产品保本保息。", "investment_return_promise"),
    ("finance", "养老金账户：每月领取2000元，领取金额以合同约定为准。", "投资本项目，每月领取收益2000元。",
     "investment_return_promise"),
    ("finance", "年金险：60岁起每年领取1万元，保证领取20年，合同约定。", "加盟本店，每年领取分红10万元。",
     "investment_return_promise"),
    ("finance", "教育金：孩子18岁起每年领取2万元，合同约定。", "投资本项目，每年领取收益2万元。", "investment_return_promise"),
    ("finance", "存款保险制度：同一存款人在同一家银行所有存款账户的本金和利息合并计算，最高偿付限额为人民币50万元。",
     "本平台收益最高，风险最低。", "absolute_claim"),
]

ABSOLUTE_AND_NOTICES = [
    ("food", "招牌菜“天下第一鲜”鱼头汤，每日限量30份。", "我们的鱼头汤天下第一鲜，全城最好喝。", "absolute_claim"),
    ("general", "天下第一楼烤鸭店始创于1864年。", "我们的烤鸭天下第一。", "absolute_claim"),
    ("general", "全国第一家无人超市2017年在杭州开业。", "我们是全国第一的超市品牌。", "absolute_claim"),
    ("general", "第一名学员可获赠一份礼品。", "本机构教学质量全国第一名。", "absolute_claim"),
    ("general", "本店招牌菜：至尊海鲜大咖。", "本店海鲜至尊品质，全城最好。", "absolute_claim"),
    ("education", "学员须知：课程结束后须参加结业考试，考试不合格可申请补考一次。本课程不承诺效果。",
     "学员王同学：上完课考了高分，强烈推荐！", "improper_endorsement"),
    ("finance", "投资者教育专栏：年化收益率是把当期收益换算成一年的收益率。", "投资者张先生：跟着买了一年，赚了20万！",
     "investment_return_promise"),
    ("general", "本空调节能效果保证一级能效。", "本减肥茶效果保证，无效退款。", "guaranteed_outcome"),
    ("general", "XX特效洗洁精，去油污。", "XX特效药茶，专治胃病。", "disease_claim_non_medical"),
    ("general", "把世界上最好的产品带给中国消费者。", "我们的产品是世界上最好的。", "absolute_claim"),
    ("general", "国家级、最高级、最佳等用语在广告中一律不能使用吗？", "本品国家级品质，效果最佳。", "absolute_claim"),
    ("general", "中国最美乡村婺源，油菜花正盛。", "婺源最美的民宿，就是我们家。", "absolute_claim"),
    ("general", "世界第一的珠峰，等你来挑战。", "我们的登山装备世界第一。", "absolute_claim"),
    ("general", "全国唯一一家获得五星级认证的酒店（XX星级饭店评定委员会2023年评定）。", "全国唯一的五星服务，品质最好。",
     "absolute_claim"),
    ("cosmetics", "化妆品宣称“无添加”，往往是为了迎合消费者的心理。", "本面霜无添加，孕妇可用。", "cosmetics_claim"),
    ("cosmetics", "冻龄、逆龄、返老还童等说法属于夸大宣传。", "用了这瓶精华，逆龄十岁。", "cosmetics_claim"),
    ("medical_service", "术前术后对比图仅作为病历资料保存。", "术前术后对比，判若两人。", "before_after"),
    ("finance", "结构性存款，保本浮动收益，年化1.5%-3.0%。投资有风险。", "本理财产品保本浮动收益，年化5%。",
     "investment_return_promise"),
]

PAIRS = QUOTED_AND_REPORTED + QUESTIONS + HEALTH_CONTEXTS + FINANCE + ABSOLUTE_AND_NOTICES


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), PAIRS)
def test_a_lawful_kind_is_not_blocked(industry: str, clean: str, violating: str, category: str) -> None:
    assert_not_blocked("zh", industry, clean, "lawful kind")


@pytest.mark.parametrize(("industry", "clean", "violating", "category"), PAIRS)
def test_its_violating_twin_is_still_caught(industry: str, clean: str, violating: str, category: str) -> None:
    assert_caught("zh", industry, violating, category, "violating twin")


def test_a_question_answered_yes_is_still_a_claim() -> None:
    """denied_question needs an answer of "no" (不能, 并不, 当然不…) somewhere in the text: 不用怀疑 is a yes."""
    findings = load_checker("zh", "general").check("这种茶能治愈癌症吗？不用怀疑。")
    assert ("zh.health.cure", "high") in {(f.rule, f.severity) for f in findings}


def test_a_stain_word_beside_a_disease_leaves_the_disease_found() -> None:
    """The cleaning exception must overlap the finding: 胃病 in the same sentence is still a claim."""
    findings = load_checker("zh", "general").check("用了一周，油污全没了，喝了本茶胃病也好了。")
    assert "disease_claim_non_medical" in {f.category for f in findings}
