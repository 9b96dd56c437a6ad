"""First login (invitation link, printed one-time code), "Lupa kata sandi" and their doors
(docs/accounts.md). Mail goes to Django's locmem outbox."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.audit import AuditEntry
from kinerja.organisation.models import Agency, Employee, Invitation
from kinerja.organisation.services import accounts
from tests.officials import BALANGAN, DINKES, DKUKMTK, SUPERUSER

pytestmark = pytest.mark.django_db

AGENCY = DKUKMTK.code
NEW_PASSWORD = "Gunung-Halau-2024"
LINK = re.compile(r"https?://\S+/akun/(?:undangan|sandi-baru)/\S+/")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newcomer(offices):
    """An official of DKUKMTK without a login, with an e-mail address on their record."""
    return Employee.objects.create(
        agency=offices[AGENCY],
        full_name="Hj. Siti Rahmah, S.E.",
        nip="199001012015032001",
        email="siti.rahmah@example.go.id",
    )


@pytest.fixture
def no_mail_newcomer(offices):
    return Employee.objects.create(
        agency=offices[AGENCY], full_name="Dr. Ahmad Fauzi", employee_type="non_asn"
    )


def _link(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def _set_password_through(client: Client, link: str, password: str):
    """Open an e-mailed link as a browser would and choose ``password`` on the page it leads to."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    first = client.get("/" + path)
    if first.status_code != 302:
        return first
    return client.post(first["Location"], {"new_password1": password, "new_password2": password})


def _codes(response) -> dict[str, str]:
    """login -> code, read from the printed list."""
    text = response.content.decode()
    rows = re.findall(
        r"<td><code>([^<]+)</code></td>\s*<td><code class=\"code\">([^<]+)</code>", text
    )
    return dict(rows)


# --- invitation by e-mail ------------------------------------------------------------------


def test_an_invitation_link_sets_the_password_once_and_then_dies(client_for, newcomer):
    admin = client_for(DKUKMTK.admin)
    response = admin.post(reverse("organisation:invite", args=[AGENCY]), {"employee": newcomer.pk})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.username == "199001012015032001"  # the NIP: the username rule
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["siti.rahmah@example.go.id"]]
    assert user.username in mail.outbox[0].body
    link = _link(mail.outbox[0])

    visitor = Client()
    done = _set_password_through(visitor, link, NEW_PASSWORD)
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not Invitation.objects.filter(user=user, used_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="account.activated", object_id=str(user.pk)).exists()

    again = _set_password_through(Client(), link, "Another-Pass-9876")
    assert again.status_code == 200
    assert 'data-testid="link-invalid"' in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    login = Client().post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_an_expired_invitation_link_is_refused(client_for, newcomer, settings, monkeypatch):
    settings.KINERJA_INVITATION_DAYS = 2
    client_for(DKUKMTK.admin).post(
        reverse("organisation:invite", args=[AGENCY]), {"employee": newcomer.pk}
    )
    link = _link(mail.outbox[0])
    real_now = accounts.InvitationTokenGenerator._now
    monkeypatch.setattr(
        accounts.InvitationTokenGenerator,
        "_now",
        lambda self: real_now(self) + dt.timedelta(days=2, minutes=1),
    )
    response = _set_password_through(Client(), link, NEW_PASSWORD)
    assert 'data-testid="link-invalid"' in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.user.has_usable_password()


def test_a_password_reset_token_is_no_invitation(client_for, newcomer):
    """The two token kinds have their own salts: one cannot stand for the other."""
    client_for(DKUKMTK.admin).post(
        reverse("organisation:invite", args=[AGENCY]), {"employee": newcomer.pk}
    )
    link = _link(mail.outbox[0]).replace("/undangan/", "/sandi-baru/")
    response = _set_password_through(Client(), link, NEW_PASSWORD)
    assert 'data-testid="link-invalid"' in response.content.decode()


def test_the_agency_page_shows_account_states(client_for, newcomer, no_mail_newcomer):
    admin = client_for(DKUKMTK.admin)
    page = admin.get(reverse("organisation:agency", args=[AGENCY])).content.decode()
    assert f'data-testid="account-{newcomer.pk}" data-state="not_invited"' in page
    assert "belum diundang" in page
    admin.post(reverse("organisation:invite", args=[AGENCY]), {"employee": newcomer.pk})
    page = admin.get(reverse("organisation:agency", args=[AGENCY])).content.decode()
    assert f'data-testid="account-{newcomer.pk}" data-state="invited"' in page
    kadis = Employee.objects.get(user__username=DKUKMTK.kepala)
    assert f'data-testid="account-{kadis.pk}" data-state="active"' in page
    # an ordinary official of the office sees the structure, not the accounts
    staff_page = client_for(DKUKMTK.staf).get(reverse("organisation:agency", args=[AGENCY]))
    assert 'data-testid="accounts"' not in staff_page.content.decode()


