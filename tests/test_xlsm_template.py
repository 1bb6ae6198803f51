"""`sheetsync init campaign.xlsm`: a macro-enabled template whose buttons run sheetsync in Excel.

No Excel here, so the workbook is checked the way Excel would find it: the
macros as oletools' olevba extracts them from xl/vbaProject.bin, the button
form controls in the Project sheet's VML drawing, the code names that tie
sheets to the project's document modules, LibreOffice opening it headless,
and a sync through the file backend leaving the macros and buttons alone.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser

import sheetsync
from sheetsync import excel
from sheetsync.cli import main
from sheetsync.contract import SHEETS
from sheetsync.template import build_workbook
from sheetsync.template.xlsm import BUTTONS, vba_project_path

TODAY = dt.date(2026, 3, 2)
REPO = Path(__file__).resolve().parents[1]
VBA_FOLDER = REPO / "templates" / "vba"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ATTRIBUTE = re.compile(r"^Attribute VB_\w+ = .*$\n?", re.MULTILINE)


def macros(path: Path) -> dict[str, str]:
    """Module file name (Sheetsync.bas, ThisWorkbook.cls…) → its code, as olevba extracts it."""
    parser = VBA_Parser(str(path))
    try:
        return {name: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_all_macros()}
    finally:
        parser.close()


def code_without_attributes(code: str) -> str:
    return ATTRIBUTE.sub("", code).strip()


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    """What `sheetsync init campaign.xlsm` makes."""
    path = tmp_path_factory.mktemp("init") / "campaign.xlsm"
    assert main(["init", str(path)]) == 0
    return path


def test_each_button_macro_runs_its_entry_point_through_run_python(campaign):
    modules = macros(campaign)
    sheetsync_module = modules["Sheetsync.bas"]
    for button in BUTTONS:
        pattern = rf"^Sub {button.macro}\(\)\n\s+{re.escape(button.run_python)}\nEnd Sub$"
        assert re.search(pattern, sheetsync_module, re.MULTILINE), button.macro
        assert callable(getattr(excel, button.entry_point)), button.entry_point
    assert button.run_python == 'RunPython "import sheetsync.excel as s; s.check_copy()"'


def test_run_python_comes_from_the_embedded_xlwings_module_of_the_installed_version(campaign):
    """Standalone xlwings: no add-in needed, but its VBA calls the xlwings DLL of exactly this version."""
    import xlwings

    xlwings_module = macros(campaign)["xlwings.bas"]
    assert re.search(r"^Public Function RunPython\(PythonCommand As String\)", xlwings_module, re.MULTILINE)
    assert f"'Version: {xlwings.__version__}" in xlwings_module, (
        "templates/vba/vbaProject.bin embeds another xlwings version: run python templates/vba/build_vba_project.py"
    )
    assert "As Dictionary" not in xlwings_module  # the Mac-only class the project cannot carry (see build script)


def test_the_committed_project_holds_the_macros_of_sheetsync_bas(campaign):
    embedded = code_without_attributes(macros(campaign)["Sheetsync.bas"])
    source = (VBA_FOLDER / "Sheetsync.bas").read_text(encoding="utf-8").replace("\r\n", "\n").strip()
    assert embedded == source, "templates/vba/vbaProject.bin is stale: run python templates/vba/build_vba_project.py"


def test_every_sheet_code_name_has_its_document_module(campaign):
    package = zipfile.ZipFile(campaign)
    project = olefile.OleFileIO(package.read("xl/vbaProject.bin")).openstream("PROJECT").read().decode("latin-1")
    documents = set(re.findall(r"^Document=(\w+)/", project, re.MULTILINE))
    workbook_xml = package.read("xl/workbook.xml").decode()
    assert 'codeName="ThisWorkbook"' in workbook_xml and "ThisWorkbook" in documents
    for index in range(1, len(SHEETS) + 1):
        sheet_xml = package.read(f"xl/worksheets/sheet{index}.xml").decode()
        code_name = re.search(r'<sheetPr[^>]*codeName="(\w+)"', sheet_xml).group(1)
        assert code_name in documents, f"sheet{index}.xml: no document module {code_name}"
    base = {name: re.search(r'Attribute VB_Base = "0\{(\w+)-', code).group(1)
            for name, code in macros(campaign).items() if name.endswith(".cls")}
    assert base.pop("ThisWorkbook.cls") == "00020819"  # Excel's Workbook class
    assert set(base.values()) == {"00020820"}  # Worksheet


@pytest.mark.parametrize(("lang", "sheet"), [("en", "Project"), ("zh", "项目")])
def test_the_buttons_on_the_project_sheet_call_the_macros(tmp_path, lang, sheet):
    path = build_workbook(tmp_path / f"campaign-{lang}.xlsm", lang=lang)
    package = zipfile.ZipFile(path)
    vml = package.read(_project_vml(package, sheet)).decode()
    buttons = re.findall(
        r'<font[^>]*>([^<]+)</font>.*?<x:ClientData ObjectType="Button">.*?<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>', vml
    )
    assert buttons == [(b.caption(lang), b.macro) for b in BUTTONS]


def _project_vml(package: zipfile.ZipFile, title: str) -> str:
    """The VML drawing (legacy form controls) of the sheet titled ``title``."""
    workbook_xml = package.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet name="{title}" sheetId="\d+" r:id="(rId\d+)"', workbook_xml).group(1)
    rels = package.read("xl/_rels/workbook.xml.rels").decode()
    sheet_part = "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
    sheet_xml = package.read(sheet_part).decode()
    drawing_rid = re.search(r'<legacyDrawing r:id="(rId\d+)"', sheet_xml).group(1)
    sheet_rels = package.read(sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
    target = re.search(rf'Id="{drawing_rid}"[^>]*Target="([^"]+)"', sheet_rels).group(1)
    return "xl/" + target.removeprefix("../")


def test_the_workbook_is_macro_enabled(campaign):
    types = zipfile.ZipFile(campaign).read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types


def test_a_missing_vba_project_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SHEETSYNC_TEMPLATES_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(sheetsync.TargetError, match=r"vbaProject\.bin is missing: it holds the workbook's macros"):
        build_workbook(tmp_path / "campaign.xlsm")
    assert not (tmp_path / "campaign.xlsm").exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it_headless(tmp_path):
    path = build_workbook(tmp_path / "campaign.xlsm", demo=True, today=TODAY)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "campaign.pdf").stat().st_size > 1000


def test_syncing_with_the_file_backend_keeps_the_macros_and_buttons(tmp_path):
    path = build_workbook(tmp_path / "campaign.xlsm", demo=True, today=TODAY)
    before = zipfile.ZipFile(path)
    kept = {name: before.read(name) for name in before.namelist() if name == "xl/vbaProject.bin" or "vmlDrawing" in name}
    project_sheet = before.read("xl/worksheets/sheet1.xml")

    report = sheetsync.open(path).sync(today=TODAY)

    assert report.written and report.changed_cells > 0
    after = zipfile.ZipFile(path)
    assert {name: after.read(name) for name in kept} == kept
    assert after.read("xl/worksheets/sheet1.xml") == project_sheet  # the Project sheet has no computed cells
    assert macros(path)["Sheetsync.bas"] == macros(tmp_path / "campaign.bak.xlsm")["Sheetsync.bas"]


def _uno_python() -> str | None:
    for candidate in (sys.executable, "/usr/bin/python3"):
        if Path(candidate).exists() and subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or _uno_python() is None, reason="needs LibreOffice and its Python-UNO bridge")
def test_the_build_script_regenerates_the_same_modules(tmp_path):
    """The binary is reproducible from its sources, up to the project ID LibreOffice draws at random."""
    fresh = tmp_path / "vbaProject.bin"
    subprocess.run([sys.executable, str(VBA_FOLDER / "build_vba_project.py"), "--output", str(fresh)],
                   check=True, capture_output=True, timeout=300)

    def modules(binary: Path) -> dict[str, str]:
        parser = VBA_Parser("vbaProject.bin", data=binary.read_bytes())
        return {name: code for _, _, name, code in parser.extract_all_macros()}

    assert modules(fresh) == modules(vba_project_path())
