"""The fuzz corpus of bad files (tests/security/files.py), each through the real entry points: the
upload pages (a logged-in official with the right position), the commands (call_command). The API
takes no files (JSON only), so it has no entry point here.

Every file is refused with a message in Indonesian that says where, and nothing is written (rows
counted before and after). Bounds on time are proven by structure, not by a clock: a file refused
by the checks before parsing never reaches a parser (``parsers`` records every call of openpyxl,
the forms' reader, python-docx, docxtpl, PyYAML's composer and LibreOffice). ``bench/bad_files.py``
prints the real timings.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.core.models import AuditEntry
from kinerja.core.periods import Period
from kinerja.documents.models import DocumentTemplate, DocumentVersion
from kinerja.documents.services import templates
from kinerja.documents.services.versions import create_document
from kinerja.organisation.models import Agency, Employee, Position, PositionHolding, Unit
from kinerja.organisation.services.structure import export_structure
from kinerja.performance.models import (
    Actual,
    BudgetCeiling,
    Goal,
    Indicator,
    Objective,
    StrategicPlan,
    Submission,
    Target,
)
from kinerja.performance.services.collection import rounds, workbooks
from kinerja.performance.services.planning.transfer import exporting
from kinerja.procedures.models import Sop, SopVersion
from tests.officials import DKUKMTK
from tests.security import files

pytestmark = pytest.mark.django_db
CODE = "DKUKMTK-BLG"

# -- what is counted, what is shown --------------------------------------------------------------

STRUCTURE = (Unit, Position, Employee, PositionHolding, AuditEntry)
PLAN = (StrategicPlan, Goal, Objective, Indicator, Target, BudgetCeiling, AuditEntry)
FORMS = (Submission, Actual, AuditEntry)
DOCUMENTS = (DocumentTemplate, DocumentVersion, AuditEntry)
SOPS = (Sop, SopVersion, AuditEntry)


def counts(models) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}


def shown(response) -> list[str]:
    """Every problem a page shows: issues, problems, errors, form errors and messages."""
    context = response.context
    found: list[str] = []
    for key in ("issues", "problems", "errors"):
        found += [str(item) for item in (context.get(key) or [])]
    form = context.get("form")
    if form is not None and hasattr(form, "errors"):
        found += [str(m) for messages in form.errors.values() for m in messages]
    found += [str(m) for m in context.get("messages", [])]
    return found


def command_output(*args) -> str:
    """What a command prints (out and err) when it refuses; it must refuse."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=err)
    return "\n".join([out.getvalue(), err.getvalue(), str(caught.value)])


# -- the good files the bad ones are made from ----------------------------------------------------


@pytest.fixture
def structure_xlsx(perf) -> bytes:
    buffer = io.BytesIO()
    export_structure(Agency.objects.get(code=CODE)).save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan_xlsx(perf) -> bytes:
    plan = StrategicPlan.objects.filter(agency__code=CODE).first()
    buffer = io.BytesIO()
    exporting.export_plan(plan).save(buffer)
    return buffer.getvalue()


@pytest.fixture
def q3_round(perf, kasubbag):
    return rounds.open_round(Agency.objects.get(code=CODE), Period.parse("2025-Q3"), kasubbag)


@pytest.fixture
def form_xlsx(q3_round) -> bytes:
    return workbooks.form_bytes(q3_round, Unit.objects.get(agency__code=CODE, code="BID-KOP"))


@functools.cache
def bomb(good: bytes) -> bytes:
    return files.xlsx_bomb(good, 100)


def with_formula(good: bytes, sheet: str, cell: str) -> bytes:
    """``cell`` of ``sheet`` holds a formula with no saved value (as a program, not Excel,
    writes it)."""
    wb = load_workbook(io.BytesIO(good))
    wb[sheet][cell] = '=CONCATENATE("a";"b")'
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_value(good: bytes, sheet: str, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(good))
    wb[sheet][cell] = value
    wb[sheet][cell].data_type = "s" if isinstance(value, str) else wb[sheet][cell].data_type
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Each bad workbook: (id, maker(good) -> bytes, words every message must hold, before parsing?)
BAD_WORKBOOKS: list[tuple[str, Callable[[bytes], bytes], tuple[str, ...], bool]] = [
    ("bomb", bomb, ("xl/worksheets/sheet1.xml", "100,0 MB", "paling banyak 50 MB"), True),
    ("many parts", lambda g: files.xlsx_many_small_parts(g, 1500), ("paling banyak 1000",), True),
    ("xxe", files.xlsx_xxe, ("DTD",), True),
    ("billion laughs", files.xlsx_laughs, ("DTD",), True),
    ("renamed zip", lambda g: files.zip_renamed(), ("bukan buku kerja Excel",), False),
]


