"""`sheetsync baseline` on an old book (made before the baseline columns and Project rows existed), on the xlsx
file, live Excel and Google Sheets alike; and the baselined file opens in LibreOffice.

The helpers and the days are test_baseline_backends.py's.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
import test_baseline_backends as shared

from sheetsync.cli import main


def test_an_old_book_gains_the_same_columns_and_rows_on_every_backend(tmp_path, capsys):
    shared.assert_same_baseline(tmp_path, capsys, old=True)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_a_baselined_old_book(tmp_path, capsys):
    path = tmp_path / "campaign.xlsx"
    assert main(["init", str(path), "--demo", "--today", shared.BASELINE_DAY]) == 0
    shared.make_old_xlsx(path)
    assert main(["baseline", str(path), "--today", shared.BASELINE_DAY, "--name", "Sign-off"]) == 0
    capsys.readouterr()
    out = tmp_path / "csv"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(out),
         str(path)],
        check=True, capture_output=True, timeout=120,
    )
    with open(out / "campaign-Timeline.csv", encoding="utf-8", newline="") as fh:
        timeline = list(csv.reader(fh))
    assert timeline[0][-3:] == list(shared.COLUMNS)
    assert timeline[4][0] == "T4" and timeline[4][-3:] == ["2026-12-04", "2026-12-04", "2"]  # dates shown as dates
    with open(out / "campaign-Project.csv", encoding="utf-8", newline="") as fh:
        project = [row for row in csv.reader(fh) if row and row[0].startswith("Baseline")]
    assert [row[:2] for row in project] == [["Baseline", "Sign-off"], ["Baseline launch", "2026-12-24"]]
