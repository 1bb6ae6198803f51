"""The fast sheet reader against sheets built to make it differ from lxml's reader.

Its contract (sheetsync/backends/xlsx/fast_read.py): a sheet it accepts gives exactly the cells, values and
types, that read.read_sheet (lxml) gives; anything else falls back to that reader. So a part lxml refuses
must never be read by the pattern (it would then be planned on and patched), and a value lxml reads one way
must not be read another.
"""

from __future__ import annotations

import io

import pytest

from sheetsync.backends.xlsx import read as read_module
from sheetsync.backends.xlsx.fast_read import outside_rows, read_plain_sheet

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED = ["zero", "one"]
DATES = frozenset({2})


def _sheet(rows: str, *, before: str = "", inside: str = "", after: str = "", extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{before}'
        f'<worksheet xmlns="{NS}" xmlns:x14ac="urn:x14ac"{extra}>{inside}'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    ).encode()


def _row(cells: str, attrs: str = "") -> str:
    return f'<row r="1"{attrs}>{cells}</row>'


def _fast(xml: bytes):
    rest = outside_rows(NS, read_module._colour_rules)
    return read_plain_sheet(xml, SHARED, DATES, False, rest)


def _slow(xml: bytes):
    return read_module.read_sheet(io.BytesIO(xml), NS, SHARED, DATES, False)


def _typed(cells: dict) -> list:
    return sorted((key, type(value).__name__, value) for key, value in cells.items())


def _assert_agrees(xml: bytes) -> None:
    """Read by the pattern or not at all: never read otherwise than lxml reads it."""
    fast = _fast(xml)
    if fast is not None:
        assert _typed(fast[0]) == _typed(_slow(xml)[0])


@pytest.mark.parametrize(
    "xml",
    [
        _sheet(_row('<c r="A1"><v>1</v></c>', ' spans="1:1" spans="1:1"')),  # an attribute twice
        _sheet(_row('<c r="A1"><v>1</v></c>', ' r="2"')),  # r twice
        _sheet(_row('<c r="A1"><v>1</v></c>', ' x14ac:a="1" y:a="2"'), extra=' xmlns:y="urn:x14ac"'),  # same name
        _sheet(_row('<c r="A1"><v>1</v></c>', ' x14ac:b:c="1"')),  # not a qualified name
        _sheet(_row('<c r="A1"><v>1</v></c>', ' x14ac:="1"')),
        _sheet(_row('<c r="A1"><v>1</v></c>', ' spans="\x01"')),  # a control character in a value
        _sheet(_row('<c r="A1"><v>1</v></c>', '\x0bspans="1:1"')),  # a vertical tab is not XML's white space
        _sheet(_row('<c r="A1"><v>1</v></c>', '\x0c')),
        _sheet(_row('<c r="A1"><v>1</v></c>', ' spans="@"')).replace(b"@", b"\xff"),  # not UTF-8
        _sheet(_row('<c r="A1" t="str"><v>a\x01b</v></c>')),  # control characters in text
        _sheet(_row('<c r="A1" t="inlineStr"><is><t>a\x1fb</t></is></c>')),
        _sheet(_row('<c r="A1"><v>1\x0c</v></c>')),  # float() takes a form feed
        _sheet(_row('<c r="A1" t="s"><v>1\x0b</v></c>')),  # int() takes a vertical tab
        _sheet(_row('<c r="A1" t="str"><v>a\ufffeb</v></c>')),  # a non-character
        _sheet(_row('<c r="A1" t="str"><v>a]]>b</v></c>')),  # "]]>" outside CDATA
        _sheet(_row('<c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c>')),
        _sheet(_row('<c r="A1" t="str"><v>a&#1;b</v></c>')),  # references to characters XML refuses
        _sheet(_row('<c r="A1" t="str"><v>a&#0;b</v></c>')),
        _sheet(_row('<c r="A1" t="str"><v>a&#xD800;b</v></c>')),
        _sheet(_row('<c r="A1" t="inlineStr"><is><t>a&#xFFFF;b</t></is></c>')),
        _sheet(_row('<c r="A1" t="str"><v>a&#x110000;b</v></c>')),  # chr() raised ValueError
        _sheet(_row('<c r="A1" t="str"><v>a&#99999999999999999999999;b</v></c>')),  # chr() raised OverflowError
        _sheet(_row('<c r="A1" t="e"><v>&#8;</v></c>')),
    ],
)
def test_a_sheet_lxml_refuses_is_never_read_by_the_pattern(xml: bytes) -> None:
    assert _fast(xml) is None
    with pytest.raises(Exception):  # noqa: B017,PT011 - lxml's own error, translated by read_workbook
        _slow(xml)


