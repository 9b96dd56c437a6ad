"""Editing the Rencana Aksi in pages: quarter targets and activities, with warnings on the targets.

Each function is one state change (:mod:`kinerja.performance.services.editing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.models import ActionPlan, ActionPlanTarget, Indicator
from kinerja.performance.services import editing


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
    found = _year_target_warnings(quarters, year_target)
    if aggregation == formulas.CUMULATIVE:
        found += _falling_warnings(quarters, polarity)
        if year_target is not None:
            found += _above_year_warnings(quarters, year_target, polarity)
    return found


def _year_target_warnings(
    quarters: Mapping[int, Decimal | None], year_target: Decimal | None
) -> list[QuarterWarning]:
    """A warning on Tw IV when its target is not the year's."""
    q4 = quarters.get(4)
    if year_target is None or q4 is None or q4 == year_target:
        return []
    return [
        QuarterWarning(
            4,
            _("The target up to TW IV (%(q4)s) differs from the year target (%(year)s).")
            % {
                "q4": editing.target_text({"value": q4}),
                "year": editing.target_text({"value": year_target}),
            },
        )
    ]


def _falling_warnings(
    quarters: Mapping[int, Decimal | None], polarity: str
) -> list[QuarterWarning]:
    """A warning on each quarter whose cumulative target is below the previous quarter's that has
    one, when higher is better."""
    found: list[QuarterWarning] = []
    previous: tuple[int, Decimal] | None = None
    for quarter in (1, 2, 3, 4):
        value = quarters.get(quarter)
        if value is None:
            continue
        if previous is not None and polarity == formulas.POSITIVE and value < previous[1]:
            found.append(
                QuarterWarning(
                    quarter,
                    _(
                        "A cumulative target cannot fall: TW %(quarter)d (%(value)s) is "
                        "below TW %(previous)d (%(before)s)."
                    )
                    % {
                        "quarter": quarter,
                        "value": editing.target_text({"value": value}),
                        "previous": previous[0],
                        "before": editing.target_text({"value": previous[1]}),
                    },
                )
            )
        previous = (quarter, value)
    return found


def _above_year_warnings(
    quarters: Mapping[int, Decimal | None], year_target: Decimal, polarity: str
) -> list[QuarterWarning]:
    """A warning on each of Tw I to III whose cumulative target is above the year's, when higher
    is better."""
    found: list[QuarterWarning] = []
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
                        "value": editing.target_text({"value": value}),
                        "year": editing.target_text({"value": year_target}),
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
    return {"target": editing.shown_target(row), "activities": row.activities}


def save_action_plan(
    agency: Agency,
    year: int,
    rows: Mapping[int, Mapping[int, Mapping[str, Any]]],
    user: Any,
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
                row = existing.get((indicator_id, quarter)) or ActionPlanTarget(
                    action_plan=action_plan, indicator_id=indicator_id, quarter=quarter
                )
                change = _save_quarter(row, values, user)
                if change is not None:
                    key = f"{codes[indicator_id]} TW {quarter}"
                    before[key], after[key] = change
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


QuarterState = dict[str, str]


def _save_quarter(
    row: ActionPlanTarget, values: Mapping[str, Any], user: Any
) -> tuple[QuarterState | None, QuarterState | None] | None:
    """Save, or delete when empty, one quarter's row (stored, or new and unsaved).

    Return its state before and after (None: no row), or None when nothing changed.
    """
    old = _quarter_state(row) if row.pk else None
    if values.get("value") is None and not values.get("text") and not values.get("activities"):
        if row.pk is None:
            return None
        editing.delete(row, user)
        return old, None
    if (
        row.pk
        and editing.same_target(row, values)
        and row.activities == values.get("activities", "")
    ):
        return None
    editing.set_target(row, values)
    row.activities = values.get("activities", "")
    editing.save(row, user)
    return old, _quarter_state(row)
