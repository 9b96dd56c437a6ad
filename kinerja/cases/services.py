"""Every state change of a case: one function each (docs/conventions.md, do 1).

Each checks its precondition, writes inside ``transaction.atomic()`` (locking the task with
``select_for_update`` where two people can race), leaves a :class:`CaseEvent` and an audit entry,
and only then notifies. Views, the command line, actions and tests all call these.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.cases import assignment
from kinerja.cases.access import get_case_for_user, may_act, works_for_case
from kinerja.cases.calendar import (
    AgencyCalendar,
    add_working_duration,
    duration_minutes,
    working_minutes_between,
)
from kinerja.cases.models import Case, CaseEvent, Delegation, Notification, Task, TaskFile
from kinerja.cases.workcal import calendar_for
from kinerja.core import audit
from kinerja.core.actions import ActionOutput
from kinerja.core.periods import Period
from kinerja.core.uploads import validate_upload
from kinerja.organisation.access import can_administer, employee_of
from kinerja.organisation.models import Agency, AgencyRole, Employee, Position, PositionHolding
from kinerja.procedures.models import Sop, SopVersion, Step

FILE_TYPES = ("pdf", "docx", "xlsx", "png", "jpg", "jpeg", "zip", "txt")

log = logging.getLogger(__name__)

# Whoever asks (``request.user``): a login, or an anonymous visitor, whom no rule lets through.
AnyUser: TypeAlias = User | AnonymousUser
# Who acts: whoever asks, or nobody (the scheduler's reassignments).
Actor: TypeAlias = AnyUser | None


class CaseError(Exception):
    """A rule of the engine refused the change; the message is for the official."""


class TaskNotOpen(CaseError):
    """Somebody else already completed (or took) the task."""


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _login(actor: Actor) -> User | None:
    """The stored login of ``actor``; None for nobody or an anonymous visitor."""
    return actor if isinstance(actor, User) and actor.pk else None


def _event(
    case: Case,
    kind: str,
    at: dt.datetime,
    *,
    task: Task | None = None,
    actor: Actor = None,
    employee: Employee | None = None,
    outcome: str = "",
    text: str = "",
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        task=task,
        kind=kind,
        at=at,
        actor=_login(actor),
        employee=employee,
        outcome=outcome,
        text=text,
    )


def _audit(
    action: str,
    actor: Actor,
    obj: models.Model,
    case: Case,
    summary: str,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        action, actor=actor, obj=obj, agency_code=case.agency.code, summary=summary, after=after
    )


# --- starting ----------------------------------------------------------------------------


def can_start(user: Actor, version: SopVersion) -> bool:
    """Holders of the first step's lane, heads of units of the agency, its administrators."""
    agency = version.sop.agency
    if can_administer(user, agency):
        return True
    employee = employee_of(user)
    if employee is None:
        return False
    day = agency.today()
    held = assignment.positions_held(employee, day, agency)
    first = version.first_step()
    lane_positions = set(first.lane.positions.values_list("pk", flat=True))
    if any(p.pk in lane_positions or p.is_head for p in held):
        return True
    team = first.lane.team
    return team is not None and team.members.filter(pk=employee.pk).exists()


def case_title(version: SopVersion, period: Period) -> str:
    return f"{version.name} {period.label()}"


def start_case(
    sop: Sop | SopVersion,
    period: str | Period,
    user: Actor,
    *,
    now: dt.datetime | None = None,
    parent_task: Task | None = None,
) -> Case:
    """Start a run of the SOP's effective version (or of the given version) for ``period``."""
    version = sop if isinstance(sop, SopVersion) else sop.effective_version()
    if version is None or version.status != SopVersion.Status.EFFECTIVE:
        raise CaseError(_("This SOP has no effective version; a draft cannot be run."))
    period = period if isinstance(period, Period) else Period.parse(period)
    if parent_task is None and not can_start(user, version):
        raise PermissionDenied(_("Your position does not allow you to start this SOP."))
    at = _now(now)
    agency = version.sop.agency
    with transaction.atomic():
        case = Case.objects.create(
            agency=agency,
            sop_version=version,
            period=period.code,
            title=case_title(version, period),
            started_at=at,
            started_by=_login(user),
            parent_task=parent_task,
        )
        _event(case, "case.started", at, actor=user, employee=employee_of(user), text=case.title)
        _audit(
            "case.started",
            user,
            case,
            case,
            case.title,
            after={"sop_version": version.pk, "period": period.code},
        )
        _create_task(case, version.first_step(), at, actor=user)
    return case


