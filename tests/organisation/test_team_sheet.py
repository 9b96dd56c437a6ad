"""The ``Tim`` sheet of the structure workbook (docs/organisation-import.md): teams with their
decree and their members by NIP, in their roles; members from other agencies of the same region;
all or nothing; an export imports back unchanged. Real XLSX files, opened again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kinerja.core.xlsx import InvalidFile
from kinerja.organisation.models import Employee, Team, TeamMember, Unit
from kinerja.organisation.nip import format_nip
from kinerja.organisation.services.structure import export_structure, import_structure
from kinerja.organisation.services.teams import TEAM_HEADERS, TEAM_SHEET
from tests.officials import ADPIM, DKUKMTK, SETDA

pytestmark = pytest.mark.django_db


def _save(workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _nip(official, username: str) -> str:
    return format_nip(official(username).employee.nip)


def _with_teams(agency, rows: list[list], *, extra_unit: bool = False) -> io.BytesIO:
    """The agency's own export with its Tim sheet replaced by ``rows`` (and, to show that
    nothing is written on a refusal, a new unit)."""
    workbook = load_workbook(_save(export_structure(agency)))
    del workbook[TEAM_SHEET]
    sheet = workbook.create_sheet(TEAM_SHEET)
    sheet.append(TEAM_HEADERS)
    for row in rows:
        sheet.append(row)
    if extra_unit:
        workbook["Unit"].append(["BARU", "Unit Baru", "bidang", "", 99])
    return _save(workbook)


def _memberships(team: Team) -> set[tuple[str, str]]:
    return {(m.employee.full_name, m.role) for m in team.memberships.select_related("employee")}


def test_the_export_writes_each_member_on_a_row_of_its_team(offices, official):
    workbook = load_workbook(_save(export_structure(offices[ADPIM.code])))
    rows = [list(r) for r in workbook[TEAM_SHEET].values]
    assert rows[0] == TEAM_HEADERS
    team = Team.objects.get(agency__code=ADPIM.code, code="TIM-LAKIP")
    expected = [
        [
            "TIM-LAKIP",
            team.name,
            "Keputusan Kepala Biro (contoh)",
            dt.datetime(2024, 1, 8),
            _nip(official, who),
            role,
        ]
        for who, role in (
            (ADPIM.kasubag, "ketua"),
            (ADPIM.staf, "sekretaris"),
            (ADPIM.staf2, "anggota"),
        )
    ]
    assert rows[1:] == expected


def test_an_export_imports_back_unchanged(offices):
    agency = offices[ADPIM.code]
    team = Team.objects.get(agency=agency)
    before = (_memberships(team), team.history.count(), TeamMember.history.count())
    summary = import_structure(agency, _save(export_structure(agency)))
    assert (summary.teams, summary.created["teams"]) == (1, 0)
    assert (_memberships(team), team.history.count(), TeamMember.history.count()) == before


def test_a_team_with_members_of_other_agencies_of_the_region(offices, official, agency_admin):
    agency = offices[DKUKMTK.code]
    rows = [
        [
            "TIM-LAKIP",
            "Tim Penyusun LAKIP Dinas",
            "800/12/DKUKMTK/2025",
            "2025-01-06",
            _nip(official, DKUKMTK.sekretaris),
            "Ketua",
        ],
        ["TIM-LAKIP", None, None, None, _nip(official, DKUKMTK.kasubbag), "sekretaris"],
        ["TIM-LAKIP", None, None, None, _nip(official, SETDA.kabag_org), None],
        [None, None, None, None, "Sari Contoh", "anggota"],  # by name (no NIP), code left blank
        ["TIM-EVAL", "Tim Evaluasi", "", None, None, None],
    ]
    Employee.objects.create(agency=agency, full_name="Sari Contoh", employee_type="non_asn")
    summary = import_structure(agency, _with_teams(agency, rows), actor=agency_admin)
    assert (summary.teams, summary.created["teams"]) == (2, 2)
    team = Team.objects.get(agency=agency, code="TIM-LAKIP")
    assert (team.decree, team.decree_date) == ("800/12/DKUKMTK/2025", dt.date(2025, 1, 6))
    names = {
        u: official(u).employee.full_name
        for u in (DKUKMTK.sekretaris, DKUKMTK.kasubbag, SETDA.kabag_org)
    }
    assert _memberships(team) == {
        (names[DKUKMTK.sekretaris], "ketua"),
        (names[DKUKMTK.kasubbag], "sekretaris"),
        (names[SETDA.kabag_org], "anggota"),
        ("Sari Contoh", "anggota"),
    }
    assert official(SETDA.kabag_org).employee in team.members.all()
    assert {h.history_user for h in TeamMember.history.filter(team_id=team.pk)} == {agency_admin}
    assert not Team.objects.get(code="TIM-EVAL", agency=agency).members.exists()
    # listed again with one member fewer and a role changed: exactly the file's members
    rows = [
        [
            "TIM-LAKIP",
            "Tim Penyusun LAKIP Dinas",
            "800/12/DKUKMTK/2025",
            "2025-01-06",
            _nip(official, DKUKMTK.kasubbag),
            "ketua",
        ],
        [
            "TIM-LAKIP",
            "Tim Penyusun LAKIP Dinas",
            "800/12/DKUKMTK/2025",
            "2025-01-06",
            _nip(official, SETDA.kabag_org),
            "anggota",
        ],
    ]
    import_structure(agency, _with_teams(agency, rows), actor=agency_admin)
    assert _memberships(team) == {
        (names[DKUKMTK.kasubbag], "ketua"),
        (names[SETDA.kabag_org], "anggota"),
    }
    # TIM-EVAL is not in that file: left as it is
    assert Team.objects.filter(code="TIM-EVAL", agency=agency).exists()


def test_a_workbook_without_the_team_sheet_changes_no_team(offices):
    agency = offices[ADPIM.code]
    workbook = load_workbook(_save(export_structure(agency)))
    del workbook[TEAM_SHEET]
    team = Team.objects.get(agency=agency)
    before = _memberships(team)
    import_structure(agency, _save(workbook))
    assert _memberships(team) == before


BAD_ROWS = {
    "member of another region": (
        lambda nip: [["TIM-X", "Tim X", "", None, nip(ADPIM.staf), "anggota"]],
        (2, "E (Anggota)", "di luar Kabupaten Balangan"),
    ),
    "unknown NIP": (
        lambda nip: [["TIM-X", "Tim X", "", None, "19800101 200501 1 999", "anggota"]],
        (2, "E (Anggota)", "Pegawai tidak dikenal"),
    ),
    "unknown name": (
        lambda nip: [["TIM-X", "Tim X", "", None, "Siapa Saja", "anggota"]],
        (2, "E (Anggota)", "Pegawai tidak dikenal"),
    ),
    "two chairs": (
        lambda nip: [
            ["TIM-X", "Tim X", "", None, nip(DKUKMTK.kasubbag), "ketua"],
            ["TIM-X", "", "", None, nip(DKUKMTK.staf), "ketua"],
        ],
        (3, "F (Peran)", "baris 2"),
    ),
    "same member twice": (
        lambda nip: [
            ["TIM-X", "Tim X", "", None, nip(DKUKMTK.kasubbag), "ketua"],
            ["TIM-X", "", "", None, nip(DKUKMTK.kasubbag), "anggota"],
        ],
        (3, "E (Anggota)", "baris 2"),
    ),
    "another name for the team": (
        lambda nip: [
            ["TIM-X", "Tim X", "", None, nip(DKUKMTK.kasubbag), "ketua"],
            ["TIM-X", "Tim Y", "", None, nip(DKUKMTK.staf), "anggota"],
        ],
        (3, "B (Nama Tim)", "Tim X"),
    ),
    "a new team without a name": (
        lambda nip: [["TIM-X", "", "", None, nip(DKUKMTK.kasubbag), "ketua"]],
        (2, "B (Nama Tim)", "wajib"),
    ),
    "a first row without its team": (
        lambda nip: [[None, "Tim X", "", None, nip(DKUKMTK.kasubbag), "ketua"]],
        (2, "A (Kode Tim)", "wajib"),
    ),
    "unknown role": (
        lambda nip: [["TIM-X", "Tim X", "", None, nip(DKUKMTK.kasubbag), "bendahara"]],
        (2, "F (Peran)", "bendahara"),
    ),
    "bad decree date": (
        lambda nip: [["TIM-X", "Tim X", "", "31/02/2025", nip(DKUKMTK.kasubbag), "ketua"]],
        (2, "D (Tanggal SK)", "31/02/2025"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_refuses_the_whole_file_with_its_place(offices, official, case):
    agency = offices[DKUKMTK.code]
    rows, (row, column, text) = BAD_ROWS[case]
    teams_before = list(Team.objects.values_list("pk", "name"))
    members_before = TeamMember.objects.count()
    with pytest.raises(InvalidFile) as refused:
        import_structure(
            agency,
            _with_teams(agency, rows(lambda u: _nip(official, u)), extra_unit=True),
        )
    issues = [(i.sheet, i.row, i.column) for i in refused.value.issues]
    assert (TEAM_SHEET, row, column) in issues, refused.value.issues
    assert any(text in i.message for i in refused.value.issues), refused.value.issues
    assert list(Team.objects.values_list("pk", "name")) == teams_before
    assert TeamMember.objects.count() == members_before
    assert not Unit.objects.filter(agency=agency, code="BARU").exists()
