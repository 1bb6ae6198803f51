"""The one rule for a Team member's email address, used by `check` (a Problem) and by `digest` (that person skipped).

A Team cell must hold exactly one plain address, `local@domain`, in ASCII:

- the local part is an RFC 5322 dot-atom (letters, digits and !#$%&'*+-/=?^_`{|}~,
  dots only between them), at most 64 characters (RFC 5321 §4.5.3.1.1);
- the domain is two or more DNS labels (letters, digits, inner hyphens; at most 63
  characters each, 255 in all), e.g. agency.example.com;
- the whole address is at most 254 characters (RFC 5321's 256-octet path less <>).

So a list (`a@x.com, b@y.com`), a display name (`Li Na <li@x.com>`), a line break,
a quoted local part or `../../x@y.com` is refused with a fix, not discovered when
the batch is rendered.

Internationalised addresses (RFC 6531, SMTPUTF8) are a Problem too, by choice: a
non-ASCII local part (`王磊@例子.中国`) can be delivered only when every server on
the way offers SMTPUTF8, which many submission servers do not, so it would pass
`check` and fail on the day it is sent; a non-ASCII domain has an exact ASCII
spelling (IDNA), which the fix gives, so nothing is lost by writing that instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import _

__all__ = ["AddressProblem", "address_problem"]

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_SEPARATORS = re.compile(r"[,;\s<>]")


@dataclass(frozen=True)
class AddressProblem:
    """Why a text is not one usable address, and what to write instead."""

    problem: str
    fix: str


def address_problem(text: str) -> AddressProblem | None:
    """None when `text` is one deliverable ASCII address; else what is wrong with it and the fix (active language)."""
    shown = text.replace("\r", "\\r").replace("\n", "\\n")
    example = _("write one address such as name@example.com")
    if not text.strip():
        return AddressProblem(_("the email is empty"), example)
    if re.search(r"[\x00-\x1f\x7f]", text):
        return AddressProblem(
            _('"{address}" holds a line break or control character', address=shown),
            _("{example}, on one line", example=example),
        )
    address = text.strip()
    if address.count("@") > 1 or (_SEPARATORS.search(address) and "@" in address):
        if "<" in address or ">" in address:
            return AddressProblem(
                _('"{address}" has a name or angle brackets around the address', address=shown),
                _(
                    "keep only the address itself, e.g. {address}",
                    address=_bracketed(address) or "name@example.com",
                ),
            )
        return AddressProblem(
            _('"{address}" is more than one address or has spaces', address=shown),
            _("{example}; give each person their own Team row", example=example),
        )
    local, at, domain = address.partition("@")
    if not at or not local or not domain:
        return AddressProblem(_('"{address}" is not an email address', address=shown), example)
    if not address.isascii():
        if local.isascii():
            ascii_domain = _idna(domain)
            if ascii_domain:
                return AddressProblem(
                    _('"{address}" has a non-ASCII domain, which not every mail server accepts', address=shown),
                    _("write its ASCII form {address}", address=local + "@" + ascii_domain),
                )
        return AddressProblem(
            _(
                '"{address}" has non-ASCII characters before the @, which only mail servers offering SMTPUTF8 '
                "(RFC 6531) can deliver",
                address=shown,
            ),
            _("write the person's ASCII address"),
        )
    if not _DOT_ATOM.fullmatch(local) or len(local) > 64:
        return AddressProblem(
            _('"{address}" has characters or dots before the @ that an address cannot have', address=shown),
            _(
                "{example} (letters, digits, . _ + -; no leading, trailing or double dots)",
                example=example,
            ),
        )
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > 255 or not all(_LABEL.fullmatch(label) for label in labels):
        return AddressProblem(_('"{address}" does not end in a domain such as example.com', address=shown), example)
    if len(address) > 254:
        return AddressProblem(
            _('"{address}" is longer than an address can be (254 characters)', address=shown), example
        )
    return None


def _bracketed(text: str) -> str:
    """The address inside `Name <addr>`, when there is exactly one."""
    found = re.findall(r"<([^<>]*)>", text)
    return found[0].strip() if len(found) == 1 and address_problem(found[0]) is None else ""


def _idna(domain: str) -> str:
    """The ASCII (IDNA, RFC 3490) spelling of a domain, or "" when it has none."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
