"""Every SOP page with an official of the agency and an outsider who is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.core.models import AuditEntry
from kinerja.procedures.models import Sop, SopVersion
from kinerja.procedures.services import import_sop
from tests.officials import ADPIM, DINKES, DKUKMTK

from .test_sopfile import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def lakip(seed_sops):
    return seed_sops["DKUKMTK-BLG"].sop


@pytest.fixture
def draft(offices, kasubbag):
    return import_sop(GOOD, user=kasubbag).version


def url(name, sop, *extra):
    return reverse(f"procedures:{name}", args=[sop.agency.code, sop.pk, *extra])


def test_registry_lists_own_and_family_sops(client_for, seed_sops, draft):
    page = client_for(DKUKMTK.staf).get(reverse("procedures:registry"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "000.8.3.3/003/DKUKMTK-BLG/2024" in text
    assert "445/1.c/DINKES-BLG/2024" in text  # same pemda family, effective
    assert "Contoh SOP" in text  # own draft
    assert (
        "Biro Administrasi Pimpinan" not in text and "PENYUSUNAN LAPORAN AKUNTABILITAS" not in text
    )


def test_outsider_does_not_see_drafts_in_registry(client_for, seed_sops, draft):
    text = client_for(DINKES.kepala).get(reverse("procedures:registry")).content.decode()
    assert "000.8.3.3/003/DKUKMTK-BLG/2024" in text
    assert "Contoh SOP" not in text


def test_registry_search_and_status(client_for, seed_sops, draft):
    client = client_for(DKUKMTK.kasubbag)
    base = reverse("procedures:agency_registry", args=["DKUKMTK-BLG"])
    text = client.get(base, {"q": "contoh"}).content.decode()
    assert "Contoh SOP" in text and "Penyusunan Laporan" not in text
    text = client.get(base, {"status": "draft"}).content.decode()
    assert "Contoh SOP" in text and "000.8.3.3/003" not in text
    assert 'data-testid="sop-upload-link"' in client.get(base).content.decode()


def test_sop_page_shows_document(client_for, lakip):
    page = client_for(DKUKMTK.staf).get(url("sop", lakip))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Memerintahkan penyusunan LAKIP" in text
    assert "7 Hari 8 Jam 35 Menit" in text
    assert 'data-testid="approve"' not in text  # effective already


def test_sop_page_of_other_family_is_hidden(client_for, seed_sops):
    adpim = seed_sops["ADPIM-KALBAR"].sop
    assert client_for(DKUKMTK.staf).get(url("sop", adpim)).status_code == 404
    assert client_for(ADPIM.staf).get(url("sop", adpim)).status_code == 200


def test_draft_is_hidden_from_outsider(client_for, draft):
    sop = draft.sop
    assert client_for(DKUKMTK.staf).get(url("sop", sop)).status_code == 200
    assert client_for(DINKES.kepala).get(url("sop", sop)).status_code == 404
    assert client_for(DINKES.kepala).get(url("pdf", sop, 1)).status_code == 404
    assert client_for(DINKES.kepala).get(url("yaml", sop, 1)).status_code == 404


def test_downloads(client_for, lakip):
    client = client_for(DINKES.kepala)  # family reader
    pdf = client.get(url("pdf", lakip, 1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    yaml = client.get(url("yaml", lakip, 1))
    assert yaml.content.decode() == lakip.effective_version().source_yaml
    bpmn = client.get(url("bpmn", lakip, 1))
    assert b"<bpmn:definitions" in bpmn.content


def test_versions_and_diff(client_for, draft, kasubbag):
    revision = import_sop(GOOD.replace("Menyusun draf", "Menyusun draf LKjIP"), user=kasubbag)
    client = client_for(DKUKMTK.kasubbag)
    page = client.get(url("versions", revision.version.sop))
    text = page.content.decode()
    assert text.count('data-testid="version-row"') == 2
    assert "+    text: Menyusun draf LKjIP" in text
    assert "-    text: Menyusun draf" in text
    outsider = client_for(DINKES.kepala)
    assert outsider.get(url("versions", revision.version.sop)).status_code == 404


def test_upload_new_sop(client_for, offices):
    client = client_for(DKUKMTK.kasubbag)
    upload_url = reverse("procedures:upload", args=["DKUKMTK-BLG"])
    assert client.get(upload_url).status_code == 200
    response = client.post(
        upload_url, {"file": SimpleUploadedFile("contoh.yaml", GOOD.encode(), "application/yaml")}
    )
    sop = Sop.objects.get(agency__code="DKUKMTK-BLG", key="contoh")
    assert response.status_code == 302 and response["Location"].startswith(sop.get_absolute_url())
    assert sop.latest_version().status == SopVersion.Status.DRAFT


def test_upload_invalid_lists_problems_and_saves_nothing(client_for, offices):
    client = client_for(DKUKMTK.kasubbag)
    before = (SopVersion.objects.count(), AuditEntry.objects.count())
    bad = GOOD.replace("time: 1 Hari", "time: lama")
    response = client.post(
        reverse("procedures:upload", args=["DKUKMTK-BLG"]),
        {"file": SimpleUploadedFile("bad.yaml", bad.encode())},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="sop-problem"' in text and "lama" in text
    assert before == (SopVersion.objects.count(), AuditEntry.objects.count())


def test_upload_wrong_extension(client_for, offices):
    response = client_for(DKUKMTK.kasubbag).post(
        reverse("procedures:upload", args=["DKUKMTK-BLG"]),
        {"file": SimpleUploadedFile("x.txt", GOOD.encode())},
    )
    assert response.status_code == 200 and SopVersion.objects.filter(sop__key="contoh").count() == 0


def test_outsider_cannot_upload(client_for, offices):
    response = client_for(DINKES.kepala).get(reverse("procedures:upload", args=["DKUKMTK-BLG"]))
    assert response.status_code == 404


def test_approve_by_the_head_only(client_for, draft):
    sop = draft.sop
    approve = url("approve", sop, draft.version)
    assert client_for(DKUKMTK.kasubbag).post(approve).status_code == 403
    assert client_for(DKUKMTK.sekretaris).post(approve).status_code == 403
    assert client_for(DINKES.kepala).post(approve).status_code == 404
    page = client_for(DKUKMTK.kepala).get(url("sop", sop)).content.decode()
    assert 'data-testid="approve"' in page  # the Plt. Kepala Dinas approves
    response = client_for(DKUKMTK.kepala).post(approve)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.EFFECTIVE
    assert AuditEntry.objects.filter(action="procedures.sop.approved", object_id=str(draft.pk))
    # Now the outsider of the same family reads it.
    assert client_for(DINKES.kepala).get(url("sop", sop)).status_code == 200


def test_approving_a_revision_supersedes_the_old_version(client_for, draft, kadis, kasubbag):
    from kinerja.procedures.services import approve_version

    approve_version(draft, kadis)
    revision = import_sop(GOOD.replace("Mengarsipkan", "Mengarsipkan dokumen"), user=kasubbag)
    approve_version(revision.version, kadis)
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.SUPERSEDED
    assert draft.sop.effective_version() == revision.version
    old = client_for(DINKES.kepala).get(url("sop", draft.sop) + "?v=1").content.decode()
    assert "Mengarsipkan" in old  # old versions stay readable


def test_anonymous_is_sent_to_login(client, lakip):
    response = client.get(url("sop", lakip))
    assert response.status_code == 302 and "next=" in response["Location"]
