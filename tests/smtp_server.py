"""A real SMTP server on 127.0.0.1 (aiosmtpd) with faults a test can switch on per recipient.

Delivery is tested against a real server rather than a patched smtplib: the
client code, the wire protocol and the server's replies are all real, and only
the server's behaviour is scripted — answer 451 the first N times, 550 always,
drop the connection after DATA before answering, demand a login, speak TLS.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sheetsync.digest.smtp import SmtpSettings

HOST = "127.0.0.1"
SENDER = "Campaign digest <digest@agency.example.com>"


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it: the envelope and the exact bytes of DATA."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes


@dataclass
class FaultyHandler:
    """aiosmtpd handler that stores every accepted message and injects the faults a test asks for."""

    temporary: Counter[str] = field(default_factory=Counter)  # address → answer 451 this many more times
    permanent: set[str] = field(default_factory=set)  # address → always 550
    drops: Counter[str] = field(default_factory=Counter)  # address → drop the connection after DATA this many times
    received: list[Received] = field(default_factory=list)
    rcpt_attempts: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_temporarily(self, address: str, times: int) -> None:
        self.temporary[address.lower()] = times

    def fail_permanently(self, address: str) -> None:
        self.permanent.add(address.lower())

    def drop_during_data(self, address: str, times: int = 1) -> None:
        self.drops[address.lower()] = times

    def heal(self) -> None:
        """The fault is gone: every address is accepted from now on."""
        self.temporary.clear()
        self.permanent.clear()
        self.drops.clear()

    def delivered_to(self, address: str) -> list[Received]:
        return [message for message in self.received if address.lower() in (r.lower() for r in message.rcpt_tos)]

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        key = address.lower()
        with self.lock:
            self.rcpt_attempts[key] += 1
            if key in self.permanent:
                return "550 5.1.1 mailbox unavailable"
            if self.temporary[key] > 0:
                self.temporary[key] -= 1
                return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            dropped = next((r for r in envelope.rcpt_tos if self.drops[r.lower()] > 0), None)
            if dropped is not None:
                self.drops[dropped.lower()] -= 1
        if dropped is not None:
            # The client has sent the whole message and waits for the reply that never comes: the
            # connection dies mid-DATA, nothing is stored, and the client cannot know either way.
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        self.received.append(
            Received(mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos), data=envelope.original_content)
        )
        return "250 2.0.0 OK: queued"


class Authenticator:
    """Accepts exactly one user and password, so a test can check both a good and a wrong login."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.user
            and auth_data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False)


@dataclass
class LocalSmtpServer:
    """A running server plus what a test needs to point sheetsync at it."""

    handler: FaultyHandler
    port: int
    security: str = "none"
    user: str | None = None
    password: str | None = None

    def settings(self, **changes: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "host": HOST,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "security": self.security,
            "sender": SENDER,
            "timeout": 5.0,
        }
        values.update(changes)
        return SmtpSettings(**values)


def free_port() -> int:
    """A port nothing listens on (yet): bind to 0, read the number, release it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def closed_port() -> int:
    """A local port that refuses connections."""
    return free_port()


@pytest.fixture
def smtp_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds a command's SMTP retries would have slept, in order: the digest command's sends wait
    through them at once (0.1 + 0.2 + 0.4 s to a closed port: real waits are for test_digest_speed_smtp.py)."""
    from sheetsync.digest import run as digest_run

    waits: list[float] = []
    send_all = digest_run.send_all
    monkeypatch.setattr(digest_run, "send_all", lambda *args, **kwargs: send_all(*args, **kwargs, sleep=waits.append))
    return waits


def start_server(
    *,
    tls: str = "none",
    cert: tuple[Path, Path] | None = None,
    user: str | None = None,
    password: str | None = None,
    **smtp_options: Any,
) -> tuple[Any, LocalSmtpServer]:
    """Start aiosmtpd on a free local port; tls is none, starttls (required) or ssl (implicit).

    `smtp_options` go to aiosmtpd's SMTP, e.g. auth_exclude_mechanism=["PLAIN"] to offer LOGIN alone.
    """
    handler = FaultyHandler()
    port = free_port()
    kwargs: dict[str, Any] = dict(smtp_options)
    if tls != "none":
        assert cert is not None, "a TLS server needs a certificate"
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        if tls == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context)
    if user is not None:
        assert password is not None
        # aiosmtpd counts only STARTTLS as TLS; an implicit-TLS (ssl) session is encrypted from the first byte.
        kwargs.update(
            authenticator=Authenticator(user, password), auth_required=True, auth_require_tls=tls == "starttls"
        )
    controller = Controller(handler, hostname=HOST, port=port, **kwargs)
    controller.start()
    return controller, LocalSmtpServer(handler=handler, port=port, security=tls, user=user, password=password)


@pytest.fixture
def smtp_server() -> Iterator[LocalSmtpServer]:
    """A plain (security "none") SMTP server on 127.0.0.1 that stores what it receives."""
    controller, server = start_server()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def self_signed_cert(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made on the spot with `cryptography` (skipped if it is not installed)."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sheetsync test SMTP")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "smtp-cert.pem", tmp_path / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path
