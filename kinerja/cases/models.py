"""Running an SOP: cases, their tasks, the history of what happened, reminders, calendar data.

A :class:`Case` is one run of an effective SOP version for an agency and a period; it keeps that
version even when the SOP is revised later. Each step the flow reaches becomes a :class:`Task` for
the official holding the step's position on the day the task is created. Every state change is a
service in :mod:`kinerja.cases.services` and leaves a :class:`CaseEvent` (and an audit entry).
Nothing is deleted: a case is cancelled with a reason, a finished case is only annotated.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency, Employee, Position, Region, Team
from kinerja.procedures.models import SopVersion, Step


@functools.cache
def _url_prefix(name: str) -> str:
    """``/kasus/tugas/`` for ``cases:task``: lists print many links, reverse() once."""
    return reverse(name, args=[0])[: -len("0/")]


class NeverDeleted(Exception):
    pass


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.OPEN)

    def finished(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.FINISHED)

    def delete(self):  # pragma: no cover - a guard
        raise NeverDeleted("cases are cancelled, never deleted")


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="cases"
    )
    sop_version = models.ForeignKey(
        SopVersion, verbose_name=_("SOP version"), on_delete=models.PROTECT, related_name="cases"
    )
    period = models.CharField(_("period"), max_length=10)
    title = models.CharField(_("title"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    parent_task = models.OneToOneField(
        "Task",
        verbose_name=_("called from task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_case",
    )
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.title

    def delete(self, *args, **kwargs):
        raise NeverDeleted("cases are cancelled, never deleted")

    def get_absolute_url(self) -> str:  # noqa: DJ012 - next to delete() on purpose
        return _url_prefix("cases:case") + f"{self.pk}/"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.OPEN


class TaskQuerySet(models.QuerySet):
    def open(self) -> TaskQuerySet:
        return self.filter(status__in=(Task.Status.OPEN, Task.Status.WAITING))

    def for_employee(self, employee: Employee) -> TaskQuerySet:
        """Tasks the employee must act on: assigned, delegated to them, or offered to them.

        No join on the offers (a subquery instead), so no DISTINCT: the inbox stays an index scan.
        """
        offered = Task.candidates.through.objects.filter(employee=employee).values("task_id")
        return self.filter(
            Q(delegated_to=employee)
            | Q(assignee=employee, delegated_to__isnull=True)
            | Q(assignee__isnull=True, pk__in=offered)
        )


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for a sub-case")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        YES = "ya", _("Yes (Ya)")
        NO = "tidak", _("No (Tidak)")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="tasks"
    )
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="tasks"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # Who receives it, resolved on creation (decision 10): the position and its holder.
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT
    )
    assignee = models.ForeignKey(
        Employee,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    holding_kind = models.CharField(_("held as"), max_length=10, blank=True)
    shared = models.BooleanField(_("offered to several people"), default=False)
    candidates = models.ManyToManyField(
        Employee, verbose_name=_("offered to"), blank=True, related_name="offered_tasks"
    )
    delegated_to = models.ForeignKey(
        Employee,
        verbose_name=_("delegated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegated_tasks",
    )
    # A step of an ``each`` lane gives one task per position: the tasks of one arrival share a
    # batch, and the case moves on when the whole batch is done.
    batch = models.UUIDField(_("batch of parallel tasks"), null=True, blank=True, db_index=True)
    # A joint step (``with``): the holders of the other lanes, told of it, no task of their own.
    joint_with = models.ManyToManyField(
        Employee, verbose_name=_("together with"), blank=True, related_name="joint_tasks"
    )
    # Time.
    created_at = models.DateTimeField(_("arrived"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    standard_minutes = models.FloatField(_("standard (working minutes)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    actual_minutes = models.FloatField(_("actual (working minutes)"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_as = models.ForeignKey(
        Employee,
        verbose_name=_("completed by (official)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_record = models.BooleanField(_("completed by an administrator on record"), default=False)
    # Outcome and output.
    outcome = models.CharField(_("decision"), max_length=5, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("output note"), blank=True)
    action_output = models.JSONField(_("output of the action"), null=True, blank=True)
    # A task that came back after a Tidak shows why.
    returned_from = models.ForeignKey(
        "self",
        verbose_name=_("sent back by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("reason it was sent back"), blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["delegated_to", "status"]),
            models.Index(fields=["position", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.step.number}. {self.step.text}"

    def delete(self, *args, **kwargs):
        raise NeverDeleted("tasks are part of a case's history")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_absolute_url(self) -> str:  # noqa: DJ012
        return _url_prefix("cases:task") + f"{self.pk}/"

    @property
    def is_decision(self) -> bool:
        return self.step.is_decision

    @property
    def worker(self) -> Employee | None:
        """Who does the work now: the official it was delegated to, else the holder."""
        return self.delegated_to or self.assignee


def task_upload_to(instance: TaskFile, filename: str) -> str:
    return f"cases/{instance.task.case_id}/{instance.task_id}/{filename}"


class TaskFile(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to=task_upload_to, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("output file")
        verbose_name_plural = _("output files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """A disposisi: the holder hands the task to a subordinate with an instruction. Kept."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="delegations")
    from_employee = models.ForeignKey(
        Employee,
        verbose_name=pgettext_lazy("disposition sender", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_employee = models.ForeignKey(
        Employee, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.TextField(_("instruction"), blank=True)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("delegation (disposisi)")
        verbose_name_plural = _("delegations (disposisi)")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_employee} → {self.to_employee}"


EVENT_LABELS = {
    "case.started": _("Case started"),
    "case.finished": _("Case finished"),
    "case.cancelled": _("Case cancelled"),
    "case.annotated": _("Remark"),
    "task.created": _("Task arrived"),
    "task.returned": _("Sent back"),
    "task.unassigned": _("Nobody holds the position"),
    "task.taken": _("Task taken"),
    "task.delegated": _("Disposisi"),
    "task.completed": _("Task completed"),
    "task.decided": _("Decision"),
    "task.reassigned": _("Holder changed"),
    "subcase.started": _("Sub-case started"),
    "subcase.finished": _("Sub-case finished"),
    "meeting.scheduled": _("Meeting scheduled"),
    "meeting.numbered": _("Invitation numbered"),
}


class CaseEvent(models.Model):
    """One line of a case's history: who, when, what, outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=40)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=5, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))

    def delete(self, *args, **kwargs):
        raise NeverDeleted("history is never deleted")


class Notification(models.Model):
    """A reminder for one person about one task; unique per kind, so it is sent only once."""

    class Kind(models.TextChoices):
        ARRIVED = "arrived", _("A task arrived")
        DUE_SOON = "due_soon", _("Due within one working hour")
        OVERDUE = "overdue", _("Overdue")
        OVERDUE_SUPERIOR = "overdue_sup", _("Overdue at a subordinate")
        UNASSIGNED = "unassigned", _("Nobody holds the position")
        JOINT = "joint", _("A step you do together arrived")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task", "kind"], name="notification_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.task}"


class CalendarOverride(models.Model):
    """An administrator's change to the holiday list of a region (the SKB gets revised)."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Day off (added)")
        WORKING_DAY = "work", _("Working day (holiday removed)")

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["region", "day"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="calendar_override_once")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.day} {self.get_kind_display()}"


class AgencyWorkingHours(models.Model):
    """An agency's own working hours, when they differ from 07:30-16:00 Monday-Friday."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="working_hours", verbose_name=_("agency")
    )
    start = models.TimeField(_("opens"))
    end = models.TimeField(_("closes"))
    weekdays = models.CharField(
        _("working weekdays"), max_length=13, default="0,1,2,3,4", help_text=_("0 = Monday")
    )

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self) -> str:
        return f"{self.agency}: {self.start:%H:%M}-{self.end:%H:%M}"


class Meeting(models.Model):
    """A meeting step (seed 004): schedule, invitation, attendance, minutes as the output."""

    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="meeting")
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=255)
    agenda = models.TextField(_("agenda"))
    invited = models.ManyToManyField(Employee, verbose_name=_("invited"), related_name="+")
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    minutes = models.TextField(_("minutes (Notulensi)"), blank=True)
    minutes_file = models.FileField(
        _("minutes file"), upload_to="cases/meetings/", blank=True, max_length=300
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.agenda[:60]} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "employee"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {'hadir' if self.attended else '-'}"
