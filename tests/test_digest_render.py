"""Digest emails as a mail client receives them: headers, MIME structure, escaping, the timeline picture.

Every message is rendered, flattened to bytes and parsed back with the email
package, so the assertions are about what arrives, not about the objects
that built it. The last test paints the HTML part headless (Chromium, or
LibreOffice as a fallback) and looks at the pixels.
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import io
import re
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image

from sheetsync.contract import FLAG_COLOURS, OVERDUE
from sheetsync.digest.chart import MAX_ROWS, gantt_png, most_urgent
from sheetsync.digest.model import Digest, GanttBar, Recipient, Table
from sheetsync.digest.render import RenderError, display_width, render_message

TODAY = dt.date(2026, 3, 10)
SENDER = "sheetsync <digest@example.com>"


SENT_AT = dt.datetime(2026, 3, 10, 8, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # when run_digests sends


def bars() -> list[GanttBar]:
    return [
        GanttBar("T1", dt.date(2026, 3, 2), dt.date(2026, 3, 6), dt.date(2026, 3, 9), "OVERDUE"),
        GanttBar("T2", dt.date(2026, 3, 5), dt.date(2026, 3, 12), dt.date(2026, 3, 12), "AT RISK"),
        GanttBar("T3", dt.date(2026, 3, 3), dt.date(2026, 3, 6), dt.date(2026, 3, 6), "DONE"),
        GanttBar("M1", dt.date(2026, 3, 20), dt.date(2026, 3, 20), dt.date(2026, 3, 23), "DUE SOON", milestone=True),
    ]


def detailed_zh(**changes: object) -> Digest:
    """A detailed Chinese digest with hostile cell text, as compose might build it from a real sheet."""
    fields: dict[str, object] = dict(
        recipient=Recipient("刘洋", "liu.yang@example.cn", role="PM", kind="detailed"),
        lang="zh",
        project="春季上新",
        today=TODAY,
        subject="【春季上新】预计上线推迟 3 天",
        headline="预计上线 2026-04-03，比计划晚 3 天",
        lines=["2 项已逾期", "1 项等你处理"],
        waiting=["T2 文案审核：周四前"],
        tables=[
            Table("已逾期", ("ID", "任务", "截止", "标记"), (
                ("T1", "<script>alert(1)</script> & co", "2026-03-06", "OVERDUE"),
                ("T2", "视频剪辑", "2026-03-12", "AT RISK"),
            )),
            Table("已触发的风险", ("ID", "风险"), (), empty="没有触发的风险"),
        ],
        changes=["T1 截止从 3/5 改为 3/6"],
        gantt=bars(),
        launch=dt.date(2026, 3, 31),
        projected_launch=dt.date(2026, 4, 3),
        sheet_link="https://docs.google.com/spreadsheets/d/abc/edit?usp=sharing&x=1",
        footer="sheetsync 自动发送，回复不会被读取",
    )
    fields.update(changes)
    return Digest(**fields)  # type: ignore[arg-type]


def detailed_en(**changes: object) -> Digest:
    fields: dict[str, object] = dict(
        recipient=Recipient("Ann Lee", "ann@example.com", kind="detailed"),
        lang="en",
        project="Spring launch",
        today=TODAY,
        subject="[Spring launch] Launch projected 3 days late",
        headline="Projected launch 2026-04-03, 3 days after the planned 2026-03-31",
        lines=["2 overdue", "1 waiting on you"],
        waiting=["T2 copy review: by Thursday"],
        tables=[Table("Overdue", ("ID", "Task", "Due", "Flag"), (
            ("T1", "Shoot the hero video", "2026-03-06", "OVERDUE"),
            ("T2", "Edit the cut-downs", "2026-03-12", "AT RISK"),
        ))],
        changes=["T1 due moved from 3/5 to 3/6"],
        gantt=bars(),
        launch=dt.date(2026, 3, 31),
        projected_launch=dt.date(2026, 4, 3),
        sheet_link="https://docs.google.com/spreadsheets/d/abc/edit",
        footer="Sent by sheetsync. Replies are not read.",
    )
    fields.update(changes)
    return Digest(**fields)  # type: ignore[arg-type]


def brief_en(**changes: object) -> Digest:
    fields: dict[str, object] = dict(
        recipient=Recipient("Bo Chen", "bo@example.com", side="client", kind="brief"),
        lang="en",
        project="Spring launch",
        today=TODAY,
        subject="[Spring launch] On track for 2026-03-31",
        headline="On track: launch 2026-03-31",
        lines=["Waiting on you: approve the key visual (R3) by 2026-03-12"],
        waiting=["approve the key visual (R3) by 2026-03-12"],
        tables=[Table("Overdue", ("ID",), (("T1",),))],  # a brief digest must not show these
        gantt=bars(),
        sheet_link="/srv/campaigns/spring.xlsx",
        footer="Sent by sheetsync.",
    )
    fields.update(changes)
    return Digest(**fields)  # type: ignore[arg-type]


def received(digest: Digest) -> tuple[EmailMessage, bytes]:
    """The message as the recipient's client parses it from the wire."""
    raw = render_message(digest, sender=SENDER, sent_at=SENT_AT).as_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message, raw


