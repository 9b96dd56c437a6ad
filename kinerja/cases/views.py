"""Pages of the cases app. Thin: fetch through ``access``, call a service, render."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kinerja.cases import access, services
from kinerja.cases.forms import (
    AnnotateForm,
    CompleteForm,
    DelegateForm,
    ReasonForm,
    StartCaseForm,
)
from kinerja.cases.models import Case, Notification, Task
from kinerja.cases.queries import NOTE_FIELDS, inbox_rows, load_rows, sop_sla
from kinerja.core import actions
from kinerja.core.actions import ActionContext
from kinerja.core.charts.workflow import gantt, sla_chart
from kinerja.core.downloads import file_response
from kinerja.organisation.access import agency_ids_of, employee_of
from kinerja.procedures.flowchart import draw_sheets
from kinerja.procedures.models import Sop, SopVersion

logger = logging.getLogger(__name__)


@login_required
@require_safe
def inbox(request):
    user = request.user
    scope = access.inbox_scope(user)
    employee = employee_of(user)
    mine = load_rows(inbox_rows(access.my_open_tasks(user)), employee)
    user._open_task_count = len(mine)  # the header's count: these very tasks (access.py)
    headed_tasks = access.tasks_of_headed_units(
        user, exclude_ids=[t.pk for t in mine], positions=scope.positions
    )
    headed = load_rows(inbox_rows(headed_tasks)[:200], employee)
    administered = scope.administered & scope.agency_ids
    unassigned = (
        load_rows(inbox_rows(access.unassigned_tasks(administered)), employee)
        if administered
        else []
    )
    open_cases = access.cases_visible_to(user, scope.agency_ids).filter(status=Case.Status.OPEN)
    cases = open_cases.values_list("pk", "title", "agency__code")[:50]
    notes = Notification.objects.filter(user=user).values_list(*NOTE_FIELDS)[:20]
    return render(
        request,
        "cases/inbox.html",
        {
            "mine": mine,
            "headed": headed,
            "unassigned": unassigned,
            "cases": cases,
            "notifications": notes,
            "now": timezone.now(),
        },
    )


def _startable_versions(user) -> list[SopVersion]:
    versions = SopVersion.objects.filter(
        status=SopVersion.Status.EFFECTIVE, sop__agency_id__in=agency_ids_of(user)
    ).select_related("sop__agency")
    return [v for v in versions if services.can_start(user, v)]


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    versions = _startable_versions(request.user)
    form = StartCaseForm(
        request.POST or None, versions=versions, initial={"sop": request.GET.get("sop")}
    )
    if request.method == "POST" and form.is_valid():
        version = next(v for v in versions if str(v.pk) == form.cleaned_data["sop"])
        try:
            case = services.start_case(version, form.cleaned_data["period"], request.user)
        except (services.CaseError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Case started: %(t)s") % {"t": case.title})
            return redirect("cases:case", case.pk)
    return render(request, "cases/start.html", {"form": form, "versions": versions})


FLOW_LANE_MM = 32.0
FLOW_ROW_MM = 16.0


def _flow_rows(case: Case):
    """The SOP's flowchart, one row per step with each step's state in this case.

    Each row carries its slice of the SOP document's drawing (procedures.flowchart), so the
    case page shows the same symbols and arrows as the printed SOP.
    """
    version = case.sop_version
    lanes = list(version.lanes.all())
    steps = list(version.ordered_steps())
    states: dict[int, str] = {}
    for task in case.tasks.all():
        if task.status in (Task.Status.OPEN, Task.Status.WAITING):
            states[task.step_id] = "current"
        elif task.status == Task.Status.DONE and states.get(task.step_id) != "current":
            states[task.step_id] = "done"
    sheet = draw_sheets(
        steps, lanes, max(1, len(steps)), FLOW_LANE_MM * max(1, len(lanes)), FLOW_ROW_MM
    )[0]
    rows = [
        {"step": step, "slice": sheet.slices[index], "state": states.get(step.pk, "")}
        for index, step in enumerate(steps)
    ]
    return lanes, rows


def _batches(tasks: list[Task]) -> list[dict]:
    """The tasks of each arrival at a step of an ``each`` lane, together: who has done it (and
    when) and who has not, latest arrival first."""
    groups: dict[object, list[Task]] = {}
    for task in tasks:
        if task.batch is not None:
            groups.setdefault(task.batch, []).append(task)
    rows = [
        {
            "step": group[0].step,
            "tasks": group,
            "done": sum(1 for t in group if t.status == Task.Status.DONE),
            "total": len(group),
            "arrived": group[0].created_at,
        }
        for group in groups.values()
    ]
    return sorted(rows, key=lambda row: row["arrived"], reverse=True)


@login_required
@require_safe
def case_detail(request, case_id: int):
    case = access.get_case_for_user(request.user, case_id)
    tasks = list(
        case.tasks.select_related(
            "step", "assignee", "delegated_to", "completed_as", "position", "team"
        ).prefetch_related("files", "joint_with")
    )
    lanes, rows = _flow_rows(case)
    now = timezone.now()
    chart = gantt(
        [(f"{t.step.number}", t.created_at, t.due_at, t.completed_at) for t in tasks], now
    )
    standard = sum(t.standard_minutes or 0 for t in tasks if t.status == Task.Status.DONE)
    actual = sum(t.actual_minutes or 0 for t in tasks if t.status == Task.Status.DONE)
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "tasks": tasks,
            "lanes": lanes,
            "rows": rows,
            "gantt": chart,
            "events": case.events.select_related("employee", "task__step"),
            "standard_hours": standard / 60,
            "actual_hours": actual / 60,
            "annotate_form": AnnotateForm(),
            "may_annotate": access.works_for_case(request.user, case),
            "batches": _batches(tasks),
            "cancel_form": ReasonForm(),
            "may_cancel": services.may_cancel(request.user, case),
            "sub_cases": Case.objects.filter(parent_task__case=case),
            "tz": case.agency.tzinfo,
        },
    )


def _action_link(task: Task, user) -> tuple[actions.Action | None, str]:
    if not task.step.action:
        return None, ""
    try:
        action = actions.get(task.step.action)
    except actions.UnknownAction:
        return None, ""
    context = ActionContext(
        task_id=task.pk,
        case_id=task.case_id,
        agency_id=task.case.agency_id,
        period=task.case.period,
        user_id=user.pk,
    )
    try:
        return action, action.start(context)
    except Exception:  # a provider's failure must not hide the task: it is done by hand then
        logger.exception("action %s failed to start for task %s", task.step.action, task.pk)
        return None, ""


def _siblings(task: Task) -> list[Task]:
    """The other tasks of the task's batch (an ``each`` lane's step), for the task page."""
    if task.batch is None:
        return []
    return list(
        Task.objects.filter(batch=task.batch)
        .exclude(pk=task.pk)
        .select_related("position", "assignee", "completed_as")
    )


@login_required
@require_safe
def task_detail(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    may, on_record = access.may_act(request.user, task) if task.is_open else (False, False)
    employee = employee_of(request.user)
    can_take = bool(
        task.is_open
        and task.assignee_id is None
        and employee
        and task.candidates.filter(pk=employee.pk).exists()
    )
    targets = (
        services.delegation_targets(request.user, task)
        if services.may_delegate(request.user, task)
        else []
    )
    # the action's page opens only for whoever may complete the task (core.actions.resolve_task)
    action, action_url = _action_link(task, request.user) if may else (None, "")
    earlier = (
        task.case.tasks.filter(status=Task.Status.DONE)
        .exclude(pk=task.pk)
        .select_related("step")
        .prefetch_related("files")
    )
    return render(
        request,
        "cases/task.html",
        {
            "task": task,
            "case": task.case,
            "version": task.case.sop_version,
            "may_complete": may,
            "on_record": on_record,
            "can_take": can_take,
            "complete_form": CompleteForm(),
            "delegate_form": DelegateForm(targets=targets),
            "targets": targets,
            "action": action,
            "action_url": action_url,
            "earlier": earlier,
            "now": timezone.now(),
            "tz": task.case.agency.tzinfo,
            "delegations": task.delegations.select_related("from_employee", "to_employee"),
            "joint_with": list(task.joint_with.all()),
            "siblings": _siblings(task),
            "unread": Notification.objects.filter(
                user=request.user, task=task, read_at__isnull=True
            ).exists(),
        },
    )


@login_required
@require_POST
def notifications_read(request):
    """The user's own notifications of a task are read: the task page posts this once it is
    shown (a GET changes nothing). Only the user's own rows are touched."""
    task_id = request.POST.get("task", "")
    if not task_id.isdigit():
        raise Http404
    Notification.objects.filter(
        user=request.user, task_id=int(task_id), read_at__isnull=True
    ).update(read_at=timezone.now())
    return HttpResponse(status=204)


