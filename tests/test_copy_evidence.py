"""Needs-evidence copy findings, cleared by the facts a book records; open findings in the digest.

A whitening claim is lawful with a special-cosmetics registration, a former price with the
price history: without the fact the finding is medium and says which Project setting clears
it; with the fact (the Project sheet, or `lint-copy --evidence`) it is not reported. The
compliance reviewer and the asset's owner see the open findings in their digests.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sheetsync
from sheetsync.engine.compliance import RulePackError, load_checker

MONDAY = dt.date(2026, 3, 9)


def lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sheetsync", "lint-copy", *args], capture_output=True, text=True)


# --- lint-copy -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("market", "industry", "text", "fact", "term", "where"),
    [
        ("zh", "cosmetics", "这款精华祛斑美白", "cosmetics_registration", "祛斑美白", "项目 › 特殊化妆品注册证号"),
        ("zh", "cosmetics", "温和祛痘不刺激", "efficacy_report", "祛痘", "项目 › 功效评价报告"),
        ("zh", "general", "原价299，今天只要99", "price_history", "原价299", "项目 › 价格记录"),
        ("en", "cosmetics", "A gentle skin whitening serum", "cosmetics_registration", "skin whitening",
         "Project › Cosmetics registration"),
        ("en", "general", "Was $80, now only $40 this weekend", "price_history", "Was $80, now only",
         "Project › Price history"),
    ],
)
def test_lint_copy_needs_evidence_until_the_fact_is_stated(market, industry, text, fact, term, where) -> None:
    proc = lint(text, "--market", market, "--industry", industry)
    assert proc.returncode == 1, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert f'"{term}"' in line and where in line
    assert (" 中 " if market == "zh" else " medium ") in line
    assert ("需要证明" if market == "zh" else "Needs evidence") in line
    proc = lint(text, "--market", market, "--industry", industry, "--evidence", fact, "--json")
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {"findings": []})


def test_lint_copy_json_keys_are_unchanged_for_a_needs_evidence_finding() -> None:
    proc = lint("这款精华祛斑美白", "--industry", "cosmetics", "--json")
    (finding,) = json.loads(proc.stdout)["findings"]
    assert list(finding) == ["category", "severity", "term", "start", "end", "rule", "source", "suggestion"]
    assert (finding["rule"], finding["severity"]) == ("zh.cosmetics.special_efficacy", "medium")


def test_a_fact_clears_only_its_own_rules() -> None:
    text = "全网最好的精华，祛斑美白，还能祛痘"
    held = load_checker("zh", "cosmetics", facts=frozenset({"cosmetics_registration"})).check(text)
    assert [(f.term, f.severity) for f in held] == [("最好", "high"), ("祛痘", "medium")]
    proc = lint(text, "--industry", "cosmetics", "--evidence", "cosmetics_registration", "--evidence",
                "efficacy_report")
    assert proc.returncode == 1 and [line.split('"')[1] for line in proc.stdout.splitlines()] == ["最好"]


def test_lint_copy_refuses_an_unknown_fact() -> None:
    proc = lint("原价299", "--evidence", "licence")
    assert proc.returncode == 2 and "licence" in proc.stderr and "价格记录" in proc.stderr  # the default market's words


# --- rule packs ------------------------------------------------------------------


def write_pack(folder: Path, extra: str) -> Path:
    folder.mkdir()
    severity = "\n".join(f'{c} = "high"' for c in sheetsync.engine.compliance.CATEGORIES)
    (folder / "zh.toml").write_text(
        f'market = "zh"\n[severity]\n{severity}\n[[rule]]\nid = "zh.test.reference"\n'
        f'category = "misleading_price_offer"\npatterns = [\'原价\']\n{extra}\n'
        'message_zh = "原价"\nmessage_en = "reference price"\nsource = "第十九条"\n',
        encoding="utf-8",
    )
    return folder


def test_a_needs_evidence_rule_is_at_most_medium_even_when_its_category_is_high(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "rules", 'evidence = "price_history"')
    (finding,) = load_checker("zh", rules_dir=folder).check("原价199")
    assert (finding.severity, finding.evidence) == ("medium", "price_history")
    assert load_checker("zh", rules_dir=folder, facts=frozenset({"price_history"})).check("原价199") == []
    plain = write_pack(tmp_path / "plain", "")
    assert [f.severity for f in load_checker("zh", rules_dir=plain).check("原价199")] == ["high"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('evidence = "receipt"', "rule 'zh.test.reference': evidence 'receipt' is not one of cosmetics_registration"),
        ('evidence = "price_history"\nseverity = "high"', "rule 'zh.test.reference': a needs-evidence rule is medium"),
    ],
)
def test_a_bad_evidence_value_names_the_rule(tmp_path: Path, extra: str, message: str) -> None:
    folder = write_pack(tmp_path / "rules", extra)
    with pytest.raises(RulePackError, match=message):
        load_checker("zh", rules_dir=folder)


# --- a synced workbook -------------------------------------------------------------

COPY = {"en": "The best serum ever, with skin whitening.", "zh": "全网最好的精华，祛斑美白。"}


def copy_review_book(make_campaign, lang: str):
    """T2's copy (owner Li Na) passed the Internal and Client reviews and waits at Compliance (Zhang Min)."""
    campaign = make_campaign(lang=lang)
    campaign.set_setting("Market", lang)
    campaign.set_setting("Industry", "cosmetics")
    row = {"Asset": "T2", "Round": 1, "Submitted on": dt.date(2026, 3, 5), "Copy": COPY[lang]}
    campaign.set_rows("Reviews", [
        {**row, "Stage": "Internal", "Reviewer": "Wang Lei", "Decision": "Approved", "Decided on": dt.date(2026, 3, 6)},
        {**row, "Stage": "Client", "Reviewer": "Wang Lei", "Decision": "Approved", "Decided on": dt.date(2026, 3, 6)},
        {**row, "Stage": "Compliance", "Reviewer": "Zhang Min", "Decision": "Pending"},
    ])
    return campaign


