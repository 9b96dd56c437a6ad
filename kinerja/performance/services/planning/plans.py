"""Editing the plan's indicators in pages: their definition, yearly targets and lookup tables.

Each function is one state change (:mod:`kinerja.performance.services.editing`): it checks its
precondition, writes in one transaction, keeps the models' history with the acting user and records
one audit entry with the before and after values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.organisation.models import Agency
from kinerja.performance.models import Indicator, LookupEntry, LookupTable, Objective, Target
from kinerja.performance.services import editing
from kinerja.performance.services.editing import PlanEditError

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
    assert table is not None  # lookup_table_id is set
    return {
        "mode": table.mode,
        "entries": [[e.label, editing.plain(e.score)] for e in table.entries.all()],
    }


def save_indicator(
    indicator: Indicator,
    values: Mapping[str, Any],
    targets: Mapping[int, Mapping[str, Any]],
    user: Any,
    lookup: LookupSpec | None = None,
) -> Indicator:
    """Change an indicator's definition and its yearly targets (empty target: row removed)."""
    agency = indicator.objective.plan.agency
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        before = editing.snapshot(locked, INDICATOR_FIELDS)
        before["lookup"] = _lookup_state(locked)
        for name in INDICATOR_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        if locked.target_kind == Indicator.TargetKind.LOOKUP and lookup is not None:
            _write_lookup(locked, lookup, agency)
        editing.save(locked, user)
        after = editing.snapshot(locked, INDICATOR_FIELDS)
        after["lookup"] = _lookup_state(locked)
        target_before, target_after = _write_targets(locked, targets, user)
        before["targets"], after["targets"] = target_before, target_after
        old, new = editing.changes(before, after)
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
    indicator: Indicator, targets: Mapping[int, Mapping[str, Any]], user: Any
) -> tuple[dict[str, str], dict[str, str]]:
    existing = {t.year: t for t in Target.objects.filter(indicator=indicator)}
    before = {str(y): editing.shown_target(t) for y, t in existing.items()}
    for year, values in targets.items():
        row = existing.get(year)
        empty = values.get("value") is None and not values.get("text")
        if empty:
            if row is not None:
                editing.delete(row, user)
            continue
        if row is None:
            row = Target(indicator=indicator, year=year)
        elif editing.same_target(row, values):
            continue
        editing.set_target(row, values)
        editing.save(row, user)
    now = Target.objects.filter(indicator=indicator)
    after = {str(t.year): editing.shown_target(t) for t in now}
    return before, after


def add_indicator(
    objective: Objective,
    code: str,
    values: Mapping[str, Any],
    targets: Mapping[int, Mapping[str, Any]],
    user: Any,
    lookup: LookupSpec | None = None,
) -> Indicator:
    """Add an indicator to an objective, with its targets."""
    agency = objective.plan.agency
    with transaction.atomic():
        if Indicator.objects.filter(objective=objective, code=code).exists():
            raise PlanEditError(
                _("The objective already has an indicator %(code)s.") % {"code": code}
            )
        order = editing.next_order(objective.indicators.all())
        indicator = Indicator(objective=objective, code=code, order=order)
        for name in INDICATOR_FIELDS:
            if name in values:
                setattr(indicator, name, values[name])
        if indicator.target_kind == Indicator.TargetKind.LOOKUP and lookup is not None:
            _write_lookup(indicator, lookup, agency)
        editing.save(indicator, user)
        _before, written = _write_targets(indicator, targets, user)
        after = editing.snapshot(indicator, INDICATOR_FIELDS)
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


def retire_indicator(indicator: Indicator, on: dt.date, reason: str, user: Any) -> Indicator:
    """Retire an indicator from ``on``: earlier rounds keep it, later ones leave it out.

    An indicator is never deleted here: its targets, actuals and achievements stay.
    """
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if locked.retired_on is not None:
            raise PlanEditError(_("The indicator is already retired."))
        locked.retired_on = on
        editing.save(locked, user)
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