# --- tasks -------------------------------------------------------------------------------


def _notify(
    task: Task, kind: str, employees: Iterable[Employee | None] = (), users: Iterable[User] = ()
) -> None:
    targets = {e.user_id for e in employees if e is not None and e.user_id}
    targets.update(u.pk for u in users)
    for user_id in targets:
        Notification.objects.get_or_create(user_id=user_id, task=task, kind=kind)


def _previous_worker(case: Case, step: Step) -> Employee | None:
    earlier = case.tasks.filter(step=step, status=Task.Status.DONE).order_by("-completed_at")
    task = earlier.select_related("completed_as", "assignee").first()
    if task is None:
        return None
    return task.assignee or task.completed_as


def _previous_workers(case: Case, step: Step) -> dict[int, Employee]:
    """Per position, who did the step's task of that position last (an ``each`` lane's step
    sent back by a Tidak goes to each of them again)."""
    done = case.tasks.filter(step=step, status=Task.Status.DONE, position__isnull=False)
    found: dict[int, Employee] = {}
    for task in done.select_related("completed_as", "assignee").order_by("completed_at"):
        worker = task.assignee or task.completed_as
        if task.position_id is not None and worker is not None:
            found[task.position_id] = worker
    return found


def _assignments(
    case: Case, step: Step, day: dt.date, returned: bool
) -> list[assignment.Assignment]:
    """Who gets the step's work: one assignment, or one per position of an ``each`` lane."""
    if step.lane.each:
        prefer = _previous_workers(case, step) if returned else {}
        return assignment.resolve_each(step, day, prefer=prefer)
    one = _previous_worker(case, step) if returned else None
    return [assignment.resolve(step, day, prefer=one)]


def _create_task(
    case: Case,
    step: Step,
    at: dt.datetime,
    *,
    actor: Actor = None,
    returned_from: Task | None = None,
) -> Task | None:
    """The task for ``step`` (one per position of an ``each`` lane, the first returned), or the
    end of the case when the flow reaches SELESAI."""
    if step.kind == Step.Kind.END:
        _finish_case(case, at, actor)
        return None
    if step.kind == Step.Kind.START and not step.starts and step.next_step is not None:
        return _create_task(case, step.next_step, at, actor=actor)
    day = at.astimezone(case.agency.tzinfo).date()
    found = _assignments(case, step, day, returned_from is not None)
    batch = uuid.uuid4() if step.lane.each else None
    joint = assignment.joint_people(step, day)
    tasks = [
        _new_task(case, step, at, one, returned_from=returned_from, batch=batch, joint=joint)
        for one in found
    ]
    if step.called_sop_id:
        for task in tasks:
            _start_called_sop(task, at, actor)
    return tasks[0] if tasks else None


def _new_task(
    case: Case,
    step: Step,
    at: dt.datetime,
    found: assignment.Assignment,
    *,
    returned_from: Task | None,
    batch: uuid.UUID | None,
    joint: list[Employee],
) -> Task:
    """One task of ``step`` for ``found``, with its history line; whoever gets it (and the
    people of a joint step's other lanes) are told."""
    day = at.astimezone(case.agency.tzinfo).date()
    due, standard = _time_standard(step, at, calendar_for(case.agency))
    task = Task.objects.create(
        case=case,
        step=step,
        position=found.position,
        team=found.team,
        assignee=found.assignee,
        holding_kind=found.holding_kind,
        shared=found.shared,
        created_at=at,
        due_at=due,
        standard_minutes=standard,
        returned_from=returned_from,
        return_reason=returned_from.reason if returned_from else "",
        batch=batch,
    )
    if found.candidates:
        task.candidates.set(found.candidates)
    _event(
        case,
        "task.returned" if returned_from else "task.created",
        at,
        task=task,
        employee=found.assignee,
        text=_returned_text(returned_from),
    )
    _announce_task(task, found, at, day)
    _add_joint(task, found, joint)
    return task