# -- the structure import -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "words", "before_parsing"), BAD_WORKBOOKS)
def test_structure_import_page_and_command_refuse(
    name, make, words, before_parsing, structure_xlsx, client_for, parsers, tmp_path
):
    data = make(structure_xlsx)
    before = counts(STRUCTURE)
    page = client_for(DKUKMTK.admin).post(
        reverse("organisation:structure_import", args=[CODE]),
        {"file": SimpleUploadedFile("struktur.xlsx", data)},
    )
    assert page.status_code in (200, 422)  # the page again, with the problems
    messages = shown(page)
    assert messages and all(w in " ".join(messages) for w in words), messages
    path = tmp_path / "struktur.xlsx"
    path.write_bytes(data)
    printed = command_output("org", "import", str(path), "--agency", CODE)
    assert all(w in printed for w in words), printed
    assert counts(STRUCTURE) == before
    if before_parsing:
        assert parsers == []


def test_not_a_zip_is_refused_by_the_page_and_the_command(structure_xlsx, client_for, tmp_path):
    before = counts(STRUCTURE)
    page = client_for(DKUKMTK.admin).post(
        reverse("organisation:structure_import", args=[CODE]),
        {"file": SimpleUploadedFile("struktur.xlsx", b"bukan zip sama sekali")},
    )
    assert "bukan berkas .xlsx" in " ".join(shown(page))
    path = tmp_path / "struktur.xlsx"
    path.write_bytes(files.NOT_A_ZIP)
    assert "bukan buku kerja Excel" in command_output("org", "import", str(path), "--agency", CODE)
    assert counts(STRUCTURE) == before


