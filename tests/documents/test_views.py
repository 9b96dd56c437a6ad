"""Pages: the whole flow through the views, the actions reporting done, outsiders refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.cases import services
from kinerja.core import actions
from kinerja.documents import signing
from kinerja.documents.models import Document, LetterNumber
from tests.cases.conftest import seed_sops  # noqa: F401  (shared fixture)
from tests.cases.helpers import actor_of, at_action
from tests.officials import DINKES, DKUKMTK

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"


def test_actions_are_registered():
    for name in ("draft_report", "review_report", "initial", "sign", "number_letter", "archive"):
        assert actions.get(name).name == name


def _link(task) -> str:
    """The action's link on the task page, for the task's holder."""
    context = actions.resolve_task(task.pk, actor_of(task), task.step.action)
    return actions.get(task.step.action).start(context)


def _done(task) -> bool:
    task.refresh_from_db()
    return task.status == task.Status.DONE


def test_flow_through_pages(perf, seed_sops, official, client_for, kadis):  # noqa: F811
    """The documents steps of seed 001 (draft, review, initial, sign, number, archive), each
    from its task's link, each task completed by the page's work for the document's case."""
    agency = perf["DKUKMTK-BLG"]
    signing.create_self_signed_credential(kadis.employee, PASS)
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris))
    drafting = at_action(case, "draft_report")
    kasubbag = client_for(DKUKMTK.kasubbag)
    url = _link(drafting)
    assert kasubbag.get(url).status_code == 200  # a page: the GET makes nothing
    assert not Document.objects.filter(agency=agency, case_id=case.pk).exists()
    kasubbag.post(url, {"task": drafting.pk})
    document = Document.objects.get(agency=agency, kind="lkjip", case_id=case.pk)
    assert document.initial_positions == ["SEKRETARIS"]
    detail = f"/dokumen/d/{document.pk}/"
    kasubbag.post(f"{detail}generate/", {})
    assert _done(drafting) and drafting.action_output["object_type"] == "documents.documentversion"
    v1 = document.versions.get(number=1)

    kasubbag.post(
        f"{detail}texts/", {"strategic_issues": "Rendahnya akses permodalan UMKM.", "x": "y"}
    )
    document.refresh_from_db()
    assert document.options["strategic_issues"] == "Rendahnya akses permodalan UMKM."
    assert "x" not in document.options

    reviewing = at_action(case, "review_report")
    sekretaris = client_for(DKUKMTK.sekretaris)
    sekretaris.post(
        f"{detail}comment/",
        {"version": v1.pk, "section": "Bab I Pendahuluan", "text": "Lengkapi isu strategis"},
    )
    sekretaris.post(f"{detail}reviewed/", {"version": v1.pk})
    assert _done(reviewing)
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

    initialling = at_action(case, "initial")
    sekretaris.post(f"{detail}initial/", {"version": v3.pk})
    assert _done(initialling)
    signing_task = at_action(case, "sign")
    kepala = client_for(DKUKMTK.kepala)
    assert 'data-testid="sign"' in kepala.get(detail).content.decode()
    kepala.post(f"{detail}sign/", {"version": v3.pk, "passphrase": PASS})
    v3.refresh_from_db()
    assert v3.is_signed and _done(signing_task)

    numbering = at_action(case, "number_letter")
    url = _link(numbering)
    assert kasubbag.get(url).status_code == 200
    letter_page = kasubbag.post(url, {"task": numbering.pk})["Location"]
    letter_doc = Document.objects.get(agency=agency, kind="cover_letter", case_id=case.pk)
    kasubbag.post(f"/dokumen/d/{letter_doc.pk}/number/", {"classification": "000.8.6.3"})
    letter = LetterNumber.objects.get(agency=agency)
    assert _done(numbering) and letter.number in numbering.action_output["label"]
    assert letter.number in kasubbag.get(letter_page).content.decode()

    archiving = at_action(case, "archive")
    archivist = client_for(actor_of(archiving).username)
    archive_url = archivist.get(_link(archiving))["Location"]
    archivist.post(archive_url, {"case": str(case.pk)})
    assert _done(archiving)
    case.refresh_from_db()
    assert case.status == case.Status.FINISHED
    response = kasubbag.post("/dokumen/DKUKMTK-BLG/arsip/paket/2024/")
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
    assert "01_LKjIP_DKUKMTK-BLG_2024.pdf" in names


def test_letter_register_page(perf, client_for):
    kasubbag = client_for(DKUKMTK.kasubbag)
    kasubbag.post("/dokumen/DKUKMTK-BLG/surat/", {"classification": "000.8.3.3"})
    letter = LetterNumber.objects.get(agency__code="DKUKMTK-BLG")
    assert letter.number.startswith("000.8.3.3/001/DKUKMTK-BLG/")
    staf = client_for(DKUKMTK.staf)
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
    outsider = client_for(DINKES.kepala)
    for url in (
        "/dokumen/DKUKMTK-BLG/",
        "/dokumen/DKUKMTK-BLG/surat/",
        "/dokumen/DKUKMTK-BLG/arsip/",
        f"/dokumen/d/{document.pk}/",
        f"/dokumen/v/{version.pk}/unduh/pdf/",
        f"/dokumen/d/{document.pk}/banding/?a=1&b=1",
        f"/dokumen/tugas/{document.agency_id}/draft_report/?period=2024",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/dokumen/d/{document.pk}/generate/").status_code == 404
    assert outsider.post("/dokumen/DKUKMTK-BLG/arsip/paket/2024/").status_code == 404
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
