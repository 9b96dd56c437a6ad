"""The sample SOP Penyusunan LAKIP SKPD (docs/examples) imports and runs to the end: a lane of the
Setda's Bagian Organisasi, a step each Bidang does (the case waits for all three), a step the Tim
does together with the Bidang (they are told), and the doors around the Setda official's task."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kinerja.cases import reminders, services
from kinerja.cases.models import Case, Notification, Task
from kinerja.organisation.models import AgencyRole, Employee, Position, PositionHolding, Team
from kinerja.procedures.models import Lane
from kinerja.procedures.services import import_sop
from tests.officials import DINKES
from tests.procedures.lakip_org import build, person, sample_text

MONDAY = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def org(offices):
    return build(offices["DKUKMTK-BLG"].region)


@pytest.fixture
def version(org):
    return import_sop(sample_text(), effective=True).version


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_tasks(case: Case, number: int) -> list[Task]:
    return list(case.tasks.filter(step__number=number, status=Task.Status.OPEN).order_by("pk"))


def complete(case: Case, number: int, user, at: dt.datetime, **kwargs) -> Task:
    (task,) = [t for t in open_tasks(case, number) if services.may_act(user, t)[0]]
    return services.complete_task(task.pk, user, now=at, **kwargs)


def test_the_sample_imports_with_its_lanes(org, version):
    lanes = {lane.key: lane for lane in version.lanes.all()}
    assert lanes["org"].agency == org.setda
    assert [p.code for p in lanes["org"].positions.all()] == ["KABAG-ORG"]
    assert lanes["bidang"].each and lanes["bidang"].each_unit_kind == "bidang"
    assert [p.code for p in lanes["bidang"].ordered_positions()] == [
        "KABID-BM",
        "KABID-SDA",
        "KABID-CK",
    ]
    assert [lane.key for lane in version.step(3).with_lanes.all()] == ["bidang"]
    assert not Lane.objects.filter(version=version, key="tim", each=True).exists()
    # the time standards as offices print them, each read
    steps = list(version.ordered_steps())
    assert steps[0].time_text == "1 (satu) hari" and steps[3].time_text == "1 jam 30 menit"
    assert all(step.duration is not None for step in steps)
    # the YAML export is the file as imported, and importing it again changes nothing
    again = import_sop(version.source_yaml, effective=True)
    assert again.unchanged and again.version == version


@pytest.mark.django_db
def test_the_sample_runs_to_the_end(org, version):
    u = org.user
    case = services.start_case(version, "2024", u("sekretaris"), now=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    complete(case, 1, u("sekretaris"), at)

    # step 2: one task per Bidang at once, for each Bidang's head; the case waits for all three
    bidang = open_tasks(case, 2)
    assert [t.assignee.user for t in bidang] == [u("kabid1"), u("kabid2"), u("kabid3")]
    assert len({t.batch for t in bidang}) == 1 and bidang[0].batch is not None
    for n in (1, 2):
        complete(case, 2, u(f"kabid{n}"), at + dt.timedelta(minutes=n))
        assert not case.tasks.filter(step__number=3).exists()
    page = client_of(u("sekretaris")).get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    assert b'data-done="2" data-total="3"' in page.content
    complete(case, 2, u("kabid3"), at + dt.timedelta(minutes=3))

    # step 3: one task for the Tim; the three Kabid are listed with it and told of it
    (joint,) = open_tasks(case, 3)
    assert joint.team is not None and set(joint.candidates.all()) == {
        u("tim1").employee,
        u("tim2").employee,
    }
    assert {e.user for e in joint.joint_with.all()} == {u("kabid1"), u("kabid2"), u("kabid3")}
    for n in (1, 2, 3):
        assert Notification.objects.filter(
            user=u(f"kabid{n}"), task=joint, kind=Notification.Kind.JOINT
        ).exists()
    page = client_of(u("kabid2")).get(reverse("cases:task", args=[joint.pk]))
    assert page.status_code == 200 and b'data-testid="joint-with"' in page.content
    assert b'data-testid="complete-form"' not in page.content  # told, not given the task
    complete(case, 3, u("tim1"), at + dt.timedelta(hours=2))
    complete(case, 4, u("sekretaris"), at + dt.timedelta(hours=3), outcome="ya")

    # step 5: the Setda official's task, in their inbox, on its page, completed on the page
    (asistensi,) = open_tasks(case, 5)
    assert asistensi.assignee.user == u("kabag_org") and asistensi.position.agency == org.setda
    kabag = client_of(u("kabag_org"))
    inbox = kabag.get(reverse("cases:inbox"))
    assert f'data-task-id="{asistensi.pk}"'.encode() in inbox.content
    page = kabag.get(reverse("cases:task", args=[asistensi.pk]))
    assert page.status_code == 200 and b'data-testid="complete-form"' in page.content
    assert kabag.get(reverse("cases:case", args=[case.pk])).status_code == 200
    assert kabag.get(f"/api/v1/tasks/{asistensi.pk}/").status_code == 200
    response = kabag.post(reverse("cases:complete", args=[asistensi.pk]), {"note": "Asistensi"})
    assert response.status_code == 302
    asistensi.refresh_from_db()
    assert asistensi.status == Task.Status.DONE and asistensi.completed_as.user == u("kabag_org")

    complete(case, 6, u("tim2"), at + dt.timedelta(days=1))
    complete(case, 7, u("kadis"), at + dt.timedelta(days=1, hours=1), outcome="ya")

    # step 8: the final LAKIP to the Bupati through the Setda, completed on the command line
    (final,) = open_tasks(case, 8)
    out = StringIO()
    kabag_login = u("kabag_org").username
    call_command("task", "complete", str(final.pk), "--as", kabag_login, stdout=out)
    assert f"completed task {final.pk}" in out.getvalue()
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED


def reach_asistensi(org, version) -> tuple[Case, Task]:
    """A case of the sample walked to step 5, the Setda official's asistensi."""
    u = org.user
    case = services.start_case(version, "2024", u("sekretaris"), now=MONDAY)
    at = MONDAY + dt.timedelta(hours=1)
    complete(case, 1, u("sekretaris"), at)
    for n in (1, 2, 3):
        complete(case, 2, u(f"kabid{n}"), at)
    complete(case, 3, u("tim1"), at)
    complete(case, 4, u("sekretaris"), at, outcome="ya")
    (task,) = open_tasks(case, 5)
    return case, task


