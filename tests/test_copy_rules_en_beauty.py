"""English cosmetic efficacy claims, endorsements, comparisons, personal attributes and ad labels (issue 13, round 3).

Kinds from CAP Code 3.7/12.1 and the CAP advice on beauty creams (every
efficacy claim needs tests on people: "needs evidence", cleared by an efficacy
report), Regulation (EU) 655/2013, 16 CFR 255 (experts, organisations,
typicality, disclosure), CAP 2.1/3.33-3.52 and Meta's personal-attributes
policy. Each kind has violating phrasings written here from the codes'
wording, found in its category, and lawful look-alikes sharing its words that
are not blocked (or, where the look-alike is the codes' own safe wording, get
no finding of that category at all).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (kind, industry, text, category expected among the findings)
VIOLATING = [
    # CAP 12.1 and CAP advice "anti-ageing creams": efficacy on wrinkles, firmness, lifting
    ("efficacy", "cosmetics", "Visibly reduces the appearance of fine lines and crow's feet.", "cosmetics_claim"),
    ("efficacy", "cosmetics", "Plumps out deep wrinkles and firms and lifts the skin.", "cosmetics_claim"),
    ("efficacy", "cosmetics", "A visible reduction in puffiness and dark circles.", "cosmetics_claim"),
    ("efficacy", "cosmetics", "Our night oil brightens your complexion.", "cosmetics_claim"),
    ("efficacy", "cosmetics", "Within a month my fine lines had visibly softened.", "cosmetics_claim"),
    ("efficacy", "cosmetics", "Whitens teeth and clears stubborn breakouts.", "cosmetics_claim"),
    # CAP advice "physiological effect": collagen, cells, DNA, repair
    ("physiological", "cosmetics", "Boosts your skin's natural collagen production.", "cosmetics_claim"),
    ("physiological", "cosmetics", "Works at a cellular level to renew tired skin.", "cosmetics_claim"),
    ("physiological", "cosmetics", "Repairs sun damage while you sleep.", "cosmetics_claim"),
    ("physiological", "cosmetics", "Protects your baby's skin microbiome.", "cosmetics_claim"),
    # a result within or for a stated time
    ("timed", "cosmetics", "Fine lines smoothed in just 7 days.", "cosmetics_claim"),
    ("timed", "cosmetics", "The 60-second facelift in a tube.", "cosmetics_claim"),
    ("timed", "cosmetics", "Removes red wine stains in 30 seconds.", "cosmetics_claim"),
    ("timed", "cosmetics", "72-hour odour protection, even on the hottest days.", "cosmetics_claim"),
    ("timed", "cosmetics", "Wake up to smoother skin overnight.", "cosmetics_claim"),
    ("timed", "cosmetics", "Instantly brightens dull, stained teeth.", "cosmetics_claim"),
    ("efficacy", "cosmetics", "Yellow stains simply melt away.", "cosmetics_claim"),
    # a figure for the effect
    ("measured", "cosmetics", "Skin looks 40% firmer and 30% more radiant.", "cosmetics_claim"),
    ("measured", "cosmetics", "Up to 3x more volume from root to tip.", "cosmetics_claim"),
    ("measured", "cosmetics", "Teeth up to 6 shades whiter.", "cosmetics_claim"),
    ("measured", "cosmetics", "A 45% reduction in pore size.", "cosmetics_claim"),
    ("measured", "cosmetics", "Removes up to 99% of everyday odours from fabric.", "cosmetics_claim"),
    ("measured", "cosmetics", "A home device 50x more powerful.", "cosmetics_claim"),
    # tests claimed
    ("tested", "cosmetics", "Dermatologically tested and clinically validated.", "cosmetics_claim"),
    ("tested", "cosmetics", "Proven to reduce redness in sensitive skin.", "cosmetics_claim"),
    # likened to injections or surgery
    ("procedure", "cosmetics", "The needle-free filler your lips have been waiting for.", "cosmetics_claim"),
    ("procedure", "cosmetics", "An instant facelift without the surgeon.", "cosmetics_claim"),
    ("procedure", "cosmetics", "The best alternative to Botox, in a jar.", "cosmetics_claim"),
    # permanent results
    ("permanent", "cosmetics", "Permanent hair reduction from home in 8 sessions.", "cosmetics_claim"),
    ("permanent", "cosmetics", "Results that last forever.", "cosmetics_claim"),
    # exaggeration (high)
    ("exaggeration", "cosmetics", "Eliminates wrinkles and gets rid of eye bags.", "cosmetics_claim"),
    ("exaggeration", "cosmetics", "Say goodbye to cellulite with our body oil.", "cosmetics_claim"),
    ("exaggeration", "cosmetics", "The wrinkle eraser that stops ageing.", "cosmetics_claim"),
    # special efficacy: spots and hair growth (needs the registration)
    ("special", "cosmetics", "Targets stubborn dark spots and evens out pigmentation.", "cosmetics_claim"),
    ("special", "cosmetics", "Stimulates new hair growth and reactivates dormant follicles.", "cosmetics_claim"),
    ("special", "cosmetics", "Grows your lashes longer with one coat a night.", "cosmetics_claim"),
    ("special", "cosmetics", "Grow up to 2 inches of hair in a month with our oil.", "cosmetics_claim"),
    # 655/2013 criterion 1: compliance presented as approval
    ("approval", "cosmetics", "Approved for sale in Europe and the UK.", "cosmetics_claim"),
    ("approval", "cosmetics", "The only EU-approved brow serum.", "cosmetics_claim"),
    # 16 CFR 255.3: a named expert with a title of standing
    ("expert", "health_food", "Dr. Helen Marsh, Britain's leading gut health expert, explains.", "improper_endorsement"),
    ("expert", "cosmetics", "Professor Ian Cole's signature serum for mature skin.", "improper_endorsement"),
    ("expert", "health_food", "Developed with the NHS's top joint specialist.", "improper_endorsement"),
    ("expert", "cosmetics", "Leading Harley Street dermatologist Dr Sam Okoro uses it daily.", "improper_endorsement"),
    ("expert", "health_food", "Priya Shah, registered nutritionist, takes it every morning.", "improper_endorsement"),
    ("expert", "cosmetics", "Trichologist Mark Bell swears by this scalp oil.", "improper_endorsement"),
    # 16 CFR 255.3-255.4: a profession's recommendation
    ("profession", "cosmetics", "Recommended by over 500 dermatologists.", "improper_endorsement"),
    ("profession", "general", "8 out of 10 vets would recommend it.", "improper_endorsement"),
    ("profession", "cosmetics", "The toothpaste dentists trust.", "improper_endorsement"),
    ("profession", "cosmetics", "The No.1 dermatologist recommended skincare brand.", "improper_endorsement"),
    # CAP 3.50: membership of a body implying approval
    ("membership", "medical_service", "Our clinic is a proud member of the British Association of Skin Camouflage.", "improper_endorsement"),
    ("membership", "general", "Accredited by the International Sleep Foundation.", "improper_endorsement"),
    # media coverage presented as endorsement
    ("media", "cosmetics", "As seen in Vogue and Elle.", "improper_endorsement"),
    ("media", "general", "As featured on Channel 4.", "improper_endorsement"),
    # celebrity use
    ("celebrity", "cosmetics", "The cream Hollywood A-listers swear by.", "improper_endorsement"),
    ("celebrity", "cosmetics", "Loved by celebrities and supermodels.", "improper_endorsement"),
    # 16 CFR 255.2: testimonials of results
    ("testimonial", "cosmetics", "After a month her wrinkles have completely disappeared.", "improper_endorsement"),
    ("testimonial", "general", "Customers have seen amazing results in days.", "improper_endorsement"),
    # CAP 2.1 / 16 CFR 255.5: creator posts without an ad label
    ("disclosure", "general", "Absolutely loving my new trainers from @stridewear, so comfy!", "missing_ad_disclosure"),
    ("disclosure", "cosmetics", "Glow check ✨ wearing @lumiskin tint today #gifted", "missing_ad_disclosure"),
    ("disclosure", "general", "My weekend look c/o @northcoat #collab", "missing_ad_disclosure"),
    ("disclosure", "cosmetics", "Thank you @lumiskin for sending this gorgeous tint!", "missing_ad_disclosure"),
    ("disclosure", "general", "These boots were kindly gifted by Northcoat.", "missing_ad_disclosure"),
    ("disclosure", "general", "Sunday run in my new kit #StrideWearAmbassador", "missing_ad_disclosure"),
    ("disclosure", "general", "Brand ambassador for @stridewear: their sale ends Friday!", "missing_ad_disclosure"),
    # CAP 3.33-3.38: comparisons
    ("comparison", "cosmetics", "Outperforms leading luxury serums at a fraction of the price.", "comparative_claim"),
    ("comparison", "general", "Twice as absorbent as other leading brands.", "comparative_claim"),
    ("comparison", "cosmetics", "Compared with regular shampoos, it leaves hair softer.", "comparative_claim"),
    ("comparison", "cosmetics", "No other serum comes close.", "comparative_claim"),
    ("comparison", "general", "Our blender vs the leading brands: see the results.", "comparative_claim"),
    ("comparison", "general", "Unlike Sparkle, our tablets leave no residue.", "comparative_claim"),
    ("comparison", "cosmetics", "The perfect dupe for Lumina's cult primer.", "comparative_claim"),
    ("comparison", "cosmetics", "Same results as luxury serums at half the price of designer brands.", "comparative_claim"),
    # Meta personal attributes
    ("attribute", "general", "Meet other singles with diabetes near you.", "personal_attribute"),
    ("attribute", "finance", "We help people like you who have fallen behind on payments.", "personal_attribute"),
    ("attribute", "general", "Newly diagnosed? We can help.", "personal_attribute"),
    ("attribute", "general", "Get the support your diagnosis deserves.", "personal_attribute"),
    ("attribute", "finance", "Write off up to 80% of your debt today.", "personal_attribute"),
]

# (kind, industry, text): lawful wording sharing the kind's words; no high or critical finding
LOOK_ALIKES = [
    ("efficacy", "cosmetics", "Skin feels softer and smoother after every use."),
    ("efficacy", "cosmetics", "Brightens the look of tired skin."),
    ("efficacy", "cosmetics", "Pores and lines are natural; we celebrate your skin."),
    ("efficacy", "general", "Clear your schedule for a spa day."),
    ("physiological", "cosmetics", "Contains marine collagen and hyaluronic acid."),
    ("timed", "cosmetics", "Delivered in 3 days; apply twice a day."),
    ("timed", "cosmetics", "I've been using this moisturiser for two weeks."),
    ("timed", "cosmetics", "Instant delivery on e-gift cards."),
    ("measured", "cosmetics", "Now with 30% more free in every bottle."),
    ("measured", "cosmetics", "Contains 2% salicylic acid and 5% niacinamide."),
    ("tested", "cosmetics", "Not tested on animals."),
    ("procedure", "cosmetics", "Ask a qualified practitioner about fillers and Botox."),
    ("permanent", "cosmetics", "Permanent hair colour with 100% grey coverage."),
    ("permanent", "cosmetics", "A semi-permanent tint that fades in 6 washes."),
    ("exaggeration", "cosmetics", "Removes make-up and melts away impurities."),
    ("exaggeration", "cosmetics", "No cream can erase wrinkles, but ours keeps skin hydrated."),
    ("special", "cosmetics", "Teeth whitening toothpaste for a brighter smile."),
    ("special", "cosmetics", "Trim 2 cm off your ends every eight weeks."),
    ("approval", "cosmetics", "Not approved or licensed by any government body: it is a cosmetic."),
    ("approval", "cosmetics", "Made in the EU from approved ingredients."),
    ("expert", "general", "Dr. Ava Jones will speak at our open evening."),
    ("expert", "general", "Jane Doe, our founder, started the shop in 2010."),
    ("profession", "health_food", "Ask your doctor before taking any supplement."),
    ("profession", "general", "Our most recommended product this month, by our own staff."),
    ("membership", "general", "Registered with the General Medical Council."),
    ("membership", "general", "Open to members of the public every weekend."),
    ("media", "general", "As seen from the top of the tower, the city glows."),
    ("celebrity", "general", "Our models wear size 10."),
    ("testimonial", "general", "Her favourite colour is blue."),
    ("disclosure", "general", "#ad Loving my new trainers from @stridewear, so comfy!"),
    ("disclosure", "general", "Paid partnership with @lumiskin: my glow check."),
    ("disclosure", "general", "Thanks to everyone who came to our open day!"),
    ("disclosure", "general", "#ad #StrideWearAmbassador Sunday run in my new kit"),
    ("comparison", "general", "Twice as absorbent as our previous towels."),
    ("comparison", "general", "Unlike most gyms, we are open all night."),
    ("comparison", "general", "No other questions? Book now."),
    ("comparison", "general", "The same quality as always, now in recycled packaging."),
    ("attribute", "general", "If you have diabetes, talk to your GP about your diet."),
    ("attribute", "general", "Diabetes awareness week: learn the signs."),
]

# The codes' own safe wording: no finding of that category at all.
NO_FINDING = [
    ("sensory", "cosmetics", "Skin feels softer and smoother.", "cosmetics_claim"),
    ("sensory", "cosmetics", "For more radiant-looking skin.", "cosmetics_claim"),
    ("hair colour", "cosmetics", "Permanent hair colour in 20 shades.", "cosmetics_claim"),
    ("make-up removal", "cosmetics", "Gently removes make-up and dissolves sunscreen.", "cosmetics_claim"),
    ("own comparison", "general", "Lasts twice as long as our previous model.", "comparative_claim"),
    ("labelled", "general", "#ad Loving my new trainers from @stridewear!", "missing_ad_disclosure"),
    ("gp regulator", "medical_service", "Dr. Patel is registered with the General Medical Council.", "improper_endorsement"),
]


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING)
def test_kind_is_caught_in_its_category(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text"), LOOK_ALIKES)
def test_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, kind)


@pytest.mark.parametrize(("kind", "industry", "text", "category"), NO_FINDING)
def test_safe_wording_gets_no_finding_of_the_category(kind: str, industry: str, text: str, category: str) -> None:
    found = [(f.rule, f.term) for f in load_checker("en", industry).check(text) if f.category == category]
    assert found == [], f"{kind}: {text!r} gave {found}"


def test_every_kind_has_a_violation_and_a_look_alike() -> None:
    kinds = {kind for kind, *_ in VIOLATING}
    assert kinds <= {kind for kind, *_ in LOOK_ALIKES}


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Reduces the appearance of wrinkles in 4 weeks.", "medium"),  # needs evidence
        ("Erases wrinkles for good.", "high"),  # no evidence makes it true
    ],
)
def test_needs_evidence_is_medium_and_exaggeration_high(text: str, severity: str) -> None:
    findings = [f for f in load_checker("en", "cosmetics").check(text) if f.category == "cosmetics_claim"]
    assert max((f.severity for f in findings), key=["low", "medium", "high", "critical"].index) == severity


def lint_rules(text: str, *args: str) -> set[str]:
    """The rules `lint-copy --json` reports for `text` as a cosmetics ad."""
    proc = subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", "-", "--market", "en", "--industry", "cosmetics", "--json", *args],
        input=text, capture_output=True, text=True, check=False,
    )
    return {f["rule"] for line in proc.stdout.splitlines() for f in json.loads(line)["findings"]}


def test_an_efficacy_report_clears_the_efficacy_claims_but_not_the_exaggeration() -> None:
    text = "Visibly reduces fine lines in 7 days. Eliminates wrinkles."
    before = lint_rules(text)
    assert {"en.cosmetics.efficacy_claim", "en.cosmetics.timed_result", "en.cosmetics.exaggeration"} <= before
    after = {rule for rule in lint_rules(text, "--evidence", "efficacy_report") if rule.startswith("en.cosmetics.")}
    assert after == {"en.cosmetics.exaggeration"}
