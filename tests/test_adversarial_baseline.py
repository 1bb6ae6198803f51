"""Adversarial baselines (issue 17): a person's own cells survive `sync` and `baseline` on books made before them.

A book made before issue 17 has no baseline columns, and a team may well have
kept a column of its own headed "Variance" (偏差): a common column in a PM's
sheet. It then matches the contract's on-demand computed column by name. Until a
baseline is recorded, sheetsync owns nothing there: a sync must leave it alone,
and the first `baseline` must not take it over silently (a located Problem, and
nothing written).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import header_columns, setting_row

from sheetsync.cli import main
from sheetsync.contract import SETTINGS, TIMELINE

OWN_VARIANCE = {2: "client moved kickoff", 3: 3, 5: "+2 (agency)"}  # Timeline row → what the team typed


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    assert main(["init", str(path), "--demo", "--today", "2026-12-08"]) == 0
    return path


def old_book_with_own_variance(source: Path, path: Path, lang: str = "en") -> str:
    """`source` as a book made before issue 17 (no baseline columns, no Baseline rows), plus the team's own
    Variance column right of Flag; returns that column's letter."""
    workbook = openpyxl.load_workbook(source)
    ws = workbook[TIMELINE.label(lang)]
    first = header_columns(ws, "Timeline", lang)["Baseline start"]
    ws.delete_cols(first, 3)
    for col in range(first, first + 3):  # openpyxl leaves the deleted columns' date formats behind
        ws.column_dimensions.pop(openpyxl.utils.get_column_letter(col), None)
    project = workbook["项目" if lang == "zh" else "Project"]
    for name in ("Baseline launch", "Baseline"):
        project.delete_rows(setting_row(project, name))
    ws.cell(1, first).value = "偏差" if lang == "zh" else "Variance"
    for row, value in OWN_VARIANCE.items():
        ws.cell(row, first).value = value
    workbook.save(path)
    return openpyxl.utils.get_column_letter(first)


def own_column(path: Path, letter: str, lang: str = "en") -> dict[int, object]:
    ws = openpyxl.load_workbook(path)[TIMELINE.label(lang)]
    return {row: ws[f"{letter}{row}"].value for row in range(2, ws.max_row + 1) if ws[f"{letter}{row}"].value}


def test_a_sync_leaves_the_teams_own_variance_column_of_an_old_book_alone(demo_book, tmp_path, capsys):
    path = tmp_path / "old.xlsx"
    letter = old_book_with_own_variance(demo_book, path)
    code, out = run(["sync", str(path), "--today", "2026-12-08"], capsys)
    assert code == 0, out
    assert own_column(path, letter) == OWN_VARIANCE


def test_the_first_baseline_refuses_to_take_over_the_teams_variance_column(demo_book, tmp_path, capsys):
    path = tmp_path / "old.xlsx"
    letter = old_book_with_own_variance(demo_book, path)
    before = path.read_bytes()
    code, out = run(["baseline", str(path), "--today", "2026-12-08", "--json"], capsys)
    report = json.loads(out)
    assert code == 1 and not report["written"] and report["recording"]["recorded"] is False
    assert path.read_bytes() == before
    problems = [p for p in report["problems"] if p["sheet"] == "Timeline" and p["cell"] == f"{letter}2"]
    assert problems == [{
        "sheet": "Timeline",
        "cell": f"{letter}2",
        "problem": f'column {letter} "Variance" holds cells sheetsync did not write (no baseline has been recorded '
                   "yet); recording one would overwrite them",
        "fix": 'rename its header (such as "Variance (ours)") or move the cells elsewhere, then run sheetsync '
               "baseline again",
    }]
    # Renamed, the team's column is theirs: the baseline adds its own three columns right of it.
    workbook = openpyxl.load_workbook(path)
    workbook["Timeline"][f"{letter}1"].value = "Variance (ours)"
    workbook.save(path)
    code, out = run(["baseline", str(path), "--today", "2026-12-08", "--name", "Sign-off"], capsys)
    assert code == 0, out
    assert own_column(path, letter) == OWN_VARIANCE
    headers = [c.value for c in openpyxl.load_workbook(path)["Timeline"][1]]
    assert headers[-4:] == ["Variance (ours)", "Baseline start", "Baseline due", "Variance"]


