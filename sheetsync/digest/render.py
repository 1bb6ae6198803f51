"""Turn a Digest into the email a person receives: headers, a plain-text part, an HTML part, the timeline picture.

Rendering is pure: the same Digest and send time give the same message, byte
for byte (Message-ID, MIME boundaries and image Content-ID derived from the
digest), so deliver can recognise a digest it already sent and tests can
compare output. The Message-ID is one per sheet (its identity, not its Project
name: two sheets may share one), person, day and kind.
The wording lives in Jinja2 templates (`templates/digest/`) so it can be
changed without touching code. Their few fixed words are `_()` calls — the
same `sheetsync.i18n._` as in the code, a plain template global (no Jinja i18n
extension), so one placeholder style (`{name}`) and one catalogue serve both;
the extractor reads them from the .j2 files. Rendering runs in the digest's
language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.meta
import markupsafe

from .. import i18n
from ..contract import FLAGS
from ..errors import SheetsyncError
from ..resources import (
    TEMPLATES_ENV,  # noqa: E402  (the same override everywhere)
    templates_root,
)
from .burndown import burndown_png
from .chart import gantt_png
from .mime import POLICY, TEXT_BY_LINE
from .model import Digest, Table, one_line

TEXT_TEMPLATE = "digest.txt.j2"
HTML_TEMPLATE = "digest.html.j2"
TABLE_TEMPLATE = "digest_table.html.j2"  # one table of the HTML part: laid out once per run, placed in every digest

_LINK_SCHEMES = ("https://", "http://")


class RenderError(SheetsyncError):
    """A digest cannot be turned into an email: a bad address, a missing or broken template."""


def templates_dir() -> Path:
    """Where the digest templates are: `templates/digest/` of the repo, or under $SHEETSYNC_TEMPLATES_DIR."""
    return templates_root() / "digest"


@lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    """One Jinja2 environment per templates folder; HTML templates autoescape, the text template does not."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=lambda name: bool(name and name.endswith((".html.j2", ".html"))),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text_table"] = text_table
    env.globals["table_html"] = lambda table: html_table(folder, table)
    env.globals["_"] = i18n._  # reads the active language when called: render() sets the digest's
    env.globals["n_"] = i18n.n_
    return env


def display_width(text: str) -> int:
    """Columns a string takes in a monospaced mail reader: CJK characters are two wide."""
    if text.isascii():  # no wide character: one column each (most cells; the per-character look-up is slow)
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_table(table: Table) -> tuple[str, ...]:
    """A Table as aligned plain-text lines (see _text_table), laid out once per table."""
    try:
        return _text_table(table)
    except TypeError:  # a Table holding a list is not hashable: lay it out afresh
        return _text_table.__wrapped__(table)


