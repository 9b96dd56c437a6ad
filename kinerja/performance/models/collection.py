"""Collection rounds, frozen round indicators, submissions, actuals and their evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency, Unit
from kinerja.performance.models.numbers import DECIMAL_PLACES, MAX_DIGITS
from kinerja.performance.models.planning import Indicator


class CollectionRound(models.Model):
    """A round of data collection for a period: a fill window, then a review window."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="collection_rounds")
    period = models.CharField(_("period"), max_length=10, help_text=_("2025, 2025-S1, 2025-Q3"))
    fill_until = models.DateField(_("units fill in until"))
    review_until = models.DateField(_("review until"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The case whose SOP steps the round serves (generate, distribute, collect), set when it was
    # opened from a task the opener may complete; the engine's actions are reported for it.
    case_id = models.PositiveIntegerField(_("case"), null=True, blank=True)
    forms_generated_at = models.DateTimeField(null=True, blank=True)
    forms_distributed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection round")
        ordering = ["agency", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="round_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.period_obj.label()}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def year(self) -> int:
        return self.period_obj.year

    @property
    def quarters(self) -> tuple[int, ...]:
        return self.period_obj.quarters

    def fill_open(self, day: dt.date | None = None) -> bool:
        day = day or self.agency.today()
        return self.closed_at is None and day <= self.fill_until

    def clean(self) -> None:
        if self.review_until and self.fill_until and self.review_until < self.fill_until:
            raise ValidationError({"review_until": _("The review ends after the fill window.")})


class RoundIndicator(models.Model):
    """An indicator as it was when the round opened (its definition is frozen for the round)."""

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=500)
    unit_of_measure = models.CharField(max_length=60)
    polarity = models.CharField(max_length=10)
    formula = models.CharField(max_length=4)
    aggregation = models.CharField(max_length=14)
    target_kind = models.CharField(max_length=8)
    decimals = models.PositiveSmallIntegerField(default=2)
    is_percentage = models.BooleanField(default=False)
    max_value = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    allows_negative = models.BooleanField(default=False)
    evidence_kinds = models.CharField(max_length=30, blank=True)
    has_components = models.BooleanField(default=False)
    numerator_label = models.CharField(max_length=200, blank=True)
    denominator_label = models.CharField(max_length=200, blank=True)
    multiplier = models.DecimalField(
        default=1, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    period_target = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    period_target_upper = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    year_target = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    year_target_upper = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    target_text = models.CharField(max_length=120, blank=True)
    lookup_labels = models.CharField(max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "unit", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator"], name="round_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def required_evidence(self) -> list[str]:
        return [k.strip() for k in self.evidence_kinds.split(",") if k.strip()]

    @property
    def choices(self) -> list[str]:
        return [c for c in self.lookup_labels.split("|") if c]


class Submission(models.Model):
    """One submission of a unit's figures for a round. A submitted version never changes."""

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        UPLOAD = "upload", _("Uploaded form")

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="performance/submissions/%Y/", blank=True)
    values = models.JSONField(
        _("the figures as submitted"),
        help_text=_("An archive of this version; the figures themselves are Actual rows."),
    )

    class Meta:
        ordering = ["round", "unit", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "version"], name="submission_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A submitted version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A submitted version cannot be deleted."))


class SubmissionReview(models.Model):
    """The reviewing official's decision on one submitted version: accepted, or returned to the
    unit with a reason. A version gets one decision; a decision never changes."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submission review")

    def __str__(self) -> str:
        return f"{self.submission_id} {self.decision}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A review decision cannot be changed."))
        super().save(*args, **kwargs)


class ActualQuerySet(models.QuerySet):
    def for_period(self, year: int, quarters: tuple[int, ...] | None = None) -> ActualQuerySet:
        qs = self.filter(year=year)
        return qs.filter(quarter__in=quarters) if quarters else qs

    def reported(self) -> ActualQuerySet:
        return self.filter(Q(value__isnull=False) | ~Q(text=""))


class Actual(models.Model):
    """The realisasi of an indicator in one quarter (the value of that quarter alone)."""

    class Status(models.TextChoices):
        PROVISIONAL = "sementara", _("Provisional (sementara)")
        PROJECTED = "proyeksi", _("Projected (proyeksi)")
        FINAL = "tetap", _("Final (tetap)")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(
        _("actual"), null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    text = models.CharField(_("grade or milestone"), max_length=120, blank=True)
    numerator = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    denominator = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    status = models.CharField(
        _("data status"), max_length=10, choices=Status.choices, default=Status.PROVISIONAL
    )
    explanation = models.TextField(_("explanation"), blank=True)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="actuals"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActualQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actual (realisasi)")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="actual_unique_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="actual_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}-Q{self.quarter}"


class Evidence(models.Model):
    """Bukti dukung for an actual: a file, a link or a text."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")
        TEXT = "text", _("Text")

    actual = models.ForeignKey(Actual, on_delete=models.CASCADE, related_name="evidence")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    file = models.FileField(upload_to="performance/evidence/%Y/", blank=True)
    url = models.URLField(blank=True)
    text = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.actual_id}"


class Reminder(models.Model):
    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    # the addresses ``remind`` wrote to, on the row it returns; not stored
    recipients: list[str]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.sent_at}"
