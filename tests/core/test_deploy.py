"""What an operator relies on in production: the real client address behind the proxy, the
deployment check, the security headers, the API schema behind a login, database reconnection."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from kinerja.core.clientip import client_ip
from tests.officials import DKUKMTK

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"  # the reverse proxy every request arrives from


def _login(client: Client, username: str, password: str, forwarded_for: str):
    return client.post(
        "/masuk/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_wrong_passwords_from_elsewhere_do_not_lock_the_official_out(settings, kasubbag):
    """Behind the proxy every request has the proxy's address: the attacker's five failures must
    count against the attacker's own address, not against every user of the proxy."""
    settings.KINERJA_TRUSTED_PROXY_COUNT = 1
    kasubbag.set_password("benar-sekali-123")
    kasubbag.save()
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(attacker, kasubbag.username, "salah", "203.0.113.66")
    official = Client()
    response = _login(official, kasubbag.username, "benar-sekali-123", "198.51.100.7")
    assert response.status_code == 302, "the official was locked out by someone else's failures"
    assert response.headers["Location"] == "/"
    # The attacker's own address stays locked, even with the right password.
    locked = _login(attacker, kasubbag.username, "benar-sekali-123", "203.0.113.66")
    assert locked.status_code == 429


def test_client_address_is_the_one_the_trusted_proxy_saw(rf, settings):
    settings.KINERJA_TRUSTED_PROXY_COUNT = 1
    settings.KINERJA_TRUSTED_PROXIES = []
    # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
    spoofed = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(spoofed) == "203.0.113.5"
    # A request that did not come through the proxy keeps its own address.
    direct = rf.get("/", REMOTE_ADDR="198.51.100.9")
    assert client_ip(direct) == "198.51.100.9"
    garbage = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(garbage) == PROXY
    settings.KINERJA_TRUSTED_PROXIES = ["10.0.0.3"]
    untrusted = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(untrusted) == PROXY, "only the named proxies may say who the client is"
    settings.KINERJA_TRUSTED_PROXY_COUNT = 0
    settings.KINERJA_TRUSTED_PROXIES = []
    plain = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(plain) == "198.51.100.9", "without a configured proxy the header is ignored"


def _documented_environment() -> dict[str, str]:
    """The `export ...` block of docs/production.md, as the operator would paste it."""
    text = (ROOT / "docs" / "production.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n\s*(export .*?)```", text, re.S)
    assert block, "docs/production.md has no ```sh export ...``` block"
    words = block.group(1).replace("\\\n", " ").split()
    env = {}
    for word in words:
        if "=" in word and word != "export":
            key, value = word.split("=", 1)
            env[key] = value
    return env


def test_deploy_check_is_clean_with_the_documented_environment(tmp_path):
    documented = _documented_environment()
    assert {"SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECRET_KEY_FILE"} <= set(documented)
    # Only the operator's environment: not the test harness's own variables (the browser tests
    # allow Django's ORM inside Playwright's event loop, which a deployment must never do).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(documented)
    # The documented DATABASE_URL points at a server the check does not need, and the documented
    # folders belong to the production machine: both move into the test's own folder.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["KINERJA_VAR_DIR"] = str(tmp_path)
    env["SECRET_KEY_FILE"] = str(tmp_path / "secret_key")
    finished = subprocess.run(
        [sys.executable, "-m", "kinerja", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/masuk/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"], "no inline or eval'd script may run"
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_hsts_and_https_redirect_follow_the_environment(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get("/masuk/")
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://")
    secure = client.get("/masuk/", secure=True)
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_settings_read_hsts_and_redirect_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kinerja.settings",
            "KINERJA_VAR_DIR": str(tmp_path),
            "SECURE_HSTS_SECONDS": "600",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "DATABASE_URL": "postgres://kinerja@db.example:5432/kinerja",
        }
    )
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    assert out == ["600", "True", "True", "True"]


@pytest.mark.django_db
def test_api_schema_needs_a_login(client, client_for):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    assert client_for(DKUKMTK.staf).get("/api/v1/schema/").status_code == 200


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_replaced_before_the_next_request(settings, offices):
    """After PostgreSQL drops a connection (restart, failover, idle timeout) the next request on
    that web process gets a fresh connection instead of a 500."""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    close_old_connections()  # what Django does when the next request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_checked_downloads_are_handed_to_nginx_when_configured(settings, tmp_path):
    """With KINERJA_X_ACCEL_PREFIX the view sends no bytes, only the internal path nginx serves."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile

    from kinerja.core.downloads import file_response

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("dokumen/lkjip 2024.pdf", ContentFile(b"%PDF-1.7 isi"))
    field = type("Field", (), {"storage": storage})()
    stored = FieldFile(None, field, name)
    settings.KINERJA_X_ACCEL_PREFIX = ""
    direct = file_response(stored, filename="LKjIP 2024.pdf")
    assert b"".join(direct.streaming_content) == b"%PDF-1.7 isi"
    direct.file_to_stream.close()  # not direct.close(): that ends the request and its connection
    settings.KINERJA_X_ACCEL_PREFIX = "/_berkas/"
    handed = file_response(stored, filename="LKjIP 2024.pdf")
    assert handed.content == b""
    assert handed["X-Accel-Redirect"] == "/_berkas/dokumen/lkjip%202024.pdf"
    assert handed["Content-Type"] == "application/pdf"
    assert 'filename="LKjIP 2024.pdf"' in handed["Content-Disposition"]


def test_no_page_template_carries_script_the_policy_would_block():
    """The browser tests fail on a CSP refusal of the pages they visit; this covers every page
    template: no inline <script>, no on...= handler, no javascript: link (the PDF templates are
    laid out by WeasyPrint, not a browser)."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']|javascript:", re.IGNORECASE
    )
    found = []
    for path in (ROOT / "kinerja").rglob("templates/**/*.html"):
        if "/pdf/" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if inline.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)
