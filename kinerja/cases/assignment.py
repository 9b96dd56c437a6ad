"""Who receives a step's work: the holder of the lane's position on the day (decisions 10, 11).

Pure queries over the organisation layer, no writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kinerja.organisation.models import Agency, Employee, Position, PositionHolding, Team
from kinerja.procedures.models import Step

# Definitive holders first, then Plt., then Plh.
_KIND_ORDER = {
    PositionHolding.Kind.DEFINITIVE: 0,
    PositionHolding.Kind.ACTING: 1,
    PositionHolding.Kind.DAILY_ACTING: 2,
}


@dataclass
class Assignment:
    position: Position | None = None
    team: Team | None = None
    assignee: Employee | None = None
    holding_kind: str = ""
    candidates: list[Employee] = field(default_factory=list)
    shared: bool = False

    @property
    def unassigned(self) -> bool:
        return self.assignee is None and not self.candidates


def _ordered(holdings) -> list[PositionHolding]:
    return sorted(holdings, key=lambda h: (_KIND_ORDER.get(h.kind, 9), h.start, h.pk))


def resolve(step: Step, day: dt.date, prefer: Employee | None = None) -> Assignment:
    """The assignment of ``step`` on ``day``. ``prefer`` (the official who did the step before,
    when a Tidak sends the case back) gets it again if they are still eligible."""
    lane = step.lane
    if lane.team is not None:
        return _team_assignment(lane.team, prefer)
    return _position_assignment(list(lane.positions.all()), day, prefer)


def resolve_each(
    step: Step, day: dt.date, prefer: dict[int, Employee] | None = None
) -> list[Assignment]:
    """One assignment per position of the step's ``each`` lane, in the lane's order, each by the
    rule of a single position (definitive, then Plt., then Plh.). ``prefer`` maps a position's id
    to the official who did its task before (a Tidak sending the step back)."""
    prefer = prefer or {}
    return [
        _position_assignment([position], day, prefer.get(position.pk))
        for position in step.lane.ordered_positions()
    ]


def joint_people(step: Step, day: dt.date) -> list[Employee]:
    """The people of the lanes ``step`` is done together with (``with``): the holder of each
    of their positions on ``day`` (every holder of a shared one), or the members of their team."""
    people: dict[int, Employee] = {}
    for lane in step.with_lanes.all():
        if lane.team is not None:
            found = list(lane.team.members.all())
        else:
            found = _holders_of(list(lane.positions.all()), day)
        people.update((e.pk, e) for e in found)
    return sorted(people.values(), key=lambda e: e.full_name)


def _holders_of(positions: list[Position], day: dt.date) -> list[Employee]:
    """Each position's holder on ``day`` (definitive before Plt. before Plh.); every holder of a
    shared position."""
    holdings = _ordered(
        PositionHolding.objects.active_on(day)
        .filter(position__in=positions)
        .select_related("employee", "position")
    )
    found: list[Employee] = []
    seen_positions: set[int] = set()
    for holding in holdings:
        if holding.position.shared or holding.position_id not in seen_positions:
            found.append(holding.employee)
        seen_positions.add(holding.position_id)
    return found


def _team_assignment(team: Team, prefer: Employee | None) -> Assignment:
    """A team's task is offered to its members; a team of one (or ``prefer``, a member) has it."""
    members = list(team.members.order_by("full_name"))
    result = Assignment(team=team, candidates=members, shared=len(members) > 1)
    chosen = prefer if prefer in members else (members[0] if len(members) == 1 else None)
    if chosen is not None:
        result.assignee = chosen
    return result


def _position_assignment(
    positions: list[Position], day: dt.date, prefer: Employee | None
) -> Assignment:
    """The holder of the lane's position on ``day`` (a definitive holder before a Plt., a Plt.
    before a Plh.); a task of several holders (a shared position, or a lane of several
    positions) is offered to them all unless ``prefer`` holds one."""
    holdings = _ordered(
        PositionHolding.objects.active_on(day)
        .filter(position__in=positions)
        .select_related("employee", "position")
    )
    single = len(positions) == 1 and not positions[0].shared
    result = Assignment(position=positions[0] if len(positions) == 1 else None)
    if not holdings:
        return result
    by_employee: dict[int, PositionHolding] = {}
    for holding in holdings:
        by_employee.setdefault(holding.employee_id, holding)
    chosen: PositionHolding | None = None
    if prefer is not None and prefer.pk in by_employee:
        chosen = by_employee[prefer.pk]
    elif single or len(by_employee) == 1:
        chosen = holdings[0]
    if len(by_employee) > 1 and not single:
        result.shared = True
        result.candidates = [h.employee for h in by_employee.values()]
    if chosen is not None:
        result.assignee = chosen.employee
        result.holding_kind = chosen.kind
        result.position = chosen.position
    return result


def current_holder(position: Position, day: dt.date) -> PositionHolding | None:
    holdings = _ordered(position.holdings_on(day))
    return holdings[0] if holdings else None


def positions_held(
    employee: Employee, day: dt.date, agency: Agency | None = None
) -> list[Position]:
    qs = PositionHolding.objects.active_on(day).filter(employee=employee).select_related("position")
    if agency is not None:
        qs = qs.filter(position__agency=agency)
    return [h.position for h in qs]


def subordinate_positions(positions: list[Position]) -> set[int]:
    """Ids of every position below ``positions`` (transitively, through ``superior``)."""
    if not positions:
        return set()
    agency_ids = {p.agency_id for p in positions}
    children: dict[int, list[int]] = {}
    for pk, superior_id in Position.objects.filter(agency_id__in=agency_ids).values_list(
        "pk", "superior_id"
    ):
        if superior_id:
            children.setdefault(superior_id, []).append(pk)
    found: set[int] = set()
    stack = [p.pk for p in positions]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def subordinates_of(employee: Employee, agency: Agency, day: dt.date) -> list[Employee]:
    """People holding a position below one the employee holds in ``agency`` on ``day``."""
    below = subordinate_positions(positions_held(employee, day, agency))
    ids = (
        PositionHolding.objects.active_on(day)
        .filter(position_id__in=below)
        .exclude(employee=employee)
        .values("employee_id")
    )
    return list(Employee.objects.filter(pk__in=ids).order_by("full_name"))
