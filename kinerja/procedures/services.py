"""Every write of SOP definitions: import a file as a new version, approve a draft.

Views, the ``kinerja sop`` command, the demo and the tests call these functions; each checks its
precondition, writes in one transaction and records an audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.organisation.models import Agency, Position, Team
from kinerja.procedures.access import can_approve, can_upload
from kinerja.procedures.models import Lane, RelatedSop, Sop, SopVersion, Step
from kinerja.procedures.sopfile import (
    InvalidSopFile,
    Problem,
    SopSpec,
    StepSpec,
    agency_code_of,
    line_of_field,
    parse_sop_file,
)

#: Who imports or approves: a login, or None for the server's operator (the demo, a command run
#: without ``--as``), recorded in the audit log without an actor.
Actor: TypeAlias = User | AnonymousUser | None


class _AgencyOrganisation:
    """The validator's questions about other agencies (:class:`sopfile.Organisation`),
    answered for an SOP of ``agency``: a lane may name an agency of the same region."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency

    def agency_problem(self, code: str) -> str | None:
        other = Agency.objects.filter(code=code).select_related("region").first()
        if other is None:
            return _("Unknown agency %(code)s.") % {"code": code}
        if other.region_id != self.agency.region_id:
            return _(
                "Agency %(code)s belongs to %(region)s; a lane may name only an agency of "
                "%(own)s, the region of %(agency)s."
            ) % {
                "code": code,
                "region": other.region,
                "own": self.agency.region,
                "agency": self.agency.code,
            }
        return None

    def position_codes(self, code: str) -> set[str]:
        return set(Position.objects.filter(agency__code=code).values_list("code", flat=True))

    def unit_heads(self, code: str, kind: str) -> list[str]:
        heads = Position.objects.filter(agency__code=code, is_head=True, unit__kind=kind).order_by(
            "unit__order", "unit__code", "order", "code"
        )
        return list(heads.values_list("code", flat=True))


def parse_for_agency(text: str, agency: Agency | None = None) -> tuple[SopSpec, Agency]:
    """Check a file against the agency it names (or ``agency``): the whole file, every actor,
    every problem reported at once; then the registry's rule that a number names one SOP of the
    agency."""
    if agency is None:
        code = agency_code_of(text)
        agency = Agency.objects.filter(code=code).first() if code else None
    if agency is None:
        spec = parse_sop_file(text)  # raises for the file's own problems first
        raise InvalidSopFile(
            [
                Problem(
                    line_of_field(text, "agency") or 1,
                    "agency",
                    _("Unknown agency %(code)s.") % {"code": spec.agency},
                )
            ]
        )
    spec = parse_sop_file(
        text,
        agency_code=agency.code,
        position_codes=agency.positions.values_list("code", flat=True),
        team_codes=agency.teams.values_list("code", flat=True),
        organisation=_AgencyOrganisation(agency),
    )
    clash = number_clash(agency, spec.key, spec.number)
    if clash is not None:
        raise InvalidSopFile(
            [
                Problem(
                    line_of_field(text, "number"),
                    "number",
                    _(
                        "Number %(number)s is already the number of “%(existing)s” (key "
                        "%(key)s) in %(agency)s; “%(name)s” cannot have it too. Give it its own "
                        "number, or write key: %(key)s to revise that SOP."
                    )
                    % {
                        "number": spec.number,
                        "existing": clash.name,
                        "key": clash.key,
                        "agency": agency.code,
                        "name": spec.name,
                    },
                )
            ]
        )
    return spec, agency


def number_clash(agency: Agency, key: str, number: str) -> Sop | None:
    """Another SOP of ``agency`` (not the one with ``key``) whose number, or the number of one of
    its versions in force or in draft, is ``number``; None when the number is free."""
    if not number.strip():
        return None
    in_use = Q(number=number) | Q(
        versions__number=number,
        versions__status__in=(SopVersion.Status.DRAFT, SopVersion.Status.EFFECTIVE),
    )
    return Sop.objects.filter(in_use, agency=agency).exclude(key=key).order_by("pk").first()


def _strip_sop(text: str) -> str:
    return re.sub(r"^\s*(sop|prosedur)\s+", "", text.strip(), flags=re.IGNORECASE).lower()


def find_related(agency: Agency, text: str, number: str = "") -> Sop | None:
    """The registry SOP a Keterkaitan entry means: by number, else by name (without "SOP")."""
    candidates = Sop.objects.filter(agency__region__in=agency.region.family_ids())
    if number:
        return (
            candidates.filter(agency=agency, number=number).first()
            or candidates.filter(number=number).first()
        )
    wanted = _strip_sop(text)
    if not wanted:
        return None
    for sop in candidates.filter(agency=agency):
        if sop.number == text.strip() or sop.name.lower() == wanted:
            return sop
    return None


