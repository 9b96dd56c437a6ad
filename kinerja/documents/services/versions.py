"""Documents and their versions: create, generate, upload, comment, compare, initial."""

from __future__ import annotations

import difflib
import io
import subprocess
import tempfile
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.uploads import validate_upload
from kinerja.documents import common, contract, convert
from kinerja.documents.models import (
    Approval,
    Document,
    DocumentVersion,
    ReviewComment,
)
from kinerja.documents.models.documents import new_token
from kinerja.organisation.access import holdings_of
from kinerja.organisation.models import Agency, Position, PositionHolding


def default_initials(agency: Agency, drafter_position: Position | None = None) -> list[str]:
    """Who initials before the head signs: the drafter's superiors up to (not including) the head.

    Seed 004: the Kasubag drafts, the Kabag initials, the Karo (head) signs. Without a drafter, the
    agency's secretary (the position directly under the head that heads the secretariat).
    """
    head = common.head_position(agency)
    chain: list[str] = []
    if drafter_position is not None and drafter_position == head:
        return chain
    position = drafter_position.superior if drafter_position else None
    if position is None and head is not None:
        secretary = head.subordinates.filter(unit__kind="sekretariat", is_head=True).first()
        position = secretary
    while position is not None and position != head and len(chain) < 6:
        chain.append(position.code)
        position = position.superior
    return chain


def sign_off_from_case(case_id: int | None) -> tuple[list[str], str] | None:
    """The initials (in step order) and the signer the case's SOP gives, as position codes.

    Seed 004: steps 7 (Kasubag) and 8 (Kabag) are ``initial``, step 9 (Karo) is ``sign``. None when
    there is no case or its SOP binds no ``sign`` step.
    """
    if not case_id:
        return None
    from kinerja.cases.models import Case

    case = Case.objects.filter(pk=case_id).select_related("sop_version").first()
    if case is None:
        return None
    initials: list[str] = []
    signer = ""
    for step in case.sop_version.ordered_steps().prefetch_related("lane__positions"):
        codes = [p.code for p in step.lane.positions.all()] if step.lane_id else []
        if not codes:
            continue
        if step.action == "initial" and codes[0] not in initials:
            initials.append(codes[0])
        elif step.action == "sign":
            signer = codes[0]
    if not signer:
        return None
    return [code for code in initials if code != signer], signer


def create_document(
    agency: Agency,
    kind: str,
    year: int,
    *,
    period: str = "",
    title: str = "",
    options: dict[str, Any] | None = None,
    actor: Any = None,
    case_id: int | None = None,
    initial_positions: list[str] | None = None,
    signer_position: str = "",
) -> Document:
    """A new document of ``kind`` for the agency's ``year`` (or ``period``), with no version yet.

    Who initials and who signs: the positions given, else those the case's SOP names, else the
    drafter's superiors and the head (:func:`sign_off_positions`)."""
    kind_cls = contract.get(kind)
    initials, signer = sign_off_positions(
        agency, kind_cls, case_id, actor, initial_positions, signer_position
    )
    with transaction.atomic():
        document = Document.objects.create(
            agency=agency,
            kind=kind,
            year=year,
            period=period or str(year),
            title=title or kind_cls.default_title(agency, period or str(year)),
            options=options or {},
            initial_positions=initials,
            signer_position=signer,
            case_id=case_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            "documents.document.created",
            actor=actor,
            obj=document,
            agency_code=agency.code,
            summary=document.title,
        )
    return document


