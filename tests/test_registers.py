"""RACI, Team, the risk register and client feedback, through `sync --json` and the written cells."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sheetsync.cli import main
from sheetsync.engine.risks import INDICATOR_NAMES

D = dt.date


def sync(campaign, capsys, today="2026-03-09"):
    code = main(["sync", str(campaign.path), "--today", today, "--json"])
    return code, json.loads(capsys.readouterr().out)


def problems(report):
    return [(p["sheet"], p["cell"], p["problem"]) for p in report["problems"]]


# --- RACI --------------------------------------------------------------------------------


def test_a_complete_raci_says_ok_per_row(make_campaign, capsys):
    campaign = make_campaign()
    code, report = sync(campaign, capsys, today="2026-03-02")
    assert code == 0, report["problems"]
    cells = campaign.cells("RACI")
    assert [cells[f"B{r}"] for r in range(2, 6)] == ["OK"] * 4


def test_raci_checks_each_rule(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_raci(
        [
            ("T1", "R", "C", ""),  # no A
            ("First draft", "R", "A", "A"),  # two A, by milestone name
            ("T3", "C", "A", "I"),  # no R; owner Wang Lei is A: fine
            ("T4", "I", "C", "A/R"),  # owner Zhang Min: A/R fine
            ("Press event", "R", "A", ""),  # matches no milestone
            ("T4", "R", "A", ""),  # a second row for T4
            ("T2", "X", "", ""),  # not a RACI letter
        ]
    )
    code, report = sync(campaign, capsys, today="2026-03-02")
    assert code == 1
    assert problems(report) == [
        ("RACI", "A2", '"T1" has no A (accountable)'),
        ("RACI", "A3", '"First draft" has 2 A (Wang Lei, Zhang Min)'),
        ("RACI", "A4", '"T3" has no R (responsible)'),
        ("RACI", "A6", '"Press event" matches no Timeline ID or milestone'),
        ("RACI", "A7", "T4 has a second RACI row (first at row 5)"),
        ("RACI", "A8", "T2 has a second RACI row (first at row 3)"),
        ("RACI", "A8", '"T2" has no A (accountable)'),
        ("RACI", "A8", '"T2" has no R (responsible)'),
        ("RACI", "C8", '"X" is not R, A, C or I'),
    ]
    cells = campaign.cells("RACI")
    assert [cells[f"B{r}"] for r in range(2, 9)] == [
        "no A",
        "2 A: Wang Lei, Zhang Min",
        "no R",
        "OK",
        "matches no milestone",
        "T4 already has a row",
        "T2 already has a row; no A; no R",
    ]


def test_owner_must_be_r_or_a_and_known_and_every_milestone_needs_a_row(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_raci([("T1", "C", "R", "A"), ("T2", "R", "A", "I"), ("T3", "C", "A/R", "I")])
    campaign.set_timeline([{}, {"Owner": "Copywriter"}, {"Owner": "Bob"}])
    campaign.edit(lambda wb: wb["RACI"].cell(1, 6, "Legal"))
    code, report = sync(campaign, capsys, today="2026-03-02")
    assert problems(report) == [
        ("Timeline", "C2", "T1's owner Li Na is neither R nor A for it in the RACI (row 2)"),
        ("Timeline", "C4", "T3's owner Bob is neither R nor A for it in the RACI (row 4)"),
        ("Timeline", "C4", '"Bob" is not a name or role in the Team sheet'),
        ("Timeline", "A5", "T4 has no RACI row"),
        ("RACI", "F1", '"Legal" heads a RACI column but is not a name or role in the Team sheet'),
    ]
    # T2's owner is the role "Copywriter", held by Li Na, who is R: fine
    assert campaign.cells("RACI")["B3"] == "OK"
    assert campaign.cells("RACI")["B2"] == "owner Li Na is not R or A"


# --- Team ----------------------------------------------------------------------------------


def test_team_checks(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows(
        "Team",
        [
            {"Email": "li.na(at)agency"},
            {},
            {"Digest": "weekly"},
            {"Name": "Li Na", "Role": "Designer", "Email": "other@example.com"},
            {"Name": "Liu Yang", "Role": "Client contact", "Email": None, "Side": "brand", "Digest": "brief",
             "Cadence": "hourly"},
        ],
    )
    code, report = sync(campaign, capsys, today="2026-03-02")
    assert code == 1
    assert problems(report) == [
        ("Team", "C2", '"li.na(at)agency" is not an email address'),
        ("Team", "E4", '"weekly" is not one of brief, detailed, none'),
        ("Team", "A5", '"Li Na" is listed twice (first at A2)'),
        ("Team", "C6", "Liu Yang gets a brief digest but has no email"),
        ("Team", "D6", '"brand" is not one of agency, client'),
        ("Team", "F6", '"hourly" is not one of daily, weekly, none'),
    ]


# --- indicators ----------------------------------------------------------------------------------


def measure(campaign, capsys, today):
    """Every indicator's Current value, through Risks rows written for all of them."""
    campaign.set_rows(
        "Risks",
        [{"ID": f"R{i}", "Risk": name, "Indicator": name, "Threshold": ">= 1"} for i, name in enumerate(INDICATOR_NAMES)],
    )
    code, report = sync(campaign, capsys, today=today)
    cells = campaign.cells("Risks")
    return {name: cells.get(f"H{i + 2}") for i, name in enumerate(INDICATOR_NAMES)}, report


