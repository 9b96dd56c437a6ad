"""SOP definitions (Permendagri 52/2011, PermenPAN-RB 35/2012; docs/domain.md §8) as data.

An :class:`Sop` is an office's procedure (number and name); each :class:`SopVersion` is one
edition of it: draft until the head of the agency approves it, then effective, then superseded by
the next approved version. A revision is a new version; old versions stay readable. A version's
:class:`Lane` (pelaksana columns) and :class:`Step` rows (uraian kegiatan) are written once, when
the version is imported from its YAML file, and never edited afterwards: the versions are the
history of the definition (the identity rows also keep django-simple-history).

Engine-facing API (the cases app builds on these, see README.md):

* ``Sop.objects.effective()``, ``sop.effective_version()``, ``sop.latest_version()``
* ``version.steps`` (ordered by number), ``version.lanes``, ``version.first_step()``,
  ``version.step(number)``, ``version.total_time()``
* ``step.next_steps()``, ``step.route(answer)``, ``step.duration``, ``step.is_terminal``
* ``lane.positions`` (a many-to-many of organisation ``Position``), ``lane.team``,
  ``lane.holders_on(day)``
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.organisation.models import Agency, Employee, Position, PositionHolding, Team
from kinerja.procedures.durations import Duration, Total, total

UNIT_CHOICES = [
    ("minute", _("minutes")),
    ("hour", _("hours")),
    ("clock_hour", _("clock hours")),
    ("working_day", _("working days")),
    ("calendar_day", _("calendar days")),
    ("week", _("weeks")),
    ("month", _("months")),
]


class SopQuerySet(models.QuerySet):
    def effective(self) -> SopQuerySet:
        """SOPs that have an effective version."""
        return self.filter(versions__status=SopVersion.Status.EFFECTIVE).distinct()

    def for_agency(self, agency: Agency) -> SopQuerySet:
        return self.filter(agency=agency)


class Sop(models.Model):
    """One procedure of an agency. Its content lives in its versions."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="sops"
    )
    key = models.SlugField(
        _("key"),
        max_length=100,
        help_text=_("Stable identifier within the agency; a revision file names the same key."),
    )
    number = models.CharField(
        _("SOP number"), max_length=120, blank=True, help_text=_("As printed; may be empty.")
    )
    name = models.CharField(_("name"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SopQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")
        ordering = ["agency", "number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="sop_key_unique_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("procedures:sop", args=[self.agency.code, self.pk])

    def effective_version(self) -> SopVersion | None:
        """The version in force, or None while the SOP has only drafts."""
        return self.versions.filter(status=SopVersion.Status.EFFECTIVE).first()

    def latest_version(self) -> SopVersion | None:
        return self.versions.order_by("-version").first()


class SopVersion(models.Model):
    """One edition of an SOP with its identity sheet; lanes and steps hang off it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        EFFECTIVE = "effective", _("Effective")
        SUPERSEDED = "superseded", _("Superseded")

    sop = models.ForeignKey(
        Sop, verbose_name=_("SOP"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Identity sheet, as printed.
    number = models.CharField(_("SOP number"), max_length=120, blank=True)
    name = models.CharField(_("name"), max_length=500)
    drafted_on = models.DateField(_("date drafted"), null=True, blank=True)
    revised_on = models.DateField(_("date revised"), null=True, blank=True)
    revision_text = models.CharField(
        _("revision as printed"),
        max_length=100,
        blank=True,
        help_text=_("What the sheet prints for Tanggal Revisi when it is not a date, e.g. “-”."),
    )
    effective_on = models.DateField(_("date effective"), null=True, blank=True)
    approver_position = models.ForeignKey(
        Position,
        verbose_name=_("approved by (position)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approver_position_text = models.CharField(
        _("Disahkan Oleh as printed"), max_length=255, blank=True
    )
    signer_preface = models.CharField(
        _("words above the signature"), max_length=100, blank=True, help_text=_("e.g. Mengetahui,")
    )
    signer_title = models.CharField(_("signer's title as printed"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=255, blank=True)
    signer_rank = models.CharField(_("signer's pangkat as printed"), max_length=100, blank=True)
    signer_nip = models.CharField(_("signer's NIP as printed"), max_length=40, blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    qualifications = models.JSONField(_("implementer qualifications"), default=list, blank=True)
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    warnings = models.JSONField(_("warning"), default=list, blank=True)
    records = models.JSONField(_("records kept"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source_yaml = models.TextField(_("YAML source"))
    # Workflow of the version itself.
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by (login)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SOP version")
        verbose_name_plural = _("SOP versions")
        ordering = ["sop", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "version"], name="sop_version_unique"),
            models.UniqueConstraint(
                fields=["sop"],
                condition=Q(status="effective"),
                name="sop_one_effective_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sop} (v{self.version})"

    @property
    def agency(self) -> Agency:
        return self.sop.agency

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def ordered_steps(self) -> models.QuerySet[Step]:
        return (
            self.steps.select_related("lane", "next_step", "yes_step", "no_step", "called_sop")
            .prefetch_related("with_lanes")
            .order_by("number")
        )

    def step(self, number: int) -> Step:
        return self.steps.get(number=number)

    def first_step(self) -> Step:
        """The step where the flow starts (the MULAI terminator, or the step that carries it)."""
        return self.steps.filter(starts=True).order_by("number").first() or self.steps.get(
            kind=Step.Kind.START
        )

    def total_time(self) -> Total:
        """The sum of every step's time standard, per unit (as SOPs print their total)."""
        return total([s.duration for s in self.steps.all() if s.duration is not None])


class RelatedSop(models.Model):
    """A Keterkaitan entry: a link when the related SOP is in the registry, its text always."""

    version = models.ForeignKey(
        SopVersion, on_delete=models.CASCADE, related_name="related_sops", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("as printed"), max_length=500)
    sop = models.ForeignKey(
        Sop,
        verbose_name=_("SOP in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="related_from",
    )

    class Meta:
        verbose_name = _("related SOP")
        verbose_name_plural = _("related SOPs")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.text


class Lane(models.Model):
    """A Pelaksana column: the printed name and the positions (or the team) it stands for."""

    version = models.ForeignKey(
        SopVersion, on_delete=models.CASCADE, related_name="lanes", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    key = models.CharField(_("key"), max_length=40, help_text=_("The lane's id in the YAML file."))
    name = models.CharField(_("name as printed"), max_length=255)
    positions = models.ManyToManyField(
        Position, verbose_name=_("positions"), blank=True, related_name="sop_lanes"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sop_lanes",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency of the positions"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Another agency of the same region whose positions this lane names."),
    )
    each = models.BooleanField(
        _("one task for each position"),
        default=False,
        help_text=_("Each position's holder gets a task of their own; the step waits for all."),
    )
    each_unit_kind = models.CharField(
        _("each unit of this kind"),
        max_length=20,
        blank=True,
        help_text=_("The file wrote the positions as the heads of every unit of this kind."),
    )

    class Meta:
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="lane_key_unique_in_version")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        """Several people may take its work: a team, several positions or a shared position."""
        if self.team_id:
            return True
        if self.each:
            return False
        positions = list(self.positions.all())
        return len(positions) != 1 or positions[0].shared

    def ordered_positions(self) -> list[Position]:
        """The lane's positions in the order the file names them (an ``each`` lane's tasks
        follow it)."""
        rows = Lane.positions.through.objects.filter(lane=self).select_related("position")
        return [row.position for row in rows.order_by("pk")]

    def holders_on(self, day: dt.date) -> models.QuerySet[Employee]:
        """The people who receive this lane's work on ``day``: the holders of its positions
        (definitive, Plt. or Plh.) or the members of its team."""
        if self.team is not None:
            return self.team.members.all()
        ids = PositionHolding.objects.active_on(day).filter(position__in=self.positions.all())
        return Employee.objects.filter(pk__in=ids.values("employee_id"))


class Step(models.Model):
    """One row of the flowchart sheet (uraian kegiatan) with its Mutu Baku."""

    class Kind(models.TextChoices):
        START = "start", _("Start (MULAI)")
        PROCESS = "process", _("Process")
        DECISION = "decision", _("Decision")
        END = "end", _("End (SELESAI)")

    version = models.ForeignKey(
        SopVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("version")
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("activity"))
    lane = models.ForeignKey(
        Lane, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="steps"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROCESS)
    starts = models.BooleanField(
        _("MULAI here"), default=False, help_text=_("The flow starts at this step.")
    )
    ends = models.BooleanField(
        _("SELESAI here"), default=False, help_text=_("The flow ends after this step.")
    )
    inputs = models.TextField(_("inputs (Kelengkapan)"), blank=True)
    time_text = models.CharField(_("time standard as printed"), max_length=60, blank=True)
    time_value = models.DecimalField(
        _("time standard"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    time_value_min = models.DecimalField(
        _("time standard, lower bound"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The smaller number of a range such as 1-2 hari; empty otherwise."),
    )
    time_unit = models.CharField(_("time unit"), max_length=15, choices=UNIT_CHOICES, blank=True)
    output = models.TextField(_("output"), blank=True)
    note = models.TextField(_("remark (Keterangan)"), blank=True)
    next_step = models.ForeignKey(
        "self",
        verbose_name=_("next step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    yes_step = models.ForeignKey(
        "self",
        verbose_name=_("step on Ya"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    no_step = models.ForeignKey(
        "self",
        verbose_name=_("step on Tidak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.CharField(
        _("decision question"), max_length=255, blank=True, help_text=_("e.g. Sesuai?")
    )
    action = models.CharField(_("action"), max_length=60, blank=True)
    records_minutes = models.BooleanField(
        _("records the meeting's minutes"),
        default=False,
        help_text=_("The task's page offers to record the attendance and the minutes (notulen)."),
    )
    with_lanes = models.ManyToManyField(
        Lane,
        verbose_name=_("done together with"),
        blank=True,
        related_name="joint_steps",
        help_text=_("Lanes that do the step with its own lane; their holders are told of it."),
    )
    called_sop_text = models.CharField(_("SOP it calls (as written)"), max_length=255, blank=True)
    called_sop = models.ForeignKey(
        Sop,
        verbose_name=_("SOP it calls"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="called_by_steps",
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="step_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def is_decision(self) -> bool:
        return self.kind == self.Kind.DECISION

    @property
    def is_terminal(self) -> bool:
        """The flow ends after this step."""
        return self.ends or self.kind == self.Kind.END

    @property
    def duration(self) -> Duration | None:
        if self.time_value is None or not self.time_unit:
            return None
        low = None if self.time_value_min is None else Decimal(self.time_value_min)
        return Duration(
            value=Decimal(self.time_value), unit=self.time_unit, text=self.time_text, low=low
        )

    def next_steps(self) -> list[Step]:
        """Where the flow may go after this step: [Ya, Tidak] for a decision, [next] for a
        process, [] at the end."""
        if self.is_decision:
            return [s for s in (self.yes_step, self.no_step) if s is not None]
        return [self.next_step] if self.next_step is not None else []

    def route(self, answer: bool | None = None) -> Step | None:
        """The next step; for a decision ``answer`` True follows Ya and False follows Tidak."""
        if self.is_decision:
            if answer is None:
                raise ValueError("a decision needs an answer")
            return self.yes_step if answer else self.no_step
        return self.next_step
