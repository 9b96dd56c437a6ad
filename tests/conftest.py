"""Fixtures shared by every test: the four seed offices and their named officials.

The offices are loaded once per test database (session). Tests that flush the database
(transactional tests, the browser tests' live server) get them back through ``offices``.

Named officials (docs/conventions.md, do 8), all of DKUKMTK Balangan unless said otherwise:
``kadis`` (Plt. Kepala Dinas), ``sekretaris``, ``kasubbag`` (the planning sub-head),
``kabid`` (a unit head), ``staf`` (a staff member), ``agency_admin``, and ``outsider``
(the Plt. Kepala of Dinas Kesehatan, another office). Any other official of the four offices is
named by role in ``tests/officials.py`` (``client_for(KTT.kepala)``), never by a login string.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import translation

from kinerja.organisation.demo import load as load_demo_offices
from kinerja.organisation.models import Agency
from tests.officials import DINKES, DKUKMTK

IN_CI = os.environ.get("CI", "").lower() == "true"
FAST_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` (row locks, concurrency) exist only where PostgreSQL runs them.

    On SQLite they are deselected, not skipped: CI runs the suite on both databases, so each such
    test runs once, on the database it is about.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    keep = [item for item in items if not item.get_closest_marker("postgresql")]
    dropped = [item for item in items if item.get_closest_marker("postgresql")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_configure(config):
    """A fast password hasher for the whole run, set before anything hashes a password.

    The demo logins are made when the test database is set up (session scope, before any
    function-scoped ``settings`` fixture applies); at the production cost (PBKDF2, a million
    rounds) every login made or checked costs a second of CPU. Production keeps its hashers
    (``test_passwords_are_hashed`` reads them from the settings module).
    """
    override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS).enable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo_offices()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """Before the test database is dropped, end the PostgreSQL sessions that still hold it.

    A connection opened by another thread of this worker (a live server's request thread, a
    concurrency test's workers) is closed by Django only when that thread ends; one left idle makes
    ``DROP DATABASE`` fail with "being accessed by other users" at the very end of an otherwise
    green run. Only sessions on this worker's own test database are ended.
    """
    from django.db import connection, connections

    connections.close_all()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Indonesian, the product's default: a page requested with the English
    cookie or a command that activates a language leaves it active in the thread otherwise."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogue():
    """Tests read Indonesian messages: compile the catalogue when it is missing or stale, as
    `make install` does, so that a bare `pytest` sees the same pages a user does."""
    for po in (Path(p) for p in settings.LOCALE_PATHS):
        for source in po.glob("*/LC_MESSAGES/*.po"):
            compiled = source.with_suffix(".mo")
            if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
                from django.core.management import call_command

                call_command("i18n", stdout=io.StringIO())
                return


@pytest.fixture
def offices(db):
    """The four seed offices, reloaded if a transactional test flushed them."""
    if not Agency.objects.filter(code="DKUKMTK-BLG").exists():
        load_demo_offices()
    return {agency.code: agency for agency in Agency.objects.all()}


@pytest.fixture
def official(offices):
    """``official(DINKES.kasubag)``: the demo login with that username (``tests.officials``)."""

    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_for(official):
    """``client_for(DKUKMTK.kepala)``: a test client logged in as that official."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(official(username))
        return client

    return make


@pytest.fixture
def kadis(official):
    return official(DKUKMTK.kepala)


@pytest.fixture
def sekretaris(official):
    return official(DKUKMTK.sekretaris)


@pytest.fixture
def kasubbag(official):
    return official(DKUKMTK.kasubbag)


@pytest.fixture
def kabid(official):
    return official(DKUKMTK.kabid_kop)


@pytest.fixture
def staf(official):
    return official(DKUKMTK.staf)


@pytest.fixture
def agency_admin(official):
    return official(DKUKMTK.admin)


@pytest.fixture
def outsider(official):
    return official(DINKES.kepala)
