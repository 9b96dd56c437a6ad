"""The lean value reader of the forms gives every cell the value openpyxl's
``load_workbook(data_only=True)`` gives it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kinerja.core.xlsx import InvalidFile
from kinerja.performance.services.collection.workbook_values import open_values

CELL_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
        lambda t: not t.startswith("=") and t.strip() == t
    ),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
)


def _openpyxl_rows(data: bytes, sheet: str) -> list[tuple]:
    ws = load_workbook(io.BytesIO(data), data_only=True)[sheet]
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def _lean_rows(data: bytes, sheet: str) -> list[tuple]:
    wb = open_values(io.BytesIO(data))
    try:
        return list(wb[sheet].iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()


def _same(lean: list[tuple], full: list[tuple]) -> None:
    """Equal row by row, the full reader's padding (trailing None) aside."""
    assert len(lean) <= len(full)
    for index, row in enumerate(full):
        mine = lean[index] if index < len(lean) else ()
        assert tuple(mine) + (None,) * (len(row) - len(mine)) == row, index


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELL_VALUES, min_size=1, max_size=6), min_size=1, max_size=8))
def test_same_values_as_openpyxl(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r * 2, column=c * 2, value=value)  # gaps of rows and columns
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    _same(_lean_rows(data, "Data"), _openpyxl_rows(data, "Data"))


def _excel_like() -> bytes:
    """A workbook written the way Excel writes one: shared strings (with rich-text and phonetic
    runs), a custom date format, the 1904 date system, a formula with its cached value, an
    error, a boolean, a cell with no reference, a missing row."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook {ns} xmlns:r="{rel}"><workbookPr date1904="1"/>'
            '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst {ns} count="3" uniqueCount="3"><si><t>Kode</t></si>'
            "<si><r><t>85,5</t></r><r><rPr><b/></rPr><t>%</t></r>"
            "<rPh sb='0' eb='1'><t>ふりがな</t></rPh></si>"
            "<si><t xml:space='preserve'> IKU-1 </t></si></sst>"
        ),
        "xl/styles.xml": (
            f'<styleSheet {ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
            '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="10"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": (
            f"<worksheet {ns}><sheetData>"
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>45000</v></c>'
            '<c r="C3" s="2"><v>0.855</v></c><c r="D3"><f>1+1</f><v>2</v></c>'
            '<c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="b"><v>1</v></c>'
            '<c r="G3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c><v>1.5E3</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_excel_written_workbook_read_like_openpyxl():
    data = _excel_like()
    lean = _lean_rows(data, "Data")
    _same(lean, _openpyxl_rows(data, "Data"))
    assert lean[0] == ("Kode", None, "85,5%")
    assert lean[1] == ()
    assert lean[2][:2] == (" IKU-1 ", dt.datetime(2027, 3, 16))  # 1904 system
    assert lean[2][2:] == (0.855, 2, "#N/A", True, "ab", 1500.0)


def test_not_a_workbook_is_an_invalid_file():
    with pytest.raises(InvalidFile):
        open_values(io.BytesIO(b"PK\x03\x04 broken"))
    data = _excel_like().replace(b"<row r=", b"<row r=")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    wb = open_values(io.BytesIO(broken.getvalue()))
    with pytest.raises(InvalidFile):
        list(wb["Data"].iter_rows(values_only=True))
