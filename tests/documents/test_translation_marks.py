"""UI strings of the documents layer are marked for translation (the Indonesian catalogue)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from kinerja.documents import contract, signing
from kinerja.documents.services.versions import create_document
from tests.cases.helpers import actor_of
from tests.documents.casework import case_at_archive_step, signed_version

# The meeting kinds belong to the procedures helper's module.
OWNED_ELSEWHERE = {"invitation", "attendance"}


def test_every_kind_title_is_a_lazy_translation():
    kinds = {k: cls for k, cls in contract.kinds().items() if k not in OWNED_ELSEWHERE}
    assert {"lkjip", "periodic_report", "pk", "cover_letter", "sop", "renstra"} <= set(kinds)
    for identifier, cls in kinds.items():
        assert isinstance(cls.title, Promise), identifier
        with translation.override("en"):
            assert str(cls.title)[0].isupper()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("documents", "expected"), [(1, "1 document archived."), (2, "2 documents archived.")]
)
def test_archive_message_counts_in_singular_and_plural(
    perf, client_for, kasubbag, sekretaris, kadis, documents, expected
):
    agency = perf["DKUKMTK-BLG"]
    task = case_at_archive_step(agency, kasubbag)
    signing.create_self_signed_credential(kadis.employee, "rahasia-uji")
    for kind in ("cover_letter", "pk")[:documents]:
        document = create_document(agency, kind, 2024, actor=kasubbag, case_id=task.case_id)
        signed_version(document, kasubbag, kadis, "rahasia-uji", initials=[sekretaris])
    client = client_for(actor_of(task).username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/dokumen/DKUKMTK-BLG/arsip/?year=2024", {"case": task.case_id}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [expected]
