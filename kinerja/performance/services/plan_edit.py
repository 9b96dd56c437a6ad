"""Editing the plan in pages: indicators and their targets, PK versions, Rencana Aksi, budget.

Each function is one state change: it checks its precondition, writes in one transaction (rows that
two planners may edit at once are locked first), keeps the models' own history (simple-history,
with the acting user) and records one audit entry with the before and after values. Forms parse
and check the input; these functions never trust a view to have checked the state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.formats import format_number_id
from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.models import (
    ActionPlan,
    ActionPlanTarget,
    Activity,
    AgreementIndicator,
    AgreementProgram,
    BudgetCeiling,
    Indicator,
    LookupEntry,
    LookupTable,
    Objective,
    PerformanceAgreement,
    Program,
    Spending,
    SubActivity,
    Target,
)
from kinerja.performance.services import budget

INDICATOR_FIELDS = (
    "name",
    "unit_of_measure",
    "polarity",
    "formula",
    "aggregation",
    "target_kind",
    "decimals",
    "is_percentage",
    "max_value",
    "allows_negative",
    "definition",
    "data_source",
    "is_key",
    "baseline_year",
    "baseline",
    "end_target",
    "national_standard",
    "national_standard_source",
    "unit",
)
TARGET_FIELDS = ("value", "upper", "text")


class PlanEditError(Exception):
    """A precondition of an edit does not hold (e.g. the PK version is signed)."""


def _plain(value: Any) -> Any:
    """A value as JSON for the audit entry: numbers as text, model rows by their key."""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else str(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _by(obj: models.Model, user) -> models.Model:
    """Put the acting user on the history row the next save or delete writes (also outside a
    request)."""
    if getattr(user, "is_authenticated", False):
        obj._history_user = user  # type: ignore[attr-defined]
    return obj


def _save(obj: models.Model, user) -> None:
    _by(obj, user).save()


def _delete(obj: models.Model, user) -> None:
    _by(obj, user).delete()


def _target_value(values: Mapping[str, Any], name: str) -> Any:
    """A target field of ``values``; a missing one is empty (no text, no number)."""
    return values.get(name, "" if name == "text" else None)


def _set_target(row: Any, values: Mapping[str, Any]) -> None:
    for name in TARGET_FIELDS:
        setattr(row, name, _target_value(values, name))


def _same_target(row: Any, values: Mapping[str, Any]) -> bool:
    return all(
        _plain(getattr(row, name)) == _plain(_target_value(values, name)) for name in TARGET_FIELDS
    )


def _next_order(rows: models.QuerySet) -> int:
    """The order of a row added after ``rows``."""
    return (rows.aggregate(top=models.Max("order"))["top"] or 0) + 1


def _shown_target(row: Any) -> str:
    """A stored target row (Target, AgreementIndicator, ActionPlanTarget) as one text."""
    return _target_text(_snapshot(row, TARGET_FIELDS))


def _target_text(values: Mapping[str, Any] | None) -> str:
    if not values:
        return ""
    if values.get("text"):
        return str(values["text"])
    low, high = values.get("value"), values.get("upper")
    if low is None:
        return ""
    shown = format_number_id(low, _places(Decimal(low)))
    if high is not None:
        shown += "–" + format_number_id(high, _places(Decimal(high)))
    return shown


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# Indicators -------------------------------------------------------------------------------------


@dataclass
class LookupSpec:
    """The entries of an indicator's lookup table (docs/domain.md §5.4), in order."""

    mode: str
    entries: list[tuple[str, Decimal]]


