"""Digest delivery against a real SMTP server on localhost: at most once a day, faults retried, secrets kept.

The messages are plain EmailMessages built here, so these tests do not depend
on compose or render. The server is aiosmtpd with scripted faults
(tests/smtp_server.py); the cron wrapper runs for real with a fake `sheetsync`.
"""

from __future__ import annotations

import datetime as dt
import email
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")
pytest.register_assert_rewrite("smtp_server")  # imported below and as the plugin that brings its fixtures
pytest_plugins = ["smtp_server"]

from smtp_server import HOST, SENDER, LocalSmtpServer, start_server  # noqa: E402

from sheetsync.digest.ledger import Ledger  # noqa: E402
from sheetsync.digest.model import Delivery  # noqa: E402
from sheetsync.digest.outbox import write_outbox  # noqa: E402
from sheetsync.digest.smtp import SmtpSettings, send_all  # noqa: E402
from sheetsync.errors import SheetsyncError, UsageError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CRON_DIGEST = ROOT / "scripts" / "cron-digest"
DAY = dt.date(2026, 3, 2)  # a Monday
CST = dt.timezone(dt.timedelta(hours=8))
PROJECT = "serum-launch"
PASSWORD = "Pa55-zebra-7Qx!unmistakable"

TEAM = [
    ("li.na@agency.example.com", "李娜", "brief"),
    ("wang.lei@agency.example.com", "王磊", "detailed"),
    ("zhang.min@agency.example.com", "张敏", "detailed"),
]


def digest_message(address: str, name: str, kind: str = "brief", day: dt.date = DAY) -> EmailMessage:
    """A digest as render would make it: multipart text + HTML, Chinese subject and body."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = f"{name} <{address}>"
    message["Subject"] = f"【每日简报】{name}：精华液上市 3 月 14 日，按计划进行"
    message["Date"] = format_datetime(dt.datetime.combine(day, dt.time(8, 30), tzinfo=CST))
    message["Message-ID"] = f"<{day.isoformat()}.{kind}.{address}>"
    message["X-Sheetsync-Digest"] = kind
    message.set_content(f"{name}，你好：\n\n上市日期 2026-03-14：按计划进行。\n等你处理：T3 内部审核（周三到期）。\n")
    message.add_alternative(f"<p>{name}，你好：</p><p>上市日期 2026-03-14：<b>按计划进行</b>。</p>", subtype="html")
    message.set_boundary(f"digest-{kind}-{day.isoformat()}")  # else each flattening draws a new random one
    return message


def team_messages(day: dt.date = DAY) -> list[tuple[str, EmailMessage]]:
    return [(address, digest_message(address, name, kind, day)) for address, name, kind in TEAM]


class Sleeps:
    """Stands in for time.sleep: records the backoff instead of waiting it out."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    with Ledger(tmp_path / "state" / "ledger.sqlite") as opened:
        yield opened


def statuses(deliveries: list[Delivery]) -> list[tuple[str, str]]:
    return [(d.recipient, d.status) for d in deliveries]


def wire_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


# --- Settings -----------------------------------------------------------------------------------------------------

BASE_ENV = {"SHEETSYNC_SMTP_HOST": "smtp.example.com", "SHEETSYNC_SMTP_FROM": "digest@agency.example.com"}


