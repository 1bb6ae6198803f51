"""English copy rules written from the published codes, kind by kind (issue 13: recall that generalises).

Each kind is a section of a code regulators act on — CAP Code (3.7 evidence,
3.33-3.44 comparisons, 3.17-3.31 prices and "free", 2.1/2.4 recognisable ads,
12 medicinal claims, 13 weight control, 14 financial, 15 food), FTC guidance
(Health Products Compliance Guidance 2022, 16 CFR 255 endorsements, earnings
claims, "Made in USA", 16 CFR 251 "free") and Meta/TikTok ad policies. For each
kind, at least three violating phrasings written here from the code's wording
(not taken from any corpus) must be found in the right category, and at least
two lawful look-alikes sharing its words must get no high or critical finding.
"""

from __future__ import annotations

import pytest
from copy_cases import assert_caught, assert_kinds_covered, assert_not_blocked

# (kind, industry, text, category expected among the findings)
VIOLATING = [
    # CAP 3.7: objective claims need documentary evidence
    ("evidence", "general", "Clinically proven to improve sleep quality.", "guaranteed_outcome"),
    ("evidence", "general", "Scientifically proven to keep your dog calmer.", "guaranteed_outcome"),
    ("evidence", "general", "87% of users saw softer hair after one wash.", "guaranteed_outcome"),
    ("evidence", "general", "Proven to double your phone's battery life.", "guaranteed_outcome"),
    ("evidence", "cosmetics", "9 out of 10 women said their skin felt firmer.", "cosmetics_claim"),
    ("evidence", "cosmetics", "Dermatologist recommended for sensitive skin.", "improper_endorsement"),
    # CAP 3.33-3.44: comparisons and denigration
    ("comparison", "general", "Unlike other brands, our filters actually work.", "comparative_claim"),
    ("comparison", "general", "Three times more effective than the leading brand.", "comparative_claim"),
    ("comparison", "general", "Cleans twice as well as ordinary detergents.", "comparative_claim"),
    ("comparison", "general", "5x stronger than regular glue.", "comparative_claim"),
    ("comparison", "general", "Cheap knock-offs are full of fillers, ours isn't.", "comparative_claim"),
    # CAP 3.17-3.22 and 3.31: prices
    ("price", "general", "Up to 70% off everything this weekend!", "misleading_price_offer"),
    ("price", "general", "Sale ends at midnight and this price will never be repeated!", "misleading_price_offer"),
    ("price", "general", "Was £120, now £60 for a limited time.", "misleading_price_offer"),
    ("price", "general", "Hurry, only 3 left at this price!", "misleading_price_offer"),
    # CAP 3.23-3.28 / 16 CFR 251: free trials with strings
    ("free", "general", "Claim your free trial bottle, you only pay postage.", "misleading_price_offer"),
    ("free", "general", "Free trial for 14 days, then £29.99 a month.", "misleading_price_offer"),
    ("free", "general", "Get a FREE phone case, just cover P&P.", "misleading_price_offer"),
    # CAP 2.1/2.4: marketing not obviously identifiable
    ("disclosure", "general", "Loving my new trainers, thanks to @fleetrun! Use my code LUCY15 for 15% off #sp",
     "missing_ad_disclosure"),
    ("disclosure", "general", "#gifted by @glowco but honestly obsessed, 20% off with my code GLOW20",
     "missing_ad_disclosure"),
    ("disclosure", "general", "My morning routine c/o @beanbros, use code SAM10 at checkout #spon",
     "missing_ad_disclosure"),
    # CAP 12.1/12.2: medicinal claims for non-medicines
    ("medicinal", "general", "This balm soothes joint pain and eases stiffness.", "disease_claim_non_medical"),
    ("medicinal", "general", "Heals burns, cuts and sunburn overnight.", "disease_claim_non_medical"),
    ("medicinal", "general", "Gentle enough for babies, safe for everyone, no side effects.", "disease_claim_non_medical"),
    ("medicinal", "general", "Fast relief from hay fever with our nasal balm.", "disease_claim_non_medical"),
    # CAP 13: weight control
    ("weight", "general", "Shed 5 lbs a week on our shake plan.", "guaranteed_outcome"),
    ("weight", "general", "Targets stubborn belly fat where you want it gone.", "guaranteed_outcome"),
    ("weight", "general", "Eat whatever you want and still lose weight.", "guaranteed_outcome"),
    ("weight", "general", "Lose a stone in a month with our plan.", "guaranteed_outcome"),
    # CAP 15 / Reg. 1924/2006: food health claims
    ("food", "food", "Our juice boosts your immune system naturally.", "disease_claim_non_medical"),
    ("food", "food", "This tea detoxes your liver overnight.", "disease_claim_non_medical"),
    ("food", "food", "Heart-healthy oats that lower cholesterol.", "disease_claim_non_medical"),
    # CAP 14 / FCA: financial
    ("finance", "general", "Guaranteed returns of 8% with no risk to your savings.", "investment_return_promise"),
    ("finance", "general", "Our fund has returned 12% every year since 2015, and it will keep doing so.",
     "investment_return_promise"),
    ("finance", "general", "Had you invested £1,000 with us in 2019, you would now have £9,000.",
     "investment_return_promise"),
    # FTC earnings and lifestyle claims
    ("earnings", "general", "Make up to $10,000 with our proven system.", "investment_return_promise"),
    ("earnings", "general", "Join the team, quit your job and work from your phone.", "investment_return_promise"),
    ("earnings", "general", "Work from the beach and live the laptop lifestyle with our course.",
     "investment_return_promise"),
    # FTC "Made in USA" (16 CFR 323)
    ("origin", "general", "Proudly Made in USA.", "absolute_claim"),
    ("origin", "general", "100% American-made boots.", "absolute_claim"),
    ("origin", "general", "All-American quality, made in the U.S.A.", "absolute_claim"),
    # 16 CFR 255: expert endorsements and atypical results
    ("endorsement", "general", "Dr. Harlow recommends our sleep spray to all her patients.", "improper_endorsement"),
    ("endorsement", "general", "Lost 40 lbs in 8 weeks! *Results not typical.", "improper_endorsement"),
    ("endorsement", "health_food", "Dr. Patel swears by these gummies.", "improper_endorsement"),
    # Meta/TikTok personal attributes: "you" + an attribute
    ("personal", "general", "You have diabetes, so you need this app.", "personal_attribute"),
    ("personal", "general", "Because you're over 50, you deserve a better life cover deal.", "personal_attribute"),
    ("personal", "general", "Since you're a Christian, you'll love our dating app.", "personal_attribute"),
    ("personal", "finance", "You're unemployed and on benefits? Get a loan today.", "personal_attribute"),
    # Meta/TikTok misleading and sensational claims
    ("sensational", "general", "The one weird trick to erase wrinkles.", "guaranteed_outcome"),
    ("sensational", "general", "The secret doctors don't want you to know about joint health.", "guaranteed_outcome"),
    ("sensational", "general", "This miracle cream changed everything.", "guaranteed_outcome"),
    # Meta/TikTok weight loss and body image
    ("body", "general", "Get rid of belly fat and love handles.", "guaranteed_outcome"),
    ("body", "general", "Blast away your muffin top before summer.", "guaranteed_outcome"),
    ("body", "general", "Say goodbye to flabby arms and a saggy bum.", "guaranteed_outcome"),
    # Meta/TikTok: get-rich-quick financial products
    ("get_rich", "general", "This crypto coin will 100x by Christmas.", "investment_return_promise"),
    ("get_rich", "general", "Get rich quick with our forex signals.", "investment_return_promise"),
    ("get_rich", "general", "Turn $250 into $5,000 in a week with our trading bot.", "investment_return_promise"),
    # FTC 437.4(a): earnings within a time span
    ("earnings_story", "general", "I made $8,200 in just 3 weeks selling templates online.", "investment_return_promise"),
    ("earnings_story", "general", "Our students have earned over £20,000 within six months.", "investment_return_promise"),
    ("earnings_story", "general", "She cleared $1,500 in her first 10 days.", "investment_return_promise"),
    # Meta/TikTok unrealistic outcomes: fast body gains
    ("body_speed", "general", "Build muscle fast with our 4-move plan.", "guaranteed_outcome"),
    ("body_speed", "general", "Pack on serious mass in 30 days.", "guaranteed_outcome"),
    ("body_speed", "general", "Gain strength quickly, no gym needed.", "guaranteed_outcome"),
    # CAP 3.18: drip pricing
    ("drip", "general", "Tickets £25, excluding booking & delivery fees.", "misleading_price_offer"),
    ("drip", "general", "Rooms from £89 plus a mandatory resort fee.", "misleading_price_offer"),
    ("drip", "general", "Prices may differ from face value.", "misleading_price_offer"),
    # CAP 2.3 / FTC native advertising: advertorials
    ("advertorial", "health_food", "Keto Gummies Exposed: the results shocked our editors.", "missing_ad_disclosure"),
    ("advertorial", "general", "Collagen drops: really the new wonder for skin? Order below.", "missing_ad_disclosure"),
    ("advertorial", "general", "Green coffee: really a new miracle for weight loss?", "missing_ad_disclosure"),
    # Reg. 1924/2006 Art. 10(3): general wellbeing benefits of foods and supplements
    ("wellbeing", "health_food", "Our night capsules help your mind switch off.", "medical_efficacy_claim"),
    ("wellbeing", "health_food", "Unlock a calmer mind and a stronger body with our blend.", "medical_efficacy_claim"),
    ("wellbeing", "food", "The cocoa that helps you unwind and sleep.", "disease_claim_non_medical"),
    # CAP 12.1 / Reg. 1223/2009 Art. 20: cosmetics as remedies
    ("cosmetic_medicinal", "cosmetics", "The best remedy for acne scars.", "cosmetics_claim"),
    ("cosmetic_medicinal", "cosmetics", "This shampoo stops hair loss.", "cosmetics_claim"),
    ("cosmetic_medicinal", "cosmetics", "An oil that is a natural treatment for stretch marks.", "cosmetics_claim"),
    ("cosmetic_spots", "cosmetics", "Fades away dark spots and discolouration.", "cosmetics_claim"),
    ("cosmetic_spots", "cosmetics", "Lightens stubborn age spots in weeks.", "cosmetics_claim"),
    ("cosmetic_spots", "cosmetics", "Erases pigmentation for an even tone.", "cosmetics_claim"),
    # FTC HPCG / CAP 12.6: removed in a single treatment
    ("single_treatment", "medical_device", "Freezes corns away in one treatment.", "medical_efficacy_claim"),
    ("single_treatment", "pharma", "Clears cold sores after a single application.", "medical_efficacy_claim"),
    ("single_treatment", "medical_device", "Kills head lice with just one use.", "medical_efficacy_claim"),
    # CAP 3.7/3.33: a superlative over a place's or market's competitors
    ("place_superlative", "general", "The UK's fastest broadband, now in your street.", "absolute_claim"),
    ("place_superlative", "general", "London's cheapest removals.", "absolute_claim"),
    ("place_superlative", "general", "Europe's most trusted pet insurer.", "absolute_claim"),
    ("headline_superlative", "general", "Cheapest car insurance around.", "absolute_claim"),
    ("headline_superlative", "general", "Best garden hose", "absolute_claim"),
    ("headline_superlative", "general", "Fastest stair lift in the UK.", "absolute_claim"),
    # 16 CFR 255.1 / CAP 3.45: a named person's secret or backing (fake celebrity ads)
    ("celebrity", "general", "Sarah Jenkins's weight-loss secret revealed.", "improper_endorsement"),
    ("celebrity", "general", "Tom Marsh backs this new crypto platform paying out daily.", "improper_endorsement"),
    ("celebrity", "general", "Inside Amy Cole's anti-ageing routine that dermatologists fear.", "improper_endorsement"),
    # CAP 14 / FCA: risk played down
    ("risk", "general", "High returns with low risk: join 5,000 investors.", "investment_return_promise"),
    ("risk", "general", "As safe as a savings account, but paying 9%.", "investment_return_promise"),
    ("risk", "general", "Zero risk, high rewards: our bond scheme.", "investment_return_promise"),
    # CAP 3.7 / Meta: instant or first-use appearance effects
    ("instant", "cosmetics", "This serum instantly lifts and tightens.", "guaranteed_outcome"),
    ("instant", "general", "Visible results from the first use.", "guaranteed_outcome"),
    ("instant", "general", "Shapewear that instantly flattens your tummy.", "guaranteed_outcome"),
    # CAP 12.1/12.2: symptoms of any condition, and its sufferers
    ("symptoms", "general", "Our cushion eases the symptoms of piriformis syndrome.", "disease_claim_non_medical"),
    ("symptoms", "general", "A tea that soothes menopause symptoms.", "disease_claim_non_medical"),
    ("symptoms", "health_food", "Ideal for rosacea sufferers.", "medical_efficacy_claim"),
    # CAP 3.7 / Meta: years younger, height, enlargement
    ("appearance", "general", "Look ten years younger in a month.", "guaranteed_outcome"),
    ("appearance", "general", "The cream that takes 5 years off your face.", "guaranteed_outcome"),
    ("appearance", "general", "Grow taller with our insoles and stretches.", "guaranteed_outcome"),
    # CAP 13: slimming aids
    ("slimming_aid", "general", "A natural appetite suppressant in every sachet.", "guaranteed_outcome"),
    ("slimming_aid", "general", "Fat binder capsules for your summer body.", "guaranteed_outcome"),
    ("slimming_aid", "general", "Curbs cravings all day.", "guaranteed_outcome"),
    # CAP 3.33-3.38: named competitors
    ("named_competitor", "general", "Half the price of Dyson, twice the suction.", "comparative_claim"),
    ("named_competitor", "general", "Faster than Vodafone in every town we tested.", "comparative_claim"),
    ("named_competitor", "general", "Save £200 a year compared with Sky.", "comparative_claim"),
    # 16 CFR 255.3: a profession's choice
    ("professional_choice", "general", "The dentists' choice of toothbrush.", "improper_endorsement"),
    ("professional_choice", "general", "Vets' favourite puppy food.", "improper_endorsement"),
    ("professional_choice", "general", "Official supplier to the NHS.", "improper_endorsement"),
]

