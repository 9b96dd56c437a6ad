"""The four seed SOPs, loaded once per test database by the procedures layer's demo loader."""

from __future__ import annotations

import datetime as dt

import pytest

from kinerja.procedures.demo import load as load_seed_sops
from kinerja.procedures.models import Sop

# Monday 3 March 2025, 08:00 WITA: a working moment in Balangan.
MONDAY = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_seed_sops()


@pytest.fixture
def seed_sops(offices):
    """{"001": Sop, ...}: the seed SOPs, reloaded if a transactional test flushed them."""
    if not Sop.objects.filter(key="pengumpulan-data-kinerja").exists():
        load_seed_sops()
    found = {}
    for sop in Sop.objects.select_related("agency"):
        code = {"DKUKMTK-BLG": "001", "DINKES-BLG": "002", "KTT_BLG": "003", "ADPIM-KALBAR": "004"}
        found.setdefault(code.get(sop.agency.code, sop.key), sop)
    return found


@pytest.fixture
def monday():
    return MONDAY
