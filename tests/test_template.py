"""The campaign template: every contract sheet, header, validation and colour rule, and the demo campaign."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from sheetsync.a1 import column_letter
from sheetsync.contract import (
    COMPUTED_HEADER_FILL,
    FLAG_BY_NAME,
    FLAG_COLOURS,
    HUMAN_HEADER_FILL,
    ROW_FLAG_COLOURS,
    SETTINGS,
    SHEET_ROW_FLAGS,
    SHEETS,
    canonical_choice,
    sheet_spec,
)
from sheetsync.engine.risks import indicator_code
from sheetsync.errors import UsageError
from sheetsync.template import (
    COMPUTED_NOTE,
    LEGEND,
    RACI_NOTE,
    TEMPLATE_CREATED,
    build_workbook,
    write_campaign,
)
from sheetsync.template.demo import demo_dates, demo_people, demo_rows, shift_weekdays
from sheetsync.template.layout import translated

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2025, 3, 3)  # a Monday
LAUNCH = shift_weekdays(TODAY, 12)
LANGS = ("en", "zh")
VARIANTS = [(lang, demo, suffix) for lang in LANGS for demo in (False, True) for suffix in (".xlsx", ".xlsm")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every variant built once: (lang, demo, suffix) → path."""
    folder = tmp_path_factory.mktemp("templates")
    return {
        (lang, demo, suffix): build_workbook(
            folder / f"campaign-{lang}-{'demo' if demo else 'blank'}{suffix}",
            lang=lang, demo=demo, launch=LAUNCH, today=TODAY,
        )
        for lang, demo, suffix in VARIANTS
    }


@pytest.fixture(params=VARIANTS, ids=lambda v: f"{v[0]}-{'demo' if v[1] else 'blank'}{v[2]}")
def variant(request, built):
    lang, demo, suffix = request.param
    return lang, demo, openpyxl.load_workbook(built[request.param])


@pytest.fixture(scope="module", params=LANGS)
def demo_book(request, built):
    lang = request.param
    return lang, openpyxl.load_workbook(built[(lang, True, ".xlsx")])


def sheet(book, lang, name):
    return book[sheet_spec(name).label(lang)]


def header(ws):
    return [cell.value for cell in ws[1] if cell.value is not None]


def records(ws, spec, lang):
    """Data rows as dicts keyed by canonical column name (RACI people by name)."""
    names = {c.label(lang): c.name for c in spec.columns}
    keys = [names.get(h, h) for h in header(ws)]
    return [
        dict(zip(keys, values, strict=True))
        for values in ws.iter_rows(min_row=2, max_col=len(keys), values_only=True)
        if any(v is not None for v in values)
    ]


def validations(ws):
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def column_dimension(ws, index):
    for dim in ws.column_dimensions.values():
        if dim.min <= index <= dim.max:
            return dim
    raise AssertionError(f"{ws.title}: no width set for column {column_letter(index)}")


# --- structure: every variant -------------------------------------------------------


def test_sheets_in_contract_order_with_titles_in_the_chosen_language(variant):
    lang, _, book = variant
    assert book.sheetnames == [spec.label(lang) for spec in SHEETS]
    assert book.active.title == SHEETS[0].label(lang)


def test_headers_bold_filled_by_owner_frozen_and_sized(variant):
    lang, demo, book = variant
    for spec in SHEETS:
        ws = book[spec.label(lang)]
        expected = [c.label(lang) for c in spec.columns]
        if spec.name == "RACI" and demo:
            expected += demo_people(lang)
        assert header(ws) == expected, spec.name
        assert ws.freeze_panes == ("C2" if spec.name == "Timeline" else "A2"), spec.name
        for index, column in enumerate(spec.columns, start=1):
            cell = ws.cell(1, index)
            assert cell.font.b, f"{spec.name}!{cell.coordinate}"
            fill = COMPUTED_HEADER_FILL if column.computed else HUMAN_HEADER_FILL
            assert cell.fill.fgColor.rgb == "FF" + fill, f"{spec.name}!{cell.coordinate}"
            assert 0 <= column_dimension(ws, index).width - column.width < 1, f"{spec.name}!{cell.coordinate}"


def test_every_computed_header_carries_the_dont_type_here_note(variant):
    lang, _, book = variant
    for spec in SHEETS:
        ws = book[spec.label(lang)]
        for index, column in enumerate(spec.columns, start=1):
            comment = ws.cell(1, index).comment
            if column.computed:
                note = column.help_text(lang) if column.on_demand else translated(COMPUTED_NOTE, lang)  # who writes it
                assert comment is not None and comment.text == note, f"{spec.name} {column.name}"
            elif (spec.name, column.name) == ("RACI", "Activity"):
                assert comment.text == translated(RACI_NOTE, lang)
            else:
                assert comment is None, f"{spec.name} {column.name}"
    assert "sheetsync" in translated(COMPUTED_NOTE, "zh") and "覆盖" in translated(COMPUTED_NOTE, "zh")


