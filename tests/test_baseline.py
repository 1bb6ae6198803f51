"""`sheetsync baseline` on xlsx files: the committed plan held still, the slips measured against it (issue 17).

Every number below is worked by hand in the comments: working days Monday–Friday
(the small campaign has no Calendar; the demo's CN calendar has no holiday in
December 2026), a task's due the end of its day, a milestone's the beginning.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import BASE_RACI, BASE_TIMELINE, header_columns, setting_row

from sheetsync.cli import main
from sheetsync.contract import TIMELINE

BASELINE_COLUMNS = ("Baseline start", "Baseline due", "Variance")
# The small campaign (conftest, launch Saturday 2026-03-14) plus a task off the critical chain.
TIMELINE_ROWS = [*BASE_TIMELINE, {"ID": "T5", "Milestone": "Media booking", "Owner": "Zhang Min", "Duration": 1,
                                  "Fixed due": dt.date(2026, 3, 10)}]
RACI_ROWS = [*BASE_RACI, ("T5", "I", "C", "A/R")]


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def column(path: Path, name: str, sheet: str = "Timeline", lang: str = "en") -> dict[str, object]:
    """Task ID → the cell of column `name` (dates as dates)."""
    ws = openpyxl.load_workbook(path)[TIMELINE.label(lang) if sheet == "Timeline" else sheet]
    cols = header_columns(ws, "Timeline", lang)
    out = {}
    for row in range(2, ws.max_row + 1):
        task = ws.cell(row, cols["ID"]).value
        if task:
            value = ws.cell(row, cols[name]).value
            out[task] = value.date() if isinstance(value, dt.datetime) else value
    return out


def log_rows(path: Path, lang: str = "en") -> list[tuple]:
    ws = openpyxl.load_workbook(path)["日志" if lang == "zh" else "Log"]
    return [row for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]


def every_cell(path: Path) -> dict[tuple[str, str], object]:
    workbook = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


@pytest.fixture
def small(make_campaign):
    campaign = make_campaign(timeline=TIMELINE_ROWS)
    campaign.set_raci(RACI_ROWS)
    return campaign


@pytest.fixture
def demo(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "demo.xlsx"
    assert main(["init", str(path), "--demo", "--today", "2026-12-08"]) == 0
    capsys.readouterr()
    return path


def edit(path: Path, change) -> None:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


def set_task(path: Path, task: str, lang: str = "en", **values: object) -> None:
    def change(wb):
        ws = wb[TIMELINE.label(lang)]
        cols = header_columns(ws, "Timeline", lang)
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cols["ID"]).value == task)
        for name, value in values.items():
            ws.cell(row, cols[name.replace("_", " ").capitalize()]).value = value

    edit(path, change)


# --- 1. a slip shows on exactly the slipped task and its successors ------------------------------


def test_a_slip_after_the_baseline_shows_on_the_slipped_task_and_its_successors_only(small, capsys):
    path = small.path
    code, out = run(["baseline", str(path), "--today", "2026-03-02", "--name", "Sign-off"], capsys)
    assert (code, out) == (0, 'Baseline "Sign-off" recorded: launch 2026-03-14, 5 tasks.\n'
                              "Launch 2026-03-14: on track\nNo problems.\n")
    # The plan as the sync writes it (hand-worked in test_sync_xlsx.py): T4 at launch, T3 a buffer day before it …
    committed = {"T1": dt.date(2026, 3, 5), "T2": dt.date(2026, 3, 11), "T3": dt.date(2026, 3, 12),
                 "T4": dt.date(2026, 3, 14), "T5": dt.date(2026, 3, 10)}
    assert column(path, "Baseline due") == column(path, "Due") == committed
    assert column(path, "Baseline start") == column(path, "Start")
    assert column(path, "Variance") == {task: 0 for task in committed}  # on track: nothing has moved yet

    # T1 (due Thu 03-05) is done on Wed 03-11: four working days late (Fri 6, Mon 9, Tue 10, Wed 11).
    set_task(path, "T1", status="Done", done_on=dt.date(2026, 3, 11))
    set_task(path, "T5", status="Done", done_on=dt.date(2026, 3, 10))  # on its committed due
    code, _ = run(["sync", str(path), "--today", "2026-03-11"], capsys)
    assert code == 0
    assert column(path, "Variance") == {
        "T1": 4,
        "T2": 3,  # 3 days after T1: Thu 12, Fri 13, Mon 16 against Wed 11 (T1's buffer day was used up)
        "T3": 3,  # Tue 17 against Thu 12
        "T4": 2,  # the launch milestone: the beginning of Wed 18th against Sat 14th's: Mon 16, Tue 17 between
        "T5": 0,  # depends on nothing that slipped, done on time
    }
    assert column(path, "Baseline due") == committed  # the sync kept the baseline as it was


def test_on_the_demo_the_variance_is_the_projection_against_the_recorded_due(demo, capsys):
    """Hand-checked on the demo: at baseline time Variance is each task's lateness already (minus Slack); after
    T4 is done two days later still, only T4's successors, and the tasks that wait on today, move. T1, done a
    day early before any baseline, is committed at its Done on: 0, not -1."""
    assert run(["baseline", str(demo), "--today", "2026-12-08"], capsys)[0] == 0
    at_baseline = column(demo, "Variance")
    assert at_baseline == {task: -slack for task, slack in column(demo, "Slack").items()} | {"T1": 0}
    assert at_baseline == {"T1": 0, "T2": 0, "T3": 2, "T4": 2, "T5": 2, "T6": 2, "T7": 2, "T8": 1, "T9": 1,
                           "T10": 0, "T11": 0, "T12": 0, "T13": 0}

    set_task(demo, "T4", status="Done", done_on=dt.date(2026, 12, 10))  # due Fri 12-04: Mon 7 … Thu 10 = 4 late
    assert run(["sync", str(demo), "--today", "2026-12-10"], capsys)[0] == 0
    after = column(demo, "Variance")
    assert after == {
        "T1": 0, "T3": 2,  # done before the baseline: as they were (T1 committed at its Done on)
        "T4": 4,
        "T5": 4, "T6": 4, "T7": 4,  # T5 Fri 11 + Mon 14 (due Tue 8) …, each the same 4 days behind
        "T8": 3, "T9": 3,  # T7's buffer day absorbs one
        "T11": 0,  # T8 projected Fri 18: T11 Mon 21 – Tue 22, its committed due; T8's buffer absorbs the rest
        "T12": 2,  # after T9 (Wed 23): Thu 24 against Tue 22
        "T13": 1,  # the launch: after T12 it is Fri 25th's beginning, committed Thu 24th
        "T2": 2, "T10": 1,  # T2 is Blocked, so it is projected from today: Thu 10 – Tue 15 (committed Fri 11);
        # T10 waits on it: Wed 16 – Thu 17 against Wed 16
    }
    moved = {task for task in after if after[task] != at_baseline[task]}
    assert moved == {"T4", "T5", "T6", "T7", "T8", "T9", "T12", "T13"} | {"T2", "T10"}


# --- 2. re-baselining --------------------------------------------------------------------------------------


def test_a_second_baseline_is_logged_with_both_names_and_launches_and_holds_the_new_plan(small, capsys):
    path = small.path
    assert run(["baseline", str(path), "--today", "2026-03-02", "--name", "v1"], capsys)[0] == 0
    small.set_setting("Launch date", dt.date(2026, 3, 21))  # the client moves the launch a week
    assert run(["sync", str(path), "--today", "2026-03-02"], capsys)[0] == 0
    # the launch milestone is now projected for Sat 21st's beginning, the baseline's Sat 14th: Mon 16 – Fri 20 late
    assert column(path, "Variance")["T4"] == 5

    code, out = run(["baseline", str(path), "--today", "2026-03-02", "--name", "v2"], capsys)
    assert code == 0
    assert out.splitlines()[0] == ('Re-baselined "v2" (was "v1"): launch 2026-03-14 → 2026-03-21, 5 tasks.')
    notes = [row[5] for row in log_rows(path) if row[1] == "baseline"]
    assert notes == ['Baseline "v1" recorded: launch 2026-03-14, 5 tasks',
                     'Re-baselined "v2" (was "v1"): launch 2026-03-14 → 2026-03-21, 5 tasks']
    assert column(path, "Baseline due") == column(path, "Due")
    assert column(path, "Baseline due")["T4"] == dt.date(2026, 3, 21)
    assert column(path, "Variance") == {task: 0 for task in ("T1", "T2", "T3", "T4", "T5")}
    project = openpyxl.load_workbook(path)["Project"]
    assert project.cell(setting_row(project, "Baseline"), 2).value == "v2"
    assert project.cell(setting_row(project, "Baseline launch"), 2).value == dt.datetime(2026, 3, 21)


def test_without_a_name_baselines_are_numbered_from_the_log(small, capsys):
    path = small.path
    for n in (1, 2):
        code, out = run(["baseline", str(path), "--today", "2026-03-02", "--json"], capsys)
        report = json.loads(out)
        assert code == 0 and report["action"] == "baseline" and report["written"]
        assert report["recording"]["name"] == f"Baseline {n}"
        assert report["recording"]["tasks"] == 5 and report["recording"]["launch"] == "2026-03-14"
    assert report["recording"]["previous"] == {"name": "Baseline 1", "launch": "2026-03-14"}
    assert [row[5] for row in log_rows(path)] == [  # the launch did not move: said once
        'Baseline "Baseline 1" recorded: launch 2026-03-14, 5 tasks',
        'Re-baselined "Baseline 2" (was "Baseline 1"): launch 2026-03-14, 5 tasks',
    ]


# --- a sync never writes the baseline -------------------------------------------------------------------


def test_a_sync_keeps_the_baseline_after_people_edit_duration_and_done_on(small, capsys):
    path = small.path
    assert run(["baseline", str(path), "--today", "2026-03-02"], capsys)[0] == 0
    recorded = {name: column(path, name) for name in ("Baseline start", "Baseline due")}
    set_task(path, "T2", duration=5)  # the plan itself moves: T2 starts earlier, T1 is due earlier
    set_task(path, "T1", status="Done", done_on=dt.date(2026, 3, 4))
    code, _ = run(["sync", str(path), "--today", "2026-03-05"], capsys)
    assert code == 0
    assert column(path, "Start")["T2"] != recorded["Baseline start"]["T2"]  # the plan moved …
    assert {name: column(path, name) for name in recorded} == recorded  # … the baseline did not
    # T1's committed due is Thu 03-05 and it was done Wed 03-04: a day early
    assert column(path, "Variance")["T1"] == -1


# --- 4. old books -----------------------------------------------------------------------------------------


def make_old(path: Path) -> None:
    """Delete the three baseline columns and the two Project rows, as a book made before issue 17 had them."""
    def change(wb):
        ws = wb["Timeline"]
        first = header_columns(ws, "Timeline")["Baseline start"]
        ws.delete_cols(first, 3)
        project = wb["Project"]
        for name in ("Baseline launch", "Baseline"):
            project.delete_rows(setting_row(project, name))

    edit(path, change)


def test_an_old_book_gains_the_columns_and_rows_on_baseline_but_not_on_sync(demo, capsys):
    make_old(demo)
    assert run(["sync", str(demo), "--today", "2026-12-08"], capsys)[0] == 0
    headers = [c.value for c in openpyxl.load_workbook(demo)["Timeline"][1]]
    assert not set(BASELINE_COLUMNS) & set(headers)  # a sync adds none of them
    before = every_cell(demo)
    last = max(row for (sheet, cell), _v in before.items() if sheet == "Project" for row in [int(cell[1:])])

    code, out = run(["baseline", str(demo), "--today", "2026-12-08", "--name", "Sign-off"], capsys)
    assert code == 0, out
    workbook = openpyxl.load_workbook(demo)
    headers = [c.value for c in workbook["Timeline"][1]]
    assert headers[-3:] == list(BASELINE_COLUMNS)
    assert column(demo, "Baseline due") == column(demo, "Due") | {"T1": column(demo, "Done on")["T1"]}  # done early
    assert column(demo, "Variance")["T4"] == 2
    project = workbook["Project"]
    # below the last filled row (the template's footnote, in Notes): label and Value only, Notes left alone
    assert [[c.value for c in project[row]] for row in (last + 1, last + 2)] == [
        ["Baseline", "Sign-off", None], ["Baseline launch", dt.datetime(2026, 12, 24), None]]
    after = every_cell(demo)
    assert {k: v for k, v in after.items() if k in before and v != before[k] and k[0] not in ("Timeline", "Log")} \
        == {}  # no cell of the Project sheet a person filled changed
    # a later sync reads the new rows back: nothing more to do
    code, out = run(["sync", str(demo), "--today", "2026-12-08"], capsys)
    assert out.splitlines()[0].endswith("nothing changed, today 2026-12-08")


# --- 5. no room -----------------------------------------------------------------------------------------


def test_no_room_for_the_columns_is_the_problem_exit_1_and_nothing_is_written(demo, capsys):
    make_old(demo)

    def notes(wb):
        ws = wb["Timeline"]
        ws.cell(3, ws.max_column + 1).value = "ask the client about the member data"  # a column without a header

    edit(demo, notes)
    assert run(["sync", str(demo), "--today", "2026-12-08"], capsys)[0] == 0  # sync does not want the columns
    before = demo.read_bytes()

    code, out = run(["baseline", str(demo), "--today", "2026-12-08", "--json"], capsys)
    report = json.loads(out)
    assert code == 1 and not report["written"] and report["recording"]["recorded"] is False
    assert demo.read_bytes() == before
    (problem,) = report["problems"]
    assert problem["sheet"] == "Timeline" and problem["cell"] == "P3"
    assert problem["problem"].startswith(
        'the computed columns "Baseline start", "Baseline due" and "Variance" are missing, and column P')

    code, out = run(["baseline", str(demo), "--today", "2026-12-08", "--name", "Sign-off"], capsys)
    assert code == 1 and demo.read_bytes() == before
    assert out.splitlines()[0] == (
        'Baseline "Sign-off" not recorded, nothing written: fix the problems below, then run it again.')


# --- 6. a task added after the baseline ---------------------------------------------------------------------


def test_a_task_added_after_the_baseline_says_so(small, capsys):
    path = small.path
    assert run(["baseline", str(path), "--today", "2026-03-02"], capsys)[0] == 0
    small.set_timeline([*TIMELINE_ROWS, {"ID": "T6", "Milestone": "Influencer brief", "Owner": "Li Na",
                                         "Duration": 1}])
    small.set_raci([*RACI_ROWS, ("T6", "A/R", "I", "I")])
    assert run(["sync", str(path), "--today", "2026-03-02"], capsys)[0] == 0
    assert column(path, "Variance")["T6"] == "not in baseline"
    assert column(path, "Baseline due")["T6"] is None


# --- Chinese ---------------------------------------------------------------------------------------------------


def test_a_chinese_old_book_gets_chinese_headers_rows_and_a_numbered_name(tmp_path, capsys):
    path = tmp_path / "演示.xlsx"
    assert main(["init", str(path), "--demo", "--lang", "zh", "--today", "2026-12-08"]) == 0

    def change(wb):
        ws = wb["时间表"]
        first = header_columns(ws, "Timeline", "zh")["Baseline start"]
        ws.delete_cols(first, 3)
        project = wb["项目"]
        for name in ("Baseline launch", "Baseline"):
            project.delete_rows(setting_row(project, name))
        log = wb["日志"]  # a book from before baselines: its Log has no baseline row (the demo's first run records one)
        log.delete_rows(2, log.max_row)

    edit(path, change)
    capsys.readouterr()
    code, out = run(["baseline", str(path), "--today", "2026-12-08", "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["lang"] == "zh" and report["recording"]["name"] == "基线1"
    workbook = openpyxl.load_workbook(path)
    assert [c.value for c in workbook["时间表"][1]][-3:] == ["基线开始", "基线截止", "偏差"]
    labels = [row[0] for row in workbook["项目"].iter_rows(values_only=True)]
    assert labels[-2:] == ["基线", "基线上线日期"]
    done_early = {"T1": column(path, "Done on", lang="zh")["T1"]}  # committed at what it did
    assert column(path, "Baseline due", lang="zh") == column(path, "Due", lang="zh") | done_early
    last = log_rows(path, "zh")[-1]
    assert "基线1" in last[5] and "2026-12-24" in last[5]
    # a task added later says so in Chinese
    set_task(path, "T13", lang="zh", baseline_due=None)
    run(["sync", str(path), "--today", "2026-12-08"], capsys)
    assert column(path, "Variance", lang="zh")["T13"] == "基线后新增"


def test_an_unreadable_baseline_date_is_a_problem_on_its_cell_and_the_task_is_left_unmeasured(
        small, capsys):
    path = small.path
    assert run(["baseline", str(path), "--today", "2026-03-02"], capsys)[0] == 0
    set_task(path, "T2", baseline_due="next week")
    code, out = run(["sync", str(path), "--today", "2026-03-02", "--json"], capsys)
    report = json.loads(out)
    cell = {p["cell"]: p for p in report["problems"]}
    due_col = header_columns(openpyxl.load_workbook(path)["Timeline"], "Timeline")["Baseline due"]
    where = f"{openpyxl.utils.get_column_letter(due_col)}3"
    assert code == 1 and list(cell) == [where]
    assert column(path, "Variance") == {"T1": 0, "T2": None, "T3": 0, "T4": 0, "T5": 0}  # in it: not "not in"
    assert json.loads(out)["baseline"]["variances"].get("T2", "unmeasured") == "unmeasured"
    assert column(path, "Baseline due")["T2"] == "next week"  # a person's typing is never overwritten by a sync
