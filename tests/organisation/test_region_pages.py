"""The regional administrator's pages (docs/regions.md), tried from outside: the regional
administrator of Balangan, an office's administrator, an ordinary official, another province's
officials and an anonymous visitor."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from kinerja.core.models import AuditEntry
from kinerja.documents.models import LetterRegister
from kinerja.organisation.models import Agency, AgencyRole, Employee
from tests.officials import ADPIM, BALANGAN, DINKES, DKUKMTK, SETDA

pytestmark = pytest.mark.django_db

BLG = BALANGAN.code


def new_agency(**extra) -> dict:
    return {
        "code": "DISPERKIM-BLG",
        "name": "Dinas Perumahan dan Kawasan Permukiman Kabupaten Balangan",
        "kind": "dinas",
        "time_zone": "Asia/Makassar",
        "letterhead_lines": "PEMERINTAH KABUPATEN BALANGAN\nDINAS PERUMAHAN",
        "head_title": "KEPALA DINAS PERUMAHAN",
        **extra,
    }


def png(size=(40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile("lambang.png", buffer.getvalue(), content_type="image/png")


def test_the_regional_administrator_sees_the_agencies_of_its_region_only(client_for):
    client = client_for(BALANGAN.admin)
    home = client.get(reverse("home")).content.decode()
    assert reverse("organisation:region", args=[BLG]) in home
    page = client.get(reverse("organisation:region", args=[BLG]))
    assert page.status_code == 200
    listed = set(page.context["agencies"].values_list("code", flat=True))
    expected = set(Agency.objects.filter(region__code=BLG).values_list("code", flat=True))
    assert listed == expected and {DKUKMTK.code, SETDA.code} <= listed
    assert ADPIM.code not in page.content.decode()
    # another province, and an agency of it: their existence is private
    assert client.get(reverse("organisation:region", args=["61"])).status_code == 404
    for name in ("organisation:agency", "organisation:agency_edit", "organisation:agency_admins"):
        assert client.get(reverse(name, args=[ADPIM.code])).status_code == 404
    assert client.get(reverse("documents:numbering", args=[ADPIM.code])).status_code == 404


def test_the_regional_administrator_sees_no_other_layer_of_its_agencies(client_for):
    """Master data only: the offices' documents, SOP drafts and performance stay theirs."""
    client = client_for(BALANGAN.admin)
    assert client.get(reverse("organisation:agency", args=[DKUKMTK.code])).status_code == 200
    for name in ("documents:agency", "documents:letters", "performance:agency"):
        assert client.get(reverse(name, args=[DKUKMTK.code])).status_code == 404, name


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("organisation:region", BLG),
        ("organisation:agency_create", BLG),
        ("organisation:agency_edit", DKUKMTK.code),
        ("organisation:agency_admins", DKUKMTK.code),
        ("documents:numbering", DKUKMTK.code),
    ],
)
def test_anonymous_visitors_are_sent_to_login(name, arg):
    response = Client().get(reverse(name, args=[arg]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_doors_for_an_office_administrator_and_an_ordinary_official(client_for):
    admin = client_for(DKUKMTK.admin)
    # an agency administrator creates no agency and sees no region page
    assert admin.get(reverse("organisation:region", args=[BLG])).status_code == 404
    response = admin.post(reverse("organisation:agency_create", args=[BLG]), new_agency())
    assert response.status_code == 404
    assert not Agency.objects.filter(code="DISPERKIM-BLG").exists()
    # it keeps its own agency's record and numbering, but names no administrator
    assert admin.get(reverse("organisation:agency_edit", args=[DKUKMTK.code])).status_code == 200
    assert admin.get(reverse("documents:numbering", args=[DKUKMTK.code])).status_code == 200
    assert admin.get(reverse("organisation:agency_admins", args=[DKUKMTK.code])).status_code == 403
    assert admin.get(reverse("organisation:agency_edit", args=[DINKES.code])).status_code == 404
    staf = client_for(DKUKMTK.staf)
    assert staf.get(reverse("organisation:region", args=[BLG])).status_code == 404
    for name in ("organisation:agency_edit", "organisation:agency_admins", "documents:numbering"):
        assert staf.get(reverse(name, args=[DKUKMTK.code])).status_code == 403, name
    before = Agency.objects.get(code=DKUKMTK.code).phone
    staf.post(reverse("organisation:agency_edit", args=[DKUKMTK.code]), {"phone": "0"})
    assert Agency.objects.get(code=DKUKMTK.code).phone == before
    foreign = client_for(ADPIM.admin)
    assert foreign.get(reverse("organisation:region", args=[BLG])).status_code == 404
    assert foreign.get(reverse("organisation:agency_edit", args=[DKUKMTK.code])).status_code == 404


def test_creating_an_agency_on_the_page(client_for, official):
    client = client_for(BALANGAN.admin)
    url = reverse("organisation:agency_create", args=[BLG])
    assert client.get(url).status_code == 200
    response = client.post(url, new_agency(logo=png()))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:agency", args=["DISPERKIM-BLG"])
    agency = Agency.objects.get(code="DISPERKIM-BLG")
    assert (agency.region.code, agency.kind, agency.time_zone) == (BLG, "dinas", "Asia/Makassar")
    assert agency.letterhead() == ["PEMERINTAH KABUPATEN BALANGAN", "DINAS PERUMAHAN"]
    assert agency.logo.name.startswith("agencies/DISPERKIM-BLG/logo/")
    history = agency.history.get()
    assert history.history_user == official(BALANGAN.admin)
    entry = AuditEntry.objects.get(action="organisation.agency.created", agency_code=agency.code)
    assert entry.actor == official(BALANGAN.admin)
    # the new agency is on the region's page and its own page opens for the regional admin
    assert (
        "DISPERKIM-BLG" in client.get(reverse("organisation:region", args=[BLG])).content.decode()
    )
    assert client.get(reverse("organisation:agency", args=["DISPERKIM-BLG"])).status_code == 200


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"code": DKUKMTK.code}, "code"),
        ({"kind": "kantor"}, "kind"),
        ({"time_zone": "Europe/Paris"}, "time_zone"),
        ({"email": "bukan-surel"}, "email"),
        ({"logo": SimpleUploadedFile("lambang.png", b"not a picture")}, "logo"),
    ],
)
def test_a_wrong_agency_is_refused_by_field_and_nothing_is_saved(client_for, extra, field):
    before = Agency.objects.count()
    response = client_for(BALANGAN.admin).post(
        reverse("organisation:agency_create", args=[BLG]), new_agency(**extra)
    )
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert "Tidak ada yang disimpan" in response.content.decode()
    assert Agency.objects.count() == before