@lru_cache(maxsize=64)
def _text_table(table: Table) -> tuple[str, ...]:
    """A Table as aligned plain-text lines (header, rule, rows) for the text/plain part.

    Columns are padded by display width so Chinese cells line up in a
    monospaced reader; a newline inside a cell becomes a space. A Table is
    frozen, and every detailed digest of a book shows the same ones: laid out
    once, not once per person.
    """
    header = [one_line(c) for c in table.columns]
    rows = [[one_line(cell) for cell in row] for row in table.rows]
    count = max([len(header), *(len(row) for row in rows)])
    grid = [row + [""] * (count - len(row)) for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in grid) for i in range(count)]

    def line(cells: list[str]) -> str:
        return " | ".join(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(cells)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return (line(grid[0]), rule, *(line(row) for row in grid[1:]))


def html_table(folder: Path, table: Table) -> markupsafe.Markup:
    """One table of the HTML part (TABLE_TEMPLATE), laid out once per table, language and template.

    Every detailed digest of a book shows the same frozen Tables (book.py): a 500-row book's
    tables were 40% of a 50-person run when each digest escaped and styled every cell again.
    The key is the table's value, so equal tables share their HTML and a changed one never does;
    and the Template object Jinja gives, which is a new one once the file is edited (a long-running
    `sheetsync serve` picks up an edited template as Jinja itself does).
    """
    template = _environment(folder).get_template(TABLE_TEMPLATE)
    if not _self_contained(template):  # it includes, imports or extends another: Jinja reloads that one alone
        return _lay_out_table(template, i18n.current(), table)
    try:
        return _html_table(template, i18n.current(), table)
    except TypeError:  # a Table holding a list is not hashable: lay it out afresh
        return _lay_out_table(template, i18n.current(), table)


@lru_cache(maxsize=16)
def _self_contained(template: jinja2.Template) -> bool:
    """Whether the table template's HTML comes from its own file alone, so the Template object may key it.

    Jinja checks an included, imported or extended template for edits when it renders; HTML kept
    from an earlier render would not be, and a `sheetsync serve` would show a customised folder's
    old partial until restarted. The shipped template refers to none; one that does is laid out
    afresh for each digest, as before tables were shared. Read once per Template object (per edit).
    """
    env = template.environment
    if env.loader is None or template.name is None:
        return False
    source = env.loader.get_source(env, template.name)[0]
    return next(iter(jinja2.meta.find_referenced_templates(env.parse(source))), False) is False


def _lay_out_table(template: jinja2.Template, lang: str, table: Table) -> markupsafe.Markup:
    """The table's HTML; `lang` is part of the key: the template's own words (`_("None.")`) are in it."""
    return markupsafe.Markup(template.render(table=table, flag_style=_flag_style, flag_fill=_flag_fill))


_html_table = lru_cache(maxsize=64)(_lay_out_table)  # shared by every digest of a run (and a serve's runs)


def _render(name: str, context: dict[str, object]) -> str:
    folder = templates_dir()
    try:
        return _environment(folder).get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        missing = exc.name if isinstance(exc.name, str) else name  # the table template, found missing mid-way
        raise RenderError(
            f"{folder / missing}: digest template not found; restore it or point {TEMPLATES_ENV} at a folder "
            f"holding digest/{missing}."
        ) from exc
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else str(folder / name)
        raise RenderError(f"{where}: digest template failed: {exc}; fix the template.") from exc


def _digest_key(digest: Digest) -> str:
    """What makes a digest unique: one per sheet, person, day and kind."""
    who = digest.recipient
    parts = (digest.sheet or digest.project, who.email.strip().lower(), digest.today.isoformat(), who.kind)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]


def message_id(digest: Digest, domain: str = "sheetsync.local") -> str:
    """The stable Message-ID: the same digest re-rendered the same day gets the same ID (deliver dedupes on it)."""
    return f"<{_digest_key(digest)}@{domain}>"


def recipient_address(digest: Digest) -> Address:
    """The To address, with the Team name as display name (RFC 2047-encoded when it is not ASCII)."""
    person = digest.recipient
    try:
        return Address(display_name=one_line(person.name), addr_spec=person.email.strip())
    except (ValueError, IndexError) as exc:  # the email package raises these for unparsable addresses
        raise RenderError(
            f'Team: {person.name or "(no name)"}\'s Email "{person.email}" is not an email address; '
            "write one such as name@example.com."
        ) from exc


# A table cell shows a flag in the digest's language: both spellings colour it.
_CELL_FLAG_COLOURS: dict[str, tuple[str, str]] = {
    word: flag.colours for flag in FLAGS if flag.colours for word in (flag.name, flag.zh)
}


def _flag_style(text: str) -> str:
    """Inline CSS for a table cell that holds a flag word, in the workbook's own row colours."""
    colours = _CELL_FLAG_COLOURS.get(text.strip())
    if colours is None:
        return ""
    fill, font = colours
    return f"background-color:#{fill};color:#{font};font-weight:bold;"


def _flag_fill(text: str) -> str:
    """The same fill as a `bgcolor` attribute: older Outlook builds ignore CSS backgrounds on cells."""
    colours = _CELL_FLAG_COLOURS.get(text.strip())
    return f"#{colours[0]}" if colours else ""


def render_text(digest: Digest) -> str:
    """The text/plain part: what a person sees in a plain-text mail reader or a notification preview."""
    with i18n.language(digest.lang):
        return _render(TEXT_TEMPLATE, _context(digest, image_cid=None))


