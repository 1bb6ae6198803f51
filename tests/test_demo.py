"""`sheetsync demo`: the embedded default, end to end, as a newcomer sees it."""

from __future__ import annotations

import re

import openpyxl

from sheetsync.cli import main


def test_demo_builds_syncs_and_summarises(tmp_path, capsys):
    code = main(["demo", str(tmp_path), "--today", "2026-11-27"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Demo workbook: {tmp_path / 'campaign-demo.xlsx'}"
    assert lines[1] == "Launch 2026-12-15: on track"
    assert "  task T4 Internal review, Wang Lei: due 2026-11-25, now projected 2026-11-27" in lines
    assert any(line.startswith('  feedback "') for line in lines)  # an overdue client request
    assert any(line.startswith("  R") and "launch" not in line for line in lines)  # a triggered risk
    assert "Risks: 3 TRIGGERED, 2 OK" in lines and "No problems." in lines

    book = openpyxl.load_workbook(tmp_path / "campaign-demo.xlsx")
    risks = {row[0].value: row[8].value for row in book["Risks"].iter_rows(min_row=2) if row[0].value}
    assert "TRIGGERED" in risks.values()
    feedback = [row[9].value for row in book["Feedback"].iter_rows(min_row=2) if row[0].value]
    assert "OVERDUE" in feedback
    review_rounds = [row[1].value for row in book["Reviews"].iter_rows(min_row=2) if row[0].value]
    assert max(review_rounds) == 2  # a review that needed another round

    # the demo is ours to remake: a second run starts again from a fresh workbook
    assert main(["demo", str(tmp_path), "--today", "2026-11-27"]) == 0
    assert capsys.readouterr().out == out


def test_demo_in_chinese(tmp_path, capsys):
    assert main(["demo", str(tmp_path), "--today", "2026-11-27", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "  任务 T4 内部审核，王磊：截止 2026-11-25，现预计 2026-11-27 完成" in out
    assert openpyxl.load_workbook(tmp_path / "campaign-demo.xlsx").sheetnames[1] == "时间表"


def test_chinese_demo_names_its_risk_indicators_in_chinese_and_measures_them(tmp_path, capsys):
    # A Chinese team reads 风险 in Chinese: the indicator is what it counts (距上线的工作日数), not a code,
    # and sheetsync still measures every one of them (a Current value and a flag, no Problem).
    assert main(["demo", str(tmp_path), "--today", "2026-11-27", "--lang", "zh"]) == 0
    capsys.readouterr()
    sheet = openpyxl.load_workbook(tmp_path / "campaign-demo.xlsx")["风险"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert [r["指标"] for r in rows][-1] == "距上线的工作日数"
    assert all(not re.search(r"[A-Za-z]{2,}", r["指标"]) for r in rows)
    assert all(isinstance(r["当前值"], int) and r["标记"] for r in rows)
    assert main(["check", str(tmp_path / "campaign-demo.xlsx"), "--today", "2026-11-27"]) == 0
    assert "没有问题。" in capsys.readouterr().out
