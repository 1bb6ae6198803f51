"""The review log through `sync --json` and the written cells: gates, rounds, SLA, copy findings, timeline gating."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sheetsync.cli import main

D = dt.date


def sync(campaign, capsys, today="2026-03-09"):
    code = main(["sync", str(campaign.path), "--today", today, "--json"])
    return code, json.loads(capsys.readouterr().out)


MON_2_MARCH = D(2026, 3, 2)


def review(asset, rnd, stage, decision="Pending", submitted=MON_2_MARCH, decided=None, reviewer="Wang Lei", copy=None):
    row = {"Asset": asset, "Round": rnd, "Stage": stage, "Reviewer": reviewer, "Submitted on": submitted,
           "Decision": decision, "Decided on": decided}
    if copy is not None:
        row["Copy"] = copy
    return row


APPROVED_1 = dict(decision="Approved", decided=D(2026, 3, 3))


def flags(campaign):
    cells = campaign.cells("Reviews")
    return [cells.get(f"K{r}") for r in range(2, 2 + sum(1 for k in cells if k.startswith("A")) - 1)]


def test_three_gates_in_order_with_plain_flags(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows("Reviews", [
        review("KV poster", 1, "Internal", **APPROVED_1),
        review("KV poster", 1, "Client", submitted=D(2026, 3, 3), decision="Approved", decided=D(2026, 3, 4)),
        review("KV poster", 1, "Compliance", submitted=D(2026, 3, 6)),
    ])
    code, report = sync(campaign, capsys)
    assert code == 0, report["problems"]
    assert flags(campaign) == ["APPROVED", "APPROVED", "PENDING"]
    assert report["flags"]["Reviews"] == {"APPROVED": 2, "PENDING": 1}


@pytest.mark.parametrize(
    ("submitted", "flag"),
    [
        (D(2026, 3, 6), "PENDING"),  # Fri → Mon 9: 1 working day
        (D(2026, 3, 5), "DUE SOON"),  # 2 working days = the SLA: its last day
        (D(2026, 3, 4), "OVERDUE"),  # 3 working days
    ],
)
def test_pending_review_against_the_sla(make_campaign, capsys, submitted, flag):
    campaign = make_campaign()
    campaign.set_rows("Reviews", [review("KV poster", 1, "Internal", submitted=submitted)])
    sync(campaign, capsys)
    assert campaign.cells("Reviews")["K2"] == flag


def test_rounds_beyond_the_maximum_are_a_revision_loop(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_setting("Max revision rounds", 1)
    campaign.set_rows("Reviews", [
        review("KV poster", 1, "Internal", decision="Changes requested", decided=D(2026, 3, 3)),
        review("KV poster", 2, "Internal", submitted=D(2026, 3, 6)),
    ])
    code, report = sync(campaign, capsys)
    assert code == 0
    assert flags(campaign) == ["CHANGES REQUESTED", "REVISION LOOP"]


def test_a_later_stage_before_the_earlier_approved_names_both_rows(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows("Reviews", [
        review("KV poster", 1, "Internal"),
        review("KV poster", 1, "Client", submitted=D(2026, 3, 3)),
        review("Banner", 1, "Compliance", submitted=D(2026, 3, 3)),
        review("Video", 1, "Internal", decision="Approved", decided=D(2026, 3, 5)),
        review("Video", 1, "Client", submitted=D(2026, 3, 4)),
    ])
    code, report = sync(campaign, capsys)
    assert code == 1
    assert [(p["cell"], p["problem"]) for p in report["problems"]] == [
        ("C3", "the Client review of KV poster round 1 (row 3) is recorded before the Internal review (row 2) approved it"),
        ("C4", "the Compliance review of Banner round 1 is recorded, but that round has no Client review"),
        ("C6", "the Client review of Video round 1 (row 6) is recorded before the Internal review (row 5) approved it"),
    ]
    assert report["problems"][0]["fix"] == "wait for Internal approval, or correct row 2's decision or dates"


def test_row_problems_missing_reviewer_dates(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows("Reviews", [
        review("KV poster", 1, "Internal", reviewer=None),
        review("Banner", 1, "Internal", decision="Approved"),
        review("Video", 1, "Internal", decision="Rejected", submitted=D(2026, 3, 5), decided=D(2026, 3, 4)),
        review("Story", 1, "Internal", decided=D(2026, 3, 4)),
        review("Feed ad", 1, "Internal", submitted=None),
    ])
    code, report = sync(campaign, capsys)
    assert code == 1
    assert [(p["sheet"], p["cell"], p["problem"], p["fix"]) for p in report["problems"]] == [
        ("Reviews", "D2", "the review of KV poster round 1 has no reviewer", "write who reviews it"),
        ("Reviews", "G3", '"Approved" has no decision date', "write the date it was decided"),
        ("Reviews", "G4", "decided on 2026-03-04, before it was submitted (2026-03-05)", "correct one of the two dates"),
        ("Reviews", "F5", "the review of Story round 1 has a decision date but is still Pending",
         "write the decision, or clear Decided on"),
        ("Reviews", "E6", "the review of Feed ad round 1 has no submission date",
         "write the date the copy was sent for review"),
    ]


def test_a_new_round_needs_the_previous_one_sent_back(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows("Reviews", [
        review("KV poster", 1, "Internal", **APPROVED_1),
        review("KV poster", 2, "Internal", submitted=D(2026, 3, 4)),
        review("Banner", 3, "Internal", submitted=D(2026, 3, 4)),
    ])
    code, report = sync(campaign, capsys)
    assert [(p["cell"], p["problem"]) for p in report["problems"]] == [
        ("B3", "KV poster round 2 starts, but round 1 was not sent back (no Changes requested or Rejected)"),
    ]
    # Banner starts at round 3: the first round recorded may be any (older rounds lived elsewhere)


def test_a_task_gated_by_its_copy_is_not_done_until_all_three_gates_pass(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_timeline([{"Status": "Done", "Done on": D(2026, 3, 5)}])
    campaign.set_rows("Reviews", [
        review("T1", 1, "Internal", **APPROVED_1),
        review("T1", 1, "Client", submitted=D(2026, 3, 3), decision="Approved", decided=D(2026, 3, 4)),
        review("T1", 1, "Compliance", submitted=D(2026, 3, 4)),
    ])
    code, report = sync(campaign, capsys)
    assert [(p["sheet"], p["cell"], p["problem"]) for p in report["problems"]] == [
        ("Timeline", "H2", "T1 is Done, but round 1 of its copy has not passed the Compliance review; "
                           "it is tracked as in progress"),
    ]
    assert campaign.cells("Timeline")["O2"] == "OVERDUE"  # due Thu 5, today Mon 9, not really done
    # once compliance approves, the Done stands
    campaign.set_rows("Reviews", [{}, {}, {"Decision": "Approved", "Decided on": D(2026, 3, 5)}])
    code, report = sync(campaign, capsys)
    assert code == 0 and campaign.cells("Timeline")["O2"] == "DONE"


def test_two_extra_rounds_on_a_linked_task_put_the_launch_at_risk(make_campaign, capsys):
    campaign = make_campaign()
    # T1 done, T2 on plan; T3 (internal review) keeps 2 working days of buffer before the launch milestone T4
    campaign.set_timeline([{"Status": "Done", "Done on": D(2026, 3, 4)}, {"Status": "In progress"}, {"Buffer": 2}])
    one_round_back = [
        review("T3", 1, "Internal", decision="Changes requested", decided=D(2026, 3, 3)),
        review("T3", 2, "Internal", submitted=D(2026, 3, 4)),
    ]
    campaign.set_rows("Reviews", one_round_back)
    code, report = sync(campaign, capsys, today="2026-03-05")
    assert report["launch"]["at_risk"] is False  # one round (2 working days) fits in the buffer
    assert campaign.cells("Timeline")["M4"] == dt.datetime(2026, 3, 13)

    campaign.set_rows("Reviews", [
        {},
        review("T3", 2, "Internal", decision="Approved", decided=D(2026, 3, 4), submitted=D(2026, 3, 4)),
        review("T3", 2, "Client", decision="Changes requested", submitted=D(2026, 3, 4), decided=D(2026, 3, 5)),
        review("T3", 3, "Internal", submitted=D(2026, 3, 5)),
    ])
    code, report = sync(campaign, capsys, today="2026-03-05")
    assert report["launch"] == {
        "date": "2026-03-14", "projected": "2026-03-18", "slip_days": 2, "at_risk": True, "provisional": []
    }
    cells = campaign.cells("Timeline")
    assert [cells["M4"], cells["N4"], cells["O4"]] == [dt.datetime(2026, 3, 17), -4, "AT RISK"]
