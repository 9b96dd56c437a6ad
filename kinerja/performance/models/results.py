"""Stored results: achievement per indicator and period (with its formula id), and analyses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.performance.models.numbers import DECIMAL_PLACES, MAX_DIGITS


class AchievementQuerySet(models.QuerySet):
    def for_period(self, period: str) -> AchievementQuerySet:
        return self.filter(period=period)

    def for_agency(self, agency) -> AchievementQuerySet:
        return self.filter(indicator__objective__plan__agency=agency)

    def computed(self) -> AchievementQuerySet:
        return self.filter(status="computed")

    def category_counts(self) -> dict[str, int]:
        rows = self.computed().values("category").annotate(n=Count("id")).order_by("category")
        return {row["category"]: row["n"] for row in rows}

    def per_agency(self) -> models.QuerySet:
        """Per agency: counts by category and the average achievement, in one query."""
        agency = "indicator__objective__plan__agency"
        return (
            self.computed()
            .values(agency)
            .annotate(
                average=Avg("value"),
                total=Count("id"),
                **{
                    f"n_{code}": Count("id", filter=Q(category=code))
                    for code in ("ST", "T", "S", "R", "SR")
                },
            )
            .order_by(agency)
        )


class Achievement(models.Model):
    """The capaian of an indicator for a period, computed by the achievement service."""

    indicator = models.ForeignKey(
        "performance.Indicator", on_delete=models.CASCADE, related_name="achievements"
    )
    period = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    actual = models.DecimalField(
        _("actual to date"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    actual_text = models.CharField(max_length=120, blank=True)
    target = models.DecimalField(
        _("period target"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    target_upper = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    status = models.CharField(max_length=16)
    value = models.DecimalField(
        _("achievement (%)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    formula = models.CharField(_("formula id"), max_length=4, blank=True)
    explanation = models.TextField(blank=True)
    reason = models.CharField(max_length=255, blank=True)
    category = models.CharField(max_length=10, blank=True)
    year_target = models.DecimalField(
        null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    year_value = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    year_formula = models.CharField(max_length=4, blank=True)
    year_explanation = models.TextField(blank=True)
    aggregation_explanation = models.TextField(blank=True)
    data_status = models.CharField(max_length=10, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="achievement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}"


class ObjectiveAnalysis(models.Model):
    """The narrative of analyses 5-7 for an objective and year (history kept)."""

    objective = models.ForeignKey(
        "performance.Objective", on_delete=models.CASCADE, related_name="analyses"
    )
    year = models.PositiveSmallIntegerField()
    causes = models.TextField(_("causes of success or failure"), blank=True)
    solutions = models.TextField(_("alternative solutions"), blank=True)
    supporting_programs = models.TextField(_("programs that supported it"), blank=True)
    efficiency_remarks = models.TextField(_("efficiency remarks"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["objective", "year"], name="analysis_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.objective_id} {self.year}"