@login_required
@require_POST
def task_complete(request, task_id: int):
    task = access.get_task_for_actor(request.user, task_id)  # 404, or 403 if not theirs
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("cases:task", task.pk)
    data = form.cleaned_data
    try:
        services.complete_task(
            task.pk,
            request.user,
            outcome=data["outcome"] or None,
            reason=data["reason"],
            note=data["note"],
            files=request.FILES.getlist("files"),
        )
    except services.TaskNotOpen as exc:
        messages.warning(request, str(exc))
    except (services.CaseError, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not complete this task."))
        return redirect("cases:task", task.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:task", task.pk)
    else:
        messages.success(request, _("Task completed."))
    return redirect("cases:case", task.case_id)


@login_required
@require_safe
def task_file(request, file_id: int):
    """An output file of a task, for whoever may see the task's case (others 404)."""
    output = access.get_task_file_for_user(request.user, file_id)
    return file_response(output.file, filename=output.name)


@login_required
@require_POST
def task_take(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    if not services.is_offered(request.user, task):
        raise PermissionDenied
    try:
        services.take(task.pk, request.user)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    return redirect("cases:task", task.pk)


@login_required
@require_POST
def task_delegate(request, task_id: int):
    task = access.get_task_for_user(request.user, task_id)
    if not services.may_delegate(request.user, task):
        raise PermissionDenied
    targets = services.delegation_targets(request.user, task)
    form = DelegateForm(request.POST, targets=targets)
    if form.is_valid():
        to = next(e for e in targets if str(e.pk) == form.cleaned_data["to"])
        try:
            services.delegate(task.pk, request.user, to, form.cleaned_data["instruction"])
        except services.CaseError as exc:  # PermissionDenied: 403
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Delegated to %(who)s.") % {"who": to})
    else:
        messages.error(request, _("Choose whom to delegate to."))
    return redirect("cases:task", task.pk)


@login_required
@require_POST
def case_cancel(request, case_id: int):
    case = access.get_case_for_user(request.user, case_id)
    if not services.may_cancel(request.user, case):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_case(case.pk, request.user, form.cleaned_data["reason"])
        except services.CaseError as exc:
            messages.error(request, str(exc))
    return redirect("cases:case", case.pk)


@login_required
@require_POST
def case_annotate(request, case_id: int):
    case = access.get_case_for_user(request.user, case_id)
    if not access.works_for_case(request.user, case):
        raise PermissionDenied
    form = AnnotateForm(request.POST)
    if form.is_valid():
        services.annotate(case.pk, request.user, form.cleaned_data["text"])
    return redirect("cases:case", case.pk)


@login_required
@require_safe
def sla(request, sop_id: int):
    sop = get_object_or_404(Sop.objects.select_related("agency"), pk=sop_id)
    if not request.user.is_superuser and sop.agency_id not in agency_ids_of(request.user):
        raise Http404
    stats = sop_sla(sop)
    return render(
        request,
        "cases/sla.html",
        {
            "sop": sop,
            "stats": stats,
            "chart": sla_chart(stats.steps),
        },
    )