def _write_lookup(indicator: Indicator, spec: LookupSpec, agency: Agency) -> None:
    table = indicator.lookup_table
    if table is not None and table.agency_id != agency.pk:
        same = [(e.label, e.score) for e in table.entries.all()] == spec.entries
        if same and table.mode == spec.mode:
            return  # a shared table left as it is
        table = None  # never change another agency's or a shared table: copy it
    if table is None:
        table = LookupTable.objects.create(
            agency=agency, name=f"{indicator.code} {indicator.name}"[:120], mode=spec.mode
        )
        indicator.lookup_table = table
    elif table.mode != spec.mode:
        table.mode = spec.mode
        table.save(update_fields=["mode"])
    current = [(e.label, e.score) for e in table.entries.all()]
    if current != spec.entries:
        table.entries.all().delete()
        LookupEntry.objects.bulk_create(
            LookupEntry(table=table, label=label, score=score, order=order)
            for order, (label, score) in enumerate(spec.entries)
        )


def _lookup_state(indicator: Indicator) -> dict[str, Any] | None:
    if indicator.lookup_table_id is None:
        return None
    table = indicator.lookup_table
    return {
        "mode": table.mode,
        "entries": [[e.label, _plain(e.score)] for e in table.entries.all()],
    }


def save_indicator(
    indicator: Indicator,
    values: Mapping[str, Any],
    targets: Mapping[int, Mapping[str, Any]],
    user,
    lookup: LookupSpec | None = None,
) -> Indicator:
    """Change an indicator's definition and its yearly targets (empty target: row removed)."""
    agency = indicator.objective.plan.agency
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        before = _snapshot(locked, INDICATOR_FIELDS)
        before["lookup"] = _lookup_state(locked)
        for name in INDICATOR_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        if locked.target_kind == Indicator.TargetKind.LOOKUP and lookup is not None:
            _write_lookup(locked, lookup, agency)
        _save(locked, user)
        after = _snapshot(locked, INDICATOR_FIELDS)
        after["lookup"] = _lookup_state(locked)
        target_before, target_after = _write_targets(locked, targets, user)
        before["targets"], after["targets"] = target_before, target_after
        old, new = _changes(before, after)
        if new:
            audit.record(
                "performance.indicator.changed",
                actor=user,
                obj=locked,
                agency_code=agency.code,
                summary=_("%(code)s changed: %(fields)s")
                % {"code": locked.code, "fields": ", ".join(sorted(new))},
                before=old,
                after=new,
            )
    return locked


def _write_targets(
    indicator: Indicator, targets: Mapping[int, Mapping[str, Any]], user
) -> tuple[dict[str, str], dict[str, str]]:
    existing = {t.year: t for t in Target.objects.filter(indicator=indicator)}
    before = {str(y): _shown_target(t) for y, t in existing.items()}
    for year, values in targets.items():
        row = existing.get(year)
        empty = values.get("value") is None and not values.get("text")
        if empty:
            if row is not None:
                _delete(row, user)
            continue
        if row is None:
            row = Target(indicator=indicator, year=year)
        elif _same_target(row, values):
            continue
        _set_target(row, values)
        _save(row, user)
    now = Target.objects.filter(indicator=indicator)
    after = {str(t.year): _shown_target(t) for t in now}
    return before, after


def add_indicator(
    objective: Objective,
    code: str,
    values: Mapping[str, Any],
    targets: Mapping[int, Mapping[str, Any]],
    user,
    lookup: LookupSpec | None = None,
) -> Indicator:
    """Add an indicator to an objective, with its targets."""
    agency = objective.plan.agency
    with transaction.atomic():
        if Indicator.objects.filter(objective=objective, code=code).exists():
            raise PlanEditError(
                _("The objective already has an indicator %(code)s.") % {"code": code}
            )
        order = _next_order(objective.indicators.all())
        indicator = Indicator(objective=objective, code=code, order=order)
        for name in INDICATOR_FIELDS:
            if name in values:
                setattr(indicator, name, values[name])
        if indicator.target_kind == Indicator.TargetKind.LOOKUP and lookup is not None:
            _write_lookup(indicator, lookup, agency)
        _save(indicator, user)
        _before, written = _write_targets(indicator, targets, user)
        after = _snapshot(indicator, INDICATOR_FIELDS)
        after["targets"] = written
        audit.record(
            "performance.indicator.added",
            actor=user,
            obj=indicator,
            agency_code=agency.code,
            summary=_("%(code)s added to objective %(objective)s")
            % {"code": code, "objective": objective.code},
            after=after,
        )
    return indicator


