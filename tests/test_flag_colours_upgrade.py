"""A book made by the previous release colours only English flags; a sync brings sheetsync's own rules up to date.

Old templates wrote one rule per flag, ``=$O2="OVERDUE"``; a Chinese book's rows lost
their colours once flags were written as 已逾期. The old book is made here as the
previous template made it: a new template's sheet XML with each rule put back to
the English-only form, and without a rule for the flag added since (CHECK), which
a sync adds.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from test_libreoffice_colours import SOFFICE, colours, convert, rendered_rows

import sheetsync
from sheetsync.contract import CHECK, FLAG_BY_NAME, FLAGS, OVERDUE, sheet_spec
from sheetsync.flag_colours import flag_formula, sheetsync_rule
from sheetsync.raw import ColourRule

TODAY = date(2026, 12, 7)
TIMELINE = sheet_spec("Timeline")
FLAG_LETTER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[c.name for c in TIMELINE.columns].index("Flag")]
_BOTH = re.compile(r'OR\((\$[A-Z]+2)="([^"]+)",\$[A-Z]+2="[^"]+"\)')
# A person's own rule on the Timeline: it names the Flag's English word, but over the Task column only.
PERSONS_RULE = (
    f'<conditionalFormatting sqref="B2:B50"><cfRule type="expression" dxfId="0" priority="99">'
    f'<formula>${FLAG_LETTER}2="OVERDUE"</formula></cfRule></conditionalFormatting>'
).encode()


def sheet_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rewrite_parts(path: Path, edit) -> None:
    """Rewrite each worksheet part through ``edit(name, xml) -> xml``; every other part as it was."""
    parts = sheet_parts(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, edit(name, data) if name.startswith("xl/worksheets/sheet") else data)


def old_style_book(tmp_path: Path, lang: str = "zh", persons_rule: bool = True) -> Path:
    """A book as the previous release made it: every flag rule matches only the English word."""
    path = tmp_path / "campaign.xlsx"
    sheetsync.create(path, lang=lang, demo=True, today=TODAY)

    def old_rules(name: str, xml: bytes) -> bytes:
        xml = _BOTH.sub(lambda m: f'{m.group(1)}="{m.group(2)}"', xml.decode()).encode()
        xml = re.sub(rb'<cfRule[^>]*><formula>\$[A-Z]+2="CHECK"</formula></cfRule>', b"", xml)
        if persons_rule and name == "xl/worksheets/sheet2.xml":  # the Timeline
            xml = xml.replace(b"<conditionalFormatting ", PERSONS_RULE + b"<conditionalFormatting ", 1)
        return xml

    rewrite_parts(path, old_rules)
    return Path(path)


def rule_formulas(path: Path, part: str = "xl/worksheets/sheet2.xml") -> list[str]:
    return re.findall(r"<formula>([^<]*)</formula>", sheet_parts(path)[part].decode())


def test_the_old_book_is_as_the_previous_release_made_it(tmp_path):
    formulas = rule_formulas(old_style_book(tmp_path, persons_rule=False))
    assert f'${FLAG_LETTER}2="OVERDUE"' in formulas and not any("已逾期" in f for f in formulas)
    assert not any(CHECK in f for f in formulas)


def test_a_chinese_old_book_gets_chinese_flags_and_rules_that_colour_them(tmp_path):
    path = old_style_book(tmp_path)
    report = sheetsync.open(path).sync(today=TODAY)
    assert report.written
    formulas = rule_formulas(path)
    assert formulas[0] == f'${FLAG_LETTER}2="OVERDUE"'  # the person's rule, untouched
    assert f'OR(${FLAG_LETTER}2="OVERDUE",${FLAG_LETTER}2="已逾期")' in formulas
    assert f'OR(${FLAG_LETTER}2="DONE",${FLAG_LETTER}2="已完成")' in formulas
    assert formulas[-1] == f'OR(${FLAG_LETTER}2="CHECK",${FLAG_LETTER}2="待修正")'  # added, applied last
    assert not any(re.fullmatch(rf'\${FLAG_LETTER}2="[A-Z ]+"', f) for f in formulas[1:]), formulas
    assert PERSONS_RULE in sheet_parts(path)["xl/worksheets/sheet2.xml"]


def test_a_second_sync_writes_nothing(tmp_path):
    path = old_style_book(tmp_path)
    sheetsync.open(path).sync(today=TODAY)
    before = path.read_bytes()
    report = sheetsync.open(path).sync(today=TODAY)
    assert (report.written, report.changed_cells) == (False, 0)
    assert path.read_bytes() == before


def test_rules_are_rewritten_even_when_no_cell_changes(tmp_path):
    """A book synced once by the new release before anyone noticed the colours: the rules alone are rewritten."""
    path = old_style_book(tmp_path, persons_rule=False)
    sheetsync.open(path).sync(today=TODAY)
    rewrite_parts(path, lambda _name, xml: _BOTH.sub(lambda m: f'{m.group(1)}="{m.group(2)}"', xml.decode()).encode())
    report = sheetsync.open(path).sync(today=TODAY)
    assert report.written and report.changed_cells == 0
    assert f'OR(${FLAG_LETTER}2="OVERDUE",${FLAG_LETTER}2="已逾期")' in rule_formulas(path)


def test_every_other_part_is_kept_byte_for_byte(tmp_path):
    path = old_style_book(tmp_path)
    before = sheet_parts(path)
    sheetsync.open(path).sync(today=TODAY)
    after = sheet_parts(path)
    untouched = {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}
    assert {name: after[name] for name in untouched} == {name: before[name] for name in untouched}
    assert after.keys() == before.keys()
    # styles.xml only gains the colours of the added CHECK rules (one per sheet that flags CHECK), appended
    old, new = (etree.fromstring(parts["xl/styles.xml"]) for parts in (before, after))
    old_dxfs, new_dxfs = (next(e for e in root if e.tag.endswith("}dxfs")) for root in (old, new))
    kept, added = new_dxfs[: len(old_dxfs)], new_dxfs[len(old_dxfs):]
    assert [etree.tostring(d) for d in kept] == [etree.tostring(d) for d in old_dxfs]
    assert added and all(b'<bgColor rgb="FFFFC7CE"/>' in etree.tostring(d) for d in added)
    new.remove(new_dxfs)
    old.remove(old_dxfs)
    assert etree.tostring(new, method="c14n") == etree.tostring(old, method="c14n")


def test_rules_in_a_shape_sheetsync_never_wrote_are_left_alone_and_the_team_is_told(tmp_path):
    path = old_style_book(tmp_path, persons_rule=False)
    rewrite_parts(path, lambda _n, xml: re.sub(rb'<formula>(\$[A-Z]+2)="([A-Z ]+)"</formula>',
                                               rb'<formula>\1="\2"&amp;""</formula>', xml))
    before = rule_formulas(path)
    report = sheetsync.open(path).sync(today=TODAY)
    assert rule_formulas(path) == before
    notices = report.analysis.notices
    assert any(n.startswith("时间表") and "sheetsync init" in n for n in notices), notices


def test_a_flag_without_a_rule_gets_one_but_not_beside_rules_sheetsync_did_not_make(tmp_path):
    """Among sheetsync's own rules a missing flag is added; beside a person's flag rules it is only named."""
    path = old_style_book(tmp_path, persons_rule=False)
    report = sheetsync.open(path).sync(today=TODAY)
    assert f'OR(${FLAG_LETTER}2="CHECK",${FLAG_LETTER}2="待修正")' in rule_formulas(path)
    assert not [n for n in report.analysis.notices if "sheetsync init" in n]

    (tmp_path / "theirs").mkdir()
    path = old_style_book(tmp_path / "theirs", persons_rule=False)
    rewrite_parts(path, lambda _n, xml: xml.replace(b'"DONE"</formula>', b'"DONE"&amp;""</formula>'))
    report = sheetsync.open(path).sync(today=TODAY)
    (notice,) = [n for n in report.analysis.notices if n.startswith("时间表")]
    assert "已完成" in notice and "待修正" not in notice and "已逾期" not in notice and "sheetsync init" in notice
    formulas = rule_formulas(path)
    assert f'${FLAG_LETTER}2="DONE"&amp;""' in formulas
    assert not any(f.startswith(f'OR(${FLAG_LETTER}2="DONE",') for f in formulas)
    assert f'OR(${FLAG_LETTER}2="CHECK",${FLAG_LETTER}2="待修正")' in formulas


def test_an_english_old_book_keeps_its_rules_colouring_and_gains_the_chinese_words(tmp_path):
    path = old_style_book(tmp_path, lang="en", persons_rule=False)
    sheetsync.open(path).sync(today=TODAY)
    assert f'OR(${FLAG_LETTER}2="OVERDUE",${FLAG_LETTER}2="已逾期")' in rule_formulas(path)


@pytest.mark.parametrize(
    ("formula", "shape"),
    [
        ('$O2="OVERDUE"', ("O", 2, OVERDUE)),
        ('=OR($O2="OVERDUE",$O2="已逾期")', ("O", 2, OVERDUE)),
        ('OR($O2="已逾期")', ("O", 2, OVERDUE)),
        ('$O2="OVERDUE "', None),  # not a flag word
        ('OR($O2="OVERDUE",$P2="已逾期")', None),  # two columns
        ('OR($O2="OVERDUE",$O2="DONE")', None),  # two flags: a person's rule
        ('AND($O2="OVERDUE",$B2<>"")', None),
        ('$O2="OVERDUE"*1', None),
    ],
)
def test_only_the_exact_shape_sheetsync_writes_is_recognised(formula, shape):
    assert sheetsync_rule(formula) == shape


def test_every_flag_has_a_formula_matching_both_its_words():
    for flag in FLAGS:
        assert sheetsync_rule(flag_formula("O", 2, flag.name)) == ("O", 2, flag.name)
        assert FLAG_BY_NAME[flag.name].zh in flag_formula("O", 2, flag.name)
    assert ColourRule((0, 0), "=x", ()).key == (0, 0)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) renders the conditional formats")
def test_libreoffice_colours_the_chinese_flags_of_an_old_book_after_a_sync(tmp_path):
    path = old_style_book(tmp_path)
    today = date.today()
    sheetsync.open(path).sync(today=today)
    profile = tmp_path / "lo-profile"
    rows = rendered_rows(convert(path, "html", profile), sheet_index=1)
    flag_at = [c.name for c in TIMELINE.columns].index("Flag")
    coloured = {}
    for cells in rows[1:]:
        flag = cells[flag_at][0]
        if cells[0][0] and flag in {f.zh for f in FLAGS if f.colours}:
            coloured[cells[0][0]] = (flag, cells[0][1])
    assert coloured, "no coloured flag on the demo timeline"
    assert {task: background for task, (_flag, background) in coloured.items()} == {
        task: colours(flag)[0] for task, (flag, _b) in coloured.items()
    }
    shutil.rmtree(profile, ignore_errors=True)


# Google Sheets: the fake validates every request against Google's published schema.

pytest_plugins = ("fake_google.plugin",)


@pytest.fixture
def old_google_sheet(fake_google, tmp_path):
    """A Chinese demo sheet whose flag rules match only English words, plus a person's own rule on 时间表."""
    from sheetsync.backends.gsheets.client import connect
    from sheetsync.template.gsheets import create_campaign_sheet

    client = connect(str(fake_google.service_account_file(tmp_path / "sa.json")), endpoint=fake_google.url)
    key, _url = create_campaign_sheet(client, "国货护肤新品上市", lang="zh", demo=True, today=TODAY)
    book = fake_google.spreadsheet(key)
    for sheet in book.sheets:
        sheet.conditional_formats = [
            r for r in sheet.conditional_formats if CHECK not in r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
        ]
        for rule in sheet.conditional_formats:
            value = rule["booleanRule"]["condition"]["values"][0]
            value["userEnteredValue"] = _BOTH.sub(lambda m: f'{m.group(1)}="{m.group(2)}"', value["userEnteredValue"])
    timeline = book.sheet_by_title(TIMELINE.label("zh"))
    persons = {
        "ranges": [{"sheetId": timeline.sheet_id, "startRowIndex": 1, "endRowIndex": 50,
                    "startColumnIndex": 1, "endColumnIndex": 2}],
        "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                      "values": [{"userEnteredValue": f'=${FLAG_LETTER}2="OVERDUE"'}]},
                        "format": {"textFormat": {"bold": True}}},
    }
    timeline.conditional_formats.insert(0, persons)
    fake_google.calls.clear()
    return client, key, persons