def part(message: EmailMessage, content_type: str) -> EmailMessage:
    found = [p for p in message.walk() if p.get_content_type() == content_type]
    assert len(found) == 1, f"expected one {content_type} part, found {len(found)}"
    return found[0]


def html_of(message: EmailMessage) -> str:
    return part(message, "text/html").get_content()


def text_of(message: EmailMessage) -> str:
    return part(message, "text/plain").get_content()


# --- structure and headers ---------------------------------------------------


def test_detailed_digest_is_alternative_with_related_html_and_inline_picture() -> None:
    message, _ = received(detailed_zh())

    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    assert [p.get_content_type() for p in related.get_payload()] == ["text/html", "image/png"]
    for text_part in (plain, related.get_payload()[0]):
        assert text_part.get_content_charset() == "utf-8"
    assert message["X-Sheetsync-Digest"] == "detailed"
    assert message["Date"] == "Tue, 10 Mar 2026 08:30:05 +0800"  # the send time with its offset (issue 14)
    assert message["Content-Language"] == "zh"
    assert re.fullmatch(r"<[0-9a-f]{32}@sheetsync\.local>", message["Message-ID"])


def test_chinese_subject_and_name_travel_as_rfc2047_and_decode_intact() -> None:
    message, raw = received(detailed_zh())

    head = raw.split(b"\n\n", 1)[0]
    assert head.isascii(), "headers must be 7-bit: non-ASCII goes in RFC 2047 encoded words"
    assert b"=?utf-8?" in head
    assert message["Subject"] == "【春季上新】预计上线推迟 3 天"
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("刘洋", "liu.yang@example.cn")
    assert message["From"].addresses[0].addr_spec == "digest@example.com"


def test_subject_with_crlf_cannot_inject_a_header() -> None:
    message, raw = received(detailed_en(subject="Launch slips\r\nBcc: evil@x\x00\tnow"))

    assert message["Subject"] == "Launch slips Bcc: evil@x now"
    assert "Bcc" not in message
    assert not re.search(rb"^Bcc:", raw, re.MULTILINE)
    assert "\n" not in html_of(message).split("<title>")[1].split("</title>")[0]


def test_message_id_is_stable_per_person_day_and_kind_and_bytes_are_reproducible() -> None:
    first, raw_first = received(detailed_en())
    again, raw_again = received(detailed_en())
    tomorrow, _ = received(detailed_en(today=TODAY + dt.timedelta(days=1)))
    brief, _ = received(detailed_en(recipient=Recipient("Ann Lee", "ann@example.com", kind="brief")))

    assert raw_first == raw_again  # the same digest sent at the same time
    other_sheet, _ = received(detailed_en(sheet="gsheet:another-key"))
    assert other_sheet["Message-ID"] != first["Message-ID"]  # same project name, another sheet (issue 14)
    assert first["Message-ID"] == again["Message-ID"]
    assert len({first["Message-ID"], tomorrow["Message-ID"], brief["Message-ID"]}) == 3


def test_bad_recipient_address_is_a_located_sheetsync_error() -> None:
    digest = detailed_en(recipient=Recipient("Ann Lee", "ann at example", kind="detailed"))
    with pytest.raises(RenderError, match=r'^Team: Ann Lee\'s Email "ann at example" is not an email address'):
        render_message(digest, sender=SENDER)


# --- what the parts say ------------------------------------------------------