def _add_joint(task: Task, found: assignment.Assignment, joint: list[Employee]) -> None:
    """A joint step (``with``): the other lanes' people are listed on the task and told of it;
    whoever works on the task itself is not listed again."""
    workers = {e.pk for e in found.candidates}
    if found.assignee is not None:
        workers.add(found.assignee.pk)
    partners = [e for e in joint if e.pk not in workers]
    if partners:
        task.joint_with.set(partners)
        _notify(task, Notification.Kind.JOINT, partners)


def _time_standard(
    step: Step, at: dt.datetime, calendar: AgencyCalendar
) -> tuple[dt.datetime | None, float | None]:
    """(due time, standard in working minutes) of a task of ``step`` created at ``at``; both
    None when the step has no time standard. A range ("1-2 hari") is due at its upper bound. A
    standard counted on the calendar or the clock (hari kalender, bulan, N x 24 jam) counts the
    working minutes between ``at`` and the due time."""
    duration = step.duration
    if duration is None:
        return None, None
    due = add_working_duration(at, duration.value, duration.unit, calendar)
    if duration.counts_on_calendar:
        return due, working_minutes_between(at, due, calendar)
    return due, duration_minutes(duration.value, duration.unit, calendar)


def _returned_text(returned_from: Task | None) -> str:
    """The history line of a task that a Tidak sent back: from which step, and why."""
    if returned_from is None:
        return ""
    return _("Sent back from step %(n)s: %(reason)s") % {
        "n": returned_from.step.number,
        "reason": returned_from.reason,
    }


def _announce_task(task: Task, found: assignment.Assignment, at: dt.datetime, day: dt.date) -> None:
    """Tell whoever gets the new task; when nobody holds the position, record it and tell the
    agency's administrators instead."""
    if not found.unassigned:
        _notify(
            task,
            Notification.Kind.ARRIVED,
            [found.assignee] if found.assignee else found.candidates,
        )
        return
    _event(
        task.case,
        "task.unassigned",
        at,
        task=task,
        text=_("Nobody holds the position on %(day)s.") % {"day": day.isoformat()},
    )
    # the case's administrators, and those of the position's agency (a lane of another agency)
    agencies = {task.case.agency_id}
    if task.position is not None:
        agencies.add(task.position.agency_id)
    admins = [
        r.user
        for r in AgencyRole.objects.filter(
            agency_id__in=agencies, role=AgencyRole.Role.ADMIN
        ).select_related("user")
    ]
    _notify(task, Notification.Kind.UNASSIGNED, users=admins)


def _start_called_sop(task: Task, at: dt.datetime, actor: Actor) -> None:
    """A step that calls another SOP waits while a sub-case of that SOP's effective version
    runs (nothing waits when the called SOP has no effective version)."""
    called = task.step.called_sop
    version = called.effective_version() if called is not None else None
    if version is None:
        return
    task.status = Task.Status.WAITING
    task.save(update_fields=["status"])
    sub = start_case(version, task.case.period, actor, now=at, parent_task=task)
    _event(task.case, "subcase.started", at, task=task, actor=actor, text=sub.title)


def _finish_case(case: Case, at: dt.datetime, actor: Actor = None) -> None:
    case.status = Case.Status.FINISHED
    case.finished_at = at
    case.save(update_fields=["status", "finished_at"])
    _event(case, "case.finished", at, actor=actor)
    _audit("case.finished", actor, case, case, case.title)
    parent = case.parent_task
    if parent is not None and parent.status == Task.Status.WAITING:
        parent = Task.objects.select_for_update().select_related("case", "step").get(pk=parent.pk)
        _close_task(parent, at, actor, note=_("Sub-case finished: %(t)s") % {"t": case.title})
        _event(parent.case, "subcase.finished", at, task=parent, actor=actor, text=case.title)
        _advance(parent, None, at, actor)


