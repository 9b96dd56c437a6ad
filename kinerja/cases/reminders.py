"""Reminders: a task arrived, one working hour before it is due, overdue (holder and superior).

:func:`send_reminders` is idempotent: a :class:`Notification` row is unique per person, task and
kind, and an e-mail goes out once, when the row's ``emailed_at`` is still empty.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.cases.assignment import current_holder
from kinerja.cases.calendar import AgencyCalendar, working_minutes_between
from kinerja.cases.models import Notification, Task
from kinerja.cases.workcal import calendar_for
from kinerja.core.formats import format_datetime_id
from kinerja.core.mail import address_of, send_notice

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SUBJECTS: dict[str, StrOrPromise] = {
    Notification.Kind.ARRIVED: gettext_lazy("New task: %(task)s"),
    Notification.Kind.DUE_SOON: gettext_lazy("Due within one working hour: %(task)s"),
    Notification.Kind.OVERDUE: gettext_lazy("Overdue: %(task)s"),
    Notification.Kind.OVERDUE_SUPERIOR: gettext_lazy("Overdue at your subordinate: %(task)s"),
    Notification.Kind.UNASSIGNED: gettext_lazy("Nobody holds the position for: %(task)s"),
}


def _recipients(task: Task) -> list[int]:
    worker = task.worker
    if worker is not None:
        return [worker.user_id] if worker.user_id else []
    return [e.user_id for e in task.candidates.all() if e.user_id]


def _superior_users(task: Task, day: dt.date) -> list[int]:
    if task.position is None or task.position.superior is None:
        return []
    holding = current_holder(task.position.superior, day)
    return [holding.employee.user_id] if holding and holding.employee.user_id else []


def collect_due(now: dt.datetime | None = None) -> int:
    """Create the due-soon and overdue notifications that ``now`` calls for."""
    now = now or timezone.now()
    created = 0
    tasks = (
        Task.objects.filter(status=Task.Status.OPEN, due_at__isnull=False)
        .select_related(
            "case__agency__region", "position__superior", "assignee", "delegated_to", "step"
        )
        .prefetch_related("candidates")
    )
    calendars: dict[int, AgencyCalendar] = {}
    for task in tasks:
        agency = task.case.agency
        calendar = calendars.setdefault(agency.pk, calendar_for(agency))
        due = task.due_at
        if due is None:
            continue  # none, by the filter; says so to the type checker
        if now >= due:
            kinds = [
                (Notification.Kind.OVERDUE, _recipients(task)),
                (
                    Notification.Kind.OVERDUE_SUPERIOR,
                    _superior_users(task, now.astimezone(agency.tzinfo).date()),
                ),
            ]
        elif working_minutes_between(now, due, calendar) <= 60:
            kinds = [(Notification.Kind.DUE_SOON, _recipients(task))]
        else:
            continue
        for kind, users in kinds:
            for user_id in users:
                _, new = Notification.objects.get_or_create(user_id=user_id, task=task, kind=kind)
                created += new
    return created


def send_pending(now: dt.datetime | None = None) -> int:
    """E-mail every notification not yet e-mailed; mark it so it is never sent twice."""
    now = now or timezone.now()
    sent = 0
    pending = Notification.objects.filter(emailed_at__isnull=True).select_related(
        "user", "user__employee", "task__step", "task__case__agency"
    )
    for note in pending:
        claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue  # another run took it
        address = address_of(note.user)
        if not address:
            continue
        task = note.task
        label = f"{task.step.number}. {task.step.text}"
        agency = task.case.agency
        due = format_datetime_id(task.due_at.astimezone(agency.tzinfo)) if task.due_at else "-"
        send_notice(
            str(SUBJECTS[note.kind]) % {"task": label[:120]},
            [
                task.case.title,
                label,
                _("Due: %(due)s %(tz)s") % {"due": due, "tz": agency.time_zone_abbreviation},
                settings.SITE_URL + reverse("cases:task", args=[task.pk]),
            ],
            [address],
        )
        sent += 1
    return sent


def send_reminders(now: dt.datetime | None = None) -> tuple[int, int]:
    """What ``kinerja remind`` does: (notifications created, e-mails sent)."""
    from kinerja.cases.services import reassign_open_tasks

    reassign_open_tasks(now=now)
    created = collect_due(now)
    return created, send_pending(now)