def test_raci_person_columns_suggest_the_letters(variant):
    lang, _, book = variant
    rule = validations(sheet(book, lang, "RACI"))["C2:L1000"]
    assert rule.formula1 == '"R,A,C,I,A/R"' and rule.errorStyle == "warning"


def test_wholly_computed_sheets_have_headers_only(variant):
    lang, _, book = variant
    for name in ("Problems", "Log"):
        ws = sheet(book, lang, name)
        assert ws.max_row == 1
        assert validations(ws) == {}


def test_choice_columns_offer_the_vocabulary_of_the_chosen_language(variant):
    lang, _, book = variant
    for spec in SHEETS:
        ws = book[spec.label(lang)]
        rules = validations(ws)
        for index, column in enumerate(spec.columns, start=1):
            if column.kind != "choice":
                continue
            letter = column_letter(index)
            rule = rules[f"{letter}2:{letter}1000"]
            labels = list(column.choices.values()) if lang == "zh" else list(column.choices)
            assert rule.type == "list"
            assert rule.formula1 == '"' + ",".join(labels) + '"', f"{spec.name} {column.name}"
            assert rule.errorStyle in (None, "stop")


def test_timeline_days_are_whole_numbers_and_team_emails_need_an_at(variant):
    lang, _, book = variant
    rules = validations(sheet(book, lang, "Timeline"))
    for letter in ("E", "F"):  # Duration, Buffer
        rule = rules[f"{letter}2:{letter}1000"]
        assert (rule.type, rule.operator, rule.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert rule.showErrorMessage and rule.error
    email = validations(sheet(book, lang, "Team"))["C2:C1000"]
    assert email.type == "custom" and email.formula1 == 'ISNUMBER(SEARCH("@",C2))'
    assert email.errorStyle == "warning" and "@" in email.error


def test_date_columns_show_iso_dates(variant):
    lang, demo, book = variant
    written = 0
    for spec in SHEETS:
        ws = book[spec.label(lang)]
        for index, column in enumerate(spec.columns, start=1):
            if column.kind != "date":
                continue
            assert column_dimension(ws, index).number_format == "yyyy-mm-dd", f"{spec.name} {column.name}"
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                if cell.value is not None:
                    assert cell.number_format == "yyyy-mm-dd", f"{spec.name}!{cell.coordinate}"
                    written += 1
    assert (written > 20) == demo


def test_flag_sheets_colour_rows_by_flag_and_due_dates_live(variant):
    lang, _, book = variant
    for name, flags in SHEET_ROW_FLAGS.items():
        spec = sheet_spec(name)
        ws = sheet(book, lang, name)
        letters = {c.name: column_letter(i) for i, c in enumerate(spec.columns, start=1)}
        rules = sorted(
            ((str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules),
            key=lambda pair: pair[1].priority,
        )
        last = column_letter(len(spec.columns))  # the whole row: the baseline columns right of Flag too
        row_rules = {rule.formula[0]: rule for sqref, rule in rules if sqref == f"A2:{last}1000"}
        flag_cell = f'${letters["Flag"]}2'
        matches = {flag: f'OR({flag_cell}="{flag}",{flag_cell}="{FLAG_BY_NAME[flag].zh}")' for flag in flags}
        assert set(row_rules) == set(matches.values()), name  # either language's word colours the row
        for flag in flags:
            fill, font = ROW_FLAG_COLOURS[flag]
            dxf = row_rules[matches[flag]].dxf
            assert (dxf.fill.bgColor.rgb, dxf.font.color.rgb) == ("FF" + fill, "FF" + font), f"{name} {flag}"
        if name in ("Timeline", "Feedback"):
            sqref, live = rules[0]
            due, status = letters["Due"], letters["Status"]
            assert sqref == f"{due}2:{due}1000" and live.stopIfTrue
            assert f"${due}2<TODAY()" in live.formula[0] and f'${due}2<>""' in live.formula[0]
            finished = ("Done", "已完成") if name == "Timeline" else ("Done", "Won't do", "已完成", "不处理")
            for word in finished:
                assert f'${status}2<>"{word}"' in live.formula[0]
            assert live.dxf.fill.bgColor.rgb == "FF" + FLAG_COLOURS["OVERDUE"][0]
    assert "OK" not in SHEET_ROW_FLAGS["Timeline"] and "OPEN" not in SHEET_ROW_FLAGS["Feedback"]
    assert ROW_FLAG_COLOURS["REVISION LOOP"] == FLAG_COLOURS["OVERDUE"]
    assert ROW_FLAG_COLOURS["FINDINGS"] == FLAG_COLOURS["AT RISK"]


def test_project_sheet_lists_every_setting_with_help_and_validations(variant):
    lang, demo, book = variant
    ws = sheet(book, lang, "Project")
    rules = validations(ws)
    for row, setting in enumerate(SETTINGS, start=2):
        label, value, note = (ws.cell(row, col).value for col in (1, 2, 3))
        assert label == (setting.zh if lang == "zh" else setting.name)
        assert note == (setting.help_text(lang) or None), setting.name
        if setting.kind == "choice":  # Market and Language: codes in both languages; Industry: the book's words
            words = setting.choices.values() if lang == "zh" and setting.name == "Industry" else setting.choices
            assert rules[f"B{row}"].formula1 == '"' + ",".join(words) + '"'
        if setting.kind == "date":
            assert rules[f"B{row}"].type == "date"
            assert ws.cell(row, 2).number_format == "yyyy-mm-dd"
        if setting.name == "Launch date":
            assert value.date() == LAUNCH
        elif not demo:
            starts_with = {"Market": lang, "Calendar": "CN" if lang == "zh" else None}  # the book's language's
            default = setting.default if setting.default not in ("", ()) else None
            if lang == "zh" and setting.choices and default:
                default = setting.choices[default]
            assert value == starts_with.get(setting.name, default), setting.name
        if setting.name == "Calendar":  # the common codes suggested, any other country accepted
            assert rules[f"B{row}"].type == "list" and rules[f"B{row}"].errorStyle == "information"
    legend = ws.cell(len(SETTINGS) + 3, 3)
    assert legend.value == translated(LEGEND, lang) and legend.fill.fgColor.rgb == "FF" + COMPUTED_HEADER_FILL


def test_xlsm_is_macro_enabled_and_xlsx_is_not(built):
    for (_, _, suffix), path in built.items():
        types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
        assert ("sheet.macroEnabled.main+xml" in types) == (suffix == ".xlsm"), path.name
    book = openpyxl.load_workbook(built[("en", True, ".xlsm")], keep_vba=True)
    assert book.sheetnames[0] == "Project"


# --- refusals and the seam ------------------------------------------------------


def test_refuses_to_overwrite_an_existing_file(tmp_path):
    path = tmp_path / "campaign.xlsx"
    path.write_bytes(b"precious")
    with pytest.raises(UsageError) as error:
        build_workbook(path)
    assert str(error.value) == f"{path} already exists; choose another name or delete it first."
    assert path.read_bytes() == b"precious"


@pytest.mark.parametrize(
    ("name", "lang", "message"),
    [
        ("campaign.xlsx", "fr", 'Unknown language "fr"; choose en or zh.'),
        ("campaign.xls", "en", "must end in .xlsx or .xlsm."),
    ],
)
def test_refuses_unknown_language_and_format(tmp_path, name, lang, message):
    with pytest.raises(UsageError, match=message.replace(".", r"\.").replace("(", r"\(")):
        build_workbook(tmp_path / name, lang=lang)
    assert list(tmp_path.iterdir()) == []


def test_write_campaign_fills_any_xlsxwriter_workbook(tmp_path):
    """The seam a VBA project and buttons will use: the caller owns the Workbook and can add to it."""
    workbook = xlsxwriter.Workbook(tmp_path / "seam.xlsx")
    sheets = write_campaign(workbook, lang="zh")
    sheets["Project"].write_string("E1", "button goes here")
    workbook.close()
    assert list(sheets) == [spec.name for spec in SHEETS]
    assert openpyxl.load_workbook(tmp_path / "seam.xlsx")["项目"]["E1"].value == "button goes here"


# --- the shipped templates ---------------------------------------------------------


def test_build_templates_script_output_is_byte_identical_to_a_fresh_build(tmp_path):
    out = tmp_path / "out"
    subprocess.run([sys.executable, str(REPO / "scripts" / "build-templates"), str(out)], check=True)
    for lang in LANGS:
        fresh = build_workbook(tmp_path / f"fresh-{lang}.xlsx", lang=lang, created=TEMPLATE_CREATED)
        assert (out / f"campaign-{lang}.xlsx").read_bytes() == fresh.read_bytes(), lang
        assert (REPO / "templates" / f"campaign-{lang}.xlsx").read_bytes() == fresh.read_bytes(), (
            f"templates/campaign-{lang}.xlsx is stale: run scripts/build-templates"
        )


# --- the demo campaign ----------------------------------------------------------------


def test_demo_default_launch_is_twelve_weekdays_out():
    launch, today = demo_dates(None, TODAY)
    assert (today, launch) == (TODAY, date(2025, 3, 19))
    assert demo_dates(date(2025, 4, 1), TODAY) == (date(2025, 4, 1), TODAY)


def test_demo_project_settings(demo_book):
    lang, book = demo_book
    ws = sheet(book, lang, "Project")
    values = {ws.cell(row, 1).value: ws.cell(row, 2).value for row in range(2, len(SETTINGS) + 2)}
    label = {s.name: (s.zh if lang == "zh" else s.name) for s in SETTINGS}
    assert values[label["Market"]] == lang
    assert values[label["Industry"]] == ("化妆品" if lang == "zh" else "cosmetics")
    assert values[label["Calendar"]] == "CN"
    assert values[label["Project name"]] and values[label["Client"]]
    assert values[label["Today"]] is None


def test_demo_values_in_choice_columns_are_that_languages_labels(demo_book):
    lang, book = demo_book
    for spec in SHEETS:
        for row in records(book[spec.label(lang)], spec, lang):
            for column in spec.columns:
                value = row.get(column.name)
                if column.kind == "choice" and value is not None:
                    labels = column.choices.values() if lang == "zh" else column.choices
                    assert value in labels, f"{spec.name} {column.name} {value!r}"
                if column.computed:
                    assert value is None, f"{spec.name} {column.name} must be left to sheetsync"


def plan_dues(tasks, launch):
    """Planned Due of each task by a backward pass over Monday–Friday (DESIGN.md, Deadline semantics)."""
    def index(day):  # working-day number; a weekend day maps to the next Monday's number
        return (day - date(2024, 1, 1)).days // 7 * 5 + min((day - date(2024, 1, 1)).days % 7, 5)

    successors = {t["ID"]: [] for t in tasks}
    for t in tasks:
        for dep in filter(None, (d.strip() for d in (t["Depends on"] or "").split(","))):
            successors[dep].append(t["ID"])
    by_id = {t["ID"]: t for t in tasks}
    start: dict[str, int] = {}

    def place(task_id):  # (first day index or milestone point, due index)
        if task_id not in start:
            t = by_id[task_id]
            limit = min([place(s)[0] for s in successors[task_id]] or [index(launch)]) - t["Buffer"]
            if t["Fixed due"]:
                limit = min(limit, index(t["Fixed due"].date()) + (1 if t["Duration"] else 0))
            start[task_id] = limit - t["Duration"] if t["Duration"] else limit
        first = start[task_id]
        t = by_id[task_id]
        return first, first + max(t["Duration"], 1) - 1

    return {t["ID"]: place(t["ID"])[1] for t in tasks}, index


def test_demo_timeline_is_a_realistic_dag_with_some_late_work(demo_book):
    lang, book = demo_book
    tasks = records(sheet(book, lang, "Timeline"), sheet_spec("Timeline"), lang)
    ids = [t["ID"] for t in tasks]
    assert 10 <= len(tasks) <= 14 and len(set(ids)) == len(ids)
    for t in tasks:
        deps = [d.strip() for d in (t["Depends on"] or "").split(",") if d.strip()]
        assert all(ids.index(d) < ids.index(t["ID"]) for d in deps), f"{t['ID']} depends on a later task"
        assert 0 <= t["Duration"] <= 5 and 0 <= t["Buffer"] <= 2
    assert sum(t["Fixed due"] is not None for t in tasks) == 1
    assert sum("," in (t["Depends on"] or "") for t in tasks) >= 2  # branches join again

    status = {t["ID"]: canonical_choice(t["Status"], sheet_spec("Timeline").column("Status").choices) for t in tasks}
    due, index = plan_dues(tasks, LAUNCH)
    done = [t for t in tasks if status[t["ID"]] == "Done"]
    assert len(done) == 2 and all(due[t["ID"]] < index(TODAY) for t in done)
    done_late = [t for t in done if index(t["Done on"].date()) > due[t["ID"]]]
    assert len(done_late) == 1
    overdue = [i for i, s in status.items() if s == "In progress" and due[i] < index(TODAY)]
    assert len(overdue) == 1
    assert list(status.values()).count("Blocked") == 1


def test_demo_raci_has_one_accountable_and_a_responsible_per_task(demo_book):
    lang, book = demo_book
    people = demo_people(lang)
    rows = records(sheet(book, lang, "RACI"), sheet_spec("RACI"), lang)
    milestones = [t["Milestone"] for t in records(sheet(book, lang, "Timeline"), sheet_spec("Timeline"), lang)]
    assert [r["Activity"] for r in rows] == milestones
    for row in rows:
        letters = [row[p] for p in people if row[p]]
        assert sum("A" in cell for cell in letters) == 1, row["Activity"]
        assert any("R" in cell for cell in letters), row["Activity"]
        assert all(set(cell.split("/")) <= set("RACI") for cell in letters), row["Activity"]


def test_demo_team_covers_the_agency_roles_and_the_client(demo_book):
    lang, book = demo_book
    team = records(sheet(book, lang, "Team"), sheet_spec("Team"), lang)
    assert [m["Name"] for m in team] == demo_people(lang)
    assert all(m["Email"].endswith("example.com") and m["Digest"] and m["Cadence"] for m in team)
    client = [m for m in team if m["Side"] in ("client", "客户方")]
    assert len(client) == 1 and client[0]["Digest"] in ("brief", "简要")
    roles = " ".join(m["Role"] for m in team)
    expected = {
        "en": ("Creative lead", "Copywriter", "Data analyst", "Account manager", "Client contact", "Compliance"),
        "zh": ("创意", "文案", "数据团队", "客户经理", "客户对接人", "合规审核"),
    }
    for role in expected[lang]:
        assert role in roles
    owners = {t["Owner"] for t in records(sheet(book, lang, "Timeline"), sheet_spec("Timeline"), lang)}
    assert owners <= set(demo_people(lang))


def test_demo_reviews_include_a_second_round_pending_work_and_a_risky_claim(demo_book):
    lang, book = demo_book
    reviews = records(sheet(book, lang, "Reviews"), sheet_spec("Reviews"), lang)
    spec = sheet_spec("Reviews")
    decision = [canonical_choice(r["Decision"], spec.column("Decision").choices) for r in reviews]
    stage = [canonical_choice(r["Stage"], spec.column("Stage").choices) for r in reviews]
    assert 2 <= len({r["Asset"] for r in reviews}) <= 3
    sent_back = [r["Asset"] for r, d, s in zip(reviews, decision, stage, strict=True)
                 if (r["Round"], s, d) == (1, "Client", "Changes requested")]
    assert len(sent_back) == 1
    assert any(r["Asset"] == sent_back[0] and r["Round"] == 2 for r in reviews)
    assert decision.count("Pending") >= 2
    risky = "全网最好" if lang == "zh" else "best repair serum on the whole internet"
    assert any(risky in r["Copy"] for r in reviews)
    if lang == "zh":
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r["Copy"]) for r in reviews)