def test_settings_from_env_defaults_port_by_security() -> None:
    assert SmtpSettings.from_env(BASE_ENV) == SmtpSettings(
        host="smtp.example.com",
        port=587,
        user=None,
        password=None,
        security="starttls",
        sender="digest@agency.example.com",
    )
    assert SmtpSettings.from_env({**BASE_ENV, "SHEETSYNC_SMTP_SECURITY": "ssl"}).port == 465
    assert SmtpSettings.from_env({**BASE_ENV, "SHEETSYNC_SMTP_SECURITY": "none"}).port == 25
    assert SmtpSettings.from_env({**BASE_ENV, "SHEETSYNC_SMTP_PORT": "2525"}).port == 2525


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"SHEETSYNC_SMTP_HOST": ""},
            "SHEETSYNC_SMTP_HOST is not set; set it to your mail server's name, e.g. SHEETSYNC_SMTP_HOST=smtp.example.com.",
        ),
        (
            {"SHEETSYNC_SMTP_FROM": " "},
            'SHEETSYNC_SMTP_FROM is not set; set it to the address digests come from, e.g. SHEETSYNC_SMTP_FROM="Campaign digest <digest@agency.example.com>".',
        ),
        (
            {"SHEETSYNC_SMTP_FROM": "digest"},
            'SHEETSYNC_SMTP_FROM: "digest" is not an email address; write one such as digest@agency.example.com or "Campaign digest <digest@agency.example.com>".',
        ),
        (
            {"SHEETSYNC_SMTP_PORT": "587a"},
            'SHEETSYNC_SMTP_PORT: "587a" is not a port number; write a whole number from 1 to 65535 such as 587.',
        ),
        (
            {"SHEETSYNC_SMTP_PORT": "70000"},
            'SHEETSYNC_SMTP_PORT: "70000" is not a port number; write a whole number from 1 to 65535 such as 587.',
        ),
        (
            {"SHEETSYNC_SMTP_SECURITY": "tls"},
            'SHEETSYNC_SMTP_SECURITY: "tls" is not one of starttls, ssl, none; use starttls for port 587, ssl for port 465, none for a local relay.',
        ),
        (
            {"SHEETSYNC_SMTP_USER": "digest"},
            "SHEETSYNC_SMTP_USER is set but SHEETSYNC_SMTP_PASSWORD is not; set both, or neither for a server that needs no login.",
        ),
        (
            {"SHEETSYNC_SMTP_PASSWORD": PASSWORD},
            "SHEETSYNC_SMTP_PASSWORD is set but SHEETSYNC_SMTP_USER is not; set both, or neither for a server that needs no login.",
        ),
    ],
)
def test_settings_from_env_names_the_variable(changes: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        SmtpSettings.from_env({**BASE_ENV, **changes})  # an empty variable counts as unset
    assert str(caught.value) == message
    assert PASSWORD not in str(caught.value)


def test_settings_repr_hides_the_password() -> None:
    settings = SmtpSettings.from_env({**BASE_ENV, "SHEETSYNC_SMTP_USER": "digest", "SHEETSYNC_SMTP_PASSWORD": PASSWORD})
    assert settings.password == PASSWORD
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
    assert "user='digest'" in repr(settings)


# --- Sending ------------------------------------------------------------------------------------------------------


def test_send_delivers_each_digest_once_with_bytes_intact(smtp_server: LocalSmtpServer, ledger: Ledger) -> None:
    messages = team_messages()
    deliveries = send_all(messages, smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())

    assert deliveries == [Delivery(address, "sent", attempts=1) for address, _, _ in TEAM]
    assert smtp_server.handler.connections == 1  # one connection for the batch
    received = smtp_server.handler.received
    assert [r.rcpt_tos for r in received] == [(address,) for address, _, _ in TEAM]
    assert {r.mail_from for r in received} == {"digest@agency.example.com"}
    for (_, message), got in zip(messages, received, strict=True):
        assert got.data == wire_bytes(message)  # byte for byte, CRLF as SMTP requires
        parsed = email.message_from_bytes(got.data, policy=policy.default)
        assert parsed["Subject"] == message["Subject"]
        plain = parsed.get_body(("plain",)).get_content()
        assert plain.replace("\r\n", "\n") == message.get_body(("plain",)).get_content()
        assert "<b>按计划进行</b>" in parsed.get_body(("html",)).get_content()
    assert (
        ledger.message_id(PROJECT, "li.na@agency.example.com", DAY, "brief")
        == "<2026-03-02.brief.li.na@agency.example.com>"
    )


def test_message_without_message_id_gets_one_and_the_ledger_knows_it(
    smtp_server: LocalSmtpServer, ledger: Ledger
) -> None:
    message = digest_message("li.na@agency.example.com", "李娜")
    del message["Message-ID"]
    send_all([("li.na@agency.example.com", message)], smtp_server.settings(), ledger, sheet=PROJECT, day=DAY)

    parsed = email.message_from_bytes(smtp_server.handler.received[0].data, policy=policy.default)
    assert parsed["Message-ID"].endswith("@agency.example.com>")
    assert ledger.message_id(PROJECT, "li.na@agency.example.com", DAY, "brief") == parsed["Message-ID"]


def test_connection_refused_fails_every_message_after_the_retries(closed_port: int, ledger: Ledger) -> None:
    settings = LocalSmtpServer(handler=None, port=closed_port).settings()  # type: ignore[arg-type]
    sleeps = Sleeps()
    deliveries = send_all(team_messages(), settings, ledger, sheet=PROJECT, day=DAY, sleep=sleeps)

    reason = f"cannot connect to 127.0.0.1:{closed_port}: connection refused"
    assert deliveries == [
        Delivery("li.na@agency.example.com", "failed", reason, attempts=4),
        # the server is down: the others fail at once instead of each waiting through its own retries
        Delivery("wang.lei@agency.example.com", "failed", reason, attempts=0),
        Delivery("zhang.min@agency.example.com", "failed", reason, attempts=0),
    ]
    # reaching the server: exponential backoff from 0.1 s (jitter at most 10%), all within the 1.5 s budget
    assert all(base <= d <= base * 1.1 for base, d in zip([0.1, 0.2, 0.4], sleeps.delays, strict=True))
    assert not any(ledger.was_sent(PROJECT, address, DAY, kind) for address, _, kind in TEAM)


def test_dropped_connection_mid_data_is_retried_and_delivered_exactly_once(
    smtp_server: LocalSmtpServer, ledger: Ledger
) -> None:
    smtp_server.handler.drop_during_data("wang.lei@agency.example.com")
    sleeps = Sleeps()
    deliveries = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=sleeps)

    assert statuses(deliveries) == [(address, "sent") for address, _, _ in TEAM]
    assert [d.attempts for d in deliveries] == [1, 2, 1]
    assert len(sleeps.delays) == 1
    assert smtp_server.handler.connections == 2  # reconnected once, then kept for the rest
    for address, _, _ in TEAM:
        assert len(smtp_server.handler.delivered_to(address)) == 1


