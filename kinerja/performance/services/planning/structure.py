"""Editing the Renstra's structure in pages: its goals (tujuan) and objectives (sasaran).

The same contract as every plan edit (:mod:`kinerja.performance.services.editing`): one function per
change, the plan row locked while codes are checked, the models' own history with the acting user
and one audit entry with the before and after values. Nothing is deleted here.
``objective_problems`` is the one place that says what a valid objective is; the form shows its
messages per field and the functions refuse on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.organisation.models import Unit
from kinerja.performance.models import Goal, Objective, StrategicPlan
from kinerja.performance.services import editing
from kinerja.performance.services.editing import PlanEditError

GOAL_FIELDS = ("code", "statement")
OBJECTIVE_FIELDS = ("code", "statement", "level", "goal", "parent", "unit")

# the level an objective's parent must have; a strategic objective has no parent
PARENT_LEVEL = {
    Objective.Level.PROGRAM: Objective.Level.STRATEGIC,
    Objective.Level.ACTIVITY: Objective.Level.PROGRAM,
}


def _lock_plan(plan: StrategicPlan) -> StrategicPlan:
    """Lock the plan so that two planners cannot give the same code at once."""
    return StrategicPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)


def _refuse(problems: Mapping[str, str]) -> None:
    if problems:
        raise PlanEditError(" ".join(problems.values()))


def _code_problems(
    model: type[Goal] | type[Objective], plan: StrategicPlan, code: Any, current: Any
) -> dict[str, str]:
    """A goal's or objective's code is unique in its plan (``current`` is the row being edited)."""
    taken = model.objects.filter(plan=plan, code=code)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if code and taken.exists():
        return {"code": _("The code %(code)s is already used in this Renstra.") % {"code": code}}
    return {}


def _record_change(
    action: str,
    summary: str,
    row: Goal | Objective,
    plan: StrategicPlan,
    user: Any,
    old: dict[str, Any],
    new: dict[str, Any],
) -> None:
    """Save an edited goal or objective and audit its changed fields (``summary`` takes the
    code and the fields); nothing when no field changed."""
    if not new:
        return
    editing.save(row, user)
    audit.record(
        action,
        actor=user,
        obj=row,
        agency_code=plan.agency.code,
        summary=summary % {"code": row.code, "fields": ", ".join(sorted(new))},
        before=old,
        after=new,
    )


# Goals ------------------------------------------------------------------------------------------


def goal_problems(
    plan: StrategicPlan, values: Mapping[str, Any], goal: Goal | None = None
) -> dict[str, str]:
    """What is wrong with a goal's values, per field (empty: nothing)."""
    return _code_problems(Goal, plan, values.get("code"), goal)


def save_goal(goal: Goal, values: Mapping[str, Any], user: Any) -> Goal:
    """Change a goal's code and statement."""
    with transaction.atomic():
        plan = _lock_plan(goal.plan)
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        _refuse(goal_problems(plan, values, locked))
        before = editing.snapshot(locked, GOAL_FIELDS)
        for name in GOAL_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        old, new = editing.changes(before, editing.snapshot(locked, GOAL_FIELDS))
        _record_change(
            "performance.goal.changed",
            _("Goal %(code)s changed: %(fields)s"),
            locked,
            plan,
            user,
            old,
            new,
        )
    return locked


def add_goal(plan: StrategicPlan, values: Mapping[str, Any], user: Any) -> Goal:
    """Add a goal at the end of the plan's goals."""
    with transaction.atomic():
        plan = _lock_plan(plan)
        _refuse(goal_problems(plan, values))
        order = editing.next_order(plan.goals.all())
        goal = Goal(plan=plan, order=order)
        for name in GOAL_FIELDS:
            setattr(goal, name, values[name])
        editing.save(goal, user)
        audit.record(
            "performance.goal.added",
            actor=user,
            obj=goal,
            agency_code=plan.agency.code,
            summary=_("Goal %(code)s added to %(plan)s") % {"code": goal.code, "plan": plan},
            after=editing.snapshot(goal, GOAL_FIELDS),
        )
    return goal


# Objectives -------------------------------------------------------------------------------------


