"""Read-side helpers of the organisation layer: the tree of an agency, who holds what on a day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from kinerja.organisation.models import Agency, Position, PositionHolding, Unit


@dataclass
class PositionNode:
    position: Position
    holdings: list[PositionHolding]


@dataclass
class UnitNode:
    unit: Unit | None
    positions: list[PositionNode] = field(default_factory=list)
    children: list[UnitNode] = field(default_factory=list)


def organisation_tree(agency: Agency, day: dt.date) -> UnitNode:
    """The agency as a tree: the head's positions at the root, then units with their positions
    and the people who hold them on ``day``. Three queries, whatever the size."""
    units = list(Unit.objects.filter(agency=agency))
    positions = list(Position.objects.filter(agency=agency))
    holdings = (
        PositionHolding.objects.active_on(day)
        .filter(position__agency=agency)
        .select_related("employee")
        .order_by("kind", "employee__full_name")
    )
    held: dict[int, list[PositionHolding]] = defaultdict(list)
    for holding in holdings:
        held[holding.position_id].append(holding)
    nodes = {unit.pk: UnitNode(unit) for unit in units}
    root = UnitNode(None)
    for unit in units:
        parent = nodes.get(unit.parent_id, root) if unit.parent_id else root
        parent.children.append(nodes[unit.pk])
    for position in positions:
        target = nodes[position.unit_id] if position.unit_id else root
        target.positions.append(PositionNode(position, held.get(position.pk, [])))
    for node in [root, *nodes.values()]:
        node.positions.sort(key=lambda n: (not n.position.is_head, n.position.order))
    return root