WHITENING_LINE = {
    "en": '"skin whitening" cosmetics_claim · medium · FDA OTC monographs and "Is it a cosmetic, a drug, or both?"; '
    "CAP Code 12.1 · needs evidence: Project › Cosmetics registration → try: Confirm the product's approval or "
    'efficacy test and record it on the review; otherwise say "brightens the look of skin"',
    "zh": "「祛斑美白」 化妆品违规宣称 · 中 · 《化妆品监督管理条例》第十六条、第二十二条；《化妆品分类规则和分类目录》（2021）；"
    "《化妆品功效宣称评价规范》（2021）第六条 · 需要证明：项目 › 特殊化妆品注册证号 → 建议：确认特殊化妆品注册证号或功效评价报告后"
    "再使用，并在文案或审核记录中注明；否则改为“清洁、保湿”等普通功效",
}
BEST_LINE = {"en": '"best" absolute_claim · medium · FTC Act s.5', "zh": "「最好」 绝对化用语 · 高 · 《中华人民共和国广告法》第九条"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_findings_cell_says_needs_evidence_until_the_project_records_the_fact(make_campaign, lang) -> None:
    campaign = copy_review_book(make_campaign, lang)
    sheetsync.open(campaign.path).sync(today=MONDAY)
    best, whitening = campaign.cells("Reviews")["J4"].split("\n")  # one line per finding
    assert best.startswith(BEST_LINE[lang]) and whitening == WHITENING_LINE[lang]

    campaign.set_setting("Cosmetics registration", "国妆特字G20260001")
    sheetsync.open(campaign.path).sync(today=MONDAY)
    assert campaign.cells("Reviews")["J4"] == best


def read_outbox(folder: Path) -> dict[str, str]:
    out = {}
    for eml in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        out[message["To"].addresses[0].addr_spec] = message.get_body(preferencelist=("plain",)).get_content()
    return out


DIGEST_LINES = {
    "en": [
        'copy of T2 round 1: "best" absolute_claim · medium → try: Replace with a specific, provable fact',
        'copy of T2 round 1: "skin whitening" cosmetics_claim · medium · needs evidence: Project › Cosmetics registration'
        ' → try: Confirm the product\'s approval',
    ],
    "zh": [
        "T2 第 1 轮文案：“最好” 绝对化用语 · 高 → 建议：",
        "T2 第 1 轮文案：“祛斑美白” 化妆品违规宣称 · 中 · 需要证明：项目 › 特殊化妆品注册证号 → 建议：确认特殊化妆品注册证号",
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_open_findings_reach_the_compliance_reviewer_and_the_assets_owner(make_campaign, tmp_path, lang) -> None:
    # each line says what clears it, as the Findings cell does: the Project setting, then a safer wording
    campaign = copy_review_book(make_campaign, lang)
    sheetsync.open(campaign.path).digest(today=MONDAY, outbox=tmp_path / "outbox", preview=True)
    mail = read_outbox(tmp_path / "outbox")
    for address in ("zhang.min@agency.example.com", "li.na@agency.example.com"):  # Compliance reviewer, T2's owner
        listed = [line.lstrip("•- ") for line in mail[address].splitlines()]  # brief •, detailed -
        assert [[line for line in listed if line.startswith(e)] != [] for e in DIGEST_LINES[lang]] == [True, True]
    assert not any(e in mail["wang.lei@agency.example.com"] for e in DIGEST_LINES[lang])  # he reviews Internal only

    campaign.set_setting("Cosmetics registration", "国妆特字G20260001")
    sheetsync.open(campaign.path).digest(today=MONDAY, outbox=tmp_path / "outbox2", preview=True)
    text = read_outbox(tmp_path / "outbox2")["zhang.min@agency.example.com"]
    assert DIGEST_LINES[lang][0] in text and DIGEST_LINES[lang][1] not in text
