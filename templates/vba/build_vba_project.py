"""Regenerate templates/vba/vbaProject.bin: the VBA project that `sheetsync init campaign.xlsm` embeds.

Why a script and a committed binary: an .xlsm's macros live in an OLE
compound file (MS-OVBA) that XlsxWriter can embed but not create. LibreOffice
can: in VBA-compatibility mode its xlsm export writes the Basic library as a
source-only VBA project (MS-OVBA 2.3.4.1: the _VBA_PROJECT version 0xFFFF
tells Excel to compile the source on open). So this script drives LibreOffice
headless through UNO and keeps the binary it writes.

The project holds
- ``Sheetsync`` (templates/vba/Sheetsync.bas): the three button macros, each a
  ``RunPython "import sheetsync.excel as s; s.<entry point>()"``;
- ``xlwings`` and ``Dictionary``: xlwings' own standalone VBA module (which
  defines RunPython) and its Mac dictionary class, copied from the installed
  xlwings package, exactly what ``xlwings quickstart --standalone`` embeds;
  the workbook then needs no xlwings add-in. Like any standalone xlwings
  workbook it calls the xlwings DLL of that same version, so the Python
  environment must have the xlwings version this script ran with (printed);
- document modules ``ThisWorkbook`` and ``Sheet1``..``SheetN``, the code
  names XlsxWriter gives the workbook and its sheets when a VBA project is
  added, so Excel finds a module for every sheet of the template.

Run it with the project's Python (LibreOffice's Python-UNO is found by itself):

    python templates/vba/build_vba_project.py

Re-run it after editing Sheetsync.bas or upgrading xlwings, then commit the
new vbaProject.bin. Each run gives a new project ID, hence different bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "vbaProject.bin"
MACROS = HERE / "Sheetsync.bas"
# Interpreters that ship LibreOffice's "uno" module (Debian/Ubuntu package python3-uno, the bundled one on Windows/Mac).
UNO_PYTHONS = (
    "/usr/bin/python3",
    "/usr/lib/libreoffice/program/python",
    "/Applications/LibreOffice.app/Contents/Resources/python",
)
_ATTRIBUTE = re.compile(r"^\s*Attribute\s+VB_\w+\s*=.*$", re.IGNORECASE | re.MULTILINE)
_MAC_DICTIONARY = "    Dim d As Dictionary\n    Set d = New Dictionary\n"
_MAC_OBJECT = '    Dim d As Object\n    Set d = CreateObject("Scripting.Dictionary")\n'


def vba_source(path: Path) -> str:
    """A module's code as LibreOffice stores it: without the VB_ attribute lines.

    The exporter writes its own ``Attribute VB_Name`` line; one left in the
    source would come out twice (the second commented out).
    """
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    return _ATTRIBUTE.sub("", text).lstrip("\n")


def xlwings_source(package: Path) -> str:
    """xlwings' standalone module, with its one use of the Mac Dictionary class replaced.

    LibreOffice cannot export class modules (no ``Class=`` entry, no class
    attributes), so the project leaves out xlwings' Dictionary class, and the
    Mac branch that declares one would not compile. It is only reached when the
    workbook has an ``xlwings.conf`` sheet, which the template has not; with
    the generic Object the module compiles on a Mac too.
    """
    code = vba_source(package / "xlwings.bas")
    if _MAC_DICTIONARY not in code:
        raise SystemExit(f"{package / 'xlwings.bas'} changed; update _MAC_DICTIONARY in {Path(__file__).name}.")
    return code.replace(_MAC_DICTIONARY, _MAC_OBJECT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write the binary (default {OUTPUT})")
    parser.add_argument("--uno-python", help="a Python that can `import uno` (default: found among the usual ones)")
    parser.add_argument("--lo-worker", nargs=2, metavar=("SPEC", "XLSM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.lo_worker:
        return _lo_worker(Path(args.lo_worker[0]), Path(args.lo_worker[1]))

    import xlwings

    from sheetsync.contract import SHEETS

    package = Path(xlwings.__file__).parent
    modules = [("Sheetsync", vba_source(MACROS)), ("xlwings", xlwings_source(package))]
    uno_python = args.uno_python or _find_uno_python()
    with tempfile.TemporaryDirectory(prefix="sheetsync-vba-") as tmp:
        spec = Path(tmp) / "spec.txt"
        xlsm = Path(tmp) / "project.xlsm"
        seed = Path(tmp) / "seed.xlsm"  # a plain path: LibreOffice failed to open it inside a dot-folder (~/.pyenv)
        shutil.copyfile(package / "quickstart_standalone.xlsm", seed)
        _write_spec(spec, seed, len(SHEETS), modules)
        subprocess.run([uno_python, __file__, "--lo-worker", str(spec), str(xlsm)], check=True)
        with zipfile.ZipFile(xlsm) as package_zip:
            args.output.write_bytes(package_zip.read("xl/vbaProject.bin"))
    print(f"Wrote {args.output} ({args.output.stat().st_size} bytes) with xlwings {xlwings.__version__}'s VBA module.")
    return 0


def _find_uno_python() -> str:
    for candidate in (sys.executable, *UNO_PYTHONS):
        if Path(candidate).exists() and subprocess.run(
            [candidate, "-c", "import uno"], capture_output=True
        ).returncode == 0:
            return candidate
    raise SystemExit("No Python with LibreOffice's uno module found; install python3-uno or pass --uno-python.")


# The spec handed to the LibreOffice side is plain text, because that side runs
# under another interpreter: the seed workbook, the sheet count, then
# "@@ name" headers each followed by the module's code.


def _write_spec(spec: Path, seed: Path, sheet_count: int, modules: list[tuple[str, str]]) -> None:
    parts = [f"{seed}\n{sheet_count}\n"]
    parts += [f"@@ {name}\n{code}" for name, code in modules]
    spec.write_text("".join(parts), encoding="utf-8")


def _read_spec(spec: Path) -> tuple[Path, int, list[tuple[str, str]]]:
    head, *chunks = re.split(r"^@@ ", spec.read_text(encoding="utf-8"), flags=re.MULTILINE)
    seed, count = head.splitlines()
    modules = []
    for chunk in chunks:
        name, _, code = chunk.partition("\n")
        modules.append((name.strip(), code))
    return Path(seed), int(count), modules


def _lo_worker(spec: Path, xlsm: Path) -> int:  # pragma: no cover - runs under LibreOffice's Python
    """Inside a uno-capable Python: build a Calc document with the VBA library, save it as .xlsm."""
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.script import ModuleInfo

    def prop(name: str, value: object) -> PropertyValue:
        item = PropertyValue()
        item.Name, item.Value = name, value
        return item

    seed, sheet_count, modules = _read_spec(spec)
    pipe = f"sheetsync_vba_{os.getpid()}"
    profile = Path(tempfile.mkdtemp(prefix="sheetsync-lo-profile-"))
    office = subprocess.Popen(
        [shutil.which("soffice") or "soffice", "--headless", "--invisible", "--nologo", "--norestore",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start.")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        # Start from xlwings' standalone quickstart workbook: LibreOffice imports its
        # document modules (ThisWorkbook, Sheet1, Sheet2) with their Workbook and
        # Worksheet objects, which the exporter needs to write each one's VB_Base.
        doc = desktop.loadComponentFromURL(seed.resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {seed}.")
        libraries = doc.BasicLibraries
        library = libraries.getByName(libraries.ProjectName)
        module_type = uno.getConstantByName("com.sun.star.script.ModuleType.DOCUMENT")
        for name in library.getElementNames():
            if library.getModuleInfo(name).ModuleType != module_type:
                library.removeByName(name)  # the quickstart's own macros and the class LibreOffice cannot export
                if library.hasModuleInfo(name):
                    library.removeModuleInfo(name)
        sheets = doc.Sheets
        while sheets.Count < sheet_count:  # in VBA mode each new sheet gets its document module
            sheets.insertNewByName(f"S{sheets.Count + 1}", sheets.Count)
        for name, code in modules:
            library.insertByName(name, code)
            info = ModuleInfo()
            info.ModuleType = uno.getConstantByName("com.sun.star.script.ModuleType.NORMAL")
            library.insertModuleInfo(name, info)
        doc.storeToURL(xlsm.resolve().as_uri(), (prop("FilterName", "Calc MS Excel 2007 VBA XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge drops as LibreOffice quits
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