def retire_indicator(indicator: Indicator, on: dt.date, reason: str, user) -> Indicator:
    """Retire an indicator from ``on``: earlier rounds keep it, later ones leave it out.

    An indicator is never deleted here: its targets, actuals and achievements stay.
    """
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if locked.retired_on is not None:
            raise PlanEditError(_("The indicator is already retired."))
        locked.retired_on = on
        _save(locked, user)
        audit.record(
            "performance.indicator.retired",
            actor=user,
            obj=locked,
            agency_code=locked.objective.plan.agency.code,
            summary=_("%(code)s retired from %(date)s: %(reason)s")
            % {"code": locked.code, "date": on.isoformat(), "reason": reason},
            before={"retired_on": None},
            after={"retired_on": on.isoformat(), "reason": reason},
        )
    return locked


# Performance agreement (PK) ---------------------------------------------------------------------

PK_HEADER = ("first_party", "second_party", "second_party_title", "reason")


def _agreement_state(agreement: PerformanceAgreement) -> dict[str, Any]:
    state = _snapshot(agreement, PK_HEADER)
    state["indicators"] = {
        row.indicator.code: _shown_target(row)
        for row in agreement.indicators.select_related("indicator")
    }
    state["programs"] = {
        row.program.code: _plain(row.budget) for row in agreement.programs.select_related("program")
    }
    return state


def save_agreement(
    agreement: PerformanceAgreement,
    header: Mapping[str, Any],
    indicators: Mapping[int, Mapping[str, Any]],
    programs: Mapping[int, Mapping[str, Any]],
    user,
) -> PerformanceAgreement:
    """Replace a draft PK version's parties, indicator targets and program budgets.

    ``indicators`` and ``programs`` hold only the chosen rows, keyed by indicator or program id.
    A signed version never changes: make a PK Perubahan instead.
    """
    with transaction.atomic():
        locked = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != PerformanceAgreement.Status.DRAFT:
            raise PlanEditError(
                _("%(pk)s is signed and cannot change; make a PK Perubahan.") % {"pk": locked}
            )
        before = _agreement_state(locked)
        for name in PK_HEADER:
            if name in header:
                setattr(locked, name, header[name])
        _save(locked, user)
        current = {row.indicator_id: row for row in locked.indicators.all()}
        for indicator_id, row in current.items():
            if indicator_id not in indicators:
                row.delete()
        for indicator_id, values in indicators.items():
            row = current.get(indicator_id) or AgreementIndicator(
                agreement=locked, indicator_id=indicator_id
            )
            if row.pk and _same_target(row, values):
                continue
            _set_target(row, values)
            row.save()
        current_programs = {row.program_id: row for row in locked.programs.all()}
        for program_id, row in current_programs.items():
            if program_id not in programs:
                row.delete()
        for program_id, values in programs.items():
            row = current_programs.get(program_id) or AgreementProgram(
                agreement=locked, program_id=program_id
            )
            row.budget = values["budget"]
            row.note = values.get("note", "")
            row.save()
        old, new = _changes(before, _agreement_state(locked))
        if new:
            audit.record(
                "performance.agreement.changed",
                actor=user,
                obj=locked,
                agency_code=locked.agency.code,
                summary=_("%(pk)s changed: %(fields)s")
                % {"pk": locked, "fields": ", ".join(sorted(new))},
                before=old,
                after=new,
            )
    return locked


