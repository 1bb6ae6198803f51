"""周婷 walks issue 17 in a Chinese book: baselines, slips, what-ifs, digests — what she types and what she reads.

A project manager at a Shanghai agency types as a Chinese IME leaves it: full-width
digits and signs (`Ｔ５＝２`), a "天" after a number of days, task IDs as the book
shows them. Every answer she reads must be Chinese and must mean what it says.
Each test is one thing she did and what she should have seen; the ones whose fix
lies in another helper's module are marked xfail(strict) with the fix described.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

import sheetsync
from sheetsync import i18n
from sheetsync.cli import main
from sheetsync.i18n import _, n_

TODAY = "2026-12-08"


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese demo, its baseline "客户确认" recorded by init; tests copy it before writing."""
    path = tmp_path_factory.mktemp("walk") / "活动.xlsx"
    assert main(["init", str(path), "--demo", "--lang", "zh", "--today", TODAY]) == 0
    return path


def whatif(capsys: pytest.CaptureFixture[str], book: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["whatif", str(book), *args, "--today", TODAY])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("typed", ["Ｔ５＝２", "Ｔ５=２", "T5＝2", "T5=2天", "Ｔ５　＝　２　天"])
def test_slip_typed_with_a_chinese_ime_is_the_same_what_if(zh_demo: Path, capsys, typed: str) -> None:
    """She types `--slip Ｔ５＝２` (full-width, as her IME leaves it) or "2天": the same answer as `T5=2`."""
    code, expected, _err = whatif(capsys, zh_demo, "--slip", "T5=2")
    assert code == 0 and expected.startswith("假设 T5 晚 2 个工作日完成")
    code, out, err = whatif(capsys, zh_demo, "--slip", typed)
    assert (code, out, err) == (0, expected, "")


def test_delay_typed_full_width_is_summed_with_the_ascii_one(zh_demo: Path, capsys) -> None:
    """`--delay Ｔ５＝１ --delay T5=1` is T5 taking 2 more days: the same task however it was typed."""
    _code, expected, _err = whatif(capsys, zh_demo, "--delay", "T5=2")
    code, out, _err = whatif(capsys, zh_demo, "--delay", "Ｔ５＝１", "--delay", "T5=1")
    assert code == 0 and out == expected


def _cells(book: Path, sheet: int, column: str) -> dict[str, object]:
    """One column of a sheet by its header, keyed by the row's first cell (the task ID)."""
    ws = openpyxl.load_workbook(book).worksheets[sheet]
    header = [c.value for c in ws[1]]
    col = header.index(column)
    return {row[0].value: row[col].value for row in ws.iter_rows(min_row=2) if row[0].value}


def _set_project(book: Path, label: str, value: object) -> None:
    wb = openpyxl.load_workbook(book)
    for row in wb.worksheets[0].iter_rows(min_row=2):
        if row[0].value == label:
            row[1].value = value
    wb.save(book)


def test_slip_on_a_lowercase_id_finds_the_task(zh_demo: Path, capsys) -> None:
    """She types `--slip t5=2` (her IME in lower case): T5, not 时间表中没有任务“t5”."""
    _code, expected, _err = whatif(capsys, zh_demo, "--slip", "T5=2")
    assert whatif(capsys, zh_demo, "--slip", "t5=2") == (0, expected, "")
    _code, expected, _err = whatif(capsys, zh_demo, "--delay", "T5=2")
    assert whatif(capsys, zh_demo, "--delay", "ｔ５=1", "--delay", "T5=1") == (0, expected, "")  # one task, summed


def test_a_full_width_book_id_is_found_by_what_she_types(tmp_path: Path, capsys) -> None:
    """Her own book has IDs typed full-width (Ｔ３): `--slip Ｔ３＝２` and `--slip T3=2` both find it."""
    book = _own_book(tmp_path)
    _code, expected, _err = whatif(capsys, book, "--slip", "T3=2")
    assert expected.startswith("假设 T3 晚 2 个工作日完成")
    assert whatif(capsys, book, "--slip", "Ｔ３＝２") == (0, expected, "")


def _own_book(tmp_path: Path) -> Path:
    """A fresh zh book filled by hand as she types: full-width IDs and digits, 2026/12/4, a Feedback request.

    Launch 2026-12-31 keeps the plan inside the calendar's known years (no provisional-holiday Problem).
    """
    book = tmp_path / "新品.xlsx"
    assert main(["init", str(book), "--lang", "zh", "--launch", "2026-12-31", "--today", TODAY]) == 0
    wb = openpyxl.load_workbook(book)
    rows = [
        ["Ｔ１", "启动会", "周婷", None, "２", "１", None, "已完成", "2026/12/1"],
        ["Ｔ２", "小红书笔记初稿", "周婷", "Ｔ１", "５", "１", None, "进行中", None],
        ["Ｔ３", "客户审核", "周婷", "Ｔ２", 3, None, None, "未开始", None],
        ["Ｔ４", "上线", "周婷", "Ｔ３", 0, None, None, "未开始", None],
    ]
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            wb.worksheets[1].cell(r, c, v)
    wb["团队"].append(["周婷", "项目经理", "zhou.ting@agency.example.com", "代理方", "详细", "每日", None])
    wb["反馈"].append(["2026/12/7", "刘洋", "上线前加一轮达人笔记", "Ｔ３", "周婷", "2026年12月10日", "待处理"])
    wb.save(book)
    assert main(["sync", str(book), "--today", TODAY]) == 0
    return book


