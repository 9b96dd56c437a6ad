"""The reports of every demo office, generated through the real services and read back once.

Generating some forty documents is the slow part, so each is made once per session (see
:class:`Library`); the tests compare their text with ``oracle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from kinerja.organisation.models import Agency
from kinerja.performance import demo as performance_demo
from tests.documents.helpers import pdf_text
from tests.performance.conftest import perf  # noqa: F401  (shared fixture)
from tests.reconciliation.read import Block, docx_blocks


@dataclass
class Generated:
    docx: list[Block]
    pdf: str


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        performance_demo.load()


class Library:
    """Generated documents read back as text, each made on first use and kept for the session.

    Each is made with ``create_document`` and ``generate_version`` (as the pages and the command
    line do) on the demo data (the asking test holds ``perf``), inside a savepoint of that test
    that is rolled back at once: no other test
    sees the document, only its text is kept. Made on first use, so that with pytest-xdist a
    worker makes only the documents of its own tests."""

    def __init__(self, media: Path):
        self.media = media
        self.found: dict[tuple[str, str, str], Generated] = {}

    def __getitem__(self, key: tuple[str, str, str]) -> Generated:
        if key not in self.found:
            self.found[key] = self._make(*key)
        return self.found[key]

    def _make(self, kind: str, code: str, period: str) -> Generated:
        from kinerja.documents.services.versions import create_document, generate_version

        with (
            override_settings(MEDIA_ROOT=self.media, KINERJA_SIGNING_DIR=self.media / "signing"),
            transaction.atomic(),
        ):
            agency = Agency.objects.get(code=code)
            version = generate_version(
                create_document(agency, kind, int(period[:4]), period=period)
            )
            with version.docx.open("rb") as docx, version.pdf.open("rb") as pdf:
                found = Generated(docx_blocks(docx.read()), pdf_text(pdf.read()))
            transaction.set_rollback(True)  # the document was only made to be read
        return found


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Library:
    """``generated[(kind, office code, period)]``: a report of the demo, as text."""
    return Library(tmp_path_factory.mktemp("reconciliation-media"))