def test_451_then_accepted_is_delivered_once_after_retries(smtp_server: LocalSmtpServer, ledger: Ledger) -> None:
    smtp_server.handler.fail_temporarily("li.na@agency.example.com", times=2)
    sleeps = Sleeps()
    deliveries = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=sleeps)

    assert deliveries[0] == Delivery("li.na@agency.example.com", "sent", attempts=3)
    assert statuses(deliveries[1:]) == [
        ("wang.lei@agency.example.com", "sent"),
        ("zhang.min@agency.example.com", "sent"),
    ]
    assert [round(d) for d in sleeps.delays] == [1, 2]
    assert smtp_server.handler.rcpt_attempts["li.na@agency.example.com"] == 3
    assert len(smtp_server.handler.delivered_to("li.na@agency.example.com")) == 1
    assert smtp_server.handler.connections == 1  # a 4xx reply does not cost the connection


def test_451_beyond_the_retries_fails_with_the_last_reply(smtp_server: LocalSmtpServer, ledger: Ledger) -> None:
    smtp_server.handler.fail_temporarily("li.na@agency.example.com", times=10)
    deliveries = send_all(
        team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, retries=2, sleep=Sleeps()
    )

    assert deliveries[0] == Delivery(
        "li.na@agency.example.com", "failed", "451 4.3.0 mailbox busy, try again later (temporary)", attempts=3
    )
    assert statuses(deliveries[1:]) == [
        ("wang.lei@agency.example.com", "sent"),
        ("zhang.min@agency.example.com", "sent"),
    ]


def test_550_fails_that_recipient_at_once_and_the_others_are_delivered(
    smtp_server: LocalSmtpServer, ledger: Ledger
) -> None:
    smtp_server.handler.fail_permanently("wang.lei@agency.example.com")
    sleeps = Sleeps()
    deliveries = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=sleeps)

    assert deliveries == [
        Delivery("li.na@agency.example.com", "sent", attempts=1),
        Delivery("wang.lei@agency.example.com", "failed", "550 5.1.1 mailbox unavailable (permanent)", attempts=1),
        Delivery("zhang.min@agency.example.com", "sent", attempts=1),
    ]
    assert sleeps.delays == []
    assert smtp_server.handler.delivered_to("wang.lei@agency.example.com") == []
    assert not ledger.was_sent(PROJECT, "wang.lei@agency.example.com", DAY, "detailed")


def test_reruns_send_each_digest_exactly_once_a_day(smtp_server: LocalSmtpServer, ledger: Ledger) -> None:
    handler = smtp_server.handler
    handler.fail_permanently("wang.lei@agency.example.com")
    first = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    assert statuses(first) == [
        ("li.na@agency.example.com", "sent"),
        ("wang.lei@agency.example.com", "failed"),
        ("zhang.min@agency.example.com", "sent"),
    ]

    handler.heal()
    second = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    assert second == [
        Delivery("li.na@agency.example.com", "skipped", "already sent on 2026-03-02"),
        Delivery("wang.lei@agency.example.com", "sent", attempts=1),
        Delivery("zhang.min@agency.example.com", "skipped", "already sent on 2026-03-02"),
    ]

    connections = handler.connections
    third = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    assert [d.status for d in third] == ["skipped"] * 3
    assert handler.connections == connections  # nothing to send: not even a connection
    for address, _, _ in TEAM:
        assert len(handler.delivered_to(address)) == 1

    # The address as typed in the sheet may change case; it is still the same person.
    shouted = [("LI.NA@Agency.Example.com", digest_message("LI.NA@Agency.Example.com", "李娜"))]
    assert send_all(shouted, smtp_server.settings(), ledger, sheet=PROJECT, day=DAY)[0].status == "skipped"

    # Tomorrow is another digest; so is another kind, or another project, today.
    tomorrow = send_all(
        team_messages(DAY + dt.timedelta(days=1)),
        smtp_server.settings(),
        ledger,
        sheet=PROJECT,
        day=DAY + dt.timedelta(days=1),
    )
    assert [d.status for d in tomorrow] == ["sent"] * 3
    other_kind = [("li.na@agency.example.com", digest_message("li.na@agency.example.com", "李娜", kind="detailed"))]
    assert send_all(other_kind, smtp_server.settings(), ledger, sheet=PROJECT, day=DAY)[0].status == "sent"
    assert send_all(team_messages()[:1], smtp_server.settings(), ledger, sheet="other", day=DAY)[0].status == "sent"


