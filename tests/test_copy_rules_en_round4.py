"""English claims of round 4 (issue 13): kinds the earlier packs did not reach, and their lawful look-alikes.

Written from the codes' and regulators' wording, not from any corpus item:
- conditions (en-conditions.toml's widened first pattern, en-diseases.toml): verbs beyond cure/treat
  (clear up, flush out, protect … from), a wider lexicon (stroke, A1C, hearing loss, the virus), risk cut
  without the authorised "may reduce the risk of", a marker back to normal, medicine equivalence, COVID-19
  protection, testimonials naming a condition, products offered to people with a condition, supplements
  promising a state of body or mind, health-product superlatives and onset claims, energy/EMF wellness
  (CAP Code 12.1, 15.6.2; 21 U.S.C. 321(g)(1), 21 CFR 101.93(g); Reg. (EC) 1924/2006 Arts. 10, 13;
  FTC Health Products Compliance Guidance 2022; FTC/FDA COVID-19 warning letters; TGA Advertising Code);
- comparisons, absolutes, money and offers (en-claims.toml): named and unnamed competitors (CAP 3.33-3.44),
  absolutes without a superlative word (CAP 3.7), earnings stories and past returns (16 CFR 437; FCA COBS
  4.6.2; FINRA 2210), risk-free investing, lowest-price and reference-price wording, "free" recovered
  through a contract (16 CFR 251.1), "from" prices (CAP 3.22), added fees (DMCC Act 2024 Sch. 20; 16 CFR
  464), rates of weight loss (CAP 13.10), named endorsers (16 CFR 255), unlabelled collaborations (CAP 2.1).
Each kind has violating phrasings found in their category and look-alikes that are not blocked and do
not get the kind's rule.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from copy_cases import assert_caught, assert_kinds_covered, assert_look_alike

from sheetsync.engine.compliance import load_checker

MED = "medical_efficacy_claim"
NONMED = "disease_claim_non_medical"

# (kind, industry, text, category expected among the findings)
VIOLATING = [
    # CAP 12.1, 15.6.2; 21 CFR 101.93(g): a verb of effect on a condition, in the wider wording
    ("condition", "health_food", "Take two a day to keep strokes and heart failure at bay.", MED),
    ("condition", "health_food", "The capsules regenerate damaged nerves in the feet.", MED),
    ("condition", "health_food", "Our probiotic clears up yeast infections and UTIs fast.", MED),
    ("condition", "health_food", "Our liver detox flushes out fatty liver disease in weeks.", MED),
    ("condition", "general", "The grounding mat protects your family from bronchitis.", NONMED),
    ("condition", "food", "Raw honey heals stomach ulcers and soothes sore throats.", NONMED),
    ("condition", "medical_service", "Chelation therapy removes heavy metals and clears arteries.", MED),
    # other forms: protection as a noun, risk cut, a marker back to normal, senses restored
    ("condition_forms", "health_food", "Quercetin and zinc: your best defence against the virus.", MED),
    ("condition_forms", "health_food", "Vitamin D3 drops cut your risk of catching pneumonia in half.", MED),
    ("condition_forms", "health_food", "Drink this every morning and your blood pressure will drop to normal.", MED),
    ("condition_forms", "medical_device", "The hearing aid that restores your hearing to perfect.", MED),
    ("condition_forms", "health_food", "This vitamin blend keeps you from getting sick all winter.", MED),
    # 21 CFR 101.93(g)(2)(vi): presented as a medicine's substitute
    ("drug_equivalence", "health_food", "Berberine: nature's Ozempic for your waistline.", MED),
    ("drug_equivalence", "health_food", "A natural alternative to ibuprofen for your sore knees.", MED),
    ("drug_equivalence", "food", "This tea works just like metformin.", NONMED),
    # FTC/FDA COVID-19 warning letters
    ("covid", "general", "Our air purifier kills 99% of coronavirus particles in the room.", NONMED),
    ("covid", "medical_service", "IV vitamin drips to protect you against COVID-19.", MED),
    # 16 CFR 255.2; CAP 12.15: a condition named in a testimonial that says the product helps
    ("testimonial", "health_food", "I've been diagnosed with arthritis for ten years. These gummies have changed my life.", MED),
    ("testimonial", "general", "My husband has type 2 diabetes and he feels so much better since using the mat.", NONMED),
    # FTC 2022 s.II.A implied claims: offered to people with a condition
    ("population", "health_food", "This CBD oil is an excellent option for people with arthritis.", MED),
    ("population", "health_food", "Used by thousands of diabetics every day.", MED),
    ("population", "health_food", "Perfect for children who struggle to concentrate at school.", MED),
    # 21 CFR 101.93(g)(2)(i), (iv): a product named after a condition or its symptoms
    ("condition_product", "health_food", "Tinnitus formula: quiet the ringing naturally.", MED),
    ("condition_product", "food", "The ultimate hangover cure.", NONMED),
    ("condition_product", "health_food", "Prostate formula for men over 50 - fewer trips to the bathroom at night.", MED),
    # Reg. (EC) 1924/2006 Art. 10(3): a state of body or mind in everyday words
    ("wellbeing", "health_food", "Feel less stressed and more focused with one capsule a day.", MED),
    ("wellbeing", "health_food", "Keeps your eyes in tip-top condition.", MED),
    ("wellbeing", "health_food", "A calmer mind and deeper sleep, naturally.", MED),
    # CAP 3.7, 12.1; TGA Code ss.12-13: efficacy and safety as absolutes, onset
    ("superlative", "pharma", "The strongest pain relief you can buy without a prescription.", MED),
    ("superlative", "medical_device", "Completely safe for the whole family.", MED),
    ("onset", "pharma", "Starts working in 5 minutes and lasts all day.", MED),
    ("onset", "health_food", "Feel the difference in your joints in 14 days.", MED),
    # ASA rulings on magnetic/ionic bracelets and EMF products
    ("energy", "general", "The bracelet balances your energy and improves your overall health.", NONMED),
    ("energy", "general", "Our sticker shields your family from harmful 5G radiation.", NONMED),
    # CAP 3.33-3.38: a named competitor beaten on a measure
    ("named_comparison", "general", "Lasts 3x longer than Duracell.", "comparative_claim"),
    ("named_comparison", "general", "Our mattress outperforms Emma in every test.", "comparative_claim"),
    ("named_comparison", "general", "Switch from Vodafone and get faster speeds for less.", "comparative_claim"),
    # CAP 3.33-3.35: an unnamed class, "no other", "vs <Brand>"
    ("class_comparison", "general", "Up to 40% more efficient than standard boilers.", "comparative_claim"),
    ("class_comparison", "general", "No other broadband provider gives you more.", "comparative_claim"),
    ("class_comparison", "cosmetics", "Our serum is superior to La Mer at half the price.", "comparative_claim"),
    # CAP 3.42: competitors denigrated
    ("disparaged", "general", "Our competitors use cheap fillers - we don't.", "comparative_claim"),
    ("disparaged", "general", "The big banks charge you hidden fees. We never will.", "comparative_claim"),
    # CAP 3.7: absolutes without a superlative word
    ("absolute", "general", "The only moisturiser you'll ever need.", "absolute_claim"),
    ("absolute", "general", "The UK's market leader in home insurance.", "absolute_claim"),
    ("absolute", "general", "Nothing else comes close.", "absolute_claim"),
    ("absolute", "general", "The nation's favourite takeaway.", "absolute_claim"),
    ("absolute", "general", "First in the world to offer this.", "absolute_claim"),
    # 16 CFR 437.4; FTC money-making notices: earnings stories and income replacement
    ("earnings", "general", "I made six figures in my first year with this business - you can too!", "investment_return_promise"),
    ("earnings", "general", "Sarah went from broke to £8k a month in under a year.", "investment_return_promise"),
    ("earnings", "general", "Replace your salary within six months.", "investment_return_promise"),
    # 16 CFR 437.4; FINRA 2210(d)(1): easy, fast or automatic money
    ("easy_money", "general", "The app that pays you every single day.", "investment_return_promise"),
    ("easy_money", "finance", "Let our AI trade for you while you sleep and watch your balance grow.", "investment_return_promise"),
    ("easy_money", "finance", "The trading system that wins 9 out of 10 trades.", "investment_return_promise"),
    # FCA COBS 4.6.2; FINRA 2210(d)(1)(F): past returns, predictions
    ("past_returns", "finance", "The bitcoin robot that made members 1,200% last year.", "investment_return_promise"),
    ("past_returns", "finance", "This coin is going to 100x - get in early.", "investment_return_promise"),
    ("past_returns", "finance", "Outperformed the S&P 500 every single year.", "investment_return_promise"),
    # FCA COBS 4.2.4: risk-free investing
    ("risk_free", "finance", "A risk-free way to grow your savings.", "investment_return_promise"),
    ("risk_free", "general", "High returns with low risk on every property deal.", "investment_return_promise"),
    # FSMA s.21; COBS 4.12: a fixed yield
    ("fixed_yield", "general", "Property bonds paying 9% fixed for 3 years.", "investment_return_promise"),
    ("fixed_yield", "general", "Whisky casks returning 12% a year.", "investment_return_promise"),
    # CAP 3.39-3.40: lowest prices, reference and trade prices
    ("lowest_price", "general", "Our prices are the lowest anywhere.", "misleading_price_offer"),
    ("lowest_price", "general", "Nobody beats our prices on garden furniture.", "misleading_price_offer"),
    ("price_basis", "general", "Prices slashed on all sofas.", "misleading_price_offer"),
    ("price_basis", "general", "Trade prices for everyone this weekend.", "misleading_price_offer"),
    # 16 CFR 251.1(b): free through a contract
    ("free_contract", "general", "Free iPhone 15 with every contract.", "misleading_price_offer"),
    ("free_contract", "general", "Pay just £1 for your first month!*", "misleading_price_offer"),
    # CAP 3.22: "from" prices
    ("from_price", "general", "Sale now on - prices from £9.99.", "misleading_price_offer"),
    ("from_price", "general", "City breaks starting from £79 per person.", "misleading_price_offer"),
    # DMCC Act 2024 Sch. 20; 16 CFR 464: fees added to the quoted price
    ("fees", "general", "Room rates from $99 per night plus a $30 resort fee.", "misleading_price_offer"),
    ("fees", "general", "Concert tickets £25 plus a £4.50 booking fee per ticket.", "misleading_price_offer"),
    # CAP 13.10; FTC Gut Check: rates of result
    ("rate", "health_food", "Lose up to a pound a day with our keto pills.", "guaranteed_outcome"),
    ("rate", "general", "You'll be fluent in Spanish in 3 weeks.", "guaranteed_outcome"),
    ("rate", "general", "This programme will transform your body in 6 weeks.", "guaranteed_outcome"),
    # 16 CFR 255.1, 255.3: named endorsers
    ("endorser", "general", "Endorsed by Martin Lewis.", "improper_endorsement"),
    ("endorser", "health_food", "Dr. Smith, a leading cardiologist, takes these every day.", "improper_endorsement"),
    # CAP 2.1; ASA/CMA influencer guide: a relationship stated with no ad label
    ("collaboration", "general", "Teamed up with @sunnyholidays to give you £100 off - use JESS100!", "missing_ad_disclosure"),
    ("collaboration", "general", "Can't believe how good this spray is. Affiliate link in my bio!", "missing_ad_disclosure"),
]

# (kind, industry, lawful look-alike, the kind's rule that must not fire on it)
CLEAN = [
    ("condition", "general", "Our new antivirus software kills the virus before it reaches your laptop.", "en.conditions.disease_claim"),
    ("condition", "general", "Stop by the pharmacy for your flu jab this week.", "en.conditions.disease_claim"),
    ("condition", "cosmetics", "SPF 50 sunscreen that helps protect against sunburn and skin cancer.", "en.conditions.disease_claim"),
    ("condition_forms", "food", "A diet low in saturated fat may reduce the risk of heart disease.", "en.diseases.condition_claim_forms"),
    ("condition_forms", "general", "Protect yourself from flu: get your vaccine at any pharmacy.", "en.diseases.condition_claim_forms"),
    ("drug_equivalence", "general", "Our ibuprofen gel is back in stock at the pharmacy counter.", "en.diseases.drug_equivalence"),
    ("covid", "general", "Our shop follows COVID-19 guidance: masks are welcome.", "en.diseases.covid_protection"),
    ("testimonial", "general", "I have a dog and a cat, and this hoover has changed my life.", "en.diseases.condition_testimonial"),
    ("population", "general", "Step-free access for people with limited mobility and wheelchair users.", "en.diseases.condition_population"),
    ("wellbeing", "health_food", "Iron helps reduce tiredness and fatigue.", "en.diseases.wellbeing_state"),
    ("superlative", "pharma", "The fastest way to order is through our app.", "en.diseases.efficacy_superlative"),
    ("onset", "health_food", "Orders placed before noon arrive within 2 days.", "en.diseases.onset_claim"),
    ("energy", "general", "Our solar panels cut your energy bills.", "en.diseases.energy_wellness"),
    ("named_comparison", "general", "Our new model is twice as fast as our previous model.", "en.claims.named_competitor_measure"),
    ("class_comparison", "general", "Now with 30% more in the pack than our previous 400g pack.", "en.claims.class_comparison"),
    ("disparaged", "general", "Compare our prices with other retailers before you buy.", "en.claims.competitors_disparaged"),
    ("absolute", "general", "The only thing missing is you.", "en.claims.absolute_kinds"),
    ("earnings", "general", "We raised £2m for local charities last year.", "en.claims.earnings_story"),
    ("past_returns", "finance", "Past performance is not a reliable indicator of future results; the fund returned 6% in 2023.", "en.claims.past_returns"),
    ("risk_free", "general", "Try it risk-free: 30-day returns on every mattress.", "en.claims.risk_free_investing"),
    ("fixed_yield", "finance", "Our fixed saver pays 4.1% AER.", "en.claims.fixed_yield"),
    ("lowest_price", "general", "Our lowest price this year, checked against our own prices since January.", "en.claims.lowest_price"),
    ("price_basis", "general", "The cost price index rose in May.", "en.claims.price_basis"),
    ("free_contract", "general", "Free delivery on every order.", "en.claims.free_with_contract"),
    ("from_price", "general", "Our prices include VAT and delivery.", "en.claims.from_price"),
    ("fees", "general", "All prices include booking and service fees.", "en.claims.added_fees"),
    ("rate", "general", "Lose weight the healthy way with a balanced plan and a coach.", "en.claims.rate_of_result"),
    ("endorser", "general", "Dr. Jones will see patients on Tuesdays.", "en.claims.named_endorser"),
    ("easy_money", "general", "Our café is open every single day from 8am.", "en.claims.easy_money"),
    ("easy_money", "finance", "Past results do not guarantee future returns; trading carries a high risk of loss.", "en.claims.easy_money"),
    ("condition_product", "health_food", "Blood sugar support with chromium, which contributes to normal blood glucose levels.",
     "en.diseases.condition_product"),
    ("condition_product", "general", "Our new hand cream comes in a travel-size tube.", "en.diseases.condition_product"),
    ("collaboration", "general", "#ad Teamed up with @sunnyholidays to give you £100 off.", "en.claims.collaboration_unlabelled"),
]


def test_every_kind_has_violations_and_look_alikes() -> None:
    assert_kinds_covered(VIOLATING, CLEAN, violations=2, look_alikes=1)


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING)
def test_violation_is_caught_in_its_category(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text", "rule"), CLEAN)
def test_look_alike_is_not_blocked_nor_taken_for_the_kind(kind: str, industry: str, text: str, rule: str) -> None:
    assert_look_alike("en", industry, text, rule, kind)


def test_a_supplement_condition_claim_needs_its_licence_and_a_food_is_blocked() -> None:
    """The same claim is medium "needs evidence" for a supplement (a licensed use clears it) and high for a food."""
    text = "Helps keep strokes and heart failure at bay."
    supplement = load_checker("en", "health_food").check(text)
    food = load_checker("en", "food").check(text)
    assert {f.severity for f in supplement} == {"medium"} and all(f.evidence for f in supplement)
    assert any(f.severity == "high" and f.category == NONMED for f in food)


def lint(text: str, industry: str, *args: str) -> set[str]:
    """The rules `lint-copy --json` reports for `text`."""
    proc = subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", "-", "--market", "en", "--industry", industry, "--json", *args],
        input=text, capture_output=True, text=True, check=False,
    )
    return {f["rule"] for line in proc.stdout.splitlines() for f in json.loads(line)["findings"]}


def test_lint_copy_reports_the_round4_rules_and_the_licence_clears_the_supplement_claim() -> None:
    text = "Used by thousands of diabetics. Lasts 3x longer than Duracell."
    assert {"en.diseases.condition_population", "en.claims.named_competitor_measure"} <= lint(text, "health_food")
    claim = "Vitamin D3 drops cut your risk of catching pneumonia in half."
    assert "en.diseases.condition_claim_supplement" in lint(claim, "health_food")
    assert "en.diseases.condition_claim_supplement" not in lint(claim, "health_food", "--evidence", "health_food_approval")
