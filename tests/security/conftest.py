"""Security fixtures: the demo performance data (rounds, Renstra) and files in a temporary media
folder; a spy that records every call of a parser, to prove a file is refused before it."""

from __future__ import annotations

import pytest

from kinerja.performance import demo as performance_demo
from kinerja.performance.models import Indicator


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        performance_demo.load()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KINERJA_SIGNING_DIR = tmp_path / "signing"


@pytest.fixture
def perf(offices):
    """The demo performance data, reloaded if a transactional test flushed it."""
    if not Indicator.objects.filter(objective__plan__agency__code="DKUKMTK-BLG").exists():
        performance_demo.load()
    return offices


@pytest.fixture
def parsers(monkeypatch):
    """Records each call of a parser an upload could reach (openpyxl, the forms' values reader,
    python-docx, docxtpl, PyYAML, LibreOffice); the calls still happen. A test asserts the list
    is empty to prove the file was refused before any parser read it."""
    import docx
    import docxtpl
    import openpyxl.reader.excel
    import yaml

    from kinerja.core import xlsx
    from kinerja.documents import convert
    from kinerja.performance.services.collection import workbook_values

    calls: list[str] = []

    def spy(module, name: str, label: str) -> None:
        original = getattr(module, name)

        def recorded(*args, **kwargs):
            calls.append(label)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    spy(xlsx, "load_workbook", "openpyxl")
    spy(openpyxl.reader.excel, "load_workbook", "openpyxl")
    spy(workbook_values, "ValuesWorkbook", "workbook_values")
    spy(docx, "Document", "python-docx")
    spy(docxtpl, "DocxTemplate", "docxtpl")
    spy(convert.subprocess, "run", "subprocess")
    for name in ("compose", "load", "safe_load"):  # the passes that build (and expand) nodes
        spy(yaml, name, f"yaml.{name}")
    return calls
