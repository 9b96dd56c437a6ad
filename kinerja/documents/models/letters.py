"""The register of outgoing letters (agenda surat keluar): pattern, yearly counter, numbers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.documents.numbering import DEFAULT_PATTERN, PatternError, validate_pattern


class LetterRegister(models.Model):
    """How an agency numbers its letters: the pattern and the unit code it prints."""

    agency = models.OneToOneField(
        "organisation.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="letter_register",
    )
    pattern = models.CharField(
        _("numbering pattern"),
        max_length=200,
        default=DEFAULT_PATTERN,
        help_text=_("Tokens: {kode}, {urut:03d}, {unit}, {bulan_romawi}, {bulan}, {tahun}."),
    )
    unit_code = models.CharField(
        _("unit code"), max_length=60, blank=True, help_text=_("Empty: the agency's code.")
    )
    default_classification = models.CharField(
        _("default classification code"), max_length=40, default="000.8.6.3"
    )

    class Meta:
        verbose_name = _("letter register")
        verbose_name_plural = _("letter registers")

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.pattern}"

    def clean(self) -> None:
        try:
            validate_pattern(self.pattern)
        except PatternError as exc:
            raise ValidationError({"pattern": str(exc)}) from None

    @property
    def effective_unit_code(self) -> str:
        return self.unit_code or self.agency.code


class LetterCounter(models.Model):
    """The last sequence issued per agency per year; the row locked while a number is issued."""

    agency = models.ForeignKey(
        "organisation.Agency", on_delete=models.CASCADE, related_name="letter_counters"
    )
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class LetterNumber(models.Model):
    """One issued number. Never deleted: a voided number stays with its reason."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        VOIDED = "voided", _("Voided")

    agency = models.ForeignKey(
        "organisation.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="letter_numbers",
    )
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=200)
    classification = models.CharField(_("classification code"), max_length=40)
    unit_code = models.CharField(_("unit code"), max_length=60)
    pattern = models.CharField(_("pattern"), max_length=200)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    addressee = models.CharField(_("addressee"), max_length=500, blank=True)
    letter_date = models.DateField(_("letter date"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.PositiveIntegerField(_("task"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter number")
        verbose_name_plural = _("letter numbers")
        ordering = ["agency", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="letter_number_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A letter number is never deleted; void it instead."))