@pytest.mark.parametrize(
    "rows",
    [
        _row('<c r="A1" t="b"><v>&#49;</v></c>'),  # lxml: True (the pattern said False)
        _row('<c r="A1" t="b"><v>1\u00a0</v></c>'),  # str.strip() takes a no-break space, bytes.strip() not
        _row('<c r="A1" t="b"><v> true </v></c>'),
        _row('<c r="A1"><v>&#49;</v></c>'),  # lxml: 1 (the pattern raised, so the book was called damaged)
        _row('<c r="A1"><v>1\u00a0</v></c>'),
        _row('<c r="A1"><v>\u0661\u0662</v></c>'),  # Arabic-Indic digits: float() of the text reads 12
        _row('<c r="A1" s="2"><v>\uff16\uff10</v></c>'),  # full-width digits in a date cell
        _row('<c r="A1" t="s"><v>&#49;</v></c>'),  # shared string 1
        _row('<c r="A1" t="s"><v> 1</v></c>'),
        _row('<c r="A1"><v>1_0</v></c>'),
    ],
)
def test_a_value_lxml_reads_is_read_as_lxml_reads_it(rows: str) -> None:
    xml = _sheet(rows)
    _slow(xml)  # lxml reads it
    _assert_agrees(xml)


@pytest.mark.parametrize(
    "xml",
    [
        # rows in a comment, a processing instruction or CDATA are not rows
        _sheet("", inside='<!-- <sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData> -->').replace(
            b"<sheetData></sheetData>", b""
        ),
        _sheet("", inside='<?pi <sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData> ?>').replace(
            b"<sheetData></sheetData>", b""
        ),
        _sheet("", inside='<extLst><![CDATA[<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>]]>'
               "</extLst>").replace(b"<sheetData></sheetData>", b""),
        # a comment's rows before the real, prefixed, sheetData (empty, then not)
        _sheet("", inside='<!-- <sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData> --><x:sheetData/>',
               extra=f' xmlns:x="{NS}"').replace(b"<sheetData></sheetData>", b""),
        _sheet("", inside='<!-- <sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData> -->'
               '<x:sheetData><x:row r="1"><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData>',
               extra=f' xmlns:x="{NS}"').replace(b"<sheetData></sheetData>", b""),
        # a sheetData of another vocabulary, the worksheet's own one prefixed
        (
            f'<worksheet xmlns="{NS}" xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="B1"><x:v>2</x:v></x:c>'
            '</x:row></x:sheetData><extLst><ext xmlns="urn:other"><sheetData><row r="1"><c r="A1"><v>1</v></c>'
            "</row></sheetData></ext></extLst></worksheet>"
        ).encode(),
        # rows outside sheetData, which lxml's reader also reads
        _sheet(_row('<c r="A1"><v>1</v></c>'), after='<extLst><row r="5"><c r="A5"><v>5</v></c></row></extLst>'),
        # a DTD that gives every cell t="s": lxml applies the default, a pattern cannot
        _sheet(_row('<c r="A1"><v>1</v></c>'), before='<!DOCTYPE worksheet [<!ATTLIST c t CDATA "s">]>'),
    ],
)
def test_rows_are_read_only_where_lxmls_reader_finds_them(xml: bytes) -> None:
    _slow(xml)
    _assert_agrees(xml)


@pytest.mark.parametrize(
    "rows",
    [
        _row(
            '<c r="A1"><v>1E-3</v></c><c r="B1"><v>-0</v></c><c r="C1"><v>1.0</v></c><c r="D1"><v>0001</v></c>'
            '<c r="E1"><v>3.0000000000000004</v></c><c r="F1"><v>123456789012345678901234567890</v></c>'
            '<c r="G1" s="2"><v>60</v></c><c r="H1" s="2"><v>0.75</v></c><c r="I1" t="n"><v>.5</v></c>',
            ' spans="1:9" x14ac:dyDescent="0.25"',
        ),
        _row(
            '<c r="A1" t="b"><v>0</v></c><c r="B1" t="b"><v>true</v></c><c r="C1" t="b"><v>false</v></c>'
            '<c r="D1" t="s"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c>',
            ' customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"',
        ),
        _row(
            '<c r="A1" t="inlineStr"><is><t xml:space="preserve"> a&#9;b&#13;&#10;&#x4E2D;&#20013; </t></is></c>'
            '<c r="B1" t="str"><v>&lt;&amp;&gt;&quot;&apos;_x000D_ ]] &gt;</v></c>'
            '<c r="C1" t="inlineStr"><is><t>\U0001f600 tab\there</t></is></c>'
        ),
    ],
)
def test_the_usual_forms_are_still_read_by_the_pattern(rows: str) -> None:
    xml = _sheet(rows, after='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>')
    fast = _fast(xml)
    assert fast is not None
    slow = _slow(xml)
    assert _typed(fast[0]) == _typed(slow[0])
    assert fast[1:] == slow[1:]