@dataclass
class ImportResult:
    version: SopVersion
    created_sop: bool
    unchanged: bool = False
    made_effective: bool = False  # an unchanged draft that ``effective`` made effective


def import_sop(
    text: str,
    *,
    agency: Agency | None = None,
    user: Actor = None,
    effective: bool = False,
    check_permission: bool = True,
) -> ImportResult:
    """Write a checked SOP file as a new version of its SOP (created on first import).

    The version is a draft unless ``effective``: then it is made effective at once, which a
    ``user`` may ask only when they may approve the agency's SOPs (the head, or its Plt./Plh.;
    None is the server's operator, as for the demo's built-ins). A file identical to the latest
    version's source writes no new version; with ``effective`` a draft of it becomes effective.
    Raises :class:`InvalidSopFile` and writes nothing when the file is invalid, and
    ``PermissionDenied`` when the user may not upload, or not approve.
    """
    spec, agency = parse_for_agency(text, agency)
    if check_permission and user is not None:
        if not can_upload(user, agency):
            raise PermissionDenied
        if effective and not can_approve(user, agency):
            raise PermissionDenied(
                _(
                    "%(user)s may not approve the SOPs of %(agency)s, so the file cannot be made "
                    "effective; import it without --effective and have the head approve it."
                )
                % {"user": user.get_username(), "agency": agency.code}
            )
    with transaction.atomic():
        sop = Sop.objects.select_for_update().filter(agency=agency, key=spec.key).first()
        created = sop is None
        if sop is None:
            sop = Sop.objects.create(
                agency=agency, key=spec.key, number=spec.number, name=spec.name
            )
        latest = sop.latest_version()
        if latest is not None and latest.source_yaml == text:
            if effective and latest.is_draft:
                _make_effective(latest, user, note="import --effective")
                return ImportResult(
                    version=latest, created_sop=False, unchanged=True, made_effective=True
                )
            return ImportResult(version=latest, created_sop=False, unchanged=True)
        version = _write_version(sop, spec, text, user, (latest.version + 1) if latest else 1)
        audit.record(
            "procedures.sop.imported",
            actor=user,
            obj=version,
            agency_code=agency.code,
            summary=f"{sop.number or sop.key} v{version.version}: {spec.name}",
            after={"version": version.version, "steps": len(spec.steps), "key": spec.key},
        )
        if effective:
            _make_effective(version, user, note="import --effective")
    return ImportResult(version=version, created_sop=created)


def _write_version(sop: Sop, spec: SopSpec, text: str, user: Actor, number: int) -> SopVersion:
    """Write ``spec`` as version ``number`` of ``sop``: the heading, the Keterkaitan, the lanes
    and the steps with their flow (the caller holds the transaction)."""
    version = _write_heading(sop, spec, text, user, number)
    _write_related_sops(version, spec)
    lanes = _write_lanes(version, spec)
    steps = {
        step_spec.number: _write_step(version, step_spec, lanes[step_spec.lane])
        for step_spec in spec.steps
    }
    _link_steps(spec, steps)
    _join_lanes(spec, steps, lanes)
    return version


def _write_heading(sop: Sop, spec: SopSpec, text: str, user: Actor, number: int) -> SopVersion:
    """The version itself: the SOP sheet's heading, its lists and the file as uploaded."""
    approved_by = spec.approved_by
    approver = None
    if approved_by.get("position"):
        approver = Position.objects.get(agency=sop.agency, code=approved_by["position"])
    return SopVersion.objects.create(
        sop=sop,
        version=number,
        number=spec.number,
        name=spec.name,
        drafted_on=spec.drafted_on,
        revised_on=spec.revised_on,
        revision_text=spec.revision_text,
        effective_on=spec.effective_on,
        approver_position=approver,
        approver_position_text=approved_by.get("as_printed", ""),
        signer_preface=approved_by.get("preface", ""),
        signer_title=approved_by.get("title", ""),
        signer_name=approved_by.get("name", ""),
        signer_rank=approved_by.get("rank", ""),
        signer_nip=approved_by.get("nip", ""),
        legal_basis=spec.legal_basis,
        qualifications=spec.qualifications,
        equipment=spec.equipment,
        warnings=spec.warnings,
        records=spec.records,
        notes=spec.notes,
        source_yaml=text,
        created_by=user if isinstance(user, User) else None,  # an AnonymousUser is nobody
    )


def _write_related_sops(version: SopVersion, spec: SopSpec) -> None:
    """Keterkaitan, each entry linked to the registry's SOP it names when there is one."""
    agency = version.sop.agency
    for order, item in enumerate(spec.related_sops):
        RelatedSop.objects.create(
            version=version,
            order=order,
            text=item["text"],
            sop=find_related(agency, item["text"], item.get("number", "")),
        )


