"""Meetings (seed 004): schedule with invitation, attendance list (Daftar Hadir), minutes.

A step bound to the action ``meeting`` schedules the meeting (its output is the invitation); a
later step whose output is the minutes (Notulensi) records who attended and the minutes, which
become that step's output. Services first, then the thin pages.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.cases import access, services
from kinerja.cases.forms import MeetingForm, MinutesForm
from kinerja.cases.models import Attendance, Meeting, Task
from kinerja.core import audit
from kinerja.organisation.models import Employee

MEETING_ACTION = "meeting"


def is_scheduling_step(task: Task) -> bool:
    return task.step.action == MEETING_ACTION


def is_minutes_step(task: Task) -> bool:
    return "notulen" in task.step.output.lower()


def meeting_of_case(task: Task) -> Meeting | None:
    return Meeting.objects.filter(task__case=task.case).order_by("-pk").first()


def schedule_meeting(
    task_id: int, user, *, starts_at: dt.datetime, place: str, agenda: str, invited: list[Employee]
) -> Meeting:
    with transaction.atomic():
        task = (
            Task.objects.select_for_update().select_related("case__agency", "step").get(pk=task_id)
        )
        allowed, _record = services.may_act(user, task)
        if not task.is_open or not allowed:
            raise PermissionDenied(_("Only the holder of this open task can schedule it."))
        meeting, _new = Meeting.objects.update_or_create(
            task=task,
            defaults={
                "starts_at": starts_at,
                "place": place,
                "agenda": agenda,
                "scheduled_by": user,
            },
        )
        meeting.invited.set(invited)
        for employee in invited:
            Attendance.objects.get_or_create(meeting=meeting, employee=employee)
        services._event(
            task.case,
            "meeting.scheduled",
            timezone.now(),
            task=task,
            actor=user,
            text=f"{starts_at:%Y-%m-%d %H:%M} · {place} · {agenda}",
        )
        audit.record(
            "case.meeting.scheduled",
            actor=user,
            obj=meeting,
            agency_code=task.case.agency.code,
            summary=agenda,
        )
    return meeting


def record_minutes(task_id: int, user, *, attended: list[int], minutes: str) -> Task:
    """Record attendance and the minutes, and complete the task with the minutes as output."""
    task = Task.objects.select_related("case", "step").get(pk=task_id)
    meeting = meeting_of_case(task)
    if meeting is None:
        raise services.CaseError(_("No meeting was scheduled in this case."))
    if not minutes.strip():
        raise services.CaseError(_("Write the minutes."))
    allowed, _record = services.may_act(user, task)
    if not allowed:
        raise PermissionDenied(_("Only the holder of this task can record the minutes."))
    with transaction.atomic():
        meeting.minutes = minutes.strip()
        meeting.save(update_fields=["minutes"])
        for row in meeting.attendance.all():
            row.attended = row.employee_id in attended
            row.save(update_fields=["attended"])
        present = meeting.attendance.filter(attended=True).count()
        note = _("Minutes (Notulensi), %(n)d present:\n%(m)s") % {"n": present, "m": minutes}
        return services.complete_task(task_id, user, note=note)


@login_required
def schedule(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    people = Employee.objects.filter(agency=task.case.agency).order_by("full_name")
    form = MeetingForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = data["starts_at"]
        if timezone.is_naive(starts_at):
            starts_at = starts_at.replace(tzinfo=task.case.agency.tzinfo)
        try:
            schedule_meeting(
                task.pk,
                request.user,
                starts_at=starts_at,
                place=data["place"],
                agenda=data["agenda"],
                invited=[p for p in people if str(p.pk) in data["invited"]],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Meeting scheduled; the invitation is ready to print."))
        return redirect("cases:task", task.pk)
    return render(request, "cases/meeting_form.html", {"task": task, "form": form})


@login_required
def minutes(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    meeting = meeting_of_case(task)
    people = [a.employee for a in meeting.attendance.select_related("employee")] if meeting else []
    form = MinutesForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            record_minutes(
                task.pk,
                request.user,
                attended=[int(i) for i in form.cleaned_data["attended"]],
                minutes=form.cleaned_data["minutes"],
            )
        except (services.CaseError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("cases:task", task.pk)
        messages.success(request, _("Minutes recorded; the task is complete."))
        return redirect("cases:case", task.case_id)
    return render(
        request, "cases/minutes_form.html", {"task": task, "form": form, "meeting": meeting}
    )


@login_required
def attendance_sheet(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    meeting = meeting_of_case(task)
    if meeting is None:
        messages.error(request, _("No meeting was scheduled in this case."))
        return redirect("cases:task", task.pk)
    return render(
        request,
        "cases/attendance_sheet.html",
        {
            "task": task,
            "meeting": meeting,
            "agency": task.case.agency,
            "rows": meeting.attendance.select_related("employee").order_by("employee__full_name"),
            "starts_at": meeting.starts_at.astimezone(task.case.agency.tzinfo),
        },
    )