def test_demo_risks_watch_indicators_with_owners_and_plans(demo_book):
    lang, book = demo_book
    risks = records(sheet(book, lang, "Risks"), sheet_spec("Risks"), lang)
    # a Chinese book names the indicator in Chinese: what is measured is the code either name reads as
    assert {(indicator_code(r["Indicator"]), r["Threshold"]) for r in risks} >= {
        ("overdue_tasks", ">= 1"), ("launch_slip_days", ">= 1"), ("open_compliance_findings", ">= 1"),
        ("single_points_of_failure", ">= 2"), ("working_days_to_launch", "<= 5"),
    }
    assert all(r["Owner"] in demo_people(lang) and r["Contingency plan"] for r in risks)


def test_demo_feedback_has_an_unanswered_request(demo_book):
    lang, book = demo_book
    spec = sheet_spec("Feedback")
    feedback = records(sheet(book, lang, "Feedback"), spec, lang)
    status = [canonical_choice(f["Status"], spec.column("Status").choices) for f in feedback]
    forgotten = [f for f, s in zip(feedback, status, strict=True)
                 if s == "Open" and f["Agreed due"] is None and f["Received on"].date() <= shift_weekdays(TODAY, -3)]
    assert len(forgotten) == 1
    assert "Done" in status and all(f["Received on"].date() <= TODAY for f in feedback)


def test_demo_rows_are_plain_data_for_other_backends():
    rows = demo_rows("en", LAUNCH, TODAY)
    assert set(rows) == {"Timeline", "RACI", "Team", "Channels", "Reviews", "Risks", "Feedback", "Goals", "Budget",
                         "Results"}
    for name, sheet_rows in rows.items():
        known = {c.name for c in sheet_spec(name).columns} | set(demo_people("en"))
        assert all(set(row) <= known for row in sheet_rows), name
