"""An office's own Word templates: list, check, replace and revert, each change kept in history.

A replacement is accepted only when it renders: it is rendered once with the kind's real data of
the agency (last year's), and a Jinja error is reported in Indonesian with the paragraph where it
is. Templates are never deleted: a replacement or a revert only deactivates the earlier ones, so
every template an office ever used stays retrievable, and the audit log says who changed what.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import jinja2
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kinerja.core import audit
from kinerja.core.archives import ArchiveRefused, check_archive
from kinerja.core.uploads import validate_upload
from kinerja.documents import common, contract, convert
from kinerja.documents.models import DocumentTemplate
from kinerja.organisation.models import Agency

# Block tags that need an end tag, and the tags that may appear inside them.
_BLOCKS = {"if": "endif", "for": "endfor", "macro": "endmacro", "with": "endwith"}
_MIDDLE = {"else": ("if", "for"), "elif": ("if",)}
_TAG = re.compile(r"\{%-?\s*(?:[pcrt][rc]?\s+)?(\w+)(.*?)-?%\}|\{\{(.*?)\}\}", re.S)


@dataclass
class KindTemplate:
    identifier: str
    title: str | Promise
    current: DocumentTemplate | None  # the agency's own, None: the product's default


def template_kinds() -> dict[str, type[contract.DocumentKind]]:
    """The kinds that have a Word template (the PDF-only kinds have none)."""
    return {
        key: cls
        for key, cls in contract.kinds().items()
        if getattr(cls, "docx_template", "") and "docx" in cls.formats
    }


def _active(agency: Agency) -> QuerySet[DocumentTemplate]:
    return (
        DocumentTemplate.objects.filter(agency=agency, active=True)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )


def current_template(agency: Agency, kind: str) -> DocumentTemplate | None:
    return _active(agency).filter(kind=kind).first()


def overview(agency: Agency) -> list[KindTemplate]:
    """Every kind with its template in use, from one query (not one per kind)."""
    current: dict[str, DocumentTemplate] = {}
    for template in _active(agency):
        current.setdefault(template.kind, template)  # newest first: the first one is in use
    return [KindTemplate(key, cls.title, current.get(key)) for key, cls in template_kinds().items()]


def history(agency: Agency, limit: int = 30) -> list[DocumentTemplate]:
    """The agency's templates, in use or not, newest first."""
    return list(
        DocumentTemplate.objects.filter(agency=agency)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")[:limit]
    )


def default_bytes(kind: str) -> bytes:
    cls = template_kinds()[kind]
    return (contract.DOCX_DIR / cls.docx_template).read_bytes()


def own_bytes(agency: Agency, kind: str) -> bytes | None:
    """The agency's own template of ``kind``, None when it uses the product's default."""
    own = current_template(agency, kind)
    if own is None:
        return None
    with own.file.open("rb") as handle:
        content: bytes = handle.read()
    return content


def current_bytes(agency: Agency, kind: str) -> bytes:
    """The template the next version of ``kind`` uses: the agency's own, else the default."""
    own = own_bytes(agency, kind)
    return default_bytes(kind) if own is None else own


def sample_period(kind: str, year: int) -> str:
    return f"{year}-Q4" if kind == "periodic_report" else str(year)


# Checking a template ----------------------------------------------------------------------------


