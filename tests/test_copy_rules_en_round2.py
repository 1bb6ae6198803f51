"""English copy rules, issue 13 round 3 second pass: investment promotions, health kinds, lawful health wording.

Kinds from FCA COBS 4 / 4.12A / 22.5 and FG24/1 (finfluencers), FINRA 2210, the FTC's
money-making-opportunity notices, Finance Act 2004 (minimum pension age); CAP 12-15 and the FTC
Health Products Compliance Guidance for supplements, devices and medicines. Each kind has violating
phrasings written here from the codes' wording, found in its category, and lawful look-alikes that
share its words and are not blocked: a clinic naming what it treats, a traditional herbal registration's
indication, an FDA-authorised "may reduce the risk of" claim, EU register wording, a CFD promotion with
its warning, a crypto promotion with the prescribed warning.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (rule, industry, text, category expected among the findings)
VIOLATING = [
    ("en.investment.trading_signals", "general", "Join our VIP signals group: 90% accuracy, 500 pips a week.", "investment_return_promise"),
    ("en.investment.trading_signals", "finance", "Copy my trades and earn while you sleep.", "investment_return_promise"),
    ("en.investment.money_multiplied", "finance", "Turn your £250 into £2,500.", "investment_return_promise"),
    ("en.investment.money_multiplied", "finance", "Double your bitcoin in 30 days.", "investment_return_promise"),
    ("en.investment.money_multiplied", "general", "Next 100x gem - don't miss out.", "investment_return_promise"),
    ("en.investment.money_multiplied", "general", "Become a millionaire with crypto.", "investment_return_promise"),
    ("en.investment.money_multiplied", "finance", "No-loss trading strategy.", "investment_return_promise"),
    ("en.investment.investment_incentive", "finance", "Get a 100% bonus on your first deposit.", "investment_return_promise"),
    ("en.investment.investment_incentive", "general", "Refer a friend and get £50 in bitcoin.", "investment_return_promise"),
    ("en.investment.cfd_without_warning", "finance", "Trade CFDs on forex, indices and commodities with leverage up to 1:30.", "investment_return_promise"),
    ("en.investment.cfd_without_warning", "finance", "Spread betting on the FTSE with tight spreads.", "investment_return_promise"),
    ("en.investment.pension_release", "general", "Unlock your pension before 55!", "investment_return_promise"),
    ("en.investment.pension_release", "general", "Pension release: access your pension early.", "investment_return_promise"),
    ("en.investment.crypto_without_warning", "general", "Buy Bitcoin in seconds with our app.", "investment_return_promise"),
    ("en.investment.investing_made_easy", "general", "Don't get left behind - buy crypto now.", "investment_return_promise"),
    ("en.law.sensational", "general", "What the banks don't want you to know about crypto.", "guaranteed_outcome"),
    ("en.health.disease_claim", "health_food", "Unclogs arteries.", "medical_efficacy_claim"),
    ("en.health.disease_claim", "health_food", "Ginger has been used to treat conditions including: nausea and heartburn.", "medical_efficacy_claim"),
    ("en.conditions.disease_claim", "food", "Our broth stops diarrhoea and nausea.", "disease_claim_non_medical"),
    ("en.conditions.supplement_function", "health_food", "Raises testosterone and builds muscle.", "medical_efficacy_claim"),
    ("en.conditions.supplement_function", "health_food", "Fights fatigue and gives you all-day energy.", "medical_efficacy_claim"),
    ("en.conditions.supplement_function", "health_food", "Lion's mane mushroom regenerates brain cells.", "medical_efficacy_claim"),
    ("en.conditions.supplement_function", "health_food", "Cleanses your colon and removes toxins.", "medical_efficacy_claim"),
    ("en.conditions.supplement_function", "health_food", "Increases HGH levels naturally.", "medical_efficacy_claim"),
    ("en.law.weight_products", "health_food", "Blocks carbs from your favourite foods.", "guaranteed_outcome"),
    ("en.law.general_wellbeing", "health_food", "Helps you fall asleep faster and stay asleep.", "medical_efficacy_claim"),
    ("en.health.single_treatment", "pharma", "Stops diarrhoea in one dose.", "medical_efficacy_claim"),
    ("en.conditions.medicinal_property", "health_food", "Oregano oil is a powerful antifungal.", "medical_efficacy_claim"),
    ("en.conditions.medicinal_property", "health_food", "Turmeric has analgesic and neuroprotective properties.", "medical_efficacy_claim"),
    ("en.conditions.testimonial_result", "general", "I drank this tea for a month and my blood pressure is back to normal!", "disease_claim_non_medical"),
    ("en.conditions.testimonial_result", "health_food", "After 3 months my A1C dropped.", "medical_efficacy_claim"),
    ("en.conditions.medicine_efficacy", "medical_device", "The TENS machine relieves back pain without drugs.", "medical_efficacy_claim"),
    ("en.conditions.medicine_efficacy", "medical_device", "This posture corrector fixes back pain for good.", "medical_efficacy_claim"),
    ("en.conditions.medicine_efficacy", "medical_device", "Improves blood circulation and reduces swelling.", "medical_efficacy_claim"),
    ("en.health.disease_claim", "health_food", "Elderberry gummies to keep colds away.", "medical_efficacy_claim"),
    ("en.conditions.supplement_function", "health_food", "A powerful antioxidant that protects your cells from damage.", "medical_efficacy_claim"),
    ("en.conditions.supplement_function", "health_food", "Our probiotic heals your gut.", "medical_efficacy_claim"),
    ("en.medical.wellness_effect", "medical_service", "Our IV drip is the perfect hangover cure.", "medical_efficacy_claim"),
    ("en.medical.wellness_effect", "medical_service", "IV vitamin therapy boosts energy, immunity and recovery.", "medical_efficacy_claim"),
    ("en.medical.wellness_effect", "medical_service", "NAD+ drips slow down ageing.", "medical_efficacy_claim"),
    ("en.health.device_fda_approved", "medical_device", "FDA approved light therapy device.", "improper_endorsement"),
]

# (kind, industry, text): lawful look-alikes sharing the rules' words; no high or critical finding
CLEAN = [
    ("signals", "general", "Traffic signals on the A40 are being upgraded this week."),
    ("signals", "general", "Our Wi-Fi signals reach every room; free signal booster."),
    ("multiplied", "general", "We turned 500 old T-shirts into 1,000 tote bags."),
    ("multiplied", "general", "Turn £20 of leftovers into a week of meals with our recipe box."),
    ("multiplied", "general", "Who wants to be a millionaire? Tickets for the live show on sale now."),
    ("incentive", "finance", "Open a Lifetime ISA and get a 25% government bonus on your deposits."),
    ("incentive", "general", "Refer a friend and get £20 off your next box."),
    ("incentive", "general", "Welcome bonus: 50 free spins at our casino."),
    ("cfd warning", "finance", "74% of retail investor accounts lose money when trading CFDs with this provider. Trade CFDs on forex."),
    ("pension", "general", "You can take your pension from age 55; speak to an adviser about your options."),
    ("pension", "general", "Pension release before 55 is a scam warning sign; report it to Action Fraud."),
    ("crypto warning", "general", "Buy Bitcoin in seconds. Don't invest unless you're prepared to lose all the money you invest. This is a high-risk investment."),
    ("crypto", "general", "We buy gold and silver for cash."),
    # a medical service names what it treats: its evidence is asked for (medium), not blocked
    ("medical service", "medical_service", "We treat back pain, sciatica and sports injuries at our physiotherapy clinic."),
    ("medical service", "medical_service", "Our podiatrists treat ingrown toenails and verrucas."),
    # a medicine's or device's authorised indication: needs its evidence, not blocked
    ("indication", "pharma", "Relieves the symptoms of hay fever."),
    ("indication", "medical_device", "Helps relieve the pain of arthritis."),
    # a traditional herbal registration's indication with its statement
    ("THR", "health_food", "Traditional herbal medicinal product used to relieve symptoms such as mild anxiety, based on traditional use only."),
    ("THR", "health_food", "Traditional herbal medicinal product used for the temporary relief of the symptoms of rheumatic pain, based on traditional use only."),
    # FDA-authorised and qualified health claims, EU register wording
    ("FDA", "health_food", "Adequate calcium and vitamin D may reduce the risk of osteoporosis."),
    ("FDA", "food", "Diets low in saturated fat and cholesterol may reduce the risk of heart disease."),
    ("EU register", "food", "Oat beta-glucan has been shown to lower blood cholesterol. High cholesterol is a risk factor in the development of coronary heart disease."),
    ("testimonial", "general", "My mood is great and my energy levels are back."),
    ("colds", "general", "An apple a day keeps the doctor away."),
    ("EU register", "health_food", "Vitamin C contributes to the protection of cells from oxidative stress."),
    ("FDA cleared", "medical_device", "FDA cleared (510(k) K123456)."),
    ("IV", "medical_service", "Our IV hydration drip rehydrates you after a long flight."),
]


@pytest.mark.parametrize(("rule", "industry", "text", "category"), VIOLATING, ids=[f"{r}-{i}" for r, i, *_ in VIOLATING])
def test_a_violation_is_caught_by_its_rule(rule: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, rule)
    assert rule in {f.rule for f in load_checker("en", industry).check(text)}


@pytest.mark.parametrize(("kind", "industry", "text"), CLEAN, ids=[f"{k}-{i}" for k, i, _ in CLEAN])
def test_a_lawful_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, kind)


def test_a_clinic_s_conditions_need_its_evidence_and_the_report_clears_them() -> None:
    text = "We treat back pain and sciatica."
    findings = load_checker("en", "medical_service").check(text)
    assert {(f.rule, f.severity, f.evidence) for f in findings} == {
        ("en.conditions.medicine_efficacy", "medium", "efficacy_report")
    }
    assert load_checker("en", "medical_service", facts=frozenset({"efficacy_report"})).check(text) == []


def test_a_cure_stays_blocked_for_a_clinic() -> None:
    findings = load_checker("en", "medical_service").check("Our clinic cures arthritis for good.")
    assert ("en.conditions.cure_miracle", "high") in {(f.rule, f.severity) for f in findings}


@pytest.mark.parametrize("text", ["Clinically proven to boost energy.", "Fast-acting joint formula."])
def test_clinically_proven_and_speed_need_the_efficacy_report(text: str) -> None:
    rules = {"en.health.proven_claim", "en.health.fast_acting"}
    found = [(f.severity, f.evidence) for f in load_checker("en", "health_food").check(text) if f.rule in rules]
    assert found == [("medium", "efficacy_report")]
    cleared = load_checker("en", "health_food", facts=frozenset({"efficacy_report"})).check(text)
    assert not [f for f in cleared if f.rule in rules]


def test_a_supplement_s_disease_claim_is_still_blocked_beside_authorised_wording() -> None:
    text = "Calcium may reduce the risk of osteoporosis and cures arthritis."
    blocking = {(f.term, f.severity) for f in load_checker("en", "health_food").check(text) if f.severity == "critical"}
    assert blocking and all("osteoporosis" not in term for term, _ in blocking)