ALL_ZERO = dict.fromkeys(INDICATOR_NAMES, 0)


def test_indicators_on_a_plan_that_is_on_track(make_campaign, capsys):
    values, report = measure(make_campaign(), capsys, "2026-03-02")
    # Li Na is the only R on T1 and T2, Wang Lei on T3 and T4: two single points of failure
    assert values == ALL_ZERO | {"working_days_to_launch": 10, "single_points_of_failure": 2}


def test_indicators_when_the_first_task_is_late(make_campaign, capsys):
    # Mon 9 March, T1 (due Thu 5) not started: T1 OVERDUE (projected Tue 10, slack -3), T2 and T3 AT RISK
    # (slack -2), the launch milestone T4 AT RISK (slack -1); the launch slips one working day
    values, report = measure(make_campaign(), capsys, "2026-03-09")
    assert values == ALL_ZERO | {
        "overdue_tasks": 1,
        "at_risk_tasks": 3,
        "launch_slip_days": 1,
        "largest_slip_days": 3,
        "min_slack_to_launch": -3,
        "working_days_to_launch": 5,
        "single_points_of_failure": 2,
    }


def test_indicators_blocked_unowned_due_soon(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_timeline([{}, {"Status": "Blocked", "Owner": None}, {}, {"Owner": None}])
    campaign.set_raci([("T1", "R", "", "A"), ("T2", "R", "A", ""), ("T3", "R", "A", ""), ("T4", "R", "A", "")])
    values, _ = measure(campaign, capsys, "2026-03-04")  # Wed: T1 due Thu 5 is DUE SOON
    assert values == ALL_ZERO | {
        "due_soon_tasks": 1,
        "blocked_tasks": 1,
        "unowned_tasks": 2,
        "working_days_to_launch": 8,
        "single_points_of_failure": 1,  # Li Na is the only R on all four
    }


def test_indicators_from_reviews_and_feedback(make_campaign, capsys, test_rules):
    campaign = make_campaign()
    campaign.set_setting("Market", "en")
    review = {"Reviewer": "Wang Lei", "Stage": "Internal"}
    campaign.set_rows(
        "Reviews",
        [
            review | {"Asset": "T2", "Round": 1, "Submitted on": D(2026, 3, 2), "Decision": "Changes requested",
                      "Decided on": D(2026, 3, 3)},
            review | {"Asset": "T2", "Round": 2, "Submitted on": D(2026, 3, 4), "Copy": "the best draft, free"},
            review | {"Asset": "Banner", "Round": 1, "Submitted on": D(2026, 3, 4), "Decision": "Approved",
                      "Decided on": D(2026, 3, 5), "Copy": "our best banner"},
        ],
    )
    campaign.set_rows(
        "Feedback",
        [
            {"Received on": D(2026, 3, 2), "From": "Zhang Min", "Request": "bigger logo", "Related to": "T2",
             "Owner": "Li Na", "Status": "Open"},
            {"Received on": D(2026, 3, 6), "From": "Zhang Min", "Request": "new slogan", "Related to": "Banner",
             "Owner": "Li Na", "Status": "In progress"},
        ],
    )
    values, report = measure(campaign, capsys, "2026-03-09")
    assert values["overdue_reviews"] == 1  # T2 round 2 pending since Wed 4: 3 working days > SLA 2
    assert values["max_revision_round"] == 2
    assert values["open_compliance_findings"] == 3  # best + free on T2 (not passed), best (high) approved on Banner
    assert values["overdue_feedback"] == 1  # due Wed 4
    assert values["open_feedback"] == 2


# --- thresholds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "flag"),
    [(">= 1", "TRIGGERED"), ("> 1", "OK"), ("<= 0", "OK"), ("< 2", "TRIGGERED"), ("= 1", "TRIGGERED"),
     ("=1", "TRIGGERED"), ("≥ 2", "OK"), ("> 0.5", "TRIGGERED")],
)
def test_threshold_forms(make_campaign, capsys, threshold, flag):
    campaign = make_campaign()
    campaign.set_rows("Risks", [{"ID": "R1", "Indicator": "overdue_tasks", "Threshold": threshold,
                                 "Owner": "Zhang Min", "Contingency plan": "re-plan"}])
    code, report = sync(campaign, capsys)  # one overdue task
    cells = campaign.cells("Risks")
    assert (cells["H2"], cells["I2"]) == (1, flag)
    assert code == 0


