"""Budget figures: pagu, realisasi and serapan per sub-activity, activity, program, objective and
agency, for a year up to a quarter.

The one place these sums are made. Each sub-activity's ceiling and spending come from one query in
which each table is summed on its own (``SubActivityQuerySet.with_budget``); everything above a
sub-activity is added up here from those rows, so the report, the pages, the API and the command
line print the same figures, and no join can multiply a ceiling by the number of spending rows.

The budget lines and their amounts are edited in pages here too (:func:`save_budget`,
:func:`save_budget_line`), each one state change as in :mod:`kinerja.performance.services.editing`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.models import (
    Activity,
    BudgetCeiling,
    Objective,
    Program,
    Spending,
    SubActivity,
)
from kinerja.performance.services import editing
from kinerja.performance.services.editing import PlanEditError

ZERO = Decimal(0)


@dataclass(frozen=True)
class Amounts:
    """A ceiling (pagu) and what was spent of it (realisasi), both in rupiah."""

    ceiling: Decimal = ZERO
    spent: Decimal = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.ceiling + other.ceiling, self.spent + other.spent)

    @property
    def absorption(self) -> Decimal | None:
        """Serapan: spent / ceiling × 100, two decimals; None without a ceiling."""
        if not self.ceiling:
            return None
        return formulas.round2(self.spent / self.ceiling * formulas.HUNDRED)

    @property
    def empty(self) -> bool:
        return not self.ceiling and not self.spent


@dataclass
class SubActivityBudget:
    sub_activity: SubActivity
    amounts: Amounts


@dataclass
class ActivityBudget:
    activity: Activity
    amounts: Amounts = field(default_factory=Amounts)
    sub_activities: list[SubActivityBudget] = field(default_factory=list)


@dataclass
class ProgramBudget:
    program: Program
    amounts: Amounts = field(default_factory=Amounts)
    activities: list[ActivityBudget] = field(default_factory=list)


@dataclass
class Budget:
    """An agency's budget of ``year`` with spending up to ``up_to_quarter``.

    ``programs`` lists the programs with a ceiling or spending in the year (code order), each with
    its activities and sub-activities that have one; ``by_objective`` gives, for every objective
    served by a program directly or through one of its sub-objectives, the sum of those programs.
    """

    year: int
    up_to_quarter: int
    programs: list[ProgramBudget]
    total: Amounts
    by_objective: dict[int, Amounts]
    parents: dict[int, int | None] = field(default_factory=dict, repr=False)

    def serving(self, objective_id: int) -> list[ProgramBudget]:
        """The programs that serve ``objective_id`` directly or through a sub-objective."""
        return [p for p in self.programs if objective_id in self._chain(p.program.objective_id)]

    def _chain(self, objective_id: int | None) -> list[int]:
        """``objective_id`` and its ancestors, nearest first."""
        chain: list[int] = []
        while objective_id is not None and objective_id not in chain:
            chain.append(objective_id)
            objective_id = self.parents.get(objective_id)
        return chain


def for_agency(agency: Agency, year: int, up_to_quarter: int = 4) -> Budget:
    """The budget of ``agency`` for ``year``, spending counted up to ``up_to_quarter``."""
    subs = (
        SubActivity.objects.filter(activity__program__agency=agency)
        .with_budget(year, up_to_quarter)
        .select_related("activity__program")
        .order_by("activity__program__code", "activity__code", "code")
    )
    programs: dict[int, ProgramBudget] = {}
    activities: dict[int, ActivityBudget] = {}
    for sub in subs:
        amounts = Amounts(sub.ceiling, sub.spent)
        if amounts.empty:
            continue
        activity = sub.activity
        program = programs.setdefault(activity.program_id, ProgramBudget(activity.program))
        line = activities.get(activity.pk)
        if line is None:
            line = activities[activity.pk] = ActivityBudget(activity)
            program.activities.append(line)
        line.sub_activities.append(SubActivityBudget(sub, amounts))
        line.amounts += amounts
        program.amounts += amounts
    ordered = list(programs.values())
    found = Budget(
        year,
        up_to_quarter,
        ordered,
        sum((p.amounts for p in ordered), Amounts()),
        {},
        dict(Objective.objects.filter(plan__agency=agency).values_list("pk", "parent_id")),
    )
    for program_line in ordered:
        for objective_id in found._chain(program_line.program.objective_id):
            found.by_objective[objective_id] = (
                found.by_objective.get(objective_id, Amounts()) + program_line.amounts
            )
    return found


# Editing the budget in pages ----------------------------------------------------------------------


def save_budget(
    agency: Agency,
    year: int,
    rows: Mapping[int, Mapping[str, Any]],
    user: Any,
) -> int:
    """Write the pagu and the quarterly spending of sub-activities for a year.

    ``rows[sub_activity_id]`` holds ``ceiling`` (None: no pagu) and ``spending`` {quarter: amount
    or None}. Amounts are never negative and a year's spending never exceeds its pagu; the form
    says so per row, and this function refuses as well. Returns the number of changed amounts.
    """
    with transaction.atomic():
        subs = _lock_sub_activities(agency, rows)
        writer = _AmountWriter(year, list(rows), user)
        for sub_id, values in rows.items():
            sub = subs[sub_id]
            ceiling = values.get("ceiling")
            spending = values.get("spending", {})
            _check_amounts(sub, ceiling, spending)
            writer.write_line(sub, ceiling, spending)
        if writer.changed:
            audit.record(
                "performance.budget.changed",
                actor=user,
                obj=agency,
                agency_code=agency.code,
                summary=_("Budget %(year)d: %(count)d amounts changed")
                % {"year": year, "count": writer.changed},
                before=writer.before,
                after=writer.after,
            )
    return writer.changed


def _lock_sub_activities(
    agency: Agency, rows: Mapping[int, Mapping[str, Any]]
) -> dict[int, SubActivity]:
    """The rows' sub-activities, locked; refuse when one is not the agency's."""
    subs = {
        s.pk: s
        for s in SubActivity.objects.select_for_update(of=("self",)).filter(
            pk__in=list(rows), activity__program__agency=agency
        )
    }
    if set(subs) != set(rows):
        raise PlanEditError(_("A budget line does not belong to this agency."))
    return subs


def _check_amounts(
    sub: SubActivity, ceiling: Decimal | None, spending: Mapping[int, Decimal | None]
) -> None:
    """Refuse a negative amount, and a spending above the pagu (or without one)."""
    total = sum((a for a in spending.values() if a is not None), Decimal(0))
    amounts = [ceiling, *spending.values()]
    if any(a is not None and a < 0 for a in amounts):
        raise PlanEditError(_("%(line)s: amounts cannot be negative.") % {"line": sub.code})
    if total and (ceiling is None or total > ceiling):
        raise PlanEditError(_("%(line)s: the spending is above the ceiling.") % {"line": sub.code})


class _AmountWriter:
    """Writes a year's pagu and spending rows of some sub-activities, noting each change."""

    def __init__(self, year: int, sub_ids: list[int], user: Any) -> None:
        self.year = year
        self.user = user
        self.changed = 0
        self.before: dict[str, Any] = {}
        self.after: dict[str, Any] = {}
        self.ceilings = {
            c.sub_activity_id: c
            for c in BudgetCeiling.objects.filter(sub_activity_id__in=sub_ids, year=year)
        }
        self.spent = {
            (s.sub_activity_id, s.quarter): s
            for s in Spending.objects.filter(sub_activity_id__in=sub_ids, year=year)
        }

    def write_line(
        self, sub: SubActivity, ceiling: Decimal | None, spending: Mapping[int, Decimal | None]
    ) -> None:
        year = self.year
        self.changed += _set_amount(
            self.ceilings.get(sub.pk),
            ceiling,
            partial(BudgetCeiling, sub_activity=sub, year=year),
            (f"{sub.code} pagu", self.before, self.after),
            self.user,
        )
        for quarter, amount in spending.items():
            self.changed += _set_amount(
                self.spent.get((sub.pk, quarter)),
                amount,
                partial(Spending, sub_activity=sub, year=year, quarter=quarter),
                (f"{sub.code} TW {quarter}", self.before, self.after),
                self.user,
            )


