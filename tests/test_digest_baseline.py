"""Digests, group chats and the sync summary measure the plan against its baseline.

The books are the demo campaign with a baseline typed in by hand (what
`sheetsync baseline` records): committed dues chosen so that the variances are
distinct and worked out below on the calendar, the Project's Baseline name and
Baseline launch. Today is 2026-12-08 (a Tuesday); the projected launch is the
demo's 2026-12-24 (a Thursday, on track).

Hand-worked variances (working days from Baseline due to Projected due; a task
ends at the end of its day, the milestone T13 at its beginning; no holiday
falls in December 2026, in China or anywhere the demo is set):

    T2  12-04 Fri → 12-11 Fri: Dec 7, 8, 9, 10, 11            = +5
    T7  12-08 Tue → 12-15 Tue: Dec 9, 10, 11, 14, 15          = +5
    T9  12-15 Tue → 12-21 Mon: Dec 16, 17, 18, 21             = +4
    T10 12-10 Thu → 12-16 Wed: Dec 11, 14, 15, 16             = +4
    T4  12-04 Fri → 12-08 Tue: Dec 7, 8                       = +2
    T13 12-22 Tue → 12-24 Thu (a milestone): Dec 22, 23       = +2  (after T4 on the Timeline: not shown)
    T12 12-21 Mon → 12-22 Tue: Dec 22                         = +1
    T1 is a day early (-1); T3, T5, T8 are as committed; T6 and T11 have no baseline: added after it.

The launch against the committed one (working days from the committed launch to the projected one):

    committed 2026-12-21 Mon → 12-24 Thu: Dec 21, 22, 23                           = 3 later
    committed 2027-01-04 Mon ← 12-24 Thu: Dec 24, 25, 28, 29, 30, 31, Jan 1 (Fri)   = 7 earlier without a
        calendar; 6 with China's, where 1 January is New Year's Day.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
import re
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.i18n import _, n_

TODAY = "2026-12-08"
D = dt.date
COMMITTED = {  # task → Baseline due (and Baseline start: only the due is measured)
    "T1": D(2026, 11, 27), "T2": D(2026, 12, 4), "T3": D(2026, 12, 7), "T4": D(2026, 12, 4), "T5": D(2026, 12, 10),
    "T7": D(2026, 12, 8), "T8": D(2026, 12, 16), "T9": D(2026, 12, 15), "T10": D(2026, 12, 10),
    "T12": D(2026, 12, 21), "T13": D(2026, 12, 22),
}
LARGEST = [("T2", "2026-12-04", "2026-12-11", 5), ("T7", "2026-12-08", "2026-12-15", 5),
           ("T9", "2026-12-15", "2026-12-21", 4), ("T10", "2026-12-10", "2026-12-16", 4),
           ("T4", "2026-12-04", "2026-12-08", 2)]
NAMES = {
    "en": {"T2": "Audience targeting package", "T7": "Compliance review", "T9": "Asset production",
           "T10": "Media booking", "T4": "Internal review"},
    "zh": {"T2": "数据团队 投放人群包", "T7": "合规审核", "T9": "素材制作", "T10": "媒介排期", "T4": "内部审核"},
}
WORDS = {  # the book's own words for the settings and headers typed by hand
    "en": {"Baseline": "Baseline", "Baseline launch": "Baseline launch", "Calendar": "Calendar",
           "Baseline start": "Baseline start", "Baseline due": "Baseline due"},
    "zh": {"Baseline": "基线", "Baseline launch": "基线上线日期", "Calendar": "日历",
           "Baseline start": "基线开始", "Baseline due": "基线截止"},
}
BRIEF, DETAILED = "li.na@agency.example.com", "zhang.min@agency.example.com"


def demo(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / f"{lang}.xlsx"
    assert main(["init", str(path), "--demo", "--today", TODAY, "--lang", lang]) == 0
    return path


def set_baseline(path: Path, lang: str, name: str, launch: dt.date, calendar: str | None = None) -> None:
    """Type a baseline in as `sheetsync baseline` would leave it: the Timeline's committed dates, the Project's name
    and launch."""
    words = WORDS[lang]
    book = openpyxl.load_workbook(path)
    project, timeline = book.worksheets[0], book.worksheets[1]
    header = [c.value for c in timeline[1]]
    start, due = header.index(words["Baseline start"]), header.index(words["Baseline due"])
    for row in timeline.iter_rows(min_row=2):  # over the demo's own baseline: the others were added after it
        if row[0].value:
            row[start].value = row[due].value = COMMITTED.get(row[0].value)
    settings = {words["Baseline"]: name, words["Baseline launch"]: launch}
    if calendar is not None:
        settings[words["Calendar"]] = calendar or None
    for row in project.iter_rows(min_row=2):
        if row[0].value in settings:
            row[1].value = settings.pop(row[0].value)
    assert not settings, f"the Project sheet has no row for {settings}"
    book.save(path)


def outbox(path: Path, folder: Path, *extra: str) -> dict[str, tuple[str, str]]:
    """Each person's digest as (text part, what the HTML part shows), by address."""
    assert main(["digest", str(path), "--outbox", str(folder), "--today", TODAY, *extra]) == 0
    out = {}
    for eml in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        text = message.get_body(preferencelist=("plain",)).get_content()
        markup = message.get_body(preferencelist=("html",)).get_content()
        out[message["To"].addresses[0].addr_spec] = (text, html.unescape(re.sub(r"<[^>]*>", "\n", markup)))
    return out