def test_the_setda_task_follows_its_position(org, version):
    """A new Kabag Organisasi (a holding of the Setda) gets the Dinas case's open task."""
    _case, task = reach_asistensi(org, version)
    kabag = Position.objects.get(agency=org.setda, code="KABAG-ORG")
    PositionHolding.objects.filter(position=kabag).update(end=dt.date(2025, 3, 3))
    new = Employee.objects.create(agency=org.setda, full_name="Kabag Organisasi Baru")
    PositionHolding.objects.create(position=kabag, employee=new, start=dt.date(2025, 3, 4))
    later = MONDAY + dt.timedelta(days=1)
    assert services.reassign_open_tasks(org.setda, now=later) == 1
    task.refresh_from_db()
    assert task.assignee == new


@pytest.mark.django_db
def test_the_setda_official_sees_only_what_the_task_needs(org, version, official):
    u = org.user
    case, task = reach_asistensi(org, version)
    other_case = services.start_case(version, "2023", u("sekretaris"), now=MONDAY)
    at = MONDAY + dt.timedelta(hours=2)
    kabag = client_of(u("kabag_org"))
    # the Dinas's other case, and its tasks, stay closed to the Setda official
    other_task = other_case.tasks.get()
    assert kabag.get(reverse("cases:case", args=[other_case.pk])).status_code == 404
    assert kabag.get(reverse("cases:task", args=[other_task.pk])).status_code == 404
    # the case page is read-only for them: no remark
    page = kabag.get(reverse("cases:case", args=[case.pk]))
    assert reverse("cases:annotate", args=[case.pk]).encode() not in page.content
    assert kabag.post(reverse("cases:annotate", args=[case.pk]), {"text": "x"}).status_code == 403
    # a Kabid of another region, and an official of a third agency of the region, see nothing
    for outsider in (u("outsider"), official(DINKES.kabid_kesmas)):
        client = client_of(outsider)
        assert client.get(reverse("cases:task", args=[task.pk])).status_code == 404
        assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404
        assert client.post(reverse("cases:complete", args=[task.pk]), {}).status_code == 404
        assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
        with pytest.raises(CommandError):
            call_command("task", "complete", str(task.pk), "--as", outsider.username)
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    # the Setda official delegates to a subordinate of their own agency, who then may act
    assert [e.user for e in services.delegation_targets(u("kabag_org"), task)] == [u("staf_org")]
    services.delegate(task.pk, u("kabag_org"), u("staf_org").employee, "Tolong diperiksa")
    staf = client_of(u("staf_org"))
    assert staf.get(reverse("cases:task", args=[task.pk])).status_code == 200
    services.complete_task(task.pk, u("staf_org"), now=at)
    assert open_tasks(case, 6)


