"""`lint-copy --industry/--evidence` as a Chinese agency user types them: the Project sheet's own words
(化妆品, 医疗服务, 食品, 特殊化妆品注册证号) work, and an unknown value is one line in the market's language."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def lint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sheetsync", "lint-copy", *args], capture_output=True, text=True, input=stdin
    )


@pytest.mark.parametrize(
    ("text", "label", "industry"),
    [("这款精华祛斑美白", "化妆品", "cosmetics"), ("本品可降血糖", "食品", "food"), ("治疗失眠，根治鼻炎", "医疗服务", "medical_service")],
)
def test_lint_copy_takes_the_industry_as_the_project_sheet_writes_it(text, label, industry) -> None:
    by_label = lint(text, "--industry", label, "--json")
    by_key = lint(text, "--industry", industry, "--json")
    assert (by_label.returncode, by_label.stderr) == (1, "")
    assert json.loads(by_label.stdout) == json.loads(by_key.stdout)


@pytest.mark.parametrize("fact", ["特殊化妆品注册证号", "Cosmetics registration", "cosmetics_registration"])
def test_lint_copy_takes_the_evidence_as_the_project_sheet_names_it(fact) -> None:
    proc = lint("-", "--industry", "化妆品", "--evidence", fact, "--json", stdin="这款精华祛斑美白\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, '{"line": 1, "findings": []}\n', "")


def test_an_unknown_industry_or_fact_is_one_line_in_the_markets_language() -> None:
    proc = lint("美白精华", "--industry", "美容")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "错误：没有“美容”这个行业；请填写其中之一：通用、药品、医疗器械、保健食品、金融、教育、化妆品、食品、医疗服务\n"
    proc = lint("原价299", "--evidence", "licence", "--json")
    assert proc.stderr == "错误：没有“licence”这项证明；请填写其中之一：特殊化妆品注册证号、功效评价报告、保健食品批准文号、价格记录\n"
    assert json.loads(proc.stdout)["exit"] == 2
    proc = lint("the best", "--market", "en", "--industry", "toys")
    assert (proc.returncode, proc.stderr) == (2, 'Error: the industry "toys" is unknown; use one of general, pharma, '
                                                  "medical_device, health_food, finance, education, cosmetics, food, "
                                                  "medical_service\n")