def _write_lanes(version: SopVersion, spec: SopSpec) -> dict[str, Lane]:
    """The lanes with their team or positions (checked to exist by the parse), by key."""
    own = version.sop.agency
    lanes: dict[str, Lane] = {}
    for order, lane_spec in enumerate(spec.lanes):
        agency = Agency.objects.get(code=lane_spec.agency) if lane_spec.agency else own
        lane = Lane.objects.create(
            version=version,
            order=order,
            key=lane_spec.key,
            name=lane_spec.name,
            team=Team.objects.get(agency=own, code=lane_spec.team) if lane_spec.team else None,
            agency=agency if agency != own else None,
            each=lane_spec.each,
            each_unit_kind=lane_spec.each_unit_kind,
        )
        if lane_spec.positions:
            positions = {
                p.code: p
                for p in Position.objects.filter(agency=agency, code__in=lane_spec.positions)
            }
            for code in lane_spec.positions:  # one by one: the rows keep the file's order
                lane.positions.add(positions[code])
        lanes[lane_spec.key] = lane
    return lanes


def _write_step(version: SopVersion, step_spec: StepSpec, lane: Lane) -> Step:
    """One step, without its flow (:func:`_link_steps` adds it once every step exists)."""
    duration = step_spec.duration
    calls = step_spec.calls
    return Step.objects.create(
        version=version,
        number=step_spec.number,
        text=step_spec.text,
        lane=lane,
        kind=step_spec.kind,
        starts=step_spec.starts,
        ends=step_spec.ends,
        inputs=step_spec.inputs,
        time_text=step_spec.time_text,
        time_value=duration.value if duration else None,
        time_value_min=duration.low if duration else None,
        time_unit=duration.unit if duration else "",
        output=step_spec.output,
        note=step_spec.note,
        question=step_spec.question,
        action=step_spec.action,
        records_minutes=step_spec.records_minutes,
        called_sop_text=calls,
        called_sop=find_related(version.sop.agency, calls) if calls else None,
    )


def _link_steps(spec: SopSpec, steps: dict[int, Step]) -> None:
    """Each step's next step, and a decision's Ya and Tidak steps."""
    for step_spec in spec.steps:
        step = steps[step_spec.number]
        step.next_step = steps.get(step_spec.next) if step_spec.next else None
        step.yes_step = steps.get(step_spec.yes) if step_spec.yes else None
        step.no_step = steps.get(step_spec.no) if step_spec.no else None
        step.save(update_fields=["next_step", "yes_step", "no_step"])


def _join_lanes(spec: SopSpec, steps: dict[int, Step], lanes: dict[str, Lane]) -> None:
    """The lanes each joint step is done together with (``with``)."""
    for step_spec in spec.steps:
        if step_spec.with_lanes:
            steps[step_spec.number].with_lanes.set([lanes[k] for k in step_spec.with_lanes])


def _make_effective(version: SopVersion, user: Actor, note: str = "") -> None:
    sop = version.sop
    before = {"status": version.status}
    replaced = list(sop.versions.filter(status=SopVersion.Status.EFFECTIVE).exclude(pk=version.pk))
    for old in replaced:
        old.status = SopVersion.Status.SUPERSEDED
        old.save(update_fields=["status"])
    sop.versions.filter(status=SopVersion.Status.DRAFT, version__lt=version.version).update(
        status=SopVersion.Status.SUPERSEDED
    )
    version.status = SopVersion.Status.EFFECTIVE
    version.approved_at = timezone.now()
    version.approved_by = user if isinstance(user, User) else None  # an AnonymousUser is nobody
    version.save(update_fields=["status", "approved_at", "approved_by"])
    sop.number, sop.name = version.number, version.name
    sop.save(update_fields=["number", "name"])
    audit.record(
        "procedures.sop.approved",
        actor=user,
        obj=version,
        agency_code=sop.agency.code,
        summary=f"{sop.number or sop.key} v{version.version} {note}".strip(),
        before=before,
        after={"status": version.status, "superseded": [v.version for v in replaced]},
    )


def approve_version(version: SopVersion, user: Actor) -> SopVersion:
    """The head of the agency (or its Plt./Plh.) approves a draft: it becomes the effective
    version and the one it replaces is superseded."""
    with transaction.atomic():
        version = (
            SopVersion.objects.select_for_update().select_related("sop__agency").get(pk=version.pk)
        )
        if not can_approve(user, version.sop.agency):
            raise PermissionDenied
        if version.status != SopVersion.Status.DRAFT:
            raise ValidationError(_("Only a draft version can be approved."))
        _make_effective(version, user)
    return version