AmountRow = BudgetCeiling | Spending


def _set_amount(
    row: AmountRow | None,
    amount: Decimal | None,
    make: Callable[[], AmountRow],
    change: tuple[str, dict[str, Any], dict[str, Any]],
    user: Any,
) -> int:
    """Write one amount row (None: remove it); note the change; 1 when something changed."""
    key, before, after = change
    if amount is None:
        if row is None:
            return 0
        before[key], after[key] = editing.plain(row.amount), None
        editing.delete(row, user)
        return 1
    if row is not None and row.amount == amount:
        return 0
    before[key] = editing.plain(row.amount) if row else None
    row = row or make()
    row.amount = amount
    editing.save(row, user)
    after[key] = editing.plain(amount)
    return 1


def save_budget_line(agency: Agency, values: Mapping[str, Any], user: Any) -> SubActivity:
    """Add or rename a program, activity and sub-activity found by their codes."""
    with transaction.atomic():
        program = Program.objects.filter(agency=agency, code=values["program_code"]).first()
        program = program or Program(agency=agency, code=values["program_code"])
        before = {"program": program.name if program.pk else None}
        program.name = values["program_name"]
        if values.get("objective") is not None or program.pk is None:
            program.objective = values.get("objective")
        editing.save(program, user)
        activity = Activity.objects.filter(program=program, code=values["activity_code"]).first()
        activity = activity or Activity(program=program, code=values["activity_code"])
        before["activity"] = activity.name if activity.pk else None
        activity.name = values["activity_name"]
        activity.unit = values.get("unit")
        editing.save(activity, user)
        sub = SubActivity.objects.filter(activity=activity, code=values["sub_code"]).first()
        sub = sub or SubActivity(activity=activity, code=values["sub_code"])
        before["sub_activity"] = sub.name if sub.pk else None
        sub.name = values["sub_name"]
        sub.unit = values.get("unit")
        editing.save(sub, user)
        after = {"program": program.name, "activity": activity.name, "sub_activity": sub.name}
        old, new = editing.changes(before, after)
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
