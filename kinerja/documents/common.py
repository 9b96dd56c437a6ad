"""What every document shares: letterhead, signature blocks, Indonesian dates and numbers, and the
marks that tell a draft (KONSEP) from the signed document."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.urls import reverse

from kinerja.core.formats import format_date_id, format_number_id
from kinerja.organisation.models import Agency, Position, PositionHolding

if TYPE_CHECKING:  # pyHanko is imported when a PDF is marked, not when the app starts
    from pyhanko.pdf_utils.generic import DictionaryObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

logger = logging.getLogger(__name__)

# The seat of each region's government, printed before the date of a letter.
PLACES = {"63": "Banjarbaru", "63.11": "Paringin", "61": "Pontianak"}


@dataclass
class SignatureBlock:
    """``[Tempat], [tanggal]`` / jabatan (Plt./Plh.) / name / pangkat / NIP (docs/domain.md §9.2)."""

    place: str
    date: str
    title: str
    name: str
    rank: str
    nip: str
    position_code: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def nip_line(self) -> str:
        return f"NIP. {self.nip}" if self.nip else ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def place_of(agency: Agency) -> str:
    region = agency.region
    if region.code in PLACES:
        return PLACES[region.code]
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        if region.name.startswith(prefix):
            return region.name[len(prefix) :]
    return region.name


def head_position(agency: Agency) -> Position | None:
    return (
        Position.objects.filter(agency=agency, is_head=True, unit__isnull=True)
        .order_by("order")
        .first()
    )


def holding_of(position: Position, day: dt.date) -> PositionHolding | None:
    """The holder on ``day``: the definitive one first, then Plt., then Plh."""
    order = {"definitif": 0, "plt": 1, "plh": 2}
    holdings = sorted(position.holdings_on(day), key=lambda h: order.get(h.kind, 9))
    return holdings[0] if holdings else None


def signature_block(
    agency: Agency, day: dt.date, position: Position | None = None, place: str = ""
) -> SignatureBlock:
    """The block for ``position`` (the head by default) as held on ``day``."""
    position = position or head_position(agency)
    holding = holding_of(position, day) if position else None
    if position is not None and position.is_head and position.unit_id is None and agency.head_title:
        base_title = agency.head_title
    else:
        base_title = position.name.upper() if position else ""
    prefix = holding.prefix if holding else ""
    employee = holding.employee if holding else None
    return SignatureBlock(
        place=place or place_of(agency),
        date=format_date_id(day),
        title=f"{prefix} {base_title}".strip(),
        name=employee.full_name if employee else "",
        rank=employee.rank_display if employee else "",
        nip=employee.nip_display if employee else "",
        position_code=position.code if position else "",
    )


def letterhead(agency: Agency) -> dict[str, object]:
    contact = []
    if agency.phone:
        contact.append(f"Telepon {agency.phone}")
    if agency.email:
        contact.append(f"Email {agency.email}")
    if agency.website:
        contact.append(f"Laman {agency.website}")
    address = agency.address
    if agency.postal_code:
        address = f"{address} Kode Pos {agency.postal_code}".strip()
    return {"lines": agency.letterhead(), "address": address, "contact": " ".join(contact)}


def public_url() -> str:
    """The product's public address (``SITE_URL``), the base of the QR code's link."""
    return settings.SITE_URL.rstrip("/")


def verification_url(token: str) -> str:
    return public_url() + reverse("documents:verify", args=[token])


def qr_png(payload: str, scale: int = 1) -> bytes:
    """The QR code as PNG, one pixel per module at scale 1 (tests re-encode and compare)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def angka(value, decimals: int = 2) -> str:
    return format_number_id(value, decimals)


def tanggal(value: dt.date | None) -> str:
    return format_date_id(value)


# The draft mark ------------------------------------------------------------------------------
# A version that is not signed says so on every page (PDF) and in the header of every section
# (DOCX); it carries no QR and no claim of validity. The signed PDF has no such mark.
DRAFT_MARK = "KONSEP"
DRAFT_NOTE = "KONSEP – belum ditandatangani, bukan dokumen final"


DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # fonts-dejavu-core


@functools.cache
def draft_watermark_png() -> bytes:
    """The large diagonal KONSEP of a draft's pages, as a transparent PNG (a picture, not text,
    so that the page's text is the document's own plus the one-line note at its top)."""
    from PIL import Image, ImageDraw, ImageFont

    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(DEJAVU_BOLD, 300)
    except OSError:  # the font package is missing: Pillow's own font, scaled
        font = ImageFont.load_default(size=300)
    left, top, right, bottom = font.getbbox(DRAFT_MARK)
    text = Image.new("RGBA", (int(right - left + 40), int(bottom - top + 40)), (0, 0, 0, 0))
    ImageDraw.Draw(text).text((20 - left, 20 - top), DRAFT_MARK, font=font, fill=(192, 26, 26, 42))
    picture = text.rotate(50, expand=True, resample=Image.Resampling.BICUBIC)
    width, height = picture.size
    if width == height:  # never square: the tests tell a QR by its square shape
        picture = picture.crop((0, 0, width, height - 1))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draft_overlay(width: float, height: float) -> bytes:
    """PDF drawing operators: a large diagonal KONSEP and the note along the top edge."""
    import math

    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    size = min(width, height) / 4.2
    # Helvetica-Bold advance of "KONSEP" is about 3.9 em: centre the word on the page.
    half = 3.9 * size / 2
    x = width / 2 - half * cos + size * 0.35 * sin
    y = height / 2 - half * sin - size * 0.35 * cos
    note = DRAFT_NOTE.replace("–", "-").encode("latin-1")
    return b"\n".join(
        [
            b"q /KinerjaKonsepGS gs 0.8 0.1 0.1 rg",
            b"BT /KinerjaKonsepF %.2f Tf %.4f %.4f %.4f %.4f %.2f %.2f Tm (%s) Tj ET"
            % (size, cos, sin, -sin, cos, x, y, DRAFT_MARK.encode()),
            b"Q q 0.8 0.1 0.1 rg",
            b"BT /KinerjaKonsepF 9 Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET"
            % (max(12.0, width / 2 - 120), height - 18, note),
            b"Q",
        ]
    )


def mark_pdf_draft(pdf: bytes) -> bytes:
    """``pdf`` with the KONSEP mark drawn over every page, for a PDF the product did not lay out
    (an office's own upload, the SOP print). Raises ValueError when the file cannot be read."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if writer.prev.encrypted:
            raise ValueError("the PDF is encrypted")
        resources = _draft_mark_resources(writer)
        for index in range(int(writer.root["/Pages"]["/Count"])):
            _mark_page(writer, index, resources)
        out = io.BytesIO()
        writer.write(out)
    except (PdfError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None
    return out.getvalue()


def _draft_mark_resources(writer: IncrementalPdfFileWriter) -> DictionaryObject:
    """The resources the KONSEP mark draws with, added to ``writer`` once: a bold Helvetica
    (``/KinerjaKonsepF``) and a 22 % transparency (``/KinerjaKonsepGS``)."""
    from pyhanko.pdf_utils import generic

    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica-Bold"),
                generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
            }
        )
    )
    state = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/ExtGState"),
                generic.NameObject("/ca"): generic.FloatObject(0.22),
                generic.NameObject("/CA"): generic.FloatObject(0.22),
            }
        )
    )
    return generic.DictionaryObject(
        {
            generic.NameObject("/Font"): generic.DictionaryObject(
                {generic.NameObject("/KinerjaKonsepF"): font}
            ),
            generic.NameObject("/ExtGState"): generic.DictionaryObject(
                {generic.NameObject("/KinerjaKonsepGS"): state}
            ),
        }
    )


def _mark_page(writer: IncrementalPdfFileWriter, index: int, resources: DictionaryObject) -> None:
    """Draw the KONSEP mark over page ``index``, in the page's own media box."""
    from pyhanko.pdf_utils import generic

    page_ref, page_resources = writer.find_page_for_modification(index)
    fonts = page_resources.get_object().get("/Font")
    # Pages often share one resource dictionary: add the mark's resources once.
    shared = fonts is not None and "/KinerjaKonsepF" in fonts.get_object()
    mediabox = _inherited(page_ref.get_object(), "/MediaBox")
    x1, y1, x2, y2 = (float(v) for v in mediabox)
    # Save the page's graphics state before its own content and restore it after, so
    # that the mark is drawn in the page's untransformed coordinates.
    before = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    after = writer.add_object(
        generic.StreamObject(
            stream_data=b"Q\nq 1 0 0 1 %.2f %.2f cm\n" % (x1, y1)
            + _draft_overlay(x2 - x1, y2 - y1)
            + b"\nQ\n"
        )
    )
    writer.add_stream_to_page(index, before, prepend=True)
    writer.add_stream_to_page(index, after, resources=None if shared else resources)


