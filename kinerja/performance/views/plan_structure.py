"""Planning edit pages for the Renstra's structure: goals (tujuan) and objectives (sasaran).

Only the agency's planning officials (``access.get_agency_for_planner``: 403 for others of the
agency, 404 for other agencies) reach them. Views parse with ``GoalForm`` and ``ObjectiveForm``
and change data only through ``services.plan_structure``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kinerja.performance import access
from kinerja.performance.forms import GoalForm, ObjectiveForm
from kinerja.performance.models import Goal, Objective, StrategicPlan
from kinerja.performance.services import plan_structure
from kinerja.performance.services.plan_edit import PlanEditError
from kinerja.performance.views.plan_edit import _entries, changes_of


def _page(request: HttpRequest, context: dict) -> HttpResponse:
    return render(request, "performance/plan_structure_edit.html", context)


@login_required
def goal_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=pk, plan__agency=agency)
    shown_code = goal.code
    form = GoalForm(request.POST or None, instance=goal, plan=goal.plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = plan_structure.save_goal(goal, form.values(), request.user)
        except PlanEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The goal %(code)s is saved.") % {"code": saved.code})
            return redirect("performance:plan", code=agency.code, pk=goal.plan_id)
    return _page(
        request,
        {
            "agency": agency,
            "plan": goal.plan,
            "form": form,
            "title": _("Edit goal %(code)s") % {"code": shown_code},
            "changes": changes_of(_entries(goal)),
            "show_changes": True,
        },
    )


@login_required
def goal_add(request: HttpRequest, code: str, plan_pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    plan = get_object_or_404(StrategicPlan, pk=plan_pk, agency=agency)
    form = GoalForm(request.POST or None, instance=Goal(plan=plan), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            goal = plan_structure.add_goal(plan, form.values(), request.user)
        except PlanEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The goal %(code)s is added.") % {"code": goal.code})
            return redirect("performance:plan", code=agency.code, pk=plan.pk)
    return _page(request, {"agency": agency, "plan": plan, "form": form, "title": _("New goal")})


@login_required
def objective_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    objective = get_object_or_404(
        Objective.objects.select_related("plan__agency"), pk=pk, plan__agency=agency
    )
    shown_code = objective.code
    form = ObjectiveForm(request.POST or None, instance=objective, plan=objective.plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = plan_structure.save_objective(objective, form.values(), request.user)
        except PlanEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The objective %(code)s is saved.") % {"code": saved.code})
            return redirect("performance:plan", code=agency.code, pk=objective.plan_id)
    return _page(
        request,
        {
            "agency": agency,
            "plan": objective.plan,
            "form": form,
            "title": _("Edit objective %(code)s") % {"code": shown_code},
            "changes": changes_of(_entries(objective)),
            "show_changes": True,
        },
    )


@login_required
def objective_add(request: HttpRequest, code: str, plan_pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    plan = get_object_or_404(
        StrategicPlan.objects.select_related("agency"), pk=plan_pk, agency=agency
    )
    form = ObjectiveForm(request.POST or None, instance=Objective(plan=plan), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            objective = plan_structure.add_objective(plan, form.values(), request.user)
        except PlanEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The objective %(code)s is added.") % {"code": objective.code}
            )
            return redirect("performance:plan", code=agency.code, pk=plan.pk)
    return _page(
        request, {"agency": agency, "plan": plan, "form": form, "title": _("New objective")}
    )
