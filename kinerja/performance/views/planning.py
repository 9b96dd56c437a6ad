"""Plan, indicator and achievement pages (read), and the performance home of an agency."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from kinerja.core.models import AuditEntry
from kinerja.core.periods import Period, PeriodError
from kinerja.organisation.access import agencies_visible_to
from kinerja.performance import access
from kinerja.performance.models import (
    Achievement,
    Actual,
    CollectionRound,
    Indicator,
    PerformanceAgreement,
    StrategicPlan,
)
from kinerja.performance.services import achievement, budget
from kinerja.performance.views.plan_edit import changes_of


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    agencies = list(agencies_visible_to(request.user))
    my_forms = []
    for found in CollectionRound.objects.filter(agency__in=agencies).select_related("agency"):
        for unit in access.form_units_for(request.user, found):
            my_forms.append((found, unit))
    return render(request, "performance/index.html", {"agencies": agencies, "my_forms": my_forms})


@login_required
@require_safe
def agency_home(request: HttpRequest, code: str) -> HttpResponse:
    agency = access.get_agency_for_reader(request.user, code)
    plans = StrategicPlan.objects.filter(agency=agency)
    return render(
        request,
        "performance/agency.html",
        {
            "agency": agency,
            "plans": plans,
            "rounds": CollectionRound.objects.filter(agency=agency),
            "agreements": PerformanceAgreement.objects.filter(agency=agency),
            "agreement_years": sorted(
                set(
                    PerformanceAgreement.objects.filter(agency=agency).values_list(
                        "year", flat=True
                    )
                ),
                reverse=True,
            ),
            "planner": access.is_planner(request.user, agency),
            "years": sorted({y for p in plans for y in p.years}),
        },
    )


@login_required
@require_safe
def plan_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    agency = access.get_agency_for_reader(request.user, code)
    plan = get_object_or_404(StrategicPlan, agency=agency, pk=pk)
    objectives = plan.objectives.select_related("goal", "unit", "parent").prefetch_related(
        "indicators__targets", "indicators__unit"
    )
    return render(
        request,
        "performance/plan.html",
        {
            "agency": agency,
            "plan": plan,
            "objectives": objectives,
            "goals": plan.goals.all(),
            "years": list(plan.years),
            "planner": access.is_planner(request.user, agency),
        },
    )


@login_required
@require_safe
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("objective__plan__agency", "unit"), pk=pk
    )
    agency = access.get_agency_for_reader(request.user, indicator.objective.plan.agency.code)
    actuals = Actual.objects.filter(indicator=indicator).order_by("year", "quarter")
    years = sorted({a.year for a in actuals})
    results = []
    for year in years:
        for period in [Period(year, "quarter", q) for q in range(1, 5)] + [Period(year)]:
            (r,) = achievement.compute(agency, period, [indicator])
            results.append(r)
    return render(
        request,
        "performance/indicator.html",
        {
            "agency": agency,
            "indicator": indicator,
            "targets": indicator.targets.all(),
            "actuals": actuals,
            "results": results,
            "history": indicator.history.select_related("history_user__employee")[:20],
            "changes": changes_of(
                AuditEntry.objects.filter(
                    object_type=Indicator._meta.label_lower, object_id=str(indicator.pk)
                ).select_related("actor__employee")[:30]
            ),
            "planner": access.is_planner(request.user, agency),
            "end_target": achievement.plan_end_target(indicator),
        },
    )


@login_required
@require_safe
def achievement_page(request: HttpRequest, code: str, period: str) -> HttpResponse:
    agency = access.get_agency_for_reader(request.user, code)
    try:
        parsed = Period.parse(period)
    except PeriodError:
        raise Http404 from None
    results = achievement.compute(agency, parsed)
    stored = {
        a.indicator_id: a
        for a in Achievement.objects.filter(
            indicator__in=[r.indicator for r in results], period=parsed.code
        )
    }
    return render(
        request,
        "performance/achievement.html",
        {
            "agency": agency,
            "period": parsed,
            "results": results,
            "summary": achievement.summarize(agency, results),
            "budget": budget.for_agency(agency, parsed.year, parsed.quarters[-1]),
            "stored": stored,
        },
    )
