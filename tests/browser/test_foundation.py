"""Log in as the Kepala Dinas of DKUKMTK Balangan, see the agency page, switch language."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.officials import DKUKMTK


def test_kadis_sees_agency_and_switches_language(page, login, artifacts):
    login(DKUKMTK.kepala)

    # Home: Indonesian by default, the user's Plt. position and the empty task area.
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    holding = page.get_by_test_id("holding")
    expect(holding).to_contain_text("Plt.")
    expect(holding).to_contain_text("Kepala Dinas")

    page.get_by_test_id("agency-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dinas Koperasi, Usaha Kecil Menengah dan Tenaga Kerja Kabupaten Balangan"
    )
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_contain_text("Sekretariat")
    expect(tree).to_contain_text("ABDURRAHMAN ARRAHIMI, S.PI")
    expect(tree).to_contain_text("NIP 19681117 199703 1 003")
    expect(tree).to_contain_text("Staf/Jabatan Fungsional Umum")
    expect(page.get_by_test_id("position")).to_have_count(8)
    expect(page.get_by_text("Organisasi dan jabatan")).to_be_visible()
    page.screenshot(path=artifacts / "agency-page-id.png", full_page=True)

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Organisation and positions")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_test_id("lang-id").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_text("Organisasi dan jabatan")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_phone_layout_has_no_horizontal_scroll(page, login, artifacts):
    page.set_viewport_size({"width": 375, "height": 740})
    login(DKUKMTK.kepala)
    page.goto("/organisasi/DKUKMTK-BLG/")
    page.screenshot(path=artifacts / "agency-page-phone.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