def shown(markup: str) -> list[str]:
    """The HTML part's visible text, one line per element."""
    return [line.strip() for line in markup.splitlines() if line.strip()]


def said(lang: str, fn, *args, **params) -> str:
    """A message as the book's language says it (the catalogue's translation once the lead has added it)."""
    with i18n.language(lang):
        return fn(*args, **{k: v() if callable(v) else v for k, v in params.items()})


def late_line(lang: str, launch: str, days: int, committed: str, name: str) -> str:
    return said(lang, n_, "Launch {launch} — {n} working day later than committed ({committed})",
                "Launch {launch} — {n} working days later than committed ({committed})", days, launch=launch,
                committed=lambda: _('{date}, baseline "{name}"', date=committed, name=name))


def early_line(lang: str, launch: str, days: int, committed: str, name: str) -> str:
    return said(lang, n_, "Launch {launch} — {n} working day earlier than committed ({committed})",
                "Launch {launch} — {n} working days earlier than committed ({committed})", days, launch=launch,
                committed=lambda: _('{date}, baseline "{name}"', date=committed, name=name))


def table_lines(lang: str) -> list[str]:
    """The text part's "Against the baseline" rows, cells as the digest shows them."""
    with i18n.language(lang):
        return [" | ".join((tid, NAMES[lang][tid], base, projected, n_("+{n} working day", "+{n} working days", n)))
                for tid, base, projected, n in LARGEST]


def added_note(lang: str) -> str:
    with i18n.language(lang):
        ids = i18n.pick(lang, ", ", "、").join(["T6", "T11"])
        return n_("{n} task was added after the baseline: {ids}.", "{n} tasks were added after the baseline: {ids}.",
                  2, ids=ids)


