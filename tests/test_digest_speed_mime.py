"""The digest's MIME fast path (sheetsync/digest/mime.py) gives the standard library's bytes, line for line.

Quoted-printable is encoded a line at a time and remembered, and a payload already in the
policy's line ends is written in one piece: both must be exactly what
`EmailMessage.set_content(..., cte="quoted-printable")` and `as_bytes()` give, for every
kind of line a sheet can put in a digest (long lines, `=` at a soft break, trailing
spaces and tabs, Chinese, CR and CRLF, control characters) and for a whole Chinese book's digests.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import os
import random
import shutil
import smtplib
from email.contentmanager import raw_data_manager
from email.message import EmailMessage
from pathlib import Path

import pytest

import sheetsync
from sheetsync.analysis import analyse
from sheetsync.backends.xlsx import XlsxFileBackend
from sheetsync.digest import mime, outbox, render
from sheetsync.digest.model import Digest, Recipient, Table
from sheetsync.digest.run import OUTBOX, run_digests
from sheetsync.resources import TEMPLATES_ENV, templates_root

SENT_AT = dt.datetime(2026, 11, 30, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))

TRICKY = [
    "",
    "a",
    "\n",
    "no line end",
    "trailing space \nand tab\t\nand both \t",
    "x" * 74 + " \n" + "x" * 75 + " \n" + "x" * 76 + " \n" + "x" * 77 + "\t\n" + "x" * 78 + " ",
    "=" * 200,
    "a" * 75 + "=b" + "c" * 80,
    "a" * 76 + "=b" + "c" * 80,
    "a" * 77 + "=b" + "c" * 80,
    "上线日期 2026-12-09：有风险，延后 3 个工作日（预计 2026-12-14）" * 5,
    "crlf\r\nline\rcr only\r\n\r\n",
    "vertical\x0btab, form\x0cfeed, nel\x85, separator\u2028 and \u2029",
    '<td bgcolor="#FFC7CE" style="border:1px solid #d0d0d0;padding:4px 6px;">逾期</td>\n' * 3,
]


def stock(text: str, subtype: str = "plain", policy: email.policy.Policy = email.policy.default) -> EmailMessage:
    message = EmailMessage(policy=policy)
    message.set_content(text, subtype=subtype, charset="utf-8", cte="quoted-printable")
    return message


def fast(text: str, subtype: str = "plain", policy: email.policy.Policy = email.policy.default) -> EmailMessage:
    message = EmailMessage(policy=policy)
    message.set_content(text, subtype=subtype, charset="utf-8", cte="quoted-printable",
                        content_manager=mime.TEXT_BY_LINE)
    return message


def random_texts(n: int) -> list[str]:
    """Seeded texts of the characters that change quoted-printable's choices, in long and short lines."""
    rng = random.Random(19)
    alphabet = "ab =\t\r\n上线逾期é" + "x" * 8
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400))) for _ in range(n)]


@pytest.mark.parametrize("text", TRICKY + random_texts(300))
def test_a_body_encoded_by_line_is_the_standard_librarys(text: str) -> None:
    expected = stock(text).as_bytes()
    message = fast(text)
    assert message.as_bytes() == expected  # the payload and headers set_content gives
    assert mime.message_bytes(message) == expected  # and written out the same by DigestGenerator


@pytest.mark.parametrize("text", TRICKY[3:8])
def test_other_line_ends_and_encodings_take_the_stock_way(text: str) -> None:
    smtp = stock(text, policy=email.policy.SMTP)  # CRLF line ends: the generator's own line-by-line path
    assert mime.message_bytes(smtp) == smtp.as_bytes()
    base64 = EmailMessage()
    base64.set_content(text, charset="utf-8", cte="base64", content_manager=mime.TEXT_BY_LINE)
    reference = EmailMessage()
    reference.set_content(text, charset="utf-8", cte="base64")
    assert mime.message_bytes(base64) == reference.as_bytes()


def test_a_table_line_repeated_for_every_person_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    mime.clear_encoded_lines()
    encoded: list[bytes] = []
    real = mime.encoded_line
    monkeypatch.setattr(mime, "encoded_line", lambda line, length: encoded.append(line) or real(line, length))
    row = '<td style="border:1px solid #d0d0d0;">任务 T7 已逾期 = 3 个工作日</td>\n'
    for person in range(50):
        fast(f"<p>Person {person}</p>\n" + row * 20, subtype="html")
    assert len(encoded) == 51 and len(set(encoded)) == 51  # 50 greetings and the one row, each encoded once


