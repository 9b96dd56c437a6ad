"""The API reads every layer: the seed SOPs and the performance demo, loaded once per database."""

from __future__ import annotations

import pytest

from kinerja.performance import demo as performance_demo
from kinerja.procedures.demo import load as load_seed_sops
from tests.cases.conftest import monday, seed_sops  # noqa: F401  (shared fixtures)
from tests.performance.conftest import perf  # noqa: F401


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_seed_sops()
        performance_demo.load()