def test_a_formula_without_its_value_is_an_empty_cell_located(structure_xlsx, client_for):
    data = with_formula(structure_xlsx, "Unit", "B2")
    before = counts(STRUCTURE)
    page = client_for(DKUKMTK.admin).post(
        reverse("organisation:structure_import", args=[CODE]),
        {"file": SimpleUploadedFile("struktur.xlsx", data)},
    )
    [issue] = page.context["issues"]
    assert (issue.sheet, issue.row, issue.column) == ("Unit", 2, "B (Nama)")
    assert "wajib diisi" in issue.message
    assert counts(STRUCTURE) == before


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "column", "words"),
    [
        ("Unit", "E2", "sepuluh", "E (Urutan)", "'sepuluh' bukan angka"),
        ("Unit", "C2", "kementerian", "C (Jenis)", "'kementerian' bukan salah satu dari"),
        ("Pemangku Jabatan", "D2", "kemarin", "D (Mulai)", "'kemarin' bukan tanggal"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_at_its_cell(
    structure_xlsx, client_for, sheet, cell, value, column, words
):
    before = counts(STRUCTURE)
    page = client_for(DKUKMTK.admin).post(
        reverse("organisation:structure_import", args=[CODE]),
        {
            "file": SimpleUploadedFile(
                "struktur.xlsx", with_value(structure_xlsx, sheet, cell, value)
            )
        },
    )
    [issue] = page.context["issues"]
    assert (issue.sheet, issue.row, issue.column) == (sheet, 2, column)
    assert words in issue.message, issue.message
    assert counts(STRUCTURE) == before


def test_a_hundred_thousand_rows_are_refused_before_parsing_naming_the_sheet(
    structure_xlsx, client_for, parsers, tmp_path
):
    """openpyxl would scan the whole sheet (it declares no size) before reading a row."""
    data = files.rewrite(
        structure_xlsx, {"xl/worksheets/sheet1.xml": files.unit_rows_sheet(100_000)}
    )
    path = tmp_path / "struktur.xlsx"
    path.write_bytes(data)
    before = counts(STRUCTURE)
    printed = command_output("org", "import", str(path), "--agency", CODE)
    assert "Lembar Unit memiliki lebih dari 20000 baris" in printed
    page = client_for(DKUKMTK.admin).post(
        reverse("organisation:structure_import", args=[CODE]),
        {"file": SimpleUploadedFile("struktur.xlsx", data)},
    )
    assert "Lembar Unit memiliki lebih dari 20000 baris" in " ".join(shown(page))
    assert counts(STRUCTURE) == before
    assert parsers == []


# -- the Renstra import ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "words", "before_parsing"), BAD_WORKBOOKS)
def test_plan_import_page_and_command_refuse(
    name, make, words, before_parsing, plan_xlsx, client_for, parsers, tmp_path
):
    data = make(plan_xlsx)
    before = counts(PLAN)
    page = client_for(DKUKMTK.kasubbag).post(
        reverse("performance:plan_import", args=[CODE]),
        {"file": SimpleUploadedFile("renstra.xlsx", data)},
    )
    assert page.status_code in (200, 422)  # the page again, with the problems
    messages = shown(page)
    assert all(w in " ".join(messages) for w in words), messages
    path = tmp_path / "renstra.xlsx"
    path.write_bytes(data)
    printed = command_output("plan", "import", str(path), "--agency", CODE)
    assert all(w in printed for w in words), printed
    assert counts(PLAN) == before
    if before_parsing:
        assert parsers == []


# -- the unit forms -------------------------------------------------------------------------------


def _form_page(client, q3_round, name: str, data: bytes):
    return client.post(
        reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"]),
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(("name", "make", "words", "before_parsing"), BAD_WORKBOOKS)
def test_unit_form_page_and_command_refuse(
    name, make, words, before_parsing, q3_round, form_xlsx, client_for, parsers, tmp_path
):
    data = make(form_xlsx)
    before = counts(FORMS)
    page = _form_page(client_for(DKUKMTK.kabid_kop), q3_round, "formulir.xlsx", data)
    assert page.status_code in (200, 422)  # the page again, with the problems
    messages = shown(page)
    assert all(w in " ".join(messages) for w in words), messages
    path = tmp_path / "formulir.xlsx"
    path.write_bytes(data)
    printed = command_output("forms", "import", str(q3_round.pk), str(path))
    assert all(w in printed for w in words), printed
    assert counts(FORMS) == before
    if before_parsing:
        assert parsers == []


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        (
            "a bomb inside the ZIP",
            lambda form: files.zip_renamed({"formulir.xlsx": bomb(form)}),
            ("100,0 MB",),
        ),
        (
            "a ZIP of many entries",
            lambda form: files.zip_renamed({f"bukti/{n}.txt": b"x" for n in range(1500)}),
            ("paling banyak 1000",),
        ),
        (
            "a bomb of an evidence file",
            lambda form: files.zip_with_large_part({"formulir.xlsx": form}, "bukti.txt", 100),
            ("bukti.txt", "100,0 MB"),
        ),
    ],
)
def test_a_zip_of_form_and_evidence_is_checked_before_it_is_unpacked(
    name, make, words, q3_round, form_xlsx, client_for, parsers, tmp_path
):
    data = make(form_xlsx)
    before = counts(FORMS)
    page = _form_page(client_for(DKUKMTK.kabid_kop), q3_round, "kiriman.zip", data)
    messages = shown(page)
    assert all(w in " ".join(messages) for w in words), messages
    path = tmp_path / "kiriman.zip"
    path.write_bytes(data)
    printed = command_output("forms", "import", str(q3_round.pk), str(path))
    assert all(w in printed for w in words), printed
    assert counts(FORMS) == before
    assert parsers == []


# -- Word templates and DOCX versions ------------------------------------------------------------


def _pk_template(extra: str = "") -> bytes:
    from docx import Document as Docx

    doc = Docx(io.BytesIO(templates.default_bytes("pk")))
    if extra:
        doc.add_paragraph(extra)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "words", "before_parsing"),
    [
        (
            "ssti",
            lambda: _pk_template("{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
            ("isi, paragraf", "__init__", "garis bawah"),
            False,
        ),
        (
            "broken tags",
            lambda: _pk_template("{%p if pk.present %}"),
            ("isi, paragraf", "tidak pernah ditutup"),
            None,  # found by rendering the template once, in the sandbox
        ),
        (
            "external link",
            lambda: files.docx_with_external_image(
                _pk_template(), "http://169.254.169.254/latest/meta-data/"
            ),
            ("169.254.169.254", "dari luar dokumen"),
            False,
        ),
        (
            "bomb",
            lambda: files.docx_bomb(_pk_template(), 100),
            ("word/styles.xml", "100,0 MB"),
            True,
        ),
        ("renamed zip", lambda: files.zip_renamed(), ("bukan dokumen Word",), True),
    ],
)
def test_word_template_upload_refuses(name, make, words, before_parsing, perf, client_for, parsers):
    data = make()
    parsers.clear()
    before = counts(DOCUMENTS)
    page = client_for(DKUKMTK.admin).post(
        reverse("documents:templates", args=[CODE]),
        {"kind": "pk", "file": SimpleUploadedFile("templat.docx", data)},
        follow=True,
    )
    messages = shown(page)
    assert len(messages) == 1 and all(w in messages[0] for w in words), messages
    assert counts(DOCUMENTS) == before
    if before_parsing:
        assert parsers == []
    elif before_parsing is False:
        assert "docxtpl" not in parsers  # refused by the checks, never rendered


