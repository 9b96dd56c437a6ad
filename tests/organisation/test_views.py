"""Every organisation page: an official of the agency sees it, an outsider is refused."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.organisation.services.structure import export_structure
from tests.officials import DINKES, DKUKMTK, SUPERUSER

pytestmark = pytest.mark.django_db

AGENCY = "DKUKMTK-BLG"


def test_home_shows_agency_and_plt_position(client_for):
    response = client_for(DKUKMTK.kepala).get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dinas Koperasi, Usaha Kecil Menengah dan Tenaga Kerja Kabupaten Balangan" in text
    assert "Plt." in text and "Kepala Dinas" in text
    assert ">None<" not in text


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("organisation:agency", args=[AGENCY]),
        reverse("organisation:structure_export", args=[AGENCY]),
        reverse("organisation:structure_import", args=[AGENCY]),
    ],
)
def test_anonymous_visitors_are_sent_to_login(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", [DKUKMTK.kepala, DKUKMTK.staf, DKUKMTK.admin])
def test_officials_of_the_agency_see_its_page(client_for, username):
    response = client_for(username).get(reverse("organisation:agency", args=[AGENCY]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "ABDURRAHMAN ARRAHIMI, S.PI" in text
    assert "19681117 199703 1 003" in text
    assert "Staf/Jabatan Fungsional Umum" in text


@pytest.mark.parametrize(
    "name",
    ["organisation:agency", "organisation:structure_export", "organisation:structure_import"],
)
def test_an_official_of_another_agency_is_refused(client_for, name):
    response = client_for(DINKES.kepala).get(reverse(name, args=[AGENCY]))
    assert response.status_code == 404


def test_export_downloads_an_xlsx(client_for):
    response = client_for(DKUKMTK.kasubbag).get(
        reverse("organisation:structure_export", args=[AGENCY])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:2]
        == b"PK"
    )


def test_only_the_administrator_may_import(client_for, offices):
    url = reverse("organisation:structure_import", args=[AGENCY])
    assert client_for(DKUKMTK.kepala).get(url).status_code == 403
    assert client_for(DKUKMTK.admin).get(url).status_code == 200


def _upload(content: bytes, name: str = "struktur.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_upload_page_lists_every_problem_and_writes_nothing(client_for, offices):
    wb = export_structure(offices[AGENCY])
    wb["Pegawai"].cell(row=2, column=1, value="123")
    buffer = io.BytesIO()
    wb.save(buffer)
    url = reverse("organisation:structure_import", args=[AGENCY])
    response = client_for(DKUKMTK.admin).post(url, {"file": _upload(buffer.getvalue())})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Pegawai" in text and "NIP harus terdiri dari 18 digit" in text


def test_upload_page_imports_a_valid_file(client_for, offices):
    buffer = io.BytesIO()
    export_structure(offices[AGENCY]).save(buffer)
    url = reverse("organisation:structure_import", args=[AGENCY])
    response = client_for(DKUKMTK.admin).post(url, {"file": _upload(buffer.getvalue())})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [(b"PK\x03\x04rest", "struktur.csv", ".csv"), (b"%PDF-1.4", "struktur.xlsx", "bukan")],
)
def test_uploads_are_type_checked(client_for, content, name, fragment):
    url = reverse("organisation:structure_import", args=[AGENCY])
    response = client_for(DKUKMTK.admin).post(url, {"file": _upload(content, name)})
    assert response.status_code == 200
    assert fragment in response.content.decode()


def test_uploads_are_size_checked(client_for, settings):
    settings.KINERJA_MAX_UPLOAD_MB = 1
    url = reverse("organisation:structure_import", args=[AGENCY])
    big = b"PK\x03\x04" + b"0" * (1024 * 1024 + 10)
    response = client_for(DKUKMTK.admin).post(url, {"file": _upload(big)})
    assert "1 MB" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(offices):
    client = Client()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": DKUKMTK.kepala, "password": "salah"})
        assert response.status_code == 200
    fifth = client.post(reverse("login"), {"username": DKUKMTK.kepala, "password": "salah"})
    assert fifth.status_code == 429
    locked = client.post(reverse("login"), {"username": DKUKMTK.kepala, "password": "demo-kinerja"})
    assert locked.status_code == 429
    assert "Terlalu banyak" in locked.content.decode()


def test_login_works_and_needs_a_csrf_token(offices):
    response = Client().post(
        reverse("login"), {"username": DKUKMTK.kepala, "password": "demo-kinerja"}
    )
    assert response.status_code == 302
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(
        reverse("login"), {"username": DKUKMTK.kepala, "password": "demo-kinerja"}
    )
    assert refused.status_code == 403


def test_every_demo_login_the_demo_prints_accepts_the_demo_password(offices):
    from django.contrib.auth import get_user_model

    from kinerja.organisation.demo import DEMO_PASSWORD, load

    logins = load()  # idempotent: the same list `kinerja demo` prints
    usernames = [username for _agency, _title, username in logins]
    assert {SUPERUSER, DKUKMTK.admin, DKUKMTK.kepala} <= set(usernames)
    users = get_user_model().objects.filter(username__in=usernames)
    assert len(users) == len(usernames)
    assert [u.username for u in users if not u.check_password(DEMO_PASSWORD)] == []
    page = Client().post(reverse("login"), {"username": DKUKMTK.admin, "password": DEMO_PASSWORD})
    assert page.status_code == 302


def test_an_administrator_without_an_employee_record_gets_the_agency_links(client_for):
    page = client_for(DKUKMTK.admin).get(reverse("home")).content.decode()
    assert f'href="{reverse("documents:agency", args=["DKUKMTK-BLG"])}"' in page
    assert f'href="{reverse("organisation:agency", args=["DKUKMTK-BLG"])}"' in page


def test_passwords_are_hashed(official):
    from django.conf import global_settings

    import kinerja.settings as production

    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "demo-kinerja" not in official(DKUKMTK.kepala).password


def test_indonesian_by_default_whatever_the_browser_says(client_for):
    client = client_for(DKUKMTK.kepala)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()
    assert "Jabatan saya" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id")
    assert "My positions" in english.content.decode()


def test_stylesheet_and_htmx_are_served_without_debug(settings):
    assert settings.DEBUG is False
    client = Client()
    for path in ("/static/kinerja/app.css", "/static/kinerja/htmx.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 1000