def amend_agreement(agency: Agency, year: int, reason: str, user) -> PerformanceAgreement:
    """Make the next PK version of the year as a draft copied from the latest one.

    With no PK yet, version 1 is made from the Renstra targets of the year and the budget of the
    agency's programs. Only one draft exists at a time; earlier versions are never touched.
    """
    try:
        return _amend(agency, year, reason, user)
    except IntegrityError:
        # two planners made the first version at the same moment: the other one won
        raise PlanEditError(
            _("Another version of this PK was just made; reload the page.")
        ) from None


def _amend(agency: Agency, year: int, reason: str, user) -> PerformanceAgreement:
    with transaction.atomic():
        versions = list(
            PerformanceAgreement.objects.select_for_update()
            .filter(agency=agency, year=year)
            .order_by("-version")
        )
        latest = versions[0] if versions else None
        if latest is not None and latest.status == PerformanceAgreement.Status.DRAFT:
            raise PlanEditError(
                _("%(pk)s is still a draft: edit it instead of making a new version.")
                % {"pk": latest}
            )
        if latest is None:
            head = agency.positions.filter(unit__isnull=True, is_head=True).first()
            if head is None:
                raise PlanEditError(_("The agency has no head position to sign the PK."))
            agreement = PerformanceAgreement(agency=agency, year=year, version=1, first_party=head)
        else:
            agreement = PerformanceAgreement(
                agency=agency,
                year=year,
                version=latest.version + 1,
                first_party=latest.first_party,
                second_party=latest.second_party,
                second_party_title=latest.second_party_title,
            )
        agreement.reason = reason
        _save(agreement, user)
        if latest is None:
            _fill_from_plan(agreement)
        else:
            AgreementIndicator.objects.bulk_create(
                AgreementIndicator(
                    agreement=agreement,
                    indicator_id=row.indicator_id,
                    value=row.value,
                    upper=row.upper,
                    text=row.text,
                )
                for row in latest.indicators.all()
            )
            AgreementProgram.objects.bulk_create(
                AgreementProgram(
                    agreement=agreement, program_id=row.program_id, budget=row.budget, note=row.note
                )
                for row in latest.programs.all()
            )
        audit.record(
            "performance.agreement.created",
            actor=user,
            obj=agreement,
            agency_code=agency.code,
            summary=_("%(pk)s created: %(reason)s") % {"pk": agreement, "reason": reason},
            after={"version": agreement.version, "from_version": latest and latest.version},
        )
    return agreement


def _fill_from_plan(agreement: PerformanceAgreement) -> None:
    indicators = (
        Indicator.objects.for_agency(agreement.agency).active_in(agreement.year).filter(is_key=True)
    )
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(indicator__in=indicators, year=agreement.year)
    }
    AgreementIndicator.objects.bulk_create(
        AgreementIndicator(
            agreement=agreement,
            indicator_id=indicator_id,
            value=t.value,
            upper=t.upper,
            text=t.text,
        )
        for indicator_id, t in targets.items()
    )
    # each program's pagu of the year, from the one budget service the reports use
    AgreementProgram.objects.bulk_create(
        AgreementProgram(agreement=agreement, program=line.program, budget=line.amounts.ceiling)
        for line in budget.for_agency(agreement.agency, agreement.year).programs
        if line.amounts.ceiling
    )


def sign_agreement(
    agreement: PerformanceAgreement, signed_on: dt.date, user
) -> PerformanceAgreement:
    """Record that a draft PK version was signed on ``signed_on``; from then on it is final."""
    with transaction.atomic():
        locked = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != PerformanceAgreement.Status.DRAFT:
            raise PlanEditError(_("%(pk)s is already signed.") % {"pk": locked})
        if not locked.indicators.exists():
            raise PlanEditError(_("Choose at least one indicator before signing the PK."))
        locked.status = PerformanceAgreement.Status.SIGNED
        locked.signed_on = signed_on
        _save(locked, user)
        audit.record(
            "performance.agreement.signed",
            actor=user,
            obj=locked,
            agency_code=locked.agency.code,
            summary=_("%(pk)s signed on %(date)s") % {"pk": locked, "date": signed_on.isoformat()},
            before={"status": "draft"},
            after={"status": "signed", "signed_on": signed_on.isoformat()},
        )
    return locked


