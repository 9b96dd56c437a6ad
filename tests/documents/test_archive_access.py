"""Who may archive a case's documents: only whoever may do the SOP's archive step of that case, in
its own office. Tried from outside: another office's official, a same-office official without
the step, an anonymous visitor: each refused, and nothing written."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.test import Client

from kinerja.cases.models import Task
from kinerja.core.models import AuditEntry
from kinerja.documents import signing
from kinerja.documents.models import ArchiveEntry
from kinerja.documents.services.archive import archive_case
from kinerja.documents.services.versions import create_document, generate_version
from tests.cases.helpers import actor_of
from tests.documents.casework import case_at_archive_step, signed_version
from tests.officials import DKUKMTK, KTT

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"


@pytest.fixture
def dkukmtk_case(perf, kasubbag, sekretaris, kadis):
    """A DKUKMTK case at its archive step, with a signed LKjIP and an unsigned cover letter."""
    agency = perf["DKUKMTK-BLG"]
    task = case_at_archive_step(agency, kasubbag)
    signing.create_self_signed_credential(kadis.employee, PASS)
    report = create_document(agency, "lkjip", 2024, actor=kasubbag, case_id=task.case_id)
    signed = signed_version(report, kasubbag, kadis, PASS, initials=[sekretaris])
    letter = create_document(agency, "cover_letter", 2024, actor=kasubbag, case_id=task.case_id)
    generate_version(letter, actor=kasubbag)
    return task, signed, letter


@pytest.fixture
def ktt_case(perf, official):
    agency = perf["KTT_BLG"]
    task = case_at_archive_step(agency, official(KTT.kasubbag))
    report = create_document(agency, "lkjip", 2024, case_id=task.case_id)
    generate_version(report, formats=("pdf",))
    return task


def _written() -> tuple[int, int]:
    return (
        ArchiveEntry.objects.count(),
        AuditEntry.objects.filter(action__startswith="documents.archived").count(),
    )


def test_another_office_cannot_archive_a_case_that_is_not_its_own(ktt_case, client_for):
    before = _written()
    outsider = client_for(DKUKMTK.kasubbag)
    for code in ("DKUKMTK-BLG", "KTT_BLG"):
        response = outsider.post(
            f"/dokumen/{code}/arsip/", {"case": ktt_case.case_id, "task": ktt_case.pk}
        )
        assert response.status_code == 404, code
    assert _written() == before
    ktt_case.refresh_from_db()
    assert ktt_case.status == Task.Status.OPEN


def test_same_office_without_the_archive_step_and_anonymous_are_refused(
    dkukmtk_case, client_for, official
):
    task, _signed, _letter = dkukmtk_case
    before = _written()
    holder = actor_of(task)
    for username in (DKUKMTK.kabid_kop, DKUKMTK.sekretaris, DKUKMTK.kepala):
        if username == holder.username:
            continue
        response = client_for(username).post(
            "/dokumen/DKUKMTK-BLG/arsip/", {"case": task.case_id, "task": task.pk}
        )
        assert response.status_code == 403, username
        with pytest.raises(PermissionDenied):
            archive_case(task.case, actor=official(username))
    response = Client().post("/dokumen/DKUKMTK-BLG/arsip/", {"case": task.case_id})
    assert response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )
    assert _written() == before
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_the_archive_step_archives_only_signed_versions_of_its_own_case(
    dkukmtk_case, ktt_case, client_for
):
    task, signed, _letter = dkukmtk_case
    holder = actor_of(task)
    response = client_for(holder.username).post(
        "/dokumen/DKUKMTK-BLG/arsip/?year=2024", {"case": task.case_id, "task": task.pk}
    )
    assert response.status_code == 302
    entries = list(ArchiveEntry.objects.filter(case_id=task.case_id))
    assert [e.version_id for e in entries] == [signed.pk]
    assert entries[0].sha256 == signed.signed_sha256
    assert not ArchiveEntry.objects.filter(kind="cover_letter", case_id=task.case_id).exists()
    assert not ArchiveEntry.objects.filter(agency__code="KTT_BLG").exists()
