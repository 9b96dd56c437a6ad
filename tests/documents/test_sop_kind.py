"""The SOP document (procedures layer) goes through the same contract: a PDF-only version."""

from __future__ import annotations

import pytest

from kinerja.documents.services.versions import create_document, generate_version
from kinerja.procedures.demo import load as load_seed_sops
from kinerja.procedures.models import Sop
from tests.documents.helpers import pdf_text, read

pytestmark = pytest.mark.django_db


def test_sop_document_as_a_version(offices, kasubbag):
    if not Sop.objects.filter(agency__code="DKUKMTK-BLG").exists():
        load_seed_sops()
    sop = Sop.objects.filter(agency__code="DKUKMTK-BLG").first()
    version = sop.effective_version() or sop.versions.first()
    document = create_document(
        offices["DKUKMTK-BLG"], "sop", 2024, options={"sop_version": version.pk}, actor=kasubbag
    )
    stored = generate_version(document, actor=kasubbag)
    assert not stored.docx and stored.pdf
    assert version.name.split()[0].upper() in pdf_text(read(stored.pdf)).upper()
