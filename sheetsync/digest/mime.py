"""The MIME work of a digest run, done once per distinct line instead of once per person.

A 50-person run on a 500-row book spent ~30% of its time in the standard library's
quoted-printable encoder and generator: every detailed digest carries the same tables,
and each was encoded and written out line by line again. The bytes must stay exactly
what `EmailMessage.set_content(..., cte="quoted-printable")` and `as_bytes()` give
(tests/test_digest_speed.py), so this module does the same work by the same rules:

- quoted-printable is line-local (RFC 2045 §6.7: soft breaks and the trailing-space rule
  look at one line only; `quoprimime.body_encode` encodes each line on its own), so a
  body's encoding is its lines' encodings joined, and a line the book's tables repeat
  for every person is encoded once (`encoded_line`);
- the header classes of the policy's registry are made once per name, not once per header;
- the generator only turns line ends into the policy's `linesep`, so a payload whose line
  ends are all LF is written in one piece (`DigestGenerator`), for the outbox (LF) and for
  SMTP (CRLF, `smtp_bytes`).
"""

from __future__ import annotations

import email.policy
from email import quoprimime
from email.contentmanager import ContentManager, set_text_content
from email.generator import BytesGenerator
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from io import BytesIO

QP = "quoted-printable"


LINES_KEPT = 65536  # encoded lines remembered per line length (a 500-row book's digests: ~8,000 distinct lines)
_encoded: dict[int, dict[bytes, str]] = {}


def encoded_line(line: bytes, max_line_length: int) -> str:
    """One UTF-8 line of a body, quoted-printable, with its line end: what body_encode makes of it."""
    return quoprimime.body_encode(line.decode("latin-1") + "\n", max_line_length)


def quoted_printable(text: str, max_line_length: int) -> str:
    """`text` as `set_content(text, charset="utf-8", cte="quoted-printable")` stores it, each line encoded once.

    The standard library splits the UTF-8 bytes at CR, LF and CRLF and ends every line
    with LF before encoding; so does this.
    """
    lines = text.encode("utf-8").splitlines()
    if not lines:
        return "\n"
    known = _encoded.setdefault(max_line_length, {})
    if len(known) > LINES_KEPT:
        known.clear()
    get = known.get
    out = [get(line) for line in lines]
    for i, piece in enumerate(out):
        if piece is None:  # new to this run: encoded once, even when it repeats further down this body
            line = lines[i]
            out[i] = known.get(line) or known.setdefault(line, encoded_line(line, max_line_length))
    return "".join(out)  # type: ignore[arg-type]


def clear_encoded_lines() -> None:
    """Forget the encoded lines (tests count how many a run encodes)."""
    _encoded.clear()


def _set_text(message: EmailMessage, text: str, subtype: str = "plain", charset: str = "utf-8",
              cte: str | None = None, **options: object) -> None:
    """The stock str handler of set_content, with a UTF-8 quoted-printable body encoded line by line.

    The headers come from the standard library's own `set_text_content` (given an empty
    body); only the payload is put in from `quoted_printable`. Any other charset or
    encoding goes to the stock handler unchanged.
    """
    if charset != "utf-8" or cte != QP:
        set_text_content(message, text, subtype, charset, cte, **options)  # type: ignore[arg-type]
        return
    set_text_content(message, "", subtype, charset, cte, **options)  # type: ignore[arg-type]
    message.set_payload(quoted_printable(text, message.policy.max_line_length))


# For `set_content(text, ..., content_manager=TEXT_BY_LINE)` and `add_alternative(...)`: text parts only.
TEXT_BY_LINE = ContentManager()
TEXT_BY_LINE.add_set_handler(str, _set_text)


class _HeaderClasses(HeaderRegistry):
    """The stock registry of header classes, each made once.

    `HeaderRegistry.__getitem__` builds a new class with type() for every header set
    or parsed (about 20 a message): a tenth of a 50-digest run. The class it builds
    depends only on the header's name, so one per name gives the same headers.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made

    def map_to_type(self, name: str, cls: type) -> None:
        self._made.pop(name.lower(), None)
        super().map_to_type(name, cls)


# email.policy.default with header classes made once: what every digest message is built with.
POLICY = email.policy.default.clone(header_factory=_HeaderClasses())


class DigestGenerator(BytesGenerator):
    """BytesGenerator that writes a text payload in one piece when its line ends are the policy's already.

    The stock generator splits every payload at each line end and writes line and
    separator apart (half a million writes for 50 digests); with LF line ends and a
    payload that holds no CR, that writes the very same bytes.
    """

    def _write_lines(self, lines: str) -> None:
        if "\r" not in lines:  # every line end is LF: the stock loop writes each line, then the policy's one
            newline = self._NL  # type: ignore[attr-defined]
            self.write(lines if newline == "\n" else lines.replace("\n", newline))
        else:
            super()._write_lines(lines)  # type: ignore[misc]


def message_bytes(message: EmailMessage) -> bytes:
    """`message.as_bytes()`: the same bytes, written by DigestGenerator."""
    out = BytesIO()
    DigestGenerator(out, mangle_from_=False, policy=message.policy).flatten(message)
    return out.getvalue()


def smtp_bytes(message: EmailMessage) -> bytes:
    """What `smtplib.SMTP.send_message` hands to `sendmail` for a message with ASCII envelope addresses and no
    Bcc: flattened with CRLF line ends and "From " at a line's start quoted (its generator's defaults)."""
    out = BytesIO()
    DigestGenerator(out, mangle_from_=True).flatten(message, linesep="\r\n")
    return out.getvalue()
