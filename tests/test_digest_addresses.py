"""One rule for a Team address (sheetsync/email_address.py): `check` reports it, `digest` skips that person alone.

Issue 11, defect 9: a list, `Name <addr>`, a line break, `王磊@例子.中国` or
`../../x@y.example` in one Team cell used to stop every digest (exit 2, nothing
written for anyone), and the last two passed `check` without a Problem.
"""

from __future__ import annotations

import email
import email.policy
import json
from email.headerregistry import Address
from pathlib import Path

import pytest
from smtp_server import smtp_server  # noqa: F401  (pytest fixture)

from sheetsync.cli import main
from sheetsync.digest.outbox import write_outbox
from sheetsync.email_address import address_problem

MONDAY = "2026-03-02"
LI_NA, OTHERS = "li.na@agency.example.com", ["wang.lei@agency.example.com", "zhang.min@agency.example.com"]

# (what a person typed in Team!C2, the Problem check reports, its fix)
BAD = [
    (
        "li.na@agency.example.com, ops@agency.example.com",
        '"li.na@agency.example.com, ops@agency.example.com" is more than one address or has spaces',
        "write one address such as name@example.com; give each person their own Team row, or set Digest to none",
    ),
    (
        "li.na@agency.example.com;ops@agency.example.com",
        '"li.na@agency.example.com;ops@agency.example.com" is more than one address or has spaces',
        "write one address such as name@example.com; give each person their own Team row, or set Digest to none",
    ),
    (
        "Li Na <li.na@agency.example.com>",
        '"Li Na <li.na@agency.example.com>" has a name or angle brackets around the address',
        "keep only the address itself, e.g. li.na@agency.example.com, or set Digest to none",
    ),
    (
        "li.na@agency.example.com\r\nBcc: all@agency.example.com",
        '"li.na@agency.example.com\\r\\nBcc: all@agency.example.com" holds a line break or control character',
        "write one address such as name@example.com, on one line, or set Digest to none",
    ),
    (
        "王磊@例子.中国",
        '"王磊@例子.中国" has non-ASCII characters before the @, which only mail servers offering SMTPUTF8 '
        "(RFC 6531) can deliver",
        "write the person's ASCII address, or set Digest to none",
    ),
    (
        "wang.lei@例子.中国",
        '"wang.lei@例子.中国" has a non-ASCII domain, which not every mail server accepts',
        "write its ASCII form wang.lei@xn--fsqu00a.xn--fiqs8s, or set Digest to none",
    ),
    (
        "../../x@y.example",
        '"../../x@y.example" has characters or dots before the @ that an address cannot have',
        "write one address such as name@example.com (letters, digits, . _ + -; no leading, trailing or double dots), "
        "or set Digest to none",
    ),
    ("li.na@localhost", '"li.na@localhost" does not end in a domain such as example.com',
     "write one address such as name@example.com, or set Digest to none"),
]


def with_li_na(make_campaign, address: str):
    campaign = make_campaign()
    campaign.set_rows("Team", [{"Email": address}])
    return campaign


@pytest.mark.parametrize(("address", "problem", "fix"), BAD, ids=[b[0][:24] for b in BAD])
def test_check_reports_the_cell_and_digest_skips_only_that_person(make_campaign, tmp_path, capsys, address, problem,
                                                                   fix):
    campaign = with_li_na(make_campaign, address)
    assert main(["check", str(campaign.path), "--today", MONDAY, "--json"]) == 1
    team = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["sheet"] == "Team"]
    assert team == [{"sheet": "Team", "cell": "C2", "problem": problem, "fix": fix}]

    outbox = tmp_path / "outbox"
    code = main(["digest", str(campaign.path), "--today", MONDAY, "--outbox", str(outbox), "--json",
                 "--state", str(tmp_path / "state")])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    rows = {d["name"]: d for d in report["deliveries"]}
    assert rows["Li Na"]["status"] == "invalid"
    assert rows["Li Na"]["reason"] == f"not sent: Team!C2: {problem}; {fix.removesuffix(', or set Digest to none')}"
    assert [rows[n]["status"] for n in ("Wang Lei", "Zhang Min")] == ["written", "written"]
    assert sorted(p.name for p in outbox.iterdir()) == [f"{MONDAY}-{a}.eml" for a in OTHERS]
    assert sorted(p.name for p in tmp_path.rglob("*.eml")) == [f"{MONDAY}-{a}.eml" for a in OTHERS]


def test_send_skips_the_bad_address_and_delivers_the_rest(make_campaign, tmp_path, capsys, monkeypatch,
                                                         smtp_server):  # noqa: F811
    campaign = with_li_na(make_campaign, "Li Na <li.na@agency.example.com>")
    for name, value in {"HOST": "127.0.0.1", "PORT": str(smtp_server.port), "SECURITY": "none",
                        "FROM": "digest@agency.example.com"}.items():
        monkeypatch.setenv(f"SHEETSYNC_SMTP_{name}", value)
    code = main(["digest", str(campaign.path), "--today", MONDAY, "--send", "--state", str(tmp_path / "state")])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == (
        "INVALID  Li Na <Li Na <li.na@agency.example.com>> (brief): not sent: Team!C2: "
        '"Li Na <li.na@agency.example.com>" has a name or angle brackets around the address; '
        "keep only the address itself, e.g. li.na@agency.example.com"
    )
    assert out.splitlines()[-1] == "1 invalid, 2 sent."
    assert sorted(r for m in smtp_server.handler.received for r in m.rcpt_tos) == OTHERS


def test_a_line_break_in_an_address_stays_one_line_of_output(make_campaign, tmp_path, capsys):
    campaign = with_li_na(make_campaign, "li.na@agency.example.com\nBcc: all@agency.example.com")
    code = main(["digest", str(campaign.path), "--today", MONDAY, "--outbox", str(tmp_path / "o"),
                 "--state", str(tmp_path / "state")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1 and len(lines) == 4 and lines[0].startswith("INVALID  Li Na <li.na@agency.example.com Bcc: ")


@pytest.mark.parametrize(
    "address",
    ["li.na@agency.example.com", "o'brien@x.example", "a+tag@x.example", "x_y-z@mail.x-y.example",
     "!#$%&'*+/=?^_`{|}~-@x.example", "LI.NA@AGENCY.EXAMPLE.COM"],
)
def test_good_addresses_pass_and_the_message_headers_take_them(address):
    assert address_problem(address) is None
    assert Address(addr_spec=address).addr_spec == address  # what render_message builds the To header from


def test_outbox_file_names_never_leave_the_folder(tmp_path: Path):
    message = email.message.EmailMessage(policy=email.policy.default)
    message["Subject"] = "x"
    message.set_content("x")
    folder = tmp_path / "deep" / "outbox"
    recipients = ["../../x@y.example", "..", "/etc/passwd", "..\\..\\x@y.example", "\x00@x", "王磊@例子.中国"]
    deliveries = write_outbox([(r, message) for r in recipients], folder)
    assert [Path(d.path).parent for d in deliveries] == [folder] * len(recipients)
    assert sorted(p.parent for p in tmp_path.rglob("*.eml")) == [folder] * len(recipients)
