"""Collection rounds: open a round (freezing its indicators), reopen or close its window, remind
late units, mark the forms generated or distributed, accept or return a unit's submission in the
review window, and the round's status. Every state change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.formats import format_date_id
from kinerja.core.mail import address_of, send_notice
from kinerja.core.periods import Period
from kinerja.organisation.models import Agency, PositionHolding, Unit
from kinerja.performance.models import (
    CollectionRound,
    Indicator,
    Reminder,
    RoundIndicator,
    SubActivity,
    Submission,
)
from kinerja.performance.models.collection import SubmissionReview
from kinerja.performance.services import achievement


class RoundError(Exception):
    pass


def reporting_unit(indicator: Indicator) -> Unit | None:
    return indicator.unit or indicator.objective.unit


def default_windows(agency: Agency, period: Period) -> tuple[dt.date, dt.date]:
    """Fill until 10 days after the period ends (or 10 days from today), review 7 days more."""
    base = max(period.end, agency.today())
    return base + dt.timedelta(days=10), base + dt.timedelta(days=17)


@transaction.atomic
def open_round(
    agency: Agency,
    period: Period,
    user: Any = None,
    *,
    fill_until: dt.date | None = None,
    review_until: dt.date | None = None,
    case_id: int | None = None,
) -> CollectionRound:
    """Open the round of ``period``: the indicators it uses are frozen here (§ issue).
    ``case_id``: the case whose steps the round serves, from a task the caller resolved through
    ``core.actions.resolve_task`` (never a number from a request)."""
    if CollectionRound.objects.filter(agency=agency, period=period.code).exists():
        raise RoundError(_("A round for %(period)s is already open.") % {"period": period.label()})
    fill_until, review_until = _windows(agency, period, fill_until, review_until)
    collection_round = CollectionRound.objects.create(
        agency=agency,
        period=period.code,
        fill_until=fill_until,
        review_until=review_until,
        opened_by=user if getattr(user, "is_authenticated", False) else None,
        case_id=case_id,
    )
    frozen = _freeze_indicators(collection_round, agency, period)
    RoundIndicator.objects.bulk_create(frozen)
    audit.record(
        "performance.round.opened",
        actor=user,
        obj=collection_round,
        agency_code=agency.code,
        summary=f"{period.label()}: {len(frozen)} indicators",
        after={"fill_until": str(fill_until), "review_until": str(review_until)},
    )
    return collection_round


def _windows(
    agency: Agency, period: Period, fill_until: dt.date | None, review_until: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The fill and review windows' ends: the ones given, else the defaults; the review window
    never ends before the fill window."""
    default_fill, default_review = default_windows(agency, period)
    fill_until = fill_until or default_fill
    review_until = review_until or max(default_review, fill_until)
    if review_until < fill_until:
        raise RoundError(_("The review window must end after the fill window."))
    return fill_until, review_until


def _freeze_indicators(
    collection_round: CollectionRound, agency: Agency, period: Period
) -> list[RoundIndicator]:
    """The agency's indicators active in the period (not retired before it starts) as frozen
    for the round, with their targets for the period and the year; an indicator with no
    reporting unit is left out."""
    indicators = list(
        Indicator.objects.for_agency(agency)
        .active_in(period.year)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gte=period.start))
        .select_related("objective", "objective__plan", "unit", "lookup_table")
    )
    results = {r.indicator.pk: r for r in achievement.compute(agency, period, indicators)}
    frozen = []
    for order, indicator in enumerate(indicators):
        unit = reporting_unit(indicator)
        if unit is not None:
            frozen.append(_frozen(collection_round, indicator, unit, results[indicator.pk], order))
    return frozen


