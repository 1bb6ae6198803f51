"""English copy rules for money (templates/rules/en-offers.toml): prices, "free", urgency, fees, earnings,
returns and guaranteed results (issue 13, round 3).

Each kind is one the codes name — CAP Code section 3 (3.17-3.28 prices and "free", 3.31-3.32 urgency,
3.39-3.43 price comparisons), the CTSI pricing guidance, DMCC Act 2024 Sch. 20, FTC 16 CFR 233 and 437,
FINRA 2210, FCA COBS 4 — and every rule has violating phrasings, written here from the code's wording,
found in its category, and lawful look-alikes sharing its words that get no finding of that rule at all
(or, for the blocking rules, no high or critical finding). Reference prices and savings are "needs
evidence": the Project's Price history clears them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from copy_cases import assert_caught, assert_not_blocked

from sheetsync.engine.compliance import load_checker

# (rule, industry, text, category)
VIOLATING = [
    # CAP 3.39-3.40, 16 CFR 233.1: reference prices in any order, RRPs, reductions, savings in money
    ("en.offers.reference_price", "general", "£29.95 was £70.00 saving £40.05", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "Capri leather chair £299, RRP £379", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "Walking boots, reduced from £84.99 to £37.00", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "Gift box worth £120, yours for £49", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "Desk lamp $40 (compare at $80)", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "Save £100 on the Aria mattress this week", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "Trainers at 40% off RRP", "misleading_price_offer"),
    ("en.offers.reference_price", "general", "MSRP: $1,299", "misleading_price_offer"),
    # CAP 3.17: "up to" savings, money off, half price
    ("en.offers.savings_promotion", "general", "Discounts of up to 60% across the range", "misleading_price_offer"),
    ("en.offers.savings_promotion", "general", "£200 off all sofas this weekend", "misleading_price_offer"),
    ("en.offers.savings_promotion", "general", "Everything half price, today only", "misleading_price_offer"),
    ("en.offers.savings_promotion", "general", "Buy one, get one free on all trainers", "misleading_price_offer"),
    # CAP 3.23: "free" with the condition left out
    ("en.offers.free_item_headline", "general", "FREE EGG CHAIR", "misleading_price_offer"),
    ("en.offers.free_item_headline", "general", "Free iPhone 15 this week", "misleading_price_offer"),
    ("en.offers.free_item_headline", "general", "Claim your free smartwatch now", "misleading_price_offer"),
    ("en.offers.free_but_included", "general", "Free installation, included in the price of every boiler",
     "misleading_price_offer"),
    ("en.offers.free_but_included", "general", "Complimentary spa kit worth £60 with this room", "misleading_price_offer"),
    # CAP 3.31-3.32, DMCC Sch. 20 para 7: urgency and stock
    ("en.offers.false_urgency", "general", "Today only: 30% off all coats", "misleading_price_offer"),
    ("en.offers.false_urgency", "general", "Hurry, this offer ends in 3 hours!", "misleading_price_offer"),
    ("en.offers.false_urgency", "general", "Only 2 left in stock - order soon", "misleading_price_offer"),
    ("en.offers.false_urgency", "general", "14 people are viewing this right now", "misleading_price_offer"),
    ("en.offers.false_urgency", "general", "Deal expires in 09:59 - grab it", "misleading_price_offer"),
    # CAP 3.18, DMCC drip pricing
    ("en.offers.hidden_fees", "general", "Weekend breaks £99 + fees", "misleading_price_offer"),
    ("en.offers.hidden_fees", "general", "Tickets £45 plus booking fee", "misleading_price_offer"),
    ("en.offers.hidden_fees", "general", "Rooms from £80 a night, resort fees payable on arrival", "misleading_price_offer"),
    ("en.offers.hidden_fees", "general", "New sofa £499 + VAT", "misleading_price_offer"),
    ("en.offers.asterisk_price", "general", "Flights from £19.99* to Spain", "misleading_price_offer"),
    # CAP lowest-price guidance, 16 CFR 233.2
    ("en.offers.lowest_price_promise", "general", "The lowest prices in the UK on garden furniture", "misleading_price_offer"),
    ("en.offers.lowest_price_promise", "general", "We'll beat any quote you bring us", "misleading_price_offer"),
    ("en.offers.lowest_price_promise", "general", "Our price match promise covers every TV", "misleading_price_offer"),
    # FCA CONC 3.5: credit incentives without the representative example
    ("en.offers.credit_incentive", "general", "New sofas with 0% finance over 4 years", "misleading_price_offer"),
    ("en.offers.credit_incentive", "general", "Buy now, pay later on every order", "misleading_price_offer"),
    # FTC 16 CFR 437: earnings per period, in a first year, lifestyle and passive income
    ("en.offers.earnings_rate", "general", "Earn $500-$1,000 per day from home with our trading robot",
     "investment_return_promise"),
    ("en.offers.earnings_rate", "general", "Our members earn an average of $3,200 a month", "investment_return_promise"),
    ("en.offers.earnings_rate", "general", "Partners take home £40,000 a year working part-time from home",
     "investment_return_promise"),
    ("en.offers.earnings_rate", "general", "Get paid $45 an hour to test apps from home", "investment_return_promise"),
    ("en.offers.earnings_rate", "general", "Earn $100K in your first year as a partner", "investment_return_promise"),
    ("en.offers.earnings_rate", "general", "Earn £500 weekly from your phone", "investment_return_promise"),
    ("en.offers.earnings_rate", "general", "$2,400 in commissions in my first week!", "investment_return_promise"),
    ("en.offers.income_lifestyle", "general", "Build passive income with our dropshipping course",
     "investment_return_promise"),
    ("en.offers.income_lifestyle", "general", "Join the team and start your journey to financial freedom",
     "investment_return_promise"),
    ("en.offers.income_lifestyle", "general", "Unlimited income potential with our business", "investment_return_promise"),
    ("en.offers.income_lifestyle", "general", "Students hit five-figure months after joining our academy",
     "investment_return_promise"),
    # FINRA 2210(d)(1)(B)/(F), FCA COBS 4.6.7: promised returns
    ("en.offers.return_promise", "general", "Returns of 20% per annum guaranteed", "investment_return_promise"),
    ("en.offers.return_promise", "general", "100% return in 30 days on your crypto", "investment_return_promise"),
    ("en.offers.return_promise", "general", "8% NET assured rental yield for 5 years", "investment_return_promise"),
    ("en.offers.return_promise", "general", "Our investors doubled their money in six months", "investment_return_promise"),
    ("en.offers.return_promise", "general", "A no-lose trading strategy for beginners", "investment_return_promise"),
    ("en.offers.return_promise", "general", "Profits are guaranteed with our signals", "investment_return_promise"),
    ("en.offers.return_figure", "general", "Our bot has an 88% win rate", "investment_return_promise"),
    ("en.offers.return_figure", "general", "Invest in our bond and receive 9% interest paid quarterly",
     "investment_return_promise"),
    ("en.offers.return_figure", "general", "High returns and a secure investment in UK property",
     "investment_return_promise"),
    ("en.offers.return_figure", "general", "Don't miss out on the crypto boom, invest now", "investment_return_promise"),
    ("en.offers.return_figure", "finance", "Our fund makes money whether the market goes up or down",
     "investment_return_promise"),
    # CAP 3.1/3.7: guaranteed results of a service or product; refunds tied to the result
    ("en.offers.service_result_guarantee", "general", "Guaranteed first page of Google in 30 days", "guaranteed_outcome"),
    ("en.offers.service_result_guarantee", "general", "Sell your house in 7 days, guaranteed", "guaranteed_outcome"),
    ("en.offers.service_result_guarantee", "general", "Get 10,000 real followers guaranteed", "guaranteed_outcome"),
    ("en.offers.service_result_guarantee", "general", "Guaranteed approval, even with bad credit", "guaranteed_outcome"),
    ("en.offers.service_result_guarantee", "general", "It will work, for everyone, whatever your age", "guaranteed_outcome"),
    ("en.offers.service_result_guarantee", "general", "Payday loans: no credit checks, everyone accepted", "guaranteed_outcome"),
    ("en.offers.service_result_guarantee", "general", "We promise you will see a difference", "guaranteed_outcome"),
    ("en.offers.refund_on_outcome", "general", "Try it for 30 days: if it doesn't work, we'll refund you",
     "guaranteed_outcome"),
    ("en.offers.refund_on_outcome", "general", "Money-back guarantee if you don't see results in 60 days",
     "guaranteed_outcome"),
    ("en.offers.refund_on_outcome", "general", "Ranked, or your money back", "guaranteed_outcome"),
]

# (rule, industry, lawful text sharing the rule's words): the rule must not fire, and nothing blocks
CLEAN = [
    ("en.offers.reference_price", "general", "Last year's bill was £900 and this year it is £850."),
    ("en.offers.reference_price", "general", "Switching could save £300 a year on your energy bills."),
    ("en.offers.reference_price", "general", "Our sofas cost £499 and come in four colours."),
    ("en.offers.savings_promotion", "general", "Get £10 off your first order with code HELLO."),
    ("en.offers.savings_promotion", "general", "Buy one of our gift cards for a friend."),
    ("en.offers.free_item_headline", "general", "FREE DELIVERY on all orders"),
    ("en.offers.free_item_headline", "general", "FREE EGG CHAIR when you buy any sofa over £999"),
    ("en.offers.free_item_headline", "general", "Free online course for beginners"),
    ("en.offers.free_but_included", "general", "Free parking for all guests"),
    ("en.offers.false_urgency", "general", "Only 2 of us work in the shop on Sundays"),
    ("en.offers.false_urgency", "general", "Last chance: our spring sale ends at midnight on Sunday 30 April."),
    ("en.offers.hidden_fees", "general", "Tickets £45, no booking fees"),
    ("en.offers.hidden_fees", "general", "Trade prices: £499 + VAT for business customers"),
    ("en.offers.asterisk_price", "general", "Flights from £19.99 to Spain"),
    ("en.offers.lowest_price_promise", "general", "We price our coffee fairly and pay farmers more."),
    ("en.offers.credit_incentive", "general",
     "0% APR for 12 months. Representative example: credit £1,200, representative 0% APR, total payable £1,200."),
    ("en.offers.credit_incentive", "general", "A deposit-free rental? No, a deposit of £500 is required."),
    ("en.offers.earnings_rate", "general", "Vacancy: warehouse operative, £12.50 per hour, full-time shifts"),
    ("en.offers.earnings_rate", "general", "The council earns £2m annually from parking."),
    ("en.offers.earnings_rate", "general", "The average UK household spends £1,200 a year on energy."),
    ("en.offers.income_lifestyle", "general", "Financial freedom is a journey; our pension guide explains the basics."),
    ("en.offers.return_promise", "finance", "Fixed-rate bond: 4.5% AER, FSCS protected, guaranteed returns for 2 years."),
    ("en.offers.return_promise", "general", "Double your money back if you're not satisfied."),
    ("en.offers.return_figure", "finance", "The fund returned 8% last year. Capital at risk."),
    ("en.offers.return_figure", "finance", "Earn 5.1% AER on our easy access savings account."),
    ("en.offers.return_figure", "general", "We achieved a 20% profit margin on trading this year."),
    ("en.offers.return_figure", "general", "Don't miss out on our summer menu."),
    ("en.offers.return_figure", "finance", "Trade rising and falling markets. Capital at risk: you may lose money."),
    ("en.offers.earnings_rate", "general", "Our shop took £1,200 in sales over the bank holiday weekend for charity."),
    ("en.offers.service_result_guarantee", "general", "Delivery guaranteed by Christmas."),
    ("en.offers.service_result_guarantee", "general", "Get the best price, guaranteed."),
    ("en.offers.service_result_guarantee", "general", "Your place on the course is guaranteed."),
    ("en.offers.service_result_guarantee", "finance", "We run a credit check on every application before approval."),
    ("en.offers.refund_on_outcome", "general", "Love it or your money back."),
    ("en.offers.refund_on_outcome", "general", "Satisfaction guaranteed or your money back."),
]


@pytest.mark.parametrize(("rule", "industry", "text", "category"), VIOLATING)
def test_a_money_claim_is_found_by_its_rule(rule: str, industry: str, text: str, category: str) -> None:
    assert_caught("en", industry, text, category, rule)
    found = {f.rule for f in load_checker("en", industry).check(text)}
    assert rule in found, f"{rule}: {text!r} gave {sorted(found)}"


@pytest.mark.parametrize(("rule", "industry", "text"), CLEAN)
def test_a_lawful_look_alike_is_not_flagged_by_the_rule(rule: str, industry: str, text: str) -> None:
    assert_not_blocked("en", industry, text, rule)
    found = {f.rule for f in load_checker("en", industry).check(text)}
    assert rule not in found, f"{rule}: {text!r}"


def test_every_rule_of_the_pack_has_a_violating_and_a_clean_case() -> None:
    pack = tomllib.loads((Path(__file__).parents[1] / "templates" / "rules" / "en-offers.toml").read_text("utf-8"))
    rules = {rule["id"] for rule in pack["rule"]}
    assert rules == {rule for rule, *_ in VIOLATING}
    assert rules == {rule for rule, *_ in CLEAN}


@pytest.mark.parametrize(
    ("text", "term"),
    [("£29.95 was £70.00", "was £70.00"), ("Walking boots, reduced from £84.99 to £37.00", "reduced from £84.99 to £37.00")],
)
def test_a_reference_price_needs_the_price_history_and_the_fact_clears_it(text: str, term: str) -> None:
    findings = [f for f in load_checker("en", "general").check(text) if f.rule == "en.offers.reference_price"]
    assert [(f.term, f.severity, f.evidence) for f in findings] == [(term, "medium", "price_history")]
    cleared = load_checker("en", "general", facts=frozenset({"price_history"})).check(text)
    assert [f for f in cleared if f.rule == "en.offers.reference_price"] == []


def test_a_promised_return_blocks_and_an_earnings_figure_goes_to_a_reviewer() -> None:
    checker = load_checker("en", "general")
    promised = [f.severity for f in checker.check("Returns of 20% per annum guaranteed") if f.rule == "en.offers.return_promise"]
    figure = [f.severity for f in checker.check("Our members earn an average of $3,200 a month")
              if f.rule == "en.offers.earnings_rate"]
    assert (promised, figure) == (["critical"], ["medium"])