def rows_of(text: str, title: str) -> list[str]:
    """The text part's table under `title`: its rows with the padding squeezed out (header and rule dropped)."""
    block = text.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [re.sub(r"\s*\|\s*", " | ", row).strip() for row in block[2:]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_brief_and_detailed_say_the_launch_against_its_commitment_and_the_largest_variances(tmp_path, lang):
    path = demo(tmp_path, lang)
    name = {"en": "Sign-off", "zh": "客户确认"}[lang]
    set_baseline(path, lang, name, D(2026, 12, 21))
    mail = outbox(path, tmp_path / "out")
    line = late_line(lang, "2026-12-24", 3, "2026-12-21", name)
    if lang == "en":
        assert line == 'Launch 2026-12-24 — 3 working days later than committed (2026-12-21, baseline "Sign-off")'
    title = said(lang, _, "Against the baseline")
    for address, (text, markup) in mail.items():
        assert text.splitlines().count(line) == 1, address  # once, under the headline, brief or detailed
        assert shown(markup).count(line) == 1, address
    brief_text, brief_markup = mail[BRIEF]
    assert brief_text.splitlines()[2] == line  # right under the launch headline
    assert title not in brief_text and title not in brief_markup
    text, markup = mail[DETAILED]
    table = rows_of(text, title)
    assert table[:5] == table_lines(lang)  # exactly the five worst, worst first; T13's +2 and T12's +1 left out
    assert table[5:] == [added_note(lang)]
    cells = shown(markup.split(title, 1)[1])
    assert cells[:5] == {"en": ["ID", "Milestone", "Baseline due", "Projected due", "Variance"],
                         "zh": ["编号", "里程碑", "基线截止", "预计完成", "偏差"]}[lang]  # the book's own headers
    assert cells[5:5 + 25:5] == [tid for tid, *_rest in LARGEST]
    assert cells[5 + 25] == added_note(lang)


@pytest.mark.parametrize("lang, calendar, days", [("en", "", 7), ("zh", "CN", 6)])
def test_the_launch_line_counts_working_days_of_the_books_calendar(tmp_path, capsys, lang, calendar, days):
    """A committed launch past New Year: 1 January 2027 is a working day without a calendar, a holiday in China."""
    path = demo(tmp_path, lang)
    set_baseline(path, lang, "v1", D(2027, 1, 4), calendar=calendar)
    text, markup = outbox(path, tmp_path / "out", "--to", BRIEF)[BRIEF]
    line = early_line(lang, "2026-12-24", days, "2027-01-04", "v1")
    assert line in text.splitlines() and line in shown(markup)
    capsys.readouterr()
    assert main(["sync", str(path), "--today", TODAY, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["baseline"]["launch_variance_days"] == -days


def test_a_plan_where_it_was_committed_says_so(tmp_path):
    """Every task's committed due is its projected one and the launch is the committed one: nothing to list."""
    path = demo(tmp_path, "en")
    set_baseline(path, "en", "", D(2026, 12, 24))  # recorded without a name
    book = openpyxl.load_workbook(path)
    timeline = book.worksheets[1]
    header = [c.value for c in timeline[1]]
    for row in timeline.iter_rows(min_row=2):
        if row[0].value:
            row[header.index("Baseline due")].value = row[header.index("Projected due")].value
    book.save(path)
    mail = outbox(path, tmp_path / "out")
    assert "Launch 2026-12-24 — as committed (2026-12-24)" in mail[BRIEF][0].splitlines()
    text = mail[DETAILED][0]
    assert "\nAgainst the baseline\nNo task is behind the baseline.\n\n" in text
    assert "added after the baseline" not in text


def test_a_book_without_a_baseline_says_nothing_of_one(tmp_path, capsys):
    path = demo(tmp_path, "en")
    book = openpyxl.load_workbook(path)  # the demo records one: take it away, as a book made before baselines
    project, timeline = book.worksheets[0], book.worksheets[1]
    header = [c.value for c in timeline[1]]
    for row in timeline.iter_rows(min_row=2):
        for name in ("Baseline start", "Baseline due", "Variance"):
            row[header.index(name)].value = None
    for row in project.iter_rows(min_row=2):
        if row[0].value in ("Baseline", "Baseline launch"):
            row[1].value = None
    book.save(path)
    mail = outbox(path, tmp_path / "out")
    for text, markup in mail.values():
        assert "committed" not in text and "committed" not in markup and "baseline" not in text.lower()
    assert main(["digest", str(path), "--chat", "--outbox", str(tmp_path / "chat"), "--today", TODAY]) == 0
    posted = (tmp_path / "chat").glob("*.json")
    assert all("baseline" not in p.read_text(encoding="utf-8").lower() for p in posted)
    capsys.readouterr()
    assert main(["sync", str(path), "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert "committed" not in out and out.splitlines()[1] == "Launch 2026-12-24: on track"
    assert main(["sync", str(path), "--today", TODAY, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["baseline"] is None


def test_a_group_chat_gets_the_line_and_the_variances(tmp_path):
    path = demo(tmp_path, "en")
    set_baseline(path, "en", "Sign-off", D(2026, 12, 21))
    assert main(["digest", str(path), "--chat", "--outbox", str(tmp_path / "chat"), "--today", TODAY]) == 0
    [posted] = (tmp_path / "chat").glob("*.json")  # the demo's one Slack channel, detailed
    texts = [b["text"]["text"] for b in json.loads(posted.read_text(encoding="utf-8"))["blocks"] if "text" in b]
    line = 'Launch 2026-12-24 — 3 working days later than committed (2026-12-21, baseline "Sign-off")'
    assert line in texts[1].splitlines()  # beside the headline, as in the e-mail
    [section] = [t for t in texts if t.startswith("*Against the baseline*")]
    assert section.splitlines() == [
        "*Against the baseline*",
        "• T2 · Audience targeting package · Baseline due: 2026-12-04 · Projected due: 2026-12-11 · +5 working days",
        "• T7 · Compliance review · Baseline due: 2026-12-08 · Projected due: 2026-12-15 · +5 working days",
        "• T9 · Asset production · Baseline due: 2026-12-15 · Projected due: 2026-12-21 · +4 working days",
        "• T10 · Media booking · Baseline due: 2026-12-10 · Projected due: 2026-12-16 · +4 working days",
        "• T4 · Internal review · Baseline due: 2026-12-04 · Projected due: 2026-12-08 · +2 working days",
        "• 2 tasks were added after the baseline: T6, T11.",
    ]
