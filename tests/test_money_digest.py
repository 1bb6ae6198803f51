"""Digests and group chats say the budget burn and goal progress; the detailed one has the tables and a burn-down.

The demo book gives the Team and Channels (who gets what); its Goals, Budget and Results are replaced by the
hand-worked case of tests/money_case.py, so nothing here depends on the demo's own money numbers.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from money_books import make_book
from money_case import BUDGET, GOALS, RESULTS, SETTINGS, SETTINGS_ZH, TODAY
from PIL import Image

from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.digest.burndown import OVER_COLOUR, WITHIN_COLOUR, BurnDown, burndown_png
from sheetsync.report_money import count

D = dt.date
BUDGET_LINE = "Budget: spent ¥3,900 of ¥10,000 (39%), forecast ¥13,100 — will overrun by 31%"
GOALS_LINE = ("Goals: 1 of 6 on track, 2 behind (Clicks: 4,500 of 20K, 23% — expected 30% by now), "
              "1 missed (Launch week clicks: 2,500 of 5,000, 50%), 1 met, 1 to check")


def book(tmp_path: Path, lang: str = "en") -> Path:
    settings = SETTINGS if lang == "en" else SETTINGS_ZH
    return make_book(tmp_path / f"{lang}.xlsx", today=TODAY, lang=lang, settings=settings, goals=GOALS,
                     budget=BUDGET, results=RESULTS, demo=True)


def outbox(path: Path, folder: Path) -> list[EmailMessage]:
    main(["digest", str(path), "--outbox", str(folder), "--today", TODAY.isoformat()])
    messages = []
    for eml in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def pictures(message: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.walk()
            if part.get_content_type() == "image/png"}


def test_brief_and_detailed_digests_say_budget_and_goals(tmp_path):
    messages = outbox(book(tmp_path), tmp_path / "out")
    kinds = {m["X-Sheetsync-Digest"]: m for m in messages}
    brief, detailed = text_of(kinds["brief"]), text_of(kinds["detailed"])
    for text in (brief, detailed):
        assert BUDGET_LINE in text.splitlines() and GOALS_LINE in text.splitlines()
    budget = detailed.split("\nBudget\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [c.strip() for c in budget[0].split("|")] == ["Item", "Planned", "Spent", "Remaining", "Used %",
                                                         "Forecast", "Flag"]
    rows = [[c.strip() for c in line.split("|")] for line in budget[2:]]
    assert rows == [
        ["Meta ads", "¥6,000", "¥2,700", "¥3,300", "45%", "¥9,000", "WILL OVERRUN"],
        ["KOL fees", "¥3,000", "¥1,000", "-¥500", "33%", "¥3,500", "OVER BUDGET"],
        ["Production", "¥1,000", "¥200", "¥800", "20%", "¥600", "OK"],
        ["Total", "¥10,000", "¥3,900", "¥3,600", "39%", "¥13,100", ""],  # 10,000 − (2,700 + 3,500 + 200)
    ]
    goals = detailed.split("\nGoals\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [c.strip() for c in goals[5].split("|")] == ["CPA", "CPA", "¥40", "2026-12-30", "¥50", "80%", "100%",
                                                        "BEHIND"]
    assert set(pictures(kinds["detailed"])) == {"timeline.png", "burndown.png"}  # side by side in the HTML part
    assert pictures(kinds["brief"]) == {}
    markup = kinds["detailed"].get_body(preferencelist=("html",)).get_content()
    assert markup.index("cid:timeline.") < markup.index("cid:burndown.")


def test_a_group_chat_shows_the_lines(tmp_path):
    path = book(tmp_path)
    main(["digest", str(path), "--chat", "--outbox", str(tmp_path / "chat"), "--today", TODAY.isoformat()])
    [posted] = (tmp_path / "chat").glob("*.json")
    texts = "\n".join(b["text"]["text"] for b in json.loads(posted.read_text(encoding="utf-8"))["blocks"]
                      if "text" in b)
    assert BUDGET_LINE in texts.splitlines() and GOALS_LINE in texts.splitlines()


def test_a_chinese_digest_says_it_in_chinese_with_wan(tmp_path):
    messages = outbox(book(tmp_path, "zh"), tmp_path / "out")
    text = text_of(next(m for m in messages if m["X-Sheetsync-Digest"] == "detailed"))
    with i18n.language("zh"):
        clicks = i18n._("{goal} {actual} of {target}, {pct} — expected {expected} by now", goal="Clicks",
                        actual="4,500", target="2万", pct="23%", expected="30%")
        assert count(360000) == "36万" and count(12_000) == "1.2万" and count(1_200_000) == "120万"
    assert clicks in text
    assert "预计超支" in text and "已超支" in text and "未达成" in text  # the flags in the book's language


def test_the_burn_down_forecast_is_red_when_it_overruns_and_green_within():
    def colours(forecast: float) -> set[tuple[int, int, int]]:
        burn = BurnDown(D(2026, 12, 1), D(2026, 12, 30), 10000, ((D(2026, 12, 1), 300.0), (D(2026, 12, 9), 2700.0)),
                        forecast, D(2026, 12, 10), "¥")
        png = burndown_png(burn)
        assert png == burndown_png(burn)  # the same numbers, the same bytes
        return {colour for _n, colour in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 16)}

    over, within = colours(11700), colours(9000)
    assert OVER_COLOUR in over and WITHIN_COLOUR not in over
    assert WITHIN_COLOUR in within and OVER_COLOUR not in within


@pytest.mark.parametrize(("value", "en", "zh"), [(9500, "9,500", "9,500"), (20000, "20K", "2万"),
                                                 (1_234_567, "1.2M", "123.5万"), (250_000_000, "250M", "2.5亿")])
def test_counts_are_shortened_as_each_language_reads_them(value, en, zh):
    with i18n.language("en"):
        assert count(value) == en
    with i18n.language("zh"):
        assert count(value) == zh