def objective_problems(
    plan: StrategicPlan, values: Mapping[str, Any], objective: Objective | None = None
) -> dict[str, str]:
    """What is wrong with an objective's values, per field (empty: nothing).

    The parent is an objective of the same plan one level up (a program objective under a
    strategic one, an activity objective under a program one); a strategic objective has none.
    The goal belongs to the plan, the unit to the plan's agency, and the code is unique in the plan.
    """
    level = values.get("level")
    goal: Goal | None = values.get("goal")
    parent: Objective | None = values.get("parent")
    unit: Unit | None = values.get("unit")
    problems = _code_problems(Objective, plan, values.get("code"), objective)
    parent_problem = _parent_problem(plan, level, parent)
    if parent_problem:
        problems["parent"] = parent_problem
    if _has_children_to_move(objective, level):
        problems["level"] = _(
            "This objective has objectives under it; move them before changing its level."
        )
    if goal is not None and goal.plan_id != plan.pk:
        problems["goal"] = _("The goal belongs to another Renstra.")
    if unit is not None and unit.agency_id != plan.agency_id:
        problems["unit"] = _("The owning unit belongs to another agency.")
    return problems


def _parent_problem(plan: StrategicPlan, level: Any, parent: Objective | None) -> str | None:
    """What is wrong with the parent for the level: none, or one of the plan one level up."""
    wanted = PARENT_LEVEL.get(level)
    if level == Objective.Level.STRATEGIC and parent is not None:
        return _("A strategic objective has no parent objective.")
    if wanted is not None and (
        parent is None or parent.plan_id != plan.pk or parent.level != wanted
    ):
        return (
            _("A program objective needs a strategic objective of this Renstra as its parent.")
            if level == Objective.Level.PROGRAM
            else _("An activity objective needs a program objective of this Renstra as its parent.")
        )
    return None


def _has_children_to_move(objective: Objective | None, level: Any) -> bool:
    """Whether a stored objective changes level while objectives hang under it."""
    return bool(
        objective is not None
        and objective.pk
        and level
        and level != objective.level
        and objective.children.exists()
    )


def _objective_state(objective: Objective) -> dict[str, Any]:
    """The audited values, with the goal, parent and unit by their codes (readable history)."""
    state = editing.snapshot(objective, ("code", "statement", "level"))
    state["goal"] = objective.goal.code if objective.goal else None
    state["parent"] = objective.parent.code if objective.parent else None
    state["unit"] = objective.unit.code if objective.unit else None
    return state


def save_objective(objective: Objective, values: Mapping[str, Any], user: Any) -> Objective:
    """Change an objective's code, statement, level, goal, parent and owning unit."""
    with transaction.atomic():
        plan = _lock_plan(objective.plan)
        locked = Objective.objects.select_for_update().get(pk=objective.pk)
        merged = {name: getattr(locked, name) for name in OBJECTIVE_FIELDS} | dict(values)
        _refuse(objective_problems(plan, merged, locked))
        before = _objective_state(locked)
        for name in OBJECTIVE_FIELDS:
            setattr(locked, name, merged[name])
        old, new = editing.changes(before, _objective_state(locked))
        _record_change(
            "performance.objective.changed",
            _("Objective %(code)s changed: %(fields)s"),
            locked,
            plan,
            user,
            old,
            new,
        )
    return locked


def add_objective(plan: StrategicPlan, values: Mapping[str, Any], user: Any) -> Objective:
    """Add an objective at the end of the plan's objectives."""
    with transaction.atomic():
        plan = _lock_plan(plan)
        full = {name: values.get(name) for name in OBJECTIVE_FIELDS}
        _refuse(objective_problems(plan, full))
        order = editing.next_order(plan.objectives.all())
        objective = Objective(plan=plan, order=order)
        for name in OBJECTIVE_FIELDS:
            setattr(objective, name, full[name])
        editing.save(objective, user)
        audit.record(
            "performance.objective.added",
            actor=user,
            obj=objective,
            agency_code=plan.agency.code,
            summary=_("Objective %(code)s added to %(plan)s")
            % {"code": objective.code, "plan": plan},
            after=_objective_state(objective),
        )
    return objective
