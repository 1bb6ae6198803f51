"""The work behind scripts/build-catalogues: extract, update, check and compile the gettext catalogues.

Kept beside the script (not in the package): users never need Babel, only the
compiled .mo files the package ships. tests/test_catalogues.py runs `check()`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "sheetsync" / "locale"
LANGUAGES = ("en", "zh")
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # keeps the compiled files reproducible
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)[^{}]*\}(?!\})")

# Which catalogue file a message belongs to, by where in the package it is used (first match wins).
AREAS = (
    ("sheetsync/parse/cells.py", "schedule"),
    ("sheetsync/parse/schedule.py", "schedule"),
    ("sheetsync/engine/schedule.py", "schedule"),
    ("sheetsync/engine/calendar.py", "workbook"),
    ("sheetsync/parse/project.py", "workbook"),
    ("sheetsync/workbook.py", "backends"),
    ("sheetsync/errors.py", "backends"),
    ("sheetsync/parse/", "problems"),
    ("sheetsync/engine/", "problems"),
    ("sheetsync/analysis.py", "problems"),
    ("sheetsync/problems.py", "problems"),
    ("sheetsync/email_address.py", "problems"),
    ("sheetsync/digest/", "digest"),
    ("sheetsync/chat/wecom.py", "chat_wecom"),  # one file per platform: two people can add bots at once
    ("sheetsync/chat/dingtalk.py", "chat_dingtalk"),
    ("sheetsync/chat/feishu.py", "chat_feishu"),
    ("sheetsync/chat/slack.py", "chat_slack"),
    ("sheetsync/chat/", "chat"),
    ("sheetsync/serve/", "serve"),  # the web service behind the Sheets menu
    ("sheetsync/apps_script.py", "serve"),
    ("templates/digest/", "digest"),
    ("sheetsync/template/", "workbook"),
    ("sheetsync/contract.py", "workbook"),
    ("sheetsync/backends/", "backends"),
    ("sheetsync/", "report"),
)


@dataclass(frozen=True)
class Message:
    msgid: str | tuple[str, str]  # (singular, plural) for n_()
    area: str
    where: str  # path:line of its first use

    @property
    def key(self) -> str:
        return self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid


def area_of(path: str) -> str:
    return next(area for prefix, area in AREAS if path.startswith(prefix))


def extract() -> dict[str, Message]:
    """Every message the code and the digest templates use, by msgid, with the area of its first use."""
    found: dict[str, Message] = {}
    sources = (
        (ROOT / "sheetsync", "sheetsync/", [("**.py", "python")]),
        (ROOT / "templates" / "digest", "templates/digest/", [("**.j2", "jinja2.ext:babel_extract")]),
    )
    for folder, prefix, method_map in sources:
        for filename, lineno, msgid, _comments, _context in extract_from_dir(
            str(folder), method_map=method_map, keywords=KEYWORDS, options_map={"**.j2": {"trimmed": "true"}}
        ):
            if isinstance(msgid, tuple):
                msgid = tuple(m for m in msgid if m) if len(msgid) > 2 else msgid
                if len(msgid) == 1:
                    msgid = msgid[0]
            if not msgid:
                continue
            path = prefix + filename.replace("\\", "/")
            message = Message(msgid, area_of(path), f"{path}:{lineno}")
            found.setdefault(message.key, message)
    return found


def po_files(lang: str) -> list[Path]:
    return sorted((LOCALE / lang).glob("*.po"))


def read(path: Path, lang: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def new_catalogue(lang: str) -> Catalog:
    return Catalog(
        locale=lang, domain="sheetsync", project="sheetsync", creation_date=FIXED_DATE, revision_date=FIXED_DATE,
        fuzzy=False,
    )


def write(path: Path, catalogue: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=120, omit_header=False, sort_output=False, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def merged(lang: str) -> Catalog:
    """All of a language's .po files as one catalogue (what is compiled)."""
    catalogue = new_catalogue(lang)
    for path in po_files(lang):
        for message in read(path, lang):
            if message.id:
                catalogue[message.id] = message
    return catalogue


