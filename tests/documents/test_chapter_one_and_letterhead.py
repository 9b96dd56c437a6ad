"""Bab I prints the office's own tugas, fungsi and strategic issues from its records (or says
plainly they are not recorded); the letterhead and the LKjIP cover carry the agency's logo; the
cover letter prints its date once."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image, ImageDraw

from kinerja.core.formats import format_date_id
from kinerja.documents.services.reports import render
from kinerja.organisation.models import Agency
from kinerja.performance.models import StrategicPlan
from tests.documents.drafts import docx_all_text, docx_images
from tests.documents.helpers import pdf_text
from tests.officials import SUPERUSER

pytestmark = pytest.mark.django_db

TASK = "Membantu Bupati melaksanakan urusan koperasi dan tenaga kerja (uji tugas pokok)."
FUNCTIONS = [
    "Perumusan kebijakan uji di bidang koperasi",
    "Pelaksanaan kebijakan uji di bidang tenaga kerja",
    "Pelaksanaan evaluasi dan pelaporan uji",
]
ISSUES = [
    "Isu uji pertama: akses pembiayaan koperasi",
    "Isu uji kedua: pengangguran terbuka di atas rata-rata provinsi",
]
GENERIC = "melaksanakan urusan pemerintahan sesuai tugas dan fungsinya"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _chapter_one(text: str) -> str:
    flat = _flat(text)
    start = flat.rindex("BAB I PENDAHULUAN")  # the heading, after the table of contents
    return flat[start : flat.index("BAB II PERENCANAAN KINERJA", start)]


def _record(agency: Agency, task: str, functions: list[str], issues: list[str]) -> None:
    agency.main_task = task
    # As an office types them: numbered, lettered, with the trailing semicolons of a Perbup.
    agency.functions = "\n".join(f"{c}. {f};" for c, f in zip("abc", functions, strict=False))
    agency.save()
    plan = StrategicPlan.objects.filter(agency=agency).order_by("-start_year").first()
    plan.strategic_issues = "\n".join(f"{n}) {i}" for n, i in enumerate(issues, 1))
    plan.save()


def test_chapter_one_prints_the_offices_own_tasks_functions_and_issues(perf):
    agency = perf["DKUKMTK-BLG"]
    _record(agency, TASK, FUNCTIONS, ISSUES)
    for fmt in ("pdf", "docx"):
        data = render(agency, "lkjip", 2024, "2024", fmt)
        text = pdf_text(data) if fmt == "pdf" else docx_all_text(data)
        chapter = _chapter_one(text)
        assert TASK in chapter, fmt
        for item in FUNCTIONS + ISSUES:
            assert item in chapter, (fmt, item)
        assert GENERIC not in chapter, fmt
        assert "Isu strategis mengacu pada Rencana Strategis" not in chapter, fmt


def test_chapter_one_says_plainly_what_is_not_recorded(perf):
    agency = perf["DKUKMTK-BLG"]
    _record(agency, "", [], [])
    for fmt in ("pdf", "docx"):
        data = render(agency, "lkjip", 2024, "2024", fmt)
        text = pdf_text(data) if fmt == "pdf" else docx_all_text(data)
        chapter = _chapter_one(text)
        assert "Tugas dan fungsi" in chapter and "belum dicatat" in chapter, fmt
        assert "Isu strategis" in chapter and chapter.count("belum dicatat") >= 2, fmt
        assert GENERIC not in chapter, fmt


def test_the_demo_offices_have_their_tasks_functions_and_issues_recorded(perf):
    for code in ("DKUKMTK-BLG", "DINKES-BLG", "KTT_BLG", "ADPIM-KALBAR"):
        agency = Agency.objects.get(code=code)
        assert agency.main_task.strip(), code
        assert len(agency.function_list()) >= 3, code
        plan = StrategicPlan.objects.filter(agency=agency).first()
        assert len([x for x in plan.strategic_issues.splitlines() if x.strip()]) >= 3, code
        assert agency.logo, code


def _emblem(width: int = 90, height: int = 110) -> bytes:
    """A picture the test can find again: exact size, a yellow shield on green."""
    picture = Image.new("RGB", (width, height), (0, 110, 60))
    ImageDraw.Draw(picture).polygon(
        [(10, 10), (width - 10, 10), (width - 10, height // 2), (width // 2, height - 8)],
        fill=(250, 200, 0),
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf_image_sizes(pdf: bytes, page: int) -> list[tuple[int, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        listing = subprocess.run(  # noqa: S603
            ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    sizes = []
    for line in listing.splitlines()[2:]:
        cells = line.split()
        if len(cells) > 4 and cells[2] == "image":
            sizes.append((int(cells[3]), int(cells[4])))
    return sizes


def _docx_has_picture(docx: bytes, width: int, height: int) -> bool:
    for blob in docx_images(docx):
        with Image.open(io.BytesIO(blob)) as image:
            if image.size == (width, height):
                return True
    return False


@pytest.fixture
def with_logo(perf):
    agency = perf["DKUKMTK-BLG"]
    agency.logo.save("lambang-uji.png", ContentFile(_emblem()), save=True)
    return agency


@pytest.mark.parametrize(("kind", "period"), [("lkjip", "2024"), ("cover_letter", "2024")])
def test_the_logo_is_on_the_cover_and_the_letterhead(with_logo, kind, period):
    pdf = render(with_logo, kind, 2024, period, "pdf")
    assert (90, 110) in _pdf_image_sizes(pdf, 1)  # the cover, or the letter's kop
    docx = render(with_logo, kind, 2024, period, "docx")
    assert _docx_has_picture(docx, 90, 110)


def test_the_logo_is_on_the_letterhead_of_every_kind(with_logo):
    for kind, period in (("pk", "2024"), ("periodic_report", "2024-Q4"), ("invitation", "2024")):
        assert (90, 110) in _pdf_image_sizes(render(with_logo, kind, 2024, period, "pdf"), 1)
        assert _docx_has_picture(render(with_logo, kind, 2024, period, "docx"), 90, 110), kind


def test_a_logo_upload_is_checked(offices):
    form_class = modelform_factory(Agency, fields=["logo"])
    agency = offices["KTT_BLG"]

    def errors(name: str, content: bytes) -> str:
        form = form_class(
            data={}, files={"logo": SimpleUploadedFile(name, content)}, instance=agency
        )
        assert not form.is_valid()
        return " ".join(form.errors["logo"])

    assert "bukan" in errors("lambang.png", b"GIF89a not a png at all")
    assert "gambar" in errors("lambang.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert "piksel" in errors("lambang.png", _emblem(3000, 2000))
    good = form_class(
        data={}, files={"logo": SimpleUploadedFile("lambang.png", _emblem())}, instance=agency
    )
    assert good.is_valid(), good.errors


@pytest.mark.parametrize("kind", ["cover_letter", "invitation"])
def test_a_letter_prints_its_date_once(offices, kind):
    agency = offices["DKUKMTK-BLG"]
    day = format_date_id(agency.today())
    pdf_count = len(re.findall(re.escape(day), _flat(pdf_text(render(agency, kind, 2024, "2024")))))
    docx = render(agency, kind, 2024, "2024", "docx")
    assert pdf_count == 1
    assert _flat(docx_all_text(docx)).count(day) == 1


def test_the_agency_admin_page_edits_the_records_and_the_logo(offices, client):
    """The Django admin is where the superuser keeps an office's letterhead and Bab I texts."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=SUPERUSER))
    agency = offices["KTT_BLG"]
    page = client.get(f"/admin/organisation/agency/{agency.pk}/change/").content.decode()
    for field in ("logo", "main_task", "functions"):
        assert f'name="{field}"' in page, field
    plan = StrategicPlan.objects.filter(agency=agency).first()
    page = client.get(f"/admin/performance/strategicplan/{plan.pk}/change/").content.decode()
    assert 'name="strategic_issues"' in page