def _close_task(
    task: Task,
    at: dt.datetime,
    user: Actor,
    *,
    employee: Employee | None = None,
    note: str = "",
    outcome: str = "",
    reason: str = "",
    output: ActionOutput | None = None,
    on_record: bool = False,
) -> None:
    calendar = calendar_for(task.case.agency)
    task.status = Task.Status.DONE
    task.completed_at = at
    task.completed_by = _login(user)
    task.completed_as = employee
    task.on_record = on_record
    task.note = note
    task.outcome = outcome
    task.reason = reason
    task.action_output = asdict(output) if output else None
    task.actual_minutes = working_minutes_between(task.created_at, at, calendar)
    task.on_time = task.due_at is None or at <= task.due_at
    task.save()


def _batch_waits(task: Task) -> bool:
    """Another task of the task's batch (an ``each`` lane's step) is still open. The batch's
    rows are locked, and every completion locks the case row first, so of two officials
    finishing the last two tasks at once exactly one sees the batch done and moves the case."""
    if task.batch is None:
        return False
    siblings = Task.objects.select_for_update().filter(batch=task.batch).exclude(pk=task.pk)
    return any(s.status in (Task.Status.OPEN, Task.Status.WAITING) for s in siblings)


def _advance(task: Task, answer: bool | None, at: dt.datetime, actor: Actor) -> None:
    """Move the case on from the completed ``task``; a task of a batch whose other tasks are
    still open leaves it where it is (the last one of the batch moves it)."""
    if _batch_waits(task):
        return
    case, step = task.case, task.step
    if step.is_decision:
        following = step.route(answer)
    else:
        following = None if step.is_terminal else step.next_step
    if following is None:
        _finish_case(case, at, actor)
        return
    _create_task(case, following, at, actor=actor, returned_from=task if answer is False else None)


def _lock_case_of(task_id: int) -> None:
    """Lock the row of the task's case: completions of tasks of one case are taken one at a
    time (the case row before the task rows, the order :func:`cancel_case` locks them in)."""
    case_id = Task.objects.filter(pk=task_id).values_list("case_id", flat=True).first()
    if case_id is not None:
        list(Case.objects.select_for_update().filter(pk=case_id).values_list("pk", flat=True))


def _locked(task_id: int) -> Task:
    return (
        Task.objects.select_for_update()
        .select_related("case", "case__agency", "step", "step__lane")
        .get(pk=task_id)
    )


def _closed_message(task: Task) -> str:
    if task.status == Task.Status.DONE:
        who = task.completed_as or task.completed_by
        return _("This task was already completed by %(who)s at %(when)s.") % {
            "who": who,
            "when": timezone.localtime(task.completed_at).strftime("%d-%m-%Y %H:%M"),
        }
    return _("This task is no longer open (%(status)s).") % {"status": task.get_status_display()}


def complete_task(
    task_id: int,
    user: AnyUser,
    *,
    outcome: str | None = None,
    reason: str = "",
    note: str = "",
    files: Iterable[UploadedFile] = (),
    output: ActionOutput | None = None,
    now: dt.datetime | None = None,
) -> Task:
    """Record the task's output and move the case on. At a decision, ``outcome`` is ya or tidak;
    a Tidak needs a reason and sends the case back as the SOP says. Whoever calls it (a page, the
    command line, the API, an action's provider) the user must pass :func:`may_act`."""
    at = _now(now)
    files = list(files)
    for upload in files:
        validate_upload(upload, FILE_TYPES)
    with transaction.atomic():
        _lock_case_of(task_id)
        task = _locked(task_id)
        if task.status != Task.Status.OPEN:
            raise TaskNotOpen(_closed_message(task))
        allowed, on_record = may_act(user, task)
        if not allowed:
            raise PermissionDenied(_("Only the holder of this task can complete it."))
        answer = _decision_answer(task, outcome, reason)
        employee = employee_of(user)
        if task.assignee_id is None and employee is not None and not on_record:
            task.assignee = employee  # taken implicitly by completing
        _close_task(
            task,
            at,
            user,
            employee=employee,
            note=note,
            outcome=outcome or "",
            reason=reason.strip(),
            output=output,
            on_record=on_record,
        )
        for upload in files:
            TaskFile.objects.create(
                task=task, file=upload, name=upload.name or "", uploaded_by=_login(user)
            )
        _record_completion(
            task,
            at,
            user,
            employee,
            decided=answer is not None,
            on_record=on_record,
            text=reason.strip() or note or (output.label if output else ""),
            after={"outcome": outcome or "", "reason": reason, "note": note},
        )
        _advance(task, answer, at, user)
    return task