@dataclass
class Difference:
    """One row that differs between two PK versions (empty text: not in that version)."""

    kind: str  # "indicator" or "program"
    code: str
    name: str
    before: str
    after: str


def compare_agreements(
    older: PerformanceAgreement, newer: PerformanceAgreement
) -> list[Difference]:
    """The indicator targets and program budgets that differ between two versions."""
    found: list[Difference] = []
    rows_a = {r.indicator_id: r for r in older.indicators.select_related("indicator")}
    rows_b = {r.indicator_id: r for r in newer.indicators.select_related("indicator")}
    for key in sorted(
        rows_a.keys() | rows_b.keys(), key=lambda k: (rows_b.get(k) or rows_a[k]).indicator.code
    ):
        a, b = rows_a.get(key), rows_b.get(key)
        text_a = _shown_target(a) if a else ""
        text_b = _shown_target(b) if b else ""
        if a is None or b is None or not _same_target(a, _snapshot(b, TARGET_FIELDS)):
            indicator = (b or a).indicator
            found.append(Difference("indicator", indicator.code, indicator.name, text_a, text_b))
    prog_a = {r.program_id: r for r in older.programs.select_related("program")}
    prog_b = {r.program_id: r for r in newer.programs.select_related("program")}
    for key in sorted(
        prog_a.keys() | prog_b.keys(), key=lambda k: (prog_b.get(k) or prog_a[k]).program.code
    ):
        a, b = prog_a.get(key), prog_b.get(key)
        if a is None or b is None or a.budget != b.budget:
            program = (b or a).program
            found.append(
                Difference(
                    "program",
                    program.code,
                    program.name,
                    format_number_id(a.budget, 2) if a else "",
                    format_number_id(b.budget, 2) if b else "",
                )
            )
    return found


# Rencana Aksi -----------------------------------------------------------------------------------


@dataclass
class QuarterWarning:
    quarter: int
    message: str


def quarter_target_warnings(
    quarters: Mapping[int, Decimal | None],
    year_target: Decimal | None,
    aggregation: str,
    polarity: str = formulas.POSITIVE,
) -> list[QuarterWarning]:
    """Where the targets up to each quarter (s.d. triwulan) disagree with the year target (docs/domain.md §5.6).

    The target up to Tw IV is the year's target for every aggregation type (the year's actual is
    the aggregate up to Tw IV). A cumulative indicator's targets up to a quarter add up, so they
    never go down from one quarter to the next when higher is better (nor up when lower is).
    Quarters without a number are skipped.
    """
    found: list[QuarterWarning] = []
    q4 = quarters.get(4)
    if year_target is not None and q4 is not None and q4 != year_target:
        found.append(
            QuarterWarning(
                4,
                _("The target up to TW IV (%(q4)s) differs from the year target (%(year)s).")
                % {"q4": _target_text({"value": q4}), "year": _target_text({"value": year_target})},
            )
        )
    if aggregation == formulas.CUMULATIVE:
        previous: tuple[int, Decimal] | None = None
        for quarter in (1, 2, 3, 4):
            value = quarters.get(quarter)
            if value is None:
                continue
            if previous is not None:
                down = value < previous[1] if polarity == formulas.POSITIVE else False
                if down:
                    found.append(
                        QuarterWarning(
                            quarter,
                            _(
                                "A cumulative target cannot fall: TW %(quarter)d (%(value)s) is "
                                "below TW %(previous)d (%(before)s)."
                            )
                            % {
                                "quarter": quarter,
                                "value": _target_text({"value": value}),
                                "previous": previous[0],
                                "before": _target_text({"value": previous[1]}),
                            },
                        )
                    )
            previous = (quarter, value)
        if year_target is not None:
            for quarter in (1, 2, 3):
                value = quarters.get(quarter)
                if value is not None and polarity == formulas.POSITIVE and value > year_target:
                    found.append(
                        QuarterWarning(
                            quarter,
                            _(
                                "A cumulative target up to TW %(quarter)d (%(value)s) is above "
                                "the year target (%(year)s)."
                            )
                            % {
                                "quarter": quarter,
                                "value": _target_text({"value": value}),
                                "year": _target_text({"value": year_target}),
                            },
                        )
                    )
    return found


