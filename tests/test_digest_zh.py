"""A Chinese book's digests are Chinese: subjects, text and HTML, tables, stages, flags and the timeline picture.

The digest follows the book's language (its headers, or its Language setting),
not its Market, which only chooses copy rules. The detailed digest ends with
the sync's notices for the team; the client's brief never shows them.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import io
import re
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from PIL import Image, ImageDraw, ImageFont

import sheetsync
from sheetsync.analysis import analyse
from sheetsync.digest.chart import gantt_png
from sheetsync.digest.model import GanttBar
from sheetsync.digest.run import run_digests

CREATED = dt.date(2026, 11, 27)
MONDAY = dt.date(2026, 11, 30)
# What an English word may be in a Chinese digest: the product's name. The demo's own cells are Chinese too
# (需求简报, 品牌标识), and indicators are named in Chinese.
ALLOWED = {"sheetsync", "CPA"}  # CPA: cost per acquisition, as Chinese ad platforms write it too
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
NOTICE = "2027 年的国务院节假日安排尚未收录：请在“额外工作日”中填写调休上班日，或升级 holidays。"


def english_words(text: str) -> set[str]:
    """Latin words of two or more letters that are neither an address, a URL nor an allowed name or code."""
    return {w for w in WORD.findall(ADDRESS.sub(" ", text)) if w not in ALLOWED}


def visible(markup: str) -> str:
    """What a person reads in the HTML part: tags, comments and the doctype removed, entities decoded."""
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def img_alt(markup: str) -> str:
    match = re.search(r'<img [^>]*alt="([^"]*)"', markup)
    return html.unescape(match.group(1)) if match else ""


def read_outbox(folder: Path) -> dict[str, EmailMessage]:
    out = {}
    for eml in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        out[message["To"].addresses[0].addr_spec] = message
    return out


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    markup = message.get_body(preferencelist=("html",)).get_content()
    return text, markup


def set_setting(path: Path, sheet: str, setting: str, value: str) -> None:
    book = openpyxl.load_workbook(path)
    rows = [row for row in book[sheet].iter_rows(min_row=2) if row[0].value == setting]
    assert rows, f"{sheet} has no {setting} row"
    rows[0][1].value = value
    book.save(path)


@pytest.fixture
def zh_demo(tmp_path: Path) -> Path:
    path = tmp_path / "zh.xlsx"
    sheetsync.create(path, lang="zh", demo=True, today=CREATED)
    return path


def digests(path: Path, outbox: Path) -> dict[str, EmailMessage]:
    run = sheetsync.open(path).digest(today=MONDAY, outbox=outbox, preview=True)
    assert [d.status for d in run.deliveries] == ["written"] * len(run.deliveries)
    return read_outbox(outbox)


def test_every_zh_demo_digest_is_chinese(zh_demo: Path, tmp_path: Path) -> None:
    mail = digests(zh_demo, tmp_path / "outbox")
    assert len(mail) == 6 and {m["X-Sheetsync-Digest"] for m in mail.values()} == {"brief", "detailed"}
    for address, message in mail.items():
        text, markup = parts(message)
        assert message["Content-Language"] == "zh"
        for where, said in (("subject", message["Subject"]), ("text", text), ("html", visible(markup)),
                            ("picture", img_alt(markup))):
            assert not english_words(said), (address, where, sorted(english_words(said)))
    text, markup = parts(mail["wang.lei@agency.example.com"])
    assert "审核 抖音口播脚本 第 1 轮（内部），已等待 5 个工作日" in text  # was 第 1 轮（Internal）
    assert "小红书种草笔记 第 2 轮 | 客户审核，已等待 3 个工作日" in text
    assert "T9 素材制作：截止 2026-12-09（有风险）" in text
    assert "已逾期：任务 2 项、审核 2 项、客户反馈 1 项 · 临近截止：2 项" in text
    assert "编号 | 风险" in text and "已触发的风险" in visible(markup)
    assert re.search(r'<td bgcolor="#FFC7CE" style="[^"]*">已逾期</td>', markup)  # flag cells keep their colours
    assert "你订阅的是详细摘要（每个工作日）" in text
    assert "你订阅的是简要摘要（每周一）" in parts(mail["liu.yang@brand.example.com"])[0]
    subject = mail["liu.yang@brand.example.com"]["Subject"]
    assert subject == "【沁润修护精华 新品上市（小红书 / 抖音）】上线日期 2026-12-15：按计划进行"


def test_a_chinese_book_with_market_en_still_gets_chinese_digests(zh_demo: Path, tmp_path: Path) -> None:
    set_setting(zh_demo, "项目", "市场", "en")
    mail = digests(zh_demo, tmp_path / "outbox")
    client = mail["liu.yang@brand.example.com"]
    text, markup = parts(client)
    assert client["Subject"].endswith("】上线日期 2026-12-15：按计划进行")
    assert "下一项：T6 客户审核，截止 2026-11-30（有风险）" in text
    assert not english_words(text) and not english_words(visible(markup))


def test_an_english_book_with_market_zh_gets_english_digests(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    sheetsync.create(path, lang="en", demo=True, today=CREATED)
    set_setting(path, "Project", "Market", "zh")
    client = digests(path, tmp_path / "outbox")["liu.yang@brand.example.com"]
    assert client["Subject"] == "[Qinrun Repair Serum launch (Xiaohongshu / Douyin)] Launch 2026-12-15: on track"
    text = parts(client)[0]
    assert "T6 Client review: due 2026-11-30 (AT RISK)" in text
    assert "Overdue: 2 tasks, 2 reviews, 1 client request · due soon: 2" in text  # was "1 client requests"
    assert client["Content-Language"] == "en"


def test_the_team_notices_close_the_detailed_digest_only(zh_demo: Path, tmp_path: Path) -> None:
    book = sheetsync.open(zh_demo)
    analysis = analyse(book.backend.read(), today=MONDAY)
    analysis.notices.append(NOTICE)  # as the calendar check says it for a plan across 2027
    outbox = tmp_path / "outbox"
    run_digests(analysis, target=str(zh_demo), outbox=outbox, state_dir=tmp_path / "state")
    mail = read_outbox(outbox)
    for message in mail.values():
        text, markup = parts(message)
        if message["X-Sheetsync-Digest"] == "detailed":
            assert f"给团队的提示\n- {NOTICE}\n" in text
            assert f"<li style=\"margin:2px 0;\">{html.escape(NOTICE, quote=False)}</li>" in markup
        else:
            assert NOTICE not in text and "给团队的提示" not in text and NOTICE not in visible(markup)


def _ink(label: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    image = Image.new("L", (40, 20), 255)
    ImageDraw.Draw(image).text((2, 2), label, fill=0, font=font)
    return image


def test_the_chinese_timeline_draws_chinese_glyphs() -> None:
    from sheetsync.digest.chart import cjk_font  # the font the picture draws Chinese with

    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (scripts/test installs fonts-noto-cjk)")
    # A font without the glyphs draws the same box for every character: two different characters differ.
    assert _ink("今", font).tobytes() != _ink("天", font).tobytes()
    assert _ink("今", font).getextrema()[0] < 128  # and it puts ink on the page
    bars = [GanttBar("T1", dt.date(2026, 12, 1), dt.date(2026, 12, 4), dt.date(2026, 12, 8), "AT RISK")]
    kwargs = dict(today=MONDAY, launch=dt.date(2026, 12, 15), projected_launch=None)
    with sheetsync.i18n.language("zh"):
        zh = gantt_png(bars, **kwargs)  # type: ignore[arg-type]
    with sheetsync.i18n.language("en"):
        en = gantt_png(bars, **kwargs)  # type: ignore[arg-type]
    legend = (0, 40, 720, Image.open(io.BytesIO(zh)).height)
    assert Image.open(io.BytesIO(zh)).crop(legend).tobytes() != Image.open(io.BytesIO(en)).crop(legend).tobytes()


def test_a_refused_address_is_explained_in_the_books_language(zh_demo: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(zh_demo)
    team = book["团队"]
    li_na = next(row for row in team.iter_rows(min_row=2) if row[0].value == "李娜")
    email_cell = next(cell for cell in li_na if cell.value == "li.na@agency.example.com")
    email_cell.value = "li.na at agency"
    book.save(zh_demo)
    run = sheetsync.open(zh_demo).digest(today=MONDAY, outbox=tmp_path / "outbox", preview=True)
    refused = [d for d in run.deliveries if d.status == "invalid"]
    assert [d.recipient for d in refused] == ["li.na at agency"]
    assert refused[0].reason.startswith(f"未发送：团队!{email_cell.coordinate}：")
