"""Planning edit pages for the Renstra's structure: goals (tujuan) and objectives (sasaran).

Only the agency's planning officials (``access.get_agency_for_planner``: 403 for others of the
agency, 404 for other agencies) reach them. Views parse with ``GoalForm`` and ``ObjectiveForm``
and change data only through ``services.planning.structure``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kinerja.organisation.models import Agency
from kinerja.performance import access
from kinerja.performance.forms.planning import GoalForm, ObjectiveForm
from kinerja.performance.models import Goal, Objective, StrategicPlan
from kinerja.performance.services.editing import PlanEditError
from kinerja.performance.services.planning import structure
from kinerja.performance.views.plan_edit import _entries, changes_of


def _edit(
    request: HttpRequest,
    agency: Agency,
    row: Goal | Objective,
    form_class: type[GoalForm] | type[ObjectiveForm],
    save: Callable[..., Goal | Objective],
    saved: str,
    title: str,
) -> HttpResponse:
    """The edit page of a goal or an objective: ``saved`` and ``title`` take the code."""
    shown_code = row.code
    form = form_class(request.POST or None, instance=row, plan=row.plan)
    if request.method == "POST" and form.is_valid():
        try:
            changed = save(row, form.values(), request.user)
        except PlanEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, saved % {"code": changed.code})
            return redirect("performance:plan", code=agency.code, pk=row.plan_id)
    return render(
        request,
        "performance/plan_structure_edit.html",
        {
            "agency": agency,
            "plan": row.plan,
            "form": form,
            "title": title % {"code": shown_code},
            "changes": changes_of(_entries(row)),
            "show_changes": True,
        },
    )


def _add(
    request: HttpRequest,
    agency: Agency,
    plan: StrategicPlan,
    form: GoalForm | ObjectiveForm,
    add: Callable[..., Goal | Objective],
    added: str,
    title: str,
) -> HttpResponse:
    """The page adding a goal or an objective to ``plan``: ``added`` takes the new code."""
    if request.method == "POST" and form.is_valid():
        try:
            row = add(plan, form.values(), request.user)
        except PlanEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, added % {"code": row.code})
            return redirect("performance:plan", code=agency.code, pk=plan.pk)
    return render(
        request,
        "performance/plan_structure_edit.html",
        {"agency": agency, "plan": plan, "form": form, "title": title},
    )


@login_required
def goal_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=pk, plan__agency=agency)
    return _edit(
        request,
        agency,
        goal,
        GoalForm,
        structure.save_goal,
        _("The goal %(code)s is saved."),
        _("Edit goal %(code)s"),
    )


@login_required
def goal_add(request: HttpRequest, code: str, plan_pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    plan = get_object_or_404(StrategicPlan, pk=plan_pk, agency=agency)
    form = GoalForm(request.POST or None, instance=Goal(plan=plan), plan=plan)
    return _add(
        request,
        agency,
        plan,
        form,
        structure.add_goal,
        _("The goal %(code)s is added."),
        _("New goal"),
    )


@login_required
def objective_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    objective = get_object_or_404(
        Objective.objects.select_related("plan__agency"), pk=pk, plan__agency=agency
    )
    return _edit(
        request,
        agency,
        objective,
        ObjectiveForm,
        structure.save_objective,
        _("The objective %(code)s is saved."),
        _("Edit objective %(code)s"),
    )


@login_required
def objective_add(request: HttpRequest, code: str, plan_pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    plan = get_object_or_404(
        StrategicPlan.objects.select_related("agency"), pk=plan_pk, agency=agency
    )
    form = ObjectiveForm(request.POST or None, instance=Objective(plan=plan), plan=plan)
    return _add(
        request,
        agency,
        plan,
        form,
        structure.add_objective,
        _("The objective %(code)s is added."),
        _("New objective"),
    )
