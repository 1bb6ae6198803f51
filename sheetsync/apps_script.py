"""The Google Sheets menu: write the Apps Script project (templates/apps-script/) into a folder for `clasp push`.

Apps Script cannot run Python, so the menu in the sheet calls `sheetsync serve`; these files are that
menu. They are written as shipped: a file already there with other content (someone's edit) is left
alone unless the caller says `--replace` (sqlite-utils' word; every other command's --force means
"open it though Excel has it open"), and every check is made before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .i18n import _
from .resources import templates_root

# What `clasp push` uploads: the script (three .gs files sharing one global scope, as Apps Script runs
# them: the menu, the words in both languages, the service calls), its two pages and the style they
# include, and the manifest (scopes, runtime).
FILES = (
    "Code.gs", "Texts.gs", "Service.gs", "Sidebar.html", "Settings.html", "Style.html", "appsscript.json",
)
CLASP_FILE = ".clasp.json"


@dataclass(frozen=True)
class WrittenFile:
    """One file of the project and what became of it: "written", "replaced" or "unchanged"."""

    path: Path
    outcome: str


def template_folder() -> Path:
    """Where the shipped Apps Script files are (the repository's templates/, or a wheel's share/)."""
    return templates_root() / "apps-script"


def project_files(script_id: str | None = None) -> dict[str, str]:
    """Each file's name and text; `.clasp.json` too when the Apps Script project's id is given."""
    folder = template_folder()
    files = {name: (folder / name).read_text(encoding="utf-8") for name in FILES}
    if script_id:
        files[CLASP_FILE] = json.dumps({"scriptId": script_id}, indent=2) + "\n"
    return files


def write_project(folder: Path, *, script_id: str | None = None, replace: bool = False) -> list[WrittenFile]:
    """Write the Apps Script project into `folder`; a file there with other content is replaced only with `replace`.

    Raises UsageError naming every changed file, before writing anything, so a half-updated
    project never reaches `clasp push`.
    """
    if script_id is not None and not script_id.strip():
        raise UsageError(_("--script-id needs the script's id (Apps Script editor: Project Settings → Script ID)."))
    files = project_files(script_id.strip() if script_id else None)
    if folder.exists() and not folder.is_dir():
        raise UsageError(_("{folder} is a file; name a folder for the Apps Script files.", folder=folder))
    existing = {name: _read(folder / name) for name in files}
    changed = [name for name, text in existing.items() if text is not None and text != files[name]]
    if changed and not replace:
        raise UsageError(
            _(
                "{folder} holds edited copies ({files}); keep your edits elsewhere, or add --replace to replace them.",
                files=", ".join(changed), folder=folder,
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        if existing[name] == text:
            written.append(WrittenFile(path, "unchanged"))
            continue
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(WrittenFile(path, "replaced" if existing[name] is not None else "written"))
    return written


def _read(path: Path) -> str | None:
    """The file's text, None when it is not there; a folder or unreadable file in the way is the caller's to fix."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(_("Cannot read {path}: {reason}", path=path, reason=exc.strerror or exc)) from exc
