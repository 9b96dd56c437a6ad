"""Import of an office's structure from XLSX: all or nothing, every bad row located."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kinerja.core.models import AuditEntry
from kinerja.core.xlsx import InvalidFile
from kinerja.organisation.models import (
    Agency,
    Employee,
    Position,
    PositionHolding,
    Region,
    Unit,
)
from kinerja.organisation.services.structure import export_structure, import_structure
from tests.officials import DKUKMTK

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    return tuple(
        sorted(query, key=repr)
        for query in (
            Unit.objects.values_list("agency_id", "code", "name", "parent_id"),
            Position.objects.values_list("agency_id", "code", "name", "unit_id", "superior_id"),
            Employee.objects.values_list("nip", "full_name", "rank", "agency_id"),
            PositionHolding.objects.values_list("position_id", "employee_id", "kind", "start"),
        )
    )


def _save(workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def new_agency(offices):
    return Agency.objects.create(
        region=Region.objects.get(code="63.11"),
        name="Dinas Contoh",
        code="CONTOH-BLG",
        kind="dinas",
        time_zone="Asia/Makassar",
    )


def _small_structure():
    """A valid workbook for a new office, in the export format."""
    from openpyxl import Workbook

    from kinerja.core.xlsx import write_sheet
    from kinerja.organisation.services import structure as s

    wb = Workbook()
    wb.remove(wb.active)
    write_sheet(
        wb.create_sheet(s.UNIT_SHEET),
        s.UNIT_HEADERS,
        [
            ["SEKRET", "Sekretariat", "sekretariat", "", 1],
            ["SUBBAG-PK", "Subbagian Perencanaan", "subbag", "SEKRET", 2],
        ],
    )
    write_sheet(
        wb.create_sheet(s.POSITION_SHEET),
        s.POSITION_HEADERS,
        [
            ["KADIS", "Kepala Dinas", "", "struktural", "Ya", "", "Tidak", 1],
            ["SEK", "Sekretaris", "SEKRET", "struktural", "Ya", "KADIS", "Tidak", 2],
            [
                "KASUBBAG",
                "Kasubbag Perencanaan",
                "SUBBAG-PK",
                "struktural",
                "ya",
                "SEK",
                "tidak",
                3,
            ],
            ["STAF", "Staf", "SUBBAG-PK", "pelaksana", "Tidak", "KASUBBAG", "Ya", 4],
        ],
    )
    write_sheet(
        wb.create_sheet(s.EMPLOYEE_SHEET),
        s.EMPLOYEE_HEADERS,
        [
            [
                "19700101 199503 1 002",
                "Budi Uji, S.E.",
                "PNS",
                "Pembina Tk. I",
                "budi@example.go.id",
                "",
            ],
            ["197501012000032001", "Sari Uji", "pns", "IV/a", "", "sari.uji"],
            ["198001012005011001", "Andi Uji", "PNS", "III/c", "", ""],
            ["", "Tono Uji", "Non ASN", "", "", ""],
            ["199009132025242014", "Rina Uji", "PPPK", "", "", ""],
        ],
    )
    write_sheet(
        wb.create_sheet(s.HOLDING_SHEET),
        s.HOLDING_HEADERS,
        [
            ["KADIS", "19700101 199503 1 002", "Plt.", dt.date(2024, 1, 2), None, "SK 1/2024"],
            ["SEK", "197501012000032001", "Definitif", "2023-01-02", "", ""],
            ["KASUBBAG", "198001012005011001", "definitif", "02/01/2023", "", ""],
            ["STAF", "Tono Uji", "Definitif", dt.date(2023, 1, 2), None, ""],
            ["STAF", "199009132025242014", "Definitif", dt.date(2023, 1, 2), None, ""],
        ],
    )
    return wb


def test_a_valid_file_imports_everything(new_agency, agency_admin):
    summary = import_structure(new_agency, _save(_small_structure()), actor=agency_admin)
    assert summary.created == {
        "units": 2,
        "positions": 4,
        "employees": 5,
        "holdings": 5,
        "teams": 0,
    }
    subbag = Unit.objects.get(agency=new_agency, code="SUBBAG-PK")
    assert subbag.parent.code == "SEKRET"
    assert subbag.kind == "subbagian"
    kasubbag = Position.objects.get(agency=new_agency, code="KASUBBAG")
    assert kasubbag.superior.code == "SEK" and kasubbag.is_head and not kasubbag.shared
    budi = Employee.objects.get(nip="197001011995031002")
    assert budi.rank == "IV/b"
    holding = PositionHolding.objects.get(employee=budi)
    assert holding.title == "Plt. Kepala Dinas"
    assert holding.decree == "SK 1/2024"
    assert Employee.objects.get(full_name="Sari Uji").user.username == "sari.uji"
    assert Position.objects.get(agency=new_agency, code="STAF").holdings.count() == 2
    entry = AuditEntry.objects.get(
        action="organisation.structure.imported", agency_code="CONTOH-BLG"
    )
    assert entry.actor == agency_admin


def test_export_imports_back_unchanged(offices):
    agency = offices["DKUKMTK-BLG"]
    before = _snapshot()
    first = _save(export_structure(agency))
    summary = import_structure(agency, first)
    assert summary.created == {
        "units": 0,
        "positions": 0,
        "employees": 0,
        "holdings": 0,
        "teams": 0,
    }
    assert _snapshot() == before
    again = load_workbook(_save(export_structure(agency)))
    original = load_workbook(first)
    for name in original.sheetnames:
        assert [list(r) for r in again[name].values] == [list(r) for r in original[name].values]


def _broken(mutate):
    wb = _small_structure()
    mutate(wb)
    return _save(wb)


BAD_FILES = {
    "invalid NIP": (
        lambda wb: wb["Pegawai"].cell(row=3, column=1, value="19751301 200003 2 001"),
        ("Pegawai", 3, "A (NIP)", "1-8"),
    ),
    "unknown unit": (
        lambda wb: wb["Jabatan"].cell(row=4, column=3, value="SUBBAG-XX"),
        ("Jabatan", 4, "C (Kode Unit)", "SUBBAG-XX"),
    ),
    "unknown superior": (
        lambda wb: wb["Jabatan"].cell(row=3, column=6, value="GUBERNUR"),
        ("Jabatan", 3, "F (Kode Atasan)", "GUBERNUR"),
    ),
    "two definitive holders at once": (
        lambda wb: wb["Pemangku Jabatan"].append(
            ["SEK", "198001012005011001", "Definitif", "2024-06-01", "", ""]
        ),
        ("Pemangku Jabatan", 7, "A (Kode Jabatan)", "SEK"),
    ),
    "unknown employee in a holding": (
        lambda wb: wb["Pemangku Jabatan"].cell(row=5, column=2, value="Orang Asing"),
        ("Pemangku Jabatan", 5, "B (Pegawai)", "Orang Asing"),
    ),
    "unknown holding status": (
        lambda wb: wb["Pemangku Jabatan"].cell(row=2, column=3, value="Pj."),
        ("Pemangku Jabatan", 2, "C (Status)", "Pj."),
    ),
    "not a date": (
        lambda wb: wb["Pemangku Jabatan"].cell(row=3, column=4, value="awal tahun"),
        ("Pemangku Jabatan", 3, "D (Mulai)", "awal tahun"),
    ),
    "end before start": (
        lambda wb: wb["Pemangku Jabatan"].cell(row=3, column=5, value="2022-01-01"),
        ("Pemangku Jabatan", 3, "E (Sampai)", ""),
    ),
    "duplicate unit code": (
        lambda wb: wb["Unit"].append(["SEKRET", "Sekretariat Lagi", "sekretariat", "", 3]),
        ("Unit", 4, "A (Kode)", "SEKRET"),
    ),
    "unit cycle": (
        lambda wb: wb["Unit"].cell(row=2, column=4, value="SUBBAG-PK"),
        ("Unit", 2, "D (Kode Induk)", ""),
    ),
    "unknown golongan": (
        lambda wb: wb["Pegawai"].cell(row=4, column=4, value="V/z"),
        ("Pegawai", 4, "D (Golongan)", "V/z"),
    ),
    "non-civil-servant with a NIP": (
        lambda wb: wb["Pegawai"].cell(row=5, column=1, value="198001012005011009"),
        ("Pegawai", 5, "A (NIP)", ""),
    ),
    "missing name": (
        lambda wb: setattr(wb["Jabatan"]["B2"], "value", None),
        ("Jabatan", 2, "B (Nama)", ""),
    ),
    "renamed header": (
        lambda wb: wb["Pegawai"].cell(row=1, column=2, value="Nama"),
        ("Pegawai", 1, "B", "Nama Lengkap"),
    ),
    "missing sheet": (
        lambda wb: wb.remove(wb["Unit"]),
        ("Unit", None, None, ""),
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_each_kind_of_bad_row_is_located_and_nothing_is_written(new_agency, kind):
    mutate, (sheet, row, column, fragment) = BAD_FILES[kind]
    before = _snapshot()
    with pytest.raises(InvalidFile) as error:
        import_structure(new_agency, _broken(mutate))
    assert _snapshot() == before
    located = [i for i in error.value.issues if (i.sheet, i.row, i.column) == (sheet, row, column)]
    assert located, f"{kind}: expected an issue at {sheet}/{row}/{column}, got {error.value.issues}"
    assert fragment in located[0].message


def test_several_problems_are_all_reported_in_indonesian(new_agency):
    def mutate(wb):
        wb["Pegawai"].cell(row=2, column=1, value="12345")
        wb["Jabatan"].cell(row=4, column=3, value="TIDAK-ADA")

    with pytest.raises(InvalidFile) as error:
        import_structure(new_agency, _broken(mutate))
    text = str(error.value)
    assert "lembar Pegawai, baris 2, kolom A (NIP): NIP harus terdiri dari 18 digit" in text
    assert "lembar Jabatan, baris 4" in text


def test_a_holding_that_collides_with_a_stored_one_is_refused(offices):
    agency = offices["DKUKMTK-BLG"]
    wb = export_structure(agency)
    wb["Pemangku Jabatan"].append(
        ["SEKRETARIS", "Ahmad Contoh, S.E.", "Definitif", "2024-03-01", "", ""]
    )
    wb["Pemangku Jabatan"].delete_rows(3)  # the file need not list the stored holder
    before = _snapshot()
    with pytest.raises(InvalidFile) as error:
        import_structure(agency, _save(wb))
    assert _snapshot() == before
    assert any("SEKRETARIS" in i.message for i in error.value.issues)


def test_not_an_excel_file_is_refused(new_agency):
    with pytest.raises(InvalidFile) as error:
        import_structure(new_agency, io.BytesIO(b"Nama,NIP\nBudi,1\n"))
    assert "xlsx" in str(error.value)


def test_command_line_import_fails_with_every_problem(new_agency, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_broken(lambda wb: wb["Pegawai"].cell(row=3, column=1, value="1")).read())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("org", "import", str(path), "--agency", "CONTOH-BLG")
    assert "Pegawai" in capsys.readouterr().err
    good = tmp_path / "good.xlsx"
    good.write_bytes(_save(_small_structure()).read())
    call_command("org", "import", str(good), "--agency", "CONTOH-BLG")
    assert Position.objects.filter(agency=new_agency).count() == 4
    out = tmp_path / "out.xlsx"
    call_command("org", "export", "--agency", "CONTOH-BLG", "--out", str(out))
    assert load_workbook(out).sheetnames == [
        "Unit",
        "Jabatan",
        "Pegawai",
        "Pemangku Jabatan",
        "Tim",
    ]


def test_export_never_writes_a_formula(offices):
    agency = offices["DKUKMTK-BLG"]
    Employee.objects.filter(user__username=DKUKMTK.staf).update(
        full_name='=HYPERLINK("http://evil.example","klik")'
    )
    wb = load_workbook(_save(export_structure(agency)))
    names = [row[1] for row in wb["Pegawai"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://evil.example","klik")' in names
    cells = [c for c in wb["Pegawai"]["B"] if str(c.value).startswith("=")]
    assert all(c.data_type == "s" for c in cells)