def _inherited(page, key: str):
    node = page
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    raise KeyError(key)


def _docx_headers(doc) -> list:
    """Every header part a section shows (its own, first-page and even-page headers)."""
    parts = []
    for index, section in enumerate(doc.sections):
        candidates = [section.header]
        if section.different_first_page_header_footer:
            candidates.append(section.first_page_header)
        if doc.settings.odd_and_even_pages_header_footer:
            candidates.append(section.even_page_header)
        for header in candidates:
            if index > 0 and header.is_linked_to_previous:
                continue  # shows the previous section's header, already marked
            parts.append(header)
    return parts


def _strip_docx_mark(doc) -> None:
    for header in _docx_headers(doc):
        for paragraph in list(header.paragraphs):
            if paragraph.text.strip() == DRAFT_NOTE:
                paragraph._element.getparent().remove(paragraph._element)


def mark_docx_draft(docx: bytes) -> bytes:
    """The DOCX with the KONSEP note at the top of every header (bold, red). A DOCX is never the
    signed document: every DOCX the product serves is a draft. Idempotent."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    doc = Docx(io.BytesIO(docx))
    _strip_docx_mark(doc)
    for header in _docx_headers(doc):
        first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph = first.insert_paragraph_before() if first.text.strip() else first
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(DRAFT_NOTE)
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor(0xCC, 0x1A, 0x1A)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def without_docx_draft_mark(docx: bytes) -> bytes:
    """The DOCX without the KONSEP note the product put in its headers (an office edits the
    draft it downloaded and uploads it again: the PDF made from it must not say KONSEP).
    A file python-docx cannot read is returned as it is, for the upload's own checks."""
    from docx import Document as Docx

    try:
        doc = Docx(io.BytesIO(docx))
    except Exception:  # not a DOCX: the upload check refuses it with its own message
        return docx
    _strip_docx_mark(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# The letterhead's logo -------------------------------------------------------------------------
LOGO_MAX_PIXELS = 4_000_000  # a logo larger than this is refused at upload and ignored when read
LOGO_PRINT_PX = 600  # the logo is printed from at most this many pixels on its longer side


def logo_png(agency: Agency) -> bytes | None:
    """The agency's letterhead logo as PNG, or None when it has none or it cannot be read.

    The stored file was checked at upload (PNG or JPEG, bounded size and pixel count); it is
    decoded again here within the same pixel limit and re-encoded, so every document embeds a
    PNG of bounded size whatever was uploaded.
    """
    if not agency.logo:
        return None
    from PIL import Image

    try:
        with agency.logo.open("rb") as handle, Image.open(handle) as image:
            if image.width * image.height > LOGO_MAX_PIXELS:
                return None
            image.load()
            picture = image.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        logger.warning("logo of %s not printed: %s", agency.code, exc)
        return None
    picture.thumbnail((LOGO_PRINT_PX, LOGO_PRINT_PX))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
