"""Collection rounds: open a round (freezing its indicators), submit a unit's figures, reopen the
window, remind late units, and the round's status. Every state change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja.core import actions, audit
from kinerja.core.actions import ActionOutput
from kinerja.core.periods import Period
from kinerja.organisation.models import Agency, Unit
from kinerja.performance import formulas
from kinerja.performance.models import (
    Actual,
    CollectionRound,
    Evidence,
    Indicator,
    Reminder,
    RoundIndicator,
    Spending,
    SubActivity,
    Submission,
)
from kinerja.performance.services import achievement


class RoundError(Exception):
    pass


@dataclass
class ValueInput:
    """One quarterly figure a unit gives for an indicator."""

    indicator_id: int
    quarter: int
    value: Decimal | None = None
    text: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = Actual.Status.PROVISIONAL
    explanation: str = ""
    evidence_link: str = ""
    evidence_text: str = ""
    evidence_files: list[UploadedFile] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.value is None and not self.text and self.numerator is None

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator_id,
            "quarter": self.quarter,
            "value": None if self.value is None else str(self.value),
            "text": self.text,
            "numerator": None if self.numerator is None else str(self.numerator),
            "denominator": None if self.denominator is None else str(self.denominator),
            "status": self.status,
            "explanation": self.explanation,
            "evidence_link": self.evidence_link,
            "evidence_text": self.evidence_text,
            "evidence_files": [f.name for f in self.evidence_files],
        }


@dataclass
class SpendingInput:
    sub_activity_id: int
    quarter: int
    amount: Decimal


@dataclass(frozen=True)
class Problem:
    """Why a submission cannot be accepted, tied to an indicator (and quarter) where it can be."""

    indicator_id: int | None
    quarter: int | None
    message: str


class SubmissionRejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


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
    user=None,
    *,
    fill_until: dt.date | None = None,
    review_until: dt.date | None = None,
    task_id: int | None = None,
) -> CollectionRound:
    """Open the round of ``period``: the indicators it uses are frozen here (§ issue)."""
    if CollectionRound.objects.filter(agency=agency, period=period.code).exists():
        raise RoundError(_("A round for %(period)s is already open.") % {"period": period.label()})
    default_fill, default_review = default_windows(agency, period)
    fill_until = fill_until or default_fill
    review_until = review_until or max(default_review, fill_until)
    if review_until < fill_until:
        raise RoundError(_("The review window must end after the fill window."))
    collection_round = CollectionRound.objects.create(
        agency=agency,
        period=period.code,
        fill_until=fill_until,
        review_until=review_until,
        opened_by=user if getattr(user, "is_authenticated", False) else None,
        task_id=task_id,
    )
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
        if unit is None:
            continue
        r = results[indicator.pk]
        labels = (
            "|".join(e.label for e in indicator.lookup_table.entries.all())
            if indicator.lookup_table_id
            else ""
        )
        frozen.append(
            RoundIndicator(
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
                evidence_kinds=indicator.evidence_kinds,
                has_components=indicator.has_components,
                numerator_label=indicator.numerator_label,
                denominator_label=indicator.denominator_label,
                multiplier=indicator.multiplier,
                period_target=r.target.value,
                period_target_upper=r.target.upper,
                year_target=r.year_target.value,
                year_target_upper=r.year_target.upper,
                target_text=r.target.text or r.year_target.text,
                lookup_labels=labels,
                order=order,
            )
        )
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


def _validate(
    collection_round: CollectionRound,
    unit: Unit,
    values: list[ValueInput],
    spending: list[SpendingInput],
) -> list[Problem]:
    frozen = {ri.indicator_id: ri for ri in round_indicators(collection_round, unit)}
    problems: list[Problem] = []
    quarters = collection_round.quarters
    existing = {
        (a.indicator_id, a.quarter): a
        for a in Actual.objects.filter(
            indicator_id__in=frozen, year=collection_round.year
        ).prefetch_related("evidence")
    }
    for item in values:
        ri = frozen.get(item.indicator_id)
        if ri is None:
            problems.append(
                Problem(item.indicator_id, item.quarter, _("This indicator is not this unit's."))
            )
            continue
        if item.quarter not in quarters:
            problems.append(
                Problem(ri.indicator_id, item.quarter, _("This quarter is not in the round."))
            )
            continue
        if item.empty:
            continue
        for number in (item.value, item.numerator, item.denominator):
            if number is not None and number < 0:
                problems.append(
                    Problem(ri.indicator_id, item.quarter, _("A negative value is not allowed."))
                )
        if item.value is not None and ri.max_value is not None and item.value > ri.max_value:
            problems.append(
                Problem(
                    ri.indicator_id,
                    item.quarter,
                    _("%(value)s is above the largest value allowed, %(max)s.")
                    % {"value": formulas.num(item.value), "max": formulas.num(ri.max_value)},
                )
            )
        if ri.choices and item.text and item.text not in ri.choices:
            problems.append(
                Problem(
                    ri.indicator_id,
                    item.quarter,
                    _("'%(value)s' is not one of: %(allowed)s.")
                    % {"value": item.text, "allowed": ", ".join(ri.choices)},
                )
            )
        if item.status not in Actual.Status.values:
            problems.append(Problem(ri.indicator_id, item.quarter, _("Unknown data status.")))
        given = set()
        old = existing.get((ri.indicator_id, item.quarter))
        if old is not None:
            given |= {e.kind for e in old.evidence.all()}
        if item.evidence_link:
            given.add("link")
        if item.evidence_text:
            given.add("text")
        if item.evidence_files:
            given.add("file")
        for kind in ri.required_evidence:
            if kind not in given:
                problems.append(
                    Problem(
                        ri.indicator_id,
                        item.quarter,
                        _("Evidence of kind '%(kind)s' is required.") % {"kind": kind},
                    )
                )
    problems.extend(_declines_without_explanation(collection_round, unit, values))
    allowed_subs = {s.pk for s in sub_activities_of(unit)}
    for item in spending:
        if item.sub_activity_id not in allowed_subs:
            problems.append(Problem(None, item.quarter, _("A budget line of another unit.")))
        elif item.amount < 0:
            problems.append(Problem(None, item.quarter, _("A negative amount is not allowed.")))
    return problems


def _declines_without_explanation(
    collection_round: CollectionRound, unit: Unit, values: list[ValueInput]
) -> list[Problem]:
    """An actual whose achievement falls below the previous quarter's needs an explanation."""
    by_indicator: dict[int, list[ValueInput]] = {}
    for item in values:
        if not item.empty:
            by_indicator.setdefault(item.indicator_id, []).append(item)
    if not by_indicator:
        return []
    earlier = {
        (a, q + 1)
        for a, q in Actual.objects.filter(
            indicator_id__in=by_indicator, year=collection_round.year, quarter__lt=4
        )
        .reported()
        .values_list("indicator_id", "quarter")
    } | {(item.indicator_id, item.quarter + 1) for items in by_indicator.values() for item in items}
    submitted = by_indicator
    by_indicator = {
        pk: [i for i in items if i.quarter > 1 and (pk, i.quarter) in earlier]
        for pk, items in by_indicator.items()
    }
    by_indicator = {pk: items for pk, items in by_indicator.items() if items}
    if not by_indicator:
        return []
    indicators = list(
        Indicator.objects.filter(pk__in=by_indicator).select_related("objective", "lookup_table")
    )
    overrides = {
        (item.indicator_id, item.quarter): Actual(
            indicator_id=item.indicator_id,
            year=collection_round.year,
            quarter=item.quarter,
            value=item.value,
            text=item.text,
            numerator=item.numerator,
            denominator=item.denominator,
            status=item.status,
        )
        for items in submitted.values()
        for item in items
    }
    agency = collection_round.agency
    problems = []
    cache: dict[int, dict[int, achievement.IndicatorResult]] = {}

    def at(quarter: int) -> dict[int, achievement.IndicatorResult]:
        if quarter not in cache:
            results = achievement.compute(
                agency,
                Period(collection_round.year, "quarter", quarter),
                indicators,
                overrides=overrides,
                explain=False,
            )
            cache[quarter] = {r.indicator.pk: r for r in results}
        return cache[quarter]

    for indicator_id, items in by_indicator.items():
        for item in items:
            if item.quarter == 1 or item.explanation.strip():
                continue
            now = at(item.quarter)[indicator_id].result
            before = at(item.quarter - 1)[indicator_id].result
            if now.computed and before.computed and now.value < before.value:
                problems.append(
                    Problem(
                        indicator_id,
                        item.quarter,
                        _(
                            "The achievement %(now)s is below the previous quarter's %(before)s: "
                            "write an explanation."
                        )
                        % {
                            "now": formulas.num(now.value, 2),
                            "before": formulas.num(before.value, 2),
                        },
                    )
                )
    return problems


