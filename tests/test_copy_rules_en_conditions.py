"""English disease and condition claims in every industry (templates/rules/en-conditions.toml, issue 13).

A verb or noun of effect on a disease, condition or symptom is high for anything that is not a
medicine (CAP 12.1, 15.6.2; FD&C Act 321(g)(1)) and medium "needs evidence" (efficacy_report) for a
medicine, a device or a medical service, whose authorised indication is lawful, and for a supplement
(health_food_approval), whose licensed monograph or herbal-registration use is lawful; a cure, a miracle, a
guarantee, "no side effects" or advice to drop treatment is high everywhere. Each rule has violating
phrasings and clean look-alikes that share its words; texts are written for this test from the kinds,
not copied from the real-case corpus.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

PACK = Path(__file__).parent.parent / "templates" / "rules" / "en-conditions.toml"

NON_MEDICINES = ("general", "food", "cosmetics")
MEDICINES = ("pharma", "medical_device", "medical_service")


def category_for(industry: str) -> str:
    return "medical_efficacy_claim" if industry in ("health_food", *MEDICINES) else "disease_claim_non_medical"


# (rule, industry, text): each must be reported by that rule, in the industry's health category
VIOLATING = [
    ("en.conditions.disease_claim_supplement", "health_food", "Our oil has helped thousands of people with issues like seizures and sleep disorders"),
    ("en.conditions.disease_claim", "general", "These insoles have stopped arthritis in its tracks for our customers"),
    ("en.conditions.disease_claim", "food", "Our mushroom broth starves cancer cells"),
    ("en.conditions.disease_claim", "cosmetics", "The balm that supports people living with psoriasis"),
    ("en.conditions.disease_claim_supplement", "health_food", "A herbal remedy for both acute and chronic migraines"),
    ("en.conditions.disease_claim", "food", "Long covid? Our kefir works by targeting the inflammation behind it."),
    ("en.conditions.disease_claim", "general", "With daily use, ADHD can be completely reversed"),
    ("en.conditions.disease_claim_supplement", "health_food", "Normal blood sugar within 30 days, naturally"),
    ("en.conditions.relief_claim", "food", "This tea eases menopause symptoms"),
    ("en.conditions.relief_claim", "cosmetics", "Fast relief from eczema flare-ups"),
    ("en.conditions.relief_claim", "general", "The weighted blanket that calms anxiety"),
    ("en.conditions.relief_claim", "food", "Nature's arthritis relief in a jar"),
    ("en.conditions.medicinal_property", "health_food", "Ginger, one of the most powerful natural anti-inflammatories"),
    ("en.conditions.medicinal_property", "cosmetics", "An antiviral hand cream for the whole family"),
    ("en.conditions.medicinal_property", "food", "Manuka honey: nature's antibiotic"),
    ("en.conditions.medicinal_property", "general", "Our cancer-fighting air purifier"),
    ("en.conditions.cure_miracle", "pharma", "The miracle pill for joint pain"),
    ("en.conditions.cure_miracle", "medical_device", "This wristband cures insomnia for good"),
    ("en.conditions.cure_miracle", "general", "The breakthrough treatment doctors don't want you to know about"),
    ("en.conditions.cure_miracle", "medical_service", "Our therapy is guaranteed to cure your back pain"),
    ("en.conditions.cure_miracle", "health_food", "Big Pharma doesn't want you to know about this root"),
    ("en.conditions.safety_absolute", "pharma", "Side-effect free and safe for everyone"),
    ("en.conditions.safety_absolute", "medical_device", "No known side effects, no contraindications"),
    ("en.conditions.safety_absolute", "health_food", "It's 100% natural, so it's completely safe"),
    ("en.conditions.discourages_treatment", "health_food", "No more need for insulin once you start our drops"),
    ("en.conditions.discourages_treatment", "general", "Stop taking your blood pressure pills and try our breathing course"),
    ("en.conditions.discourages_treatment", "food", "Our elderberry syrup works better than antibiotics"),
    ("en.conditions.disease_claim", "general", "Our lamp kills 99.9% of viruses in the room"),
    ("en.conditions.disease_claim", "cosmetics", "Helped over 10,000 eczema sufferers"),
    ("en.conditions.medicine_efficacy", "medical_device", "Helped over 5,000 tinnitus patients"),
    ("en.conditions.immune_boost", "medical_service", "Book an immune-boosting vitamin drip today"),
    ("en.conditions.immune_boost", "general", "The shower filter that boosts your immune system"),
    ("en.conditions.prescription_medicine", "pharma", "Buy Ozempic online, delivered tomorrow"),
    ("en.conditions.prescription_medicine", "general", "Weight loss jabs, no prescription needed"),
    ("en.conditions.supplement_function", "health_food", "Boosts testosterone and burns stubborn belly fat"),
    ("en.conditions.supplement_function", "health_food", "Reduces stress and supports hormonal balance"),
    ("en.conditions.supplement_function", "health_food", "The ultimate joint support formula"),
    ("en.conditions.supplement_function", "health_food", "F A S T  A C T I N G J O I N T  S U P P O R T"),
    ("en.conditions.supplement_function", "health_food", "Improves insulin sensitivity naturally"),
    ("en.conditions.medicinal_property", "health_food", "Berberine, nature's Ozempic"),
    ("en.conditions.discourages_treatment", "health_food", "A herbal alternative to HRT"),
    ("en.conditions.research_claim", "health_food", "Studies show our formula works"),
    ("en.conditions.research_claim", "medical_device", "92% of users reported less back pain"),
    ("en.conditions.medical_grade", "health_food", "Pharmaceutical-grade fish oil, doctor formulated"),
]

# (industry, text): lawful look-alikes sharing the words of a rule; at most a medium finding
CLEAN = [
    ("health_food", "Helps relieve symptoms associated with menopause."),
    ("health_food", "Vitamin D contributes to the normal function of the immune system"),
    ("food", "Oat beta-glucan contributes to the maintenance of normal blood cholesterol levels"),
    ("health_food", "Used for the relief of migraine headaches. Traditional herbal medicinal product, based on traditional use only."),
    ("health_food", "Glucosamine helps reduce joint pain. Use for a minimum of 2 months to see beneficial effects."),
    ("general", "Donate today and help us beat cancer sooner"),
    ("general", "Our antivirus software protects your laptop from viruses and malware"),
    ("general", "Feed your lawn and protect it from fungal infections"),
    ("cosmetics", "A gentle moisturiser for eczema-prone skin"),
    ("general", "Be wary of any supplement that claims to cure diabetes."),
    ("general", "Watch out for phrases like miracle cure or scientific breakthrough."),
    ("general", "We take the pain out of filing your taxes"),
    ("pharma", "For the relief of hay fever symptoms. Always read the label."),
    ("pharma", "Relieves the pain of headaches and migraine"),
    ("medical_device", "Clinically shown to ease knee pain from osteoarthritis"),
    ("medical_service", "Our physiotherapists help people with back pain and sports injuries"),
    ("pharma", "Granted breakthrough therapy designation by the FDA"),
    ("general", "A tent that is safe for the whole family to use at the park"),
    ("food", "Never a miracle, just good bread baked every morning"),
    ("health_food", "Talk to your doctor before you stop taking any medication."),
    ("medical_device", "FDA cleared for the relief of tension headaches"),
    ("general", "Customer support that boosts your team's energy"),
    ("health_food", "Zinc contributes to the maintenance of normal testosterone levels in the blood"),
    ("health_food", "Iron helps reduce tiredness and fatigue"),
    ("general", "Your prescription, delivered: order repeat prescriptions through your GP"),
    ("health_food", "There are no studies that show this"),
    ("general", "Medical-grade stainless steel cookware"),
]


@pytest.fixture(scope="module")
def pack_alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rules folder with this pack only: which of its rules reports a text, whatever en.toml also finds."""
    folder = tmp_path_factory.mktemp("rules")
    shutil.copy(PACK, folder / PACK.name)
    severity = tomllib.loads((PACK.parent / "en.toml").read_text(encoding="utf-8"))["severity"]
    lines = ['market = "en"', 'industries = ["*"]', "[severity]", *(f'{k} = "{v}"' for k, v in severity.items())]
    (folder / "en.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("rule", "industry", "text"), VIOLATING, ids=[f"{r}-{i}" for r, i, _ in VIOLATING])
def test_a_condition_claim_is_reported_by_its_rule(rule: str, industry: str, text: str, pack_alone: Path) -> None:
    assert_caught("en", industry, text, category_for(industry), rule)
    rules = {f.rule for f in load_checker("en", industry, rules_dir=pack_alone).check(text)}
    assert rule in rules, (text, sorted(rules))


@pytest.mark.parametrize(("industry", "text"), CLEAN, ids=[t[:40] for _, t in CLEAN])
def test_a_lawful_look_alike_is_not_blocked(industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, "clean")


@pytest.mark.parametrize("industry", NON_MEDICINES)
def test_a_disease_claim_blocks_a_non_medicine(industry: str) -> None:
    (finding,) = [f for f in load_checker("en", industry).check("It helps with sciatica") if f.rule.startswith("en.conditions")]
    assert (finding.category, finding.severity, finding.term, finding.evidence) == (
        category_for(industry), "high", "sciatica", "")


@pytest.mark.parametrize("industry", MEDICINES)
def test_a_medicine_s_indication_needs_its_evidence(industry: str) -> None:
    text = "It helps with sciatica"
    (finding,) = [f for f in load_checker("en", industry).check(text) if f.rule.startswith("en.conditions")]
    assert (finding.category, finding.severity, finding.term, finding.evidence) == (
        "medical_efficacy_claim", "medium", "sciatica", "efficacy_report")
    assert "Efficacy report" in finding.message
    cleared = load_checker("en", industry, facts=frozenset({"efficacy_report"})).check(text)
    assert [f for f in cleared if f.rule.startswith("en.conditions")] == []


def test_a_supplement_s_condition_claim_needs_its_licence() -> None:
    (finding,) = [f for f in load_checker("en", "health_food").check("It helps with sciatica") if f.rule.startswith("en.conditions")]
    assert (finding.category, finding.severity, finding.evidence) == ("medical_efficacy_claim", "medium", "health_food_approval")


def test_a_supplement_s_relief_claim_needs_its_licence() -> None:
    text = "Helps relieve symptoms associated with menopause."
    (finding,) = load_checker("en", "health_food").check(text)
    assert (finding.rule, finding.severity, finding.term, finding.evidence) == (
        "en.conditions.relief_claim_licensed", "medium", "menopause", "health_food_approval")


@pytest.mark.parametrize(
    ("industry", "text"),
    [
        ("food", "Diets low in saturated fat and cholesterol may reduce the risk of heart disease."),
        ("food", "Plant stanol esters have been shown to lower blood cholesterol."),
        ("food", "Gluten-free bread, ideal for people with coeliac disease"),
    ],
)
def test_authorised_and_suitability_wording_is_not_this_pack_s_claim(industry: str, text: str, pack_alone: Path) -> None:
    """FDA authorised health claims ("may reduce the risk of"), EU Art. 14 wording ("has been shown to lower")
    and suitability statements are not reported by this pack (en.toml's own rules are another matter)."""
    assert load_checker("en", industry, rules_dir=pack_alone).check(text) == []
