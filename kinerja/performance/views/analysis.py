"""The analysis page (step "Menganalisis dan mengevaluasi data", action "analyze")."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kinerja.core.formats import format_number_id
from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance import access
from kinerja.performance.models import Objective
from kinerja.performance.services import achievement, analysis


def bar_chart(items: list[tuple[str, Decimal | None]], title: str) -> str:
    """A plain inline SVG bar chart of achievements with the 100% line; no JavaScript."""
    width, bar, gap, left = 520, 18, 6, 70
    top = 24
    values = [v for _label, v in items if v is not None]
    scale_max = max([Decimal(120), *values])
    height = top + len(items) * (bar + gap) + 10
    x100 = left + (width - left - 60) * float(100 / scale_max)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * (bar + gap)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{left}" y="{y + 13}" font-size="12" fill="#888">–</text>')
            continue
        w = max(0.0, (width - left - 60) * float(value / scale_max))
        color = "#2e7d32" if value > 90 else ("#f9a825" if value > 65 else "#c62828")
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color}"/>')
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{escape(format_number_id(value, 2))}</text>"
        )
    parts.append(
        f'<line x1="{x100:.1f}" y1="{top - 6}" x2="{x100:.1f}" y2="{height}" stroke="#333" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{x100 - 12:.1f}" y="{top - 10}" font-size="11">100</text></svg>'
    )
    return mark_safe("".join(parts))


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
    for section in sections:
        section.chart = bar_chart(
            [(r.indicator.code, r.result.value) for r in section.rows],
            f"{section.objective.code} {Period(year).label()}",
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