def test_text_part_has_every_line_section_and_aligned_table() -> None:
    text = text_of(received(detailed_zh())[0])

    digest = detailed_zh()
    for line in [digest.headline, *digest.lines, *digest.waiting, *digest.changes, digest.footer]:
        assert line in text
    for label in ("等你处理", "自上次摘要以来的变化", "没有触发的风险"):
        assert label in text
    assert "打开表格: https://docs.google.com/spreadsheets/d/abc/edit?usp=sharing&x=1" in text
    assert "T1 | <script>alert(1)</script> & co | 2026-03-06 | OVERDUE" in text  # plain text is not escaped
    # Chinese cells are two columns wide: the separators still line up.
    table = [line for line in text.splitlines() if line.startswith(("ID ", "T1 ", "T2 "))]
    assert len({display_width(line[:line.index("| 20")]) for line in table[1:]}) == 1


def test_english_labels() -> None:
    message, _ = received(detailed_en())
    for label in ("Waiting on you", "What changed since your last digest", "Open the sheet"):
        assert label in text_of(message)
        assert label in html_of(message)


def test_html_escapes_cell_text_and_colours_flag_cells() -> None:
    html = html_of(received(detailed_zh())[0])

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert 'href="https://docs.google.com/spreadsheets/d/abc/edit?usp=sharing&amp;x=1"' in html
    fill, font = FLAG_COLOURS[OVERDUE]
    assert re.search(rf'<td bgcolor="#{fill}" style="[^"]*background-color:#{fill};color:#{font};[^"]*">OVERDUE</td>',
                     html)


def test_inline_picture_content_id_matches_img_src() -> None:
    message, _ = received(detailed_zh())
    image = part(message, "image/png")

    cid = image["Content-ID"]
    assert cid.startswith("<") and cid.endswith(">")
    match = re.search(r'<img src="cid:([^"]+)" alt="([^"]+)"', html_of(message))
    assert match and match.group(1) == cid[1:-1]
    assert match.group(2) == "时间线：4 项任务的计划与预计截止日期、今天和上线日期"
    assert image.get_content_disposition() == "inline"
    assert Image.open(io.BytesIO(image.get_content())).format == "PNG"


def test_detailed_digest_without_bars_has_no_picture() -> None:
    message, _ = received(detailed_en(gantt=[]))
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]
    assert "<img" not in html_of(message)


def test_brief_digest_is_short_no_tables_no_picture() -> None:
    message, _ = received(brief_en())

    assert message["X-Sheetsync-Digest"] == "brief"
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]
    assert not any(p.get_content_maintype() == "image" for p in message.walk())
    html, text = html_of(message), text_of(message)
    assert "<img" not in html and "<th" not in html
    assert html.count("<table") == html.count('role="presentation"'), "only layout tables in a brief digest"
    assert "Waiting on you: approve the key visual (R3) by 2026-03-12" in text
    assert "Overdue" not in text and "Overdue" not in html
    # A workbook path is shown, not turned into a link a mail client would refuse.
    assert "Sheet: <code" in html and "/srv/campaigns/spring.xlsx" in html and "<a " not in html
    assert text.splitlines()[0] == "On track: launch 2026-03-31"
    assert len(text.splitlines()) < 10


def test_templates_dir_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "digest"
    folder.mkdir()
    (folder / "digest.txt.j2").write_text("custom: {{ d.headline }}\n", encoding="utf-8")
    (folder / "digest.html.j2").write_text("<p>{{ d.headline }}</p>\n", encoding="utf-8")
    monkeypatch.setenv("SHEETSYNC_TEMPLATES_DIR", str(tmp_path))

    message, _ = received(brief_en(headline="A & B"))
    assert text_of(message) == "custom: A & B\n"
    assert html_of(message) == "<p>A &amp; B</p>\n"

    (folder / "digest.html.j2").unlink()
    with pytest.raises(RenderError, match="digest.html.j2: digest template not found"):
        render_message(brief_en(), sender=SENDER)


# --- the timeline picture ----------------------------------------------------


def picture(rows: list[GanttBar]) -> Image.Image:
    return Image.open(io.BytesIO(gantt_png(rows, today=TODAY, launch=dt.date(2026, 3, 31),
                                           projected_launch=dt.date(2026, 4, 3))))


