"""The Google Sheets backend through the public CLI: init --gsheet, sync, check, digest, against the fake API."""

from __future__ import annotations

import json
import re
import socket

import pytest

from sheetsync.cli import main

pytest_plugins = ("fake_google.plugin",)


@pytest.fixture
def google_env(fake_google, tmp_path, monkeypatch):
    key = fake_google.service_account_file(tmp_path / "sa.json")
    monkeypatch.setenv("SHEETSYNC_SHEETS_ENDPOINT", fake_google.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    return fake_google


def test_init_sync_check_digest_on_a_google_sheet(google_env, tmp_path, capsys):
    code = main(["init", "--gsheet", "Serum launch", "--share", "li.na@agency.example.com", "--demo",
                 "--today", "2026-11-27"])
    out = capsys.readouterr().out
    assert code == 0, out
    url = re.search(r"https://docs.google.com/spreadsheets/d/\S+", out).group(0)
    assert "Shared with li.na@agency.example.com (Editor)." in out
    # Issue 14 item 8: the demo is synced by init, as `sheetsync demo` does, and the next step fits a demo.
    assert out.splitlines()[-1] == (
        f"Next: open {url} to see the flags; change a Status or a date, then run: sheetsync sync {url}"
    )
    assert "Launch 2026-12-" in out and "fill in the Project and Timeline tabs" not in out
    key = url.split("/d/")[1].split("/")[0]
    timeline = google_env.values(key, "Timeline")
    assert timeline[0][14] == "Flag" and "OVERDUE" in [row[14] for row in timeline[1:] if len(row) > 14]

    google_env.calls.clear()
    code = main(["sync", url, "--today", "2026-11-27", "--json"])
    first = json.loads(capsys.readouterr().out)
    assert code == 0 and first["changed_cells"] == 0 and [c.name for c in google_env.calls] == ["spreadsheets.get"]

    code = main(["check", f"gsheet:{key}", "--today", "2026-11-27", "--json"])
    assert json.loads(capsys.readouterr().out)["flags"] == first["flags"]

    code = main(["digest", f"gsheet:{key}", "--today", "2026-11-30", "--outbox", str(tmp_path / "outbox"),
                 "--state", str(tmp_path / "state")])
    assert code == 0 and len(list((tmp_path / "outbox").glob("*.eml"))) == 6


def test_no_access_is_one_line_that_says_whom_to_share_with(google_env, capsys):
    key = google_env.create_spreadsheet("Private", sheets=("Project", "Timeline"), share_with_service_account=False)
    code = main(["sync", f"gsheet:{key}"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "share the sheet with sheetsync-test@fake-project.iam.gserviceaccount.com" in err


def test_an_unreachable_token_endpoint_is_a_network_failure_not_a_refused_key(google_env, tmp_path, monkeypatch,
                                                                               capsys):
    """Issue 11, minor: a closed or unreachable oauth2 endpoint was reported as "Google refused the key"."""
    book = google_env.create_spreadsheet("Campaign", sheets=("Project", "Timeline"))
    with socket.socket() as probe:  # a local port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    key_file = tmp_path / "sa.json"
    key = json.loads(key_file.read_text())
    key_file.write_text(json.dumps({**key, "token_uri": f"http://127.0.0.1:{closed}/token"}))
    assert main(["check", f"gsheet:{book}"]) == 2
    assert capsys.readouterr().err == (
        f"Error: gsheet:{book}: cannot reach Google's sign-in endpoint 127.0.0.1 to get a token for "
        "sheetsync-test@fake-project.iam.gserviceaccount.com (connection refused); check the network connection "
        "and any proxy (HTTPS_PROXY), then try again.\n"
    )

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    unknown = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(  # a key Google never issued
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file.write_text(json.dumps({**key, "private_key": unknown.decode()}))
    assert main(["check", f"gsheet:{book}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: gsheet:{book}: Google refused the service-account key in {key_file} ")
    assert "invalid_grant" in err and "cannot reach" not in err
