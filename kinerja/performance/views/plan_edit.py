"""Planning edit pages: indicators and targets, PK versions, Rencana Aksi and budget.

Only the agency's planning officials (``access.get_agency_for_planner``) reach the edit pages;
the PK page is readable by everyone of the agency. Views parse with the forms of
``performance.forms`` and change data only through ``services.planning`` and ``services.budget``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kinerja.core.models import AuditEntry
from kinerja.organisation.models import Agency
from kinerja.performance import access
from kinerja.performance.forms.action_plans import ActionPlanForm
from kinerja.performance.forms.agreements import AgreementForm, AmendForm, SignForm
from kinerja.performance.forms.budget import BudgetForm, BudgetLineForm
from kinerja.performance.forms.planning import IndicatorForm, RetireForm
from kinerja.performance.models import (
    ActionPlan,
    ActionPlanTarget,
    BudgetCeiling,
    Indicator,
    Objective,
    PerformanceAgreement,
    Program,
    Spending,
    SubActivity,
)
from kinerja.performance.services import achievement, budget, editing
from kinerja.performance.services.planning import action_plans, agreements, plans


def changes_of(entries: models.QuerySet[AuditEntry] | list[AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries as rows for ``_changes.html``: who, when, what, and each value's change."""
    rows = []
    for entry in entries:
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        fields = [
            (key, _show(before.get(key)), _show(after.get(key)))
            for key in list(dict.fromkeys([*before, *after]))
            if key not in ("version", "from_version")
        ]
        employee = getattr(entry.actor, "employee", None) if entry.actor else None
        rows.append(
            {
                "at": entry.at,
                "actor": employee.full_name if employee else (entry.actor or ""),
                "summary": entry.summary,
                "fields": fields,
            }
        )
    return rows


def _show(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value)
    return str(value)


