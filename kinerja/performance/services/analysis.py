"""The analysis of a year per objective: the seven analyses of DOMAIN.md §2 in one structure."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from kinerja.core import actions, audit
from kinerja.core.actions import ActionOutput
from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance.models import Objective, ObjectiveAnalysis
from kinerja.performance.services import achievement

NARRATIVE_FIELDS = ("causes", "solutions", "supporting_programs", "efficiency_remarks")


@dataclass
class Section:
    objective: Objective
    rows: list
    summary: achievement.ObjectiveSummary | None
    narrative: ObjectiveAnalysis | None
    chart: str = ""
    history: list = field(default_factory=list)


def build(agency: Agency, year: int) -> list[Section]:
    results = achievement.compute(agency, Period(year))
    earlier = achievement.earlier_years(agency, year, 2)
    summaries = achievement.objective_summaries(agency, Period(year), results)
    narratives = {
        n.objective_id: n
        for n in ObjectiveAnalysis.objects.filter(objective__plan__agency=agency, year=year)
    }
    by_objective: dict[int, list] = {}
    for r in results:
        by_objective.setdefault(r.indicator.objective_id, []).append(r)
    sections = []
    objectives = Objective.objects.filter(plan__agency=agency, pk__in=by_objective).order_by(
        "order", "code"
    )
    for objective in objectives:
        rows = []
        for r in by_objective[objective.pk]:
            r.earlier = {y: earlier[y].get(r.indicator.pk) for y in earlier}
            r.earlier_values = {y: (e.result.value if e else None) for y, e in r.earlier.items()}
            rows.append(r)
        narrative = narratives.get(objective.pk)
        sections.append(
            Section(
                objective,
                rows,
                summaries.get(objective.pk),
                narrative,
                history=list(narrative.history.all()[:5]) if narrative else [],
            )
        )
    return sections


def save_narrative(
    objective: Objective, year: int, texts: dict[str, str], user=None, *, task_id: int | None = None
) -> ObjectiveAnalysis:
    """Save the narrative of an objective (history kept); finishes a bound "analyze" task."""
    found = _save(objective, year, texts, user)
    if task_id:
        agency = objective.plan.agency
        actions.done(
            "analyze",
            task_id,
            ActionOutput(
                f"Analisis {agency.code} {year}",
                url=f"/kinerja/{agency.code}/analisis/{year}/",
                object_type="performance.objectiveanalysis",
                object_id=str(found.pk),
            ),
            user_id=getattr(user, "pk", None),
        )
    return found


@transaction.atomic
def _save(objective: Objective, year: int, texts: dict[str, str], user) -> ObjectiveAnalysis:
    found = ObjectiveAnalysis.objects.filter(
        objective=objective, year=year
    ).first() or ObjectiveAnalysis(objective=objective, year=year)
    before = {name: getattr(found, name) for name in NARRATIVE_FIELDS}
    for name in NARRATIVE_FIELDS:
        setattr(found, name, texts.get(name, "").strip())
    found.updated_by = user if getattr(user, "is_authenticated", False) else None
    found.save()
    agency = objective.plan.agency
    audit.record(
        "performance.analysis.saved",
        actor=user,
        obj=found,
        agency_code=agency.code,
        summary=f"{objective.code} {year}",
        before=before,
        after={name: getattr(found, name) for name in NARRATIVE_FIELDS},
    )
    return found
