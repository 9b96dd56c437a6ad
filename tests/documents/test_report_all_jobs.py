"""``kinerja report all --jobs 2`` forks worker processes, so it runs here as a real command in a
subprocess, on a database file (or PostgreSQL database) that holds the test data.

The test database of a SQLite run lives in memory, which a forked worker cannot share (the command
falls back to one process there); so the test copies it into a file with SQLite's backup API and
points the subprocess at that file. On PostgreSQL the subprocess reads the test database itself
(the demo data is committed when the session starts).
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Q
from docx import Document as Docx

from kinerja.documents.kinds.reports import outline
from kinerja.organisation.models import Agency
from tests.documents.helpers import docx_headings, docx_text

# Not inside a test transaction: SQLite's backup cannot read a database its own connection holds
# a write transaction on, and the subprocess must see the data; the fixtures reload the demo
# after the flush that follows.
pytestmark = pytest.mark.django_db(transaction=True)
REGION = "63.11"


def _database_url(folder: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        target = folder / "report-all.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return f"sqlite:///{target}"
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        host = settings.get("HOST") or "localhost"
        return f"postgres://{settings['USER']}{password}@{host}{port}/{settings['NAME']}"
    raise AssertionError(f"no subprocess database for {connection.vendor}")


def test_report_all_with_two_processes_writes_every_agency(perf, tmp_path):
    out = tmp_path / "out"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path),
        "KINERJA_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
    }
    command = [sys.executable, "-m", "kinerja", "report", "all", "--year", "2024"]
    command += ["--region", REGION, "--format", "docx", "--out", str(out), "--jobs", "2"]
    result = subprocess.run(  # noqa: S603 - our own command line
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    agencies = list(
        Agency.objects.filter(Q(region__code=REGION) | Q(region__parent__code=REGION)).distinct()
    )
    assert len(agencies) >= 2
    expected = {f"LKjIP_{a.code}_2024.docx" for a in agencies}
    assert {p.name for p in out.iterdir()} == expected
    assert f"{len(agencies)} of {len(agencies)} reports written" in result.stdout
    for agency in agencies:
        data = (out / f"LKjIP_{agency.code}_2024.docx").read_bytes()
        Docx(io.BytesIO(data))  # opens
        headings = docx_headings(data)
        for heading in outline(True)[2:]:
            assert heading in headings, (agency.code, heading)
        assert agency.name.upper() in docx_text(data).upper()