# (kind, industry, lawful look-alike)
CLEAN = [
    ("evidence", "general", "Proven in our 2024 trial of 200 adults: 61% slept longer (sleep diary, 8 weeks)."),
    ("evidence", "general", "Our users said the app was easy to set up."),
    ("evidence", "cosmetics", "Dermatologically tested on sensitive skin."),
    ("comparison", "general", "Unlike other years, the summer fair runs on Sunday."),
    ("comparison", "general", "Our new battery lasts twice as long as our 2022 model (lab test, 2024)."),
    ("price", "general", "Sale ends Sunday 5 May."),
    ("price", "general", "Last chance: our spring sale ends at midnight tonight."),
    ("price", "general", "Prices from £9.99. Delivery £3.95."),
    ("free", "general", "Free delivery on orders over £40."),
    ("free", "general", "Try it free for 30 days. No card needed, cancel anytime."),
    ("disclosure", "general", "#ad Loving my new trainers from @fleetrun, use my code LUCY15 for 15% off."),
    ("disclosure", "general", "Thanks to @cityparks for a lovely afternoon in the rose garden."),
    ("medicinal", "general", "A soothing bath soak to help you unwind after a long day."),
    ("medicinal", "general", "Our kettle heats water in 60 seconds, safe for everyday use."),
    ("weight", "general", "A high-protein shake to go with a balanced diet and regular exercise."),
    ("weight", "general", "Targets delivery within a week for every order."),
    ("food", "food", "Vitamin C contributes to the normal function of the immune system."),
    ("food", "food", "Wholegrain oats, oven-baked, with no added sugar."),
    ("finance", "general", "The value of investments can fall as well as rise. Past performance is not a guide to future returns."),
    ("finance", "general", "Our savings account pays 4.1% AER variable; FSCS protected up to £85,000."),
    ("earnings", "general", "Warehouse operative, £11.50 per hour, apply now."),
    ("earnings", "general", "Work from your phone: our app lets you reply to customers on the go."),
    ("origin", "general", "Made in USA with imported leather."),
    ("origin", "general", "Assembled in the USA from US and imported parts."),
    ("endorsement", "general", "Dr. Harlow, our head of research, explains how the spray is made."),
    ("endorsement", "general", "Individual results may vary."),
    ("personal", "general", "If you have diabetes, talk to your doctor before changing your diet."),
    ("personal", "general", "Life cover for people aged 50 to 80."),
    ("sensational", "general", "The secret ingredient is our grandmother's pesto."),
    ("sensational", "general", "A little trick for folding fitted sheets."),
    ("body", "general", "Get rid of clutter with our storage boxes."),
    ("body", "general", "Comfortable leggings for every body."),
    ("get_rich", "general", "Crypto assets are high risk and you could lose all the money you invest."),
    ("get_rich", "general", "Quick tips to help you build an emergency fund."),
    ("earnings_story", "general", "We raised $3,000 in two weeks for the food bank."),
    ("earnings_story", "general", "Warehouse staff earned £600 in a week on the Christmas shifts; vacancy open now."),
    ("body_speed", "general", "Build muscle with a structured plan, good sleep and enough protein."),
    ("body_speed", "general", "Add strength training to your week."),
    ("drip", "general", "Tickets £25, including all fees."),
    ("drip", "general", "No booking fees, ever."),
    ("advertorial", "general", "Advertisement. Keto Gummies Exposed: what's inside."),
    ("advertorial", "general", "Exposed brick walls and a sunny garden."),
    ("wellbeing", "health_food", "Magnesium contributes to normal psychological function and helps you unwind."),
    ("wellbeing", "food", "A mug of cocoa to enjoy in the evening."),
    ("cosmetic_medicinal", "cosmetics", "A treatment for dry, frizzy hair."),
    ("cosmetic_medicinal", "cosmetics", "Reduces hair breakage from brushing."),
    ("cosmetic_spots", "cosmetics", "Removes make-up and sunscreen in one step."),
    ("cosmetic_spots", "cosmetics", "Brightens the look of dull skin."),
    ("single_treatment", "medical_device", "Apply one dose after meals."),
    ("single_treatment", "pharma", "Read the leaflet before first use."),
    ("place_superlative", "general", "Apple's latest phone is in store now."),
    ("place_superlative", "general", "The UK's fastest broadband by average download speed, according to Ofcom data, 2024."),
    ("headline_superlative", "general", "Best before: see lid."),
    ("headline_superlative", "general", "The fastest way to reach us is by phone."),
    ("celebrity", "general", "Grandma Rose's apple pie recipe, baked fresh daily."),
    ("celebrity", "general", "Chef Anna Lee explains how to make fresh pasta."),
    ("risk", "general", "Higher returns usually mean higher risk."),
    ("risk", "general", "Your capital is at risk. Returns are not guaranteed."),
    ("instant", "general", "The app instantly removes duplicate photos."),
    ("instant", "general", "Check the label before first use."),
    ("symptoms", "general", "Signs of wear on the sole are normal after a year."),
    ("symptoms", "general", "Know the symptoms of stroke: call 999. A public information message."),
    ("appearance", "general", "Ten years of looking after your garden."),
    ("appearance", "general", "Our team grew taller sunflowers than ever this year."),
    ("slimming_aid", "general", "Cravings for something sweet? Try our lemon cake."),
    ("slimming_aid", "general", "Fat-free Greek yoghurt, 500 g."),
    ("named_competitor", "general", "Better than ever: our new menu."),
    ("named_competitor", "general", "Cheaper than last year, with the same friendly service."),
    ("professional_choice", "general", "Choose your favourite colour."),
    ("professional_choice", "general", "Our vets are here to help."),
]


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING, ids=[v[2][:40] for v in VIOLATING])
def test_code_kind_is_caught_in_its_category(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text"), CLEAN, ids=[c[2][:40] for c in CLEAN])
def test_lawful_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, kind)


