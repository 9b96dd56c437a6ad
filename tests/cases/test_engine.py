"""The engine: each seed SOP from MULAI to SELESAI through the services, as the demo officials."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.cases import services
from kinerja.cases.models import Case, CaseEvent, Notification, Task
from kinerja.core.models import AuditEntry
from tests.cases.helpers import actor_of, open_task, walk
from tests.officials import ADPIM, DINKES, DKUKMTK, KTT


def test_sop_001_runs_to_the_end(seed_sops, official, monday):
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    assert case.title.endswith("Tahun 2024")
    first = open_task(case)
    assert first.assignee.user.username == DKUKMTK.sekretaris
    trail = walk(case)
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED
    assert [n for n, _, _ in trail] == list(range(1, 12))
    users = dict((n, u) for n, u, _ in trail)
    assert users[1] == DKUKMTK.sekretaris
    assert users[2] == DKUKMTK.kasubbag
    assert users[9] == DKUKMTK.kepala  # Plt. Kepala Dinas
    assert users[11] in (DKUKMTK.staf, DKUKMTK.staf2)
    assert case.tasks.get(step__number=9).holding_kind == "plt"
    assert case.events.filter(kind="case.finished").exists()
    assert (
        AuditEntry.objects.filter(action="case.task.completed", agency_code="DKUKMTK-BLG").count()
        == 11
    )


def test_sop_002_all_ya(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024-Q3", official(DINKES.sekretaris), now=monday)
    trail = walk(case)
    assert [n for n, _, _ in trail] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED


def test_sop_002_tidak_at_step_7_goes_back_to_step_6_with_the_reason(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024-S1", official(DINKES.sekretaris), now=monday)
    trail = walk(case, answers={7: ["tidak", "ya"], 8: ["ya"]})
    assert [n for n, _, _ in trail] == [1, 2, 3, 4, 5, 6, 7, 6, 7, 8, 9]
    again = case.tasks.filter(step__number=6).order_by("pk").last()
    assert again.return_reason == "Belum lengkap"
    assert again.returned_from.step.number == 7
    first = case.tasks.filter(step__number=6).order_by("pk").first()
    assert again.assignee_id == first.assignee_id  # back to its holder
    assert case.events.filter(kind="task.returned", text__contains="Belum lengkap").exists()


def test_sop_002_tidak_at_step_8_goes_back_to_step_7(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    trail = walk(case, answers={8: ["tidak", "ya"]})
    assert [n for n, _, _ in trail] == [1, 2, 3, 4, 5, 6, 7, 8, 7, 8, 9]
    assert [o for n, _, o in trail if n == 8] == ["tidak", "ya"]
    assert case.tasks.filter(step__number=7).last().return_reason == "Belum lengkap"


def test_sop_003_runs_to_the_end(seed_sops, official, monday):
    case = services.start_case(seed_sops["003"], "2024", official(KTT.kepala), now=monday)
    trail = walk(case)
    assert [n for n, _, _ in trail] == list(range(1, 11))
    assert trail[0][1] == KTT.kepala


def test_sop_004_runs_to_the_end_with_the_team(seed_sops, official):
    start = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    case = services.start_case(seed_sops["004"], "2024", official(ADPIM.kasubag), now=start)
    trail = walk(case)
    assert [n for n, _, _ in trail] == list(range(1, 10))
    team_task = case.tasks.get(step__number=5)
    assert team_task.team is not None and team_task.candidates.count() > 1
    assert trail[-1][1] == ADPIM.kepala


def test_due_time_uses_the_agency_calendar(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    task = open_task(case)  # 15 Menit
    assert task.due_at == monday + dt.timedelta(minutes=15)
    assert task.standard_minutes == 15


def test_decision_needs_an_answer_and_tidak_a_reason(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    for _ in range(6):
        task = open_task(case)
        services.complete_task(task.pk, actor_of(task), now=monday)
    task = open_task(case)
    assert task.step.number == 7
    with pytest.raises(services.CaseError):
        services.complete_task(task.pk, actor_of(task), now=monday)
    with pytest.raises(services.CaseError):
        services.decide(task.pk, actor_of(task), "tidak", "  ", now=monday)
    services.decide(task.pk, actor_of(task), "ya", now=monday)


def test_only_the_holder_completes_and_an_administrator_on_record(seed_sops, official, monday):
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    task = open_task(case)
    for username in (DKUKMTK.kasubbag, DINKES.kepala, DKUKMTK.staf):
        with pytest.raises(PermissionDenied):
            services.complete_task(task.pk, official(username), now=monday)
    services.complete_task(task.pk, official(DKUKMTK.admin), note="dicatat", now=monday)
    task.refresh_from_db()
    assert task.on_record
    with pytest.raises(services.TaskNotOpen, match="sudah diselesaikan"):
        services.complete_task(task.pk, official(DKUKMTK.sekretaris), now=monday)


def test_outsider_and_plain_staff_cannot_start(seed_sops, official, monday):
    with pytest.raises(PermissionDenied):
        services.start_case(seed_sops["001"], "2024", official(DINKES.kepala), now=monday)
    with pytest.raises(PermissionDenied):
        services.start_case(seed_sops["001"], "2024", official(DKUKMTK.staf), now=monday)


def test_shared_task_is_offered_and_taken_by_one(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    services.complete_task(open_task(case).pk, official(DINKES.sekretaris), now=monday)
    task = open_task(case)  # step 2: Kepala Bidang, two bidang heads
    assert task.shared and task.assignee is None
    names = {e.user.username for e in task.candidates.all()}
    assert names == {DINKES.kabid_kesmas, DINKES.kabid_p2p}
    assert Notification.objects.filter(task=task, kind="arrived").count() == 2
    services.take(task.pk, official(DINKES.kabid_p2p), now=monday)
    with pytest.raises(services.TaskNotOpen):
        services.take(task.pk, official(DINKES.kabid_kesmas), now=monday)
    with pytest.raises(PermissionDenied):
        services.complete_task(task.pk, official(DINKES.kabid_kesmas), now=monday)
    services.complete_task(task.pk, official(DINKES.kabid_p2p), now=monday)


def test_delegation_disposisi_is_kept(seed_sops, official, monday):
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    services.complete_task(open_task(case).pk, official(DKUKMTK.sekretaris), now=monday)
    task = open_task(case)  # step 2, Kasubbag
    staf = official(DKUKMTK.staf).employee
    targets = services.delegation_targets(official(DKUKMTK.kasubbag), task)
    assert staf in targets
    with pytest.raises(PermissionDenied):
        services.delegate(task.pk, official(DKUKMTK.staf2), staf, "no")
    row = services.delegate(task.pk, official(DKUKMTK.kasubbag), staf, "Tolong buat format")
    task.refresh_from_db()
    assert task.delegated_to == staf and row.instruction == "Tolong buat format"
    services.complete_task(task.pk, official(DKUKMTK.staf), note="Format dibuat", now=monday)
    task.refresh_from_db()
    assert task.completed_as == staf
    assert case.events.filter(kind="task.delegated", text="Tolong buat format").exists()


def test_reassigned_when_the_holder_changes_mid_case(seed_sops, official, monday):
    from kinerja.organisation.models import PositionHolding

    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    services.complete_task(open_task(case).pk, official(DKUKMTK.sekretaris), now=monday)
    task = open_task(case)
    holding = PositionHolding.objects.get(position=task.position, end__isnull=True)
    today = case.agency.today()
    holding.end = today - dt.timedelta(days=1)
    holding.save()
    new_person = official(DKUKMTK.kasubbag_umpeg).employee
    PositionHolding.objects.create(
        position=task.position, employee=new_person, kind="plh", start=today - dt.timedelta(days=1)
    )
    services.reassign_open_tasks(case.agency)
    task.refresh_from_db()
    assert task.assignee == new_person and task.holding_kind == "plh"
    assert case.events.filter(kind="task.reassigned").exists()
    services.complete_task(task.pk, new_person.user, now=monday)


def test_unassigned_when_nobody_holds_the_position(seed_sops, official, monday):
    from kinerja.organisation.models import PositionHolding

    PositionHolding.objects.filter(
        position__code="KASUBBAG-PKA", position__agency__code="DKUKMTK-BLG"
    ).update(end=dt.date(2023, 1, 2))
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    services.complete_task(open_task(case).pk, official(DKUKMTK.sekretaris), now=monday)
    task = open_task(case)
    assert task.assignee is None and not task.candidates.exists()
    from kinerja.cases.access import unassigned_tasks

    assert task in unassigned_tasks(case.agency)
    assert Notification.objects.filter(
        task=task, kind="unassigned", user__username=DKUKMTK.admin
    ).exists()


def test_cancel_keeps_the_case_and_its_reason(seed_sops, official, monday):
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    with pytest.raises(services.CaseError):
        services.cancel_case(case.pk, official(DKUKMTK.kepala), "")
    with pytest.raises(PermissionDenied):
        services.cancel_case(case.pk, official(DKUKMTK.staf), "bosan")
    services.cancel_case(case.pk, official(DKUKMTK.kepala), "Salah periode")
    case.refresh_from_db()
    assert case.status == Case.Status.CANCELLED and case.cancel_reason == "Salah periode"
    assert not case.tasks.filter(status=Task.Status.OPEN).exists()
    with pytest.raises(Exception, match="never deleted"):
        case.delete()


def test_finished_case_is_only_annotated(seed_sops, official, monday):
    case = services.start_case(seed_sops["003"], "2024", official(KTT.kepala), now=monday)
    walk(case)
    services.annotate(case.pk, official(KTT.sekretaris), "Sudah diunggah ke e-SAKIP")
    assert case.events.filter(kind="case.annotated").count() == 1
    with pytest.raises(services.CaseError):
        services.cancel_case(case.pk, official(KTT.kepala), "x")
    from django.http import Http404

    with pytest.raises(Http404):
        services.annotate(case.pk, official(DINKES.kepala), "x")


def test_case_keeps_its_sop_version(seed_sops, official, monday):
    from kinerja.procedures.services import import_sop

    case = services.start_case(seed_sops["003"], "2024", official(KTT.kepala), now=monday)
    old = case.sop_version
    text = old.source_yaml + "\n# revised\n"
    import_sop(text, effective=True, check_permission=False)
    assert seed_sops["003"].effective_version() != old
    walk(case)
    case.refresh_from_db()
    assert case.sop_version == old
    assert set(case.tasks.values_list("step__version", flat=True)) == {old.pk}


def test_draft_version_cannot_run(seed_sops, official, monday):
    from kinerja.procedures.services import import_sop

    draft = import_sop(
        seed_sops["003"].effective_version().source_yaml + "\n# draft\n", check_permission=False
    ).version
    with pytest.raises(services.CaseError):
        services.start_case(draft, "2024", official(KTT.kepala), now=monday)


def test_sub_case_runs_and_the_calling_task_continues(seed_sops, official):
    from kinerja.procedures.services import import_sop

    called = """format: kinerja-sop/1