def _decision_answer(task: Task, outcome: str | None, reason: str) -> bool | None:
    """True for Ya, False for Tidak at a decision step (a Tidak needs a reason), None elsewhere;
    raises :class:`CaseError` when the outcome does not fit the step."""
    if not task.step.is_decision:
        if outcome:
            raise CaseError(_("Only a decision step takes Ya or Tidak."))
        return None
    if outcome not in (Task.Outcome.YES, Task.Outcome.NO):
        raise CaseError(_("This step is a decision: choose Ya or Tidak."))
    answer = outcome == Task.Outcome.YES
    if not answer and not reason.strip():
        raise CaseError(_("Give the reason for Tidak; it is shown to whoever redoes it."))
    return answer


def _record_completion(
    task: Task,
    at: dt.datetime,
    user: AnyUser,
    employee: Employee | None,
    *,
    decided: bool,
    on_record: bool,
    text: str,
    after: dict[str, str],
) -> None:
    """The case event and the audit entry of a completed (or decided) task; an administrator's
    completion on record says so in the history."""
    kind = "task.decided" if decided else "task.completed"
    if on_record:
        text = _("[completed by an administrator on record] %(t)s") % {"t": text}
    _event(
        task.case,
        kind,
        at,
        task=task,
        actor=user,
        employee=employee,
        outcome=after["outcome"],
        text=text,
    )
    _audit(
        f"case.{kind}", user, task, task.case, f"{task.step.number}. {task.step.text}", after=after
    )


def open_action_task(name: str, *, agency_id: int, case_id: int) -> Task | None:
    """The open task of the case whose step binds the action ``name``, if the case belongs to the
    agency ``agency_id``."""
    return (
        Task.objects.filter(
            case_id=case_id,
            case__agency_id=agency_id,
            status=Task.Status.OPEN,
            step__action=name,
        )
        .select_related("case", "step")
        .order_by("pk")
        .first()
    )


def complete_action(
    name: str,
    *,
    agency_id: int,
    case_id: int,
    user: AnyUser,
    output: ActionOutput,
    now: dt.datetime | None = None,
) -> Task | None:
    """A provider finished the work of the action ``name`` for its record of agency ``agency_id``
    made for case ``case_id``: complete the open task of that case bound to the action, if the
    case is that agency's and ``user`` may complete the task (the task page's rule). Nothing is
    taken on trust from the provider: it names its record, the engine finds the task."""
    task = open_action_task(name, agency_id=agency_id, case_id=case_id)
    if task is None:
        log.info("action %s done for case %s of agency %s: no open task", name, case_id, agency_id)
        return None
    if not may_act(user, task)[0]:
        log.info("action %s done by %s, who may not complete task %s", name, user, task.pk)
        return None
    try:
        return complete_task(task.pk, user, output=output, now=now)
    except TaskNotOpen:
        log.info("task %s was already completed when action %s finished", task.pk, name)
        return None


def decide(
    task_id: int,
    user: AnyUser,
    outcome: str,
    reason: str = "",
    *,
    note: str = "",
    now: dt.datetime | None = None,
) -> Task:
    return complete_task(task_id, user, outcome=outcome, reason=reason, note=note, now=now)


def is_offered(user: AnyUser, task: Task) -> bool:
    """The task is (or was) offered to the user: one of the people a shared task goes to."""
    employee = employee_of(user)
    return employee is not None and task.candidates.filter(pk=employee.pk).exists()


