"""The reports of every demo office, generated once for the folder through the real services.

Generating some fifty documents is the slow part, so it happens once per session: every LKjIP,
quarterly report and PK is made with ``create_document`` and ``generate_version`` (as the pages
and the command line do), read back as text, and the database writes are rolled back, so that no
other test sees these documents. The tests then compare the text with ``oracle``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings

from kinerja.organisation import demo as organisation_demo
from kinerja.organisation.models import Agency
from kinerja.performance import demo as performance_demo
from kinerja.performance.models import Indicator
from tests.documents.helpers import pdf_text
from tests.performance.conftest import perf  # noqa: F401  (shared fixture)
from tests.reconciliation.cases import LKJIP_YEARS, OFFICES, PERIODS, PK_YEARS
from tests.reconciliation.read import Block, docx_blocks


@dataclass
class Generated:
    docx: list[Block]
    pdf: str


def _load_demo() -> None:
    if not Agency.objects.filter(code="DKUKMTK-BLG").exists():
        organisation_demo.load()
    if not Indicator.objects.filter(objective__plan__agency__code="DKUKMTK-BLG").exists():
        performance_demo.load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        performance_demo.load()


@pytest.fixture(scope="session")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    """{(kind, office code, period): Generated} for every report of every office."""
    from kinerja.documents.services.versions import create_document, generate_version

    wanted = [("lkjip", code, str(y)) for code in OFFICES for y in LKJIP_YEARS]
    wanted += [("periodic_report", code, p) for code in OFFICES for p in PERIODS]
    wanted += [("pk", code, str(y)) for code in OFFICES for y in PK_YEARS]
    media = tmp_path_factory.mktemp("reconciliation-media")
    found: dict[tuple[str, str, str], Generated] = {}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, KINERJA_SIGNING_DIR=media / "signing"),
        transaction.atomic(),
    ):
        _load_demo()
        agencies = {a.code: a for a in Agency.objects.filter(code__in=OFFICES)}
        for kind, code, period in wanted:
            document = create_document(agencies[code], kind, int(period[:4]), period=period)
            version = generate_version(document)
            with version.docx.open("rb") as docx, version.pdf.open("rb") as pdf:
                found[(kind, code, period)] = Generated(
                    docx_blocks(docx.read()), pdf_text(pdf.read())
                )
        transaction.set_rollback(True)  # the documents were only made to be read
    return found
