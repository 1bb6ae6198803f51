"""SMTP credentials: logging in with a password in any script, and keeping that password out of every message.

smtplib encodes AUTH PLAIN/LOGIN responses and the CRAM-MD5 key as ASCII, so a
non-ASCII password raised UnicodeEncodeError mid-run (issue 11, defect 8); login
here sends UTF-8 as RFC 4616 and RFC 4954 define. mask_password is what the
delivery report and the log see of anything a server or an exception said.
"""

from __future__ import annotations

import base64
import re
import smtplib

from sheetsync.i18n import _

__all__ = ["SECRET_MASK", "login", "mask_password"]

SECRET_MASK = "********"
# A token ends at whitespace, quotes, brackets or = : , ; (how servers and exceptions quote a value).
_EDGE = r"\s\"'()\[\]<>=:,;"


def login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with credentials in any script; raises smtplib's own errors, as smtp.login does.

    smtplib encodes the AUTH PLAIN/LOGIN responses and the CRAM-MD5 key as
    ASCII, so a password such as "密码pässword" raised UnicodeEncodeError. ASCII
    credentials still go through smtp.login (its mechanism choice, CRAM-MD5
    first); others are sent as UTF-8, which RFC 4616 (PLAIN: "UTF-8 encoded
    authentication identity and password") and RFC 4954 define, with PLAIN
    preferred and LOGIN (the same bytes, base64, one prompt each) as fallback.
    """
    if f"{user}{password}".isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = smtp.esmtp_features["auth"].upper().split()
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + _base64(f"\0{user}\0{password}"))
        if code == 334:  # the server wants the response after an empty challenge
            code, reply = smtp.docmd(_base64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + _base64(user))
        if code == 334:
            code, reply = smtp.docmd(_base64(password))
    else:
        mechanisms = " ".join(offered)
        raise smtplib.SMTPAuthenticationError(
            504,
            _(
                "a password with non-ASCII characters needs AUTH PLAIN or LOGIN; the server offers {mechanisms}",
                mechanisms=mechanisms,
            ),
        )
    if code not in (235, 503):  # 503: already authenticated, as smtplib.login accepts too
        raise smtplib.SMTPAuthenticationError(code, reply)


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def mask_password(text: str, user: str, password: str | None) -> str:
    """`text` with the password masked wherever it stands as a whole token, also as AUTH would encode it.

    Callers pass only foreign text (server replies, exception messages), never
    their own wording, and only whole tokens are masked, so that a short
    password such as "a" never masks the "a" inside an ordinary word. The forms
    AUTH PLAIN/LOGIN put on the wire (base64) are masked too, should a server
    echo them back.
    """
    if not password:
        return text
    forms = {
        password,
        base64.b64encode(password.encode()).decode(),
        base64.b64encode(f"\0{user}\0{password}".encode()).decode(),
    }
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(rf"(?<![^{_EDGE}]){re.escape(form)}(?![^{_EDGE}])", SECRET_MASK, text)
    return text
