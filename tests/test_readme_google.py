"""The README's Google Sheets section, followed literally: a synced sheet, and each digest sent once.

The `$ ` lines of the section's console blocks run in order, each as its own `bash -c` in a
fresh HOME and XDG_STATE_HOME, against the fake Google of tests/fake_google and a real STARTTLS
SMTP server with a login. `sheetsync` is a shim in ~/.local/bin (where `pip install` puts it, and
what the README's env file puts on PATH) that runs `python -m sheetsync` from this checkout; the
cron lines of "Digests by email, from cron" that name a Google Sheet run this checkout's
scripts/cron-digest. The substitutions, and nothing else:

- `pip install "sheetsync[gsheets]"` is not run (no network here; installing is tested by
  test_packaging and test_readme_commands): the extra must exist and its requirements be installed.
- the key file: the service-account key the fake Google issues is saved where step 2 says,
  `~/sheetsync-key.json`, so the README's `export` line runs as written.
- `KEY` becomes the key of the sheet the previous step made (or the person made, for the fallback).
- `/home/you/sheetsync` (where the clone is) becomes this checkout.
- the env file: its host `smtp.agency.example` and port 587 become the local server's; its user,
  password and sender are used as written (the server accepts exactly that login, over STARTTLS with a
  certificate trusted through SSL_CERT_FILE). The console commands run with the file loaded, as the
  wrapper loads it (`set -a; . ~/.config/sheetsync/env`).
- the addresses (`you@agency.com`, the Team's) are kept: the fake Google and the local server take any.
- SHEETSYNC_SHEETS_ENDPOINT (documented in the section) points sheetsync at the fake Google.
- ~/.cache/sheetsync holds the rule packs' prepared cache, as after any earlier run (a first run's
  seconds-long check of every pack is test_copy_loading's subject, not this one's).

Removing a command from the section, or breaking one, fails this test: every kind of command the
walk-through needs must be found (the `seen` sets), and every command must exit 0.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from smtp_server import self_signed_cert, start_server  # noqa: F401  (pytest fixture)

from sheetsync import contract

pytest_plugins = ("fake_google.plugin",)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CLONE_PLACEHOLDER = "/home/you/sheetsync"
STORAGE_FULL = "The user's Drive storage quota has been exceeded."  # Google's 403 to a robot without storage


# --- reading the README ------------------------------------------------------------------------


def section(title: str) -> str:
    """The text under the heading `title` up to the next heading of any level (code blocks skipped)."""
    lines, inside, fenced = [], False, False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            if inside:
                break
            inside = line.lstrip("#").strip() == title
            continue
        if inside:
            lines.append(line)
    assert lines, f"README.md has no section {title!r}"
    return "\n".join(lines)


def blocks(text: str, info: str) -> list[list[str]]:
    """The code blocks of `text` whose info string is `info`, as lists of lines (indentation removed)."""
    found, current = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if current is None and stripped == f"```{info}":
            current = []
        elif current is not None and stripped == "```":
            found.append(current)
            current = None
        elif current is not None:
            current.append(stripped)
    return found


def console(text: str) -> list[tuple[str, list[str]]]:
    """Each `$ ` command of the console blocks, in order, with the output lines the README shows under it."""
    commands: list[tuple[str, list[str]]] = []
    for block in blocks(text, "console"):
        for line in block:
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands and line:
                commands[-1][1].append(line)
    return commands


def google_cron_lines() -> list[str]:
    """The README's cron lines that name a Google Sheet, as the command after the five time fields."""
    lines = [line for block in blocks(section("Digests by email, from cron"), "cron") for line in block]
    commands = [line.split(None, 5)[5] for line in lines if line and not line.startswith("#")]
    return [command for command in commands if "KEY" in command]


def env_file_text() -> str:
    (block,) = [b for b in blocks(section("Digests by email, from cron"), "sh") if b[0] == "# ~/.config/sheetsync/env"]
    return "\n".join(block) + "\n"


# --- the person's machine ----------------------------------------------------------------------


