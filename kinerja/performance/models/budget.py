"""Budget: programs, activities, sub-activities with their ceiling (pagu) and quarterly spending."""

from __future__ import annotations

from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.organisation.models import Agency, Unit
from kinerja.performance.models.numbers import MONEY_DIGITS, MONEY_PLACES


class Program(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="programs")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    objective = models.ForeignKey(
        "performance.Objective",
        verbose_name=_("objective it serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programs",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="program_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Activity(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="activity_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubActivityQuerySet(models.QuerySet):
    def with_budget(self, year: int, up_to_quarter: int = 4) -> SubActivityQuerySet:
        """Annotate ``ceiling`` (the pagu of ``year``) and ``spent`` (its spending up to the
        quarter), 0 when there is none.

        Each relation is summed in its own subquery: two Sums over two reverse relations in one
        query would join every ceiling row with every spending row and count each several times.
        """
        money = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
        ceiling = (
            BudgetCeiling.objects.filter(sub_activity=OuterRef("pk"), year=year)
            .order_by()
            .values("sub_activity")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        spent = (
            Spending.objects.filter(
                sub_activity=OuterRef("pk"), year=year, quarter__lte=up_to_quarter
            )
            .order_by()
            .values("sub_activity")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        zero = Value(0, output_field=money)
        return self.annotate(
            ceiling=Coalesce(Subquery(ceiling, output_field=money), zero, output_field=money),
            spent=Coalesce(Subquery(spent, output_field=money), zero, output_field=money),
        )


class SubActivity(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sub_activities")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = SubActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "code"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="sub_activity_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetCeiling(models.Model):
    """The pagu of a sub-activity for a year."""

    sub_activity = models.ForeignKey(SubActivity, on_delete=models.CASCADE, related_name="ceilings")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("ceiling (pagu)"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sub_activity", "year"], name="ceiling_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.sub_activity_id} {self.year}"


class Spending(models.Model):
    """Realisasi anggaran of a sub-activity in one quarter (not cumulative)."""

    sub_activity = models.ForeignKey(SubActivity, on_delete=models.CASCADE, related_name="spending")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount = models.DecimalField(_("spent"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    submission = models.ForeignKey(
        "performance.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sub_activity", "year", "quarter"], name="spending_unique_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="spending_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub_activity_id} {self.year}-Q{self.quarter}"
