"""English claims of round 5 (issue 13, en-round5.toml): kinds seen in the dev half of the blind batch 8 that no
pack reached, written with the breadth of the code section each breaks; every text here is written for this test.

- a comparison with every rival at once (CAP 3.33-3.35);
- a superlative placed in a country or market (CAP 3.7, 3.33; the possessive "Britain's biggest" was covered);
- a creator's discount code beside a brand's handle, no ad label (CAP 2.1/2.4; FTC 16 CFR 255.5);
- a course promising a job (CAP 3.1, 3.7; FTC 16 CFR 254.4);
- toxins removed from the body (Reg. (EC) 1924/2006 Art. 10; CAP 15.1);
- a testimonial that a medical aid or medicine is no longer needed (CAP 12.1, 12.2, 3.45; FTC 16 CFR 255.2);
- a change shown after a stated time of use (CAP 3.7, 12.1);
- a success rate given as a percentage better than others (CAP 3.7, 3.33; ACCC on IVF success rates).
Each kind has violating phrasings found in their category and look-alikes the kind's rule leaves alone.
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
    ("every_rival", "general", "Fresher bread than any other bakery in town, every single morning.", "comparative_claim"),
    ("every_rival", "general", "Our broadband is faster than anyone else's in your street.", "comparative_claim"),
    ("every_rival", "general", "More rewards than all the other loyalty cards put together.", "comparative_claim"),
    ("rate", "medical_service", "Patients enjoy a 25% higher success rate with our clinic.", "comparative_claim"),
    ("rate", "education", "Students get a 30 percent better pass rate on our programme.", "comparative_claim"),
    ("placed", "general", "The biggest range of garden furniture in the UK, delivered free.", "absolute_claim"),
    ("placed", "general", "We are the most trusted estate agent in England.", "absolute_claim"),
    ("placed", "general", "The cheapest energy tariff in the country right now.", "absolute_claim"),
    ("code", "cosmetics", "Obsessed with this palette from @glowhouse.co! Use code LILY20 for 20% off", "missing_ad_disclosure"),
    ("code", "general", "New trainers from @runfast_uk, enter code TOMRUNS at checkout x", "missing_ad_disclosure"),
    ("job", "education", "Finish the bootcamp with a guaranteed job in tech or your money back.", "education_result_promise"),
    ("job", "education", "Every graduate gets a placement guarantee with our partner firms.", "education_result_promise"),
    ("job", "general", "Train as an HGV driver with a job guaranteed at the end.", "education_result_promise"),
    ("toxins", "health_food", "These drops flush toxins from your body while you sleep.", MED),
    ("toxins", "food", "A green juice that draws out impurities from your liver.", NONMED),
    ("toxins", "cosmetics", "The foot pads pull out toxins overnight.", NONMED),
    ("aid", "health_food", "My dad no longer needs his cane since taking JointEase.", MED),
    ("aid", "general", "Sarah no longer takes her painkillers thanks to our magnetic bracelet.", NONMED),
    ("timed", "cosmetics", "Look at her skin after only 4 weeks of using the serum!", "before_after"),
    ("timed", "health_food", "His hair looked thicker after 3 months of taking FolliMax.", "before_after"),
]

# (kind, industry, text, the kind's rule that must not be among the findings)
CLEAN = [
    ("every_rival", "general", "Christmas is busier than any other time of year for our bakers.", "en.r5.than_every_rival"),
    ("every_rival", "general", "Prices have never been lower than last spring, says the ONS.", "en.r5.than_every_rival"),
    ("rate", "general", "Interest rates rose 2 percent this year.", "en.r5.percent_better_chance"),
    ("rate", "medical_service", "No clinic can promise a higher chance of pregnancy.", "en.r5.percent_better_chance"),
    ("placed", "general", "Edinburgh is the largest city in Scotland after Glasgow... no, it is the second.",
     "en.r5.placed_superlative"),
    ("placed", "general", "Visit the largest museum in Europe this summer with our coach tours.", "en.r5.placed_superlative"),
    ("code", "general", "#ad Use code LILY20 for 20% off at @glowhouse.co", "en.r5.code_beside_handle"),
    ("code", "general", "Use code WELCOME10 at checkout for 10% off your first order.", "en.r5.code_beside_handle"),
    ("job", "education", "There is no job guarantee; 7 in 10 graduates were employed within a year (2025 survey).",
     "en.r5.job_guarantee"),
    ("job", "general", "The government's job guarantee scheme opens to applicants in March.", "en.r5.job_guarantee"),
    ("toxins", "general", "Our filter removes chlorine and lead from tap water.", "en.r5.toxins_out"),
    ("toxins", "general", "Beware of foot pads that claim to draw out toxins: it is a scam.", "en.r5.toxins_out"),
    ("aid", "general", "She no longer needs her reading glasses on the app: the text size is adjustable.",
     "en.r5.aid_no_longer_needed"),
    ("aid", "medical_service", "Never stop taking your medication without asking your doctor.", "en.r5.aid_no_longer_needed"),
    ("timed", "general", "The garden looked wonderful after two weeks of sunshine.", "en.r5.look_after_weeks"),
    ("timed", "general", "Prices go up after 3 months on the introductory plan.", "en.r5.look_after_weeks"),
]


def test_every_kind_has_violations_and_look_alikes() -> None:
    assert_kinds_covered(VIOLATING, CLEAN, violations=2, look_alikes=2)


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING)
def test_violation_is_caught_in_its_category(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text", "rule"), CLEAN)
def test_look_alike_is_not_blocked_nor_taken_for_the_kind(kind: str, industry: str, text: str, rule: str) -> None:
    assert_look_alike("en", industry, text, rule, kind)


def test_the_job_promise_is_an_education_and_general_rule_only() -> None:
    text = "Join the programme with a guaranteed job at the end."
    assert "en.r5.job_guarantee" in {f.rule for f in load_checker("en", "education").check(text)}
    assert "en.r5.job_guarantee" not in {f.rule for f in load_checker("en", "finance").check(text)}


def test_lint_copy_reports_the_round5_rules_in_json() -> None:
    text = "Lower fares than any other airline, and our pads pull out toxins overnight."
    done = subprocess.run([sys.executable, "-m", "sheetsync", "lint-copy", text, "--market", "en", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    assert {"en.r5.than_every_rival", "en.r5.toxins_out"} <= rules