def test_a_chinese_books_digests_are_the_bytes_of_the_stock_email_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "zh.xlsx"
    sheetsync.create(book, lang="zh", demo=True, today=dt.date(2026, 11, 27))
    analysis = analyse(XlsxFileBackend(book).read(), today=dt.date(2026, 11, 30))

    def run(name: str) -> dict[str, bytes]:
        run_digests(analysis, target=str(book), mode=OUTBOX, outbox=tmp_path / name, state_dir=tmp_path / f"s-{name}",
                    sent_at=SENT_AT)
        return {f.name: f.read_bytes() for f in sorted((tmp_path / name).iterdir())}

    quick = run("quick")
    with monkeypatch.context() as stdlib:  # the standard library's encoder and generator, each table laid out anew
        stdlib.setattr(render, "TEXT_BY_LINE", raw_data_manager)
        stdlib.setattr(outbox, "message_bytes", lambda message: message.as_bytes())
        stdlib.setattr(render, "_html_table", render._html_table.__wrapped__)
        slow = run("stock")
    assert quick == slow and len(quick) >= 3
    detailed = [raw for raw in quick.values() if b"X-Sheetsync-Digest: detailed" in raw]
    assert detailed and all("逾期".encode() not in raw for raw in detailed)  # 7-bit: quoted-printable on the wire
    text = email.message_from_bytes(detailed[0], policy=email.policy.default).get_body(("html",)).get_content()
    assert "<table cellpadding" in text and "负责人" in text  # a Chinese table in the HTML part


def test_a_shared_table_follows_the_language_and_an_edited_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(templates_root() / "digest", tmp_path / "digest")
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    late = Table("Overdue", ("ID", "Flag"), (("T7", "OVERDUE"),))
    empty = Table("Triggered risks", ("ID",), ())

    def html(lang: str) -> str:
        person = Recipient("Li Na", "li.na@agency.example.com", kind="detailed")
        return render.render_html(Digest(person, lang, "Spring", dt.date(2026, 12, 8), "s", "h", tables=[late, empty]))

    first = html("en")
    assert first.count('bgcolor="#') == 1 and ">T7</td>" in first and ">None.</p>" in first
    chinese = html("zh")  # the same Table objects: the template's own words are in the digest's language
    assert ">无。</p>" in chinese and ">None.</p>" not in chinese and ">T7</td>" in chinese
    table_file = tmp_path / "digest" / render.TABLE_TEMPLATE
    edited = table_file.read_text(encoding="utf-8").replace("<table cellpadding", "<table data-edited cellpadding")
    table_file.write_text(edited, encoding="utf-8")
    later = table_file.stat().st_mtime + 10
    os.utime(table_file, (later, later))
    assert "<table data-edited cellpadding" in html("en")  # not the HTML laid out before the edit


class _Handed(smtplib.SMTP):
    """smtplib's own send_message, up to the bytes it hands to sendmail (no connection is made)."""

    def ehlo_or_helo_if_needed(self) -> None:
        pass

    def sendmail(self, from_addr, to_addrs, msg, mail_options=(), rcpt_options=()):  # type: ignore[no-untyped-def]
        self.handed = msg
        return {}


@pytest.mark.parametrize("text", [*TRICKY, "From the client:\nFrom here on, 上线\n>From quoted\n", *random_texts(40)])
def test_the_smtp_bytes_are_those_smtplib_send_message_hands_over(text: str) -> None:
    message = fast(text, subtype="html")
    message["From"] = "sheetsync <digest@agency.example.com>"
    message["To"] = "李娜 <li.na@agency.example.com>"
    message["Subject"] = "[春季上新] 上线 2026-12-09：按计划"
    smtp = _Handed()
    smtp.send_message(message, from_addr="digest@agency.example.com", to_addrs=["li.na@agency.example.com"])
    assert mime.smtp_bytes(message) == smtp.handed


def test_a_templates_folder_without_the_table_template_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(templates_root() / "digest", tmp_path / "digest")
    (tmp_path / "digest" / render.TABLE_TEMPLATE).unlink()
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    person = Recipient("Li Na", "li.na@agency.example.com", kind="detailed")
    digest = Digest(person, "en", "Spring", dt.date(2026, 12, 8), "s", "h", tables=[Table("Overdue", ("ID",), ())])
    with pytest.raises(render.RenderError) as missing:
        render.render_html(digest)
    assert str(missing.value) == (
        f"{tmp_path / 'digest' / 'digest_table.html.j2'}: digest template not found; restore it or point "
        f"{TEMPLATES_ENV} at a folder holding digest/digest_table.html.j2."
    )
