"""A Word template is code an office administrator writes: it renders in Jinja's sandbox, and a
template that reaches for attributes or names beginning with "_" is refused when it is uploaded,
with its place, before anything renders it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx
from jinja2.exceptions import SecurityError

from kinerja.core.models import AuditEntry
from kinerja.documents import contract
from kinerja.documents.models import DocumentTemplate
from kinerja.documents.services import templates
from kinerja.documents.services.versions import create_document, generate_version
from tests.documents.helpers import docx_text, read
from tests.officials import DKUKMTK

pytestmark = pytest.mark.django_db
CODE = "DKUKMTK-BLG"


def _payload(marker) -> str:
    """The attack of the issue: a shell command through Jinja's globals; it creates ``marker``."""
    return "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"


def _pk_with(text: str, *, in_table: bool = False, title: str = "") -> bytes:
    doc = Docx(io.BytesIO(templates.default_bytes("pk")))
    if in_table:
        table = doc.add_table(rows=2, cols=3)
        table.cell(1, 2).text = text
    elif text:
        doc.add_paragraph(text)
    if title:
        doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _post(client, data: bytes):
    return client.post(
        reverse("documents:templates", args=[CODE]),
        {"kind": "pk", "file": SimpleUploadedFile("pk.docx", data)},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_attack_of_the_issue_is_refused_at_upload_with_its_place_and_runs_nothing(
    perf, client_for, tmp_path
):
    marker = tmp_path / "pwned"
    data = _pk_with(_payload(marker))
    paragraphs = len(Docx(io.BytesIO(data)).paragraphs)
    response = _post(client_for(DKUKMTK.admin), data)
    assert not marker.exists()
    [message] = _messages(response)
    assert f"isi, paragraf {paragraphs}" in message
    assert "__init__" in message and "garis bawah" in message
    assert not DocumentTemplate.objects.filter(agency__code=CODE).exists()
    assert not AuditEntry.objects.filter(action="documents.template.replaced").exists()


def test_a_table_cell_is_named_by_table_row_and_column(perf, client_for, tmp_path):
    marker = tmp_path / "pwned"
    data = _pk_with(_payload(marker), in_table=True)
    tables = len(Docx(io.BytesIO(data)).tables)
    response = _post(client_for(DKUKMTK.admin), data)
    assert not marker.exists()
    [message] = _messages(response)
    assert f"tabel {tables} baris 2 kolom 3" in message
    assert not DocumentTemplate.objects.filter(agency__code=CODE).exists()


@pytest.mark.parametrize(
    "tag",
    [
        "{{ agency.__class__ }}",
        "{{ agency['__class__'] }}",
        "{{ cycler|attr('__init__') }}",
        "{{ _private }}",
        "{% set _x = agency %}{{ _x }}",
        "{{r agency.name.__len__() }}",
    ],
)
def test_every_way_of_reaching_an_underscore_name_is_refused(tag):
    data = _pk_with(tag)
    with pytest.raises(Exception) as caught:
        templates.check_unsafe(data)
    message = " ".join(getattr(caught.value, "messages", [str(caught.value)]))
    assert "paragraf" in message


def test_document_properties_are_checked_too(perf, client_for, tmp_path):
    """docxtpl renders the title and the other core properties as Jinja as well."""
    marker = tmp_path / "pwned"
    response = _post(client_for(DKUKMTK.admin), _pk_with("", title=_payload(marker)))
    assert not marker.exists()
    [message] = _messages(response)
    assert "properti dokumen" in message
    assert not DocumentTemplate.objects.filter(agency__code=CODE).exists()


def test_an_ordinary_template_with_underscores_inside_names_and_text_is_accepted(perf, client_for):
    data = _pk_with('{{ agency.name }} {{ report_title or "________" }} {{ signature.name }}')
    response = _post(client_for(DKUKMTK.admin), data)
    assert "diganti" in " ".join(_messages(response))
    assert DocumentTemplate.objects.filter(agency__code=CODE, active=True).count() == 1


def test_a_stored_template_renders_in_the_sandbox(perf, kasubbag, tmp_path):
    """A template stored before the upload check existed cannot run code when a version is
    generated: rendering itself is sandboxed."""
    from django.core.files.base import ContentFile

    marker = tmp_path / "pwned"
    stored = DocumentTemplate(agency=perf[CODE], kind="pk", active=True)
    stored.file.save("pk_old.docx", ContentFile(_pk_with(_payload(marker))), save=False)
    stored.save()
    document = create_document(perf[CODE], "pk", 2024, actor=kasubbag)
    with pytest.raises(SecurityError):
        generate_version(document, actor=kasubbag, formats=("docx",))
    assert not marker.exists()


def test_the_sandbox_still_renders_the_product_templates(perf):
    kind = contract.get("pk")(perf[CODE], 2024)
    data, images = kind.build()
    text = docx_text(kind.render_docx(data, images))
    assert perf[CODE].name in text and "{{" not in text


def test_the_sandbox_refuses_huge_repetition():
    env = contract.jinja_environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ 'x' * 1000000000 }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ 10 ** 10000000 }}").render()


def test_generated_version_text_is_unchanged_by_the_sandbox(perf, kasubbag):
    document = create_document(perf[CODE], "pk", 2024, actor=kasubbag)
    version = generate_version(document, actor=kasubbag, formats=("docx",))
    assert perf[CODE].name in docx_text(read(version.docx))