def _frozen(
    collection_round: CollectionRound,
    indicator: Indicator,
    unit: Unit,
    result: achievement.IndicatorResult,
    order: int,
) -> RoundIndicator:
    """The indicator's definition and targets as the round keeps them, whatever changes later."""
    table = indicator.lookup_table
    labels = "|".join(e.label for e in table.entries.all()) if table is not None else ""
    return RoundIndicator(
        round=collection_round,
        indicator=indicator,
        unit=unit,
        code=indicator.code,
        name=indicator.name,
        unit_of_measure=indicator.unit_of_measure,
        polarity=indicator.polarity,
        formula=indicator.effective_formula,
        aggregation=indicator.aggregation,
        target_kind=indicator.target_kind,
        decimals=indicator.decimals,
        is_percentage=indicator.is_percentage,
        max_value=indicator.max_value,
        allows_negative=indicator.allows_negative,
        evidence_kinds=indicator.evidence_kinds,
        has_components=indicator.has_components,
        numerator_label=indicator.numerator_label,
        denominator_label=indicator.denominator_label,
        multiplier=indicator.multiplier,
        period_target=result.target.value,
        period_target_upper=result.target.upper,
        year_target=result.year_target.value,
        year_target_upper=result.year_target.upper,
        target_text=result.target.text or result.year_target.text,
        lookup_labels=labels,
        order=order,
    )


_FROZEN: dict[tuple[int, int, str], list[RoundIndicator]] = {}


def units_of(collection_round: CollectionRound) -> list[Unit]:
    ids = collection_round.indicators.values_list("unit_id", flat=True).distinct()
    return list(Unit.objects.filter(pk__in=ids).order_by("order", "name"))


def round_indicators(collection_round: CollectionRound, unit: Unit) -> list[RoundIndicator]:
    """The unit's frozen indicators of the round. They never change once the round is open, so
    they are kept in memory (a bounded cache) for the many checks of an import."""
    key = (collection_round.pk, unit.pk, collection_round.opened_at.isoformat())
    if key not in _FROZEN:
        if len(_FROZEN) > 2000:
            _FROZEN.clear()
        _FROZEN[key] = list(collection_round.indicators.filter(unit=unit).order_by("order"))
    return list(_FROZEN[key])


def sub_activities_of(unit: Unit) -> list[SubActivity]:
    return list(SubActivity.objects.filter(unit=unit).select_related("activity__program"))


def all_submitted(collection_round: CollectionRound) -> bool:
    needed = set(collection_round.indicators.values_list("unit_id", flat=True))
    done = set(collection_round.submissions.values_list("unit_id", flat=True))
    return bool(needed) and needed <= done


@transaction.atomic
def reopen(
    collection_round: CollectionRound, until: dt.date, reason: str, user: Any = None
) -> CollectionRound:
    """Reopen (or extend) the fill window: an explicit act, with a reason, in the audit log."""
    if not reason.strip():
        raise RoundError(_("Give the reason for reopening the window."))
    locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
    if until < locked.agency.today():
        raise RoundError(_("The new closing date is in the past."))
    before = {"fill_until": str(locked.fill_until), "closed_at": str(locked.closed_at)}
    locked.fill_until = until
    locked.review_until = max(locked.review_until, until)
    locked.closed_at = None
    locked.save(update_fields=["fill_until", "review_until", "closed_at"])
    audit.record(
        "performance.round.reopened",
        actor=user,
        obj=locked,
        agency_code=locked.agency.code,
        summary=reason,
        before=before,
        after={"fill_until": str(until), "reason": reason},
    )
    return locked


@transaction.atomic
def close(collection_round: CollectionRound, user: Any = None) -> None:
    collection_round.closed_at = timezone.now()
    collection_round.save(update_fields=["closed_at"])
    audit.record(
        "performance.round.closed",
        actor=user,
        obj=collection_round,
        agency_code=collection_round.agency.code,
    )


def review_open(collection_round: CollectionRound, day: dt.date | None = None) -> bool:
    """Whether the reviewing official may accept or return submissions: from the first
    submission until the review window closes (``review_until``), unless the round is closed.
    Reopening the round (:func:`reopen`) extends it."""
    day = day or collection_round.agency.today()
    return collection_round.closed_at is None and day <= collection_round.review_until


