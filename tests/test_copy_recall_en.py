"""English copy rules for the kinds real cases showed missing (issue 13): each kind caught in its category, its look-alikes not blocked.

Each kind has at least three violating phrasings (different verbs, numbers, word
orders) that must be reported in the right category, and at least two clean
look-alikes that share its words but make no claim: they may carry a medium
"needs evidence" finding at most, never a high or critical one (which would
block the review gate). Texts are written for this test from the kinds named
in issue 13, not copied from the real-case corpus.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_kinds_covered, assert_not_blocked

# (kind, industry, text, category expected among the findings)
VIOLATING = [
    ("weight", "general", "Drop 3 dress sizes with our shake plan!", "guaranteed_outcome"),
    ("weight", "health_food", "She lost 30 pounds and kept it off.", "guaranteed_outcome"),
    ("weight", "general", "Lose up to 15% of your body weight with one capsule a day", "guaranteed_outcome"),
    ("weight", "general", "These gummies melt away stubborn belly fat.", "guaranteed_outcome"),
    ("weight", "general", "See visible results in just 10 days.", "guaranteed_outcome"),
    ("weight", "general", "Doctors hate this miracle diet pill", "guaranteed_outcome"),
    ("weight", "general", "Lose belly fat fast with this one trick", "guaranteed_outcome"),
    ("weight", "health_food", "Rapid weight loss tea", "guaranteed_outcome"),
    ("number_one", "cosmetics", "The No.1 skincare brand for glowing skin", "absolute_claim"),
    ("number_one", "general", "Leeds's Number 1 removals company", "absolute_claim"),
    ("number_one", "general", "Our best ever mattress, now in stock", "absolute_claim"),
    ("number_one", "general", "Nothing works better on grease.", "absolute_claim"),
    ("earnings", "general", "Earn an extra $1,200 per month from your phone!", "investment_return_promise"),
    ("earnings", "general", "Build a six-figure income from home with our system.", "investment_return_promise"),
    ("earnings", "general", "Replace your salary and reach financial freedom in 90 days.", "investment_return_promise"),
    ("earnings", "general", "Passive income, guaranteed. Join today.", "investment_return_promise"),
    ("earnings", "general", "This side hustle is completely risk-free.", "investment_return_promise"),
    ("earnings", "general", "Make thousands a month from your sofa", "investment_return_promise"),
    ("earnings", "general", "Get paid $50 to watch videos", "investment_return_promise"),
    ("disease", "general", "Our copper bracelet helps you fight off tendinitis.", "disease_claim_non_medical"),
    ("disease", "cosmetics", "This balm heals dermatitis and prevents coronavirus.", "disease_claim_non_medical"),
    ("disease", "general", "The tea that beats fibromyalgia for good", "disease_claim_non_medical"),
    ("disease", "health_food", "A natural way to reverse osteoporosis.", "medical_efficacy_claim"),
    ("disease", "general", "Gets rid of anemia naturally.", "disease_claim_non_medical"),
    ("outcome", "general", "100% success rate: works every time.", "guaranteed_outcome"),
    ("outcome", "cosmetics", "If you don't see thicker lashes we'll refund you.", "guaranteed_outcome"),
    ("outcome", "general", "Permanent results with one kit.", "guaranteed_outcome"),
    ("outcome", "general", "Our formula works for everyone.", "guaranteed_outcome"),
    ("personal", "general", "Tired of your belly fat? Try our plan.", "personal_attribute"),
    ("personal", "general", "Meet other people with diabetes near you.", "personal_attribute"),
    ("personal", "general", "Know you're gay? Join the app made for you.", "personal_attribute"),
    ("personal", "finance", "Your bad credit score is no problem: we can help.", "personal_attribute"),
    ("personal", "general", "As a single mom, you deserve a break.", "personal_attribute"),
    ("symptom", "health_food", "Within a day my migraines had completely vanished.", "medical_efficacy_claim"),
    ("symptom", "general", "No symptoms since I started the drops.", "disease_claim_non_medical"),
    ("symptom", "general", "My bloating was gone after one sachet.", "disease_claim_non_medical"),
    ("price", "general", "Save hundreds off the manufacturer's recommended retail price.", "misleading_price_offer"),
    ("price", "general", "Save 40% against RRP price on every sofa", "misleading_price_offer"),
    ("price", "general", "Save big versus the high street price.", "misleading_price_offer"),
    ("price", "general", "RRP £399, now only £249!", "misleading_price_offer"),
    ("disease", "general", "Helps beat the flu before it starts.", "disease_claim_non_medical"),
    ("food", "food", "Detox your body with our green juice cleanse.", "disease_claim_non_medical"),
    ("food", "food", "A superfood bar that supercharges your brain.", "disease_claim_non_medical"),
    ("food", "food", "Flushes toxins from your liver.", "disease_claim_non_medical"),
    ("food", "food", "Now with 30% less sugar!", "comparative_claim"),
    ("medical", "medical_service", "Painless lip fillers, no downtime.", "medical_efficacy_claim"),
    ("medical", "medical_service", "Liposuction 30% off, this weekend only!", "misleading_price_offer"),
    ("medical", "medical_service", "Win a free boob job in our giveaway", "misleading_price_offer"),
    ("medical", "medical_service", "Botox from £99 at our Leeds clinic", "medical_efficacy_claim"),
    ("medical", "medical_service", "Guaranteed results from our nose job surgeons", "guaranteed_outcome"),
    ("health", "health_food", "Fast-acting joint support in every capsule", "medical_efficacy_claim"),
    ("health", "health_food", "Zinc boosts your immune system all winter.", "medical_efficacy_claim"),
    ("health", "health_food", "I always recommend this magnesium to my clients.", "improper_endorsement"),
    ("health", "health_food", "Clinically proven to support deep sleep.", "medical_efficacy_claim"),
    ("yield", "finance", "Earn 12% a year on your savings!", "investment_return_promise"),
    ("timed_body", "general", "Drop 2 stone in 6 weeks with our plan.", "guaranteed_outcome"),
    ("timed_body", "health_food", "10 kg in 30 days, no gym needed", "guaranteed_outcome"),
    ("timed_body", "cosmetics", "Firmer, smoother thighs in 14 days", "guaranteed_outcome"),
    ("timed_body", "cosmetics", "Banish crow's feet in 90 seconds!", "guaranteed_outcome"),
    ("timed_body", "general", "Shrink your waist by up to 5 inches.", "guaranteed_outcome"),
    ("timed_body", "general", "Keep the weight off for good.", "guaranteed_outcome"),
    ("money_in_out", "finance", "Invest just £200 and get £340 back in a month.", "investment_return_promise"),
    ("money_in_out", "finance", "Your capital is never at risk with our bonds.", "investment_return_promise"),
    ("money_in_out", "general", "A bot that brings in $2,000 a week on autopilot.", "investment_return_promise"),
    ("conditions", "cosmetics", "A gel that treats cold sores and nail fungus.", "disease_claim_non_medical"),
    ("conditions", "general", "Warts dry up and fall off within days.", "disease_claim_non_medical"),
    ("conditions", "health_food", "Regulates blood sugar and improves insulin sensitivity.", "medical_efficacy_claim"),
    ("conditions", "general", "Many conditions can be treated by our mattress.", "disease_claim_non_medical"),
    ("reading", "finance", "Your credit score is probably too low. Fix it today.", "personal_attribute"),
    ("reading", "general", "Your metabolism is too slow: here's why.", "personal_attribute"),
    ("reading", "finance", "Your mortgage is way too high!", "personal_attribute"),
    ("reference_price", "education", "Join the masterclass for £499 (usual price £1,500).", "misleading_price_offer"),
    ("reference_price", "general", "Full price from £89, today £39.", "misleading_price_offer"),
    ("reference_price", "general", "Original price of €120, now half off.", "misleading_price_offer"),
    ("creator_discount", "cosmetics", "Obsessed with this @glowlab 25% off for you guys", "missing_ad_disclosure"),
    ("creator_discount", "food", "I've been sipping these all week, 15% off at @fizzco", "missing_ad_disclosure"),
    ("creator_discount", "general", "My fave trainers, £10 off with @runfast", "missing_ad_disclosure"),
    ("yield", "finance", "Our notes pay 1.5% per month, every month.", "investment_return_promise"),
    ("yield", "finance", "Get up to 9% APY on idle cash.", "investment_return_promise"),
    ("cosmetic_efficacy", "cosmetics", "Clinically proven serum for radiant skin", "cosmetics_claim"),
    ("cosmetic_efficacy", "cosmetics", "Up to 47% fewer wrinkles.", "cosmetics_claim"),
    ("cosmetic_efficacy", "cosmetics", "Dark spots faded in just 14 days.", "cosmetics_claim"),
]

# (kind, industry, clean look-alike)
CLEAN = [
    ("weight", "general", "Our new frame is 3 pounds lighter than last year's."),
    ("weight", "general", "A 30-minute class that burns calories and builds strength."),
    ("weight", "general", "Test results in 24 hours from our accredited lab."),
    ("weight", "general", "We want to help you lose weight safely, at your own pace."),
    ("number_one", "general", "Step No. 1: unbox the printer and remove the tape."),
    ("number_one", "general", "Visit Number One Noodle House on Main Street."),
    ("number_one", "general", "UK's No.1 cereal brand by value sales (Nielsen, 52 weeks to June 2024)."),
    ("earnings", "general", "Warehouse staff wanted: salary £24,000 plus overtime."),
    ("earnings", "general", "Beware of anyone promising you can make $500 a day from home: it's a scam."),
    ("earnings", "general", "No experience needed: paid training for all new starters."),
    ("earnings", "general", "Warehouse vacancy: earn £480 a week on the day shift."),
    ("earnings", "finance", "Get rich slowly: index funds and patience."),
    ("earnings", "general", "Care assistants wanted: £12.50 per hour, earn up to £600 a week with overtime."),
    ("earnings", "general", "The FTC warns that anyone promising you can earn $5,000 a month from home is lying."),
    ("disease", "general", "Join our 10k run and help us beat cancer."),
    ("disease", "general", "Donate today: every pound helps fight leukaemia."),
    ("disease", "general", "Fundraising for our local hospice: help us beat cancer together."),
    ("disease", "general", "Never trust products claiming to cure arthritis or reverse diabetes."),
    ("disease", "general", "Earn your diploma in aromatherapy in 12 weeks."),
    ("disease", "health_food", "This product is not intended to diagnose, treat, cure or prevent any disease."),
    ("outcome", "general", "100% cotton, machine washable."),
    ("outcome", "general", "Results vary from person to person."),
    ("personal", "general", "Tired of waiting in line? Order ahead in the app."),
    ("personal", "general", "Other people with questions can call our helpline."),
    ("symptom", "general", "The stain disappeared after one wash."),
    ("symptom", "general", "Pain points in your checkout? Our plugin fixes them."),
    ("price", "general", "Save time on your weekly shop with home delivery."),
    ("price", "general", "Save your progress and come back later."),
    ("food", "food", "A digital detox weekend: no phones, just good food."),
    ("food", "food", "Vitamin C contributes to the normal function of the immune system."),
    ("food", "food", "30% less sugar than our original recipe."),
    ("medical", "medical_service", "A virtually painless treatment with minimal downtime; book a consultation."),
    ("medical", "medical_service", "All surgery carries risks; our surgeons explain them at your consultation."),
    ("health", "health_food", "We recommend taking one capsule daily with food."),
    ("health", "health_food", "Vitamin D contributes to the maintenance of normal bones."),
    ("yield", "finance", "Earn 4.5% AER. FSCS protected up to £85,000."),
    ("timed_body", "general", "Squat 100 kg in 12 weeks with our strength programme."),
    ("timed_body", "general", "Parcels up to 20 kg in 2 days across the UK."),
    ("money_in_out", "finance", "The value of your investment can go down as well as up."),
    ("money_in_out", "general", "Deposit £20 to open your account today."),
    ("conditions", "general", "Our clinic's GP explains which conditions need a referral."),
    ("conditions", "general", "Free from warts-and-all reality TV: just good drama."),
    ("reading", "finance", "Check your credit score for free."),
    ("reading", "general", "Your order is too large for standard delivery."),
    ("reference_price", "general", "Full price tickets are available at the door."),
    ("reference_price", "general", "Pay the full price now or spread the cost."),
    ("creator_discount", "cosmetics", "#ad My fave serum, 25% off with @glowlab"),
    ("creator_discount", "general", "Email @support for 10% off your next order."),
    ("yield", "finance", "Returns of 7% a year in 2023; capital at risk, past performance is no guide."),
    ("cosmetic_efficacy", "cosmetics", "Fragrance-free moisturiser for daily use."),
    ("cosmetic_efficacy", "cosmetics", "Pores look smaller instantly with this primer (make-up effect)."),
]


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING, ids=[v[2][:40] for v in VIOLATING])
def test_real_case_kind_is_caught_in_its_category(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text"), CLEAN, ids=[c[2][:40] for c in CLEAN])
def test_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, kind)


def test_every_kind_has_three_violations_and_two_look_alikes() -> None:
    assert_kinds_covered(VIOLATING, CLEAN, violations=3, look_alikes=2)