agency: ADPIM-KALBAR
key: penerbitan-undangan-rapat-tim
number: ""
name: Penerbitan Undangan Rapat Tim
lanes:
  - {key: staf, name: Staf, positions: [STAF]}
  - {key: kasubag, name: Kasubag, positions: [KASUBAG-TU]}
steps:
  - {number: 1, text: Menyusun konsep undangan, lane: staf, start: true, time: 30 menit, output: Konsep undangan}
  - {number: 2, text: Memaraf dan mengirim undangan, lane: kasubag, end: true, time: 10 menit, output: Undangan}
"""
    import_sop(called, effective=True, check_permission=False)
    caller = import_sop(
        seed_sops["004"].effective_version().source_yaml + "\n# with registry link\n",
        effective=True,
        check_permission=False,
    ).version
    step2 = caller.step(2)
    assert step2.called_sop is not None
    start = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    case = services.start_case(caller.sop, "2024", official(ADPIM.kasubag), now=start)
    services.complete_task(open_task(case).pk, official(ADPIM.kasubag), now=start)
    waiting = case.tasks.get(step__number=2)
    assert waiting.status == Task.Status.WAITING
    sub = waiting.sub_case
    assert sub.parent_task == waiting and sub.period == "2024"
    walk(sub)
    waiting.refresh_from_db()
    assert waiting.status == Task.Status.DONE
    assert open_task(case).step.number == 3
    walk(case)
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED


def test_action_done_completes_the_task_of_the_records_case(seed_sops, official, monday):
    """A provider names its record's agency and case; the engine completes that case's task
    bound to the action for a user who may complete it (here its holder)."""
    from kinerja.core import actions

    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    services.complete_task(open_task(case).pk, official(DKUKMTK.sekretaris), now=monday)
    task = open_task(case)
    assert task.step.action == "generate_forms"
    done = actions.done(
        "generate_forms",
        agency_id=case.agency_id,
        case_id=case.pk,
        user=official(DKUKMTK.kasubbag),
        output=actions.ActionOutput("Formulir 2024", url="/x/"),
    )
    task.refresh_from_db()
    assert done == task.pk and task.status == Task.Status.DONE
    assert task.action_output["label"] == "Formulir 2024"


def test_every_event_has_a_time(seed_sops, official, monday):
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    walk(case)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "case.started" and kinds[-1] == "case.finished"
    assert not CaseEvent.objects.filter(case=case, at__isnull=True).exists()
