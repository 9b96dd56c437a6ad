"""SOP files: a file too large or with an alias is refused before YAML composes or loads anything,
on the command line and on the upload page; the format bounds the steps, lanes and texts so that an
accepted SOP prints on a bounded number of pages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.core.models import AuditEntry
from kinerja.procedures.document import render_pdf
from kinerja.procedures.models import Sop, SopVersion
from kinerja.procedures.services import import_sop
from kinerja.procedures.sopfile import InvalidSopFile, parse_sop_file
from tests.documents.helpers import pdf_text
from tests.officials import DKUKMTK
from tests.security import files

pytestmark = pytest.mark.django_db
CODE = "DKUKMTK-BLG"


@pytest.fixture
def seed(offices) -> str:
    from kinerja.procedures.demo import seed_files

    return next(p for p in seed_files() if p.name.startswith("001")).read_text()


def _counts() -> tuple[int, int, int]:
    return Sop.objects.count(), SopVersion.objects.count(), AuditEntry.objects.count()


def _problems(text: str) -> list[str]:
    with pytest.raises(InvalidSopFile) as caught:
        parse_sop_file(text)
    return [str(p) for p in caught.value.problems]


def test_the_seed_and_its_limits_are_accepted(seed):
    assert parse_sop_file(seed).name


def test_the_billion_laughs_is_refused_at_its_first_alias(parsers):
    [problem] = _problems(files.yaml_laughs())
    assert "baris 4" in problem and "*a0" in problem and "alias" in problem.lower()
    assert parsers == []


def test_an_alias_that_contains_itself_is_refused(parsers):
    [problem] = _problems(files.yaml_recursive())
    assert "baris 3" in problem and "*loop" in problem
    assert parsers == []


def test_a_five_megabyte_sop_is_refused_by_its_size(seed, parsers):
    [problem] = _problems(files.yaml_padded(seed, 5))
    assert "paling banyak 512 KB" in problem
    assert parsers == []


def test_the_size_limit_is_a_setting(seed, settings):
    text = files.yaml_padded(seed, 0.1)
    settings.KINERJA_SOP_MAX_KB = 64
    assert "paling banyak 64 KB" in _problems(text)[0]


def test_the_command_refuses_before_reading_more_than_the_limit(seed, tmp_path, parsers):
    path = tmp_path / "besar.yaml"
    path.write_text(files.yaml_padded(seed, 5))
    bomb = tmp_path / "bom.yaml"
    bomb.write_text(files.yaml_laughs())
    before = _counts()
    for action, target in (("validate", path), ("import", path), ("import", bomb)):
        err = io.StringIO()
        with pytest.raises(CommandError, match="nothing was changed"):
            call_command("sop", action, str(target), stdout=io.StringIO(), stderr=err)
        assert "paling banyak 512 KB" in err.getvalue() or "*a0" in err.getvalue()
    assert _counts() == before
    assert parsers == []


def test_the_upload_page_refuses_a_bomb_and_a_large_file(seed, client_for, parsers):
    client = client_for(DKUKMTK.kasubbag)
    url = reverse("procedures:upload", args=[CODE])
    before = _counts()
    for name, text, words in (
        ("bom.yaml", files.yaml_laughs(), "*a0"),
        ("siklus.yaml", files.yaml_recursive(), "*loop"),
        ("besar.yaml", files.yaml_padded(seed, 5), "paling banyak 512 KB"),
    ):
        response = client.post(url, {"file": SimpleUploadedFile(name, text.encode())})
        assert response.status_code == 200
        shown = [str(p) for p in response.context["problems"]]
        assert len(shown) == 1 and words in shown[0], shown
        assert 'data-testid="sop-problem"' in response.content.decode()
    assert _counts() == before
    assert parsers == []


def test_more_steps_or_lanes_than_the_format_allows_are_refused(seed):
    problems = _problems(files.yaml_many_steps(seed, 101, lanes=11))
    assert any("steps" in p and "100" in p for p in problems), problems
    assert any("lanes" in p and "10" in p for p in problems), problems


def test_a_long_list_in_the_identity_sheet_is_refused(seed):
    entry = "  - Peraturan nomor sekian tentang hal tertentu\n"
    text = seed.replace("legal_basis:\n", "legal_basis:\n" + entry * 21, 1)
    problems = _problems(text)
    assert any("legal_basis" in p for p in problems), problems


def test_the_largest_accepted_sop_prints_on_a_bounded_number_of_pages(seed, offices):
    """Every field at its longest, as many steps and lanes as the format allows: the PDF stays
    within 50 pages (the issue's 5 MB SOP printed 941)."""
    text = files.yaml_many_steps(seed, 100, lanes=10, identity_entries=20)
    version = import_sop(text, agency=offices[CODE], check_permission=False).version
    pdf = render_pdf(version)
    pages = pdf_text(pdf).count("\f")
    assert 13 <= pages <= 50, pages


def test_standard_input_is_read_only_up_to_the_limit(seed, monkeypatch, parsers):
    monkeypatch.setattr("sys.stdin", io.StringIO(files.yaml_padded(seed, 1)))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("sop", "validate", "-", stdout=io.StringIO(), stderr=err)
    assert "paling banyak 512 KB" in err.getvalue()
    assert parsers == []
