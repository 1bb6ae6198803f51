"""The README's two commands work from a clean clone on a stock Debian or Ubuntu machine.

There /usr/bin/python3 is externally managed (PEP 668): pip refuses to install into it, so
scripts/demo and scripts/test must make and use the project's .venv (apt-installing python3.X-venv
when it is missing). Both run here in a fresh clone of this checkout's HEAD (commit first: the clone
holds no uncommitted change), with that python3 first on PATH and no virtualenv active. The inner
scripts/test runs the packaging test, which builds its own venv from the .venv's interpreter.
Takes a minute or two: pip installs sheetsync and its test dependencies into the new .venv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
INSIDE = "SHEETSYNC_README_COMMANDS_TEST"  # set in the clone's runs, so that they never start this test again
HINT = "sheetsync is installed in .venv: run `. .venv/bin/activate` to use the sheetsync command in this shell."

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get(INSIDE)), reason="already inside the README commands test"),
]


def can_make_venvs() -> bool:
    """System python3 can make a venv now, or scripts can apt-install its venv module (root or sudo without a password)."""
    if subprocess.run([SYSTEM_PYTHON, "-c", "import ensurepip, venv"], capture_output=True).returncode == 0:
        return True
    if os.geteuid() == 0:
        return True
    sudo = shutil.which("sudo")
    return sudo is not None and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clean clone of this checkout's HEAD."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = subprocess.run(["git", "-C", REPO, "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", REPO, clone], check=True, timeout=120)
    subprocess.run(["git", "-C", clone, "checkout", "--quiet", head.stdout.strip()], check=True, timeout=120)
    return clone


@pytest.fixture
def stock_shell(tmp_path: Path) -> dict[str, str]:
    """A login shell's environment on a stock machine: system python3 first on PATH, no virtualenv active."""
    if not SYSTEM_PYTHON.exists():
        pytest.skip(f"no {SYSTEM_PYTHON}: this test is about Debian's and Ubuntu's system python3")
    if subprocess.run([SYSTEM_PYTHON, "-c", "import sys; sys.exit(sys.version_info < (3, 11))"]).returncode:
        pytest.skip(f"{SYSTEM_PYTHON} is older than 3.11, which sheetsync needs")
    if not can_make_venvs():
        pytest.skip(f"{SYSTEM_PYTHON} has no venv module and apt-get needs root or sudo without a password")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python3 = bin_dir / "python3"  # a wrapper, not a symlink: the venv's home is /usr/bin, as for a person
    python3.write_text(f'#!/bin/sh\nexec {SYSTEM_PYTHON} "$@"\n')
    python3.chmod(0o755)
    rest = [d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d).parent / "pyvenv.cfg").exists()]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "SHEETSYNC_TEMPLATES_DIR") and not k.startswith("PYTEST")
    }
    return {**env, "PATH": os.pathsep.join([str(bin_dir), *rest]), INSIDE: "1"}


def readme_demo_output() -> list[str]:
    """The lines the README shows under `$ sheetsync demo --today 2026-11-27`."""
    block = re.search(r"\$ sheetsync demo --today 2026-11-27\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    assert block, "README.md shows no `sheetsync demo --today 2026-11-27` run"
    return block.group(1).splitlines()


def test_readme_commands_work_with_the_system_python_from_a_clean_clone(clone: Path, stock_shell: dict[str, str]):
    demo = subprocess.run(
        ["scripts/demo", "--today", "2026-11-27"], cwd=clone, env=stock_shell, capture_output=True, text=True,
        timeout=900,
    )
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.splitlines() == [*readme_demo_output(), HINT]
    assert (clone / "sheetsync-demo" / "campaign-demo.xlsx").is_file()
    made_by = re.search(r"^executable = (.+)$", (clone / ".venv" / "pyvenv.cfg").read_text(), re.M)
    assert made_by and Path(made_by.group(1)).resolve() == SYSTEM_PYTHON.resolve()

    # The demo's python3-venv (if it was missing) is in now; the suite's other Debian packages are not needed here.
    test = subprocess.run(
        ["scripts/test", "tests/test_packaging.py", "-p", "no:cacheprovider"], cwd=clone,
        env={**stock_shell, "SHEETSYNC_SKIP_APT": "1"}, capture_output=True, text=True, timeout=900,
    )
    assert test.returncode == 0, test.stdout + test.stderr
    assert re.search(r"^1 passed in ", test.stdout, re.M), test.stdout
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""
