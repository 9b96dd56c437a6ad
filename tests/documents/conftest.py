"""Documents fixtures: files in a temporary media folder; the demo performance data loaded once."""

from __future__ import annotations

import pytest

from kinerja.performance import demo as performance_demo
from kinerja.performance.models import Indicator


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        performance_demo.load()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KINERJA_SIGNING_DIR = tmp_path / "signing"


@pytest.fixture
def perf(offices):
    """The demo performance data, reloaded if a transactional test flushed it."""
    if not Indicator.objects.filter(objective__plan__agency__code="DKUKMTK-BLG").exists():
        performance_demo.load()
    return offices