def sign_off_positions(
    agency: Agency,
    kind_cls: type[contract.DocumentKind],
    case_id: int | None,
    actor: Any,
    initial_positions: list[str] | None,
    signer_position: str,
) -> tuple[list[str], str]:
    """The position codes that initial a new document, in order, and the one that signs it.

    None signs in the agency for a kind signed outside the product. Otherwise the initials given,
    else those of the case's SOP (:func:`sign_off_from_case`), else the drafter's superiors
    (:func:`default_initials`); the signer given, else the SOP's, else the agency's head."""
    if not kind_cls.signed_in_agency:
        return [], ""
    from_case = sign_off_from_case(case_id) if initial_positions is None else None
    if from_case is not None:
        initial_positions, signer_position = from_case[0], signer_position or from_case[1]
    if initial_positions is None:
        initial_positions = default_initials(agency, _drafter_position(agency, actor))
    head = common.head_position(agency)
    return initial_positions, signer_position or (head.code if head else "")


def _drafter_position(agency: Agency, actor: Any) -> Position | None:
    """The position ``actor`` holds in the agency today (the first one), None for none."""
    if actor is None:
        return None
    return next((h.position for h in holdings_of(actor) if h.position.agency_id == agency.pk), None)


def kind_of(document: Document) -> contract.DocumentKind:
    return contract.get(document.kind)(
        document.agency, document.year, document.period, document.options
    )


def office_template(document: Document) -> bytes | None:
    """The agency's own Word template of the document's kind, None for the product's default."""
    from kinerja.documents.services.templates import own_bytes

    return own_bytes(document.agency, document.kind)


