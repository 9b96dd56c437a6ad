"""Two-factor login (docs/accounts.md): set-up, the second step of a login, recovery codes, the
regions' policy and throttling. The app's codes are computed here by RFC 6238 from the setup key
the page shows, not by django-otp."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import struct
import time

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.api.models import ApiToken
from kinerja.organisation.demo import DEMO_PASSWORD
from kinerja.organisation.models import Region
from tests.officials import BALANGAN, DINKES, DKUKMTK, SUPERUSER

pytestmark = pytest.mark.django_db

BALANGAN_AGENCY = DKUKMTK.code


def totp(key: bytes, at: float | None = None) -> str:
    """RFC 6238 with SHA-1, 30-second steps and 6 digits (RFC 4226 dynamic truncation)."""
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_own_totp_matches_the_rfc_6238_test_vector():
    # RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" at T=59 gives 94287082 (8
    # digits); its last six are the 6-digit code.
    assert totp(b"12345678901234567890", 59) == "287082"
    assert totp(b"12345678901234567890", 1111111109) == "081804"


def login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response
    return client


def enrol(client: Client) -> tuple[bytes, list[str]]:
    """Set up the app on the set-up page as a person would; the key and the recovery codes."""
    page = client.get(reverse("accounts:two_factor")).content.decode()
    shown = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    key = base64.b32decode(shown.replace(" ", ""))
    signed = html.unescape(re.search(r'name="secret" value="([^"]+)"', page).group(1))
    response = client.post(
        reverse("accounts:two_factor"),
        {"action": "enrol", "secret": signed, "otp_token": totp(key)},
    )
    assert response.status_code == 200, response.content.decode()[-2000:]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return key, codes


@pytest.fixture
def enrolled(offices):
    """DKUKMTK's Kasubbag with an authenticator app: its key and recovery codes."""
    return enrol(login(DKUKMTK.kasubbag))


def test_setting_up_gives_ten_recovery_codes_and_a_qr_code(offices):
    client = login(DKUKMTK.staf)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Verifikasi dua langkah" in page
    assert 'src="data:image/svg+xml' in page  # drawn here, no outside service
    _key, codes = enrol(client)
    assert len(codes) == 10 == len(set(codes))
    manage = client.get(reverse("accounts:two_factor")).content.decode()
    assert 'data-testid="two-factor-on"' in manage and "10" in manage


def test_a_wrong_first_code_sets_nothing_up(offices):
    client = login(DKUKMTK.staf)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    signed = html.unescape(re.search(r'name="secret" value="([^"]+)"', page).group(1))
    response = client.post(
        reverse("accounts:two_factor"), {"action": "enrol", "secret": signed, "otp_token": "000000"}
    )
    assert response.status_code == 422
    from django_otp import user_has_device

    assert not user_has_device(response.wsgi_request.user)


def test_a_login_with_an_app_needs_its_code_before_any_page(enrolled):
    key, _codes = enrolled
    client = login(DKUKMTK.kasubbag)
    for name in ("home", "cases:inbox", "procedures:registry"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:verify"))
    agency = client.get(reverse("organisation:agency", args=[BALANGAN_AGENCY]))
    assert agency["Location"].startswith(reverse("accounts:verify"))
    assert client.get(reverse("api:tasks")).status_code == 403
    # the set-up page is closed too: no new app without the old one's code
    assert client.get(reverse("accounts:two_factor"))["Location"].startswith(
        reverse("accounts:verify")
    )
    page = client.get(reverse("accounts:verify"))
    assert page.status_code == 200 and "Verifikasi dua langkah" in page.content.decode()
    # before the second step the page shows no menu, task count or notices
    assert 'data-testid="nav-tasks"' not in page.content.decode()
    assert 'data-testid="task-count"' not in page.content.decode()
    # the code of the next step: the one of this step was spent setting the app up
    response = client.post(
        reverse("accounts:verify"), {"otp_token": totp(key, time.time() + 30), "next": "/kasus/"}
    )
    assert response.status_code == 302 and response["Location"] == "/kasus/"
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("api:tasks")).status_code == 200


def test_a_recovery_code_works_once(enrolled):
    _key, codes = enrolled
    first = login(DKUKMTK.kasubbag)
    response = first.post(reverse("accounts:verify"), {"otp_token": codes[0].upper()})
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200
    again = login(DKUKMTK.kasubbag)
    refused = again.post(reverse("accounts:verify"), {"otp_token": codes[0]})
    assert refused.status_code == 422
    assert again.get(reverse("home")).status_code == 302