def test_a_chinese_old_book_is_told_on_its_own_column(tmp_path, capsys):
    source = tmp_path / "zh-demo.xlsx"
    assert main(["init", str(source), "--demo", "--today", "2026-12-08", "--lang", "zh"]) == 0
    capsys.readouterr()
    path = tmp_path / "old.xlsx"
    letter = old_book_with_own_variance(source, path, "zh")
    assert run(["sync", str(path), "--today", "2026-12-08"], capsys)[0] == 0
    assert own_column(path, letter, "zh") == OWN_VARIANCE
    code, out = run(["baseline", str(path), "--today", "2026-12-08"], capsys)
    assert code == 1
    assert f"{TIMELINE.label('zh')}!{letter}2" in out and "偏差" in out
    assert own_column(path, letter, "zh") == OWN_VARIANCE


def test_an_empty_variance_column_is_no_obstacle(demo_book, tmp_path, capsys):
    """A template made after issue 17 has the three columns, empty until the first baseline."""
    path = tmp_path / "old.xlsx"
    letter = old_book_with_own_variance(demo_book, path)
    workbook = openpyxl.load_workbook(path)
    for row in OWN_VARIANCE:
        workbook["Timeline"][f"{letter}{row}"].value = None
    workbook.save(path)
    code, out = run(["baseline", str(path), "--today", "2026-12-08"], capsys)
    assert code == 0, out
    # T4 (row 5): planned due Fri 2026-12-04, projected today Tue 12-08: 2 working days late (as test_baseline)
    assert openpyxl.load_workbook(path)["Timeline"][f"{letter}5"].value == 2


# --- a baselined book loses its Baseline due column ----------------------------------------------------------


def test_a_deleted_baseline_due_column_is_a_problem_not_every_task_not_in_baseline(demo_book, tmp_path, capsys):
    """The demo is baselined ("Client sign-off"); a person deletes the Baseline due column (Q) while tidying."""
    path = tmp_path / "demo.xlsx"
    workbook = openpyxl.load_workbook(demo_book)
    ws = workbook["Timeline"]
    ws.delete_cols(header_columns(ws, "Timeline")["Baseline due"])
    workbook.save(path)
    code, out = run(["sync", str(path), "--today", "2026-12-08", "--json"], capsys)
    report = json.loads(out)
    assert code == 1
    assert {"sheet": "Timeline", "cell": "P1",
            "problem": 'the "Baseline due" column is missing, so no task can be measured against the baseline',
            "fix": "put the column back (undo its deletion), or record the current plan as the baseline again "
                   "with sheetsync baseline"} in report["problems"]
    assert report["baseline"] is None
    variance = header_columns(openpyxl.load_workbook(path)["Timeline"], "Timeline")["Variance"]
    cells = [row[variance - 1] for row in openpyxl.load_workbook(path)["Timeline"].iter_rows(min_row=2,
                                                                                             values_only=True)]
    assert not [c for c in cells if c is not None]  # no "not in baseline" on every task, no stale numbers
    # `baseline` records again: the column comes back and the Problem goes
    code, out = run(["baseline", str(path), "--today", "2026-12-08"], capsys)
    assert code == 0, out
    assert "Baseline due" in [c.value for c in openpyxl.load_workbook(path)["Timeline"][1]]


# --- two runs at once on one xlsx ------------------------------------------------------------------------------