def render_html(digest: Digest, *, image_cid: str | None = None, burn_cid: str | None = None) -> str:
    """The text/html part; `image_cid` / `burn_cid` (without angle brackets) place the timeline and burn-down
    pictures."""
    with i18n.language(digest.lang):
        return _render(HTML_TEMPLATE, _context(digest, image_cid=image_cid, burn_cid=burn_cid))


def _language(digest: Digest) -> str:
    return digest.lang if digest.lang in i18n.LANGUAGES else i18n.DEFAULT


def _context(digest: Digest, *, image_cid: str | None, burn_cid: str | None = None) -> dict[str, object]:
    link = digest.sheet_link.strip()
    return {
        "d": digest,
        "subject": one_line(digest.subject),
        "lang": _language(digest),
        "detailed": digest.detailed,
        "link": link,
        "link_is_web": link.lower().startswith(_LINK_SCHEMES),
        "image_cid": image_cid,
        "burn_cid": burn_cid,
        "bars": len(digest.gantt),
        "flag_style": _flag_style,
        "flag_fill": _flag_fill,
    }


def render_message(
    digest: Digest,
    *,
    sender: str,
    message_id_domain: str = "sheetsync.local",
    sent_at: dt.datetime | None = None,
) -> EmailMessage:
    """Build the email for one digest: multipart/alternative of text and HTML, with the timeline picture inline.

    A detailed digest with Gantt bars gets multipart/related around its HTML
    so the picture travels inside the message (`cid:`), never fetched from a
    server. `sent_at` is the Date header (default: now, local time with its offset).
    """
    message = EmailMessage(policy=POLICY)  # email.policy.default, its header classes made once (mime.py)
    try:
        message["From"] = sender
    except (ValueError, IndexError) as exc:
        raise RenderError(f'Sender "{sender}" is not an email address; write one such as digest@example.com.') from exc
    message["To"] = recipient_address(digest)
    message["Subject"] = one_line(digest.subject)
    when = sent_at or dt.datetime.now().astimezone()
    message["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
    message["Message-ID"] = message_id(digest, message_id_domain)
    message["X-Sheetsync-Digest"] = digest.recipient.kind
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office robots must not reply to a digest

    # Quoted-printable keeps every line 7-bit and short, so any SMTP server relays it unchanged.
    message.set_content(render_text(digest), subtype="plain", charset="utf-8", cte="quoted-printable",
                        content_manager=TEXT_BY_LINE)  # the same body, each line encoded once per run (mime.py)
    key = _digest_key(digest)
    picture = digest.gantt if digest.detailed else []
    image_cid = f"timeline.{key}@{message_id_domain}" if picture else None
    burn = digest.burn if digest.detailed else None
    burn_cid = f"burndown.{key}@{message_id_domain}" if burn else None
    message.add_alternative(
        render_html(digest, image_cid=image_cid, burn_cid=burn_cid), subtype="html", charset="utf-8",
        cte="quoted-printable", content_manager=TEXT_BY_LINE,
    )
    pngs = []
    with i18n.language(digest.lang):
        if picture and image_cid:
            pngs.append((image_cid, "timeline.png", gantt_png(
                picture, today=digest.today, launch=digest.launch, projected_launch=digest.projected_launch)))
        if burn and burn_cid:
            pngs.append((burn_cid, "burndown.png", burndown_png(burn)))
    if pngs:
        html_part = message.get_payload()[1]
        for cid, filename, png in pngs:
            html_part.add_related(
                png, maintype="image", subtype="png", cid=f"<{cid}>", disposition="inline", filename=filename
            )
        html_part.set_boundary(f"=_sheetsync_related_{key}")
    # Fixed boundaries keep the bytes reproducible; "=_" can never occur in quoted-printable or base64 text.
    message.set_boundary(f"=_sheetsync_alternative_{key}")
    # Set last: building the multipart body moves Content-* headers into the first part.
    message["Content-Language"] = _language(digest)
    return message
