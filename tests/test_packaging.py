"""A wheel, installed outside the repository, still finds its rule packs, digest templates and VBA project."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_venv_with_our_dependencies(venv: Path) -> None:
    """A fresh venv whose imports fall back on this environment's site-packages, where the dependencies are.

    Not `--system-site-packages`: run from a virtualenv (scripts/test's .venv), that would show the base
    interpreter's packages, not this environment's. A .pth in the venv lists our site directories after its
    own, so the installed wheel comes first; .pth files inside those directories (this environment's
    editable install of sheetsync) are not processed from there, so the repository stays out of sight.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    ours = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    (venv_site,) = (venv / "lib").glob("python3*/site-packages")
    (venv_site / "sheetsync-test-dependencies.pth").write_text("".join(f"{d}\n" for d in ours if os.path.isdir(d)))


def test_wheel_carries_the_templates_and_works_when_installed(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("sheetsync-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("templates/rules/zh.toml", "templates/digest/digest.html.j2", "templates/vba/vbaProject.bin"):
        assert any(name.endswith("share/sheetsync/" + needed) for name in names), needed

    # Nothing may point the installed copy back at the repository (test runs from a checkout may set both).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SHEETSYNC_TEMPLATES_DIR")}
    venv = tmp_path / "venv"
    make_venv_with_our_dependencies(venv)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-deps", str(wheel)],
        env=env, check=True, timeout=300,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import sheetsync, sheetsync.resources as r; print(sheetsync.__file__); "
         "print(r.templates_root())"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert str(venv) in where[0] and where[1] == str(venv / "share" / "sheetsync" / "templates")
    lint = subprocess.run([venv / "bin" / "sheetsync", "lint-copy", "全网最好的精华"], cwd=work, env=env, capture_output=True, text=True)
    assert lint.returncode == 1 and "绝对化用语" in lint.stdout  # the wheel carries the compiled catalogues too
    demo = subprocess.run([venv / "bin" / "sheetsync", "demo", "--today", "2026-11-27"], cwd=work, env=env,
                          capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    digest = subprocess.run(
        [venv / "bin" / "sheetsync", "digest", "sheetsync-demo/campaign-demo.xlsx", "--today", "2026-11-30"],
        cwd=work, env=env, capture_output=True, text=True,
    )
    assert digest.returncode == 0 and digest.stdout.rstrip().endswith("6 written."), digest.stderr
    init = subprocess.run([venv / "bin" / "sheetsync", "init", "buttons.xlsm"], cwd=work, env=env, capture_output=True, text=True)
    assert init.returncode == 0 and zipfile.ZipFile(work / "buttons.xlsm").read("xl/vbaProject.bin")
