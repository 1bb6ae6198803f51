"""Where digests are sent from: the SHEETSYNC_SMTP_* settings, checked before anything is read.

Cron jobs and CI configure sending through the environment, so there is no
file format of our own; each wrong or missing variable is one UsageError that
names it and says what to write.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from sheetsync.errors import UsageError
from sheetsync.i18n import _

__all__ = ["DEFAULT_PORTS", "SECURITY_MODES", "SmtpSettings"]

SECURITY_MODES = ("starttls", "ssl", "none")
_MODES = ", ".join(SECURITY_MODES)
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}  # RFC 6409 submission, RFC 8314 implicit TLS, RFC 5321 relay


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server; the password is kept out of repr, errors and logs."""

    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    security: str  # starttls | ssl | none
    sender: str  # From address, bare or "Name <address>"
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise UsageError(
                _('SMTP security "{security}" is not one of {modes}.', security=self.security, modes=_MODES)
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> SmtpSettings:
        """Read SHEETSYNC_SMTP_* so that cron jobs and CI can configure sending without a file format of our own.

        Called before a book is read, so its errors speak the active language (the terminal's, i18n.current()).
        """

        def value(name: str) -> str | None:
            text = env.get(name, "").strip()
            return text or None

        host = value("SHEETSYNC_SMTP_HOST")
        if host is None:
            raise UsageError(
                _(
                    "SHEETSYNC_SMTP_HOST is not set; set it to your mail server's name, "
                    "e.g. SHEETSYNC_SMTP_HOST=smtp.example.com."
                )
            )
        security = (value("SHEETSYNC_SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY_MODES:
            raise UsageError(
                _(
                    'SHEETSYNC_SMTP_SECURITY: "{value}" is not one of {modes}; '
                    "use starttls for port 587, ssl for port 465, none for a local relay.",
                    value=env["SHEETSYNC_SMTP_SECURITY"].strip(),
                    modes=_MODES,
                )
            )
        port_text = value("SHEETSYNC_SMTP_PORT")
        if port_text is None:
            port = DEFAULT_PORTS[security]
        else:
            port = int(port_text) if port_text.isdigit() else 0
            if not 1 <= port <= 65535:
                raise UsageError(
                    _(
                        'SHEETSYNC_SMTP_PORT: "{value}" is not a port number; '
                        "write a whole number from 1 to 65535 such as 587.",
                        value=port_text,
                    )
                )
        sender = value("SHEETSYNC_SMTP_FROM")
        if sender is None:
            raise UsageError(
                _(
                    "SHEETSYNC_SMTP_FROM is not set; set it to the address digests come from, "
                    'e.g. SHEETSYNC_SMTP_FROM="Campaign digest <digest@agency.example.com>".'
                )
            )
        if "@" not in parseaddr(sender)[1]:
            raise UsageError(
                _(
                    'SHEETSYNC_SMTP_FROM: "{value}" is not an email address; write one such as '
                    'digest@agency.example.com or "Campaign digest <digest@agency.example.com>".',
                    value=sender,
                )
            )
        user = value("SHEETSYNC_SMTP_USER")
        password = env.get("SHEETSYNC_SMTP_PASSWORD") or None  # not stripped: spaces may be part of it
        if (user is None) != (password is None):
            given, missing = ("SHEETSYNC_SMTP_USER", "SHEETSYNC_SMTP_PASSWORD")[:: 1 if password is None else -1]
            raise UsageError(
                _(
                    "{given} is set but {missing} is not; set both, or neither for a server that needs no login.",
                    given=given,
                    missing=missing,
                )
            )
        return cls(host=host, port=port, user=user, password=password, security=security, sender=sender)

    @property
    def seconds(self) -> str:
        """The timeout as people write it in a message: 30, 2.5."""
        return f"{self.timeout:g}"

    @property
    def address(self) -> str:
        """host:port, the way people name a mail server in a message."""
        return f"{self.host}:{self.port}"
