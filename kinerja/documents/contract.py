"""One contract for every document (docs/conventions.md, do 5).

A document kind is a registered class with an identifier, its options, the data it gathers and two
renderers: DOCX from a Word template (docxtpl; an office may replace the template) and PDF from HTML
(WeasyPrint). The base class supplies what every document shares: letterhead, signature blocks,
Indonesian dates and numbers, the QR to the verification page.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import datetime as dt
import gc
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_NAME, TOKEN_STRING, Token, TokenStream
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from kinerja.core.charts.base import Chart
from kinerja.documents import common
from kinerja.organisation.models import Agency

DOCX_DIR = Path(__file__).resolve().parent / "docx_templates"

_registry: dict[str, type[DocumentKind]] = {}


@dataclass
class Images:
    """Images of a document (charts, QR), placed into DOCX and PDF alike.

    An image is PNG bytes or a :class:`~kinerja.core.charts.base.Chart`, which the DOCX gets as
    PNG and the PDF as SVG (each drawn at most once per generation).
    """

    # name -> (PNG or chart, width mm)
    items: dict[str, tuple[bytes | Chart, float]] = field(default_factory=dict)

    def add(self, name: str, image: bytes | Chart, width_mm: float) -> str:
        self.items[name] = (image, width_mm)
        return name

    def png(self, name: str) -> bytes:
        image = self.items[name][0]
        return image.png() if isinstance(image, Chart) else image

    def data_uri(self, name: str) -> str:
        image = self.items[name][0]
        if isinstance(image, Chart):
            return "data:image/svg+xml;base64," + base64.b64encode(image.svg()).decode()
        return common.data_uri(image)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document renders.

    WeasyPrint and docxtpl build tens of thousands of short-lived objects; the collector's repeated
    passes over them took about a tenth of a 30-indicator LKjIP's PDF time. The objects are freed
    as usual when the collector resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Word templates are code an office administrator writes (docxtpl renders them with Jinja): they
# render in Jinja's immutable sandbox, never in a plain environment.
MAX_REPEAT = 100_000  # the longest string or list a template may make with "*"
MAX_EXPONENT = 1000  # the largest exponent of "**"


class UnsafeTemplateError(SecurityError):
    """A template names something beginning with "_" (Python's internals: ``__class__``,
    ``__globals__``, ...). ``source`` is the Jinja source docxtpl compiled (a part's XML or a
    document property), ``lineno`` the line of the name in it."""

    def __init__(self, name: str, lineno: int, source: str):
        super().__init__(f"the template uses {name!r}, which begins with an underscore")
        self.name, self.lineno, self.source = name, lineno, source


def unsafe_token(token_type: str, value: str) -> bool:
    """True for a name beginning with "_" and for a string that spells one (``x['__class__']``,
    ``x|attr('__init__')``); a string of underscores alone (a blank to fill in) is harmless."""
    if token_type == TOKEN_NAME:
        return value.startswith("_")
    if token_type == TOKEN_STRING:
        return value.startswith("_") and any(c.isalnum() for c in value)
    return False


class _NoUnderscoreNames(Extension):
    """Refuses, while a template is compiled, every token :func:`unsafe_token` finds."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        environment = self.environment
        source = (
            environment.compiling_source if isinstance(environment, TemplateEnvironment) else ""
        )
        for token in stream:
            if unsafe_token(token.type, str(token.value)):
                raise UnsafeTemplateError(str(token.value), token.lineno, source)
            yield token


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no attribute beginning with "_", no unsafe call, no mutation),
    with ``*`` and ``**`` bounded so that a template cannot exhaust memory or time."""

    intercepted_binops = frozenset({"*", "**"})
    compiling_source = ""

    def __init__(self) -> None:
        super().__init__(autoescape=True, extensions=[_NoUnderscoreNames])
        self.globals.pop("lipsum", None)  # lipsum(n) makes text of any length

    def from_string(self, source, globals=None, template_class=None):
        self.compiling_source = source if isinstance(source, str) else ""
        return super().from_string(source, globals, template_class)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | bytes | list | tuple)
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_REPEAT
                ):
                    raise SecurityError(_("a text or list is repeated too often"))
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(_("a number is raised to too large a power"))
        return super().call_binop(context, operator, left, right)


def jinja_environment() -> TemplateEnvironment:
    """The environment every Word template (the product's and an office's own) renders in."""
    return TemplateEnvironment()


class DocumentKind:
    identifier: ClassVar[str]
    title: ClassVar[str | Promise]  # the kind as the UI names it: English msgid, gettext_lazy
    label_id: ClassVar[str] = ""  # the document's own name, in Indonesian, for its title
    docx_template: ClassVar[str]  # file name in docx_templates/
    html_template: ClassVar[str]  # Django template for the PDF
    sections: ClassVar[tuple[str, ...]] = ()  # what a reviewer can comment on
    formats: ClassVar[tuple[str, ...]] = ("docx", "pdf")
    default_options: ClassVar[dict[str, Any]] = {}
    # False when the signer is not an official of the agency (the APIP's review statement): no
    # initials and no signature in the product, the signed file is uploaded as a version.
    signed_in_agency: ClassVar[bool] = True
    # Options an official edits on the document page: (key, label); free text, Indonesian.
    text_options: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self, agency: Agency, year: int, period: str = "", options: dict | None = None):
        self.agency = agency
        self.year = year
        self.period = period or str(year)
        self.options = {**copy.deepcopy(self.default_options), **(options or {})}

    @classmethod
    def default_title(cls, agency: Agency, period: str) -> str:
        return f"{cls.label_id or cls.title} {period}"

    def available(self) -> bool:
        """Whether the data behind the document exist (a kind printed from records says no
        when they are missing: the e-review package lists it as missing)."""
        return True

    # The part each kind writes -----------------------------------------------------------
    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        """Add the kind's own data to the shared ``data``; put charts into ``images``."""
        raise NotImplementedError

    # Shared -------------------------------------------------------------------------------
    @property
    def lays_out_marks(self) -> bool:
        """Whether the kind's PDF is laid out by the product's base template, which prints the
        KONSEP mark of a draft and the QR and footer of the final PDF. The SOP document (printed
        by the procedures layer) is not: its draft is marked and its QR stamped on the PDF."""
        return bool(self.html_template)

    def base_data(self, token: str = "") -> dict[str, Any]:
        """What every document shares. ``token``: the version's, for the final PDF that is
        signed (its QR and footer name the verification page); without it the data are a draft
        (``draft``: the KONSEP mark, no QR, no footer)."""
        day = self.options.get("date")
        day = dt.date.fromisoformat(day) if day else self.agency.today()
        data: dict[str, Any] = {
            "agency": {"name": self.agency.name, "code": self.agency.code},
            "kop": common.letterhead(self.agency),
            "year": self.year,
            "period": self.period,
            "date": common.tanggal(day),
            "signature": common.signature_block(self.agency, day).as_dict(),
            "verification_url": common.verification_url(token) if token else "",
            "draft": not token,
            "draft_note": common.DRAFT_NOTE,
            "draft_watermark": common.data_uri(common.draft_watermark_png()),
            "options": self.options,
        }
        return data

    def build(self, token: str = "") -> tuple[dict[str, Any], Images]:
        """Gather the data once. With ``token`` they are the final PDF's (QR and footer);
        :func:`draft_of` gives the draft of the same data."""
        images = Images()
        data = self.base_data(token)
        logo = common.logo_png(self.agency)
        if logo is not None:
            images.add("logo", logo, 20)
        if data["verification_url"]:
            images.add("qr", common.qr_png(data["verification_url"]), 22)
        data = self.gather(data, images)
        return data, images

    def render_docx(
        self, data: dict[str, Any], images: Images, template: bytes | Path | None = None
    ) -> bytes:
        from docx.shared import Mm
        from docxtpl import DocxTemplate, InlineImage

        source = template or (DOCX_DIR / self.docx_template)
        with _collector_paused():
            doc = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else str(source))
            context = dict(data)
            context["img"] = {
                name: InlineImage(doc, io.BytesIO(images.png(name)), width=Mm(width))
                for name, (_image, width) in images.items.items()
            }
            doc.render(context, jinja_env=jinja_environment(), autoescape=True)
            out = io.BytesIO()
            doc.save(out)
        return out.getvalue()

    def render_html(self, data: dict[str, Any], images: Images) -> str:
        context = dict(data)
        context["img"] = {name: images.data_uri(name) for name in images.items}
        context["img_width"] = {name: width for name, (_png, width) in images.items.items()}
        return render_to_string(self.html_template, context)

    def render_pdf(self, data: dict[str, Any], images: Images) -> bytes:
        return pdf_from_html(self.render_html(data, images))


