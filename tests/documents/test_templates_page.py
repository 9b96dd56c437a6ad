"""The agency administrator replaces, downloads and reverts the Word templates of the kinds."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx
from docx.shared import Pt, RGBColor

from kinerja.core.models import AuditEntry
from kinerja.documents import report_data
from kinerja.documents.models import DocumentTemplate
from kinerja.documents.services import templates
from kinerja.documents.services.versions import create_document, generate_version
from tests.documents.helpers import docx_text, read
from tests.officials import DINKES, DKUKMTK

pytestmark = pytest.mark.django_db
CODE = "DKUKMTK-BLG"


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _restyled_pk() -> bytes:
    doc = Docx(io.BytesIO(templates.default_bytes("pk")))
    normal = doc.styles["Normal"]
    normal.font.name = "Liberation Serif"
    normal.font.size = Pt(13)
    normal.font.color.rgb = RGBColor(0x80, 0x00, 0x20)
    doc.add_paragraph("Templat kantor: {{ agency.name }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _broken_pk() -> bytes:
    doc = Docx(io.BytesIO(templates.default_bytes("pk")))
    doc.add_paragraph("Catatan {%p if pk.present %}")
    doc.add_paragraph("tidak pernah ditutup")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


def test_admin_replaces_a_template_with_other_styling_and_it_renders(
    perf, client_for, agency_admin, kasubbag
):
    client = _english(client_for(DKUKMTK.admin))
    url = reverse("documents:templates", args=[CODE])
    page = client.get(url)
    assert page.status_code == 200
    kinds = list(page.context["kinds"])
    assert {k.identifier for k in kinds} >= {"lkjip", "periodic_report", "pk", "cover_letter"}
    assert all(k.current is None for k in kinds)
    default = client.get(reverse("documents:template_download", args=[CODE, "pk", "default"]))
    assert default.status_code == 200 and default.content == templates.default_bytes("pk")

    response = client.post(url, {"kind": "pk", "file": _upload("pk_kantor.docx", _restyled_pk())})
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(agency__code=CODE, kind="pk", active=True)
    assert template.uploaded_by == agency_admin
    entry = AuditEntry.objects.get(action="documents.template.replaced")
    assert entry.before == {"template": "default"} and entry.after["template"] == template.pk
    current = client.get(reverse("documents:template_download", args=[CODE, "pk", "current"]))
    assert current.content == read(template.file)

    document = create_document(perf[CODE], "pk", 2024, actor=kasubbag)
    version = generate_version(document, actor=kasubbag, formats=("docx",))
    data = read(version.docx)
    doc = Docx(io.BytesIO(data))
    assert doc.styles["Normal"].font.name == "Liberation Serif"
    assert doc.styles["Normal"].font.size == Pt(13)
    text = docx_text(data)
    assert f"Templat kantor: {perf[CODE].name}" in text
    assert "{{" not in text and "{%" not in text
    # the PK rows are still there with the office's styling
    _info, rows, _programs = report_data.agreement_rows(perf[CODE], 2024)
    assert rows and all(row["indicator"] in text for row in rows)

    # A second replacement keeps the first one, inactive; reverting goes back to the default.
    client.post(url, {"kind": "pk", "file": _upload("pk2.docx", _restyled_pk())})
    assert DocumentTemplate.objects.filter(agency__code=CODE, kind="pk").count() == 2
    assert DocumentTemplate.objects.filter(agency__code=CODE, kind="pk", active=True).count() == 1
    client.post(url, {"kind": "pk", "what": "revert"})
    assert templates.current_template(perf[CODE], "pk") is None
    assert DocumentTemplate.objects.filter(agency__code=CODE, kind="pk").count() == 2
    assert AuditEntry.objects.filter(action="documents.template.reverted").exists()
    again = generate_version(document, actor=kasubbag, formats=("docx",))
    assert Docx(io.BytesIO(read(again.docx))).styles["Normal"].font.name != "Liberation Serif"


def test_a_broken_template_is_refused_with_its_place_and_nothing_is_stored(perf, client_for):
    client = _english(client_for(DKUKMTK.admin))
    url = reverse("documents:templates", args=[CODE])
    response = client.post(
        url, {"kind": "pk", "file": _upload("rusak.docx", _broken_pk())}, follow=True
    )
    text = response.content.decode()
    paragraphs = len(Docx(io.BytesIO(_broken_pk())).paragraphs)
    assert f"body, paragraph {paragraphs - 1}" in text
    assert "never closed" in text and "endif" in text
    assert not DocumentTemplate.objects.filter(agency__code=CODE).exists()
    assert not AuditEntry.objects.filter(action="documents.template.replaced").exists()


def test_in_indonesian_the_error_names_the_paragraph(perf, client_for):
    client = client_for(DKUKMTK.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post(
        reverse("documents:templates", args=[CODE]),
        {"kind": "pk", "file": _upload("rusak.docx", _broken_pk())},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "{%p if pk.present %}" in messages[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("templat.pdf", b"%PDF-1.4 bukan word"),
        ("templat.docx", b"bukan zip sama sekali"),
        ("templat.docx", b"PK\x03\x04 zip rusak"),
    ],
)
def test_not_a_docx_is_refused(perf, client_for, name, data):
    client = _english(client_for(DKUKMTK.admin))
    client.post(
        reverse("documents:templates", args=[CODE]), {"kind": "pk", "file": _upload(name, data)}
    )
    assert not DocumentTemplate.objects.exists()


def test_a_template_over_the_size_limit_is_refused(perf, client_for, settings):
    settings.KINERJA_MAX_UPLOAD_MB = 1
    big = _restyled_pk() + b"\0" * (1024 * 1024)
    client = _english(client_for(DKUKMTK.admin))
    response = client.post(
        reverse("documents:templates", args=[CODE]),
        {"kind": "pk", "file": _upload("besar.docx", big)},
        follow=True,
    )
    assert "at most 1 MB" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("username", [DKUKMTK.kepala, DKUKMTK.kasubbag, DKUKMTK.staf])
def test_non_admins_of_the_agency_get_403(perf, client_for, username):
    client = client_for(username)
    assert client.get(reverse("documents:templates", args=[CODE])).status_code == 403
    response = client.post(
        reverse("documents:templates", args=[CODE]),
        {"kind": "pk", "file": _upload("pk.docx", _restyled_pk())},
    )
    assert response.status_code == 403
    url = reverse("documents:template_download", args=[CODE, "pk", "default"])
    assert client.get(url).status_code == 403
    assert not DocumentTemplate.objects.exists()


def test_outsider_gets_404_and_anonymous_is_sent_to_login(perf, client_for, client):
    outsider = client_for(DINKES.kepala)
    assert outsider.get(reverse("documents:templates", args=[CODE])).status_code == 404
    response = client.get(reverse("documents:templates", args=[CODE]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


def test_agency_page_links_the_templates_only_for_the_admin(perf, client_for):
    url = reverse("documents:agency", args=[CODE])
    assert 'data-testid="templates-link"' in client_for(DKUKMTK.admin).get(url).content.decode()
    assert (
        'data-testid="templates-link"' not in client_for(DKUKMTK.kepala).get(url).content.decode()
    )


def test_locate_error_finds_stray_and_unreadable_tags():
    doc = Docx()
    doc.add_paragraph("{%p for r in pk_rows %}")
    doc.add_paragraph("{{ r.indicator }}")
    doc.add_paragraph("{%p endif %}")
    out = io.BytesIO()
    doc.save(out)
    assert "paragraph 3" in _en(templates.locate_error, out.getvalue())
    doc = Docx()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "{{ r.target ) }}"
    out = io.BytesIO()
    doc.save(out)
    assert "table 1 row 1 column 2" in _en(templates.locate_error, out.getvalue())
    doc = Docx()
    doc.add_paragraph("{%p if a %}{{r rich }}{% else %}-{% endif %}")
    out = io.BytesIO()
    doc.save(out)
    assert _en(templates.locate_error, out.getvalue()) == ""


def _en(function, *args):
    from django.utils import translation

    with translation.override("en"):
        return function(*args)