def latest_submission(collection_round: CollectionRound, unit: Unit) -> Submission | None:
    return (
        Submission.objects.filter(round=collection_round, unit=unit)
        .select_related("review")
        .order_by("-version")
        .first()
    )


def decision_of(submission: Submission | None) -> SubmissionReview | None:
    if submission is None:
        return None
    try:
        return submission.review
    except SubmissionReview.DoesNotExist:
        return None


def returned(collection_round: CollectionRound, unit: Unit) -> SubmissionReview | None:
    """The return decision on the unit's latest version, if that version was returned."""
    return _return_of(latest_submission(collection_round, unit))


def _return_of(submission: Submission | None) -> SubmissionReview | None:
    found = decision_of(submission)
    return (
        found
        if found is not None and found.decision == SubmissionReview.Decision.RETURNED
        else None
    )


def can_submit(collection_round: CollectionRound, unit: Unit, day: dt.date | None = None) -> bool:
    """A unit submits while the fill window is open; a unit whose latest version was returned
    may submit again after it, until the review window closes."""
    if collection_round.fill_open(day):
        return True
    return review_open(collection_round, day) and returned(collection_round, unit) is not None


def accept(
    collection_round: CollectionRound, unit: Unit, version: int, user: Any = None
) -> SubmissionReview:
    """The reviewing official accepts version ``version`` of the unit's submission."""
    return _decide(collection_round, unit, version, SubmissionReview.Decision.ACCEPTED, "", user)


def return_submission(
    collection_round: CollectionRound, unit: Unit, version: int, reason: str, user: Any = None
) -> SubmissionReview:
    """The reviewing official returns version ``version`` to the unit with ``reason``; the unit
    may submit again until the review window closes."""
    if not reason.strip():
        raise RoundError(_("Give the reason for returning the submission."))
    return _decide(
        collection_round, unit, version, SubmissionReview.Decision.RETURNED, reason.strip(), user
    )


def _decide(
    collection_round: CollectionRound,
    unit: Unit,
    version: int,
    decision: str,
    reason: str,
    user: Any,
) -> SubmissionReview:
    with transaction.atomic():
        locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
        if not review_open(locked):
            raise RoundError(
                _("The review window of this round is closed; reopen the round first.")
            )
        latest = latest_submission(locked, unit)
        if latest is None:
            raise RoundError(_("%(unit)s has not submitted anything yet.") % {"unit": unit.name})
        if latest.version != version:
            raise RoundError(
                _("Version %(newer)s has arrived since; review that version.")
                % {"newer": latest.version}
            )
        if decision_of(latest) is not None:
            raise RoundError(
                _("Version %(version)s already has a decision.") % {"version": version}
            )
        found = SubmissionReview.objects.create(
            submission=latest,
            decision=decision,
            reason=reason,
            reviewed_by=user if getattr(user, "is_authenticated", False) else None,
        )
        audit.record(
            f"performance.submission.{decision}",
            actor=user,
            obj=latest,
            agency_code=locked.agency.code,
            summary=f"{unit.code} {locked.period} v{version}" + (f": {reason}" if reason else ""),
            after={"decision": decision, "reason": reason, "version": version},
        )
    return found


def unit_head_addresses(unit: Unit, day: dt.date) -> list[str]:
    """E-mail addresses of whoever heads ``unit`` on ``day``: the definitive holder and any
    Plt. or Plh. of the unit's head position."""
    holdings = PositionHolding.objects.active_on(day).filter(
        position__unit=unit, position__is_head=True
    )
    addresses = []
    for holding in holdings.select_related("employee", "employee__user"):
        employee = holding.employee
        addresses.append(employee.email or address_of(employee.user))
    return sorted({a for a in addresses if a})