@dataclass
class ActionPlanResult:
    action_plan: ActionPlan
    changed: int = 0
    warnings: dict[int, list[QuarterWarning]] = field(default_factory=dict)


def _quarter_state(row: ActionPlanTarget) -> dict[str, str]:
    return {"target": _shown_target(row), "activities": row.activities}


def save_action_plan(
    agency: Agency,
    year: int,
    rows: Mapping[int, Mapping[int, Mapping[str, Any]]],
    user,
) -> ActionPlanResult:
    """Write the quarterly targets and activities: ``rows[indicator_id][quarter]`` holds
    value, upper, text and activities. An empty quarter (no target, no activity) is removed."""
    with transaction.atomic():
        action_plan, created = ActionPlan.objects.select_for_update().get_or_create(
            agency=agency,
            year=year,
            defaults={"created_by": user if getattr(user, "is_authenticated", False) else None},
        )
        existing = {
            (r.indicator_id, r.quarter): r
            for r in ActionPlanTarget.objects.filter(action_plan=action_plan)
        }
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        result = ActionPlanResult(action_plan)
        codes = dict(Indicator.objects.filter(pk__in=list(rows)).values_list("pk", "code"))
        for indicator_id, quarters in rows.items():
            for quarter, values in quarters.items():
                key = f"{codes[indicator_id]} TW {quarter}"
                row = existing.get((indicator_id, quarter))
                empty = (
                    values.get("value") is None
                    and not values.get("text")
                    and not values.get("activities")
                )
                old = _quarter_state(row) if row else None
                if empty:
                    if row is not None:
                        _delete(row, user)
                        before[key], after[key] = old, None
                        result.changed += 1
                    continue
                if row is None:
                    row = ActionPlanTarget(
                        action_plan=action_plan, indicator_id=indicator_id, quarter=quarter
                    )
                elif _same_target(row, values) and row.activities == values.get("activities", ""):
                    continue
                _set_target(row, values)
                row.activities = values.get("activities", "")
                _save(row, user)
                before[key] = old
                after[key] = _quarter_state(row)
                result.changed += 1
        if after or created:
            audit.record(
                "performance.action_plan.changed",
                actor=user,
                obj=action_plan,
                agency_code=agency.code,
                summary=_("Rencana Aksi %(year)d: %(count)d quarter targets changed")
                % {"year": year, "count": result.changed},
                before=before,
                after=after,
            )
    return result


# Budget -----------------------------------------------------------------------------------------