def _next_number(document: Document) -> int:
    Document.objects.select_for_update().get(pk=document.pk)
    return (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1


def _file_name(document: Document, number: int, ext: str) -> str:
    return f"{document.kind}_{document.agency.code}_{document.period}_v{number}.{ext}"


def generate_version(
    document: Document,
    *,
    actor: Any = None,
    note: str = "",
    formats: tuple[str, ...] = ("docx", "pdf"),
) -> DocumentVersion:
    """Gather the data now, once, and render from them the draft (DOCX and PDF, marked KONSEP,
    no QR) and the page that the signature will sign (QR and footer, no mark: its HTML, laid out
    as a PDF at signature); store them as the next numbered version. The draft and the signed
    PDF differ only by those marks: what the officials initial is what the head signs."""
    kind = kind_of(document)
    formats = tuple(f for f in formats if f in kind.formats)
    token = new_token()
    data, images = kind.build(token)
    draft_data, draft_images = contract.draft_of(data, images)
    docx = pdf = final = final_html = b""
    if "docx" in formats:
        rendered = kind.render_docx(draft_data, draft_images, office_template(document))
        docx = common.mark_docx_draft(rendered)
    if "pdf" in formats:
        if not kind.lays_out_marks:  # printed elsewhere: the mark is drawn on the final PDF
            final = kind.render_pdf(data, images)
            pdf = common.mark_pdf_draft(final)
        else:
            pdf = kind.render_pdf(draft_data, draft_images)
            if kind.signed_in_agency:
                final_html = kind.render_html(data, images).encode()
            else:  # signed outside the product: no QR to a page that will never say "signed"
                final = kind.render_pdf(*contract.unmarked(data, images))
    return _store(
        document,
        DocumentVersion.Source.GENERATED,
        docx,
        pdf,
        actor,
        note,
        token,
        final=final,
        final_html=final_html,
    )


def upload_version(
    document: Document,
    *,
    actor: Any = None,
    docx_file: UploadedFile | None = None,
    pdf_file: UploadedFile | None = None,
    note: str = "",
) -> DocumentVersion:
    """The drafter's own edit of the DOCX (and its PDF) becomes the next version.

    A DOCX uploaded without its PDF is converted on the server (LibreOffice), so the version can
    be initialled and signed like a generated one; when that fails nothing is stored.
    """
    if docx_file is None and pdf_file is None:
        raise ValidationError(_("Upload a DOCX or a PDF."))
    docx = pdf = b""
    if docx_file is not None:
        from kinerja.documents.services.templates import check_docx

        validate_upload(docx_file, ("docx",))
        docx = docx_file.read()
        check_docx(docx)  # within the archive limits, before LibreOffice or python-docx reads it
        docx = common.without_docx_draft_mark(docx)  # the KONSEP note of a downloaded draft
    if pdf_file is not None:
        validate_upload(pdf_file, ("pdf",))
        pdf = pdf_file.read()
    if docx and not pdf:
        try:
            pdf = convert.docx_to_pdf(docx)
        except convert.ConversionError as exc:
            raise ValidationError(str(exc)) from None
    return _store(document, DocumentVersion.Source.UPLOADED, docx, pdf, actor, note, new_token())


def _drafts_of_upload(document: Document, docx: bytes, pdf: bytes) -> tuple[bytes, bytes, bytes]:
    """(docx, pdf, final) of an uploaded version: the office's own PDF is the one to sign; what
    is served before the signature is a copy marked KONSEP (and the DOCX says it in its headers).
    A kind signed outside the product (the APIP's statement) is uploaded signed: kept as it is."""
    if not contract.get(document.kind).signed_in_agency:
        return docx, pdf, b""
    if docx:
        docx = common.mark_docx_draft(docx)
    if not pdf:
        return docx, b"", b""
    try:
        marked = common.mark_pdf_draft(pdf)
    except ValueError as exc:
        raise ValidationError(
            _(
                "The PDF cannot be read to mark it as a draft (%(error)s); upload an unprotected PDF."
            )
            % {"error": exc}
        ) from None
    return docx, marked, pdf


def _store(
    document: Document,
    source: str,
    docx: bytes,
    pdf: bytes,
    actor: Any,
    note: str,
    token: str,
    *,
    final: bytes = b"",
    final_html: bytes = b"",
) -> DocumentVersion:
    """Store a new version. ``docx``/``pdf``: the draft as served before signature; ``final``:
    the PDF to sign, or ``final_html``: the page laid out as that PDF at signature. An upload
    passes the office's files as they are and gets its draft here."""
    if source == DocumentVersion.Source.UPLOADED:
        docx, pdf, final = _drafts_of_upload(document, docx, pdf)
    with transaction.atomic():
        number = _next_number(document)
        version = DocumentVersion(
            document=document,
            number=number,
            source=source,
            note=note,
            token=token,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            docx_sha256=common.sha256(docx) if docx else "",
            pdf_sha256=common.sha256(pdf) if pdf else "",
            final_sha256=common.sha256(final or final_html) if final or final_html else "",
        )
        if docx:
            version.docx.save(_file_name(document, number, "docx"), ContentFile(docx), save=False)
        if pdf:
            version.pdf.save(_file_name(document, number, "pdf"), ContentFile(pdf), save=False)
        if final:
            name = _file_name(document, number, "pdf").replace(".pdf", "_final.pdf")
            version.final_pdf.save(name, ContentFile(final), save=False)
        if final_html:
            name = _file_name(document, number, "html").replace(".html", "_final.html")
            version.final_html.save(name, ContentFile(final_html), save=False)
        version.save()
        audit.record(
            "documents.version.created",
            actor=actor,
            obj=version,
            agency_code=document.agency.code,
            summary=f"{document.title} v{number} ({source})",
            after={
                "docx_sha256": version.docx_sha256,
                "pdf_sha256": version.pdf_sha256,
                "final_sha256": version.final_sha256,
            },
        )
    return version


def add_comment(
    version: DocumentVersion, section: str, text: str, *, actor: Any = None
) -> ReviewComment:
    if not text.strip():
        raise ValidationError(_("The comment is empty."))
    if version.is_signed:
        raise ValidationError(_("A signed version takes no more comments."))
    with transaction.atomic():
        comment = ReviewComment.objects.create(
            version=version, section=section.strip() or "-", text=text.strip(), author=actor
        )
        audit.record(
            "documents.version.commented",
            actor=actor,
            obj=version,
            agency_code=version.document.agency.code,
            summary=f"{section}: {text[:200]}",
        )
    return comment


def version_text(version: DocumentVersion) -> list[str]:
    """The text of a version, one paragraph a line (DOCX first, else the PDF through pdftotext)."""
    if version.docx:
        from docx import Document as Docx

        with version.docx.open("rb") as handle:
            doc = Docx(io.BytesIO(handle.read()))
        lines = [p.text for p in doc.paragraphs if p.text.strip()]
        for table in doc.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
        return lines
    if version.pdf:
        with version.pdf.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
            tmp.write(handle.read())
            tmp.flush()
            text = subprocess.run(  # noqa: S603
                ["pdftotext", "-layout", tmp.name, "-"],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        return [line for line in text.splitlines() if line.strip()]
    return []


def compare_versions(old: DocumentVersion, new: DocumentVersion) -> list[str]:
    return list(
        difflib.unified_diff(
            version_text(old),
            version_text(new),
            fromfile=f"v{old.number}",
            tofile=f"v{new.number}",
            lineterm="",
        )
    )


# Initials (paraf) ---------------------------------------------------------------------------


def next_initial(version: DocumentVersion) -> str | None:
    """The code of the position whose initial is due, or None when all have initialled."""
    done = version.approvals.filter(kind=Approval.Kind.INITIAL).count()
    positions = version.document.initial_positions
    return positions[done] if done < len(positions) else None


def holding_for(user: Any, agency: Agency, position_code: str) -> PositionHolding | None:
    """The holding through which ``user`` holds the agency's position ``position_code`` today."""
    for holding in holdings_of(user, agency.today()):
        if holding.position.agency_id == agency.pk and holding.position.code == position_code:
            return holding
    return None


def initial_version(version: DocumentVersion, *, actor: Any) -> Approval:
    """The next official in the SOP's order initials the version."""
    document = version.document
    with transaction.atomic():
        DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_signed:
            raise ValidationError(_("The version is already signed."))
        if version != document.latest_version():
            raise ValidationError(_("Only the latest version can be initialled."))
        due = next_initial(version)
        if due is None:
            raise ValidationError(_("Every initial has been given."))
        holding = holding_for(actor, document.agency, due)
        if holding is None:
            raise PermissionDenied(_("The initial due now is not yours."))
        block = common.signature_block(document.agency, document.agency.today(), holding.position)
        approval = Approval.objects.create(
            version=version,
            kind=Approval.Kind.INITIAL,
            order=version.approvals.filter(kind=Approval.Kind.INITIAL).count() + 1,
            position_code=due,
            title=f"{holding.prefix} {holding.position.name}".strip(),
            name=holding.employee.full_name,
            rank=holding.employee.rank_display,
            nip=holding.employee.nip_display,
            user=actor,
        )
        audit.record(
            "documents.version.initialled",
            actor=actor,
            obj=version,
            agency_code=document.agency.code,
            summary=f"{approval.title} {approval.name} ({block.date})",
        )
    return approval


def finish_review(version: DocumentVersion, *, actor: Any) -> None:
    """The reviewer says the review of ``version`` is done (comments, if any, are recorded)."""
    audit.record(
        "documents.version.reviewed",
        actor=actor,
        obj=version,
        agency_code=version.document.agency.code,
        summary=f"{version} ({version.comments.count()} comments)",
    )


def update_text_options(
    document: Document, values: dict[str, str], *, actor: Any = None
) -> Document:
    """Save the narrative texts an official edits (only the kind's ``text_options``); the next
    generated version uses them."""
    allowed = {key for key, _label in contract.get(document.kind).text_options}
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        before = {key: document.options.get(key, "") for key in allowed}
        options = dict(document.options)
        for key in allowed:
            if key in values:
                text = values[key].strip()
                if text:
                    options[key] = text
                else:
                    options.pop(key, None)
        document.options = options
        document.save(update_fields=["options"])
        audit.record(
            "documents.document.texts_changed",
            actor=actor,
            obj=document,
            agency_code=document.agency.code,
            summary=document.title,
            before=before,
            after={key: options.get(key, "") for key in allowed},
        )
    return document
