"""Sync a real .xlsx built from the template, through the CLI, and check cell by cell what was written."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
from conftest import TODAY

from sheetsync.cli import main
from sheetsync.contract import sheet_spec

D = dt.datetime


def run_cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_sync_writes_the_hand_worked_plan_cell_by_cell(make_campaign, capsys):
    campaign = make_campaign()
    before = campaign.human_cells()
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", TODAY.isoformat())
    assert code == 0, out
    cells = campaign.cells("Timeline")
    # Start, Due, Projected due, Slack, Flag = columns K..O
    assert [cells[f"{c}2"] for c in "KLMNO"] == [D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 5), 0, "OK"]
    assert [cells[f"{c}3"] for c in "KLMNO"] == [D(2026, 3, 9), D(2026, 3, 11), D(2026, 3, 11), 0, "OK"]
    assert [cells[f"{c}4"] for c in "KLMNO"] == [D(2026, 3, 12), D(2026, 3, 12), D(2026, 3, 12), 0, "OK"]
    assert [cells[f"{c}5"] for c in "KLMNO"] == [D(2026, 3, 14), D(2026, 3, 14), D(2026, 3, 14), 0, "OK"]
    assert "O6" not in cells and "K6" not in cells
    # every human-owned cell is exactly as it was
    assert campaign.human_cells() == before
    # dates are real dates with a date format, not text
    ws = campaign.sheet("Timeline")
    assert ws["L2"].is_date and ws["L2"].number_format == "yyyy-mm-dd"
    assert out.splitlines()[0] == f"{campaign.path}: synced, 29 cells changed, today 2026-03-02"
    assert "Launch 2026-03-14: on track" in out
    assert out.rstrip().endswith("No problems.")


def test_second_sync_writes_nothing(make_campaign, capsys):
    campaign = make_campaign()
    assert run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02")[0] == 0
    data = campaign.path.read_bytes()
    mtime = campaign.path.stat().st_mtime_ns
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["changed_cells"] == 0 and report["written"] is False
    assert campaign.path.read_bytes() == data and campaign.path.stat().st_mtime_ns == mtime


def test_progress_changes_flags_and_log_gets_one_row_per_writing_sync(make_campaign, capsys):
    campaign = make_campaign()
    run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02")
    # T1 (due Thu 5) is still not started on Mon 9 March: it needs Mon 9–Tue 10, which pushes
    # T2 to Wed 11–Fri 13, T3 to Mon 16 past its buffer, and the launch milestone to Tue 17.
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-09", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["launch"] == {
        "date": "2026-03-14", "projected": "2026-03-17", "slip_days": 1, "at_risk": True, "provisional": []
    }
    assert report["flags"]["Timeline"] == {"OVERDUE": 1, "AT RISK": 3}
    cells = campaign.cells("Timeline")
    assert [cells["M2"], cells["N2"], cells["O2"]] == [D(2026, 3, 10), -3, "OVERDUE"]
    assert [cells["M4"], cells["N4"], cells["O4"]] == [D(2026, 3, 16), -2, "AT RISK"]
    assert [cells["M5"], cells["N5"], cells["O5"]] == [D(2026, 3, 17), -1, "AT RISK"]
    log = campaign.cells("Log")
    assert log["B2"] == "sync" and log["B3"] == "sync" and "A4" not in log
    assert log["C2"] == "command line" and isinstance(log["D3"], int) and log["E3"] == 0


def test_dry_run_and_check_write_nothing(make_campaign, capsys):
    campaign = make_campaign()
    data = campaign.path.read_bytes()
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02", "--dry-run")
    assert code == 0 and "dry run, 29 cells would change" in out
    assert "would write Timeline!O2 = 'OK'" in out
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02", "--dry-run", "--json")
    report = json.loads(out)
    assert report["written"] is False and report["changed_cells"] == 29
    assert {"sheet": "Timeline", "cell": "L3", "value": "2026-03-11"} in report["changes"]
    code, out = run_cli(capsys, "check", str(campaign.path), "--today", "2026-03-02", "--json")
    assert code == 0 and json.loads(out)["action"] == "check" and json.loads(out)["changes"] is None
    assert campaign.path.read_bytes() == data


def test_json_report_shape(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_timeline([{"Duration": "two"}])
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02", "--json")
    report = json.loads(out)
    assert code == 1
    assert set(report) >= {"target", "changed_cells", "problems", "launch", "flags"}
    assert report["problems"] == [
        {
            "sheet": "Timeline",
            "cell": "E2",
            "problem": '"two" is not a number of working days',
            "fix": "write a whole number such as 3; until then it is planned as 1 working day",
        }
    ]
    # the problem is also written to the Problems sheet
    problems = campaign.cells("Problems")
    assert [problems[c] for c in ("A2", "B2", "C2", "D2")] == [
        "Timeline",
        "E2",
        '"two" is not a number of working days',
        "write a whole number such as 3; until then it is planned as 1 working day",
    ]
    # T1 is still planned, provisionally, and flagged for checking; the rest is planned as before
    cells = campaign.cells("Timeline")
    assert cells["O2"] == "CHECK" and cells["O3"] == "OK"
    # fixing the cell clears the Problems sheet again
    campaign.set_timeline([{"Duration": 2}])
    code, _ = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02")
    assert code == 0 and "A2" not in campaign.cells("Problems")


def test_chinese_template_headers_and_values(make_campaign, capsys):
    campaign = make_campaign(lang="zh")
    campaign.set_timeline([{"Status": "进行中"}, {"Status": "未开始"}])
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-02", "--json")
    assert code == 0, out
    ws = openpyxl.load_workbook(campaign.path)[sheet_spec("Timeline").zh]
    assert ws["L1"].value == "截止" and ws["L2"].value == D(2026, 3, 5)
    assert ws["O2"].value == "正常"  # a Chinese book's flags are Chinese


def test_columns_in_any_order_with_extra_columns_and_sheets_left_alone(tmp_path, capsys):
    path = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "project"
    ws.append(["setting", "VALUE"])
    ws.append(["Launch Date", "2026/3/14"])
    tl = wb.create_sheet("TIMELINE")
    tl.append(["Budget (¥)", "duration", "Milestone ", "id", "Depends  On", "Flag"])
    tl.append([5000, 2, "Proposal", "A", None, None])
    tl.append([None, None, None, None, None, None])  # a blank row is skipped
    tl.append([8000, "3", "Draft", "B", "A", None])
    wb.create_sheet("Budget").append(["Item", "Cost"])
    wb["Budget"].append(["KOL", "=2*1000"])
    wb.save(path)
    code, out = run_cli(capsys, "sync", str(path), "--today", "2026-03-02")
    assert code == 0, out
    wb = openpyxl.load_workbook(path)
    tl = wb["TIMELINE"]
    # Flag was present; Start, Due, Projected due, Slack are added after the last header
    assert [tl.cell(1, c).value for c in range(7, 11)] == ["Start", "Due", "Projected due", "Slack"]
    assert tl["F2"].value == "OK" and tl["H4"].value == D(2026, 3, 13)
    assert tl["A2"].value == 5000 and tl["A4"].value == 8000
    assert wb["Budget"]["B2"].value == "=2*1000"
    assert [ws.title for ws in wb.worksheets] == ["project", "TIMELINE", "Budget"]


def test_python_dash_m_and_console_script_agree(make_campaign):
    campaign = make_campaign()
    args = ["check", str(campaign.path), "--today", "2026-03-02", "--json"]
    a = subprocess.run([sys.executable, "-m", "sheetsync", *args], capture_output=True, text=True)
    b = subprocess.run(["sheetsync", *args], capture_output=True, text=True)
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_exit_status_two_for_missing_file_and_bad_arguments(tmp_path, capsys):
    code = main(["sync", str(tmp_path / "nope.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Error: ") and "nope.xlsx" in err
    code = main(["sync", str(tmp_path / "notes.txt")])
    assert code == 2 and "give an .xlsx or .xlsm file" in capsys.readouterr().err
    proc = subprocess.run(
        [sys.executable, "-m", "sheetsync", "sync", "x.xlsx", "--today", "2026-02-30"], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "not a real date" in proc.stderr and "Traceback" not in proc.stderr


def test_locked_workbook_is_refused_unless_forced(make_campaign, capsys):
    campaign = make_campaign()
    lock = campaign.path.with_name("~$" + campaign.path.name)
    lock.write_bytes(b"owner")
    code = main(["sync", str(campaign.path), "--today", "2026-03-02"])
    err = capsys.readouterr().err
    assert code == 2 and "open in Excel" in err and "--force" in err
    assert main(["sync", str(campaign.path), "--today", "2026-03-02", "--force"]) == 0


def test_today_setting_pins_the_date(make_campaign, capsys):
    campaign = make_campaign()
    campaign.set_setting("Today", dt.date(2026, 3, 6))
    code, out = run_cli(capsys, "check", str(campaign.path), "--json")
    assert json.loads(out)["today"] == "2026-03-06"
    code, out = run_cli(capsys, "check", str(campaign.path), "--json", "--today", "2026-03-02")
    assert json.loads(out)["today"] == "2026-03-02"


def test_dates_as_serials_and_chinese_text(make_campaign, capsys):
    campaign = make_campaign()
    # T1 done on 2026年3月4日 (text); T2's fixed due as the Excel serial of 2026-03-10 in a plain number cell
    campaign.set_timeline([{"Status": "Done", "Done on": "2026年3月4日"}, {"Fixed due": 46091}, {}, {}])
    code, out = run_cli(capsys, "sync", str(campaign.path), "--today", "2026-03-05", "--json")
    assert code == 0, out
    cells = campaign.cells("Timeline")
    assert [cells["M2"], cells["O2"]] == [D(2026, 3, 4), "DONE"]
    assert [cells["K3"], cells["L3"]] == [D(2026, 3, 6), D(2026, 3, 10)]  # capped by the fixed due