def test_a_crash_mid_batch_resends_nothing_that_was_delivered(smtp_server: LocalSmtpServer, tmp_path: Path) -> None:
    """Each send is recorded before the next starts: a run killed mid-batch leaves an exact ledger."""
    path = tmp_path / "ledger.sqlite"
    smtp_server.handler.fail_temporarily("wang.lei@agency.example.com", times=1)

    def killed_during_backoff(seconds: float) -> None:
        raise KeyboardInterrupt  # what SIGINT/SIGTERM-with-handler looks like inside the run

    with Ledger(path) as ledger, pytest.raises(KeyboardInterrupt):
        send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=killed_during_backoff)

    with Ledger(path) as ledger:
        again = send_all(team_messages(), smtp_server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    assert statuses(again) == [
        ("li.na@agency.example.com", "skipped"),
        ("wang.lei@agency.example.com", "sent"),
        ("zhang.min@agency.example.com", "sent"),
    ]
    for address, _, _ in TEAM:
        assert len(smtp_server.handler.delivered_to(address)) == 1


def test_timeout_is_retried_then_reported(tmp_path: Path, ledger: Ledger) -> None:
    """A server that accepts the connection but never greets (a firewall, a wrong port)."""
    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen(8)
        settings = LocalSmtpServer(handler=None, port=silent.getsockname()[1]).settings(timeout=0.2)  # type: ignore[arg-type]
        deliveries = send_all(
            team_messages()[:1], settings, ledger, sheet=PROJECT, day=DAY, retries=1, sleep=Sleeps()
        )
    assert deliveries == [
        Delivery(
            "li.na@agency.example.com",
            "failed",
            f"cannot connect to {settings.address}: no answer within 0.2 s",
            attempts=2,
        )
    ]


# --- Ledger -------------------------------------------------------------------------------------------------------


def test_ledger_survives_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "ledger.sqlite"  # parents are created
    with Ledger(path) as ledger:
        ledger.record(PROJECT, "li.na@agency.example.com", DAY, "brief", "<m1@agency.example.com>")
        ledger.save_snapshot(
            PROJECT, "li.na@agency.example.com", "email", DAY - dt.timedelta(days=1), {"overdue": ["T1"]}
        )
        ledger.save_snapshot(PROJECT, "li.na@agency.example.com", "email", DAY, {"overdue": ["T3"], "launch": "按计划"})

    script = f"""
import datetime as dt, json
from pathlib import Path
from sheetsync.digest.ledger import Ledger
ledger = Ledger(Path({str(path)!r}))
print(json.dumps([
    ledger.was_sent({PROJECT!r}, "Li.Na@agency.example.com", dt.date(2026, 3, 2), "brief"),
    ledger.was_sent({PROJECT!r}, "li.na@agency.example.com", dt.date(2026, 3, 2), "detailed"),
    ledger.was_sent({PROJECT!r}, "li.na@agency.example.com", dt.date(2026, 3, 3), "brief"),
    ledger.last_snapshot({PROJECT!r}, "li.na@agency.example.com", "email"),
    ledger.last_snapshot({PROJECT!r}, "wang.lei@agency.example.com", "email"),
], ensure_ascii=False))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == '[true, false, false, {"launch": "按计划", "overdue": ["T3"]}, null]'


def test_ledger_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.write_text("not a database")
    with pytest.raises(
        SheetsyncError, match=r"ledger.sqlite: cannot open the digest ledger \(file is not a database\)"
    ):
        Ledger(path)


# --- Outbox -------------------------------------------------------------------------------------------------------


def test_outbox_files_parse_back_to_the_same_message(tmp_path: Path) -> None:
    messages = team_messages()
    outbox = tmp_path / "outbox"
    deliveries = write_outbox(messages, outbox)

    assert deliveries == [
        Delivery(address, "written", path=str(outbox / f"2026-03-02-{address}.eml")) for address, _, _ in TEAM
    ]
    assert sorted(p.name for p in outbox.iterdir()) == sorted(
        f"2026-03-02-{a}.eml" for a, _, _ in TEAM
    )  # no temp files
    for (_, message), delivery in zip(messages, deliveries, strict=True):
        data = Path(delivery.path).read_bytes()
        assert data == message.as_bytes()
        parsed = email.message_from_bytes(data, policy=policy.default)
        assert parsed.as_bytes() == data
        assert parsed["Subject"] == message["Subject"]
        assert parsed.get_body(("plain",)).get_content() == message.get_body(("plain",)).get_content()


def test_outbox_names_by_day_and_safe_address_and_replaces_on_rerun(tmp_path: Path) -> None:
    odd = "O'Brien/Team@Agency.example.com"
    no_date = digest_message(odd, "O'Brien")
    del no_date["Date"]
    first = write_outbox(
        [(odd, no_date), (odd, digest_message(odd, "O'Brien", kind="detailed"))], tmp_path, day=dt.date(2026, 3, 3)
    )
    assert [Path(d.path).name for d in first] == [
        "2026-03-03-o_brien_team@agency.example.com.eml",
        "2026-03-03-o_brien_team@agency.example.com-2.eml",
    ]
    assert (
        Path(write_outbox([(odd, no_date)], tmp_path)[0].path).name
        == f"{dt.date.today()}-o_brien_team@agency.example.com.eml"
    )
    write_outbox([(odd, no_date)], tmp_path, day=dt.date(2026, 3, 3))
    assert len(list(tmp_path.glob("2026-03-03-*.eml"))) == 2


# --- TLS and login: the password never shows --------------------------------------------------------------------


def everything_printed(
    deliveries: list[Delivery], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> str:
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("sheetsync")]
    captured = capsys.readouterr()
    return "\n".join([repr(deliveries), *(d.reason for d in deliveries), *ours, captured.out, captured.err])


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # aiosmtpd, per session
def test_login_over_plain_connection_and_the_password_never_shows(
    ledger: Ledger, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    controller, server = start_server(user="digest", password=PASSWORD)
    try:
        good = send_all(team_messages()[:1], server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
        assert good == [Delivery("li.na@agency.example.com", "sent", attempts=1)]

        wrong = server.settings(password=PASSWORD + "-old")
        bad = send_all(team_messages()[1:], wrong, ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
        reason = f"127.0.0.1:{server.port} refused the login for digest: 535 5.7.8 Authentication credentials invalid (permanent)"
        assert bad == [
            Delivery("wang.lei@agency.example.com", "failed", reason, attempts=1),
            Delivery("zhang.min@agency.example.com", "failed", reason, attempts=0),
        ]
    finally:
        controller.stop()
    printed = everything_printed(good + bad, caplog, capsys)
    assert "refused the login" in printed  # the check below looks at real output
    assert PASSWORD not in printed


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # aiosmtpd, per session
@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_password_in_any_script_logs_in(
    mechanism: str, ledger: Ledger, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11, defect 8: smtplib encodes AUTH as ASCII; "密码pässword" raised UnicodeEncodeError mid-run."""
    caplog.set_level(logging.DEBUG)
    password = "密码pässword"
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
    controller, server = start_server(user="李娜", password=password, auth_exclude_mechanism=[other, "CRAM-MD5"])
    try:
        good = send_all(team_messages()[:1], server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
        wrong = server.settings(password="密码passwörd")
        bad = send_all(team_messages()[1:2], wrong, ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    finally:
        controller.stop()
    assert good == [Delivery("li.na@agency.example.com", "sent", attempts=1)]
    assert [m.rcpt_tos for m in server.handler.received] == [("li.na@agency.example.com",)]
    assert bad == [
        Delivery(
            "wang.lei@agency.example.com",
            "failed",
            f"127.0.0.1:{server.port} refused the login for 李娜: 535 5.7.8 Authentication credentials invalid "
            "(permanent)",
            attempts=1,
        )
    ]
    assert password not in everything_printed(good + bad, caplog, capsys)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # aiosmtpd, per session
def test_the_password_is_masked_as_a_whole_token_never_inside_words(closed_port: int, ledger: Ledger) -> None:
    """Issue 11, minor: a one-letter password turned "cannot connect" into "c********nnot connect"."""
    settings = SmtpSettings(host=HOST, port=closed_port, user="digest", password="n", security="none", sender=SENDER)
    refused = send_all(team_messages()[:1], settings, ledger, sheet=PROJECT, day=DAY, sleep=Sleeps(), retries=0)
    assert refused[0].reason == f"cannot connect to 127.0.0.1:{closed_port}: connection refused"

    controller, server = start_server(user="digest", password=PASSWORD)
    try:  # a password that the server's reply happens to say as a word is still masked there
        echoed = send_all(
            team_messages()[:1], server.settings(password="credentials"), ledger, sheet=PROJECT, day=DAY,
            sleep=Sleeps(),
        )
    finally:
        controller.stop()
    assert echoed[0].reason == (
        f"127.0.0.1:{server.port} refused the login for digest: 535 5.7.8 Authentication ******** invalid (permanent)"
    )


def test_connection_refused_with_a_password_never_shows_it(
    closed_port: int, ledger: Ledger, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = SmtpSettings(
        host=HOST, port=closed_port, user="digest", password=PASSWORD, security="starttls", sender=SENDER
    )
    deliveries = send_all(team_messages(), settings, ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    printed = everything_printed(deliveries, caplog, capsys)
    assert "connection refused" in printed
    assert PASSWORD not in printed


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # aiosmtpd misses implicit TLS
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login_delivers(
    security: str,
    self_signed_cert: tuple[Path, Path],
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SSL_CERT_FILE", str(self_signed_cert[0]))  # how a user trusts a private CA, too
    controller, server = start_server(tls=security, cert=self_signed_cert, user="digest", password=PASSWORD)
    try:
        deliveries = send_all(team_messages(), server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps())
    finally:
        controller.stop()
    assert deliveries == [Delivery(address, "sent", attempts=1) for address, _, _ in TEAM]
    assert len(server.handler.received) == 3
    assert PASSWORD not in everything_printed(deliveries, caplog, capsys)


def test_untrusted_certificate_fails_at_once_with_what_to_do(
    self_signed_cert: tuple[Path, Path], ledger: Ledger
) -> None:
    controller, server = start_server(tls="starttls", cert=self_signed_cert)
    try:
        sleeps = Sleeps()
        deliveries = send_all(team_messages(), server.settings(), ledger, sheet=PROJECT, day=DAY, sleep=sleeps)
    finally:
        controller.stop()
    assert [d.status for d in deliveries] == ["failed"] * 3
    assert deliveries[0].attempts == 1 and sleeps.delays == []
    assert deliveries[0].reason == (
        f"cannot connect to 127.0.0.1:{server.port}: the server's TLS certificate is not trusted "
        "(self-signed certificate); if it is signed by a private CA, point SSL_CERT_FILE at that CA's certificate"
    )


def test_starttls_against_a_server_without_it_says_what_to_set(smtp_server: LocalSmtpServer, ledger: Ledger) -> None:
    deliveries = send_all(
        team_messages()[:1], smtp_server.settings(security="starttls"), ledger, sheet=PROJECT, day=DAY, sleep=Sleeps()
    )
    assert deliveries == [
        Delivery(
            "li.na@agency.example.com",
            "failed",
            f"127.0.0.1:{smtp_server.port} does not offer STARTTLS; set SHEETSYNC_SMTP_SECURITY=ssl for an "
            "implicit-TLS port such as 465, or none for a local relay",
            attempts=1,
        )
    ]


# --- The cron wrapper ---------------------------------------------------------------------------------------------

FAKE_SHEETSYNC = """#!/usr/bin/env bash
echo "fake sheetsync $* (cwd $(pwd), smtp host ${SHEETSYNC_SMTP_HOST:-unset})"
if [ "$1" = sync ]; then
    touch "$FAKE_STARTED"
    sleep "${FAKE_SYNC_SECONDS:-0}"
    exit "${FAKE_SYNC_EXIT:-0}"
fi
exit "${FAKE_DIGEST_EXIT:-0}"
"""


@pytest.fixture
def cron_env(tmp_path: Path) -> dict[str, str]:
    """A home, a campaign folder and a fake `sheetsync` first on PATH."""
    if shutil.which("flock") is None:
        pytest.skip("flock (util-linux) is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "sheetsync"
    fake.write_text(FAKE_SHEETSYNC)
    fake.chmod(0o755)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "serum-launch.xlsx").write_bytes(b"")
    (tmp_path / "home").mkdir()
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "SHEETSYNC_DIR": str(tmp_path / "campaigns"),
        "SHEETSYNC_LOCK_DIR": str(tmp_path),
        "FAKE_STARTED": str(tmp_path / "started"),
    }


def default_log(env: dict[str, str]) -> Path:
    return Path(env["HOME"]) / ".local" / "state" / "sheetsync" / "cron.log"


def test_cron_wrapper_runs_sync_then_digest_and_logs(cron_env: dict[str, str]) -> None:
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=cron_env, capture_output=True, text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")  # cron mails nothing on success
    log = default_log(cron_env).read_text()
    campaigns = cron_env["SHEETSYNC_DIR"]
    assert (
        f"fake sheetsync sync serum-launch.xlsx (cwd {campaigns}, smtp host unset)\n"
        f"fake sheetsync digest serum-launch.xlsx --send (cwd {campaigns}, smtp host unset)\n" in log
    )
    assert log.rstrip().endswith("cron-digest serum-launch.xlsx: exit 0")


def test_cron_wrapper_falls_back_on_its_clones_venv(cron_env: dict[str, str], tmp_path: Path) -> None:
    """With no sheetsync on cron's PATH, the wrapper runs the one scripts/demo installed in the clone's .venv."""
    clone = tmp_path / "clone"
    (clone / "scripts").mkdir(parents=True)
    shutil.copy(CRON_DIGEST, clone / "scripts" / "cron-digest")
    venv_bin = clone / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    shutil.move(Path(cron_env["PATH"].split(":")[0]) / "sheetsync", venv_bin / "sheetsync")
    env = {**cron_env, "PATH": "/usr/bin:/bin"}
    if shutil.which("sheetsync", path=env["PATH"]):
        pytest.skip("a sheetsync is installed in /usr/bin")
    run = subprocess.run(["scripts/cron-digest", "serum-launch.xlsx"], cwd=clone, env=env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    log = default_log(env).read_text()
    assert "fake sheetsync sync serum-launch.xlsx" in log and "fake sheetsync digest serum-launch.xlsx --send" in log

    shutil.rmtree(clone / ".venv")
    run = subprocess.run(["scripts/cron-digest", "serum-launch.xlsx"], cwd=clone, env=env, capture_output=True, text=True)
    assert run.returncode == 127
    assert (
        f"cron-digest: sheetsync is not on PATH (/usr/bin:/bin) nor in {clone / '.venv'}; add its folder "
        "(see `command -v sheetsync`) to PATH in the crontab or the env file." in default_log(env).read_text()
    )


def test_cron_wrapper_sends_the_digest_even_when_the_sync_could_not_run(cron_env: dict[str, str]) -> None:
    """Issue 14, item 4: a view-only share cannot sync (exit 2), but its digests are read, composed and sent."""
    env = {**cron_env, "FAKE_SYNC_EXIT": "2", "SHEETSYNC_LOG": str(Path(cron_env["HOME"]) / "custom.log")}
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=env, capture_output=True, text=True)
    summary = "sync exit 2 (could not run), digest --send exit 0"
    assert run.returncode == 2
    assert run.stderr == f"cron-digest: serum-launch.xlsx: {summary} (exit 2); see {env['SHEETSYNC_LOG']}\n"
    log = Path(env["SHEETSYNC_LOG"]).read_text()
    assert "fake sheetsync sync" in log and "fake sheetsync digest serum-launch.xlsx --send" in log


@pytest.mark.parametrize(
    ("option", "ran", "skipped", "summary"),
    [
        ("--digest-only", "digest serum-launch.xlsx --send", "sync", "digest --send exit 0"),
        ("--sync-only", "sync serum-launch.xlsx", "digest", "sync exit 0"),
    ],
)
def test_cron_wrapper_runs_one_step_when_asked(
    cron_env: dict[str, str], option: str, ran: str, skipped: str, summary: str
) -> None:
    run = subprocess.run([str(CRON_DIGEST), option, "serum-launch.xlsx"], env=cron_env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    log = default_log(cron_env).read_text()
    assert f"fake sheetsync {ran} (cwd" in log and f"fake sheetsync {skipped}" not in log
    assert f"\n{summary}\n" in log


def test_cron_wrapper_refuses_an_unknown_option(cron_env: dict[str, str]) -> None:
    run = subprocess.run([str(CRON_DIGEST), "--digest", "serum-launch.xlsx"], env=cron_env, capture_output=True,
                         text=True)
    assert run.returncode == 2
    assert run.stderr == (
        "usage: cron-digest [--sync-only | --digest-only] TARGET   (a workbook path or a Google Sheet URL)\n"
    )


def readme_env_file() -> str:
    """The README's example env file, exactly as printed."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sh\n# ~/.config/sheetsync/env\n", 1)[1].split("```", 1)[0]
    return "# ~/.config/sheetsync/env\n" + block


def test_the_readmes_env_file_sources_in_bash_and_the_wrapper_loads_it(cron_env: dict[str, str]) -> None:
    """Issue 14, item 7: the README's `SHEETSYNC_SMTP_FROM=Ops at Agency <…>` was a bash syntax error."""
    text = readme_env_file()
    assert "Ops at Agency <ops@agency.example>" in text
    env_file = Path(cron_env["HOME"]) / ".config" / "sheetsync" / "env"
    env_file.parent.mkdir(parents=True)
    env_file.write_text(text)
    env_file.chmod(0o600)
    sourced = subprocess.run(
        ["bash", "-c", 'set -euo pipefail; set -a; . "$1"; printf "%s\n" "$SHEETSYNC_SMTP_FROM"', "bash", env_file],
        env=cron_env, capture_output=True, text=True,
    )
    assert (sourced.returncode, sourced.stderr) == (0, "")
    assert sourced.stdout == "Ops at Agency <ops@agency.example>\n"
    fake_bin = cron_env["PATH"].split(":")[0]
    env = {**cron_env, "PATH": f"{fake_bin}:/usr/bin:/bin"}
    env_file.write_text(text.replace("PATH=", f"PATH={fake_bin}:"))  # the fake sheetsync stays first on PATH
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    assert "smtp host smtp.agency.example" in default_log(env).read_text()


def test_an_unquoted_value_in_the_env_file_is_one_clear_line(cron_env: dict[str, str]) -> None:
    env_file = Path(cron_env["HOME"]) / "env"
    env_file.write_text("SHEETSYNC_SMTP_FROM=Ops at Agency <ops@agency.example>\n")
    env_file.chmod(0o600)
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env={**cron_env, "SHEETSYNC_ENV_FILE": str(env_file)},
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.endswith(
        f"cron-digest: {env_file} could not be loaded; fix the line named above (it is shell syntax: quote a value "
        'with spaces or < >, e.g. SHEETSYNC_SMTP_FROM="Ops at Agency <ops@agency.example>").\n'
    )
    assert "line 1" in run.stderr


def test_readme_and_crontab_have_a_cron_line_per_use() -> None:
    readme = (ROOT / "README.md").read_text()
    for text in (readme, (ROOT / "scripts" / "crontab.example").read_text()):
        lines = [line for line in text.splitlines() if "scripts/cron-digest" in line and " 1-5 " in line]
        commands = {line.split("cron-digest", 1)[1].split()[0] for line in lines}
        assert commands == {"--digest-only", "--sync-only", "serum-launch.xlsx"}


@pytest.mark.parametrize(
    ("sync_exit", "digest_exit", "status", "summary"),
    [
        ("1", "0", 1, "sync exit 1 (Problems found; see the Problems sheet), digest --send exit 0"),
        ("0", "1", 1, "sync exit 0, digest --send exit 1 (a digest was not delivered)"),
        ("1", "2", 2, "sync exit 1 (Problems found; see the Problems sheet), digest --send exit 2 (could not run)"),
    ],
)
def test_cron_wrapper_sends_whenever_the_sync_ran_and_reports_both(
    cron_env: dict[str, str], sync_exit: str, digest_exit: str, status: int, summary: str
) -> None:
    """Issue 11, defect 10: `sync && digest` never sent while the book had a Problem (sync exits 1)."""
    env = {**cron_env, "FAKE_SYNC_EXIT": sync_exit, "FAKE_DIGEST_EXIT": digest_exit}
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=env, capture_output=True, text=True)
    log = default_log(env).read_text()
    assert "fake sheetsync digest serum-launch.xlsx --send" in log
    assert f"\n{summary}\n" in log
    assert log.rstrip().endswith(f"cron-digest serum-launch.xlsx: {summary}; exit {status}")
    assert run.returncode == status
    assert run.stderr == f"cron-digest: serum-launch.xlsx: {summary} (exit {status}); see {default_log(env)}\n"


def test_cron_wrapper_logs_both_statuses_on_success(cron_env: dict[str, str]) -> None:
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=cron_env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    assert "\nsync exit 0, digest --send exit 0\n" in default_log(cron_env).read_text()


def test_cron_wrapper_never_overlaps_a_run_in_progress(cron_env: dict[str, str]) -> None:
    env = {**cron_env, "FAKE_SYNC_SECONDS": "3"}
    first = subprocess.Popen([str(CRON_DIGEST), "serum-launch.xlsx"], env=env)
    try:
        deadline = time.monotonic() + 10
        while not Path(env["FAKE_STARTED"]).exists():  # the first run holds the lock and is syncing
            assert time.monotonic() < deadline, "the first run never started"
            time.sleep(0.05)
        # The same workbook spelt another way is the same lock.
        absolute = str(Path(env["SHEETSYNC_DIR"]) / "serum-launch.xlsx")
        second = subprocess.run([str(CRON_DIGEST), absolute], env=env, capture_output=True, text=True, timeout=10)
        assert (second.returncode, second.stderr) == (0, "")
        assert first.poll() is None  # the second run did not wait for the first
    finally:
        assert first.wait(timeout=20) == 0
    log = default_log(env).read_text()
    assert log.count("fake sheetsync sync") == 1
    assert log.count("fake sheetsync digest") == 1
    assert log.count("another run is in progress for ") == 1


def test_cron_wrapper_loads_the_env_file_and_warns_when_others_can_read_it(cron_env: dict[str, str]) -> None:
    env_file = Path(cron_env["HOME"]) / ".config" / "sheetsync" / "env"
    env_file.parent.mkdir(parents=True)
    env_file.write_text(f"SHEETSYNC_SMTP_HOST=smtp.example.com\nSHEETSYNC_SMTP_PASSWORD='{PASSWORD}'\n")

    env_file.chmod(0o600)
    assert subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=cron_env).returncode == 0
    log = default_log(cron_env).read_text()
    assert "smtp host smtp.example.com" in log and "warning" not in log

    env_file.chmod(0o644)
    assert subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=cron_env).returncode == 0
    log = default_log(cron_env).read_text()
    assert (
        f"warning: {env_file} is readable by group or others (mode 644) and may hold the SMTP password; "
        f"run: chmod 600 '{env_file}'"
    ) in log
    assert PASSWORD not in log


def test_cron_wrapper_refuses_a_missing_explicit_env_file(cron_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cron_env, "SHEETSYNC_ENV_FILE": str(tmp_path / "nope")}
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=env, capture_output=True, text=True)
    assert run.returncode == 2
    assert (
        run.stderr
        == f"cron-digest: SHEETSYNC_ENV_FILE={tmp_path / 'nope'} does not exist; create it (chmod 600) or unset the variable.\n"
    )
    assert not os.path.exists(tmp_path / "started")


def test_crontab_example_runs_the_wrapper_at_0830_on_weekdays() -> None:
    lines = (ROOT / "scripts" / "crontab.example").read_text().splitlines()
    assert "# m  h  dom mon dow   command" in lines
    schedule = [line for line in lines if line and not line.startswith("#") and "=" not in line.split()[0]]
    assert len(schedule) == 1
    assert schedule[0].split()[:5] == ["30", "8", "*", "*", "1-5"]
    assert "scripts/cron-digest" in schedule[0]
