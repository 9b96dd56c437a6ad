"""``kinerja region`` and ``kinerja agency``: create regions and agencies, name administrators
(docs/regions.md), with the services' rules and Indonesian refusals; the regional administrator's
access helpers."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kinerja.core.models import AuditEntry
from kinerja.organisation import access
from kinerja.organisation.models import Agency, AgencyRole, Region, RegionRole
from tests.officials import ADPIM, BALANGAN, DINKES, DKUKMTK, SETDA

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO())
    return str(error.value)


def test_a_province_then_a_regency_and_a_city_of_it(offices):
    assert "--tz" in refused("region", "create", "--code", "74", "--name", "Provinsi X")
    run("region", "create", "--code", "75", "--name", "Provinsi Gorontalo", "--tz", "WITA")
    regency = run(
        "region", "create", "--code", "75.01", "--name", "Kabupaten Boalemo", "--parent", "75"
    )["region"]
    assert regency == {
        "code": "75.01",
        "name": "Kabupaten Boalemo",
        "kind": "kabupaten",
        "parent": "75",
        "government_name": "PEMERINTAH KABUPATEN BOALEMO",
        "time_zone": "WITA",
    }
    city = run(
        "region",
        "create",
        "--code",
        "75.71",
        "--name",
        "Kota Gorontalo",
        "--parent",
        "75",
        "--tz",
        "WIT",
    )["region"]
    assert (city["kind"], city["time_zone"]) == ("kota", "WIT")
    assert Region.objects.get(code="75.71").history.count() == 1
    assert AuditEntry.objects.filter(action="organisation.region.created").count() == 3


def test_region_refusals_are_indonesian_and_write_nothing(offices):
    before = Region.objects.count()
    assert "sudah dipakai" in refused(
        "region", "create", "--code", "63.11", "--name", "Kabupaten X", "--parent", "63"
    )
    assert "tidak dikenal" in refused(
        "region", "create", "--code", "63.99", "--name", "Kabupaten X", "--parent", "99"
    )
    # a regency is of a province, not of another regency
    assert "--parent" in refused(
        "region", "create", "--code", "63.99", "--name", "Kabupaten X", "--parent", "63.11"
    )
    assert "--kind" in refused(
        "region",
        "create",
        "--code",
        "63.99",
        "--name",
        "Kabupaten X",
        "--kind",
        "kabupaten",
        "--tz",
        "WITA",
    )
    assert "--tz" in refused(
        "region",
        "create",
        "--code",
        "63.99",
        "--name",
        "Kabupaten X",
        "--parent",
        "63",
        "--tz",
        "CET",
    )
    assert Region.objects.count() == before


def test_agency_create_reads_the_kind_from_the_name_and_takes_the_regions_zone(offices):
    made = run(
        "agency",
        "create",
        "--region",
        "63.11",
        "--code",
        "DISPERKIM-BLG",
        "--name",
        "Dinas Perumahan dan Kawasan Permukiman Kabupaten Balangan",
    )["agency"]
    assert made == {
        "code": "DISPERKIM-BLG",
        "name": "Dinas Perumahan dan Kawasan Permukiman Kabupaten Balangan",
        "kind": "dinas",
        "region": "63.11",
        "time_zone": "WITA",
    }
    assert (
        run(
            "agency",
            "create",
            "--region",
            "63.11",
            "--code",
            "KEC-X",
            "--name",
            "Kecamatan Paringin",
        )["agency"]["kind"]
        == "kecamatan"
    )
    assert (
        run(
            "agency",
            "create",
            "--region",
            "63.11",
            "--code",
            "OPD-X",
            "--name",
            "Kantor X",
            "--kind",
            "opd",
        )["agency"]["kind"]
        == "dinas"
    )
    assert (
        run(
            "agency",
            "create",
            "--region",
            "63.11",
            "--code",
            "BAG-X",
            "--name",
            "Bagian X",
            "--kind",
            "bagian",
            "--tz",
            "WIB",
        )["agency"]["time_zone"]
        == "WIB"
    )
    agency = Agency.objects.get(code="DISPERKIM-BLG")
    assert agency.history.count() == 1
    assert AuditEntry.objects.filter(
        action="organisation.agency.created", agency_code="DISPERKIM-BLG"
    ).exists()


def test_agency_refusals(offices):
    before = Agency.objects.count()
    message = refused(
        "agency", "create", "--region", "63.11", "--code", DKUKMTK.code, "--name", "Dinas X"
    )
    assert "--code" in message and "sudah dipakai" in message
    assert "tidak dikenal" in refused(
        "agency", "create", "--region", "99", "--code", "X", "--name", "Dinas X"
    )
    assert "--kind" in refused(
        "agency", "create", "--region", "63.11", "--code", "X", "--name", "Kantor X"
    )
    assert "--kind" in refused(
        "agency",
        "create",
        "--region",
        "63.11",
        "--code",
        "X",
        "--name",
        "Dinas X",
        "--kind",
        "kantor",
    )
    assert Agency.objects.count() == before
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "agency",
            "create",
            "--region",
            "63.11",
            "--code",
            DKUKMTK.code,
            "--name",
            "Dinas X",
            "--json",
            stdout=out,
        )
    assert json.loads(out.getvalue())["errors"]["--code"]


def test_naming_and_removing_administrators(offices, official):
    login = get_user_model().objects.create(username="disperkim.admin")
    result = run("agency", "admin", "--agency", DINKES.code, "--login", "disperkim.admin")
    assert result["admins"] == sorted([DINKES.admin, "disperkim.admin"])
    assert "sudah" in refused(
        "agency", "admin", "--agency", DINKES.code, "--login", "disperkim.admin"
    )
    # an employee of another pemda administers no agency of this one
    assert "--login" in refused("agency", "admin", "--agency", DINKES.code, "--login", ADPIM.kabag)
    assert "tidak dikenal" in refused(
        "agency", "admin", "--agency", "NOPE", "--login", DINKES.admin
    )
    run("agency", "admin", "--agency", DINKES.code, "--login", "disperkim.admin", "--revoke")
    assert not AgencyRole.objects.filter(user=login).exists()
    assert [h.history_type for h in AgencyRole.history.filter(user_id=login.pk)] == ["-", "+"]
    run("region", "admin", "--region", "63.11", "--login", SETDA.kabag_org)
    assert RegionRole.objects.filter(user__username=SETDA.kabag_org).exists()
    assert "--login" in refused("region", "admin", "--region", "61", "--login", SETDA.kabag_org)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"organisation.agency_admin.granted", "organisation.agency_admin.revoked"} <= actions
    assert "organisation.region_admin.granted" in actions


def test_a_regional_administrator_manages_its_regions_agencies_and_sees_nothing_else(
    offices, official
):
    admin = official(BALANGAN.admin)
    managed = set(access.agencies_managed_by(admin).values_list("code", flat=True))
    balangan = set(Agency.objects.filter(region__code="63.11").values_list("code", flat=True))
    assert managed == balangan and ADPIM.code not in managed
    assert access.can_administer_region(admin, Region.objects.get(code="63.11"))
    assert not access.can_administer_region(admin, Region.objects.get(code="61"))
    # the other layers' scope is unchanged: a regional administrator works for no agency
    assert access.agency_ids_of(admin) == set()
    assert not access.can_administer(admin, offices[DKUKMTK.code])
    assert access.can_manage_agency(admin, offices[DKUKMTK.code])
    assert not access.can_manage_agency(admin, offices[ADPIM.code])
    # an agency administrator manages its agency, not the region
    agency_admin = official(DKUKMTK.admin)
    assert set(access.agencies_managed_by(agency_admin).values_list("code", flat=True)) == {
        DKUKMTK.code
    }
    assert not access.can_administer_region(agency_admin, Region.objects.get(code="63.11"))


def test_the_structure_commands_follow_the_regional_administrators_pages(offices, tmp_path):
    out = tmp_path / "struktur.xlsx"
    call_command(
        "org",
        "export",
        "--agency",
        DKUKMTK.code,
        "--out",
        str(out),
        "--as",
        BALANGAN.admin,
        stdout=io.StringIO(),
    )
    call_command(
        "org",
        "import",
        str(out),
        "--agency",
        DKUKMTK.code,
        "--as",
        BALANGAN.admin,
        stdout=io.StringIO(),
    )
    entry = AuditEntry.objects.filter(action="organisation.structure.imported").latest("pk")
    assert entry.actor.username == BALANGAN.admin and entry.agency_code == DKUKMTK.code


def test_the_first_administrators_of_an_empty_database_are_made_from_the_shell(db):
    """From nothing (a region the demo lacks): a province, a regency, its Setda, and its SAKIP administrator entered by
    name as a new employee of the Setda, whose login has no password until they set one."""
    from kinerja.organisation.models import Employee

    run("region", "create", "--code", "62", "--name", "Provinsi Kalimantan Tengah", "--tz", "WITA")
    run(
        "region",
        "create",
        "--code",
        "62.01",
        "--name",
        "Kabupaten Kotawaringin Barat",
        "--parent",
        "62",
    )
    run(
        "agency",
        "create",
        "--region",
        "62.01",
        "--code",
        "SETDA-KOBAR",
        "--name",
        "Sekretariat Daerah Kabupaten Kotawaringin Barat",
        "--kind",
        "setda",
    )
    new = ("--login", "kobar.admin", "--name", "Ahmad Fauzi, S.Sos.")
    # the new employee's agency is needed, must exist, and a bad NIP refuses everything
    assert "--agency" in refused("region", "admin", "--region", "62.01", *new)
    assert "NOPE" in refused("region", "admin", "--region", "62.01", *new, "--agency", "NOPE")
    assert (
        "nip"
        in refused(
            "region", "admin", "--region", "62.01", *new, "--agency", "SETDA-KOBAR", "--nip", "123"
        ).lower()
    )
    assert not Employee.objects.filter(agency__code="SETDA-KOBAR").exists()
    assert not get_user_model().objects.filter(username="kobar.admin").exists()
    result = run(
        "region",
        "admin",
        "--region",
        "62.01",
        *new,
        "--agency",
        "SETDA-KOBAR",
        "--nip",
        "19750505 200003 1 004",
    )
    assert result["admins"] == ["kobar.admin"]
    employee = Employee.objects.get(user__username="kobar.admin")
    assert employee.agency.code == "SETDA-KOBAR" and employee.nip == "197505052000031004"
    assert not employee.user.has_usable_password()
    assert RegionRole.objects.filter(user=employee.user, region__code="62.01").exists()
    # an office's first administrator the same way
    run(
        "agency",
        "create",
        "--region",
        "62.01",
        "--code",
        "DISTAN-KOBAR",
        "--name",
        "Dinas Pertanian Kabupaten Kotawaringin Barat",
    )
    run(
        "agency",
        "admin",
        "--agency",
        "DISTAN-KOBAR",
        "--login",
        "distan.kobar",
        "--name",
        "Siti Rahmah",
    )
    assert AgencyRole.objects.filter(
        user__username="distan.kobar",
        agency__code="DISTAN-KOBAR",
        user__employee__full_name="Siti Rahmah",
    ).exists()
