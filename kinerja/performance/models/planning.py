"""Planning: Renstra, goals, objectives, indicators, targets, PK and Rencana Aksi; scales as data."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.organisation.models import Agency, Position, Region, Unit
from kinerja.performance import formulas
from kinerja.performance.models.numbers import DECIMAL_PLACES, MAX_DIGITS


class CategoryScale(models.Model):
    """A capaian category scale (docs/domain.md §6). Region None: available to all; the default is Permendagri."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    is_default = models.BooleanField(_("default"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category scale")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_scale(self) -> formulas.Scale:
        return formulas.Scale(
            self.name,
            tuple(formulas.Band(b.code, b.label, b.lower) for b in self.bands.all()),
        )


class CategoryBand(models.Model):
    scale = models.ForeignKey(CategoryScale, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("label"), max_length=80)
    lower = models.DecimalField(
        _("exclusive lower bound"),
        null=True,
        blank=True,
        help_text=_("The band holds values above this bound; empty for the lowest band."),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale", "order"]

    def __str__(self) -> str:
        return self.label


class LookupTable(models.Model):
    """Scores for qualitative or milestone indicators (docs/domain.md §5.4)."""

    class Mode(models.TextChoices):
        DIRECT = "direct", _("The actual's score is the achievement (binary, milestones)")
        RATIO = "ratio", _("Compare the scores of actual and target (grades)")

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=120)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.DIRECT)

    class Meta:
        verbose_name = _("lookup table")

    def __str__(self) -> str:
        return self.name

    def as_table(self) -> formulas.LookupTable:
        mode: Literal["ratio", "direct"] = "ratio" if self.mode == self.Mode.RATIO else "direct"
        return formulas.LookupTable({e.label: e.score for e in self.entries.all()}, mode)


class LookupEntry(models.Model):
    table = models.ForeignKey(LookupTable, on_delete=models.CASCADE, related_name="entries")
    label = models.CharField(_("label"), max_length=120)
    score = models.DecimalField(_("score"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["table", "order"]

    def __str__(self) -> str:
        return self.label


class StrategicPlan(models.Model):
    """The Renstra of an agency for a period, e.g. 2021-2026."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="strategic_plans"
    )
    title = models.CharField(_("title"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    rpjmd_reference = models.TextField(
        _("RPJMD goals it supports"), blank=True, help_text=_("The region's RPJMD goals, if given.")
    )
    strategic_issues = models.TextField(
        _("strategic issues (isu strategis)"),
        blank=True,
        help_text=_(
            "The strategic issues the Renstra names, one per line; printed in Chapter I of the "
            "annual report."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic plan (Renstra)")
        ordering = ["agency", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "start_year"], name="plan_unique_start"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Renstra {self.start_year}-{self.end_year}"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Goal(models.Model):
    """A tujuan of the Renstra."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=40)
    statement = models.TextField(_("statement"))
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal (tujuan)")
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="goal_code_unique")]

    def __str__(self) -> str:
        return self.statement


class Objective(models.Model):
    """A sasaran at one of three levels, owned by the agency (no unit) or by a unit."""

    class Level(models.TextChoices):
        STRATEGIC = "strategis", _("Strategic objective (sasaran strategis)")
        PROGRAM = "program", _("Program objective (sasaran program)")
        ACTIVITY = "kegiatan", _("Activity objective (sasaran kegiatan)")

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="objectives")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(_("code"), max_length=40)
    statement = models.TextField(_("statement"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty when the agency as a whole owns it."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective (sasaran)")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique")
        ]

    def __str__(self) -> str:
        return self.statement


class IndicatorQuerySet(models.QuerySet):
    def for_agency(self, agency: Agency) -> IndicatorQuerySet:
        return self.filter(objective__plan__agency=agency)

    def active_in(self, year: int) -> IndicatorQuerySet:
        """Indicators of a Renstra covering ``year`` and not retired before it starts."""
        return self.filter(
            objective__plan__start_year__lte=year, objective__plan__end_year__gte=year
        ).filter(Q(retired_on__isnull=True) | Q(retired_on__year__gte=year))

    def for_unit(self, unit: Unit) -> IndicatorQuerySet:
        return self.filter(unit=unit)

    def key(self) -> IndicatorQuerySet:
        return self.filter(is_key=True)

    def with_achievement(self, period: str) -> IndicatorQuerySet:
        """Annotate the stored achievement of ``period`` (value, category, formula id, status)."""
        from kinerja.performance.models.results import Achievement

        rows = Achievement.objects.filter(indicator=OuterRef("pk"), period=period)
        return self.annotate(
            **{
                f"achievement_{name}": Subquery(rows.values(name)[:1])
                for name in ("value", "category", "formula", "status", "explanation", "actual")
            }
        )