def pdf_from_html(html: str) -> bytes:
    """Lay out a document's HTML (images inline, fonts from the system) as a PDF."""
    from weasyprint import HTML

    with _collector_paused():
        return HTML(string=html).write_pdf()


def draft_of(data: dict[str, Any], images: Images) -> tuple[dict[str, Any], Images]:
    """The draft of data built for the final PDF: the same data and images, with the KONSEP mark
    and without the QR, the verification address and the footer that claims validity."""
    draft = {**data, "draft": True, "verification_url": ""}
    return draft, Images({name: item for name, item in images.items.items() if name != "qr"})


def unmarked(data: dict[str, Any], images: Images) -> tuple[dict[str, Any], Images]:
    """Neither KONSEP nor QR nor footer: the file a signer outside the product (the APIP) signs."""
    plain, images = draft_of(data, images)
    return {**plain, "draft": False}, images


def register(cls: type[DocumentKind]) -> type[DocumentKind]:
    if cls.identifier in _registry and _registry[cls.identifier] is not cls:
        raise ValueError(f"document kind {cls.identifier!r} is registered twice")
    _registry[cls.identifier] = cls
    return cls


def get(identifier: str) -> type[DocumentKind]:
    """The registered kind ``identifier`` (the kinds register when the app is ready)."""
    return _registry[identifier]


def kinds() -> dict[str, type[DocumentKind]]:
    return dict(_registry)