def _paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(where, text) of every paragraph of the body, its tables, headers and footers, in order."""
    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    found: list[tuple[str, str]] = []

    # Words of a place, outside f-strings so that makemessages finds them.
    paragraph_word = pgettext("place in a Word template", "paragraph")
    table_word = pgettext("place in a Word template", "table")
    row_word = pgettext("place in a Word template", "row")
    column_word = pgettext("place in a Word template", "column")

    def walk(container: Any, where: str) -> None:
        for number, paragraph in enumerate(container.paragraphs, start=1):
            found.append((f"{where} {paragraph_word} {number}", paragraph.text))
        for t, table in enumerate(container.tables, start=1):
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    place = f"{table_word} {t} {row_word} {r} {column_word} {c},"
                    walk(cell, f"{where} {place}")

    walk(doc, pgettext("place in a Word template", "body,"))
    for s, section in enumerate(doc.sections, start=1):
        walk(section.header, pgettext("place in a Word template", "header of section %d,") % s)
        walk(section.footer, pgettext("place in a Word template", "footer of section %d,") % s)
    return found


def locate_error(data: bytes) -> str:
    """Where a template's tags do not fit together, in words for the office; "" if not found.

    Walks the tags paragraph by paragraph: an end tag without its block, a block never closed, an
    ``else`` outside a block, or an expression Jinja cannot read.
    """
    env = jinja2.Environment(autoescape=True)
    stack: list[tuple[str, str, str]] = []  # (block, where, tag text)
    for where, text in _paragraphs(data):
        for match in _TAG.finditer(text):
            shown = match.group(0)[:80]
            if match.group(3) is not None:
                expression = re.sub(
                    r"^[rp]\s", "", match.group(3)
                )  # docxtpl's {{r ...}}, {{p ...}}
                try:
                    env.parse("{{" + expression + "}}")
                except jinja2.TemplateSyntaxError as exc:
                    return _("%(where)s: the tag %(tag)s cannot be read (%(error)s).") % {
                        "where": where,
                        "tag": shown,
                        "error": exc.message,
                    }
                continue
            name = match.group(1)
            if name in _BLOCKS:
                stack.append((name, where, shown))
            elif name.startswith("end"):
                if not stack or _BLOCKS[stack[-1][0]] != name:
                    return _("%(where)s: %(tag)s has no opening block before it.") % {
                        "where": where,
                        "tag": shown,
                    }
                stack.pop()
            elif name in _MIDDLE and (not stack or stack[-1][0] not in _MIDDLE[name]):
                return _("%(where)s: %(tag)s is outside a block it belongs to.") % {
                    "where": where,
                    "tag": shown,
                }
    if stack:
        block, where, shown = stack[-1]
        return _("%(where)s: the block %(tag)s is never closed with {%% %(end)s %%}.") % {
            "where": where,
            "tag": shown,
            "end": _BLOCKS[block],
        }
    return ""


def _unsafe_name(env: jinja2.Environment, text: str) -> str:
    """The first name beginning with "_" that the tags of ``text`` use ("" when none)."""
    for match in _TAG.finditer(text):
        tag = re.sub(r"^(\{[{%])[pcrt][rc]?\s", r"\1 ", match.group(0))  # docxtpl's {%p ...
        try:
            tokens = list(env.lexer.tokenize(tag))
        except jinja2.TemplateSyntaxError:
            continue  # an unreadable tag: locate_error names it
        for token in tokens:
            if contract.unsafe_token(token.type, str(token.value)):
                return str(token.value)
    return ""


def _unsafe_message(where: str, name: str) -> str:
    return _(
        "%(where)s: the template uses %(name)s; names beginning with an underscore (_) are not "
        "allowed in a template."
    ) % {"where": where, "name": name}


def _property_places(data: bytes) -> list[tuple[str, str]]:
    """(place, text) of the document properties docxtpl renders as Jinja too."""
    from docx import Document as Docx

    properties = Docx(io.BytesIO(data)).core_properties
    where = pgettext("place in a Word template", "document properties")
    return [
        (f"{where} ({name})", getattr(properties, name) or "")
        for name in ("author", "comments", "identifier", "language", "subject", "title")
    ]


def check_docx(data: bytes) -> None:
    """ValidationError unless ``data`` is a Word document within the archive limits
    (:func:`kinerja.core.archives.check_archive`), checked before anything parses it."""
    try:
        check_archive(data, kind="docx")
    except ArchiveRefused as exc:
        raise ValidationError(exc.message) from None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/document.xml" not in archive.namelist():
            raise ValidationError(_("The file is not a Word document (DOCX)."))


def check_links(data: bytes) -> None:
    """Refuse a template that links a picture or text from elsewhere (a relationship with
    TargetMode="External", an INCLUDEPICTURE or LINK field): every document made from it would
    make Word fetch that address. Hyperlinks are fine."""
    try:
        links = convert.external_links(data)
    except ValueError as exc:
        raise ValidationError(
            _("The template cannot be rendered: %(error)s") % {"error": exc}
        ) from None
    if links:
        part, target = links[0]
        raise ValidationError(
            _(
                "%(part)s: the template links %(target)s from outside the document; insert the "
                "picture or text itself instead of a link."
            )
            % {"part": part, "target": target[:200]}
        )


def check_unsafe(data: bytes) -> None:
    """Refuse a template whose tags name anything beginning with "_" (the way to Python's
    internals, e.g. ``cycler.__init__.__globals__``): ValidationError naming the place (paragraph,
    or table, row and column; header, footer, document properties). Nothing is rendered."""
    env = contract.jinja_environment()
    for where, text in [*_paragraphs(data), *_property_places(data)]:
        name = _unsafe_name(env, text)
        if name:
            raise ValidationError(_unsafe_message(where, name))


def check_template(agency: Agency, kind: str, data: bytes) -> None:
    """Render ``data`` once as the ``kind`` template with the agency's real data; ValidationError
    with the place of the error when it does not render. A template that names anything
    beginning with "_" is refused before it is rendered (:func:`check_unsafe`), and it renders
    in the sandbox of :func:`kinerja.documents.contract.jinja_environment` in any case."""
    check_docx(data)
    check_unsafe(data)
    check_links(data)
    cls = template_kinds()[kind]
    year = agency.today().year - 1
    document_kind = cls(agency, year, sample_period(kind, year))
    data_, images = document_kind.build()
    try:
        document_kind.render_docx(data_, images, data)
    except contract.UnsafeTemplateError as exc:  # a tag that spans paragraphs, a footnote, ...
        raise ValidationError(_unsafe_message(_part_of(exc.source), exc.name)) from None
    except jinja2.exceptions.SecurityError as exc:
        raise ValidationError(
            _("The template does something a template may not do (%(error)s).") % {"error": exc}
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        place = locate_error(data)
        raise ValidationError(
            place
            or _("The template has a tag error (%(error)s); check every {%% %%} and {{ }} tag.")
            % {"error": exc.message}
        ) from None
    except jinja2.TemplateError as exc:
        raise ValidationError(
            _("The template does not render with the data of %(kind)s %(period)s: %(error)s")
            % {"kind": cls.title, "period": document_kind.period, "error": exc}
        ) from None
    except Exception as exc:  # a template Word or docxtpl cannot process at all
        raise ValidationError(
            _("The template cannot be rendered: %(error)s") % {"error": exc}
        ) from None


def _part_of(source: str) -> str:
    """The part of the document a Jinja source docxtpl compiled comes from, in words."""
    for marker, words in (
        ("<w:hdr", pgettext("place in a Word template", "a header")),
        ("<w:ftr", pgettext("place in a Word template", "a footer")),
        ("<w:footnotes", pgettext("place in a Word template", "the footnotes")),
        ("<w:body", pgettext("place in a Word template", "the body")),
    ):
        if marker in source[:2000]:
            return words
    return pgettext("place in a Word template", "document properties")


# Changes ---------------------------------------------------------------------------------------


def replace_template(
    agency: Agency, kind: str, upload: UploadedFile, *, actor: Any = None
) -> DocumentTemplate:
    """Check and store ``upload`` as the agency's template of ``kind``; the earlier one is kept,
    inactive. Nothing is stored when the check fails."""
    if kind not in template_kinds():
        raise ValidationError(_("Unknown kind of document."))
    validate_upload(upload, ("docx",))
    data = upload.read()
    check_template(agency, kind, data)
    with transaction.atomic():
        before = current_template(agency, kind)
        DocumentTemplate.objects.select_for_update().filter(
            agency=agency, kind=kind, active=True
        ).update(active=False)
        template = DocumentTemplate(
            agency=agency,
            kind=kind,
            active=True,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        template.file.save(f"{kind}_{agency.code}.docx", ContentFile(data), save=False)
        template.save()
        audit.record(
            "documents.template.replaced",
            actor=actor,
            obj=template,
            agency_code=agency.code,
            summary=f"{kind}: {upload.name}",
            before=_state(before),
            after={
                "template": template.pk,
                "file": template.file.name,
                "sha256": common.sha256(data),
            },
        )
    return template


def revert_template(agency: Agency, kind: str, *, actor: Any = None) -> int:
    """Back to the product's default template of ``kind``; returns how many were deactivated."""
    if kind not in template_kinds():
        raise ValidationError(_("Unknown kind of document."))
    with transaction.atomic():
        before = current_template(agency, kind)
        if before is None:
            raise ValidationError(_("The default template is already in use."))
        count = (
            DocumentTemplate.objects.select_for_update()
            .filter(agency=agency, kind=kind, active=True)
            .update(active=False)
        )
        audit.record(
            "documents.template.reverted",
            actor=actor,
            obj=before,
            agency_code=agency.code,
            summary=f"{kind}: default",
            before=_state(before),
            after={"template": "default"},
        )
    return count


def _state(template: DocumentTemplate | None) -> dict[str, object]:
    if template is None:
        return {"template": "default"}
    return {"template": template.pk, "file": template.file.name}