def remind(collection_round: CollectionRound, unit: Unit, user: Any = None) -> Reminder:
    """Record a reminder to a unit that has not submitted and e-mail it (in Indonesian) to the
    unit's head and their Plt./Plh. with the round, the period, the deadline and the link.
    ``reminder.recipients`` lists the addresses written to."""
    agency = collection_round.agency
    if not collection_round.indicators.filter(unit=unit).exists():
        raise RoundError(_("%(unit)s has no indicators in this round.") % {"unit": unit.name})
    latest = latest_submission(collection_round, unit)
    if latest is not None and _return_of(latest) is None:
        raise RoundError(_("%(unit)s has already submitted.") % {"unit": unit.name})
    addresses = unit_head_addresses(unit, agency.today())
    with transaction.atomic():
        reminder = Reminder.objects.create(round=collection_round, unit=unit, sent_by=user)
        audit.record(
            "performance.round.reminded",
            actor=user,
            obj=collection_round,
            agency_code=agency.code,
            summary=unit.code,
            after={"unit": unit.code, "to": addresses},
        )
    with translation.override("id"):
        period = collection_round.period_obj.label()
        link = settings.SITE_URL + reverse(
            "performance:unit_form", args=[collection_round.pk, unit.code]
        )
        send_notice(
            _("Reminder: performance data %(period)s for %(unit)s")
            % {"period": period, "unit": unit.name},
            [
                _(
                    "The figures of %(unit)s for the collection round %(period)s of %(agency)s have not been submitted yet."
                )
                % {"unit": unit.name, "period": period, "agency": agency.name},
                _("Deadline: %(date)s") % {"date": format_date_id(collection_round.fill_until)},
                _("Fill in the form or upload it here: %(link)s") % {"link": link},
            ],
            addresses,
        )
    reminder.recipients = addresses
    return reminder


def serve_case(
    collection_round: CollectionRound, case_id: int, user: Any = None
) -> CollectionRound:
    """The round now serves the case ``case_id`` (resolved by the caller through
    ``core.actions.resolve_task``): its generate, distribute and collect steps are reported there."""
    with transaction.atomic():
        locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
        before = locked.case_id
        locked.case_id = case_id
        locked.save(update_fields=["case_id"])
        audit.record(
            "performance.round.case",
            actor=user,
            obj=locked,
            agency_code=collection_round.agency.code,
            before={"case": before},
            after={"case": case_id},
        )
    collection_round.case_id = case_id
    return collection_round


def mark(collection_round: CollectionRound, step: str, user: Any = None) -> None:
    """Record that the forms were generated or distributed, and finish the bound task."""
    field_name = {
        "generate_forms": "forms_generated_at",
        "distribute_forms": "forms_distributed_at",
    }[step]
    setattr(collection_round, field_name, timezone.now())
    collection_round.save(update_fields=[field_name])
    audit.record(
        f"performance.round.{step}",
        actor=user,
        obj=collection_round,
        agency_code=collection_round.agency.code,
    )


@dataclass
class UnitStatus:
    unit: Unit
    indicators: int
    latest: Submission | None
    late: bool
    reminders: int

    @property
    def review(self) -> SubmissionReview | None:
        return decision_of(self.latest)

    @property
    def state(self) -> str:
        """waiting, late (nothing yet, the fill window has passed), submitted (not yet
        reviewed), returned or accepted (the decision on the latest version)."""
        if self.latest is not None:
            review = self.review
            return review.decision if review is not None else "submitted"
        return "late" if self.late else "waiting"


def status(collection_round: CollectionRound, day: dt.date | None = None) -> list[UnitStatus]:
    day = day or collection_round.agency.today()
    latest: dict[int, Submission] = {}
    for s in collection_round.submissions.select_related("review").order_by("unit_id", "-version"):
        latest.setdefault(s.unit_id, s)
    counts: dict[int, int] = {}
    for unit_id in collection_round.indicators.values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    reminders: dict[int, int] = {}
    for unit_id in collection_round.reminders.values_list("unit_id", flat=True):
        reminders[unit_id] = reminders.get(unit_id, 0) + 1
    return [
        UnitStatus(
            unit,
            counts.get(unit.pk, 0),
            latest.get(unit.pk),
            unit.pk not in latest and day > collection_round.fill_until,
            reminders.get(unit.pk, 0),
        )
        for unit in units_of(collection_round)
    ]