def take(task_id: int, user: AnyUser, *, now: dt.datetime | None = None) -> Task:
    """One of the people a shared task is offered to takes it; the others see who did."""
    at = _now(now)
    employee = employee_of(user)
    with transaction.atomic():
        task = _locked(task_id)
        if task.status != Task.Status.OPEN:
            raise TaskNotOpen(_closed_message(task))
        if task.assignee_id is not None:
            raise TaskNotOpen(_("%(who)s already took this task.") % {"who": task.assignee})
        if employee is None or not task.candidates.filter(pk=employee.pk).exists():
            raise PermissionDenied(_("This task is not offered to you."))
        task.assignee = employee
        task.save(update_fields=["assignee"])
        _event(task.case, "task.taken", at, task=task, actor=user, employee=employee)
        _audit("case.task.taken", user, task, task.case, str(employee))
    return task


def delegation_targets(user: AnyUser, task: Task) -> list[Employee]:
    """The subordinates of the official in the agency of the task's position (another agency's,
    for a lane of another agency), else of the case's agency."""
    employee = employee_of(user)
    if employee is None:
        return []
    agency = task.position.agency if task.position is not None else task.case.agency
    day = agency.today()
    people = assignment.subordinates_of(employee, agency, day)
    return [p for p in people if p.pk not in (task.assignee_id, task.delegated_to_id)]


def may_delegate(user: AnyUser, task: Task) -> bool:
    """Whoever works on the task (its holder, or the official it was delegated to) gives it to a
    subordinate; a superior gives a shared task nobody took yet to one it is offered to."""
    employee = employee_of(user)
    if employee is None or not task.is_open:
        return False
    if employee.pk in (task.assignee_id, task.delegated_to_id):
        return True
    if task.assignee_id is not None:
        return False
    targets = {p.pk for p in delegation_targets(user, task)}
    return task.candidates.filter(pk__in=targets).exists()


def delegate(
    task_id: int,
    user: User,
    to: Employee,
    instruction: str = "",
    *,
    now: dt.datetime | None = None,
) -> Delegation:
    """Disposisi: hand the task to a subordinate with an instruction. A superior may also give a
    shared task nobody took yet to one of the people it is offered to."""
    at = _now(now)
    employee = employee_of(user)
    with transaction.atomic():
        task = _locked(task_id)
        if task.status != Task.Status.OPEN:
            raise TaskNotOpen(_closed_message(task))
        if employee is None:
            raise PermissionDenied(_("Only an official can give a disposisi."))
        allowed = [p.pk for p in delegation_targets(user, task)]
        is_worker = employee.pk in (task.assignee_id, task.delegated_to_id)
        assigning_shared = task.assignee_id is None and task.candidates.filter(pk=to.pk).exists()
        if to.pk not in allowed or not (is_worker or assigning_shared):
            raise PermissionDenied(_("You can delegate only your own task to a subordinate."))
        row = Delegation.objects.create(
            task=task,
            from_employee=employee,
            to_employee=to,
            instruction=instruction,
            at=at,
            by=user,
        )
        if assigning_shared and not is_worker:
            task.assignee = to
        else:
            task.delegated_to = to
        task.save(update_fields=["assignee", "delegated_to"])
        _event(
            task.case, "task.delegated", at, task=task, actor=user, employee=to, text=instruction
        )
        _audit(
            "case.task.delegated",
            user,
            task,
            task.case,
            f"{employee} → {to}",
            after={"to": to.pk, "instruction": instruction},
        )
        _notify(task, Notification.Kind.ARRIVED, [to])
    return row


def may_cancel(user: AnyUser, case: Case) -> bool:
    """The case's agency administrators, whoever started it, the head of the agency."""
    if can_administer(user, case.agency) or (case.started_by_id and case.started_by_id == user.pk):
        return True
    employee = employee_of(user)
    if employee is None:
        return False
    held = assignment.positions_held(employee, case.agency.today(), case.agency)
    return any(p.is_head and p.unit_id is None for p in held)


