"""A unit head fills the web form and submits; the planning official sees the round change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance import demo
from kinerja.performance.models import Actual, Indicator
from kinerja.performance.services.collection import rounds
from tests.officials import DKUKMTK


@pytest.fixture
def q3_round(offices):
    if not Indicator.objects.filter(objective__plan__agency__code="DKUKMTK-BLG").exists():
        demo.load_office("DKUKMTK-BLG")
    return rounds.open_round(Agency.objects.get(code="DKUKMTK-BLG"), Period.parse("2025-Q3"))


def test_unit_head_submits_and_planner_sees_status(page, login, artifacts, q3_round):
    login(DKUKMTK.kasubbag)
    page.goto(f"/kinerja/putaran/{q3_round.pk}/")
    expect(page.get_by_test_id("unit-state-BID-KOP")).to_have_attribute("data-state", "waiting")

    login(DKUKMTK.kabid_kop)
    page.goto("/kinerja/")
    page.get_by_test_id("form-link-BID-KOP").click()
    expect(page.get_by_test_id("indicator-IKU-1")).to_be_visible()
    expect(page.get_by_test_id("indicator-IKU-2")).to_have_count(0)  # another unit's
    page.get_by_test_id("value-IKU-1-3").fill("68,5")
    page.get_by_test_id("value-K-1-3").fill("1234")
    page.get_by_test_id("submit-figures").click()
    expect(page.get_by_test_id("errors")).to_be_visible()  # K-1 requires a link as evidence
    page.get_by_test_id("link-K-1").fill("https://contoh.go.id/bukti/k1.pdf")
    page.get_by_test_id("submit-figures").click()
    expect(page.get_by_test_id("submissions")).to_contain_text("v1")
    page.screenshot(path=artifacts / "performance-unit-form.png", full_page=True)
    k1 = Actual.objects.get(indicator__code="K-1", indicator__unit__code="BID-KOP", year=2025)
    assert k1.value == 1234

    login(DKUKMTK.kasubbag)
    page.goto(f"/kinerja/putaran/{q3_round.pk}/")
    expect(page.get_by_test_id("unit-state-BID-KOP")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("unit-state-BID-UKM")).to_have_attribute("data-state", "waiting")
    page.screenshot(path=artifacts / "performance-round-status.png", full_page=True)
