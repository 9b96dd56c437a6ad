from __future__ import annotations

import pytest

from kinerja.procedures.demo import load as load_seed_sops
from kinerja.procedures.demo import seed_files
from kinerja.procedures.models import Sop


@pytest.fixture
def seed_sops(offices):
    """The four seed SOPs as the demo loads them: {agency code: effective version}."""
    if not Sop.objects.filter(agency__code="DKUKMTK-BLG").exists():
        load_seed_sops()
    return {
        sop.agency.code: sop.effective_version()
        for sop in Sop.objects.filter(
            key__in=["penyusunan-lakip", "pengumpulan-data-kinerja", "penyusunan-lkip"]
        ).select_related("agency")
    }


@pytest.fixture
def seed_text():
    def read(prefix: str) -> str:
        return next(p for p in seed_files() if p.name.startswith(prefix)).read_text()

    return read