def test_inviting_everyone_mails_those_with_an_address_and_names_the_others(
    client_for, newcomer, no_mail_newcomer
):
    admin = client_for(DKUKMTK.admin)
    response = admin.post(reverse("organisation:invite", args=[AGENCY]), {"all": "1"}, follow=True)
    pending = [
        e
        for e in Employee.objects.filter(agency__code=AGENCY).select_related("user")
        if e.user is None or not e.user.has_usable_password()
    ]
    with_address = sorted(e.email for e in pending if e.email)
    assert sorted(m.to[0] for m in mail.outbox) == with_address
    assert "siti.rahmah@example.go.id" in with_address
    assert "Dr. Ahmad Fauzi" in response.content.decode()  # no address: print a code
    no_mail_newcomer.refresh_from_db()
    assert no_mail_newcomer.user.username == "ahmad.fauzi"  # the name rule, title left out
    assert not no_mail_newcomer.user.has_usable_password()
    # officials who already have a password got nothing
    assert DKUKMTK.kepala not in " ".join(m.body for m in mail.outbox)


# --- printed one-time codes ----------------------------------------------------------------


def test_a_printed_code_works_once(client_for, no_mail_newcomer):
    admin = client_for(DKUKMTK.admin)
    sheet = admin.post(
        reverse("organisation:activation_codes", args=[AGENCY]), {"employee": no_mail_newcomer.pk}
    )
    assert sheet.status_code == 200
    codes = _codes(sheet)
    no_mail_newcomer.refresh_from_db()
    login = no_mail_newcomer.user.username
    code = codes[login]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    stored = Invitation.objects.get(user=no_mail_newcomer.user)
    assert code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64
    assert not mail.outbox

    visitor = Client()
    form = {"login": login, "code": code.lower(), "new_password1": NEW_PASSWORD}
    done = visitor.post(reverse("accounts:activate"), {**form, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    no_mail_newcomer.user.refresh_from_db()
    assert no_mail_newcomer.user.check_password(NEW_PASSWORD)

    again = visitor.post(
        reverse("accounts:activate"),
        {**form, "new_password1": "Another-Pass-9876", "new_password2": "Another-Pass-9876"},
    )
    assert again.status_code == 422
    assert "kode" in again.content.decode().lower()
    no_mail_newcomer.user.refresh_from_db()
    assert no_mail_newcomer.user.check_password(NEW_PASSWORD)


def test_an_expired_or_replaced_code_is_refused(offices, no_mail_newcomer):
    first = accounts.invite(no_mail_newcomer, actor=None, code=True)
    second = accounts.invite(no_mail_newcomer, actor=None, code=True)
    with pytest.raises(accounts.InvalidCode):  # printing again replaced the first code
        accounts.activate_with_code(first.username, first.code, NEW_PASSWORD)
    Invitation.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(accounts.InvalidCode):
        accounts.activate_with_code(second.username, second.code, NEW_PASSWORD)
    no_mail_newcomer.user.refresh_from_db()
    assert not no_mail_newcomer.user.has_usable_password()


def test_password_rules_apply_in_indonesian(offices, no_mail_newcomer):
    outcome = accounts.invite(no_mail_newcomer, actor=None, code=True)
    response = Client().post(
        reverse("accounts:activate"),
        {
            "login": outcome.username,
            "code": outcome.code,
            "new_password1": "12345",
            "new_password2": "12345",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "terlalu pendek" in text and "seluruhnya terdiri dari angka" in text, text
    # the code stays open: the official may try a better password
    assert Invitation.objects.filter(user__username=outcome.username, used_at=None).exists()


def test_wrong_codes_lock_the_login_out_like_wrong_passwords(offices, no_mail_newcomer, settings):
    outcome = accounts.invite(no_mail_newcomer, actor=None, code=True)
    client = Client()
    wrong = {
        "login": outcome.username,
        "code": "AAAA-AAAA",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    answers = [
        client.post(reverse("accounts:activate"), wrong).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [422] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    right = client.post(reverse("accounts:activate"), {**wrong, "code": outcome.code})
    assert right.status_code == 429
    assert "Terlalu banyak" in right.content.decode()
    no_mail_newcomer.user.refresh_from_db()
    assert not no_mail_newcomer.user.has_usable_password()
    from axes.models import AccessAttempt

    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "AAAA-AAAA" not in stored and NEW_PASSWORD not in stored


# --- doors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["organisation:invite", "organisation:activation_codes"])
def test_only_the_office_administrator_invites(client_for, newcomer, name):
    url = reverse(name, args=[AGENCY])
    body = {"employee": newcomer.pk}
    assert client_for(DINKES.admin).post(url, body).status_code == 404
    assert client_for(DKUKMTK.kabid_ukm).post(url, body).status_code == 403
    anonymous = Client().post(url, body)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # another office's administrator naming my official on their own office's page
    own = client_for(DINKES.admin).post(reverse(name, args=[DINKES.code]), body)
    assert own.status_code == 404
    assert client_for(DKUKMTK.admin).get(url).status_code == 405  # no GET changes anything
    newcomer.refresh_from_db()
    assert newcomer.user is None and not mail.outbox


@pytest.mark.parametrize("username", [SUPERUSER, BALANGAN.admin])
def test_the_superuser_and_the_regional_administrator_may_invite(client_for, newcomer, username):
    """The region's SAKIP administrator manages its agencies' master data (docs/regions.md), so
    it may invite a new office's officials (its administrator first)."""
    response = client_for(username).post(
        reverse("organisation:invite", args=[AGENCY]), {"employee": newcomer.pk}
    )
    assert response.status_code == 302 and len(mail.outbox) == 1


# --- Lupa kata sandi -----------------------------------------------------------------------


def test_forgot_password_does_not_reveal_whether_an_account_exists(official):
    kasubbag = official(DKUKMTK.kasubbag)
    kasubbag.email = "kasubbag@example.go.id"
    kasubbag.save()
    known = Client().post(reverse("accounts:reset"), {"login": DKUKMTK.kasubbag})
    unknown = Client().post(reverse("accounts:reset"), {"login": "tidak.ada@example.go.id"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:reset_sent")
    assert [m.to for m in mail.outbox] == [["kasubbag@example.go.id"]]
    sent = Client().get(reverse("accounts:reset_sent")).content.decode()
    assert "Jika" in sent


def test_a_reset_link_goes_to_the_employee_address_and_works_once(official):
    staf = official(DKUKMTK.staf)
    assert not staf.email
    Employee.objects.filter(user=staf).update(email="staf.dkukmtk@example.go.id")
    Client().post(reverse("accounts:reset"), {"login": "STAF.DKUKMTK@example.go.id"})
    assert [m.to for m in mail.outbox] == [["staf.dkukmtk@example.go.id"]]
    link = _link(mail.outbox[0])
    done = _set_password_through(Client(), link, NEW_PASSWORD)
    assert done.status_code == 302 and done["Location"] == reverse("login")
    staf.refresh_from_db()
    assert staf.check_password(NEW_PASSWORD)
    again = _set_password_through(Client(), link, "Another-Pass-9876")
    assert 'data-testid="link-invalid"' in again.content.decode()


def test_reset_requests_are_throttled(official, settings):
    settings.KINERJA_RESET_RATE = 2
    client = Client()
    answers = [
        client.post(reverse("accounts:reset"), {"login": f"orang{i}@example.go.id"}).status_code
        for i in range(3)
    ]
    assert answers == [302, 302, 429]


def test_the_login_page_links_to_reset_and_activation(db):
    page = Client().get(reverse("login")).content.decode()
    assert reverse("accounts:reset") in page and reverse("accounts:activate") in page
    assert "Lupa kata sandi" in page


# --- the command line ----------------------------------------------------------------------


def _run(*argv: str) -> str:
    out = io.StringIO()
    call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cli_prints_codes_for_an_agency(newcomer, no_mail_newcomer):
    rows = json.loads(_run("user", "invite", "--agency", AGENCY, "--print", "--json"))
    by_login = {r["login"]: r for r in rows}
    no_mail_newcomer.refresh_from_db()
    row = by_login[no_mail_newcomer.user.username]
    assert row["status"] == "code" and row["name"] == "Dr. Ahmad Fauzi"
    assert not mail.outbox  # --print makes codes instead of mail
    accounts.activate_with_code(row["login"], row["code"], NEW_PASSWORD)
    assert get_user_model().objects.get(username=row["login"]).check_password(NEW_PASSWORD)
    assert DKUKMTK.kepala not in by_login  # already active


def test_cli_invites_one_login_by_mail_with_the_page_rule(newcomer):
    accounts.ensure_login(newcomer, actor=None)
    login = newcomer.user.username
    with pytest.raises(CommandError, match="Tidak ditemukan"):
        _run("user", "invite", login, "--as", DINKES.admin)
    with pytest.raises(CommandError):
        _run("user", "invite", login, "--as", DKUKMTK.kabid_ukm)
    assert not mail.outbox
    table = _run("user", "invite", login, "--as", DKUKMTK.admin)
    assert login in table and "siti.rahmah@example.go.id" in table
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError):
        _run("user", "invite", login, "--agency", AGENCY)


# --- the username rule ---------------------------------------------------------------------


@given(st.text(max_size=60))
def test_a_login_made_from_a_name_is_plain_ascii(name):
    employee = Employee(agency=Agency(code="X"), full_name=name)
    login = accounts.username_base(employee)
    assert login and re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)?", login)
    assert login.count(".") <= 1


def test_a_taken_login_gets_a_number(offices):
    get_user_model().objects.create(username="Siti.Rahmah")
    assert accounts.free_username("siti.rahmah") == "siti.rahmah2"


# --- imports never hand over a login -------------------------------------------------------


@pytest.fixture
def new_agency(offices):
    return Agency.objects.create(
        region=offices[AGENCY].region,
        name="Dinas Contoh",
        code="CONTOH-BLG",
        kind="dinas",
        time_zone="Asia/Makassar",
    )


def _structure_naming(login: str):
    from tests.organisation.test_structure_import import _save, _small_structure

    workbook = _small_structure()
    sheet = workbook["Pegawai"]
    sheet.cell(row=3, column=6).value = login  # Sari Uji's login
    return _save(workbook)


def test_an_import_makes_logins_without_a_usable_password(new_agency):
    from kinerja.organisation.services.structure import import_structure

    import_structure(new_agency, _structure_naming("sari.uji"))
    user = get_user_model().objects.get(username="sari.uji")
    assert not user.has_usable_password()
    assert user.employee.agency == new_agency


@pytest.mark.parametrize("login", [SUPERUSER, DINKES.admin, DKUKMTK.kepala])
def test_an_import_cannot_take_someone_elses_login(new_agency, login):
    """The superuser, another office's administrator (no employee) and another office's head."""
    from kinerja.core.xlsx import InvalidFile
    from kinerja.organisation.services.structure import import_structure

    with pytest.raises(InvalidFile) as refused:
        import_structure(new_agency, _structure_naming(login))
    assert any("Nama Pengguna" in str(i) and login in str(i) for i in refused.value.issues)
    assert not Employee.objects.filter(agency=new_agency).exists()


def test_cli_invites_a_login_that_is_no_employee(offices):
    """The operator invites the first regional administrator, who has no employee record."""
    user = get_user_model().objects.create_user("sakip.blg", email="sakip@example.go.id")
    assert not user.has_usable_password()
    with pytest.raises(CommandError, match="Tidak ditemukan"):
        _run("user", "invite", "sakip.blg", "--as", DKUKMTK.admin)
    table = _run("user", "invite", "sakip.blg")
    assert "sakip@example.go.id" in table
    assert [m.to for m in mail.outbox] == [["sakip@example.go.id"]]
    assert "Seorang administrator" in mail.outbox[0].body
    done = _set_password_through(Client(), _link(mail.outbox[0]), NEW_PASSWORD)
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = json.loads(_run("user", "invite", "sakip.blg", "--json"))
    assert again[0]["status"] == "active" and len(mail.outbox) == 1


def test_forgot_password_also_activates_a_login_with_a_known_address(offices, newcomer):
    """An official never invited, whose record has an address, gets a link all the same."""
    accounts.ensure_login(newcomer, actor=None)
    Client().post(reverse("accounts:reset"), {"login": newcomer.nip})
    assert [m.to for m in mail.outbox] == [["siti.rahmah@example.go.id"]]
    done = _set_password_through(Client(), _link(mail.outbox[0]), NEW_PASSWORD)
    assert done.status_code == 302
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(NEW_PASSWORD)
