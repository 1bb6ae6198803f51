"""Copy findings in the Reviews sheet, the Copy rules sheet, and `sheetsync lint-copy`, exactly.

Exact-output tests use a small rule pack written here (SHEETSYNC_RULES_DIR), so
they keep their meaning while the real packs in templates/rules/ evolve; a few
tests use the real packs for claims no reasonable pack can miss.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from sheetsync.cli import main

D = dt.date
CATEGORIES = (
    "absolute_claim medical_efficacy_claim disease_claim_non_medical improper_endorsement investment_return_promise "
    "education_result_promise guaranteed_outcome before_after personal_attribute misleading_price_offer "
    "missing_ad_disclosure comparative_claim cosmetics_claim"
).split()


def lint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", *args], input=stdin, capture_output=True, text=True
    )


# --- lint-copy -------------------------------------------------------------------


def test_lint_copy_json_offsets_point_at_the_span(test_rules):
    text = "The best serum, free shipping"
    proc = lint(text, "--market", "en", "--json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert findings == [
        {"category": "absolute_claim", "severity": "high", "term": "best", "start": 4, "end": 8,
         "rule": "en.test.best", "source": "Test Act s.1", "suggestion": "say what makes it good"},
        {"category": "misleading_price_offer", "severity": "medium", "term": "free", "start": 16, "end": 20,
         "rule": "en.test.free", "source": "16 CFR 251.1", "suggestion": ""},
    ]
    assert [text[f["start"]:f["end"]] for f in findings] == ["best", "free"]


def test_lint_copy_text_output_and_exit_status(test_rules):
    proc = lint("The best serum", "--market", "en")
    assert (proc.returncode, proc.stdout) == (
        1,
        '4-8 absolute_claim high "best": “best” is a superlative (Test Act s.1) → say what makes it good\n',
    )
    proc = lint("Use best before June", "--market", "en")
    assert (proc.returncode, proc.stdout) == (0, "")


def test_lint_copy_reads_one_text_per_line_from_stdin(test_rules):
    proc = lint("-", "--market", "en", "--json", stdin="nothing here\nour best one\n")
    assert proc.returncode == 1
    assert [json.loads(line) for line in proc.stdout.splitlines()] == [
        {"line": 1, "findings": []},
        {"line": 2, "findings": [{"category": "absolute_claim", "severity": "high", "term": "best", "start": 4,
                                  "end": 8, "rule": "en.test.best", "source": "Test Act s.1",
                                  "suggestion": "say what makes it good"}]},
    ]
    proc = lint("-", "--market", "en", stdin="our best one\n")
    assert proc.stdout == '1:4-8 absolute_claim high "best": “best” is a superlative (Test Act s.1) → say what makes it good\n'


def test_lint_copy_without_text_reads_all_of_stdin(test_rules):
    proc = lint("--market", "en", "--json", stdin="first line\nthe best\n")
    assert json.loads(proc.stdout)["findings"][0]["start"] == 15


def test_lint_copy_with_the_real_packs_catches_the_classics():
    proc = lint("全网最好的精华液，三天祛痘，无效退款！", "--industry", "cosmetics", "--json")
    categories = {f["category"] for f in json.loads(proc.stdout)["findings"]}
    assert proc.returncode == 1 and "absolute_claim" in categories
    proc = lint("Guaranteed 20% returns with zero risk!", "--market", "en", "--industry", "finance", "--json")
    assert {f["category"] for f in json.loads(proc.stdout)["findings"]} == {"investment_return_promise"}
    proc = lint("第一次下单的顾客可享受新人礼包。", "--json")
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {"findings": []})


def test_lint_copy_rejects_an_unknown_industry():
    proc = lint("text", "--industry", "toys")
    assert proc.returncode == 2 and "“toys”" in proc.stderr and "化妆品" in proc.stderr  # the default market's words


# --- the Reviews sheet -------------------------------------------------------------


def reviews_rows(copy_internal: str, decision: str):
    return [
        {"Asset": "KV poster", "Round": 1, "Stage": "Internal", "Reviewer": "Wang Lei", "Submitted on": D(2026, 3, 5),
         "Decision": decision, "Decided on": D(2026, 3, 6) if decision != "Pending" else None, "Copy": copy_internal},
    ]


def run_sync(campaign, capsys, today="2026-03-09"):
    code = main(["sync", str(campaign.path), "--today", today, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_findings_column_and_the_findings_flag(make_campaign, capsys, test_rules):
    campaign = make_campaign()
    campaign.set_setting("Market", "en")
    campaign.set_rows("Reviews", reviews_rows("Our best serum yet", "Pending"))
    code, report = run_sync(campaign, capsys, today="2026-03-06")
    cells = campaign.cells("Reviews")
    assert cells["J2"] == '"best" absolute_claim · high · Test Act s.1 → try: say what makes it good'
    assert cells["K2"] == "FINDINGS"
    assert report["flags"]["Reviews"] == {"FINDINGS": 1}


def test_approved_copy_with_high_findings_is_flagged(make_campaign, capsys, test_rules):
    campaign = make_campaign()
    campaign.set_setting("Market", "en")
    campaign.set_rows("Reviews", reviews_rows("Our best serum yet", "Approved"))
    run_sync(campaign, capsys)
    assert campaign.cells("Reviews")["K2"] == "APPROVED WITH FINDINGS"
    # a medium finding alone does not make approved copy red
    campaign.set_rows("Reviews", [{"Copy": "A free sample inside"}])
    run_sync(campaign, capsys)
    cells = campaign.cells("Reviews")
    assert cells["K2"] == "APPROVED" and cells["J2"].startswith('"free" misleading_price_offer · medium')
    # clean copy clears the Findings cell
    campaign.set_rows("Reviews", [{"Copy": "A good serum"}])
    run_sync(campaign, capsys)
    assert "J2" not in campaign.cells("Reviews")


def test_copy_rules_sheet_bans_and_allows_terms(make_campaign, capsys, test_rules):
    campaign = make_campaign()
    campaign.set_setting("Market", "en")
    campaign.set_rows("Copy rules", [
        {"Term": "miracle", "Category": "guaranteed_outcome", "Severity": "high", "Note": "client legal list"},
        {"Term": "Best Buy", "Category": "allowed", "Note": "retailer name"},
    ])
    campaign.set_rows("Reviews", reviews_rows("A miracle serum, now at Best Buy", "Pending"))
    code, report = run_sync(campaign, capsys, today="2026-03-06")
    assert code == 0, report["problems"]
    assert campaign.cells("Reviews")["J2"] == '"miracle" guaranteed_outcome · high · Copy rules sheet: client legal list'


def test_copy_rules_problems_name_the_cell(make_campaign, capsys, test_rules):
    campaign = make_campaign()
    campaign.set_setting("Market", "en")
    campaign.set_rows("Copy rules", [{"Term": "miracle", "Category": "hype"}, {"Term": "magic"}])
    code, report = run_sync(campaign, capsys)
    assert code == 1
    assert [(p["sheet"], p["cell"], p["problem"]) for p in report["problems"]] == [
        ("Copy rules", "B2", '"hype" is not one of ' + ", ".join([*CATEGORIES, "allowed"])),
        ("Copy rules", "B3", '"magic" has no category'),
    ]


def test_demo_workbook_flags_its_risky_copy(tmp_path, capsys):
    from sheetsync.template import build_workbook

    path = tmp_path / "demo.xlsx"
    build_workbook(path, lang="zh", demo=True, today=D(2026, 11, 27))
    main(["sync", str(path), "--today", "2026-11-27"])
    capsys.readouterr()
    import openpyxl

    reviews = openpyxl.load_workbook(path)["审核"]
    findings = [row[9].value for row in reviews.iter_rows(min_row=2) if row[9].value]
    assert any("绝对化用语 · 高" in text for text in findings)  # a Chinese book names the category in Chinese