def test_record_on_a_wrong_row_names_the_one_request_row_plainly(tmp_path: Path, capsys) -> None:
    """`--record 9` on a Feedback sheet with one request: the error names row 2, not the range 2–2."""
    book = _own_book(tmp_path)
    code, _out, err = whatif(capsys, book, "--slip", "T3=1", "--record", "9")
    with i18n.language("zh"):  # its Chinese comes with the lead's translation of the new msgid
        said = _("row {row} is not a request on the {sheet} sheet (its only request is in row {first}); "
                 "give the row number of the change request", row=9, sheet="反馈", first=2)
    assert code == 2 and said in err
    assert "2–2" not in err


def test_rebaseline_after_the_client_moves_the_launch_keeps_finished_tasks_history(
        zh_demo: Path, tmp_path: Path, capsys) -> None:
    """The client moves the launch to 2027年1月8日; she syncs, then records "客户确认（改期）".

    T3 (初稿) was done on 12-07 against a committed 12-03: 2 days late, and it stays 2 late —
    finished work is not renegotiated. T1 (done a day early, so committed at its 完成日期) stays 0.
    """
    book = tmp_path / "改期.xlsx"
    book.write_bytes(zh_demo.read_bytes())
    _set_project(book, "上线日期", "2027年1月8日")
    main(["sync", str(book), "--today", TODAY])  # exit 1: 2027's holidays are provisional (a Problem)
    assert _cells(book, 1, "偏差")["T4"] == 10  # the move itself, before re-baselining
    capsys.readouterr()
    main(["baseline", str(book), "--name", "客户确认（改期）", "--today", TODAY])
    out = capsys.readouterr().out
    assert out.startswith("已重新记录基线“客户确认（改期）”（原为“客户确认”）：上线日期 2026-12-24 → 2027-01-08")
    variance = _cells(book, 1, "偏差")
    assert variance["T4"] == 0 and variance["T13"] == 0  # the unfinished work is committed anew
    assert (variance["T1"], variance["T3"]) == (0, 2)


def test_first_baseline_of_a_task_done_long_before_its_plan_reads_zero(tmp_path: Path, capsys) -> None:
    """In her own book T1 (启动会) was done on 12-01; the plan, worked back from the launch, says mid-December.

    Baselined on 12-08, 偏差 -11 tells her the kick-off was 11 working days early — a number nobody committed to.
    """
    book = _own_book(tmp_path)
    main(["baseline", str(book), "--name", "客户确认", "--today", TODAY])
    assert _cells(book, 1, "偏差")["Ｔ１"] == 0


def test_baseline_headers_say_who_writes_them(tmp_path: Path) -> None:
    """She hovers over 基线截止: the note says sheetsync baseline writes it; over 偏差: positive = late."""
    book = tmp_path / "空.xlsx"
    assert main(["init", str(book), "--lang", "zh", "--launch", "2026-12-31", "--today", TODAY]) == 0
    wb = openpyxl.load_workbook(book)
    notes = {c.value: c.comment.text if c.comment else "" for c in wb.worksheets[1][1]}
    assert "sheetsync baseline" in notes["基线截止"] and "每次同步都会覆盖" not in notes["基线截止"]
    assert "正数表示比基线晚" in notes["偏差"]
    feedback = {c.value: c.comment.text if c.comment else "" for c in wb["反馈"][1]}
    assert "whatif --record" in feedback["影响评估"]


def test_launch_typed_full_width_is_a_date(zh_demo: Path, capsys) -> None:
    """`--launch ２０２６／１２／３１` (her IME's digits and slashes) is 2026-12-31, as ２０２６年１２月３１日 already was."""
    _code, expected, _err = whatif(capsys, zh_demo, "--launch", "2026-12-31")
    assert expected.startswith("假设 上线日改为 2026-12-31")
    assert whatif(capsys, zh_demo, "--launch", "２０２６／１２／３１") == (0, expected, "")


