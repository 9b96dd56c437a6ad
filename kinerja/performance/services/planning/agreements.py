"""Editing the performance agreement (PK) in pages: save a draft, amend, sign, compare versions.

A signed PK version is never changed: an amendment is a new version filled from the one it amends.
Each function is one state change (:mod:`kinerja.performance.services.editing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.formats import format_number_id
from kinerja.organisation.models import Agency
from kinerja.performance.models import (
    AgreementIndicator,
    AgreementProgram,
    Indicator,
    PerformanceAgreement,
    Target,
)
from kinerja.performance.services import budget, editing
from kinerja.performance.services.editing import PlanEditError

PK_HEADER = ("first_party", "second_party", "second_party_title", "reason")


def _agreement_state(agreement: PerformanceAgreement) -> dict[str, Any]:
    state = editing.snapshot(agreement, PK_HEADER)
    state["indicators"] = {
        row.indicator.code: editing.shown_target(row)
        for row in agreement.indicators.select_related("indicator")
    }
    state["programs"] = {
        row.program.code: editing.plain(row.budget)
        for row in agreement.programs.select_related("program")
    }
    return state


def save_agreement(
    agreement: PerformanceAgreement,
    header: Mapping[str, Any],
    indicators: Mapping[int, Mapping[str, Any]],
    programs: Mapping[int, Mapping[str, Any]],
    user: Any,
) -> PerformanceAgreement:
    """Replace a draft PK version's parties, indicator targets and program budgets.

    ``indicators`` and ``programs`` hold only the chosen rows, keyed by indicator or program id.
    A signed version never changes: make a PK Perubahan instead.
    """
    with transaction.atomic():
        locked = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != PerformanceAgreement.Status.DRAFT:
            raise PlanEditError(
                _("%(pk)s is signed and cannot change; make a PK Perubahan.") % {"pk": locked}
            )
        before = _agreement_state(locked)
        for name in PK_HEADER:
            if name in header:
                setattr(locked, name, header[name])
        editing.save(locked, user)
        _replace_indicators(locked, indicators)
        _replace_programs(locked, programs)
        _record_change(locked, before, user)
    return locked


def _replace_indicators(
    agreement: PerformanceAgreement, indicators: Mapping[int, Mapping[str, Any]]
) -> None:
    """Drop the indicators not chosen, add the new ones and save the targets that changed."""
    current = {row.indicator_id: row for row in agreement.indicators.all()}
    for indicator_id, row in current.items():
        if indicator_id not in indicators:
            row.delete()
    for indicator_id, values in indicators.items():
        row = current.get(indicator_id) or AgreementIndicator(
            agreement=agreement, indicator_id=indicator_id
        )
        if row.pk and editing.same_target(row, values):
            continue
        editing.set_target(row, values)
        row.save()


def _replace_programs(
    agreement: PerformanceAgreement, programs: Mapping[int, Mapping[str, Any]]
) -> None:
    """Drop the programs not chosen and save the budget and note of the chosen ones."""
    current = {row.program_id: row for row in agreement.programs.all()}
    for program_id, row in current.items():
        if program_id not in programs:
            row.delete()
    for program_id, values in programs.items():
        row = current.get(program_id) or AgreementProgram(
            agreement=agreement, program_id=program_id
        )
        row.budget = values["budget"]
        row.note = values.get("note", "")
        row.save()


def _record_change(agreement: PerformanceAgreement, before: dict[str, Any], user: Any) -> None:
    """Audit what the save changed, if anything."""
    old, new = editing.changes(before, _agreement_state(agreement))
    if new:
        audit.record(
            "performance.agreement.changed",
            actor=user,
            obj=agreement,
            agency_code=agreement.agency.code,
            summary=_("%(pk)s changed: %(fields)s")
            % {"pk": agreement, "fields": ", ".join(sorted(new))},
            before=old,
            after=new,
        )


def amend_agreement(agency: Agency, year: int, reason: str, user: Any) -> PerformanceAgreement:
    """Make the next PK version of the year as a draft copied from the latest one.

    With no PK yet, version 1 is made from the Renstra targets of the year and the budget of the
    agency's programs. Only one draft exists at a time; earlier versions are never touched.
    """
    try:
        return _amend(agency, year, reason, user)
    except IntegrityError:
        # two planners made the first version at the same moment: the other one won
        raise PlanEditError(
            _("Another version of this PK was just made; reload the page.")
        ) from None


def _amend(agency: Agency, year: int, reason: str, user: Any) -> PerformanceAgreement:
    with transaction.atomic():
        versions = list(
            PerformanceAgreement.objects.select_for_update()
            .filter(agency=agency, year=year)
            .order_by("-version")
        )
        latest = versions[0] if versions else None
        if latest is not None and latest.status == PerformanceAgreement.Status.DRAFT:
            raise PlanEditError(
                _("%(pk)s is still a draft: edit it instead of making a new version.")
                % {"pk": latest}
            )
        if latest is None:
            head = agency.positions.filter(unit__isnull=True, is_head=True).first()
            if head is None:
                raise PlanEditError(_("The agency has no head position to sign the PK."))
            agreement = PerformanceAgreement(agency=agency, year=year, version=1, first_party=head)
        else:
            agreement = PerformanceAgreement(
                agency=agency,
                year=year,
                version=latest.version + 1,
                first_party=latest.first_party,
                second_party=latest.second_party,
                second_party_title=latest.second_party_title,
            )
        agreement.reason = reason
        editing.save(agreement, user)
        if latest is None:
            _fill_from_plan(agreement)
        else:
            AgreementIndicator.objects.bulk_create(
                AgreementIndicator(
                    agreement=agreement,
                    indicator_id=row.indicator_id,
                    value=row.value,
                    upper=row.upper,
                    text=row.text,
                )
                for row in latest.indicators.all()
            )
            AgreementProgram.objects.bulk_create(
                AgreementProgram(
                    agreement=agreement, program_id=row.program_id, budget=row.budget, note=row.note
                )
                for row in latest.programs.all()
            )
        audit.record(
            "performance.agreement.created",
            actor=user,
            obj=agreement,
            agency_code=agency.code,
            summary=_("%(pk)s created: %(reason)s") % {"pk": agreement, "reason": reason},
            after={"version": agreement.version, "from_version": latest and latest.version},
        )
    return agreement


def _fill_from_plan(agreement: PerformanceAgreement) -> None:
    indicators = (
        Indicator.objects.for_agency(agreement.agency).active_in(agreement.year).filter(is_key=True)
    )
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(indicator__in=indicators, year=agreement.year)
    }
    AgreementIndicator.objects.bulk_create(
        AgreementIndicator(
            agreement=agreement,
            indicator_id=indicator_id,
            value=t.value,
            upper=t.upper,
            text=t.text,
        )
        for indicator_id, t in targets.items()
    )
    # each program's pagu of the year, from the one budget service the reports use
    AgreementProgram.objects.bulk_create(
        AgreementProgram(agreement=agreement, program=line.program, budget=line.amounts.ceiling)
        for line in budget.for_agency(agreement.agency, agreement.year).programs
        if line.amounts.ceiling
    )


def sign_agreement(
    agreement: PerformanceAgreement, signed_on: dt.date, user: Any
) -> PerformanceAgreement:
    """Record that a draft PK version was signed on ``signed_on``; from then on it is final."""
    with transaction.atomic():
        locked = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != PerformanceAgreement.Status.DRAFT:
            raise PlanEditError(_("%(pk)s is already signed.") % {"pk": locked})
        if not locked.indicators.exists():
            raise PlanEditError(_("Choose at least one indicator before signing the PK."))
        locked.status = PerformanceAgreement.Status.SIGNED
        locked.signed_on = signed_on
        editing.save(locked, user)
        audit.record(
            "performance.agreement.signed",
            actor=user,
            obj=locked,
            agency_code=locked.agency.code,
            summary=_("%(pk)s signed on %(date)s") % {"pk": locked, "date": signed_on.isoformat()},
            before={"status": "draft"},
            after={"status": "signed", "signed_on": signed_on.isoformat()},
        )
    return locked


@dataclass
class Difference:
    """One row that differs between two PK versions (empty text: not in that version)."""

    kind: str  # "indicator" or "program"
    code: str
    name: str
    before: str
    after: str


def compare_agreements(
    older: PerformanceAgreement, newer: PerformanceAgreement
) -> list[Difference]:
    """The indicator targets and program budgets that differ between two versions."""
    return _indicator_differences(older, newer) + _program_differences(older, newer)


def _indicator_differences(
    older: PerformanceAgreement, newer: PerformanceAgreement
) -> list[Difference]:
    """The indicators whose target differs or that are in one version only, by code."""
    found: list[Difference] = []
    rows_a = {r.indicator_id: r for r in older.indicators.select_related("indicator")}
    rows_b = {r.indicator_id: r for r in newer.indicators.select_related("indicator")}
    for key in sorted(
        rows_a.keys() | rows_b.keys(), key=lambda k: (rows_b.get(k) or rows_a[k]).indicator.code
    ):
        a, b = rows_a.get(key), rows_b.get(key)
        if a is None or b is None:
            indicator = (b or rows_a[key]).indicator
        elif not editing.same_target(a, editing.snapshot(b, editing.TARGET_FIELDS)):
            indicator = b.indicator
        else:
            continue
        text_a = editing.shown_target(a) if a else ""
        text_b = editing.shown_target(b) if b else ""
        found.append(Difference("indicator", indicator.code, indicator.name, text_a, text_b))
    return found


def _program_differences(
    older: PerformanceAgreement, newer: PerformanceAgreement
) -> list[Difference]:
    """The programs whose budget differs or that are in one version only, by code."""
    found: list[Difference] = []
    prog_a = {r.program_id: r for r in older.programs.select_related("program")}
    prog_b = {r.program_id: r for r in newer.programs.select_related("program")}
    for key in sorted(
        prog_a.keys() | prog_b.keys(), key=lambda k: (prog_b.get(k) or prog_a[k]).program.code
    ):
        a, b = prog_a.get(key), prog_b.get(key)
        if a is None or b is None or a.budget != b.budget:
            program = (b or prog_a[key]).program
            found.append(
                Difference(
                    "program",
                    program.code,
                    program.name,
                    format_number_id(a.budget, 2) if a else "",
                    format_number_id(b.budget, 2) if b else "",
                )
            )
    return found
