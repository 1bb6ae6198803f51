"""Play the Google Sheets menu (templates/apps-script/) in Node, and read what its sidebar shows.

tests/apps_script/runner.js loads every .gs file of the project in a vm context over tests/apps_script/shim.js,
plays one scenario and prints everything the script did as JSON (each call, the menus, sidebars, dialogs,
properties, triggers, cells). Shared by tests/test_apps_script*.py, so both read a record the same way.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

from sheetsync.apps_script import FILES, template_folder

RUNNER = Path(__file__).parent / "apps_script" / "runner.js"
NODE = shutil.which("node") or "/usr/bin/node"


def run_scenario(folder: Path, scenario: str, config: dict) -> dict:
    """Play `scenario` with `config` (written into `folder`); the record of what the script did.

    The config file's name carries the thread's id, so scenarios played at once do not share it.
    """
    config = {"filesDir": str(template_folder()), **config}
    path = folder / f"{scenario}-{threading.get_ident()}.json"
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([NODE, str(RUNNER), scenario, str(path)], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    record = json.loads(done.stdout)
    assert record["failure"] is None, record["failure"]
    return record


def shown(page: str) -> str:
    """The text a person reads in a sidebar: its result block, tags dropped, entities decoded."""
    block = page.split('<div id="result">', 1)[1].split('<p id="status"', 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())


def script_text() -> str:
    """Every .gs file of the project, in FILES' order: the script as Apps Script sees it (one global scope)."""
    return "\n".join((template_folder() / name).read_text(encoding="utf-8") for name in FILES if name.endswith(".gs"))
