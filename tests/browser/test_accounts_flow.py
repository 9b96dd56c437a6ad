"""An official with a printed code activates their account, sets up two-step verification and
logs in with it; the administrator prints the codes (docs/accounts.md). Screenshots go to
test-artifacts/ for the "Kantor baru" walkthrough."""

from __future__ import annotations

import base64
import re
import time

from playwright.sync_api import expect

from kinerja.organisation.models import Agency, Employee
from tests.officials import DKUKMTK
from tests.organisation.test_two_factor import totp

PASSWORD = "Gunung-Halau-2024"


def test_an_official_activates_sets_up_two_steps_and_logs_in(page, login, artifacts):
    Employee.objects.create(
        agency=Agency.objects.get(code=DKUKMTK.code),
        full_name="Rahmat Hidayat, S.Kom",
        nip="199203032019031004",
    )
    # The administrator prints the activation codes from the agency page.
    login(DKUKMTK.admin)
    page.goto(f"/organisasi/{DKUKMTK.code}/")
    accounts = page.get_by_test_id("accounts")
    expect(accounts).to_contain_text("Rahmat Hidayat")
    expect(accounts).to_contain_text("belum diundang")
    page.screenshot(path=artifacts / "accounts-agency.png", full_page=True)
    page.get_by_role("button", name="Cetak kode aktivasi").click()
    sheet = page.get_by_test_id("activation-codes")
    row = sheet.locator("tr", has_text="Rahmat Hidayat")
    code = row.locator("code.code").inner_text()
    expect(row).to_contain_text("199203032019031004")
    page.screenshot(path=artifacts / "accounts-codes.png", full_page=True)

    # The official activates the account from the login page.
    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_test_id("activate-account").click()
    expect(page.get_by_role("heading", name="Aktivasi akun")).to_be_visible()
    page.fill("input[name=login]", "199203032019031004")
    page.fill("input[name=code]", code)
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.screenshot(path=artifacts / "accounts-activate.png", full_page=True)
    page.get_by_role("button", name="Simpan kata sandi").click()
    page.wait_for_url(re.compile("/masuk/"))
    expect(page.locator(".msg-success")).to_contain_text("Kata sandi Anda sudah tersimpan")

    # ... logs in with it and sets up the authenticator app.
    login("199203032019031004", PASSWORD)
    page.goto("/akun/dua-langkah/")
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    key = base64.b32decode(page.get_by_test_id("totp-secret").inner_text().replace(" ", ""))
    page.fill("input[name=otp_token]", totp(key))
    page.screenshot(path=artifacts / "accounts-two-factor.png", full_page=True)
    page.get_by_role("button", name="Aktifkan").click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)

    # The next login asks for the app's code before any page.
    page.context.clear_cookies()
    page.goto("/masuk/")
    page.fill("input[name=username]", "199203032019031004")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile("/akun/verifikasi/"))
    page.fill("input[name=otp_token]", totp(key, time.time() + 30))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(lambda url: "/akun/" not in url)
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
