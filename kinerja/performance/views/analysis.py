"""The analysis page (step "Menganalisis dan mengevaluasi data", action "analyze")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kinerja.core import actions
from kinerja.core.charts.achievement import achievement_bars
from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance import access
from kinerja.performance.models import Objective
from kinerja.performance.services import achievement, analysis


@login_required
@require_safe
def analysis_start(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Where the action "analyze" lands from a task: the analysis page of the task's year."""
    agency = access.get_agency_by_id(request.user, agency_id)
    context = _analysis_task(request.user, request.GET.get("task", ""), agency)
    year = Period.parse(context.period).year
    url = reverse("performance:analysis", args=[agency.code, year])
    return redirect(f"{url}?task={context.task_id}")


def _analysis_task(user, task: str, agency, year: int | None = None) -> actions.ActionContext:
    """The "analyze" task the page works for, resolved by the engine (404 unless the user may
    complete it), of this agency and (when given) this year."""
    context = actions.resolve_task(task, user, "analyze")
    if context.agency_id != agency.pk:
        raise Http404
    if year is not None and Period.parse(context.period).year != year:
        raise Http404
    return context


def _inputs(request: HttpRequest, objectives) -> list[analysis.NarrativeInput]:
    """The narratives the form sent (an objective's fields come with the stamp they were shown
    with; a form that sends none, e.g. "finish anyway", changes no narrative)."""
    return [
        analysis.NarrativeInput(
            o,
            {f: request.POST.get(f"{f}-{o.pk}", "") for f in analysis.NARRATIVE_FIELDS},
            request.POST[f"seen-{o.pk}"],
        )
        for o in objectives
        if f"seen-{o.pk}" in request.POST
    ]


@login_required
@require_http_methods(["GET", "POST"])
def analysis_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The analysis of a year: every objective's figures, and one form for the narratives of all
    of them, so that nothing typed is lost. Saving never finishes the SOP step; "Finish the
    analysis" does, when every objective has its causes and solutions, or after a warning that
    names those still empty."""
    agency = access.get_agency_for_reader(request.user, code)
    context = _page_task(request, agency, year)
    may_write = context is not None or access.is_planner(request.user, agency)
    conflicts: dict[int, analysis.NarrativeInput] = {}
    empty: list[Objective] = []
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        conflicts = _save_narratives(request, agency, year)
        if not conflicts and request.POST.get("what") == "finish" and context is not None:
            finished, empty = _finish(request, agency, year, context)
            if finished:
                return redirect("performance:analysis", code=code, year=year)
        if not conflicts and not empty:
            url = reverse("performance:analysis", args=[code, year])
            return redirect(f"{url}?task={context.task_id}" if context else url)
    sections = _sections(agency, year, conflicts)
    return render(
        request,
        "performance/analysis.html",
        {
            "agency": agency,
            "year": year,
            "sections": sections,
            "planner": may_write,
            "context": context,
            "empty": empty,
            "missing": analysis.missing(agency, year) if context else [],
            "earlier": [year - 2, year - 1],
            "summary": achievement.summarize(agency, [r for s in sections for r in s.rows]),
        },
    )


def _page_task(request: HttpRequest, agency: Agency, year: int) -> actions.ActionContext | None:
    """The task the page works for, when the request names one (the form sends it back)."""
    task = request.POST.get("task") if request.method == "POST" else request.GET.get("task")
    return _analysis_task(request.user, task, agency, year) if task else None


def _save_narratives(
    request: HttpRequest, agency: Agency, year: int
) -> dict[int, analysis.NarrativeInput]:
    """Save the narratives the form sent; the ones changed meanwhile by somebody else are not
    saved and come back by objective id, to be shown again."""
    inputs = _inputs(request, analysis.objectives_of(agency, year))
    result = analysis.save_narratives(year, inputs, request.user)
    if result.saved:
        messages.success(
            request,
            _("The analysis was saved: %(codes)s.")
            % {"codes": ", ".join(o.code for o in result.saved)},
        )
    conflicts = {i.objective.pk: i for i in inputs if i.objective in result.conflicts}
    if conflicts:
        messages.error(
            request,
            _(
                "Not saved, changed by somebody else meanwhile: %(codes)s. Your text is kept "
                "in the form, what was saved is shown above it; check and save again."
            )
            % {"codes": ", ".join(i.objective.code for i in conflicts.values())},
        )
    return conflicts


def _finish(
    request: HttpRequest, agency: Agency, year: int, context: actions.ActionContext
) -> tuple[bool, list[Objective]]:
    """Finish the year's analysis (and the task of the SOP step); whether it finished, and the
    objectives still without causes and solutions when it did not."""
    done = analysis.finish(
        agency,
        year,
        request.user,
        case_id=context.case_id,
        force=request.POST.get("confirm") == "1",
    )
    if done.finished:
        messages.success(request, _("The analysis of the year is finished."))
        if done.task_id:
            messages.info(request, _("The task of the SOP step is completed."))
    return done.finished, done.missing


def _sections(
    agency: Agency, year: int, conflicts: dict[int, analysis.NarrativeInput]
) -> list[analysis.Section]:
    """The year's sections, each with its chart and the narrative texts to show: the ones the
    user sent where they conflicted, else the saved ones."""
    sections = analysis.build(agency, year)
    scale = achievement.scale_for(agency)
    for section in sections:
        section.chart = achievement_bars(
            [(r.indicator.code, r.result.value) for r in section.rows],
            f"{section.objective.code} {Period(year).label()}",
            scale,
        )
        mine = conflicts.get(section.objective.pk)
        section.seen = analysis.stamp(section.narrative)
        section.conflict = mine is not None
        section.texts = (
            mine.texts
            if mine
            else {
                f: getattr(section.narrative, f) if section.narrative else ""
                for f in analysis.NARRATIVE_FIELDS
            }
        )
    return sections