def save_budget(
    agency: Agency,
    year: int,
    rows: Mapping[int, Mapping[str, Any]],
    user,
) -> int:
    """Write the pagu and the quarterly spending of sub-activities for a year.

    ``rows[sub_activity_id]`` holds ``ceiling`` (None: no pagu) and ``spending`` {quarter: amount
    or None}. Amounts are never negative and a year's spending never exceeds its pagu; the form
    says so per row, and this function refuses as well. Returns the number of changed amounts.
    """
    changed = 0
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    with transaction.atomic():
        subs = {
            s.pk: s
            for s in SubActivity.objects.select_for_update(of=("self",)).filter(
                pk__in=list(rows), activity__program__agency=agency
            )
        }
        if set(subs) != set(rows):
            raise PlanEditError(_("A budget line does not belong to this agency."))
        ceilings = {
            c.sub_activity_id: c
            for c in BudgetCeiling.objects.filter(sub_activity_id__in=list(rows), year=year)
        }
        spent = {
            (s.sub_activity_id, s.quarter): s
            for s in Spending.objects.filter(sub_activity_id__in=list(rows), year=year)
        }
        for sub_id, values in rows.items():
            sub = subs[sub_id]
            ceiling = values.get("ceiling")
            spending = values.get("spending", {})
            total = sum((a for a in spending.values() if a is not None), Decimal(0))
            amounts = [ceiling, *spending.values()]
            if any(a is not None and a < 0 for a in amounts):
                raise PlanEditError(_("%(line)s: amounts cannot be negative.") % {"line": sub.code})
            if total and (ceiling is None or total > ceiling):
                raise PlanEditError(
                    _("%(line)s: the spending is above the ceiling.") % {"line": sub.code}
                )
            changed += _set_amount(
                ceilings.get(sub_id),
                ceiling,
                lambda sub=sub: BudgetCeiling(sub_activity=sub, year=year),
                (f"{sub.code} pagu", before, after),
                user,
            )
            for quarter, amount in spending.items():
                changed += _set_amount(
                    spent.get((sub_id, quarter)),
                    amount,
                    lambda sub=sub, quarter=quarter: Spending(
                        sub_activity=sub, year=year, quarter=quarter
                    ),
                    (f"{sub.code} TW {quarter}", before, after),
                    user,
                )
        if changed:
            audit.record(
                "performance.budget.changed",
                actor=user,
                obj=agency,
                agency_code=agency.code,
                summary=_("Budget %(year)d: %(count)d amounts changed")
                % {"year": year, "count": changed},
                before=before,
                after=after,
            )
    return changed


def _set_amount(row, amount: Decimal | None, make, change: tuple, user) -> int:
    """Write one amount row (None: remove it); note the change; 1 when something changed."""
    key, before, after = change
    if amount is None:
        if row is None:
            return 0
        before[key], after[key] = _plain(row.amount), None
        _delete(row, user)
        return 1
    if row is not None and row.amount == amount:
        return 0
    before[key] = _plain(row.amount) if row else None
    row = row or make()
    row.amount = amount
    _save(row, user)
    after[key] = _plain(amount)
    return 1


def save_budget_line(agency: Agency, values: Mapping[str, Any], user) -> SubActivity:
    """Add or rename a program, activity and sub-activity found by their codes."""
    with transaction.atomic():
        program = Program.objects.filter(agency=agency, code=values["program_code"]).first()
        program = program or Program(agency=agency, code=values["program_code"])
        before = {"program": program.name if program.pk else None}
        program.name = values["program_name"]
        if values.get("objective") is not None or program.pk is None:
            program.objective = values.get("objective")
        _save(program, user)
        activity = Activity.objects.filter(program=program, code=values["activity_code"]).first()
        activity = activity or Activity(program=program, code=values["activity_code"])
        before["activity"] = activity.name if activity.pk else None
        activity.name = values["activity_name"]
        activity.unit = values.get("unit")
        _save(activity, user)
        sub = SubActivity.objects.filter(activity=activity, code=values["sub_code"]).first()
        sub = sub or SubActivity(activity=activity, code=values["sub_code"])
        before["sub_activity"] = sub.name if sub.pk else None
        sub.name = values["sub_name"]
        sub.unit = values.get("unit")
        _save(sub, user)
        after = {"program": program.name, "activity": activity.name, "sub_activity": sub.name}
        old, new = _changes(before, after)
        audit.record(
            "performance.budget.line_saved",
            actor=user,
            obj=sub,
            agency_code=agency.code,
            summary=_("Budget line %(code)s saved") % {"code": sub.code},
            before=old,
            after=new,
        )
    return sub
