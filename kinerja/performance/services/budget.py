"""Budget figures: pagu, realisasi and serapan per sub-activity, activity, program, objective and
agency, for a year up to a quarter.

The one place these sums are made. Each sub-activity's ceiling and spending come from one query in
which each table is summed on its own (``SubActivityQuerySet.with_budget``); everything above a
sub-activity is added up here from those rows, so the report, the pages, the API and the command
line print the same figures, and no join can multiply a ceiling by the number of spending rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.models import Activity, Objective, Program, SubActivity

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
    for line in ordered:
        for objective_id in found._chain(line.program.objective_id):
            found.by_objective[objective_id] = (
                found.by_objective.get(objective_id, Amounts()) + line.amounts
            )
    return found