def update() -> list[str]:
    """Add the code's new messages to every language's area file (empty), drop those the code lost."""
    wanted = extract()
    report = []
    for lang in LANGUAGES:
        (LOCALE / lang).mkdir(parents=True, exist_ok=True)
        have: set[str] = set()
        for path in po_files(lang):
            catalogue = read(path, lang)
            for message in list(catalogue):
                if not message.id:
                    continue
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                if key in wanted:
                    have.add(key)
                else:
                    catalogue.delete(message.id)
                    report.append(f"{lang}/{path.name}: dropped {key!r}")
            write(path, catalogue)
        by_area: dict[str, list[Message]] = {}
        for key, message in wanted.items():
            if key not in have:
                by_area.setdefault(message.area, []).append(message)
        for area, messages in by_area.items():
            path = LOCALE / lang / f"{area}.po"
            catalogue = read(path, lang) if path.exists() else new_catalogue(lang)
            for message in messages:
                catalogue.add(message.msgid, string=("", "") if isinstance(message.msgid, tuple) else "")
                report.append(f"{lang}/{area}.po: added {message.key!r} ({message.where})")
            write(path, catalogue)
    return report


def compile_all() -> list[Path]:
    written = []
    for lang in LANGUAGES:
        catalogue = merged(lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalogue, use_fuzzy=False)
        target = LOCALE / lang / "LC_MESSAGES" / "sheetsync.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != buffer.getvalue():
            target.write_bytes(buffer.getvalue())
            written.append(target)
    return written


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _strings(message_id: object, string: object) -> Iterable[tuple[str, str]]:
    ids = message_id if isinstance(message_id, tuple) else (message_id,)
    strings = string if isinstance(string, tuple) else (string,)
    for i, text in enumerate(strings):
        yield ids[min(i, len(ids) - 1)], text or ""


def twice(lang: str) -> list[str]:
    """Messages in two of a language's .po files: only one translation is compiled, and which is chance."""
    seen: dict[str, str] = {}
    wrong = []
    for path in po_files(lang):
        for message in read(path, lang):
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in seen:
                wrong.append(f"{lang}: {key!r} is in both {seen[key]} and {path.name}; keep it in one")
            seen.setdefault(key, path.name)
    return wrong


def check() -> list[str]:
    """Everything wrong with the catalogues, one line each (empty: all good)."""
    wanted = extract()
    wrong = []
    for lang in LANGUAGES:
        catalogue = merged(lang)
        keys = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue if m.id}
        for key, message in wanted.items():
            if key not in keys:
                wrong.append(f"{lang}: missing {key!r} ({message.where}); run scripts/build-catalogues --update")
        for key, entry in keys.items():
            if key not in wanted:
                wrong.append(f"{lang}: {key!r} is no longer used; run scripts/build-catalogues --update")
                continue
            if entry.fuzzy:
                wrong.append(f"{lang}: {key!r} is marked fuzzy; check the translation and remove the flag")
            for msgid, text in _strings(entry.id, entry.string):
                if lang != "en" and not text:
                    wrong.append(f"{lang}: {msgid!r} has no translation ({wanted[key].where})")
                elif text and placeholders(text) != placeholders(msgid):
                    wrong.append(f"{lang}: the translation of {msgid!r} has placeholders {sorted(placeholders(text))}")
        wrong += twice(lang)
        compiled = LOCALE / lang / "LC_MESSAGES" / "sheetsync.mo"
        buffer = io.BytesIO()
        write_mo(buffer, catalogue, use_fuzzy=False)
        if not compiled.exists() or compiled.read_bytes() != buffer.getvalue():
            wrong.append(f"{lang}: {compiled.relative_to(ROOT)} is out of date; run scripts/build-catalogues")
    return wrong


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="build-catalogues", description=__doc__)
    parser.add_argument("--update", action="store_true", help="add new messages, drop unused ones, then compile")
    parser.add_argument("--check", action="store_true", help="report problems and exit 1 if there are any")
    args = parser.parse_args(argv)
    if args.check:
        wrong = check()
        print("\n".join(wrong) if wrong else "catalogues: complete and compiled")
        return 1 if wrong else 0
    if args.update:
        for line in update():
            print(line)
    for path in compile_all():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0
