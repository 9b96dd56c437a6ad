"""Budget figures (pagu, realisasi, serapan) against each table summed on its own.

The sums here are written as single-table ORM aggregates (a ceiling row joins only upwards to its
sub-activity, activity and program, so nothing can multiply it), independently of the service.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum

from kinerja.performance.models import (
    BudgetCeiling,
    Objective,
    Program,
    Spending,
    SubActivity,
)
from kinerja.performance.services import budget

pytestmark = pytest.mark.django_db

PROGRAM = "sub_activity__activity__program"


def _sum(rows) -> Decimal:
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_with_budget_counts_each_ceiling_and_spending_row_once(dkukmtk):
    subs = SubActivity.objects.filter(activity__program__agency=dkukmtk).with_budget(2024, 3)
    assert subs.count() >= 8
    for sub in subs:
        own_ceiling = _sum(BudgetCeiling.objects.filter(sub_activity=sub, year=2024))
        own_spent = _sum(Spending.objects.filter(sub_activity=sub, year=2024, quarter__lte=3))
        assert (sub.ceiling, sub.spent) == (own_ceiling, own_spent), sub.code


def test_agency_total_is_what_the_office_entered(dkukmtk):
    entered = _sum(BudgetCeiling.objects.filter(**{f"{PROGRAM}__agency": dkukmtk}, year=2024))
    assert entered == Decimal("3202500000")  # the demo office's pagu 2024
    spent = _sum(Spending.objects.filter(**{f"{PROGRAM}__agency": dkukmtk}, year=2024))
    found = budget.for_agency(dkukmtk, 2024)
    assert found.total.ceiling == entered
    assert found.total.spent == spent
    assert found.total.absorption == _pct(spent, entered)
    half = budget.for_agency(dkukmtk, 2024, up_to_quarter=2)
    assert half.total.ceiling == entered
    assert half.total.spent == _sum(
        Spending.objects.filter(**{f"{PROGRAM}__agency": dkukmtk}, year=2024, quarter__lte=2)
    )


def test_programs_and_activities_add_up(dkukmtk):
    found = budget.for_agency(dkukmtk, 2024)
    assert [p.program.code for p in found.programs] == sorted(
        Program.objects.filter(agency=dkukmtk).values_list("code", flat=True)
    )
    for line in found.programs:
        ceiling = _sum(BudgetCeiling.objects.filter(**{PROGRAM: line.program}, year=2024))
        spent = _sum(Spending.objects.filter(**{PROGRAM: line.program}, year=2024))
        assert (line.amounts.ceiling, line.amounts.spent) == (ceiling, spent)
        for activity in line.activities:
            own = BudgetCeiling.objects.filter(sub_activity__activity=activity.activity, year=2024)
            assert activity.amounts.ceiling == _sum(own)
    assert sum(p.amounts.ceiling for p in found.programs) == found.total.ceiling


def test_an_objective_counts_its_own_programs_and_those_of_its_sub_objectives(dkukmtk):
    found = budget.for_agency(dkukmtk, 2024)
    for objective in Objective.objects.filter(plan__agency=dkukmtk):
        family = [objective.pk, *objective.children.values_list("pk", flat=True)]
        ceiling = _sum(
            BudgetCeiling.objects.filter(**{f"{PROGRAM}__objective__in": family}, year=2024)
        )
        if not ceiling:
            assert objective.pk not in found.by_objective
            continue
        assert found.by_objective[objective.pk].ceiling == ceiling, objective.code
    strategic = Objective.objects.filter(plan__agency=dkukmtk, parent__isnull=True)
    assert sum(found.by_objective[o.pk].ceiling for o in strategic) == found.total.ceiling


def test_a_year_without_spending_has_no_absorption_figure_but_its_ceiling(dkukmtk):
    found = budget.for_agency(dkukmtk, 2025)
    assert found.total.ceiling == _sum(
        BudgetCeiling.objects.filter(**{f"{PROGRAM}__agency": dkukmtk}, year=2025)
    )
    assert found.total.spent == 0 and found.total.absorption == Decimal("0.00")
    assert budget.for_agency(dkukmtk, 2019).programs == []


def test_a_first_pk_carries_each_programs_pagu_of_its_year(dkukmtk, kasubbag):
    from kinerja.performance.services.planning import agreements

    agreement = agreements.amend_agreement(dkukmtk, 2023, "PK awal", kasubbag)  # no PK 2023 yet
    carried = dict(agreement.programs.values_list("program__code", "budget"))
    expected = {
        p.code: _sum(BudgetCeiling.objects.filter(**{PROGRAM: p}, year=2023))
        for p in Program.objects.filter(agency=dkukmtk)
    }
    assert carried == {code: amount for code, amount in expected.items() if amount}
    assert sum(carried.values()) == _sum(
        BudgetCeiling.objects.filter(**{f"{PROGRAM}__agency": dkukmtk}, year=2023)
    )


def test_demo_pk_program_budgets_are_the_pagu_of_their_own_year(perf):
    """The demo's PK lists, for each program, the pagu of the PK's year (it printed 2025's in
    the PK 2024)."""
    from kinerja.performance.models import AgreementProgram

    rows = AgreementProgram.objects.select_related("agreement", "program")
    assert rows.exists()
    for row in rows:
        pagu = _sum(BudgetCeiling.objects.filter(**{PROGRAM: row.program}, year=row.agreement.year))
        assert row.budget == pagu, (str(row.agreement), row.program.code)