class Indicator(models.Model):
    class Polarity(models.TextChoices):
        POSITIVE = formulas.POSITIVE, _("Positive (higher is better)")
        NEGATIVE = formulas.NEGATIVE, _("Negative (lower is better)")

    class Formula(models.TextChoices):
        P = formulas.P, _("P: actual / target × 100")
        N1 = formulas.N1, _("N1: (2 × target − actual) / target × 100")
        N2 = formulas.N2, _("N2: target / actual × 100")
        N4 = formulas.N4, _("N4: zero target, 100 or 0")
        LOOKUP = formulas.LOOKUP, _("Lookup table (qualitative, milestone)")

    class Aggregation(models.TextChoices):
        CUMULATIVE = formulas.CUMULATIVE, _("Cumulative (kumulatif)")
        LAST = formulas.LAST, _("Latest value (posisi akhir)")
        AVERAGE = formulas.AVERAGE, _("Average (rata-rata)")

    class TargetKind(models.TextChoices):
        NUMBER = "number", _("A number")
        RANGE = "range", _("A range")
        LOOKUP = "lookup", _("A grade or milestone")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    unit_of_measure = models.CharField(_("unit of measure (satuan)"), max_length=60)
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.POSITIVE
    )
    formula = models.CharField(
        _("achievement formula"),
        max_length=4,
        choices=Formula.choices,
        blank=True,
        help_text=_("Empty: P for positive, N1 for negative. A zero target always uses N4."),
    )
    aggregation = models.CharField(
        _("aggregation over quarters"), max_length=14, choices=Aggregation.choices
    )
    target_kind = models.CharField(
        _("kind of target"), max_length=8, choices=TargetKind.choices, default=TargetKind.NUMBER
    )
    lookup_table = models.ForeignKey(LookupTable, null=True, blank=True, on_delete=models.PROTECT)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=2)
    is_percentage = models.BooleanField(_("a percentage"), default=False)
    max_value = models.DecimalField(
        _("largest value a unit may report"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    allows_negative = models.BooleanField(
        _("negative values allowed"),
        default=False,
        help_text=_(
            "Only for a figure that can fall below zero (growth, a balance); otherwise an actual "
            "below 0 is refused."
        ),
    )
    definition = models.TextField(_("definition"), blank=True)
    data_source = models.CharField(_("data source"), max_length=255, blank=True)
    is_key = models.BooleanField(_("key indicator (IKU)"), default=False)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline = models.DecimalField(
        _("baseline"), null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    end_target = models.DecimalField(
        _("end-of-period target"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    national_standard = models.DecimalField(
        _("national standard"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    national_standard_source = models.CharField(
        _("source of the standard"), max_length=255, blank=True
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("reporting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    numerator_label = models.CharField(_("numerator"), max_length=200, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=200, blank=True)
    multiplier = models.DecimalField(
        _("multiplier"), default=Decimal(1), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    evidence_kinds = models.CharField(
        _("evidence required"),
        max_length=30,
        blank=True,
        help_text=_("Comma-separated kinds that must be given: file, link, text."),
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        ordering = ["objective__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def effective_formula(self) -> str:
        if self.target_kind == self.TargetKind.LOOKUP:
            return formulas.LOOKUP
        return self.formula or formulas.default_formula(self.polarity)

    @property
    def has_components(self) -> bool:
        return bool(self.numerator_label and self.denominator_label)

    @property
    def required_evidence(self) -> list[str]:
        return [k.strip() for k in self.evidence_kinds.split(",") if k.strip()]


class Target(models.Model):
    """The Renstra target of an indicator for one year (a number, a range or a grade)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    upper = models.DecimalField(
        _("upper bound"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    text = models.CharField(_("grade or milestone"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}"


class PerformanceAgreement(models.Model):
    """A PK of an agency for a year; a PK Perubahan is a later version (docs/domain.md §12.5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="agreements")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    first_party = models.ForeignKey(
        Position, verbose_name=_("first party"), on_delete=models.PROTECT, related_name="+"
    )
    second_party = models.ForeignKey(
        Position,
        verbose_name=_("second party (superior)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_party_title = models.CharField(
        _("second party title"), max_length=200, blank=True, help_text=_("e.g. Bupati Balangan")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    reason = models.TextField(_("reason for the change"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("performance agreement (PK)")
        ordering = ["agency", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "version"], name="agreement_unique_version"
            )
        ]

    def __str__(self) -> str:
        name = "PK" if self.version == 1 else f"PK Perubahan {self.version - 1}"
        return f"{name} {self.year}"


class AgreementIndicator(models.Model):
    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    upper = models.DecimalField(
        _("upper bound"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    text = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "indicator"], name="agreement_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.indicator_id}"


class AgreementProgram(models.Model):
    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="programs"
    )
    program = models.ForeignKey("performance.Program", on_delete=models.PROTECT, related_name="+")
    budget = models.DecimalField(_("budget (Rp)"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.program_id}"


class ActionPlan(models.Model):
    """The Rencana Aksi of an agency for a year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="action_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="action_plan_unique_year")
        ]

    def __str__(self) -> str:
        return f"Rencana Aksi {self.year}"


class ActionPlanTarget(models.Model):
    """The target up to a quarter (s.d. triwulan) and the activities behind it."""

    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="quarter_targets"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(
        _("target up to the quarter"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    upper = models.DecimalField(
        _("upper bound"),
        null=True,
        blank=True,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    text = models.CharField(max_length=120, blank=True)
    activities = models.TextField(_("activities"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "indicator", "quarter"], name="action_target_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="action_target_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} TW {self.quarter}"


class PerformanceSettings(models.Model):
    """Per agency: its planning unit, category scale, default negative formula and averaging cap."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="performance_settings"
    )
    planning_unit = models.ForeignKey(
        Unit,
        verbose_name=_("planning unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its holders (and those of the units above it) run collection rounds."),
    )
    scale = models.ForeignKey(CategoryScale, null=True, blank=True, on_delete=models.SET_NULL)
    negative_formula = models.CharField(
        _("default formula for negative indicators"),
        max_length=4,
        choices=[(formulas.N1, "N1"), (formulas.N2, "N2")],
        default=formulas.N1,
    )
    averaging_cap = models.DecimalField(
        _("cap when averaging"),
        null=True,
        blank=True,
        max_digits=6,
        decimal_places=2,
        help_text=_("Empty: no cap (the default). 100 or 120 caps each value when averaging."),
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.agency_id}"
