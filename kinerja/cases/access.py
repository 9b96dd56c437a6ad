"""Who may see which case and task (docs/conventions.md, do 4): one accessor per resource."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.cases.assignment import positions_held
from kinerja.cases.models import Case, Notification, Task
from kinerja.core.actions import ActionContext
from kinerja.organisation.access import agency_ids_of, can_administer, employee_of
from kinerja.organisation.models import Agency, Employee, Position, TeamMember, Unit


def _involving(employee: Employee, agency_ids: set[int]) -> Q:
    """Tasks the employee works on from their own side: held, given or offered to them for a
    position of an agency they work for (``agency_ids``) or as a member of the task's team; and
    the joint steps they are told of. An official who left the position's agency (their holding
    ended) no longer sees the task they held. No join: subqueries, as in
    ``TaskQuerySet.for_employee``."""
    offered = Task.candidates.through.objects.filter(employee=employee).values("task_id")
    joint = Task.joint_with.through.objects.filter(employee=employee).values("task_id")
    teams = TeamMember.objects.filter(employee=employee).values("team_id")
    works = Q(assignee=employee) | Q(delegated_to=employee) | Q(pk__in=offered)
    own_side = Q(position__agency_id__in=agency_ids) | Q(team_id__in=teams)
    return (works & own_side) | Q(pk__in=joint)


#: Notifications that let their reader see the task (and its case) read-only: a superior told a
#: subordinate's task is overdue, an administrator told nobody holds its position. Both may be of
#: the agency of the task's position, not of the case's (a lane of another agency).
ESCALATIONS = (Notification.Kind.OVERDUE_SUPERIOR, Notification.Kind.UNASSIGNED)


def _involved_case_ids(user, agency_ids: set[int]) -> QuerySet[Task, int] | None:
    """The ids of the cases with a task involving the user: their official works on it or is
    told of it as a joint step's partner, or the user was told of it by an escalation
    (None: nobody to involve)."""
    if not getattr(user, "is_authenticated", False):
        return None
    told = Notification.objects.filter(user=user, kind__in=ESCALATIONS).values("task_id")
    scope = Q(pk__in=told)
    employee = employee_of(user)
    if employee is not None:
        scope |= _involving(employee, agency_ids)
    return Task.objects.filter(scope).values_list("case_id", flat=True)


def cases_visible_to(user, agency_ids: set[int] | None = None) -> QuerySet[Case]:
    """The cases of the agencies the user works for, and the cases of another agency where a
    task involves them (a lane of another agency of the region): those they see read-only.
    Given ``agency_ids``, only those agencies' cases (the inbox's list)."""
    if getattr(user, "is_superuser", False):
        return Case.objects.all()
    if agency_ids is not None:
        return Case.objects.filter(agency_id__in=agency_ids)
    ids = agency_ids_of(user)
    scope = Q(agency_id__in=ids)
    involved = _involved_case_ids(user, ids)
    if involved is not None:
        scope |= Q(pk__in=involved)
    return Case.objects.filter(scope)


def works_for_case(user, case: Case) -> bool:
    """The user works for the case's agency (not only for a task of it)."""
    return bool(getattr(user, "is_superuser", False)) or case.agency_id in agency_ids_of(user)


def get_case_for_user(user, case_id: int) -> Case:
    """The case if the user works for its agency or a task of it involves them; 404
    otherwise."""
    try:
        return cases_visible_to(user).select_related("agency", "sop_version__sop").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def tasks_visible_to(user) -> QuerySet[Task]:
    """The tasks of the cases the user sees (:func:`cases_visible_to`)."""
    if getattr(user, "is_superuser", False):
        return Task.objects.all()
    ids = agency_ids_of(user)
    scope = Q(case__agency_id__in=ids)
    involved = _involved_case_ids(user, ids)
    if involved is not None:
        scope |= Q(case_id__in=involved)
    return Task.objects.filter(scope)


