"""Digest content through `sheetsync digest --outbox`: who gets what, brief stays brief, detailed is complete."""

from __future__ import annotations

import email
import email.policy
import json

import markupsafe
import openpyxl
import pytest

from sheetsync.cli import main
from sheetsync.template import build_workbook

MONDAY, TUESDAY = "2026-11-30", "2026-12-01"


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.xlsx"
    build_workbook(path, lang="en", demo=True, today=__import__("datetime").date(2026, 11, 27))
    return path


def run_digest(capsys, path, *args):
    code = main(["digest", str(path), *args, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else captured.err


def messages(folder):
    out = {}
    for eml in sorted(folder.glob("*.eml")):
        msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        out[msg["To"].addresses[0].addr_spec] = msg
    return out


def text_of(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def test_everyone_due_gets_the_digest_that_fits_them(demo, tmp_path, capsys):
    outbox = tmp_path / "outbox"
    code, report = run_digest(capsys, demo, "--today", MONDAY, "--outbox", str(outbox), "--state", str(tmp_path / "s"))
    assert code == 0
    assert [(d["name"], d["kind"], d["status"]) for d in report["deliveries"]] == [
        ("Wang Lei", "detailed", "written"),
        ("Li Na", "brief", "written"),
        ("Chen Chen", "brief", "written"),
        ("Zhang Min", "detailed", "written"),
        ("Liu Yang", "brief", "written"),  # weekly: Mondays
        ("Zhao Jing", "brief", "written"),
    ]
    mail = messages(outbox)
    assert len(mail) == 6
    client = mail["liu.yang@brand.example.com"]
    assert client["Subject"] == "[Qinrun Repair Serum launch (Xiaohongshu / Douyin)] Launch 2026-12-15: on track"
    body = text_of(client)
    assert "T6 Client review: due 2026-11-30 (AT RISK)" in body
    assert "review XHS note round 2 (Client), pending 3 working days" in body
    assert "T4 Internal review" not in body  # not hers


def test_brief_digests_stay_brief(demo, tmp_path, capsys):
    outbox = tmp_path / "outbox"
    run_digest(capsys, demo, "--today", MONDAY, "--outbox", str(outbox), "--state", str(tmp_path / "s"))
    for addr, msg in messages(outbox).items():
        if msg["X-Sheetsync-Digest"] != "brief":
            continue
        assert msg.get_body(preferencelist=("html",)).get_content_type() == "text/html"
        content_lines = [line for line in text_of(msg).splitlines() if line.strip()]
        assert len(content_lines) <= 12, (addr, content_lines)  # headline, ≤ 8 lines, link, footer
        assert len(text_of(msg)) < 1200
        html = html_of(msg)
        assert "Due in the next 5 working days" not in html and "<img" not in html  # no tables, no picture


def test_a_detailed_digest_contains_every_overdue_item(demo, tmp_path, capsys):
    outbox = tmp_path / "outbox"
    run_digest(capsys, demo, "--today", MONDAY, "--outbox", str(outbox), "--state", str(tmp_path / "s"))
    sync_code = main(["sync", str(demo), "--today", MONDAY])
    capsys.readouterr()
    assert sync_code == 0
    book = openpyxl.load_workbook(demo)
    overdue_tasks = [r[1].value for r in book["Timeline"].iter_rows(min_row=2) if r[14].value == "OVERDUE"]
    overdue_reviews = [r[0].value for r in book["Reviews"].iter_rows(min_row=2) if r[10].value == "OVERDUE"]
    overdue_feedback = [r[2].value for r in book["Feedback"].iter_rows(min_row=2) if r[9].value == "OVERDUE"]
    assert overdue_tasks and overdue_reviews and overdue_feedback
    detailed = messages(outbox)["zhang.min@agency.example.com"]
    text, html = text_of(detailed), html_of(detailed)
    for item in overdue_tasks + overdue_reviews + overdue_feedback:
        assert item in text, item
        assert str(markupsafe.escape(item)) in html, item
    for title in ("Overdue", "Due in the next 5 working days", "Reviews by stage", "Triggered risks",
                  "Open client feedback"):
        assert title in text and title in html


def test_weekly_cadence_and_to(demo, tmp_path, capsys):
    state = str(tmp_path / "s")
    code, report = run_digest(capsys, demo, "--today", TUESDAY, "--outbox", str(tmp_path / "o1"), "--state", state)
    assert "Liu Yang" not in [d["name"] for d in report["deliveries"]]
    code, report = run_digest(
        capsys, demo, "--today", TUESDAY, "--outbox", str(tmp_path / "o2"), "--state", state,
        "--to", "liu.yang@brand.example.com",
    )
    assert [d["name"] for d in report["deliveries"]] == ["Liu Yang"]


def test_what_changed_since_the_previous_digest(demo, tmp_path, capsys):
    state = str(tmp_path / "s")
    run_digest(capsys, demo, "--today", "2026-11-27", "--outbox", str(tmp_path / "o1"), "--state", state)
    first = text_of(messages(tmp_path / "o1")["wang.lei@agency.example.com"])
    assert "This is your first digest for this project." in first
    run_digest(capsys, demo, "--today", MONDAY, "--outbox", str(tmp_path / "o2"), "--state", state)
    second = text_of(messages(tmp_path / "o2")["wang.lei@agency.example.com"])
    assert "T5 Client feedback & revisions: AT RISK → OVERDUE" in second


def test_chinese_digest_and_subject_injection(tmp_path, capsys):
    path = tmp_path / "zh.xlsx"
    build_workbook(path, lang="zh", demo=True, today=__import__("datetime").date(2026, 11, 27))
    wb = openpyxl.load_workbook(path)
    wb["项目"]["B2"] = "新品上市\r\nBcc: attacker@example.com"
    wb.save(path)
    outbox = tmp_path / "outbox"
    code, report = run_digest(capsys, path, "--today", MONDAY, "--outbox", str(outbox), "--state", str(tmp_path / "s"))
    raw = next(outbox.glob("*.eml")).read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"].startswith("【新品上市 Bcc: attacker@example.com】上线日期 2026-12-15")
    assert msg["Bcc"] is None and b"\nBcc:" not in raw
    assert "等你处理" in text_of(msg) or "目前没有等你处理的事项" in text_of(msg)


def test_an_outbox_eml_opens_and_renders(demo, tmp_path, capsys):
    """The real demo digest as written to the outbox: parsed by Python's email parser, painted headless."""
    import base64

    from test_digest_render import CHROMIUM, SOFFICE, near, paint

    if CHROMIUM is None and SOFFICE is None:
        pytest.skip("neither Chromium nor LibreOffice is installed: nothing can paint the HTML")
    outbox = tmp_path / "outbox"
    run_digest(capsys, demo, "--today", MONDAY, "--outbox", str(outbox), "--state", str(tmp_path / "s"))
    eml = outbox / "2026-11-30-zhang.min@agency.example.com.eml"
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    html = html_of(msg)
    for part in msg.walk():
        if part.get_content_type() == "image/png":
            uri = "data:image/png;base64," + base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace("cid:" + part["Content-ID"].strip("<>"), uri)
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")
    pixels, renderer = paint(page, tmp_path)
    total = pixels.width * pixels.height
    assert total - near(pixels, (255, 255, 255), 10) > total * 0.02, f"{renderer} painted an almost blank page"
