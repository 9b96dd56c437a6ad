"""Bringing a seed SOP's case to its archive step, and signing a version, through the services."""

from __future__ import annotations

from kinerja.cases import services as cases
from kinerja.cases.models import Task
from kinerja.documents.services.signoff import sign_version
from kinerja.documents.services.versions import generate_version, initial_version
from kinerja.procedures.models import Sop
from tests.cases.helpers import actor_of, open_task


def case_at_archive_step(agency, starter) -> Task:
    """Start the office's report SOP and complete every step up to its archive step."""
    from kinerja.procedures.demo import load as load_seed_sops

    if not Sop.objects.filter(agency=agency).exists():
        load_seed_sops()
    sop = Sop.objects.filter(agency=agency, key__startswith="penyusunan").first()
    case = cases.start_case(sop, "2024", starter)
    for _ in range(40):
        task = open_task(case)
        if task.step.action == "archive":
            return task
        cases.complete_task(
            task.pk,
            actor_of(task),
            outcome="ya" if task.step.is_decision else None,
            note=f"langkah {task.step.number}",
        )
    raise AssertionError("the SOP has no archive step")


def signed_version(document, drafter, head, passphrase: str, *, initials=()):
    """Generate a version (PDF only), give the initials in order, and have the head sign it."""
    version = generate_version(document, actor=drafter, formats=("pdf",))
    for official in initials:
        initial_version(version, actor=official)
    return sign_version(version, actor=head, passphrase=passphrase)
