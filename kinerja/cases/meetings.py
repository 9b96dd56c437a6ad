"""Meetings (seed 004): schedule with invitation, attendance list (Daftar Hadir), minutes.

A step bound to the action ``meeting`` (:data:`ACTION`, registered by this layer) schedules the
meeting (its output is the invitation); a later step marked ``records_minutes`` in its SOP file
records who attended and the minutes (Notulensi), typed or uploaded as a PDF/DOCX file, which become
that step's output. The invitation's letter number comes
from the agency's letter register, which the documents layer keeps and offers through
``kinerja.core.hooks.letter_issuer`` (this layer never imports it). Services first, then the thin
pages.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kinerja.cases import access, services
from kinerja.cases.forms import InvitationNumberForm, MeetingForm, MinutesForm
from kinerja.cases.models import Attendance, Meeting, Task
from kinerja.core import actions, audit, hooks
from kinerja.core.uploads import validate_upload
from kinerja.organisation.models import Employee

MEETING_ACTION = "meeting"
# Permendagri 83/2022: 005 is Undangan (invitations); the official may choose another code.
INVITATION_CLASSIFICATION = "005"
MINUTES_FILE_TYPES = ("pdf", "docx")


def _schedule_start(context: actions.ActionContext) -> str:
    return actions.work_url("cases:meeting", context, context.task_id)


#: The action ``meeting``: the page where the task's holder schedules the meeting. Scheduling does
#: not complete the task: its holder completes it by hand once the invitation is out.
ACTION = actions.Action(
    MEETING_ACTION,
    gettext_lazy("Schedule the meeting"),
    _schedule_start,
    gettext_lazy("Schedules the meeting; complete the task by hand once the invitation is out."),
)


def is_scheduling_step(task: Task) -> bool:
    return task.step.action == MEETING_ACTION


def is_minutes_step(task: Task) -> bool:
    """The step records the meeting's attendance and minutes (``records_minutes`` in its SOP)."""
    return task.step.records_minutes


def meeting_of_case(task: Task) -> Meeting | None:
    return Meeting.objects.filter(task__case=task.case).order_by("-pk").first()


def schedule_meeting(
    task_id: int, user, *, starts_at: dt.datetime, place: str, agenda: str, invited: list[Employee]
) -> Meeting:
    with transaction.atomic():
        task = (
            Task.objects.select_for_update().select_related("case__agency", "step").get(pk=task_id)
        )
        allowed, _record = access.may_act(user, task)
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


def may_number_invitation(user, meeting: Meeting) -> bool:
    """Who scheduled the meeting, or whoever may act on its task, while the case runs."""
    if meeting.task.case.is_closed or hooks.letter_issuer() is None:
        return False
    if meeting.scheduled_by_id is not None and meeting.scheduled_by_id == user.pk:
        return True
    return access.may_act(user, meeting.task)[0]


def number_invitation(meeting_id: int, user, *, classification: str = "") -> Meeting:
    """Give the meeting's invitation the next number of the agency's letter register."""
    issue = hooks.letter_issuer()
    if issue is None:
        raise services.CaseError(_("No letter register is available."))
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .select_related("task__case__agency", "task__step")
            .get(pk=meeting_id)
        )
        if meeting.letter_number:
            raise services.CaseError(
                _("The invitation already has the number %(n)s.") % {"n": meeting.letter_number}
            )
        if not may_number_invitation(user, meeting):
            raise PermissionDenied(_("Only who schedules the meeting can number its invitation."))
        case = meeting.task.case
        meeting.letter_number = issue(
            case.agency_id,
            classification=classification.strip() or INVITATION_CLASSIFICATION,
            actor=user,
            subject=_("Invitation: %(agenda)s") % {"agenda": meeting.agenda[:200]},
            task_id=meeting.task_id,
        )
        meeting.save(update_fields=["letter_number"])
        services._event(
            case,
            "meeting.numbered",
            timezone.now(),
            task=meeting.task,
            actor=user,
            text=meeting.letter_number,
        )
        audit.record(
            "case.meeting.numbered",
            actor=user,
            obj=meeting,
            agency_code=case.agency.code,
            summary=meeting.letter_number,
            after={"letter_number": meeting.letter_number},
        )
    return meeting


