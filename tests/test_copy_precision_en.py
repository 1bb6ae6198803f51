"""English copy precision (issue 13): lawful look-alikes the guidance accepts are not blocked.

Each kind pairs at least three clean texts — lawful under CAP/ASA or FTC
guidance, or not an advertiser's claim at all (a regulator's ruling, consumer
advice, a charity appeal, a job advert) — with violating counterparts that
share their words and must still be reported in their category. A clean text
may carry a medium finding at most ("needs evidence", obvious puffery), never
a high or critical one, which would block the review gate. Texts are written
for this test from the kinds, not copied from the real-case corpus.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_kinds_covered, assert_not_blocked

from sheetsync.engine.compliance import load_checker

FDA = "These statements have not been evaluated by the Food and Drug Administration."
FDA_FULL = FDA + " This product is not intended to diagnose, treat, cure, or prevent any disease."

# (kind, industry, lawful text): no high or critical finding
CLEAN = [
    # a regulator's or consumer-advice text quoting the claims it warns about ([every_rule])
    ("regulator", "general", "The ASA ruled that the claim \"cures arthritis\" was misleading."),
    ("regulator", "general", "We told Slimco not to claim its tea cures diabetes."),
    ("regulator", "general", "FTC warns: products that claim to cure diabetes are fake."),
    ("regulator", "general", "The ad must not claim the shake reverses heart disease."),
    ("regulator", "general", "Be wary of sellers promising guaranteed returns on crypto."),
    ("regulator", "general", "Report it to Action Fraud if someone offers you guaranteed returns."),
    ("regulator", "general", "Never trust products claiming to cure arthritis or reverse diabetes."),
    ("regulator", "general", "No scientific evidence that copper treats arthritis."),
    # charity appeals and fundraising
    ("charity", "general", "Join our 10k run and help us beat cancer."),
    ("charity", "general", "Fundraising for our local hospice: help us beat cancer together."),
    ("charity", "general", "Your donation helps researchers fight Alzheimer's disease."),
    # job adverts stating their pay
    ("job", "general", "Warehouse vacancy: earn £480 a week on the day shift."),
    ("job", "general", "Care assistants wanted: £12.50 per hour, earn up to £600 a week with overtime."),
    ("job", "general", "Delivery drivers: earn $22 per hour plus tips, full-time and part-time shifts."),
    # obvious puffery: medium at most (CAP 3.2: not objective)
    ("puffery", "food", "The best coffee in town."),
    ("puffery", "food", "Simply the best burgers in the city!"),
    ("puffery", "general", "Probably the best lager in the world."),
    # "one of the best": not an exclusive claim
    ("one_of", "general", "One of the best-reviewed hotels in Devon."),
    ("one_of", "general", "One of the finest whiskies you'll ever taste."),
    ("one_of", "general", "One of the most comfortable mattresses we've tested."),
    # the brand's own range compared with itself
    ("own_range", "general", "Our best-ever range of garden furniture is here."),
    ("own_range", "general", "Our best ever summer collection, now in store."),
    ("own_range", "general", "Shop our best-ever autumn range."),
    # a dated, category-specific marketplace ranking
    ("bestseller", "general", "#1 Best Seller on Amazon in Garden Hoses (Amazon.co.uk, 3 March 2025)."),
    ("bestseller", "general", "#1 bestseller in Kitchen Scales on Amazon UK (as of 12 May 2024)."),
    ("bestseller", "general", "No.1 best seller in Yoga Mats on Amazon.com, source: Amazon Best Sellers, 1 June 2024."),
    # authorised EU/GB health claims in register wording
    ("authorised", "health_food", "Vitamin C contributes to the normal function of the immune system."),
    ("authorised", "food", "Vitamin D contributes to the normal function of the immune system."),
    ("authorised", "health_food", "Zinc contributes to the normal function of the immune system and to normal fertility."),
    # FDA structure/function wording with the FDA disclaimer: medium at most
    ("structure_function", "health_food", "Supports healthy joints.* " + FDA_FULL),
    ("structure_function", "health_food", "Boosts your immune system.* " + FDA_FULL),
    ("structure_function", "health_food", "Helps maintain healthy blood sugar levels already within the normal range.* " + FDA),
    ("structure_function", "health_food", "This product is not intended to diagnose, treat, cure, or prevent any disease."),
    # a former price in any currency is "needs evidence" (medium), not a violation
    ("former_price", "general", "RRP £399, now only £249!"),
    ("former_price", "general", "Was €80, now €40!"),
    ("former_price", "general", "It was £80 well spent, now I use it daily."),
    # a testimonial beside the results consumers generally achieve (16 CFR 255.2(b))
    ("testimonial", "health_food", "\"I lost 10 lbs in 8 weeks\" - Sarah. Results may vary; the typical user loses 3 lbs in 8 weeks."),
    ("testimonial", "health_food", "\"My knees feel younger\" - Maureen. Results may vary: most participants reported less stiffness after 8 weeks."),
    ("testimonial", "health_food", "\"I sleep through the night now\" - Tom. Typical results are 20 minutes more sleep a night after four weeks."),
]

# (kind, industry, violating counterpart, category expected among the findings)
VIOLATING = [
    ("regulator", "general", "Our tea cures diabetes.", "disease_claim_non_medical"),
    ("regulator", "general", "Unlike other products claiming to cure arthritis, ours cures arthritis in weeks.", "disease_claim_non_medical"),
    ("regulator", "general", "Our product claims to cure arthritis and it does.", "disease_claim_non_medical"),
    ("regulator", "general", "This is NOT a scam: earn $500 a day from home!", "investment_return_promise"),
    ("regulator", "general", "No scam, no catch: make $3,000 a week.", "investment_return_promise"),
    ("regulator", "general", "Beware of imitations: only our balm cures eczema.", "disease_claim_non_medical"),
    ("charity", "general", "Our tea cures cancer, 10% donated to charity.", "disease_claim_non_medical"),
    ("charity", "general", "This juice fights cancer cells.", "disease_claim_non_medical"),
    ("charity", "general", "Drops that beat Alzheimer's disease.", "disease_claim_non_medical"),
    ("job", "general", "Earn £12.50 per hour from home, guaranteed!", "investment_return_promise"),
    ("job", "general", "Make $5,000 a week working part-time from home", "investment_return_promise"),
    ("job", "general", "Earn $480 a week from your phone, no experience needed.", "investment_return_promise"),
    ("puffery", "cosmetics", "The best hair care system in the world", "absolute_claim"),
    ("puffery", "general", "The best stairlift in the UK.", "absolute_claim"),
    ("puffery", "general", "Unbeatable quality, second to none.", "absolute_claim"),
    ("one_of", "general", "The finest whisky you'll ever taste.", "absolute_claim"),
    ("one_of", "general", "The most comfortable mattress in the world.", "absolute_claim"),
    ("one_of", "general", "America's best-reviewed hotel.", "absolute_claim"),
    ("own_range", "general", "Our best ever mattress, now in stock", "absolute_claim"),
    ("own_range", "general", "The best-ever formula for thinning hair.", "absolute_claim"),
    ("own_range", "general", "The best furniture ever made.", "absolute_claim"),
    ("bestseller", "general", "#1 Best Seller on Amazon!", "absolute_claim"),
    ("bestseller", "cosmetics", "The No.1 skincare brand for glowing skin", "absolute_claim"),
    ("bestseller", "general", "Britain's No.1 garden hose.", "absolute_claim"),
    ("authorised", "health_food", "Vitamin C boosts your immune system and fights colds.", "medical_efficacy_claim"),
    ("authorised", "general", "Vitamin C boosts your immune system.", "disease_claim_non_medical"),
    ("authorised", "health_food", "Zinc prevents the flu.", "medical_efficacy_claim"),
    ("structure_function", "health_food", "Boosts your immune system and fights the flu.* " + FDA, "medical_efficacy_claim"),
    ("structure_function", "health_food", "Lowers blood sugar and reverses diabetes.* " + FDA, "medical_efficacy_claim"),
    ("structure_function", "health_food", "Cures gout* Not evaluated by the FDA.", "medical_efficacy_claim"),
    ("former_price", "general", "Compare at £99, now £59.", "misleading_price_offer"),
    ("former_price", "general", "Save 40% against the RRP price on every sofa", "misleading_price_offer"),
    ("former_price", "education", "Join the masterclass for £499 (usual price £1,500).", "misleading_price_offer"),
    ("testimonial", "health_food", "\"I lost 10 lbs in 8 weeks\" - Sarah. Results may vary.", "improper_endorsement"),
    ("testimonial", "health_food", "\"I lost 10 lbs in 8 weeks\" - Sarah. Results not typical.", "improper_endorsement"),
    ("testimonial", "health_food", "\"My arthritis pain vanished\" - Maureen, a real patient.", "improper_endorsement"),
]


@pytest.mark.parametrize(("kind", "industry", "text"), CLEAN, ids=[c[2][:40] for c in CLEAN])
def test_lawful_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, kind)


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING, ids=[v[2][:40] for v in VIOLATING])
def test_violating_counterpart_is_still_caught(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


def test_every_kind_has_three_look_alikes_and_a_counterpart() -> None:
    assert {kind for kind, *_ in CLEAN} == {kind for kind, *_ in VIOLATING}
    assert_kinds_covered(VIOLATING, CLEAN, violations=3, look_alikes=3)


@pytest.mark.parametrize("text", ["RRP £399, now only £249!", "Was €80, now €40!", "Usual price £1,500, today £499."])
def test_former_price_in_any_currency_is_cleared_by_the_price_history(text: str) -> None:
    assert [f.evidence for f in load_checker("en", "general").check(text)] == ["price_history"]
    assert load_checker("en", "general", facts=frozenset({"price_history"})).check(text) == []