class Machine:
    """A fresh HOME and state folder with sheetsync 'installed', running the README's lines."""

    def __init__(self, tmp_path: Path, fake, cert: Path) -> None:
        self.home = tmp_path / "home"
        self.state = tmp_path / "xdg-state"
        self.tmp = tmp_path
        self.fake = fake
        bin_dir = self.home / ".local" / "bin"
        bin_dir.mkdir(parents=True)
        shim = bin_dir / "sheetsync"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sheetsync "$@"\n')
        shim.chmod(0o755)
        self.exports: list[str] = []  # the README's `export` lines run so far, as a shell keeps them
        self.env = {
            "HOME": str(self.home), "XDG_STATE_HOME": str(self.state), "PATH": f"{bin_dir}:/usr/bin:/bin",
            "PYTHONPATH": str(ROOT), "LANG": "en_US.UTF-8", "SSL_CERT_FILE": str(cert),
            "SHEETSYNC_TEMPLATES_DIR": os.environ.get("SHEETSYNC_TEMPLATES_DIR", str(ROOT / "templates")),
            "SHEETSYNC_SHEETS_ENDPOINT": fake.url,
            **({"TZ": os.environ["TZ"]} if "TZ" in os.environ else {}),
        }

    def write_env_file(self, port: int) -> Path:
        text = env_file_text()
        for line, ours in (("SHEETSYNC_SMTP_HOST=smtp.agency.example", "SHEETSYNC_SMTP_HOST=127.0.0.1"),
                           ("SHEETSYNC_SMTP_PORT=587", f"SHEETSYNC_SMTP_PORT={port}")):
            assert line in text.splitlines(), f"the README's env file no longer has {line}"
            text = text.replace(line, ours)
        path = self.home / ".config" / "sheetsync" / "env"
        path.parent.mkdir(parents=True)
        path.write_text(text)
        path.chmod(0o600)
        return path

    def env_value(self, name: str) -> str:
        return self.run(f'printf %s "${name}"').stdout

    def run(self, command: str, folder: str = "work") -> subprocess.CompletedProcess:
        cwd = self.tmp / folder
        cwd.mkdir(exist_ok=True)
        env_file = self.home / ".config" / "sheetsync" / "env"
        script = "\n".join(
            [f"set -a; . {env_file}; set +a" if env_file.exists() else ":", *self.exports, command]
        )
        return subprocess.run(["bash", "-c", script], cwd=cwd, env=self.env, capture_output=True, text=True,
                              timeout=120)

    def ok(self, command: str, folder: str = "work") -> str:
        run = self.run(command, folder)
        assert run.returncode == 0, f"README command failed: $ {command}\n{run.stdout}{run.stderr}"
        return run.stdout


def gsheets_extra_is_installed(command: str) -> None:
    """`pip install "sheetsync[gsheets]"`: the extra exists and what it installs is installed here."""
    (extra,) = re.fullmatch(r'pip install "sheetsync\[(\w+)\]"', command).groups()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["optional-dependencies"][extra]:
        importlib.metadata.version(re.split(r"[<>=!~ \[]", requirement)[0])


def key_of(url: str) -> str:
    return re.search(r"/d/([^/\s]+)", url).group(1)


