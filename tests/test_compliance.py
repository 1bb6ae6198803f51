"""The copy checker on hand-written copy: exact findings, context filters, industry gating, Copy rules terms, packs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sheetsync.engine.compliance import CATEGORIES, SEVERITIES, CustomTerm, Finding, RulePackError, load_checker
from sheetsync.engine.compliance_rules import HEALTH_CLAIM, default_rules_dir, load_pack
from sheetsync.errors import SheetsyncError, UsageError

RULES = Path(__file__).resolve().parents[1] / "templates" / "rules"
PACKS = sorted(RULES.glob("*.toml"))


def spans(findings: list[Finding]) -> list[tuple[str, str, str, int, int]]:
    return [(f.category, f.severity, f.term, f.start, f.end) for f in findings]


def categories(market: str, industry: str, text: str) -> set[str]:
    return {f.category for f in load_checker(market, industry).check(text)}


# --- exact findings ---------------------------------------------------------


def test_zh_absolute_claims_point_at_the_term() -> None:
    text = "全网销量第一的空气炸锅，效果最好！"
    findings = load_checker("zh", "general").check(text)
    assert spans(findings) == [
        ("absolute_claim", "high", "销量第一", 2, 6),
        ("absolute_claim", "high", "最好", 14, 16),
    ]
    first = findings[0]
    assert first.rule == "zh.absolute.first"
    assert first.source.startswith("《中华人民共和国广告法》第九条第（三）项")
    assert first.message.startswith("“销量第一”属于") or first.message.startswith("“销量第一”是")
    assert first.suggestion


def test_en_superlative_is_medium_with_english_message() -> None:
    text = "The best coffee maker you'll ever own."
    (finding,) = load_checker("en", "general").check(text)
    assert (finding.category, finding.severity, finding.term, finding.start, finding.end) == (
        "absolute_claim", "medium", "best", 4, 8,
    )
    assert finding.message.startswith('"best" is an absolute or superlative claim')
    assert "FTC" in finding.source


def test_every_finding_quotes_the_original_text() -> None:
    text = "會計證考前衝刺班，包過包拿證。世界級工藝！"
    findings = load_checker("zh", "education").check(text)
    assert [(f.category, f.term) for f in findings] == [
        ("education_result_promise", "包過"),
        ("education_result_promise", "包拿證"),
        ("absolute_claim", "世界級"),
    ]
    assert all(text[f.start:f.end] == f.term for f in findings)


@pytest.mark.parametrize(
    ("market", "industry", "text", "expected"),
    [
        ("zh", "general", "稳赚不赔，宝妈在家月入过万！", {("investment_return_promise", "critical", "稳赚不赔"), ("investment_return_promise", "critical", "月入过万")}),
        ("zh", "education", "考研包过班，不过全额退费！", {("education_result_promise", "high", "包过"), ("education_result_promise", "high", "不过全额退费")}),
        ("zh", "general", "7天瘦10斤，永不反弹", {("guaranteed_outcome", "high", "7天瘦10斤"), ("guaranteed_outcome", "high", "永不反弹")}),
        ("zh", "cosmetics", "使用前 vs 使用28天后，毛孔变细", {("before_after", "medium", "使用前 vs 使用28天后")}),
        ("zh", "general", "你是不是经常失眠？试试这款香薰", {("personal_attribute", "high", "你是不是经常失眠")}),
        ("zh", "general", "0元领取按摩仪，只需支付运费", {("misleading_price_offer", "medium", "0元领取")}),
        ("zh", "general", "原价2999，限时秒杀99元", {("misleading_price_offer", "medium", "原价2999")}),
        ("zh", "general", "亲测好用，链接在左下角", {("missing_ad_disclosure", "medium", "链接"), ("missing_ad_disclosure", "medium", "左下角")}),
        ("zh", "general", "央视推荐的好茶", {("improper_endorsement", "high", "央视推荐")}),
        ("en", "finance", "Guaranteed 12% annual returns.", {("investment_return_promise", "critical", "Guaranteed 12% annual returns")}),
        ("en", "general", "Are you overweight? Try our meal kits.", {("personal_attribute", "high", "Are you overweight")}),
        ("en", "general", "Lose 20 lbs in 2 weeks!", {("guaranteed_outcome", "medium", "Lose 20 lbs in 2 weeks")}),
        ("en", "cosmetics", "Before and after 4 weeks of our serum", {("before_after", "medium", "Before and after")}),
        ("en", "general", "My go-to blender, tap the link in my bio to grab yours", {("missing_ad_disclosure", "medium", "tap the link")}),
        ("en", "general", "Free sample, just cover S&H", {("misleading_price_offer", "medium", "Free sample")}),
        ("en", "education", "Boost your GMAT by 100 points, guaranteed.", {("education_result_promise", "high", "Boost your GMAT by 100 points")}),
        ("en", "health_food", "As seen on Shark Tank!", {("improper_endorsement", "high", "As seen on Shark Tank")}),
    ],
)
def test_category_severity_and_term(market: str, industry: str, text: str, expected: set[tuple[str, str, str]]) -> None:
    findings = load_checker(market, industry).check(text)
    assert {(f.category, f.severity, f.term) for f in findings} == expected
    assert all(text[f.start:f.end] == f.term for f in findings)


def test_findings_sorted_without_same_category_overlap() -> None:
    text = "国家级最高级品质，全网最低价，稳赚不赔保本保息"
    findings = load_checker("zh", "general").check(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for a in findings:
        for b in findings:
            if a is not b and a.category == b.category:
                assert a.end <= b.start or b.end <= a.start
    assert len(set(findings)) == len(findings)


# --- context filters: not a claim ---------------------------------------------


@pytest.mark.parametrize(
    ("market", "industry", "text"),
    [
        ("zh", "general", "1969年人类第一次登上月球，本周末天文馆特别展映。"),  # ordinal
        ("zh", "general", "《深夜食堂》第一季第三集里那道猫饭，我们复刻出来了。"),  # title, ordinal
        ("zh", "general", "本品最佳食用期为12个月，开封后最好冷藏。"),  # consumer tip
        ("zh", "general", "最新一期播客上线啦；最近我们搬到了人民路。"),  # time words
        ("zh", "general", "最高可减50元，最多可省200元。"),  # limits, not claims
        ("zh", "general", "我们致力于做最好的产品。"),  # aspiration (SAMR 2023 guide)
        ("zh", "general", "我们不敢说是最好的，但一定是用心的。"),  # negation
        ("zh", "general", "我们赞助的龙舟队在端午邀请赛中获得第一名！"),  # sports result
        ("zh", "general", "本周末，「唯一」咖啡馆推出桂花拿铁。"),  # a shop's name
        ("zh", "general", "国家级非物质文化遗产传承人现场制作。"),  # official title
        ("zh", "general", "谨防“稳赚不赔”的理财骗局。"),  # consumer warning
        ("zh", "finance", "本产品不承诺保本，不保证收益，过往业绩不代表未来表现。"),  # disclaimer
        ("zh", "education", "本课程不承诺考试通过率，学习效果因人而异。"),
        ("zh", "health_food", "本品不能代替药物，不具有疾病治疗功能。"),  # mandatory statement
        ("zh", "general", "#广告 感谢品牌赞助，链接在评论区。"),  # labelled ad
        ("zh", "general", "5公里内免费送货上门；公开课免费试听，无需付款。"),  # genuinely free
        ("zh", "cosmetics", "使用前请摇匀，使用后请盖紧瓶盖。"),  # directions, not a comparison
        ("zh", "general", "你喜欢喝咖啡还是喝茶？"),  # a question about taste, not a personal attribute
        ("en", "general", "Best before: see lid. Shake well before use."),
        ("en", "general", "Stay at the Best Western on Harbor Road; meet us at First Avenue."),
        ("en", "general", "Winner of the 2024 James Beard Award for Best Chef."),
        ("en", "general", "Get 10% off your first order. The first 100 customers get a tote."),
        ("en", "general", "Step #1: preheat the oven."),
        ("en", "health_food", "This product is not intended to diagnose, treat, cure or prevent any disease."),
        ("en", "finance", "No investment is risk-free. Guaranteed returns are a red flag."),
        ("en", "general", "#ad Obsessed with this serum! Use my code GLOW for 15% off."),
        ("en", "general", "Free shipping on orders over $50. Free returns within 30 days."),
        ("en", "general", "Are you ready for summer? Our swim line just dropped."),
        ("en", "general", "Before and after dinner, our rooftop bar serves mocktails."),
    ],
)
def test_context_filters_clear_non_claims(market: str, industry: str, text: str) -> None:
    assert load_checker(market, industry).check(text) == []


# --- phrasing families: invented copy, exact spans ------------------------------


@pytest.mark.parametrize(
    ("market", "industry", "text", "expected"),
    [
        # endorsement: doctors as a group, beneficiary signatures, named universities, counts of professionals, institutions
        ("zh", "health_food", "李医生都夸这款鱼油好", [("improper_endorsement", "医生都夸", 1, 5)]),
        ("zh", "general", "哈佛博士团队研发的助眠喷雾", [("improper_endorsement", "哈佛博士团队研发", 0, 8)]),
        ("zh", "finance", "去年跟着老师操作，收益翻了三倍。——股民陈女士", [("investment_return_promise", "收益翻了三倍", 9, 15), ("improper_endorsement", "——股民陈女士", 16, 23)]),
        ("en", "medical_device", "4 out of 5 dentists recommend our whitening strips.", [("improper_endorsement", "4 out of 5 dentists recommend", 0, 29)]),
        ("en", "health_food", "Approved by the National Sleep Foundation.", [("improper_endorsement", "Approved by the National Sleep Foundation", 0, 41)]),
        # investment: periodic yields, losses covered, earnings stories, no-loss records
        ("zh", "finance", "日收益2%，随时提现", [("investment_return_promise", "日收益2%", 0, 5)]),
        ("zh", "finance", "亏损由平台兜底，放心投", [("investment_return_promise", "亏损由平台兜底", 0, 7)]),
        ("zh", "general", "群里老师带着操作，一个月赚了3万", [("investment_return_promise", "一个月赚了3万", 9, 16)]),
        ("en", "finance", "Our fund has never had a losing year.", [("investment_return_promise", "never had a losing year", 13, 36)]),
        ("en", "finance", "Earn 2% a day with our staking pool.", [("investment_return_promise", "Earn 2% a day", 0, 13)]),
        ("en", "finance", "This fund is completely risk-free.", [("investment_return_promise", "completely risk-free", 13, 33)]),
        # education: signed guarantees, free repeat on failure, refund tied to a result, "guaranteed" jobs
        ("zh", "education", "口语课签约保分，未达标免费重读", [("education_result_promise", "签约保分", 3, 7), ("education_result_promise", "未达标免费重读", 8, 15)]),
        ("en", "education", "Pass the bar on your first attempt or we refund your tuition.", [("education_result_promise", "Pass the bar on your first attempt or we refund", 0, 47)]),
        ("en", "education", "Get hired within 90 days — guaranteed.", [("education_result_promise", "hired within 90 days — guaranteed", 4, 37)]),
        # guaranteed outcome: instant change, permanence, guaranteed body result by a date, refund tied to a result
        ("zh", "general", "戴上这款塑形内衣，一穿就显瘦", [("guaranteed_outcome", "一穿就显瘦", 9, 14)]),
        # (in cosmetics the permanence and the time are also efficacy claims needing evidence: cosmetics_claim)
        ("en", "cosmetics", "Permanent hair removal in one session.", [("cosmetics_claim", "Permanent hair removal", 0, 22), ("guaranteed_outcome", "Permanent hair removal", 0, 22), ("cosmetics_claim", "one session", 26, 37)]),
        ("en", "cosmetics", "Guaranteed glowing skin in 14 days.", [("guaranteed_outcome", "Guaranteed glowing skin in 14 days", 0, 34), ("cosmetics_claim", "14 days", 27, 34)]),
        ("en", "general", "Squat 100 kg in 8 weeks or your next month is on us.", [("guaranteed_outcome", "in 8 weeks or your next month is on us", 13, 51)]),
        # before/after: two pictures described, day N vs day M, pre-/post- pairs
        ("zh", "cosmetics", "上图是刚开始的样子，下图是坚持两个月后", [("before_after", "上图是刚开始的样子，下图是", 0, 13)]),
        ("zh", "general", "第1天 vs 第30天，腰线出来了", [("before_after", "第1天 vs 第30天", 0, 11)]),
        ("en", "general", "Week 1 vs week 8 — see the difference.", [("before_after", "Week 1 vs week 8", 0, 16)]),
        ("en", "cosmetics", "Pre-op vs post-op photos of our clinic's patients.", [("before_after", "Pre-op vs post-op", 0, 17)]),
        # personal attributes: readings, bodily complaints, bare questions, age-bound status
        ("zh", "general", "您的血糖偏高？试试这款杂粮", [("personal_attribute", "您的血糖偏高", 0, 6)]),
        ("zh", "general", "你是不是也有口臭的困扰？", [("personal_attribute", "你是不是也有口臭", 0, 8)]),
        ("en", "general", "Feeling depressed? Our app can help.", [("personal_attribute", "Feeling depressed?", 0, 18)]),
        ("en", "general", "Still single at 40? Meet someone new.", [("personal_attribute", "Still single at 40?", 0, 19)]),
        # price: free recovered through fees, reference prices, urgency about the original price
        ("zh", "general", "免费领取体检套餐，到店需缴纳耗材费88元", [("misleading_price_offer", "免费领取", 0, 4)]),
        ("zh", "general", "专柜价1299元，今天只要199", [("misleading_price_offer", "专柜价1299", 0, 7)]),
        ("zh", "general", "活动结束恢复原价，抓紧下单", [("misleading_price_offer", "活动结束恢复原价", 0, 8)]),
        ("en", "general", "FREE phone! Just pay a $49 activation fee.", [("misleading_price_offer", "FREE phone", 0, 10)]),
        ("en", "general", "Try it free for 14 days, then $19.99/month.", [("misleading_price_offer", "free", 7, 11)]),
        ("en", "general", "Was $200, now just $59.", [("misleading_price_offer", "Was $200, now just", 0, 18)]),
        # disclosure: creator voice plus a way to buy, no label
        ("zh", "cosmetics", "这支唇釉我天天用，粉丝专属价在我橱窗里", [("missing_ad_disclosure", "专属价", 11, 14), ("missing_ad_disclosure", "橱窗", 16, 18)]),
        ("en", "general", "Got this jacket last month and I wear it daily — swipe up to shop.", [("missing_ad_disclosure", "swipe up", 49, 57)]),
        # absolute: "king of" titles and No.1 right after Chinese characters
        ("zh", "cosmetics", "这款面膜是补水之王，全网NO.1", [("absolute_claim", "补水之王", 5, 9), ("absolute_claim", "NO.1", 12, 16)]),
    ],
)
def test_phrasing_families(market: str, industry: str, text: str, expected: list[tuple[str, str, int, int]]) -> None:
    findings = load_checker(market, industry).check(text)
    assert [(f.category, f.term, f.start, f.end) for f in findings] == expected


@pytest.mark.parametrize(
    ("market", "industry", "text"),
    [
        ("zh", "general", "环保分类垃圾桶，面包分享装，确保进度"),  # 保分 / 包分 / 保进 inside other words
        ("zh", "education", "不过退款需要3个工作日，请耐心等待。"),  # 不过 = "however"
        ("zh", "general", "上面是外套，下面是半裙，今日穿搭。"),  # an outfit, not two photos
        ("zh", "general", "以前的我不懂理财，现在每月记账。"),  # a story, not a body comparison
        ("zh", "education", "免费试听，值得购买。"),  # 值得 is not a fee
        ("zh", "general", "运费由我们承担，七天免费退换。"),  # the seller pays
        ("zh", "general", "这款偏大，建议拍小一码。"),  # sizing tip
        ("zh", "general", "产品参数对比图见详情页。"),  # a spec comparison
        ("zh", "pharma", "医生建议您按时服药；请在医生指导下使用。"),  # mandatory advice
        ("zh", "general", "你是不是也想拥有一个小花园？"),  # a wish, not an attribute
        ("zh", "general", "新品上市，点击链接了解详情。"),  # brand voice, no sharing
        ("zh", "finance", "本金有亏损风险，过往业绩不代表未来表现。"),  # risk statement
        ("en", "general", "Free parking and no hidden fees."),
        ("en", "general", "Doctors recommend getting 7 hours of sleep — our mattress helps you get there."),
        ("en", "general", "5 stars — customers love it."),
        ("en", "general", "Shop now — our new collection is here."),
        ("en", "general", "Stretch before and after workouts to avoid injury."),
        ("en", "general", "Pre-order now and post a photo with #MyMug."),
        ("en", "finance", "Your data is 100% safe with bank-level encryption."),
        ("en", "general", "Free gift with purchase — dresses only $20."),
        ("en", "education", "Book your place now; early-bird price guaranteed until Friday."),
        ("en", "general", "The first 50 customers get a free tote. Membership fee waived."),
        ("en", "general", "Our trainers are trusted by runners everywhere."),
        ("en", "general", "Turning 40? Celebrate with our party packages."),
        ("en", "general", "Permanent collection open daily at the museum."),
        ("en", "general", "Our new cookbook is out! Link in bio."),
        ("en", "education", "Sign up for the free info session — no fees, no card required."),
    ],
)
def test_family_context_filters_clear_non_claims(market: str, industry: str, text: str) -> None:
    assert load_checker(market, industry).check(text) == []


# --- industry gating -----------------------------------------------------------


def test_industry_decides_the_health_category() -> None:
    cosmetics = load_checker("zh", "cosmetics").check("这款面霜能治疗湿疹")
    assert spans(cosmetics) == [("disease_claim_non_medical", "high", "治疗湿疹", 5, 9)]
    pharma = load_checker("zh", "pharma").check("这款药膏能根治湿疹")
    assert [(f.category, f.severity, f.term) for f in pharma] == [("medical_efficacy_claim", "critical", "根治")]
    assert categories("en", "cosmetics", "Our cream treats eczema.") == {"disease_claim_non_medical"}
    assert categories("en", "health_food", "Our capsules cure arthritis.") == {"medical_efficacy_claim"}


def test_drug_indication_is_not_flagged_but_cure_is() -> None:
    assert categories("zh", "pharma", "用于缓解感冒引起的头痛、发热等症状") == set()
    assert categories("zh", "general", "这款茶缓解感冒症状") == {"disease_claim_non_medical"}


def test_yield_figures_are_gated_to_finance() -> None:
    text = "年化收益12%，稳稳的幸福"
    assert categories("zh", "general", text) == set()
    assert categories("zh", "finance", text) == {"investment_return_promise"}
    assert categories("zh", "finance", "年化收益率4.5%，过往业绩不代表未来表现，投资有风险") == set()
    # a blunt promise is an investment promise in any industry
    assert categories("zh", "general", "稳赚不赔的副业") == {"investment_return_promise"}


def test_refund_if_it_fails_depends_on_industry() -> None:
    assert categories("zh", "general", "无效退款") == {"guaranteed_outcome"}
    assert categories("zh", "education", "无效退款") == {"education_result_promise"}


def test_testimonials_are_endorsements_only_where_the_law_bars_them() -> None:
    quote = "“I took one pill and my pain vanished!” — Jessica, real patient"
    assert "improper_endorsement" in categories("en", "pharma", quote)
    assert categories("en", "general", "“Love it!” — Jessica") == set()


def test_chinese_industry_label_is_accepted() -> None:
    assert load_checker("zh", "化妆品").industry == "cosmetics"
    assert load_checker("en", " Health_Food ").industry == "health_food"  # as lint-copy and the dropdown read it


def test_unknown_market_or_industry_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match='the industry "toys" is unknown; use one of general, pharma'):
        load_checker("zh", "toys")
    with pytest.raises(UsageError, match="market 'fr' has no rule pack"):
        load_checker("fr", "general")


# --- Copy rules sheet terms ---------------------------------------------------------


def test_banned_custom_term_becomes_a_finding() -> None:
    custom = [CustomTerm("爆款", "absolute_claim", None, note="客户法务要求")]
    findings = load_checker("zh", "general", custom).check("今年的爆款面霜")
    assert findings == [
        Finding(
            category="absolute_claim",
            severity="high",
            term="爆款",
            start=3,
            end=5,
            rule="custom:爆款",
            source="Copy rules sheet: 客户法务要求",
            suggestion="",
            message="「爆款」是本项目 Copy rules 表中的禁用词：客户法务要求",
        )
    ]


def test_custom_severity_and_english_whole_words() -> None:
    custom = [CustomTerm("miracle", "guaranteed_outcome", "low")]
    checker = load_checker("en", "general", custom)
    assert spans(checker.check("A miracle in a jar")) == [("guaranteed_outcome", "low", "miracle", 2, 9)]
    assert checker.check("Miracles happen") == []  # whole words only in English


def test_allowed_custom_term_suppresses_findings_inside_it() -> None:
    text = "最好吃烤肉店，全网最好的烤肉"
    plain = load_checker("zh", "general").check(text)
    assert [f.term for f in plain] == ["最好吃", "最好"]
    allowed = load_checker("zh", "general", [CustomTerm("最好吃烤肉", None, None, allowed=True)]).check(text)
    assert [(f.term, f.start) for f in allowed] == [("最好", 9)]


def test_bad_custom_row_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match='term "爆款" has category'):
        load_checker("zh", "general", [CustomTerm("爆款", "hype", None)])
    with pytest.raises(UsageError, match="severity 'urgent'"):
        load_checker("zh", "general", [CustomTerm("爆款", "absolute_claim", "urgent")])


# --- rule packs ----------------------------------------------------------------------


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_every_pack_validates(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    pack = load_pack(path)  # compiles every regex; raises RulePackError otherwise
    assert pack.market in ("zh", "en")
    assert pack.rules
    for rule_raw, rule in zip(raw["rule"], pack.rules, strict=True):
        for key in ("id", "category", "patterns", "message_zh", "message_en", "source", "suggestion"):
            assert rule_raw.get(key), f"{path.name}: {rule.id} lacks {key}"
        assert rule.category in CATEGORIES or rule.category == HEALTH_CLAIM
        assert rule.severity is None or rule.severity in SEVERITIES
        assert rule.id.startswith(pack.market + ".")


@pytest.mark.parametrize("market", ["zh", "en"])
def test_market_pack_sets_a_default_severity_for_every_category(market: str) -> None:
    pack = load_pack(RULES / f"{market}.toml")
    assert set(pack.severity) == set(CATEGORIES)


def test_default_rules_dir_is_the_repository_templates() -> None:
    assert default_rules_dir() == RULES


def write_pack(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    severity = "\n".join(f'{c} = "medium"' for c in CATEGORIES)
    (folder / "zh.toml").write_text(f'market = "zh"\n[severity]\n{severity}\n{body}', encoding="utf-8")
    return folder


RULE = """
[[rule]]
id = "zh.test"
category = "{category}"
patterns = ['{pattern}']
message_zh = "测试"
message_en = "test"
source = "《中华人民共和国广告法》第九条"
"""


def test_rules_dir_and_env_select_the_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_pack(tmp_path / "rules", RULE.format(category="absolute_claim", pattern="宇宙第一"))
    checker = load_checker("zh", "general", rules_dir=folder)
    assert [(f.rule, f.severity) for f in checker.check("宇宙第一好")] == [("zh.test", "medium")]
    monkeypatch.setenv("SHEETSYNC_RULES_DIR", str(folder))
    assert load_checker("zh", "general").rule_count == 1


@pytest.mark.parametrize(
    ("category", "pattern", "message"),
    [
        ("hype", "最", "category 'hype' is not one of"),
        ("absolute_claim", "最(", "does not compile"),
    ],
)
def test_bad_pack_names_file_and_rule(tmp_path: Path, category: str, pattern: str, message: str) -> None:
    folder = write_pack(tmp_path / f"bad-{category}", RULE.format(category=category, pattern=pattern))
    with pytest.raises(RulePackError, match=message) as info:
        load_checker("zh", "general", rules_dir=folder)
    assert str(info.value).startswith("zh.toml: rule 'zh.test'")
    assert isinstance(info.value, SheetsyncError)
