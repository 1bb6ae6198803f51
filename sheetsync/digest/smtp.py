"""Deliver rendered digests over SMTP, each at most once a day (the outbox is digest/outbox.py).

SMTP delivery is where the promise "a re-run the same day never
sends the same digest twice" is kept: the ledger is consulted before each
message and written the moment the server answers 250 to DATA, so a crash
mid-batch re-sends nothing that was delivered. smtplib, ssl and socket errors
stop here: each becomes a `Delivery` whose `reason` is one line a person can
act on, and one recipient's failure never stops the others. Reasons are in the
active language (the book's: run_digests enters it); the log stays English, for
whoever reads the operator's log. The settings are in digest/smtp_settings.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import make_msgid

from sheetsync.digest.credentials import login, mask_password
from sheetsync.digest.ledger import Ledger
from sheetsync.digest.mime import smtp_bytes
from sheetsync.digest.model import Delivery, bare_address, digest_kind
from sheetsync.digest.smtp_settings import SmtpSettings
from sheetsync.i18n import _

__all__ = ["SmtpSettings", "send_all"]

log = logging.getLogger(__name__)  # for operators: log lines stay English, reasons follow the book

# Reaching the server (connect, greeting, EHLO, STARTTLS, login) gets this many seconds in all, retries
# included, so a closed port or a server that accepts and never answers is reported within 2 s (with the
# time to read the book and compose). A flaky server (refusing while it restarts, a dropped greeting) is
# still retried — waiting CONNECT_BACKOFF, then twice and four times that — while the budget lasts.
CONNECT_BUDGET = 1.5
CONNECT_BACKOFF = 0.1
_LEAST_ATTEMPT = 0.05  # a retry with less time than this left to wait for an answer is not worth starting
# Headers send_message treats itself (it deletes Bcc and Resent-Bcc, reads Resent-Date): a message with any
# of them goes its way, never the fast path, which would hand a blind copy's address to every recipient.
_SEND_MESSAGE_HEADERS = ("Bcc", "Resent-Bcc", "Resent-Date")


def send_all(
    messages: Sequence[tuple[str, EmailMessage]],
    settings: SmtpSettings,
    ledger: Ledger,
    *,
    sheet: str,
    day: dt.date,
    kind_of: Callable[[EmailMessage], str] = digest_kind,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    connect_budget: float = CONNECT_BUDGET,
    connect_backoff: float = CONNECT_BACKOFF,
    clock: Callable[[], float] = time.monotonic,
) -> list[Delivery]:
    """Send each (recipient, message) at most once per sheet, recipient, day and kind; one Delivery each.

    One connection serves the batch and is reopened after a drop. Transient
    trouble (4xx replies, dropped or refused connections, timeouts) is retried
    up to `retries` more times, waiting `backoff * 2**n` seconds plus up to 10%
    jitter; a 5xx reply fails that message at once. Reaching the server
    (connecting, its greeting, EHLO, STARTTLS, login) has `connect_budget`
    seconds in all, retries included: each socket wait is cut to what is left
    (SmtpSettings.timeout still bounds each wait once connected), and a retry
    after `connect_backoff * 2**n` seconds is made only while time is left. When
    the server itself cannot be reached or refuses the login, the remaining
    messages fail with the same reason instead of each waiting through its own
    retries. A message
    without a Message-ID gets one, so the ledger and the mailbox name it alike.
    `sheet` is the spreadsheet's identity (Backend.identity), the ledger's key.
    Only a ledger that cannot be written raises (LedgerError): going on would
    risk sending digests the next run cannot know about.
    """
    session = _Session(settings)
    deliveries: list[Delivery] = []
    server_down: str | None = None
    try:
        for recipient, message in messages:
            kind = kind_of(message)
            if ledger.was_sent(sheet, recipient, day, kind):
                deliveries.append(Delivery(recipient, "skipped", _("already sent on {day}", day=day.isoformat())))
                log.info("digest (%s) for %s already sent on %s; skipped", kind, recipient, day)
                continue
            if server_down is not None:
                deliveries.append(Delivery(recipient, "failed", server_down))
                continue
            message_id = _ensure_message_id(message, settings)
            attempts = 0
            deadline = clock() + connect_budget  # for reaching the server while this message waits
            while True:
                attempts += 1
                session.deadline = (deadline, clock)
                try:
                    session.send(recipient, message)
                except _Failure as failure:
                    base = connect_backoff if failure.whole_server else backoff
                    delay = base * 2 ** (attempts - 1) * (1 + random.uniform(0, 0.1))
                    in_time = not failure.whole_server or deadline - clock() - delay >= _LEAST_ATTEMPT
                    if failure.transient and attempts <= retries and in_time:
                        log.info("digest for %s: %s; retrying in %.1f s", recipient, failure.reason, delay)
                        sleep(delay)
                        continue
                    log.warning("digest for %s not sent: %s", recipient, failure.reason)
                    deliveries.append(Delivery(recipient, "failed", failure.reason, attempts))
                    if failure.whole_server:
                        server_down = failure.reason
                    break
                # The server has it (250 to DATA): record before anything else can go wrong.
                ledger.record(sheet, recipient, day, kind, message_id)
                log.info("sent digest (%s) to %s, attempt %d", kind, recipient, attempts)
                deliveries.append(Delivery(recipient, "sent", attempts=attempts))
                break
    finally:
        session.close()
    return deliveries


class _Failure(Exception):
    """One failed attempt, already translated: a one-line reason, and whether trying again can help."""

    def __init__(self, reason: str, *, transient: bool, whole_server: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.whole_server = whole_server  # connecting or logging in failed: no message can get through


class _Session:
    """The batch's one SMTP connection, opened on first use and reopened after a drop."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        # when reaching the server must be done by (send_all's connect budget), and the clock it is on
        self.deadline: tuple[float, Callable[[], float]] | None = None
        self._waited = settings.timeout  # the last socket wait while connecting: what a timeout reason says

    def _left(self) -> float:
        """Seconds a socket may wait now while connecting: the timeout, cut to what the budget has left."""
        if self.deadline is None:
            return self.settings.timeout
        deadline, clock = self.deadline
        self._waited = max(min(self.settings.timeout, deadline - clock()), _LEAST_ATTEMPT)
        return self._waited

    def send(self, recipient: str, message: EmailMessage) -> None:
        """Hand one message to the server for one envelope recipient; raises _Failure."""
        smtp = self._connection()
        sender, to = bare_address(self.settings.sender), bare_address(recipient)
        try:
            if (sender + to).isascii() and not any(name in message for name in _SEND_MESSAGE_HEADERS):
                smtp.sendmail(sender, [to], smtp_bytes(message))  # send_message's bytes, flattened faster (mime.py)
            else:  # SMTPUTF8 and the Bcc / Resent-* rules: smtplib's own way
                smtp.send_message(message, from_addr=sender, to_addrs=[to])
        except (smtplib.SMTPException, OSError) as exc:
            failure = self._sending_failure(exc)
            # smtplib's errors are OSErrors too: only a drop, a socket error or a 421 (RFC 5321 §3.8: the
            # server is closing the channel) ends the connection; after a refusal smtplib has sent RSET.
            if isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(exc, smtplib.SMTPException):
                self._discard()
            elif _code(exc) == 421:
                self._discard()
            raise failure from exc

    def close(self) -> None:
        """Say QUIT politely; a server that already hung up is no error at the end of a batch."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._discard()

    def _discard(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            except OSError:
                pass
            self._smtp = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._open()
        return self._smtp

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        # The system trust store (SSL_CERT_FILE can point at a private CA); never an unverified context.
        context = ssl.create_default_context() if s.security != "none" else None  # loading it takes time
        smtp: smtplib.SMTP | None = None
        try:
            # Not connected in the constructor: each step's socket waits are cut to the budget's time left.
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(timeout=self._left(), context=context)
            else:
                smtp = smtplib.SMTP(timeout=self._left())
            smtp._host = s.host  # the TLS server name; smtplib keeps it only when its constructor connects
            smtp.connect(s.host, s.port)
            self._wait(smtp)
            smtp.ehlo()
            if s.security == "starttls":
                self._wait(smtp)
                smtp.starttls(context=context)
                self._wait(smtp)
                smtp.ehlo()
            if s.user:
                self._wait(smtp)
                login(smtp, s.user, s.password or "")
            if smtp.sock is not None:
                smtp.sock.settimeout(s.timeout)  # connected: sending waits up to the full timeout
        except (smtplib.SMTPException, OSError) as exc:
            if smtp is not None:
                try:
                    smtp.close()
                except OSError:
                    pass
            raise self._connecting_failure(exc) from exc
        return smtp

    def _wait(self, smtp: smtplib.SMTP) -> None:
        """Cut the next step's socket waits to the connect budget's time left."""
        smtp.timeout = self._left()
        if smtp.sock is not None:
            smtp.sock.settimeout(smtp.timeout)

    def _connecting_failure(self, exc: BaseException) -> _Failure:
        # Reasons are made while send_all runs, in the book's language (run_digests enters it).
        s, server = self.settings, self.settings.address
        reason: str
        transient = True
        if isinstance(exc, ConnectionRefusedError):
            reason = _("cannot connect to {server}: connection refused", server=server)
        elif isinstance(exc, socket.gaierror):
            error = self._said(exc.strerror or exc)
            reason = _("cannot connect to {server}: {error}; check SHEETSYNC_SMTP_HOST", server=server, error=error)
        elif _timed_out(exc):
            seconds = f"{round(self._waited, 1):g}"
            reason = _("cannot connect to {server}: no answer within {seconds} s", server=server, seconds=seconds)
            if s.port == 465 and s.security != "ssl":
                reason = _("{reason}; port 465 expects SHEETSYNC_SMTP_SECURITY=ssl", reason=reason)
        elif isinstance(exc, ssl.SSLCertVerificationError):
            transient = False
            reason = _(
                "cannot connect to {server}: the server's TLS certificate is not trusted ({error}); "
                "if it is signed by a private CA, point SSL_CERT_FILE at that CA's certificate",
                server=server,
                error=self._said(exc.verify_message),
            )
        elif isinstance(exc, ssl.SSLError):
            transient = False
            reason = _(
                "cannot connect to {server}: TLS failed ({error}); check SHEETSYNC_SMTP_SECURITY "
                "(ssl for port 465, starttls for port 587)",
                server=server,
                error=self._said(exc.reason or exc),
            )
        elif isinstance(exc, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(exc):
            transient = False
            reason = _(
                "{server} does not offer STARTTLS; set SHEETSYNC_SMTP_SECURITY=ssl for an "
                "implicit-TLS port such as 465, or none for a local relay",
                server=server,
            )
        elif isinstance(exc, smtplib.SMTPNotSupportedError) and "AUTH" in str(exc):
            transient = False
            reason = _("{server} does not offer a login (AUTH)", server=server)
            if s.security == "none":
                reason = _(
                    "{reason}; most servers only offer it over TLS: set SHEETSYNC_SMTP_SECURITY=starttls or ssl",
                    reason=reason,
                )
        elif isinstance(exc, smtplib.SMTPAuthenticationError):
            transient = _is_transient_code(exc.smtp_code)
            reply = self._reply(exc.smtp_code, exc.smtp_error)
            reason = _("{server} refused the login for {user}: {reply}", server=server, user=s.user, reply=reply)
        elif isinstance(exc, smtplib.SMTPResponseException):
            transient = _is_transient_code(exc.smtp_code)
            reply = self._reply(exc.smtp_code, exc.smtp_error)
            reason = _("{server} refused the session: {reply}", server=server, reply=reply)
        elif isinstance(exc, smtplib.SMTPServerDisconnected):
            error = self._said(exc)
            reason = _(
                "cannot connect to {server}: the server closed the connection ({error})",
                server=server, error=error,
            )
        else:
            transient = isinstance(exc, OSError)
            error = self._said(exc.strerror or exc) if isinstance(exc, OSError) else self._said(exc)
            reason = _("cannot connect to {server}: {error}", server=server, error=error)
        return _Failure(reason, transient=transient, whole_server=True)

    def _sending_failure(self, exc: BaseException) -> _Failure:
        s, server = self.settings, self.settings.address
        transient = True
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            code, text = next(iter(exc.recipients.values()), (-1, b"recipient refused"))
            reason, transient = self._reply(code, text), _is_transient_code(code)
        elif isinstance(exc, smtplib.SMTPSenderRefused):
            reply = self._reply(exc.smtp_code, exc.smtp_error)
            reason = _("{reply} for sender {sender}", reply=reply, sender=exc.sender)
            transient = _is_transient_code(exc.smtp_code)
        elif isinstance(exc, smtplib.SMTPResponseException):
            reason, transient = self._reply(exc.smtp_code, exc.smtp_error), _is_transient_code(exc.smtp_code)
        elif _timed_out(exc):
            reason = _("{server} did not answer within {seconds} s while sending", server=server, seconds=s.seconds)
        elif isinstance(exc, smtplib.SMTPServerDisconnected):
            reason = _("{server} closed the connection while sending ({error})", server=server, error=self._said(exc))
        elif isinstance(exc, ssl.SSLError):
            error = self._said(exc.reason or exc)
            reason, transient = _("TLS with {server} failed while sending ({error})", server=server, error=error), False
        elif isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):
            error = self._said(exc.strerror or exc)
            reason = _("connection to {server} failed while sending: {error}", server=server, error=error)
        else:
            # SMTPNotSupportedError (e.g. an internationalised address the server cannot take) and the like.
            error = self._said(exc)
            reason, transient = _("{server} cannot take this message: {error}", server=server, error=error), False
        return _Failure(reason, transient=transient)

    def _reply(self, code: int, text: bytes | str) -> str:
        """A server reply as one line, with the password masked should the server echo it."""
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        return _reply(code, self._said(text))

    def _said(self, said: object) -> str:
        """Text from the server or an exception, with the password masked (credentials.mask_password)."""
        return mask_password(str(said), self.settings.user or "", self.settings.password)


def _reply(code: int, text: bytes | str) -> str:
    """An SMTP reply as one line: `550 5.1.1 mailbox unavailable (permanent)`."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    words = " ".join(text.split())
    if _is_transient_code(code):
        return _("{code} {reply} (temporary)", code=code, reply=words) if words else _("{code} (temporary)", code=code)
    return _("{code} {reply} (permanent)", code=code, reply=words) if words else _("{code} (permanent)", code=code)


def _is_transient_code(code: int) -> bool:
    """RFC 5321 §4.2.1: 4yz is a transient negative completion, worth trying again; 5yz is permanent."""
    return 400 <= code < 500


def _timed_out(exc: BaseException) -> bool:
    """A socket timeout, also when smtplib reports it as "Connection unexpectedly closed: timed out"."""
    return isinstance(exc, TimeoutError) or (
        isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError)
    )


def _code(exc: BaseException) -> int | None:
    return exc.smtp_code if isinstance(exc, smtplib.SMTPResponseException) else None


def _ensure_message_id(message: EmailMessage, settings: SmtpSettings) -> str:
    """The message's Message-ID, added when missing so that every retry carries the same one."""
    existing = message.get("Message-ID")
    if existing:
        return str(existing).strip()
    domain = bare_address(settings.sender).rpartition("@")[2] or settings.host
    message_id = make_msgid(domain=domain)  # with a domain given, no slow getfqdn() lookup
    message["Message-ID"] = message_id
    return message_id