def test_gantt_png_is_deterministic_valid_and_in_flag_colours() -> None:
    kwargs = dict(today=TODAY, launch=dt.date(2026, 3, 31), projected_launch=dt.date(2026, 4, 3))
    png = gantt_png(bars(), **kwargs)  # type: ignore[arg-type]

    assert png == gantt_png(bars(), **kwargs)  # type: ignore[arg-type]
    Image.open(io.BytesIO(png)).verify()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.format is None or image.format == "PNG"
    assert image.width == 720 and 80 < image.height < 400
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 16) or []}
    for flag in ("OVERDUE", "AT RISK", "DONE"):
        fill = FLAG_COLOURS[flag][0]
        assert tuple(int(fill[i:i + 2], 16) for i in (0, 2, 4)) in colours, f"no {flag} bar"
    assert (192, 0, 0) in colours, "the late projected launch is a red line"


def test_gantt_caps_rows_at_the_most_urgent_and_counts_the_rest() -> None:
    start = dt.date(2026, 3, 2)
    many = [GanttBar(f"T{i}", start, start + dt.timedelta(days=i), start + dt.timedelta(days=i), "OK")
            for i in range(60)]
    many[55] = GanttBar("LATE", start, start + dt.timedelta(days=3), start + dt.timedelta(days=9), "OVERDUE")

    kept = most_urgent(many)
    assert len(kept) == MAX_ROWS
    assert [bar.id for bar in kept] == [*(f"T{i}" for i in range(39)), "LATE"]  # sheet order kept
    # 40 rows plus one "+N more" line, however many are hidden.
    assert picture(many).height == picture(many[:41]).height > picture(many[:40]).height


# --- how it really renders ---------------------------------------------------

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def paint(html: Path, tmp_path: Path) -> tuple[Image.Image, str]:
    """Render the HTML file to pixels with whichever headless renderer is installed."""
    if CHROMIUM:
        shot = tmp_path / "shot.png"
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--screenshot={shot}", "--window-size=800,1200",
             html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        return Image.open(shot).convert("RGB"), "chromium"
    assert SOFFICE and PDFTOPPM
    # Calc's HTML import is what libreoffice-calc-nogui has; it keeps the cells' bgcolor, drops images.
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
         "--infilter=calc_HTML_WebQuery", "--convert-to", "pdf", "--outdir", str(tmp_path), str(html)],
        check=True, capture_output=True, timeout=120,
    )
    subprocess.run([PDFTOPPM, "-r", "80", "-png", "-f", "1", "-l", "1", str(html.with_suffix(".pdf")),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=120)
    (page,) = tmp_path.glob("page*.png")
    return Image.open(page).convert("RGB"), "soffice"


def near(image: Image.Image, colour: tuple[int, int, int], tolerance: int) -> int:
    """How many pixels are within `tolerance` of `colour` on every channel."""
    return sum(
        count for count, pixel in image.getcolors(maxcolors=1 << 24) or []
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
    )


@pytest.mark.skipif(
    CHROMIUM is None and (SOFFICE is None or PDFTOPPM is None),
    reason="neither Chromium nor LibreOffice with pdftoppm is installed: nothing can paint the HTML",
)
def test_html_part_really_renders_with_flag_colours_and_the_picture(tmp_path: Path) -> None:
    message, _ = received(detailed_en())
    image = part(message, "image/png")
    data_uri = "data:image/png;base64," + base64.b64encode(image.get_content()).decode("ascii")
    html = html_of(message).replace("cid:" + image["Content-ID"][1:-1], data_uri)
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")

    pixels, renderer = paint(page, tmp_path)

    total = pixels.width * pixels.height
    not_white = total - near(pixels, (255, 255, 255), 10)
    assert not_white > total * 0.02, f"{renderer} painted an almost blank page"
    overdue_fill = tuple(int(FLAG_COLOURS[OVERDUE][0][i:i + 2], 16) for i in (0, 2, 4))
    assert near(pixels, overdue_fill, 6) > 200, f"{renderer} shows no OVERDUE-coloured cell"  # type: ignore[arg-type]
    if renderer == "chromium":  # LibreOffice's HTML import drops images
        assert near(pixels, (0, 97, 0), 40) > 20, "the timeline picture's green launch line is not on the page"
