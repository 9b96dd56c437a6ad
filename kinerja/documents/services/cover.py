"""Number the cover letter (seed 001 step 10, seed 003 step 9): issue, then a numbered version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.documents.models import Document, DocumentVersion
from kinerja.documents.services.letters import issue_letter_number
from kinerja.documents.services.versions import create_document, generate_version


def cover_letter_for(document: Document, *, actor: Any = None) -> Document:
    """The cover letter sending ``document`` (an annual report), created on first use."""
    existing = Document.objects.filter(
        agency=document.agency,
        kind="cover_letter",
        year=document.year,
        case_id=document.case_id,
    ).first()
    if existing is not None:
        return existing
    return create_document(
        document.agency,
        "cover_letter",
        document.year,
        period=document.period,
        title=f"Surat Pengantar {document.title}",
        actor=actor,
        case_id=document.case_id,
        initial_positions=[],
    )


def number_cover_letter(
    document: Document,
    *,
    actor: Any = None,
    classification: str | None = None,
    task_id: int | None = None,
) -> DocumentVersion:
    """Give the cover letter its number and generate the numbered version."""
    if document.kind != "cover_letter":
        raise ValidationError(_("Only a letter gets a number."))
    if document.options.get("number"):
        raise ValidationError(_("The letter already has a number."))
    with transaction.atomic():
        letter = issue_letter_number(
            document.agency,
            classification,
            actor=actor,
            subject=document.title,
            task_id=task_id,
        )
        document.options = {
            **document.options,
            "number": letter.number,
            "date": letter.letter_date.isoformat(),
        }
        document.save(update_fields=["options"])
        version = generate_version(document, actor=actor, note=letter.number)
        version.letter_number = letter
        version.save(update_fields=["letter_number"])
    return version