def cancel_case(case_id: int, user: User, reason: str, *, now: dt.datetime | None = None) -> Case:
    at = _now(now)
    if not reason.strip():
        raise CaseError(_("Give the reason for cancelling; it is kept with the case."))
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("agency").get(pk=case_id)
        if case.status != Case.Status.OPEN:
            raise CaseError(_("Only a running case can be cancelled."))
        if not may_cancel(user, case):
            raise PermissionDenied(_("You may not cancel this case."))
        case.status = Case.Status.CANCELLED
        case.cancelled_at, case.cancelled_by, case.cancel_reason = at, user, reason.strip()
        case.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        for task in case.tasks.open():
            task.status = Task.Status.CANCELLED
            task.save(update_fields=["status"])
            sub = Case.objects.filter(parent_task=task, status=Case.Status.OPEN).first()
            if sub is not None:
                cancel_case(sub.pk, user, reason, now=at)
        _event(case, "case.cancelled", at, actor=user, employee=employee_of(user), text=reason)
        _audit("case.cancelled", user, case, case, reason)
    return case


def annotate(
    case_id: int, user: AnyUser, text: str, *, now: dt.datetime | None = None
) -> CaseEvent:
    """Add a remark to a case's history; the only change a finished case accepts."""
    if not text.strip():
        raise CaseError(_("The remark is empty."))
    case = get_case_for_user(user, case_id)
    if not works_for_case(user, case):
        raise PermissionDenied(_("Only the officials of the case's agency add remarks."))
    with transaction.atomic():
        event = _event(
            case,
            "case.annotated",
            _now(now),
            actor=user,
            employee=employee_of(user),
            text=text.strip(),
        )
        _audit("case.annotated", user, case, case, text)
    return event


def reassign_open_tasks(agency: Agency | None = None, *, now: dt.datetime | None = None) -> int:
    """Give open tasks whose holder no longer holds the position to the holder of today.
    ``agency``: the tasks of its cases and those of its positions (a lane of another agency)."""
    at = _now(now)
    tasks = Task.objects.filter(
        status=Task.Status.OPEN, position__isnull=False, shared=False, team__isnull=True
    ).select_related("case__agency", "position")
    if agency is not None:
        tasks = tasks.filter(models.Q(case__agency=agency) | models.Q(position__agency=agency))
    changed = 0
    for task in tasks:
        position = task.position
        if position is None:
            continue  # none, by the filter; says so to the type checker
        day = at.astimezone(task.case.agency.tzinfo).date()
        holding = assignment.current_holder(position, day)
        if _stays_with_its_holder(task, position, holding, day):
            continue
        if _give_to_holder(task.pk, holding, at):
            changed += 1
    return changed


def _stays_with_its_holder(
    task: Task, position: Position, holding: PositionHolding | None, day: dt.date
) -> bool:
    """The task stays where it is: today's holder has it, its holder still holds the position
    (one of several holders), or nobody holds the position and nobody had the task."""
    new = holding.employee if holding else None
    if new is not None and new.pk == task.assignee_id:
        return True
    if (
        task.assignee_id
        and PositionHolding.objects.active_on(day)
        .filter(position=position, employee_id=task.assignee_id)
        .exists()
    ):
        return True
    return new is None and task.assignee_id is None


def _give_to_holder(task_id: int, holding: PositionHolding | None, at: dt.datetime) -> bool:
    """Give the task (if still open) to the holder of ``holding``, or to nobody; tell them."""
    new = holding.employee if holding else None
    with transaction.atomic():
        locked = _locked(task_id)
        if locked.status != Task.Status.OPEN:
            return False
        old = locked.assignee
        locked.assignee = new
        locked.holding_kind = holding.kind if holding else ""
        locked.delegated_to = None
        locked.save(update_fields=["assignee", "holding_kind", "delegated_to"])
        _event(
            locked.case,
            "task.reassigned",
            at,
            task=locked,
            employee=new,
            text=f"{old or '-'} → {new or '-'}",
        )
        _audit("case.task.reassigned", None, locked, locked.case, f"{old} → {new}")
        if new is not None:
            _notify(locked, Notification.Kind.ARRIVED, [new])
    return True