def check(
    collection_round: CollectionRound,
    unit: Unit,
    values: list[ValueInput],
    spending: list[SpendingInput] | None = None,
    *,
    day: dt.date | None = None,
) -> list[Problem]:
    """Every reason the submission cannot be accepted (empty when it can)."""
    problems = []
    if not collection_round.fill_open(day):
        problems.append(Problem(None, None, _("The fill window of this round is closed.")))
    if not round_indicators(collection_round, unit):
        problems.append(Problem(None, None, _("This unit has no indicators in this round.")))
    if all(item.empty for item in values) and not spending:
        problems.append(Problem(None, None, _("No figures were given.")))
    return problems + _validate(collection_round, unit, values, spending or [])


def submit(
    collection_round: CollectionRound,
    unit: Unit,
    values: list[ValueInput],
    user=None,
    *,
    spending: list[SpendingInput] | None = None,
    source: str = Submission.Source.WEB,
    file: UploadedFile | None = None,
) -> Submission:
    """Store a unit's figures as a new, immutable submission version; all or nothing."""
    spending = spending or []
    with transaction.atomic():
        locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
        problems = check(locked, unit, values, spending)
        if problems:
            raise SubmissionRejected(problems)
        version = (
            Submission.objects.filter(round=locked, unit=unit).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        submission = Submission(
            round=locked,
            unit=unit,
            version=version,
            source=source,
            submitted_by=user if getattr(user, "is_authenticated", False) else None,
            values={
                "values": [v.as_dict() for v in values],
                "spending": [
                    {
                        "sub_activity": s.sub_activity_id,
                        "quarter": s.quarter,
                        "amount": str(s.amount),
                    }
                    for s in spending
                ],
            },
        )
        if file is not None:
            file.seek(0)
            submission.file.save(f"{locked.pk}-{unit.code}-v{version}.xlsx", file, save=False)
        submission.save()
        _write_actuals(locked, submission, [v for v in values if not v.empty])
        _write_spending(locked, submission, spending)
        audit.record(
            "performance.actual.submitted",
            actor=user,
            obj=submission,
            agency_code=locked.agency.code,
            summary=f"{unit.code} {locked.period} v{version} ({source})",
            after=submission.values,
        )
    if locked.task_id and all_submitted(locked):
        actions.done(
            "collect",
            locked.task_id,
            ActionOutput(
                str(locked),
                url=f"/kinerja/putaran/{locked.pk}/",
                object_type="performance.collectionround",
                object_id=str(locked.pk),
            ),
            user_id=getattr(user, "pk", None),
        )
    return submission


def _write_actuals(
    collection_round: CollectionRound, submission: Submission, values: list[ValueInput]
) -> None:
    """Upsert the quarterly actuals in bulk, keeping their history."""
    existing = {
        (a.indicator_id, a.quarter): a
        for a in Actual.objects.filter(
            indicator_id__in={v.indicator_id for v in values},
            year=collection_round.year,
            quarter__in=collection_round.quarters,
        )
    }
    fields = ["value", "text", "numerator", "denominator", "status", "explanation", "submission"]
    new, changed = [], []
    for item in values:
        actual = existing.get((item.indicator_id, item.quarter)) or Actual(
            indicator_id=item.indicator_id, year=collection_round.year, quarter=item.quarter
        )
        actual.value, actual.text = item.value, item.text
        actual.numerator, actual.denominator = item.numerator, item.denominator
        actual.status, actual.explanation = item.status, item.explanation
        actual.submission = submission
        actual.updated_at = timezone.now()
        (changed if actual.pk else new).append(actual)
    if new:
        bulk_create_with_history(new, Actual, batch_size=500)
    if changed:
        bulk_update_with_history(changed, Actual, [*fields, "updated_at"], batch_size=500)
    by_key = {
        (a.indicator_id, a.quarter): a
        for a in Actual.objects.filter(
            indicator_id__in={v.indicator_id for v in values},
            year=collection_round.year,
            quarter__in=collection_round.quarters,
        )
    }
    evidence = []
    for item in values:
        actual = by_key[(item.indicator_id, item.quarter)]
        if item.evidence_link:
            evidence.append(
                Evidence(actual=actual, submission=submission, kind="link", url=item.evidence_link)
            )
        if item.evidence_text:
            evidence.append(
                Evidence(actual=actual, submission=submission, kind="text", text=item.evidence_text)
            )
        for upload in item.evidence_files:
            Evidence.objects.create(actual=actual, submission=submission, kind="file", file=upload)
    Evidence.objects.bulk_create(evidence)


def _write_spending(
    collection_round: CollectionRound, submission: Submission, spending: list[SpendingInput]
) -> None:
    if not spending:
        return
    existing = {
        (s.sub_activity_id, s.quarter): s
        for s in Spending.objects.filter(
            sub_activity_id__in={s.sub_activity_id for s in spending}, year=collection_round.year
        )
    }
    new, changed = [], []
    for line in spending:
        row = existing.get((line.sub_activity_id, line.quarter)) or Spending(
            sub_activity_id=line.sub_activity_id, year=collection_round.year, quarter=line.quarter
        )
        row.amount, row.submission = line.amount, submission
        (changed if row.pk else new).append(row)
    if new:
        bulk_create_with_history(new, Spending)
    if changed:
        bulk_update_with_history(changed, Spending, ["amount", "submission"])


def all_submitted(collection_round: CollectionRound) -> bool:
    needed = set(collection_round.indicators.values_list("unit_id", flat=True))
    done = set(collection_round.submissions.values_list("unit_id", flat=True))
    return bool(needed) and needed <= done


@transaction.atomic
def reopen(
    collection_round: CollectionRound, until: dt.date, reason: str, user=None
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
def close(collection_round: CollectionRound, user=None) -> None:
    collection_round.closed_at = timezone.now()
    collection_round.save(update_fields=["closed_at"])
    audit.record(
        "performance.round.closed",
        actor=user,
        obj=collection_round,
        agency_code=collection_round.agency.code,
    )


def remind(collection_round: CollectionRound, unit: Unit, user=None) -> Reminder:
    reminder = Reminder.objects.create(round=collection_round, unit=unit, sent_by=user)
    audit.record(
        "performance.round.reminded",
        actor=user,
        obj=collection_round,
        agency_code=collection_round.agency.code,
        summary=unit.code,
    )
    return reminder


def mark(collection_round: CollectionRound, step: str, user=None) -> None:
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
    def state(self) -> str:
        if self.latest is not None:
            return "submitted"
        return "late" if self.late else "waiting"


def status(collection_round: CollectionRound, day: dt.date | None = None) -> list[UnitStatus]:
    day = day or collection_round.agency.today()
    latest: dict[int, Submission] = {}
    for s in collection_round.submissions.order_by("unit_id", "-version"):
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