def google_formulas(fake_google, key) -> list[str]:
    timeline = fake_google.spreadsheet(key).sheet_by_title(TIMELINE.label("zh"))
    return [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in timeline.conditional_formats]


def test_google_rules_are_updated_in_the_same_batch_as_the_cells_and_only_once(fake_google, old_google_sheet):
    import copy

    from sheetsync.backends.gsheets import GoogleSheetsBackend

    client, key, persons = old_google_sheet
    persons = copy.deepcopy(persons)
    before = google_formulas(fake_google, key)
    assert f'=${FLAG_LETTER}2="OVERDUE"' in before[1:] and not any("已逾期" in f for f in before)
    report = sheetsync.Workbook(GoogleSheetsBackend(f"gsheet:{key}", client=client)).sync(today=TODAY)
    assert report.written
    (batch,) = fake_google.calls_to("spreadsheets.batchUpdate")
    kinds = {next(iter(request)) for request in batch.body["requests"]}
    assert {"deleteConditionalFormatRule", "addConditionalFormatRule"} <= kinds  # the sync's one batchUpdate
    assert len(fake_google.calls_to("spreadsheets.values.batchUpdateByDataFilter")) == 1  # the cells, beside it
    after = google_formulas(fake_google, key)
    assert len(after) == len(before) + 1 and after[-1] == f'=OR(${FLAG_LETTER}2="CHECK",${FLAG_LETTER}2="待修正")'
    assert f'=OR(${FLAG_LETTER}2="OVERDUE",${FLAG_LETTER}2="已逾期")' in after
    timeline = fake_google.spreadsheet(key).sheet_by_title(TIMELINE.label("zh"))
    assert timeline.conditional_formats[0] == persons  # the person's rule, untouched and still first
    flags = [row[-1] for row in fake_google.values(key, f"'{TIMELINE.label('zh')}'!A2:{FLAG_LETTER}5")]
    assert flags and all(flag in {f.zh for f in FLAGS} for flag in flags), flags

    fake_google.calls.clear()
    again = sheetsync.Workbook(GoogleSheetsBackend(f"gsheet:{key}", client=client)).sync(today=TODAY)
    assert not again.written and fake_google.calls_to("spreadsheets.batchUpdate") == []