def test_unreadable_threshold_and_unknown_indicator_are_problems(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows(
        "Risks",
        [
            {"ID": "R1", "Indicator": "overdue_tasks", "Threshold": "2"},
            {"ID": "R2", "Indicator": "Overdue Tasks", "Threshold": "about 3"},
            {"ID": "R3", "Indicator": "morale", "Threshold": ">= 1"},
            {"ID": "R4", "Indicator": "launch slip days", "Threshold": ">= 1", "Owner": "Nobody"},
        ],
    )
    code, report = sync(campaign, capsys)
    assert code == 1
    assert problems(report) == [
        ("Risks", "E2", '"2" is not a threshold'),
        ("Risks", "E3", '"about 3" is not a threshold'),
        ("Risks", "D4", '"morale" is not an indicator sheetsync measures'),
        ("Risks", "F5", '"Nobody" is not a name or role in the Team sheet'),
    ]
    assert report["problems"][2]["fix"] == "use one of: " + ", ".join(INDICATOR_NAMES)
    cells = campaign.cells("Risks")
    assert (cells["H2"], cells["I2"]) == (1, "CHECK")  # measured, but no threshold to compare with
    assert "H4" not in cells and cells["I4"] == "CHECK"  # every row carries a flag; its Problem says why
    assert (cells["H5"], cells["I5"]) == (1, "TRIGGERED")  # names are matched loosely


# --- feedback -------------------------------------------------------------------------------------


def feedback(**values):
    return {"From": "Zhang Min", "Request": "change", "Related to": "T2", "Owner": "Li Na"} | values


def test_feedback_due_and_every_flag(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows(
        "Feedback",
        [
            feedback(**{"Received on": D(2026, 3, 2), "Status": "Open"}),  # due Wed 4: OVERDUE on Mon 9
            feedback(**{"Received on": D(2026, 3, 6), "Status": "In progress"}),  # due Tue 10: DUE SOON
            feedback(**{"Received on": D(2026, 3, 6), "Agreed due": D(2026, 3, 13), "Status": "Open"}),  # OPEN
            feedback(**{"Received on": D(2026, 3, 2), "Status": "Done", "Closed on": D(2026, 3, 4)}),  # DONE
            feedback(**{"Received on": D(2026, 3, 2), "Status": "Done", "Closed on": D(2026, 3, 5)}),  # DONE LATE
            feedback(**{"Received on": D(2026, 3, 2), "Status": "Won't do", "Closed on": D(2026, 3, 3)}),  # DONE
        ],
    )
    code, report = sync(campaign, capsys)
    assert code == 0, report["problems"]
    cells = campaign.cells("Feedback")
    assert [(cells[f"I{r}"].date(), cells[f"J{r}"]) for r in range(2, 8)] == [
        (D(2026, 3, 4), "OVERDUE"),
        (D(2026, 3, 10), "DUE SOON"),
        (D(2026, 3, 13), "OPEN"),
        (D(2026, 3, 4), "DONE"),
        (D(2026, 3, 4), "DONE LATE"),
        (D(2026, 3, 4), "DONE"),
    ]
    assert report["flags"]["Feedback"] == {"OVERDUE": 1, "DUE SOON": 1, "OPEN": 1, "DONE": 2, "DONE LATE": 1}


def test_feedback_response_setting_and_problems(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_setting("Feedback response", 4)
    campaign.set_rows(
        "Feedback",
        [
            feedback(**{"Received on": D(2026, 3, 6), "Status": "Open"}),  # Fri + 4 working days = Thu 12
            feedback(**{"Received on": D(2026, 3, 6), "Related to": "T9"}),
            feedback(**{"Received on": D(2026, 3, 6), "Related to": None}),
            feedback(**{"Received on": D(2026, 3, 6), "Status": "Done"}),
            feedback(**{"Received on": D(2026, 3, 6), "Closed on": D(2026, 3, 6)}),
            feedback(**{"Received on": None}),
        ],
    )
    code, report = sync(campaign, capsys)
    assert campaign.cells("Feedback")["I2"] == dt.datetime(2026, 3, 12)
    assert problems(report) == [
        ("Feedback", "D3", '"T9" is neither a Timeline ID nor a Reviews asset'),
        ("Feedback", "D4", "the feedback is not related to anything"),
        ("Feedback", "H5", "the feedback is Done but has no Closed on date"),
        ("Feedback", "G6", "the feedback has a Closed on date but its Status is Open"),
        ("Feedback", "A7", "the feedback has no date received"),
    ]


# --- what-if ----------------------------------------------------------------------------------------


def test_whatif_delay_reports_what_a_real_edit_then_sync_gives(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_rows("Risks", [{"ID": "R1", "Risk": "Launch slips", "Indicator": "launch_slip_days",
                                 "Threshold": ">= 1", "Owner": "Zhang Min", "Contingency plan": "cut scope"}])
    before = campaign.path.read_bytes()
    code = main(["whatif", str(campaign.path), "--delay", "T3=3", "--today", "2026-03-05", "--json"])
    whatif = json.loads(capsys.readouterr().out)
    assert code == 0 and campaign.path.read_bytes() == before  # nothing written

    campaign.set_timeline([{}, {}, {"Duration": 1 + 3}])
    code, report = sync(campaign, capsys, today="2026-03-05")
    cells = campaign.cells("Timeline")
    synced = {
        cells[f"A{r}"]: {"start": cells[f"K{r}"].date().isoformat(), "due": cells[f"L{r}"].date().isoformat(),
                         "projected_due": cells[f"M{r}"].date().isoformat(), "slack": cells[f"N{r}"],
                         "flag": cells[f"O{r}"]}
        for r in range(2, 6)
    }
    moved = {t["id"]: t["after"] for t in whatif["tasks"]}
    assert moved and all(synced[task_id] == after for task_id, after in moved.items())
    assert whatif["launch"]["after"] == report["launch"] | {"buffer_days": whatif["launch"]["after"]["buffer_days"]}
    assert [r["id"] for r in whatif["risks"]] == (["R1"] if report["launch"]["at_risk"] else [])


def test_whatif_text_and_launch_change(make_campaign, capsys):
    campaign = make_campaign()
    code = main(["whatif", str(campaign.path), "--launch", "2026-03-11", "--today", "2026-03-02"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "What if launch moves to 2026-03-11 (today 2026-03-02):"
    assert "Launch: on track (2026-03-14) → on track (2026-03-11)" in out
    assert "  T4 Launch: start 2026-03-14 → 2026-03-11, due 2026-03-14 → 2026-03-11" in out
    assert out.rstrip().endswith("Nothing was written.")
    code = main(["whatif", str(campaign.path), "--delay", "T9=2"])
    assert code == 2 and 'no task "T9"' in capsys.readouterr().err
    code = main(["whatif", str(campaign.path)])
    assert code == 2 and "say what changes" in capsys.readouterr().err