def test_baseline_sync_and_a_recorded_what_if_at_once_lose_no_write(demo_book, tmp_path):
    """Threads (each its own backend, as separate processes would have): the lock serialises them, so the Log
    holds every run's row, the last baseline's name is in the Project and the book opens."""
    import threading

    import sheetsync
    from sheetsync.whatif_record import run_what_if

    path = tmp_path / "demo.xlsx"
    path.write_bytes(demo_book.read_bytes())
    day = dt.date(2026, 12, 9)
    jobs = [
        lambda: sheetsync.open(path).baseline(name="Threads", today=day),
        lambda: sheetsync.open(path).sync(today=dt.date(2026, 12, 10)),
        lambda: run_what_if(sheetsync.open(path).backend, today=day, slips={"T5": 2}, record=3),
    ]
    failures: list[BaseException] = []

    def work(job):
        try:
            job()
        except BaseException as err:  # noqa: BLE001 - reported below
            failures.append(err)

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    workbook = openpyxl.load_workbook(path)
    actions = [row[1] for row in workbook["Log"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(actions[1:]) == ["baseline", "sync", "what-if"]  # after init's own baseline row
    project = workbook["Project"]
    assert project.cell(setting_row(project, "Baseline"), 2).value == "Threads"
    assert workbook["Feedback"]["K3"].value.startswith("T5 finishes 2 working days late")


def test_re_baselining_under_the_same_name_does_not_say_it_was_itself(demo_book, tmp_path, capsys):
    path = tmp_path / "demo.xlsx"
    path.write_bytes(demo_book.read_bytes())
    code, out = run(["baseline", str(path), "--today", "2026-12-09", "--name", "Client sign-off"], capsys)
    assert code == 0, out
    assert out.splitlines()[0] == 'Re-baselined "Client sign-off": launch 2026-12-24, 13 tasks.'


def test_a_typed_over_baseline_due_says_how_to_get_the_committed_date_back(demo_book, tmp_path, capsys):
    """The fix for a Baseline cell is not "write any date": it is the committed one, or a new baseline."""
    path = tmp_path / "demo.xlsx"
    workbook = openpyxl.load_workbook(demo_book)
    ws = workbook["Timeline"]
    cols = header_columns(ws, "Timeline")
    ws.cell(3, cols["Baseline due"]).value = "next week"
    ws.cell(4, cols["Baseline start"]).value = "=L4+1"
    workbook.save(path)
    code, out = run(["sync", str(path), "--today", "2026-12-08", "--json"], capsys)
    problems = {p["cell"]: p for p in json.loads(out)["problems"]}
    fix = ("write back the date the baseline committed to, such as 2026-03-01, or record the current plan as the "
           "baseline again with sheetsync baseline")
    assert code == 1
    assert problems["Q3"]["problem"] == '"next week" is not a date' and problems["Q3"]["fix"] == fix
    assert problems["P4"]["fix"] == fix


_BASELINE_ROW = 2 + [s.name for s in SETTINGS].index("Baseline")  # the Project's rows follow contract.SETTINGS


@pytest.mark.parametrize(("sheet", "merge", "problem_cell"), [
    ("Project", f"A{_BASELINE_ROW}:B{_BASELINE_ROW}", f"A{_BASELINE_ROW}:B{_BASELINE_ROW}"),  # the name would be lost
    ("Timeline", "P3:R3", "P3:R3"),  # T2's Baseline start, due and Variance: its due would be lost
])
def test_a_baseline_cell_hidden_in_a_merge_records_nothing(demo_book, tmp_path, capsys, sheet, merge, problem_cell):
    """Nothing half-written: not "Re-baselined" with the name (or a task's committed due) silently dropped."""
    path = tmp_path / "demo.xlsx"
    workbook = openpyxl.load_workbook(demo_book)
    workbook[sheet].merge_cells(merge)
    workbook.save(path)
    before = path.read_bytes()
    code, out = run(["baseline", str(path), "--today", "2026-12-09", "--name", "New", "--json"], capsys)
    report = json.loads(out)
    assert code == 1 and report["recording"]["recorded"] is False and not report["written"]
    assert path.read_bytes() == before
    assert [p["cell"] for p in report["problems"] if p["sheet"] == sheet] == [problem_cell]