def test_a_date_refused_on_the_command_line_reads_as_chinese(
        zh_demo: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--launch 12月31日` (no year) in a Chinese terminal: the reason and the fix joined by "；", not "; "."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, _out, err = whatif(capsys, zh_demo, "--launch", "12月31日")
    assert code == 2 and "“12月31日”不是日期；写成 2026-03-01" in err


def test_a_delay_shorter_than_the_task_is_refused_naming_its_duration(zh_demo: Path, capsys) -> None:
    """The client cuts T5 by five days, she types `--delay T5=-5` for a two-day task: told it lasts 2, not a what-if."""
    code, out, err = whatif(capsys, zh_demo, "--delay", "T5=-5")
    assert code == 2 and out == ""
    assert "T5" in err and "2" in err and "无法识别" not in err


def test_a_baseline_of_a_provisional_plan_is_not_recorded(zh_demo: Path, tmp_path: Path, capsys) -> None:
    """She mistypes T1's predecessor as T13 (a cycle) and records "第二版": the client must not be promised that plan."""
    book = tmp_path / "循环.xlsx"
    book.write_bytes(zh_demo.read_bytes())
    wb = openpyxl.load_workbook(book)
    wb.worksheets[1]["D2"] = "T13"
    wb.save(book)
    capsys.readouterr()
    assert main(["baseline", str(book), "--name", "第二版", "--today", TODAY]) == 1
    out = capsys.readouterr().out
    assert "循环依赖" in out and "未记录" in out.splitlines()[0]
    assert _cells(book, 0, "值")["基线"] == "客户确认"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_blocked_task_in_the_decisions_is_called_blocked(zh_demo: Path, tmp_path: Path, capsys, lang: str) -> None:
    """`--launch 2026/12/18`: T2 (受阻, waiting for the client's data) needs a decision — not as 未开始, which it is not."""
    book = zh_demo
    if lang == "en":
        book = tmp_path / "campaign.xlsx"
        assert main(["init", str(book), "--demo", "--today", TODAY]) == 0
    code, out, _err = whatif(capsys, book, "--launch", "2026/12/18")
    with i18n.language(lang):
        expected = _("  {id} {name}: {why}", id="T2", name={"zh": "数据团队 投放人群包", "en": "Audience targeting package"}[lang],
                     why=_("blocked and its start {start} is before today", start="2026-12-04"))
        wrong = _("not started and its start {start} is before today", start="2026-12-04")
    assert code == 0 and expected in out.splitlines()
    assert wrong not in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_baseline_says_which_tasks_start_late_against_it(tmp_path: Path, capsys, lang: str) -> None:
    """She records the signed-off plan and opens the sheet: 偏差 2 on seven tasks she has just committed to.

    The command must say so where she reads it: those tasks were already behind their plan when it was
    recorded (T3 done late, T4 overdue and its successors), and their Variance counts from there.
    """
    book = tmp_path / f"{lang}.xlsx"
    assert main(["init", str(book), "--demo", "--lang", lang, "--today", TODAY]) == 0
    capsys.readouterr()
    assert main(["baseline", str(book), "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    with i18n.language(lang):
        late = "T3 +2, T4 +2, T5 +2, T6 +2, T7 +2" if lang == "en" else "T3 +2、T4 +2、T5 +2、T6 +2、T7 +2"
        expected = n_("{n} task was already behind its plan when it was recorded (its Variance starts there): {tasks}",
                      "{n} tasks were already behind their plan when it was recorded (their Variance starts there): {tasks}",
                      7, tasks=late + (", " if lang == "en" else "、") + _("… and {n} more", n=2))
    assert lines[2] == expected, lines


def test_baseline_of_a_plan_on_time_names_no_late_task(tmp_path: Path, capsys) -> None:
    """Her own book, every unfinished task on plan: no "already late" line, only the record and the launch."""
    book = _own_book(tmp_path)
    capsys.readouterr()
    assert main(["baseline", str(book), "--name", "客户确认", "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "基线“客户确认”已记录：上线日期 2026-12-31，4 项任务。"
    assert lines[1:] == ["上线日期 2026-12-31：按计划进行", "没有问题。"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shorter_re_estimate_says_less_not_minus(zh_demo: Path, tmp_path: Path, capsys, lang: str) -> None:
    """The client drops a revision round: `--delay T5=-1`. "What if T5 takes -1 working day" is not English."""
    book = zh_demo
    if lang == "en":
        book = tmp_path / "campaign.xlsx"
        assert main(["init", str(book), "--demo", "--today", TODAY]) == 0
    code, out, _err = whatif(capsys, book, "--delay", "T5=-1")
    with i18n.language(lang):
        change = n_("{task} takes {days} working day less", "{task} takes {days} working days less", 1,
                    task="T5", days=1)
        first = _("What if {changes} (today {day}):", changes=change, day=TODAY)
    assert code == 0 and out.splitlines()[0] == first
    if lang == "en":
        assert first == "What if T5 takes 1 working day less (today 2026-12-08):"


def test_an_unreadable_baseline_due_is_not_a_task_added_after_it(zh_demo: Path, tmp_path: Path, capsys) -> None:
    """She types 待定 over T10's 基线截止 (the client has not re-confirmed it): a Problem on that cell — but T10
    was in the signed-off plan, so 偏差 must not say 基线后新增."""
    book = tmp_path / "待定.xlsx"
    book.write_bytes(zh_demo.read_bytes())
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[1]
    header = [c.value for c in ws[1]]
    ws.cell(11, header.index("基线截止") + 1, "待定")
    wb.save(book)
    capsys.readouterr()
    assert main(["sync", str(book), "--today", TODAY]) == 1
    assert "“待定”不是日期" in capsys.readouterr().out
    assert _cells(book, 1, "偏差")["T10"] in (None, "")
    status = sheetsync.open(book).check(today=dt.date(2026, 12, 8)).analysis.baseline
    assert status is not None and "T10" not in status.added_after and status.unmeasured == ("T10",)  # the digest's