def test_a_docx_version_bomb_is_refused_before_libreoffice(perf, kasubbag, client_for, parsers):
    document = create_document(perf[CODE], "cover_letter", 2024, actor=kasubbag)
    data = files.docx_bomb(_pk_template(), 100)
    parsers.clear()
    before = counts(DOCUMENTS)
    page = client_for(DKUKMTK.kasubbag).post(
        reverse("documents:post", args=[document.pk, "upload"]),
        {"docx": SimpleUploadedFile("suntingan.docx", data)},
        follow=True,
    )
    messages = shown(page)
    assert any("word/styles.xml" in m and "100,0 MB" in m for m in messages), messages
    assert counts(DOCUMENTS) == before
    assert parsers == []


# -- SOP files ------------------------------------------------------------------------------------


@pytest.fixture
def seed(offices) -> str:
    from kinerja.procedures.demo import seed_files

    return next(p for p in seed_files() if p.name.startswith("001")).read_text()


def _step_loop(seed: str) -> str:
    """Steps 2 and 3 send each other back and forth with no way to the end (step 4)."""
    return """\
format: kinerja-sop/1
agency: DKUKMTK-BLG
key: putaran
name: SOP berputar
lanes:
  - {key: kasubbag, name: Kasubbag Perencanaan, positions: [KASUBBAG-PKA]}
steps:
  - {number: 1, text: Memulai, lane: kasubbag, start: true}
  - {number: 2, text: Menyusun, lane: kasubbag}
  - {number: 3, text: Memeriksa, lane: kasubbag, next: 2}
  - {number: 4, text: Mengarsipkan, lane: kasubbag, end: true}
"""


BAD_SOPS = [
    ("aliases", lambda seed: files.yaml_laughs(), ("baris 4", "*a0"), True),
    ("5 MB", lambda seed: files.yaml_padded(seed, 5), ("paling banyak 512 KB",), True),
    ("yaml cycle", lambda seed: files.yaml_recursive(), ("baris 3", "*loop"), True),
    ("step cycle", _step_loop, ("baris 9", "Langkah 2", "tanpa jalan keluar"), False),
    (
        "unknown lane",
        lambda seed: seed.replace("lane: kasubbag", "lane: tidak-ada", 1),
        ("Pelaksana tidak dikenal", "tidak-ada"),
        False,
    ),
]


@pytest.mark.parametrize(("name", "make", "words", "before_parsing"), BAD_SOPS)
def test_sop_upload_page_and_command_refuse(
    name, make, words, before_parsing, seed, client_for, parsers, tmp_path
):
    text = make(seed)
    before = counts(SOPS)
    page = client_for(DKUKMTK.kasubbag).post(
        reverse("procedures:upload", args=[CODE]),
        {"file": SimpleUploadedFile("sop.yaml", text.encode())},
    )
    messages = shown(page)
    assert any(all(w in m for w in words) for m in messages), messages
    assert all("baris" in m for m in messages if "512 KB" not in m), messages
    path = tmp_path / "sop.yaml"
    path.write_text(text)
    for action in ("validate", "import"):
        printed = command_output("sop", action, str(path))
        assert all(w in printed for w in words), printed
    assert counts(SOPS) == before
    if before_parsing:
        assert parsers == []


# -- the API -------------------------------------------------------------------------------------


def test_the_api_takes_no_files():
    """Every API view reads JSON only: no multipart or file parser, so no file reaches the
    server through the API (its entry points for files are the pages and the commands)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.parsers import JSONParser

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    views = [
        (route, cb) for route, cb in walk(get_resolver().url_patterns) if route.startswith("api/")
    ]
    assert len(views) >= 8
    for route, callback in views:
        parsers = getattr(getattr(callback, "cls", None), "parser_classes", None)
        assert parsers is not None, route
        assert all(issubclass(p, JSONParser) for p in parsers), (route, parsers)
