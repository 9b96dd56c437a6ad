"""The analysis page (step "Menganalisis dan mengevaluasi data", action "analyze")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance import access, charts
from kinerja.performance.models import Objective
from kinerja.performance.services import achievement, analysis


@login_required
def analysis_start(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id)
    access.get_agency_for_planner(request.user, agency.code)
    period = request.GET.get("period", "")
    year = period[:4] if period[:4].isdigit() else str(agency.today().year - 1)
    url = reverse("performance:analysis", args=[agency.code, int(year)])
    task = request.GET.get("task")
    return redirect(f"{url}?task={task}" if task else url)


@login_required
def analysis_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = access.get_agency_for_reader(request.user, code)
    planner = access.is_planner(request.user, agency)
    task = request.GET.get("task") or request.POST.get("task") or ""
    if request.method == "POST":
        agency = access.get_agency_for_planner(request.user, code)
        objective = get_object_or_404(
            Objective, pk=request.POST.get("objective"), plan__agency=agency
        )
        analysis.save_narrative(
            objective,
            year,
            {name: request.POST.get(name, "") for name in analysis.NARRATIVE_FIELDS},
            request.user,
            task_id=int(task) if task.isdigit() else None,
        )
        messages.success(request, _("The analysis was saved."))
        url = reverse("performance:analysis", args=[code, year])
        return redirect((f"{url}?task={task}" if task else url) + f"#objective-{objective.pk}")
    sections = analysis.build(agency, year)
    scale = achievement.scale_for(agency)
    for section in sections:
        section.chart = charts.achievement_bars(
            [(r.indicator.code, r.result.value) for r in section.rows],
            f"{section.objective.code} {Period(year).label()}",
            scale,
        )
    return render(
        request,
        "performance/analysis.html",
        {
            "agency": agency,
            "year": year,
            "sections": sections,
            "planner": planner,
            "task": task,
            "earlier": [year - 2, year - 1],
            "summary": achievement.summarize(agency, [r for s in sections for r in s.rows]),
        },
    )