def test_every_kind_has_three_violations_and_two_look_alikes() -> None:
    assert_kinds_covered(VIOLATING, CLEAN, violations=3, look_alikes=2)


# Issue 13, dev misses turned into general kinds: variants other ads would write, and lawful look-alikes.
VIOLATING_13B = [
    ("from_price_shown", "general", "Sofas from £299. Model shown £899.", "misleading_price_offer"),
    ("from_price_shown", "general", "Prices from $9.99* *Item pictured $24.99", "misleading_price_offer"),
    ("from_price_shown", "general", "Jackets starting at £15, featured style £40", "misleading_price_offer"),
    ("story_discount", "cosmetics", "30% off all serums at GlowLab! Swipe up", "missing_ad_disclosure"),
    ("story_discount", "general", "£10 off your first box with HelloMeals, link in bio", "missing_ad_disclosure"),
    ("story_discount", "general", "20% off everything from @brightsmile - tap the link", "missing_ad_disclosure"),
    ("grown_in_time", "health_food", "My lashes grew 2 cm in just 4 weeks!", "guaranteed_outcome"),
    ("grown_in_time", "health_food", "Grow your hair 3 inches in 30 days with our gummies", "guaranteed_outcome"),
    ("grown_in_time", "general", "She gained 5 cm in height within 6 months", "guaranteed_outcome"),
    ("superior_to_leading", "cosmetics", "A better formula than the leading brand.", "comparative_claim"),
    ("superior_to_leading", "general", "Our detergent is more effective than other leading products.", "comparative_claim"),
    ("superior_to_leading", "cosmetics", "Superior to competing creams in every way.", "comparative_claim"),
    ("banned_free_from", "cosmetics", "Mercury-free whitening cream", "cosmetics_claim"),
    ("banned_free_from", "cosmetics", "Our lipstick contains no lead.", "cosmetics_claim"),
    ("banned_free_from", "cosmetics", "Free from hydroquinone and steroids", "cosmetics_claim"),
    ("perception_change", "cosmetics", "67% reduction in dark circles, based on 40 user questionnaires", "cosmetics_claim"),
    ("perception_change", "cosmetics", "91% improvement in smoothness (according to customer surveys)", "cosmetics_claim"),
    ("perception_change", "cosmetics", "50% fewer breakouts* *from self-assessments of 30 women", "cosmetics_claim"),
    ("nhp_not_licensed", "health_food", "Glucosamine reduces joint pain in days.", "medical_efficacy_claim"),
    ("nhp_not_licensed", "health_food", "Cures arthritis. Use for a minimum of 2 months.", "medical_efficacy_claim"),
    ("nhp_not_licensed", "health_food", "Relieves the symptoms of menopause naturally.", "medical_efficacy_claim"),
]

