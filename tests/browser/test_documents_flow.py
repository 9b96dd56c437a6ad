"""Seed 004 through the pages: the Kabag reviews, the Kasubag makes version 2, the Kabag initials,
the Karo (head of the Biro) signs with his certificate, the cover letter gets its number from the
register, and the e-review package downloads with its manifest."""

from __future__ import annotations

import json
import zipfile

import pytest
from playwright.sync_api import expect

from kinerja.documents import signing
from kinerja.organisation.models import Employee
from kinerja.performance import demo as performance_demo
from kinerja.performance.models import Indicator
from tests.officials import ADPIM

PASS = "rahasia-karo"


@pytest.fixture
def adpim(offices, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KINERJA_SIGNING_DIR = tmp_path / "signing"
    if not Indicator.objects.filter(objective__plan__agency__code="ADPIM-KALBAR").exists():
        performance_demo.load()
    signing.create_self_signed_credential(Employee.objects.get(user__username=ADPIM.kepala), PASS)
    return offices["ADPIM-KALBAR"]


def test_review_v2_initial_sign_number_package(page, login, adpim, artifacts, tmp_path):
    login(ADPIM.kasubag)
    page.goto("/dokumen/ADPIM-KALBAR/")
    form = page.get_by_test_id("new-document")
    form.locator("select[name=kind]").select_option("lkjip")
    form.locator("input[name=period]").fill("2024")
    form.locator("button[type=submit]").click()
    page.get_by_test_id("generate").click()
    expect(page.locator("[data-testid=version][data-number='1']")).to_be_visible()
    document_url = page.url

    login(ADPIM.kabag)
    page.goto(document_url)
    comment = page.get_by_test_id("comment-form")
    comment.locator("select[name=section]").select_option("Bab III.A Capaian Kinerja Organisasi")
    comment.locator("input[name=text]").fill("Tambahkan analisis efisiensi")
    comment.locator("button[type=submit]").click()
    expect(page.get_by_test_id("comment")).to_contain_text("Tambahkan analisis efisiensi")
    page.get_by_test_id("review-done").click()

    login(ADPIM.kasubag)
    page.goto(document_url)
    page.get_by_test_id("generate").click()
    expect(page.locator("[data-testid=version][data-number='2']")).to_be_visible()
    expect(page.get_by_test_id("compare")).to_be_visible()
    expect(page.get_by_test_id("initial-due")).to_contain_text("KABAG-TUP")

    login(ADPIM.kabag)
    page.goto(document_url)
    page.get_by_test_id("initial").click()
    expect(page.locator("[data-testid=approval][data-kind=initial]")).to_have_count(1)

    login(ADPIM.kepala)
    page.goto(document_url)
    page.get_by_test_id("passphrase").fill(PASS)
    page.get_by_test_id("sign").click()
    expect(page.locator("[data-testid=version][data-number='2'][data-signed=true]")).to_be_visible()
    with page.expect_download() as signed_download:
        page.locator("[data-number='2'] [data-testid=download-signed]").click()
    signed_path = tmp_path / "signed.pdf"
    signed_download.value.save_as(signed_path)
    check = signing.check_pdf(signed_path.read_bytes())
    assert check.ok
    page.screenshot(path=artifacts / "documents-signed.png", full_page=True)

    login(ADPIM.kasubag)
    page.goto(document_url)
    page.get_by_test_id("cover-letter").click()
    page.get_by_test_id("generate").click()
    page.locator("input[name=classification]").fill("000.8.6.3")
    page.get_by_test_id("number-letter").click()
    expect(page.get_by_test_id("letter-number")).to_contain_text("000.8.6.3/001/ADPIM-KALBAR/")
    letter_url = page.url

    # Before the Karo signs it, the package leaves the numbered letter out and says why.
    page.goto("/dokumen/ADPIM-KALBAR/arsip/?year=2024")
    expect(page.locator("[data-testid=package-missing][data-reason=unsigned]")).to_contain_text(
        "Surat Pengantar"
    )
    login(ADPIM.kepala)
    page.goto(letter_url)
    page.get_by_test_id("passphrase").fill(PASS)
    page.get_by_test_id("sign").click()
    expect(page.locator("[data-testid=version][data-signed=true]")).to_have_count(1)

    page.goto("/dokumen/ADPIM-KALBAR/arsip/?year=2024")
    with page.expect_download() as package_download:
        page.get_by_test_id("package-download").click()
    zip_path = tmp_path / "paket.zip"
    package_download.value.save_as(zip_path)
    with zipfile.ZipFile(zip_path) as package:
        manifest = json.loads(package.read("manifest.json"))
        names = set(package.namelist())
    signed = {item["kind"] for item in manifest["files"] if item["signed"]}
    assert {"lkjip", "cover_letter"} <= signed
    assert {item["name"] for item in manifest["files"]} | {
        "manifest.json",
        "DAFTAR-ISI.txt",
    } == names
