"""The analysis of a year per objective: the seven analyses of docs/domain.md §2 in one structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kinerja.core import actions, audit
from kinerja.core.actions import ActionOutput
from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance.models import Indicator, Objective, ObjectiveAnalysis
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
    # the page's form: the stamp of the narrative shown, whether the user's text conflicted with
    # a save made meanwhile, and the texts to show
    seen: str = ""
    conflict: bool = False
    texts: dict[str, str] = field(default_factory=dict)


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


# What the LKjIP prints for each objective (Bab III, "5. Penyebab keberhasilan/kegagalan dan
# alternatif solusi"): an objective's analysis is complete when both are written.
REQUIRED_FIELDS = ("causes", "solutions")


def stamp(narrative: ObjectiveAnalysis | None) -> str:
    """The version of a stored narrative a form was built from ("" when there is none yet)."""
    return narrative.updated_at.isoformat() if narrative is not None else ""


def is_complete(narrative: ObjectiveAnalysis | None) -> bool:
    return narrative is not None and all(getattr(narrative, f).strip() for f in REQUIRED_FIELDS)


@dataclass
class NarrativeInput:
    """What the form sent for one objective: its texts and the stamp of the version it showed."""

    objective: Objective
    texts: dict[str, str]
    seen: str = ""


@dataclass
class SaveResult:
    saved: list[Objective] = field(default_factory=list)
    # changed by somebody else since the form was shown, and changed in the form too: not
    # saved, so that neither text is lost; the form shows the user's text again
    conflicts: list[Objective] = field(default_factory=list)


def save_narratives(year: int, inputs: list[NarrativeInput], user: Any = None) -> SaveResult:
    """Save the narratives of several objectives of one year at once (one form for all), each
    with its history and audit entry. An objective whose texts did not change is left alone.
    Saving never finishes the SOP step: :func:`finish` does, explicitly."""
    result = SaveResult()
    with transaction.atomic():
        for item in inputs:
            current = (
                ObjectiveAnalysis.objects.select_for_update()
                .filter(objective=item.objective, year=year)
                .first()
            )
            stored = {f: getattr(current, f) if current else "" for f in NARRATIVE_FIELDS}
            typed = {f: item.texts.get(f, "").strip() for f in NARRATIVE_FIELDS}
            if typed == stored:
                continue
            if stamp(current) != item.seen:
                result.conflicts.append(item.objective)
                continue
            _save(item.objective, year, typed, user)
            result.saved.append(item.objective)
    return result


def save_narrative(
    objective: Objective, year: int, texts: dict[str, str], user: Any = None
) -> ObjectiveAnalysis:
    """Save the narrative of one objective (history kept). It does not finish the SOP step."""
    return _save(objective, year, texts, user)


def objectives_of(agency: Agency, year: int) -> list[Objective]:
    """The objectives the analysis of the year covers: those of the indicators active in it (the
    sections of the analysis page and of the LKjIP's Bab III)."""
    ids = Indicator.objects.for_agency(agency).active_in(year).values_list("objective_id")
    return list(Objective.objects.filter(plan__agency=agency, pk__in=ids).order_by("order", "code"))


def missing(agency: Agency, year: int) -> list[Objective]:
    """The objectives of the year whose causes or solutions are still empty."""
    objectives = objectives_of(agency, year)
    narratives = {
        n.objective_id: n
        for n in ObjectiveAnalysis.objects.filter(objective__in=objectives, year=year)
    }
    return [o for o in objectives if not is_complete(narratives.get(o.pk))]


@dataclass
class FinishResult:
    missing: list[Objective]
    finished: bool  # the analysis was declared finished (and the step reported to the engine)
    task_id: int | None = None  # the task the engine completed, if any


def finish(
    agency: Agency, year: int, user: Any, *, case_id: int | None, force: bool = False
) -> FinishResult:
    """Declare the analysis of the year finished and report the action "analyze" for the case
    ``case_id`` (resolved by the caller through ``core.actions.resolve_task``).

    Only when every objective has its causes and solutions, or with ``force`` after the planner
    was shown which are empty; finishing with empty objectives is recorded with their codes."""
    empty = missing(agency, year)
    if empty and not force:
        return FinishResult(empty, False)
    audit.record(
        "performance.analysis.finished",
        actor=user,
        obj=agency,
        agency_code=agency.code,
        summary=f"{agency.code} {year}",
        after={"year": year, "case": case_id, "empty": [o.code for o in empty]},
    )
    task_id = actions.done(
        "analyze",
        agency_id=agency.pk,
        case_id=case_id,
        user=user,
        output=ActionOutput(
            f"Analisis {agency.code} {year}",
            url=f"/kinerja/{agency.code}/analisis/{year}/",
            object_type="organisation.agency",
            object_id=str(agency.pk),
        ),
    )
    return FinishResult(empty, True, task_id)


@transaction.atomic
def _save(objective: Objective, year: int, texts: dict[str, str], user: Any) -> ObjectiveAnalysis:
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