CLEAN_13B = [
    ("from_price_shown", "general", "Dresses from £8. Every style in the range, while stocks last."),
    ("from_price_shown", "general", "Delivery from £3.95; the chair shown is in oak."),
    ("story_discount", "general", "#ad 30% off all serums at GlowLab! Swipe up"),
    ("story_discount", "general", "50% off everything from Diamond Whites, in store only."),
    ("grown_in_time", "general", "We grew 3 new stores in 6 months."),
    ("grown_in_time", "general", "Hair trimmed 2 inches in 20 minutes at our salon."),
    ("superior_to_leading", "general", "Better than our previous formula."),
    ("superior_to_leading", "general", "Superior comfort for long days."),
    ("banned_free_from", "cosmetics", "Fragrance-free and free from parabens."),
    ("banned_free_from", "general", "Lead-free solder for hobby electronics."),
    ("perception_change", "cosmetics", "Based on 52 customer responses, our fans love the scent."),
    ("perception_change", "general", "Save 20% more with our family plan."),
    ("nhp_licensed", "health_food", "Helps relieve joint pain. Use for a minimum of 2 months to see beneficial effects."),
    ("nhp_licensed", "health_food", "Helps reduce muscle aches. NPN 80012345."),
]


@pytest.mark.parametrize(("kind", "industry", "text", "category"), VIOLATING_13B, ids=[v[2][:40] for v in VIOLATING_13B])
def test_dev_miss_kind_is_caught(kind: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, kind)


@pytest.mark.parametrize(("kind", "industry", "text"), CLEAN_13B, ids=[c[2][:40] for c in CLEAN_13B])
def test_dev_miss_look_alike_is_not_blocked(kind: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, kind)
