"""Chinese recall by kind (issue 13, round 3): endorsements, education promises, cosmetics claims, guarantees
and yields worded outside the phrase lists, each in its tier.

Every rule added this round has a violating phrasing (caught in its category) and a lawful look-alike (not
blocked). Where the law bars the wording outright the finding is high; where the claim is lawful only with
a fact the text cannot show (an efficacy report, a registration) or needs a reviewer's look (a named endorser
in a general ad) it is medium and never blocks — those cases assert the severity too.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (kind, industry, text, category): a high or critical finding of the category is expected
BLOCKED = [
    # a described professional, an institution's title or affiliation (广告法第十六条、第十八条)
    ("credential", "pharma", "中医药大学附属医院主任医师亲自讲解这款药", "improper_endorsement"),
    ("credential", "health_food", "京城名医坐诊推荐，调理气血", "improper_endorsement"),
    ("affiliation", "health_food", "本品为某医科大学学术指导单位研发", "improper_endorsement"),
    ("affiliation", "medical_device", "技术支持：某某生物医学研究院", "improper_endorsement"),
    ("invited", "medical_service", "特邀三甲医院专家坐诊，名额有限", "improper_endorsement"),
    ("health_expert", "health_food", "某教授团队历时十年研制的保健酒", "improper_endorsement"),
    ("health_expert", "health_food", "营养专家提醒：每天两粒，全家安心", "improper_endorsement"),
    ("vouching", "education", "名师都在用的刷题本", "improper_endorsement"),
    ("vouching", "finance", "知名经济学家亲测的理财组合", "improper_endorsement"),
    ("vouching", "finance", "资深分析师见证，这套策略稳健", "improper_endorsement"),
    ("health_expert", "health_food", "养生专家现场讲解，免费品尝", "improper_endorsement"),
    ("health_expert", "health_food", "身穿白大褂的专家讲解产品功效", "improper_endorsement"),
    ("face", "health_food", "演员王小明：我每天都喝这个", "improper_endorsement"),
    # a beneficiary's result (患者、消费者、学员 + 使用 + 结果; 某姓消费者; 女士（58岁）)
    ("beneficiary", "pharma", "宋姓患者服用两个疗程后血糖恢复正常", "improper_endorsement"),
    ("beneficiary", "health_food", "王女士（58岁）：喝了三个月，睡眠好多了", "improper_endorsement"),
    ("beneficiary", "education", "学员小陈学了两个月就考上了研究生", "improper_endorsement"),
    ("testimony", "education", "学员真实感言：三个月过了CPA", "improper_endorsement"),
    ("testimony", "finance", "投资者收益截图，每天都有人赚", "improper_endorsement"),
    # lineage and court remedies in health ads
    ("lineage", "health_food", "宫廷秘方，御医后人亲制", "improper_endorsement"),
    ("lineage", "medical_device", "祖传七代，中医世家手工膏贴", "improper_endorsement"),
    # authorities' names
    ("organ", "general", "人民大会堂指定用酒", "improper_endorsement"),
    ("organ", "food", "部队特供大米，军方采购", "improper_endorsement"),
    ("media", "health_food", "中华医学会推荐产品", "improper_endorsement"),
    ("media", "education", "央视报道品牌，值得信赖", "improper_endorsement"),
    # guarantees outside 保/包/稳
    ("certain", "general", "坚持使用，一定能瘦下来", "guaranteed_outcome"),
    ("certain", "general", "确保三周见效", "guaranteed_outcome"),
    ("certain", "cosmetics", "百分百有效果，用过都说好", "guaranteed_outcome"),
    ("rate", "general", "防脱精油有效率100%", "guaranteed_outcome"),
    # yields in any ad
    ("yield", "general", "加盟店月利润3万，当年回本", "investment_return_promise"),
    ("yield", "general", "日收益500元，在家就能做", "investment_return_promise"),
    ("yield", "finance", "保本付息，月收益1.5%", "investment_return_promise"),
    ("yield", "finance", "跟着买，本金翻了3倍", "investment_return_promise"),
    # education (广告法第二十四条)
    ("exam", "education", "考前密训班，押中12道大题", "education_result_promise"),
    ("exam", "education", "命题研究组老师亲自授课", "education_result_promise"),
    ("exam", "education", "原题命中率高达80%", "education_result_promise"),
    ("proof", "education", "喜报：我校32名学员成功上岸", "education_result_promise"),
    ("proof", "education", "恭喜张同学考上理想的研究生", "education_result_promise"),
    ("proof", "education", "学员平均提高了35分", "education_result_promise"),
    ("zero", "education", "零基础3个月上岸公务员", "education_result_promise"),
    ("zero", "education", "学完即可就业，就业无忧", "education_result_promise"),
    ("certain", "education", "保证每位学员都能取得证书", "education_result_promise"),
    ("certain", "education", "承诺学员考试不通过退还全部费用", "education_result_promise"),
    ("learn", "education", "包教包会，学不会免费重学", "education_result_promise"),
    ("learn", "education", "志愿填报成功率98%，零滑档", "education_result_promise"),
    ("learn", "education", "驾校当月拿证", "education_result_promise"),
    ("range", "education", "冲刺班三周提升5—8分", "education_result_promise"),
    ("assured", "general", "确保您的投资获得稳定回报", "investment_return_promise"),
    ("lineage", "medical_device", "出身藏医世家的老师傅亲手熬制", "improper_endorsement"),
    # cosmetics: effects no cosmetic may claim, and edible claims
    ("medical", "cosmetics", "丰胸精油，按摩一个月升杯", "cosmetics_claim"),
    ("medical", "cosmetics", "生发洗发水，长出新发", "cosmetics_claim"),
    ("medical", "cosmetics", "去除痘坑疤痕的面霜", "cosmetics_claim"),
]

# (kind, industry, text, category): findings of the category, all medium at most ("needs evidence" or review);
# another category's rule may still block the text (祖传…调理 is also a health claim)
REVIEWED = [
    ("credential", "general", "中国科学院研究员团队研发的净水器", "improper_endorsement"),
    ("vouching", "general", "著名歌手也在用的蓝牙耳机", "improper_endorsement"),
    ("beneficiary", "general", "消费者刘女士说：这款拖把很好用", "improper_endorsement"),
    ("lineage", "general", "祖传五代中医足贴，泡脚调理身体", "improper_endorsement"),
    ("media", "general", "央视合作伙伴，品质保障", "improper_endorsement"),
    ("affiliation", "general", "某研究院技术指导单位，品质可靠", "improper_endorsement"),
    ("face", "general", "品牌代言人：刘某某", "improper_endorsement"),
    ("face", "general", "王一博同款卫衣", "improper_endorsement"),
    ("image", "general", "包装印有某院士照片", "improper_endorsement"),
    ("pay", "general", "不成功不收费，先看效果后付款", "guaranteed_outcome"),
    ("complete", "general", "彻底解决下水道反味", "guaranteed_outcome"),
    ("complete", "general", "灭蟑成功率95%", "guaranteed_outcome"),
    ("exercise", "general", "腹肌贴每分钟相当于做1000次仰卧起坐", "guaranteed_outcome"),
    ("score", "education", "高效提分，课后答疑", "education_result_promise"),
    ("tips", "finance", "老师带单，每日荐股", "investment_return_promise"),
    ("past", "finance", "近一年净值增长率23.5%", "investment_return_promise"),
    ("special", "cosmetics", "这款精华能美白，有效淡化色斑", "cosmetics_claim"),
    ("special", "cosmetics", "美白效果显著的精华液", "cosmetics_claim"),
    ("special", "cosmetics", "这款洗发水能有效防脱", "cosmetics_claim"),
    ("evaluation", "cosmetics", "这款面霜能抗皱，深层控油", "cosmetics_claim"),
    ("evaluation", "cosmetics", "93%受试者细纹改善", "cosmetics_claim"),
    ("concept", "cosmetics", "量子美白技术，焕亮肌肤", "cosmetics_claim"),
    ("edible", "cosmetics", "食品级原料，宝宝可以吃的面霜", "cosmetics_claim"),
]

# (kind, industry, text): lawful look-alikes, no high or critical finding
LOOK_ALIKES = [
    ("credential", "education", "主讲老师毕业于师范大学，教龄十年"),
    ("credential", "finance", "首席经济学家解读本季度宏观数据"),
    ("advice", "pharma", "请仔细阅读说明书并在医生指导下使用"),
    ("advice", "health_food", "营养师建议：每天吃够五种颜色的蔬菜"),
    ("hiring", "medical_service", "诚聘主治医师两名，待遇面议"),
    ("vouching", "education", "名师授课，小班教学"),
    ("beneficiary", "health_food", "服用后如有不适，请停止使用并咨询医生"),
    ("beneficiary", "general", "联系人：王先生，电话请见官网"),
    ("beneficiary", "general", "经测试，部分用户反馈使用该产品后有明显改善"),
    ("testimony", "education", "学员反馈渠道为在线客服，工作日回复"),
    ("lineage", "food", "祖传秘方卤牛肉，老字号三代传承"),
    ("organ", "general", "国家药监局提醒：化妆品不能宣称治疗作用"),
    ("media", "education", "学校是中国教育学会会员单位之一"),
    ("certain", "general", "一定要注意防晒，出门记得补涂"),
    ("certain", "general", "确保产品质量安全有效，请在有效期内使用"),
    ("certain", "education", "一定要通过官方渠道报名"),
    ("rate", "general", "灭蟑成功率95%"),
    ("yield", "general", "月销量3万件，好评如潮"),
    ("yield", "general", "贷款年化利率3.65%起，按日计息"),
    ("yield", "finance", "储蓄国债到期还本付息，三年期票面利率2.38%"),
    ("yield", "finance", "高收益往往伴随高风险，投资需谨慎"),
    ("yield", "finance", "理财产品收益率超过8%就要打问号，谨防损失本金"),
    ("assured", "general", "保障投资者合法权益，依法披露信息"),
    ("range", "education", "本次测验满分100分，及格线60—70分"),
    ("exercise", "general", "每天坚持运动一小时，身体更健康"),
    ("yield", "finance", "近一年净值增长率23.5%。过往业绩不代表未来表现，投资有风险"),
    ("exam", "education", "命题作文写作技巧课，每周一次"),
    ("exam", "education", "部分机构打着命题研究组的旗号，组织所谓的“考前密训”"),
    ("proof", "education", "同学们好，今天我们讲函数"),
    ("zero", "education", "课程面向零基础学员，共3个月"),
    ("learn", "education", "学会使用思维导图整理笔记"),
    ("face", "general", "情侣同款T恤，两件包邮"),
    ("face", "general", "招募品牌推荐官，欢迎报名"),
    ("cosmetics", "cosmetics", "温和清洁洗面奶，泡沫绵密"),
    ("cosmetics", "cosmetics", "保湿面霜，水润一整天"),
    ("cosmetics", "cosmetics", "控油洗面奶，泡沫细腻"),
    ("cosmetics", "cosmetics", "温和修护，舒缓肌肤"),
    ("cosmetics", "cosmetics", "牙齿美白前先做口腔检查"),
    ("cosmetics", "cosmetics", "本产品不含激素，敏感肌请先做局部测试"),
    ("cosmetics", "cosmetics", "请勿食用，避免接触眼睛"),
    ("cosmetics", "cosmetics", "在我国并没有“药妆”“医学护肤品”的界定"),
    ("cosmetics", "cosmetics", "纳米级研磨的粉底，妆感轻薄"),
    ("cosmetics", "cosmetics", "SPF50+ PA++++ 清爽防晒乳"),
    ("yield", "general", "年化收益12%，稳稳的幸福"),
    ("certain", "education", "本课程不承诺考试通过率，学习效果因人而异"),
]


@pytest.mark.parametrize(("kind", "industry", "text", "category"), BLOCKED)
def test_a_violation_is_found_in_its_category_and_blocks(kind: str, industry: str, text: str, category: str) -> None:
    findings = load_checker("zh", industry).check(text)
    severities = {f.severity for f in findings if f.category == category}
    assert severities & {"high", "critical"}, f"{kind}: {text!r} gave {[(f.rule, f.severity) for f in findings]}"


@pytest.mark.parametrize(("kind", "industry", "text", "category"), REVIEWED)
def test_a_claim_needing_evidence_or_review_is_found_at_medium(
    kind: str, industry: str, text: str, category: str
) -> None:
    assert_caught("zh", industry, text, category, kind)
    findings = load_checker("zh", industry).check(text)
    assert {f.severity for f in findings if f.category == category} <= {"medium", "low"}, f"{kind}: {text!r}"


@pytest.mark.parametrize(("kind", "industry", "text"), LOOK_ALIKES)
def test_a_lawful_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("zh", industry, text, kind)


@pytest.mark.parametrize(
    ("text", "fact", "rule"),
    [
        ("这款精华能美白，有效淡化色斑", "cosmetics_registration", "zh.cosmetics.special_whitening"),
        ("每天用它，能抗皱紧致", "efficacy_report", "zh.cosmetics.efficacy_needs_evaluation"),
        ("93%受试者细纹改善", "efficacy_report", "zh.cosmetics.rated_efficacy"),
    ],
)
def test_a_cosmetics_claim_is_cleared_by_the_fact_it_needs(text: str, fact: str, rule: str) -> None:
    assert rule in {f.rule for f in load_checker("zh", "cosmetics").check(text)}
    cleared = load_checker("zh", "cosmetics", facts=frozenset({fact})).check(text)
    assert rule not in {f.rule for f in cleared}


def test_the_same_endorsement_blocks_where_the_law_bars_it_and_is_reviewed_elsewhere() -> None:
    text = "中国科学院研究员团队研发的净水器"
    regulated = load_checker("zh", "health_food").check(text)
    general = load_checker("zh", "general").check(text)
    assert any(f.category == "improper_endorsement" and f.severity == "high" for f in regulated)
    endorsements = [f for f in general if f.category == "improper_endorsement"]
    assert endorsements and all(f.severity == "medium" for f in endorsements)


def test_a_finding_quotes_the_text_as_written_and_says_why_in_chinese() -> None:
    text = "吕姓消费者：用了一月后血压正常"
    finding = next(f for f in load_checker("zh", "pharma").check(text) if f.rule == "zh.endorse.beneficiary_result")
    assert (finding.term, text[finding.start : finding.end]) == ("吕姓消费者", "吕姓消费者")
    assert "受益者" in finding.message