def test_editing_an_agency_keeps_its_history(client_for, official):
    client = client_for(BALANGAN.admin)
    agency = Agency.objects.get(code=DINKES.code)
    url = reverse("organisation:agency_edit", args=[DINKES.code])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("logo", None)
    data.update(phone="(0526) 2028 111", head_title="KEPALA DINAS KESEHATAN")
    response = client.post(url, data)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.phone, agency.head_title) == ("(0526) 2028 111", "KEPALA DINAS KESEHATAN")
    entry = AuditEntry.objects.filter(action="organisation.agency.updated").latest("pk")
    assert entry.agency_code == DINKES.code and entry.actor == official(BALANGAN.admin)
    assert entry.after["phone"] == "(0526) 2028 111"
    assert set(entry.before) == {"phone", "head_title"} or "phone" in entry.before
    assert agency.history.latest().history_user == official(BALANGAN.admin)
    # the code is not on the edit form: it cannot be changed
    client.post(url, {**data, "code": "X"})
    assert Agency.objects.filter(code=DINKES.code).exists()


def test_naming_and_removing_an_office_administrator(client_for, official):
    client = client_for(BALANGAN.admin)
    url = reverse("organisation:agency_admins", args=[DINKES.code])
    with_login = official(DINKES.staf).employee
    response = client.post(url, {"employee": with_login.pk})
    assert response.status_code == 302
    assert AgencyRole.objects.filter(user=with_login.user, agency__code=DINKES.code).exists()
    # an employee without a login gets one, with no password anybody chose
    bare = Employee.objects.create(
        agency=Agency.objects.get(code=DINKES.code), full_name="Sari Contoh", employee_type="pns"
    )
    response = client.post(url, {"employee": bare.pk})
    assert response.status_code == 422 and "username" in response.context["form"].errors
    response = client.post(url, {"employee": bare.pk, "username": "dinkes.sari"})
    assert response.status_code == 302
    bare.refresh_from_db()
    assert bare.user.username == "dinkes.sari" and not bare.user.has_usable_password()
    assert AgencyRole.objects.filter(user=bare.user, agency__code=DINKES.code).exists()
    # a login already taken is refused, and nothing is written
    other = Employee.objects.create(
        agency=Agency.objects.get(code=DINKES.code), full_name="Budi Contoh", employee_type="pns"
    )
    response = client.post(url, {"employee": other.pk, "username": DINKES.kepala})
    assert response.status_code == 422
    other.refresh_from_db()
    assert other.user is None
    # an employee of another office is not on the list
    response = client.post(url, {"employee": official(DKUKMTK.staf).employee.pk})
    assert response.status_code == 422
    # removing
    role = AgencyRole.objects.get(user=bare.user, agency__code=DINKES.code)
    assert client.post(url, {"revoke": role.pk}).status_code == 302
    assert not AgencyRole.objects.filter(pk=role.pk).exists()
    actions = list(
        AuditEntry.objects.filter(agency_code=DINKES.code, action__startswith="organisation.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "organisation.agency_admin.granted",
        "organisation.login.created",
        "organisation.agency_admin.granted",
        "organisation.agency_admin.revoked",
    ]
    # another office's role id names nothing here
    foreign_role = AgencyRole.objects.get(user__username=ADPIM.admin)
    assert client.post(url, {"revoke": foreign_role.pk}).status_code == 404
    assert AgencyRole.objects.filter(pk=foreign_role.pk).exists()


def test_the_numbering_pattern(client_for, official):
    client = client_for(BALANGAN.admin)
    page = client.get(reverse("organisation:agency", args=[DKUKMTK.code])).content.decode()
    assert reverse("documents:numbering", args=[DKUKMTK.code]) in page
    url = reverse("documents:numbering", args=[DKUKMTK.code])
    before = list(LetterRegister.objects.filter(agency__code=DKUKMTK.code).values())
    for bad, said in (
        ("{kode}/{tahun}", "pola memerlukan token nomor urut {urut}"),
        ("{kode}/{urut}/{nomor}", "token {nomor} tidak dikenal"),
        ("{urut}/{urut}", "token {urut} muncul dua kali"),
    ):
        response = client.post(
            url, {"pattern": bad, "unit_code": "", "default_classification": "000.8.6.3"}
        )
        assert response.status_code == 422
        assert said in " ".join(response.context["form"].errors["pattern"])
        assert list(LetterRegister.objects.filter(agency__code=DKUKMTK.code).values()) == before
    response = client.post(
        url,
        {
            "pattern": "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}",
            "unit_code": "DKUKMTK",
            "default_classification": "000.8.6.3",
        },
    )
    assert response.status_code == 302
    stored = LetterRegister.objects.get(agency__code=DKUKMTK.code)
    assert (stored.pattern, stored.unit_code) == (
        "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}",
        "DKUKMTK",
    )
    entry = AuditEntry.objects.get(action="documents.letter_register.changed")
    assert entry.actor == official(BALANGAN.admin) and entry.before["unit_code"] == ""
    example = client.get(url).context["example"]
    assert example.startswith("000.8.6.3/001/DKUKMTK/") and example.count("/") == 4


def test_a_new_office_gets_its_first_administrator_entered_by_hand(client_for):
    """A new agency has no employees yet: the regional administrator enters its first
    administrator by name, NIP and e-mail; a bad NIP refuses all of it."""
    client = client_for(BALANGAN.admin)
    assert (
        client.post(reverse("organisation:agency_create", args=[BLG]), new_agency()).status_code
        == 302
    )
    url = reverse("organisation:agency_admins", args=["DISPERKIM-BLG"])
    entered = {
        "full_name": "Rina Hartati, S.T.",
        "nip": "19800101 200501 2 003",
        "email": "rina@example.go.id",
        "username": "disperkim.rina",
    }
    refused = client.post(url, {**entered, "nip": "1980"})
    assert refused.status_code == 422 and "nip" in refused.context["form"].errors
    assert not Employee.objects.filter(agency__code="DISPERKIM-BLG").exists()
    nameless = client.post(url, {"username": "x"})
    assert nameless.status_code == 422 and "employee" in nameless.context["form"].errors
    done = client.post(url, entered)
    assert done.status_code == 302, done.context["form"].errors
    employee = Employee.objects.get(agency__code="DISPERKIM-BLG")
    assert (employee.full_name, employee.nip) == ("Rina Hartati, S.T.", "198001012005012003")
    assert employee.user.username == "disperkim.rina" and not employee.user.has_usable_password()
    assert AgencyRole.objects.filter(user=employee.user, agency__code="DISPERKIM-BLG").exists()
    assert employee.history.count() >= 1


def test_the_regional_administrator_requires_two_step_verification(client_for, official):
    from kinerja.organisation.models import Region
    from kinerja.organisation.services.two_factor import required_for

    url = reverse("organisation:region_two_factor", args=[BLG])
    page = client_for(BALANGAN.admin).get(reverse("organisation:region", args=[BLG]))
    assert 'data-required="0"' in page.content.decode()
    assert client_for(BALANGAN.admin).get(url).status_code == 405  # no GET changes state
    # doors: anonymous, an office administrator of the region and one of another province
    assert Client().post(url, {"required": "1"}).status_code == 302  # to the login page
    assert client_for(DKUKMTK.admin).post(url, {"required": "1"}).status_code == 404
    assert client_for(ADPIM.admin).post(url, {"required": "1"}).status_code == 404
    assert not Region.objects.get(code=BLG).require_two_factor
    assert client_for(BALANGAN.admin).post(url, {"required": "1"}).status_code == 302
    assert Region.objects.get(code=BLG).require_two_factor
    assert required_for(official(DINKES.kepala))  # a head of an agency: a signer
    assert not required_for(official(DINKES.staf))
    entry = AuditEntry.objects.filter(action="region.two_factor.required").latest("pk")
    assert entry.actor == official(BALANGAN.admin)
