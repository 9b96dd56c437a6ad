"""Pages: the whole flow through the views, the actions reporting done, outsiders refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.core import actions
from kinerja.documents import signing
from kinerja.documents.models import Document, LetterNumber

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"


@pytest.fixture
def done_calls():
    calls = []

    def receiver(sender, name, task_id, output, user_id=None, **kwargs):
        calls.append((name, task_id, output))

    actions.action_done.connect(receiver, dispatch_uid="test-documents-done")
    yield calls
    actions.action_done.disconnect(dispatch_uid="test-documents-done")


def test_actions_are_registered():
    for name in ("draft_report", "review_report", "initial", "sign", "number_letter", "archive"):
        assert actions.get(name).name == name


def test_flow_through_pages(
    perf, client_for, kadis, done_calls, django_capture_on_commit_callbacks
):
    agency = perf["DKUKMTK-BLG"]
    signing.create_self_signed_credential(kadis.employee, PASS)
    kasubbag = client_for("dkukmtk.kasubbag")
    context = actions.ActionContext(task_id=77, case_id=5, agency_id=agency.pk, period="2024")
    url = actions.get("draft_report").start(context)
    response = kasubbag.get(url)
    assert response.status_code == 302
    document = Document.objects.get(agency=agency, kind="lkjip", case_id=5)
    assert document.initial_positions == ["SEKRETARIS"]
    detail = f"/dokumen/d/{document.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        kasubbag.post(f"{detail}generate/", {"task": "77"})
    assert done_calls[-1][:2] == ("draft_report", 77)
    v1 = document.versions.get(number=1)

    kasubbag.post(
        f"{detail}texts/", {"strategic_issues": "Rendahnya akses permodalan UMKM.", "x": "y"}
    )
    document.refresh_from_db()
    assert document.options["strategic_issues"] == "Rendahnya akses permodalan UMKM."
    assert "x" not in document.options

    sekretaris = client_for("dkukmtk.sekretaris")
    sekretaris.post(
        f"{detail}comment/",
        {"version": v1.pk, "section": "Bab I Pendahuluan", "text": "Lengkapi isu strategis"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        sekretaris.post(f"{detail}reviewed/", {"version": v1.pk, "task": "78"})
    assert done_calls[-1][:2] == ("review_report", 78)
    page = sekretaris.get(detail).content.decode()
    assert "Lengkapi isu strategis" in page

    docx = kasubbag.get(f"/dokumen/v/{v1.pk}/unduh/docx/")
    edited = b"".join(docx.streaming_content)
    kasubbag.post(
        f"{detail}upload/", {"docx": SimpleUploadedFile("edit.docx", edited), "note": "perbaikan"}
    )
    kasubbag.post(f"{detail}generate/", {})
    v3 = document.versions.get(number=3)
    from tests.documents.helpers import docx_text, read

    assert "Rendahnya akses permodalan UMKM." in docx_text(read(v3.docx))
    assert kasubbag.get(f"/dokumen/d/{document.pk}/banding/?a=2&b=3").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        sekretaris.post(f"{detail}initial/", {"version": v3.pk, "task": "79"})
    assert done_calls[-1][:2] == ("initial", 79)
    kepala = client_for("dkukmtk.kadis")
    assert 'data-testid="sign"' in kepala.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        kepala.post(f"{detail}sign/", {"version": v3.pk, "passphrase": PASS, "task": "80"})
    v3.refresh_from_db()
    assert v3.is_signed and done_calls[-1][:2] == ("sign", 80)

    url = actions.get("number_letter").start(
        actions.ActionContext(task_id=81, case_id=5, agency_id=agency.pk, period="2024")
    )
    letter_page = kasubbag.get(url)["Location"]
    letter_doc = Document.objects.get(agency=agency, kind="cover_letter", case_id=5)
    with django_capture_on_commit_callbacks(execute=True):
        kasubbag.post(
            f"/dokumen/d/{letter_doc.pk}/number/", {"classification": "000.8.6.3", "task": "81"}
        )
    letter = LetterNumber.objects.get(agency=agency)
    assert done_calls[-1][:2] == ("number_letter", 81) and letter.number in done_calls[-1][2].label
    assert letter.number in kasubbag.get(letter_page).content.decode()

    url = actions.get("archive").start(
        actions.ActionContext(task_id=82, case_id=5, agency_id=agency.pk, period="2024")
    )
    archive_url = kasubbag.get(url)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        kasubbag.post(archive_url, {"case": "5", "task": "82"})
    assert done_calls[-1][:2] == ("archive", 82)
    response = kasubbag.get("/dokumen/DKUKMTK-BLG/arsip/paket/2024/")
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
    assert (
        "01_LKjIP_DKUKMTK-BLG_2024.pdf" in names
        and "06_SURAT-PENGANTAR_DKUKMTK-BLG_2024.pdf" in names
    )


def test_letter_register_page(perf, client_for):
    kasubbag = client_for("dkukmtk.kasubbag")
    kasubbag.post("/dokumen/DKUKMTK-BLG/surat/", {"classification": "000.8.3.3"})
    letter = LetterNumber.objects.get(agency__code="DKUKMTK-BLG")
    assert letter.number.startswith("000.8.3.3/001/DKUKMTK-BLG/")
    staf = client_for("dkukmtk.staf")
    staf.post("/dokumen/DKUKMTK-BLG/surat/", {"what": "void", "letter": letter.pk, "reason": "x"})
    letter.refresh_from_db()
    assert letter.status == "issued"  # neither the issuer nor an administrator
    kasubbag.post(
        "/dokumen/DKUKMTK-BLG/surat/", {"what": "void", "letter": letter.pk, "reason": "salah"}
    )
    letter.refresh_from_db()
    assert letter.status == "voided"
    page = kasubbag.get("/dokumen/DKUKMTK-BLG/surat/").content.decode()
    assert "salah" in page


def test_outsider_is_refused_everywhere(perf, client_for, kasubbag):
    from kinerja.documents.services.versions import create_document, generate_version

    document = create_document(perf["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)
    version = generate_version(document)
    outsider = client_for("dinkes.kadis")
    for url in (
        "/dokumen/DKUKMTK-BLG/",
        "/dokumen/DKUKMTK-BLG/surat/",
        "/dokumen/DKUKMTK-BLG/arsip/",
        "/dokumen/DKUKMTK-BLG/arsip/paket/2024/",
        f"/dokumen/d/{document.pk}/",
        f"/dokumen/v/{version.pk}/unduh/pdf/",
        f"/dokumen/d/{document.pk}/banding/?a=1&b=1",
        f"/dokumen/tugas/{document.agency_id}/draft_report/?period=2024",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/dokumen/d/{document.pk}/generate/").status_code == 404
    assert outsider.post("/dokumen/DKUKMTK-BLG/surat/", {}).status_code == 404
    assert not LetterNumber.objects.exists()
    # the verification page is public
    assert outsider.get(f"/dokumen/verifikasi/{version.token}/").status_code == 200


def test_admin_lists_documents_models(perf, client):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.filter(is_superuser=True).first()
    if admin_user is None:
        admin_user = get_user_model().objects.create_superuser("docs-admin", "a@b.c", "x")
    client.force_login(admin_user)
    for name in ("letterregister", "documenttemplate", "letternumber", "document", "archiveentry"):
        assert client.get(f"/admin/documents/{name}/").status_code == 200, name