def get_task_for_user(user, task_id: int) -> Task:
    try:
        return (
            tasks_visible_to(user)
            .select_related(
                "case",
                "case__agency",
                "case__sop_version",
                "step",
                "step__lane",
                "assignee",
                "delegated_to",
                "position",
                "returned_from__step",
            )
            .get(pk=task_id)
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_task_file_for_user(user, file_id: int):
    """An output file of a task the user sees; 404 otherwise."""
    from kinerja.cases.models import TaskFile

    try:
        found = TaskFile.objects.get(pk=int(file_id))
    except (TaskFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_task_for_user(user, found.task_id)
    return found


def may_act(user: User | AnonymousUser, task: Task) -> tuple[bool, bool]:
    """(may complete, as an administrator on record). One rule for the task page, the command
    line, the API and the actions: only the official who holds the task, was given it or is
    offered it, from their own side (:func:`_on_its_side`), or an administrator of the case's
    agency."""
    if not getattr(user, "is_authenticated", False):
        return False, False
    employee = employee_of(user)
    if employee is not None and _holds(employee, task) and _on_its_side(user, employee, task):
        return True, False
    if can_administer(user, task.case.agency):
        return True, True
    return False, False


def _holds(employee: Employee, task: Task) -> bool:
    """The task is the employee's: held, given to them, or offered to them while nobody took it."""
    if employee.pk in (task.assignee_id, task.delegated_to_id):
        return True
    return task.assignee_id is None and task.candidates.filter(pk=employee.pk).exists()


def _on_its_side(user, employee: Employee, task: Task) -> bool:
    """The official works for the case's agency or for the agency of the task's position (a
    lane of another agency of the region), or is a member of the task's team."""
    ids = agency_ids_of(user)
    if user.is_superuser or task.case.agency_id in ids:
        return True
    if task.position is not None and task.position.agency_id in ids:
        return True
    return task.team is not None and task.team.members.filter(pk=employee.pk).exists()


def get_task_for_actor(user, task_id: int) -> Task:
    """The task if the user may complete it (:func:`may_act`): 404 when they do not see it,
    403 when they see it but it is not theirs to work on."""
    task = get_task_for_user(user, task_id)
    if not may_act(user, task)[0]:
        raise PermissionDenied(_("Only the holder of this task can complete it."))
    return task


def action_context(task_id, user, name: str) -> ActionContext:
    """The engine's answer to a provider page's ``?task=`` (``core.actions.resolve_task``): the
    open task bound to the action ``name`` that ``user`` may complete, as ids; 404 otherwise."""
    task = get_task_for_user(user, task_id)
    if task.status != Task.Status.OPEN or task.step.action != name or not may_act(user, task)[0]:
        raise Http404
    return ActionContext(
        task_id=task.pk,
        case_id=task.case_id,
        agency_id=task.case.agency_id,
        period=task.case.period,
        user_id=user.pk,
    )


def my_open_tasks(user) -> QuerySet[Task]:
    employee = employee_of(user)
    if employee is None:
        return Task.objects.none()
    return Task.objects.filter(status=Task.Status.OPEN).for_employee(employee)


def open_task_count(user) -> int:
    """The header's count. The inbox lists exactly these tasks and leaves their number on the
    request's user (``_open_task_count``) so the header does not count them a second time."""
    known = getattr(user, "_open_task_count", None)
    if known is not None:
        return known
    return my_open_tasks(user).count()


def unit_tree_ids(units: list[Unit]) -> set[int]:
    """The units and every unit below them (one query for the agencies' units)."""
    if not units:
        return set()
    children: dict[int, list[int]] = {}
    rows = Unit.objects.filter(agency_id__in={u.agency_id for u in units}).values_list(
        "pk", "parent_id"
    )
    for pk, parent_id in rows:
        if parent_id:
            children.setdefault(parent_id, []).append(pk)
    ids = {u.pk for u in units}
    stack = list(ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in ids:
                ids.add(child)
                stack.append(child)
    return ids


@dataclass(frozen=True)
class InboxScope:
    """What the inbox needs to know about the user, read once per request (two queries):
    the agencies they work for, those they administer, and the positions they hold today."""

    agency_ids: set[int]
    administered: set[int]
    positions: list[Position]


def inbox_scope(user) -> InboxScope:
    """The same answers as ``agency_ids_of`` and ``positions_held`` together, plus the agencies
    the user administers (all of them for a superuser), from one read of the holdings and one of
    the roles."""
    from kinerja.organisation.models import AgencyRole, PositionHolding

    employee = employee_of(user)
    positions: list[Position] = []
    ids: set[int] = set()
    if employee is not None:
        ids.add(employee.agency_id)
        holdings = (
            PositionHolding.objects.active_on(timezone.localdate())
            .filter(employee=employee)
            .select_related("position__unit", "position__agency")
        )
        positions = [h.position for h in holdings]
        ids.update(p.agency_id for p in positions)
    roles = list(AgencyRole.objects.filter(user=user).values_list("agency_id", "role"))
    ids.update(agency_id for agency_id, _role in roles)
    if getattr(user, "is_superuser", False):
        administered = set(Agency.objects.values_list("pk", flat=True))
    else:
        administered = {a for a, role in roles if role == AgencyRole.Role.ADMIN}
    return InboxScope(agency_ids=ids, administered=administered, positions=positions)


def tasks_of_headed_units(
    user, exclude_ids: list[int] | None = None, positions: list[Position] | None = None
) -> QuerySet[Task]:
    """Open tasks in the units the user heads (the whole agency for its head), not their own.
    ``positions``: the positions the user holds today, when the caller has read them already."""
    employee = employee_of(user)
    if employee is None:
        return Task.objects.none()
    agency_heads: list[Agency] = []
    units: list[Unit] = []
    if positions is None:
        positions = positions_held(employee, timezone.localdate())
    for position in positions:
        if not position.is_head:
            continue
        if position.unit is None:
            agency_heads.append(position.agency)
        else:
            units.append(position.unit)
    if not agency_heads and not units:
        return Task.objects.none()
    # a unit head follows the tasks of their units in the cases of their own agencies
    scope = Q(case__agency__in=agency_heads) | Q(
        position__unit_id__in=unit_tree_ids(units),
        case__agency_id__in={p.agency_id for p in positions},
    )
    mine = (
        exclude_ids
        if exclude_ids is not None
        else list(my_open_tasks(user).values_list("pk", flat=True))
    )
    return Task.objects.filter(scope, status=Task.Status.OPEN).exclude(pk__in=mine)


def unassigned_tasks(agency: Agency | int | set[int]) -> QuerySet[Task]:
    """Open tasks nobody holds (no holder, nobody to offer them to) in the agency or agencies:
    of their cases, or of their positions (a lane of another agency)."""
    ids = agency if isinstance(agency, set) else {agency if isinstance(agency, int) else agency.pk}
    return Task.objects.filter(
        Q(case__agency_id__in=ids) | Q(position__agency_id__in=ids),
        status=Task.Status.OPEN,
        assignee__isnull=True,
    ).exclude(candidates__isnull=False)