def test_an_error_in_the_part_is_lxmls_own_message() -> None:
    xml = _sheet(_row('<c r="A1"><v>1</v></c>'), after="<x:y/>")  # an undeclared prefix outside the rows
    assert _fast(xml) is None  # lxml's reader then says where, in the part as it is


@pytest.mark.parametrize("sheet_data", [b"<sheetData/>", b"<sheetData />", b"<sheetData></sheetData>"])
def test_an_empty_sheet_is_read_by_the_pattern(sheet_data: bytes) -> None:
    xml = _sheet("", after='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>').replace(
        b"<sheetData></sheetData>", sheet_data
    )
    assert _fast(xml) == ({}, [(1, 1, 1, 2)], []) == _slow(xml)


def test_a_sheet_not_in_the_plain_form_is_given_up_at_its_first_odd_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell with an attribute the pattern does not know: one token for the rest, not one per byte.

    Tokenising each byte of such a sheet held a tuple per byte: 3 s and 900 MB for the 5,000-row Reviews
    sheet (7.5 MB), then lxml read it anyway.
    """
    from sheetsync.backends.xlsx import fast_read

    counts = []

    class Counted:
        def findall(self, *args):
            tokens = fast_read_token.findall(*args)
            counts.append(len(tokens))
            return tokens

    fast_read_token = fast_read._TOKEN
    monkeypatch.setattr(fast_read, "_TOKEN", Counted())
    rows = "".join(f'<row r="{n}"><c r="A{n}" cm="1"><v>{n}</v></c></row>' for n in range(1, 2001))
    xml = _sheet(rows)
    assert _fast(xml) is None
    assert sum(counts) <= 3  # the row, then everything from the odd attribute on
    assert len(_slow(xml)[0]) == 2000


def test_a_formula_in_the_last_row_is_seen_before_the_rows_are_tokenised(monkeypatch: pytest.MonkeyPatch) -> None:
    from sheetsync.backends.xlsx import fast_read

    monkeypatch.setattr(fast_read, "_TOKEN", None)  # tokenising would fail loudly
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1001))
    xml = _sheet(rows + '<row r="1001"><c r="A1001"><f>SUM(A1:A1000)</f><v>500500</v></c></row>')
    assert _fast(xml) is None
    assert _slow(xml)[0][(1001, 1)].cached == 500500


def _format(sqref: str, formula: str, inner: str = "") -> str:
    return (
        f'<conditionalFormatting sqref="{sqref}"><cfRule type="expression" dxfId="0" priority="1">'
        f"<formula>{formula}</formula></cfRule>{inner}</conditionalFormatting>"
    )


@pytest.mark.parametrize(
    "after",
    [
        _format("A1:A5", "A1&gt;1", _format("B1:B5", "B1&gt;2")),  # nested: lxml's reader met the inner first
        '<extLst><ext uri="x">' + _format("C1", "C1") + "</ext></extLst>" + _format("A1", "A1"),  # not the sheet's
        '<mergeCells><mergeCell ref="A1:B2"><mergeCell ref="C1:D1"/></mergeCell></mergeCells>',
    ],
)
def test_merged_ranges_and_colour_rules_are_read_as_lxml_and_the_writer_see_them(after: str) -> None:
    from lxml import etree

    xml = _sheet(_row('<c r="A1"><v>1</v></c>'), after=after)
    fast, slow = _fast(xml), _slow(xml)
    assert fast is None or fast[1:] == slow[1:]
    # rewrite_colour_rule finds block k among the worksheet's own conditionalFormatting children
    own = etree.fromstring(xml).findall(f"{{{NS}}}conditionalFormatting")
    for rule in slow[2]:
        block, index = rule.key
        formula = own[block].findall(f"{{{NS}}}cfRule")[index].find(f"{{{NS}}}formula").text
        assert "=" + formula == rule.formula
