"""An official uploads a new SOP from YAML, the Plt. Kepala Dinas approves it, and its PDF
downloads."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kinerja.procedures.demo import load as load_seed_sops
from tests.officials import DINKES, DKUKMTK
from tests.procedures.test_sopfile import GOOD


def test_upload_approve_and_download_pdf(page, login, artifacts, tmp_path):
    login(DKUKMTK.kasubbag)

    # A broken file: every problem listed with its line, nothing saved.
    bad = tmp_path / "rusak.yaml"
    bad.write_text(GOOD.replace("time: 1 Hari", "time: lama").replace("no: 1", "no: 9"))
    page.goto("/sop/DKUKMTK-BLG/")
    page.get_by_test_id("sop-upload-link").click()
    page.get_by_test_id("sop-file").set_input_files(str(bad))
    page.get_by_test_id("sop-upload-submit").click()
    problems = page.get_by_test_id("sop-problem")
    expect(problems).to_have_count(2)
    expect(page.get_by_test_id("sop-problems")).to_contain_text("lama")
    page.screenshot(path=artifacts / "sop-upload-problems.png", full_page=True)

    # The good file: a draft version 1.
    good = tmp_path / "contoh.yaml"
    good.write_text(GOOD)
    page.get_by_test_id("sop-file").set_input_files(str(good))
    page.get_by_test_id("sop-upload-submit").click()
    expect(page.get_by_test_id("sop-title")).to_have_text("Contoh SOP")
    expect(page.get_by_test_id("version-status")).to_have_attribute("data-status", "draft")
    expect(page.get_by_test_id("approve")).to_have_count(0)  # the Kasubbag cannot approve
    expect(page.get_by_test_id("step-row")).to_have_count(3)
    sop_url = page.url

    # The Plt. Kepala Dinas approves it.
    login(DKUKMTK.kepala)
    page.goto(sop_url)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("version-status")).to_have_attribute("data-status", "effective")
    expect(page.get_by_test_id("total-time-summary")).to_have_text("1 Hari 2 Jam 10 Menit")
    page.screenshot(path=artifacts / "sop-approved.png", full_page=True)

    # Anyone of the office downloads the PDF.
    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    download = info.value
    assert re.match(r"SOP-.*-v1\.pdf", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    # The registry shows it as effective.
    page.goto("/sop/DKUKMTK-BLG/?q=Contoh")
    expect(page.get_by_test_id("sop-row")).to_have_count(1)
    expect(page.get_by_test_id("status-effective")).to_contain_text("v1")


def test_seed_sop_page_and_versions(page, login, artifacts):
    load_seed_sops()  # the live server's database was flushed: load the built-ins again
    login(DINKES.kepala)
    page.goto("/sop/DINKES-BLG/")
    page.get_by_role("link", name="Pengumpulan Data Kinerja").click()
    expect(page.get_by_test_id("flow-sheet")).to_have_count(2)
    expect(page.get_by_test_id("step-row")).to_have_count(9)
    expect(page.locator(".sym-decision").first).to_be_visible()
    page.screenshot(path=artifacts / "sop-dinkes-page.png", full_page=True)
    page.get_by_test_id("versions-link").click()
    expect(page.get_by_test_id("version-row")).to_have_count(1)