def test_the_sample_prints_and_exports(version):
    from kinerja.procedures.bpmn import export_bpmn
    from kinerja.procedures.document import render_html

    html = render_html(version)
    # the joint step's mark, in the Bidang lane (each sheet's row slices repeat the drawing)
    assert set(re.findall(r'class="joint" data-step="(\d+)" data-lane="(\w+)"', html)) == {
        ("3", "bidang")
    }
    for name in ("Bidang-bidang", "Bagian Organisasi", "Tim Penyusun LAKIP"):
        assert name in html
    bpmn = export_bpmn(version)
    assert bpmn.count("multiInstanceLoopCharacteristics") == 1
    assert "Bersama: Bidang-bidang" in bpmn
    assert "positions KABAG-ORG of SETDA-BLG" in bpmn


def test_a_setda_member_of_the_dinas_team_works_on_its_task(org, version):
    """The team workaround of the issue: a member of another agency sees the team's task in the
    inbox, opens it and completes it (the page, the command line and the API agree)."""
    u = org.user
    team = Team.objects.get(agency=org.dinas, code="TIM-LAKIP")
    team.members.add(u("staf_org").employee, through_defaults={"role": "anggota"})
    case = services.start_case(version, "2024", u("sekretaris"), now=MONDAY)
    complete(case, 1, u("sekretaris"), MONDAY)
    for n in (1, 2, 3):
        complete(case, 2, u(f"kabid{n}"), MONDAY)
    (task,) = open_tasks(case, 3)
    staf = client_of(u("staf_org"))
    assert f'data-task-id="{task.pk}"'.encode() in staf.get(reverse("cases:inbox")).content
    assert staf.get(reverse("cases:task", args=[task.pk])).status_code == 200
    assert staf.get(reverse("cases:case", args=[case.pk])).status_code == 200
    assert staf.post(reverse("cases:complete", args=[task.pk]), {"note": "ok"}).status_code == 302
    task.refresh_from_db()
    assert task.completed_as == u("staf_org").employee
    team.members.remove(u("staf_org").employee)  # out of the team: the case closes to them
    assert staf.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_the_setda_superior_and_administrators_are_told_and_may_read(org, version):
    """Escalations reach the other agency's side: the Kabag's superior when the task is overdue,
    the Setda's administrators when nobody holds the position. Told, they read the task and its
    case; they do not complete it."""
    u = org.user
    kabag = Position.objects.get(agency=org.setda, code="KABAG-ORG")
    above = Position.objects.create(
        agency=org.setda, code="ASISTEN-UJI", name="Asisten Pemerintahan", kind="struktural"
    )
    Position.objects.filter(pk=kabag.pk).update(superior=above)
    asisten = person(org.setda, above, "uji.asisten", "Asisten Pemerintahan", "198001012005019001")
    case, task = reach_asistensi(org, version)
    reminders.collect_due(now=task.due_at + dt.timedelta(days=1))
    assert Notification.objects.filter(
        user=asisten, task=task, kind=Notification.Kind.OVERDUE_SUPERIOR
    ).exists()
    client = client_of(asisten)
    assert client.get(reverse("cases:task", args=[task.pk])).status_code == 200
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200
    assert client.post(reverse("cases:complete", args=[task.pk]), {}).status_code == 403

    # nobody holds KABAG-ORG on the day the next case reaches it: the Setda's administrator is told
    PositionHolding.objects.filter(position=kabag).update(end=dt.date(2025, 3, 2))
    AgencyRole.objects.create(user=u("staf_org"), agency=org.setda, role=AgencyRole.Role.ADMIN)
    later = services.start_case(version, "2023", u("sekretaris"), now=MONDAY)
    for number, who in ((1, "sekretaris"), (2, "kabid1"), (2, "kabid2"), (2, "kabid3")):
        complete(later, number, u(who), MONDAY)
    complete(later, 3, u("tim1"), MONDAY)
    complete(later, 4, u("sekretaris"), MONDAY, outcome="ya")
    (nobody,) = open_tasks(later, 5)
    assert nobody.assignee is None
    assert Notification.objects.filter(
        user=u("staf_org"), task=nobody, kind=Notification.Kind.UNASSIGNED
    ).exists()
    admin = client_of(u("staf_org"))
    assert f'data-task-id="{nobody.pk}"'.encode() in admin.get(reverse("cases:inbox")).content
    assert admin.get(reverse("cases:task", args=[nobody.pk])).status_code == 200
    assert admin.post(reverse("cases:complete", args=[nobody.pk]), {}).status_code == 403