def record_minutes(
    task_id: int,
    user,
    *,
    attended: list[int],
    minutes: str = "",
    upload: UploadedFile | None = None,
) -> Task:
    """Record attendance and the minutes (typed, or a PDF/DOCX file, or both) and complete the
    task with them as its output; the file is kept as the task's output file."""
    task = Task.objects.select_related("case", "step").get(pk=task_id)
    meeting = meeting_of_case(task)
    if meeting is None:
        raise services.CaseError(_("No meeting was scheduled in this case."))
    if not minutes.strip() and upload is None:
        raise services.CaseError(_("Write the minutes or upload them as a file."))
    if upload is not None:
        try:
            validate_upload(upload, MINUTES_FILE_TYPES)
        except ValidationError as exc:
            raise services.CaseError(
                _("Minutes file: %(e)s") % {"e": " ".join(exc.messages)}
            ) from None
    allowed, _record = access.may_act(user, task)
    if not allowed:
        raise PermissionDenied(_("Only the holder of this task can record the minutes."))
    with transaction.atomic():
        for row in meeting.attendance.all():
            row.attended = row.employee_id in attended
            row.save(update_fields=["attended"])
        present = meeting.attendance.filter(attended=True).count()
        text = minutes.strip() or (upload.name if upload is not None else "")
        note = _("Minutes (Notulensi), %(n)d present:\n%(m)s") % {"n": present, "m": text}
        done = services.complete_task(
            task_id, user, note=note, files=[upload] if upload is not None else []
        )
        meeting.minutes = minutes.strip()
        fields = ["minutes"]
        if upload is not None:
            meeting.minutes_file.name = done.files.latest("pk").file.name
            fields.append("minutes_file")
        meeting.save(update_fields=fields)
        return done


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request, task_id: int):
    task = access.get_task_for_actor(request.user, task_id)  # 404, or 403 if not theirs
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
            return redirect("cases:attendance", task.pk)
        return redirect("cases:task", task.pk)
    return render(request, "cases/meeting_form.html", {"task": task, "form": form})


@login_required
@require_POST
def invitation_number(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    meeting = meeting_of_case(task)
    if meeting is not None and not (
        meeting.scheduled_by_id == request.user.pk or access.may_act(request.user, meeting.task)[0]
    ):
        raise PermissionDenied
    form = InvitationNumberForm(request.POST)
    if meeting is None or not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("cases:attendance", task.pk)
    try:
        meeting = number_invitation(
            meeting.pk, request.user, classification=form.cleaned_data["classification"]
        )
    except (services.CaseError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation has the number %(n)s.") % {"n": meeting.letter_number}
        )
    return redirect("cases:attendance", task.pk)


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request, task_id: int):
    task = access.get_task_for_actor(request.user, task_id)  # 404, or 403 if not theirs
    meeting = meeting_of_case(task)
    people = [a.employee for a in meeting.attendance.select_related("employee")] if meeting else []
    form = MinutesForm(request.POST or None, request.FILES or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            record_minutes(
                task.pk,
                request.user,
                attended=[int(i) for i in form.cleaned_data["attended"]],
                minutes=form.cleaned_data["minutes"],
                upload=form.cleaned_data["file"],
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
@require_safe
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
            "may_number": not meeting.letter_number
            and may_number_invitation(request.user, meeting),
            "number_form": InvitationNumberForm(
                initial={"classification": INVITATION_CLASSIFICATION}
            ),
            "agency": task.case.agency,
            "rows": meeting.attendance.select_related("employee").order_by("employee__full_name"),
            "starts_at": meeting.starts_at.astimezone(task.case.agency.tzinfo),
        },
    )