def _entries(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor__employee")[:30]


# Indicators -------------------------------------------------------------------------------------


@login_required
def indicator_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    indicator = get_object_or_404(
        Indicator.objects.select_related("objective__plan", "lookup_table"),
        pk=pk,
        objective__plan__agency=agency,
    )
    years = list(indicator.objective.plan.years)
    form = IndicatorForm(request.POST or None, instance=indicator, agency=agency, years=years)
    if request.method == "POST" and form.is_valid():
        plans.save_indicator(
            indicator, form.values(), form.targets, request.user, lookup=form.lookup
        )
        messages.success(request, _("The indicator %(code)s is saved.") % {"code": indicator.code})
        return redirect("performance:indicator", pk=indicator.pk)
    return render(
        request,
        "performance/indicator_edit.html",
        {
            "agency": agency,
            "indicator": indicator,
            "objective": indicator.objective,
            "form": form,
            "changes": changes_of(_entries(indicator)),
            "retire_form": RetireForm() if indicator.retired_on is None else None,
        },
    )


@login_required
def indicator_add(request: HttpRequest, code: str, objective_pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    objective = get_object_or_404(
        Objective.objects.select_related("plan"), pk=objective_pk, plan__agency=agency
    )
    form = IndicatorForm(
        request.POST or None,
        instance=Indicator(objective=objective),
        agency=agency,
        years=list(objective.plan.years),
        adding=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator = plans.add_indicator(
                objective,
                form.cleaned_data["code"],
                form.values(),
                form.targets,
                request.user,
                lookup=form.lookup,
            )
        except editing.PlanEditError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request, _("The indicator %(code)s is added.") % {"code": indicator.code}
            )
            return redirect("performance:indicator", pk=indicator.pk)
    return render(
        request,
        "performance/indicator_edit.html",
        {"agency": agency, "objective": objective, "form": form, "changes": []},
    )


@login_required
@require_POST
def indicator_retire(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    indicator = get_object_or_404(Indicator, pk=pk, objective__plan__agency=agency)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            plans.retire_indicator(
                indicator,
                form.cleaned_data["retired_on"],
                form.cleaned_data["reason"],
                request.user,
            )
        except editing.PlanEditError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The indicator %(code)s is retired.") % {"code": indicator.code}
            )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
    return redirect("performance:indicator", pk=indicator.pk)


# Performance agreement (PK) ---------------------------------------------------------------------


def _versions(agency: Agency, year: int) -> list[PerformanceAgreement]:
    versions = list(
        PerformanceAgreement.objects.filter(agency=agency, year=year)
        .select_related("first_party")
        .order_by("version")
    )
    if not versions:
        return versions
    created: dict[int, Any] = {}
    for h in (
        PerformanceAgreement.history.filter(id__in=[v.pk for v in versions], history_type="+")
        .select_related("history_user__employee")
        .order_by("history_date")
    ):
        created.setdefault(h.id, h)
    for version in versions:
        first = created.get(version.pk)
        # shown by the page next to each version
        version.created_at = first.history_date if first else None  # type: ignore[attr-defined]
        user = first.history_user if first else None
        employee = getattr(user, "employee", None) if user else None
        version.created_by = employee.full_name if employee else (user or "")  # type: ignore[attr-defined]
    return versions


@login_required
@require_safe
def agreement_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = access.get_agency_for_reader(request.user, code)
    versions = _versions(agency, year)
    planner = access.is_planner(request.user, agency)
    if not versions and not planner:
        raise Http404
    by_number: dict[int | None, PerformanceAgreement] = {v.version: v for v in versions}
    shown = by_number.get(_int(request.GET.get("v"))) or (versions[-1] if versions else None)
    older, newer = _compared_versions(request, versions, by_number)
    differences = (
        agreements.compare_agreements(older, newer) if older and newer and older != newer else []
    )
    entries = AuditEntry.objects.filter(
        object_type=PerformanceAgreement._meta.label_lower,
        object_id__in=[str(v.pk) for v in versions],
    ).select_related("actor__employee")[:50]
    return render(
        request,
        "performance/agreement.html",
        {
            "agency": agency,
            "year": year,
            "versions": versions,
            "shown": shown,
            "rows": shown.indicators.select_related("indicator__objective") if shown else [],
            "programs": shown.programs.select_related("program") if shown else [],
            "older": older,
            "newer": newer,
            "differences": differences,
            "planner": planner,
            "can_amend": planner and (not versions or versions[-1].status == "signed"),
            "amend_form": AmendForm(),
            "sign_form": SignForm(),
            "changes": changes_of(entries),
        },
    )


def _compared_versions(
    request: HttpRequest,
    versions: list[PerformanceAgreement],
    by_number: dict[int | None, PerformanceAgreement],
) -> tuple[PerformanceAgreement | None, PerformanceAgreement | None]:
    """The two versions to compare: those asked for (``a`` and ``b``), else the last two."""
    older = by_number.get(_int(request.GET.get("a")))
    newer = by_number.get(_int(request.GET.get("b")))
    if (older is None or newer is None) and len(versions) > 1:
        older, newer = versions[-2], versions[-1]
    return older, newer


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def agreement_amend(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    form = AmendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the new PK version."))
        return redirect("performance:agreement", code=code, year=year)
    try:
        agreement = agreements.amend_agreement(
            agency, year, form.cleaned_data["reason"], request.user
        )
    except editing.PlanEditError as exc:
        messages.error(request, str(exc))
        return redirect("performance:agreement", code=code, year=year)
    messages.success(request, _("%(pk)s is made; edit it, then sign it.") % {"pk": agreement})
    return redirect("performance:agreement_edit", code=code, year=year, version=agreement.version)


def _agreement_for_planner(request, code: str, year: int, version: int):
    agency = access.get_agency_for_planner(request.user, code)
    agreement = get_object_or_404(
        PerformanceAgreement.objects.select_related("agency"),
        agency=agency,
        year=year,
        version=version,
    )
    return agency, agreement


@login_required
def agreement_edit(request: HttpRequest, code: str, year: int, version: int) -> HttpResponse:
    agency, agreement = _agreement_for_planner(request, code, year, version)
    if agreement.status != PerformanceAgreement.Status.DRAFT:
        messages.error(
            request,
            _("%(pk)s is signed and cannot change; make a PK Perubahan.") % {"pk": agreement},
        )
        return redirect("performance:agreement", code=code, year=year)
    chosen = set(agreement.indicators.values_list("indicator_id", flat=True))
    indicators = list(
        Indicator.objects.for_agency(agency)
        .filter(
            models.Q(pk__in=chosen)
            | models.Q(pk__in=Indicator.objects.active_in(year).values("pk"))
        )
        .select_related("objective", "lookup_table")
        .prefetch_related("lookup_table__entries")
        .distinct()
    )
    programs = list(Program.objects.filter(agency=agency))
    form = AgreementForm(
        request.POST or None, agreement=agreement, indicators=indicators, programs=programs
    )
    if request.method == "POST" and form.is_valid():
        header = {k: form.cleaned_data[k] for k in agreements.PK_HEADER}
        try:
            agreements.save_agreement(
                agreement, header, form.chosen_indicators, form.chosen_programs, request.user
            )
        except editing.PlanEditError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(pk)s is saved.") % {"pk": agreement})
        return redirect("performance:agreement", code=code, year=year)
    return render(
        request,
        "performance/agreement_edit.html",
        {"agency": agency, "agreement": agreement, "year": year, "form": form},
    )


@login_required
@require_POST
def agreement_sign(request: HttpRequest, code: str, year: int, version: int) -> HttpResponse:
    _agency, agreement = _agreement_for_planner(request, code, year, version)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the PK was signed."))
    else:
        try:
            agreements.sign_agreement(agreement, form.cleaned_data["signed_on"], request.user)
        except editing.PlanEditError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(pk)s is signed and final.") % {"pk": agreement})
    return redirect("performance:agreement", code=code, year=year)


# Rencana Aksi -----------------------------------------------------------------------------------


def _quarter_warnings(indicators: list[Indicator], values, targets: dict) -> dict[int, list]:
    """{indicator id: warnings} for the quarter targets in ``values`` against the year targets."""
    found = {}
    for indicator in indicators:
        if indicator.target_kind != Indicator.TargetKind.NUMBER:
            continue
        quarters = {q: v.get("value") for q, v in values.get(indicator.pk, {}).items()}
        target = targets.get(indicator.pk)
        warnings = action_plans.quarter_target_warnings(
            quarters, target.value if target else None, indicator.aggregation, indicator.polarity
        )
        if warnings:
            found[indicator.pk] = warnings
    return found


@login_required
def action_plan_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    indicators = list(
        Indicator.objects.for_agency(agency)
        .active_in(year)
        .select_related("objective", "lookup_table")
        .prefetch_related("lookup_table__entries")
    )
    if not indicators:
        raise Http404
    rows = ActionPlanTarget.objects.filter(action_plan__agency=agency, action_plan__year=year)
    existing = {(r.indicator_id, r.quarter): r for r in rows}
    targets = achievement.year_targets(agency, [i.pk for i in indicators], year)
    form = ActionPlanForm(request.POST or None, indicators=indicators, existing=existing)
    if request.method == "POST" and form.is_valid():
        result = action_plans.save_action_plan(agency, year, form.values, request.user)
        messages.success(
            request,
            _("Rencana Aksi %(year)d is saved (%(count)d quarter targets changed).")
            % {"year": year, "count": result.changed},
        )
        warned = _quarter_warnings(indicators, form.values, targets)
        for indicator in indicators:
            for warning in warned.get(indicator.pk, []):
                messages.warning(request, f"{indicator.code}: {warning.message}")
        return redirect("performance:action_plan_edit", code=code, year=year)
    current = {
        i.pk: {q: {"value": getattr(existing.get((i.pk, q)), "value", None)} for q in (1, 2, 3, 4)}
        for i in indicators
    }
    warnings = _quarter_warnings(indicators, current, targets)
    for indicator in indicators:
        indicator.year_target = targets.get(indicator.pk)
        indicator.warnings = warnings.get(indicator.pk, [])
    action_plan = ActionPlan.objects.filter(agency=agency, year=year).first()
    return render(
        request,
        "performance/action_plan_edit.html",
        {
            "agency": agency,
            "year": year,
            "form": form,
            "changes": changes_of(_entries(action_plan)) if action_plan else [],
        },
    )


# Budget -----------------------------------------------------------------------------------------


@login_required
def budget_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    subs = list(
        SubActivity.objects.filter(activity__program__agency=agency)
        .select_related("activity__program", "unit")
        .order_by("activity__program__code", "activity__code", "code")
    )
    ceilings = dict(
        BudgetCeiling.objects.filter(sub_activity__in=subs, year=year).values_list(
            "sub_activity_id", "amount"
        )
    )
    spending = {
        (s.sub_activity_id, s.quarter): s.amount
        for s in Spending.objects.filter(sub_activity__in=subs, year=year)
    }
    adding = request.method == "POST" and "add_line" in request.POST
    line_form = BudgetLineForm(request.POST if adding else None, agency=agency)
    if adding and line_form.is_valid():
        sub = budget.save_budget_line(agency, line_form.cleaned_data, request.user)
        messages.success(request, _("The budget line %(code)s is saved.") % {"code": sub.code})
        return redirect("performance:budget_edit", code=code, year=year)
    form = BudgetForm(
        request.POST if request.method == "POST" and not adding else None,
        subs=subs,
        ceilings=ceilings,
        spending=spending,
    )
    if request.method == "POST" and not adding and form.is_valid():
        try:
            changed = budget.save_budget(agency, year, form.values, request.user)
        except editing.PlanEditError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The budget %(year)d is saved (%(count)d amounts changed).")
                % {"year": year, "count": changed},
            )
            return redirect("performance:budget_edit", code=code, year=year)
    entries = AuditEntry.objects.filter(
        agency_code=agency.code,
        action__in=["performance.budget.changed", "performance.budget.line_saved"],
    ).select_related("actor__employee")[:30]
    return render(
        request,
        "performance/budget_edit.html",
        {
            "agency": agency,
            "year": year,
            "form": form,
            "budget": budget.for_agency(agency, year),
            "line_form": line_form,
            "changes": changes_of(entries),
        },
    )