def test_wrong_codes_are_slowed_down_and_then_lock_the_login_out(enrolled, settings):
    key, _codes = enrolled
    client = login(DKUKMTK.kasubbag)
    wrong = "999999" if totp(key) != "999999" else "888888"
    assert client.post(reverse("accounts:verify"), {"otp_token": wrong}).status_code == 422
    # django-otp's own throttle: right after a failure, even the right code waits
    right = totp(key, time.time() + 30)
    assert client.post(reverse("accounts:verify"), {"otp_token": right}).status_code == 422
    answers = [
        client.post(reverse("accounts:verify"), {"otp_token": wrong}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT - 2)
    ]
    assert answers[-1] == 429, answers
    # locked out: logged out, and the password no longer opens the door from here
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("login"), {"username": DKUKMTK.kasubbag, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429


def test_turning_off_needs_a_code(enrolled, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # no wait after the wrong code (tested above)
    _key, codes = enrolled
    client = login(DKUKMTK.kasubbag)
    client.post(reverse("accounts:verify"), {"otp_token": codes[1]})
    refused = client.post(reverse("accounts:two_factor"), {"action": "remove", "otp_token": "1"})
    assert refused.status_code == 422
    done = client.post(reverse("accounts:two_factor"), {"action": "remove", "otp_token": codes[2]})
    assert done.status_code == 302
    assert login(DKUKMTK.kasubbag).get(reverse("home")).status_code == 200


# --- the policy ----------------------------------------------------------------------------


@pytest.fixture
def strict_balangan(offices):
    region = offices[BALANGAN_AGENCY].region
    region.require_two_factor = True
    region.save()
    return region


@pytest.mark.parametrize("username", [DKUKMTK.admin, DKUKMTK.kepala, DINKES.kepala, BALANGAN.admin])
def test_a_strict_region_sends_administrators_and_heads_to_set_up(strict_balangan, username):
    """The office's administrator, its (Plt.) head, the head of another Balangan office and the
    region's SAKIP administrator."""
    client = login(username)
    for url in (reverse("home"), reverse("organisation:agency", args=[BALANGAN_AGENCY])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor"))
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert 'data-testid="two-factor-required"' in page
    assert 'data-testid="nav-tasks"' not in page
    enrol(client)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("username", [DKUKMTK.staf, DKUKMTK.kabid_ukm, DKUKMTK.sekretaris])
def test_a_strict_region_leaves_other_officials_alone(strict_balangan, username):
    assert login(username).get(reverse("home")).status_code == 200


def test_a_flag_of_another_region_does_not_apply(offices):
    Region.objects.exclude(pk=offices[BALANGAN_AGENCY].region_id).update(require_two_factor=True)
    assert login(DKUKMTK.admin).get(reverse("home")).status_code == 200


def test_a_required_second_factor_cannot_be_dropped_for_good(strict_balangan):
    client = login(DKUKMTK.admin)
    _key, codes = enrol(client)
    client.post(reverse("accounts:two_factor"), {"action": "remove", "otp_token": codes[0]})
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor"))


def test_the_superuser_with_an_app_verifies_before_the_admin(offices):
    client = login(SUPERUSER)
    enrol(client)
    again = login(SUPERUSER)
    assert again.get("/admin/")["Location"].startswith(reverse("accounts:verify"))


# --- API tokens ----------------------------------------------------------------------------


def test_api_tokens_act_without_the_second_step(enrolled, official):
    """A personal token is itself a second secret, issued in a session that passed both steps;
    it keeps working as before (docs/accounts.md)."""
    _token, raw = ApiToken.issue(official(DKUKMTK.kasubbag), "uji")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(reverse("api:tasks"))
    assert response.status_code == 200


def test_the_policy_is_set_from_the_command_line(offices):
    import io
    import json

    from django.core.management import call_command

    from kinerja.core.models import AuditEntry

    out = io.StringIO()
    call_command("region", "two-factor", "--region", "63.11", "--on", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "ok": True,
        "region": "63.11",
        "require_two_factor": True,
    }
    region = Region.objects.get(code="63.11")
    assert region.require_two_factor and region.history.first().require_two_factor
    assert AuditEntry.objects.filter(action="region.two_factor.required").exists()
    assert (
        login(DKUKMTK.admin)
        .get(reverse("home"))["Location"]
        .startswith(reverse("accounts:two_factor"))
    )
    out = io.StringIO()
    call_command("region", "two-factor", "--region", "63.11", "--off", stdout=out)
    assert "tidak mewajibkan" in out.getvalue()
    assert login(DKUKMTK.admin).get(reverse("home")).status_code == 200
