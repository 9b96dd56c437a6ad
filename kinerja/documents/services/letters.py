"""Issue and void letter numbers: one sequence per agency per year, never twice, never skipped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.documents.models import LetterCounter, LetterNumber, LetterRegister
from kinerja.documents.numbering import (
    CLASSIFICATION_RE,
    LetterParts,
    PatternError,
    format_number,
    validate_pattern,
)
from kinerja.organisation.models import Agency

# The seeds' own patterns: DKUKMTK prints no month, the Kecamatan prints the Roman month.
SEED_PATTERNS = {
    "DKUKMTK-BLG": "{kode}/{urut:03d}/{unit}/{tahun}",
    "DINKES-BLG": "{kode}/{urut:03d}/{unit}/{tahun}",
    "KTT_BLG": "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}",
    "ADPIM-KALBAR": "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}",
}


def register_or_default(agency: Agency) -> LetterRegister:
    """The agency's register, or (unsaved) the one :func:`register_for` would make: for a page
    that only shows it."""
    return LetterRegister.objects.filter(agency=agency).first() or LetterRegister(
        agency=agency,
        pattern=SEED_PATTERNS.get(agency.code, "{kode}/{urut:03d}/{unit}/{tahun}"),
    )


def register_for(agency: Agency) -> LetterRegister:
    register, _created = LetterRegister.objects.get_or_create(
        agency=agency,
        defaults={"pattern": SEED_PATTERNS.get(agency.code, "{kode}/{urut:03d}/{unit}/{tahun}")},
    )
    return register


def update_register(
    agency: Agency,
    *,
    pattern: str,
    unit_code: str = "",
    default_classification: str = "",
    actor: Any = None,
) -> list[str]:
    """Change how the agency numbers its letters (docs/regions.md); returns the fields that
    changed. A wrong pattern or classification is refused by field and nothing is written;
    numbers already issued keep what they printed."""
    register = register_or_default(agency)
    values = {
        "pattern": pattern.strip(),
        "unit_code": unit_code.strip(),
        "default_classification": (
            default_classification or register.default_classification
        ).strip(),
    }
    try:
        validate_pattern(values["pattern"])
    except PatternError as exc:
        raise ValidationError(
            {"pattern": _("The numbering pattern is wrong: %(error)s.") % {"error": exc}}
        ) from None
    if not CLASSIFICATION_RE.match(values["default_classification"]):
        raise ValidationError(
            {
                "default_classification": _(
                    "The classification code must look like 000.8.6.3 or 067."
                )
            }
        )
    if "/" in values["unit_code"]:
        raise ValidationError({"unit_code": _("The unit code may not contain '/'.")})
    changed = [name for name, value in values.items() if getattr(register, name) != value]
    if not changed:
        return []
    before = {name: getattr(register, name) for name in changed}
    with transaction.atomic():
        register = register_for(agency)
        for name in changed:
            setattr(register, name, values[name])
        register.save()
        audit.record(
            "documents.letter_register.changed",
            actor=actor,
            obj=register,
            agency_code=agency.code,
            summary=_("Letter numbering of %(agency)s changed: %(fields)s.")
            % {"agency": agency.code, "fields": ", ".join(changed)},
            before=before,
            after={name: values[name] for name in changed},
        )
    return changed


def issue_letter_number(
    agency: Agency,
    classification: str | None = None,
    *,
    actor: Any = None,
    subject: str = "",
    addressee: str = "",
    day: dt.date | None = None,
    task_id: int | None = None,
) -> LetterNumber:
    """The next number of the agency's register for the year of ``day`` (the agency's today).

    The counter row is locked (``select_for_update``) so that officials issuing at the same
    moment queue up: each gets the next sequence, none is skipped.
    """
    register = register_for(agency)
    classification = (classification or register.default_classification).strip()
    if not CLASSIFICATION_RE.match(classification):
        raise ValidationError(_("The classification code must look like 000.8.6.3 or 067."))
    day = day or agency.today()
    with transaction.atomic():
        LetterCounter.objects.get_or_create(agency=agency, year=day.year)
        counter = LetterCounter.objects.select_for_update().get(agency=agency, year=day.year)
        counter.last += 1
        counter.save(update_fields=["last"])
        parts = LetterParts(
            kode=classification,
            urut=counter.last,
            unit=register.effective_unit_code,
            year=day.year,
            month=day.month,
        )
        letter = LetterNumber.objects.create(
            agency=agency,
            year=day.year,
            sequence=counter.last,
            number=format_number(register.pattern, parts),
            classification=classification,
            unit_code=register.effective_unit_code,
            pattern=register.pattern,
            subject=subject,
            addressee=addressee,
            letter_date=day,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            task_id=task_id,
        )
        audit.record(
            "documents.letter.issued",
            actor=actor,
            obj=letter,
            agency_code=agency.code,
            summary=letter.number,
            after={"number": letter.number, "subject": subject},
        )
    return letter


def void_letter_number(letter: LetterNumber, reason: str, *, actor: Any = None) -> LetterNumber:
    """Void a number: it stays in the register with the reason and is never reissued."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for voiding the number."))
    with transaction.atomic():
        letter = LetterNumber.objects.select_for_update().get(pk=letter.pk)
        if letter.status == LetterNumber.Status.VOIDED:
            raise ValidationError(_("The number is already void."))
        letter.status = LetterNumber.Status.VOIDED
        letter.void_reason = reason.strip()
        letter.voided_at = timezone.now()
        letter.voided_by = actor if getattr(actor, "is_authenticated", False) else None
        letter.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
        audit.record(
            "documents.letter.voided",
            actor=actor,
            obj=letter,
            agency_code=letter.agency.code,
            summary=f"{letter.number}: {reason}",
            before={"status": "issued"},
            after={"status": "voided", "reason": reason},
        )
    return letter