def laid_out(fake, key: str) -> None:
    """The template's tabs, frozen headers, strict dropdowns, date formats, flag colours, protections."""
    book = fake.spreadsheet(key)
    assert [sheet.title for sheet in book.sheets][: len(contract.SHEETS)] == [s.label("en") for s in contract.SHEETS]
    timeline = book.sheet_by_title("Timeline")
    assert timeline.grid["frozenRowCount"] == 1
    assert fake.cell(key, "Timeline!H500")["dataValidation"]["strict"] is True
    assert fake.cell(key, "Timeline!L2")["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert timeline.conditional_formats
    assert timeline.protected_ranges and all(p["warningOnly"] for p in timeline.protected_ranges)


def flags(fake, key: str) -> list[str]:
    column = contract.TIMELINE.columns.index(next(c for c in contract.TIMELINE.columns if c.name == "Flag"))
    return [row[column] if len(row) > column else "" for row in fake.values(key, "Timeline")[1:]]


def due_today(fake, key: str) -> set[str]:
    """The Team's addresses whose digest is due today (daily: every run; weekly: on Mondays)."""
    header, *rows = fake.values(key, "Team")
    col = {name: header.index(name) for name in ("Email", "Digest", "Cadence")}
    monday = dt.date.today().weekday() == 0
    return {
        row[col["Email"]] for row in rows
        if len(row) > col["Cadence"] and row[col["Digest"]] in ("brief", "detailed")
        and (row[col["Cadence"]] == "daily" or (row[col["Cadence"]] == "weekly" and monday))
    }


@pytest.fixture
def machine(fake_google, tmp_path, self_signed_cert, prepared_copy_rules):  # noqa: F811
    machine = Machine(tmp_path, fake_google, self_signed_cert[0])
    prepared_copy_rules(machine.home)  # ~/.cache/sheetsync as after any earlier run: no seconds-long pack check
    fake_google.service_account_file(machine.home / "sheetsync-key.json")  # step 2: "save the file, e.g. …"
    return machine


@pytest.fixture
def smtp(machine, self_signed_cert):  # noqa: F811
    """The SMTP server the README's env file describes: STARTTLS on its port, with its login."""
    shell = env_file_text() + 'printf "%s\\n%s" "$SHEETSYNC_SMTP_USER" "$SHEETSYNC_SMTP_PASSWORD"'
    user, password = subprocess.run(["bash", "-c", shell], capture_output=True, text=True).stdout.split("\n")
    controller, server = start_server(tls="starttls", cert=self_signed_cert, user=user, password=password)
    machine.write_env_file(server.port)
    try:
        yield server
    finally:
        controller.stop()


def test_the_google_section_reaches_a_synced_sheet_and_digests_sent_once(machine, smtp):
    fake, seen, key = machine.fake, set(), None
    for command, shown in console(section("Google Sheets")):
        if command.startswith("pip install"):
            gsheets_extra_is_installed(command)
            seen.add("install")
        elif command.startswith("export "):
            machine.ok(command)
            machine.exports.append(command)
            assert machine.env_value("GOOGLE_APPLICATION_CREDENTIALS") == str(machine.home / "sheetsync-key.json")
            seen.add("credentials")
        elif command.startswith("sheetsync init --gsheet"):
            out = machine.ok(command).splitlines()
            # The README elides the key ("1q7t…"): any key matches there.
            pattern = re.escape(re.sub(r"[^/\s]*…", "ELIDED", shown[0])).replace("ELIDED", r"[^/\s]+")
            assert re.fullmatch(pattern, out[0]), (shown, out)  # what the README shows it prints
            key = key_of(out[0])
            laid_out(fake, key)
            assert fake.spreadsheet(key).permissions["you@agency.com"] == "writer"
            assert "OVERDUE" in flags(fake, key)  # the demo is synced by init
            seen.add("create")
        elif "KEY" in command and command.startswith("sheetsync init "):
            continue  # the fallback: test_the_fallback_for_a_robot_without_drive_storage
        elif re.match(r"sheetsync (sync|check) ", command):
            assert key, f"`$ {command}` comes before any command that makes a sheet"
            verb = command.split()[1]
            before = flags(fake, key)
            if verb == "sync":  # computed columns emptied by hand: the sync writes every flag again
                fake.set_values(key, f"Timeline!O2:O{len(before) + 1}", [[""]] * len(before))
                assert set(flags(fake, key)) == {""}
            machine.ok(command.replace("KEY", key))
            assert flags(fake, key) == before
            seen.add(verb)
        elif re.match(r"sheetsync digest \S+ --send$", command):
            target = command.replace("KEY", key)
            machine.ok(target, folder="morning")
            received = [r for m in smtp.handler.received for r in m.rcpt_tos]
            due = due_today(fake, key)
            assert len(due) >= 5 and sorted(received) == sorted(due)  # each Team member once
            assert (machine.state / "sheetsync" / "sent.sqlite").exists()
            assert not (machine.tmp / "morning" / ".sheetsync").exists()
            machine.ok(target, folder="elsewhere")  # the same day, another folder: nothing again
            assert len(smtp.handler.received) == len(due)
            subject = email.message_from_bytes(smtp.handler.received[0].data, policy=email.policy.default)["Subject"]
            assert "Serum launch" in subject or "Qinrun" in subject
            seen.add("send")
        else:
            pytest.fail(f"the Google section has a command this walk-through does not know: $ {command}")
    assert seen == {"install", "credentials", "create", "sync", "check", "send"}, seen

    # The cron lines for a Google Sheet (Viewer: --digest-only; Editor: --sync-only) on the same sheet.
    if shutil.which("flock") is None:
        pytest.skip("flock (util-linux) is not installed")
    cron = google_cron_lines()
    assert {line.split()[1] for line in cron} == {"--digest-only", "--sync-only"}, cron
    for line in cron:
        assert line.startswith(f"{CLONE_PLACEHOLDER}/scripts/cron-digest "), line
        run = machine.run(line.replace(CLONE_PLACEHOLDER, str(ROOT)).replace("KEY", key), folder="cron")
        log = (machine.home / ".local" / "state" / "sheetsync" / "cron.log").read_text()
        assert (run.returncode, run.stderr) == (0, ""), log
    assert len(smtp.handler.received) == len(due_today(fake, key))  # cron sent nothing again either
    assert "digest --send exit 0" in log and "sync exit 0" in log


def test_the_fallback_for_a_robot_without_drive_storage(machine):
    """init --gsheet fails without Drive storage; a sheet the person made and shared is laid out instead."""
    fake, seen = machine.fake, set()
    for command, _shown in console(section("Google Sheets")):
        if command.startswith("export "):
            machine.exports.append(command)
        elif command.startswith("sheetsync init --gsheet"):
            fake.fail_next(1, 403, "spreadsheets.create", STORAGE_FULL)
            run = machine.run(command)
            assert run.returncode == 2 and fake.spreadsheet_ids() == [], run.stderr
            assert "create an empty Google Sheet yourself" in run.stderr, run.stderr
            assert "sheetsync init" in run.stderr, run.stderr  # the advice leads to the fallback, not to `sync`
            # The person creates an empty sheet and shares it with the service account (Editor).
            key = fake.create_spreadsheet("Serum launch", sheets=("Sheet1",), share_with_service_account=False)
            fake.share(key, role="writer")
            seen.add("refused")
        elif "KEY" in command and command.startswith("sheetsync init "):
            assert "refused" in seen, "the fallback comes before `init --gsheet` in the README"
            machine.ok(command.replace("KEY", key))
            laid_out(fake, key)
            assert "OVERDUE" in flags(fake, key)  # init --demo synced it: the sheet works as made by init --gsheet
            seen.add("fallback")
    assert seen == {"refused", "fallback"}, seen
