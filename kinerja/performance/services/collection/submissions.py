"""A unit's submission of a round: every check (with the reasons located by indicator and quarter),
then the new immutable version, its actuals with their history, its spending and the audit entry,
all in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja.core import actions, audit
from kinerja.core.actions import ActionOutput
from kinerja.core.periods import Period
from kinerja.organisation.models import Unit
from kinerja.performance import formulas
from kinerja.performance.models import (
    Actual,
    CollectionRound,
    Evidence,
    Indicator,
    Spending,
    Submission,
)
from kinerja.performance.services import achievement
from kinerja.performance.services.collection.rounds import (
    all_submitted,
    can_submit,
    round_indicators,
    sub_activities_of,
)

EVIDENCE_TYPES = ("pdf", "png", "jpg", "jpeg", "xlsx", "docx")  # evidence files (bukti dukung)


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


def _year_actuals(
    collection_round: CollectionRound, indicator_ids, *, evidence: bool
) -> dict[tuple[int, int], Actual]:
    """The stored actuals of the round's year for these indicators, by (indicator, quarter): one
    query (two with the evidence) serves every check and the write of a submission."""
    qs = Actual.objects.filter(indicator_id__in=list(indicator_ids), year=collection_round.year)
    if evidence:
        qs = qs.prefetch_related("evidence")
    return {(a.indicator_id, a.quarter): a for a in qs}


def _validate(
    collection_round: CollectionRound,
    unit: Unit,
    values: list[ValueInput],
    spending: list[SpendingInput],
    existing: dict[tuple[int, int], Actual] | None = None,
) -> list[Problem]:
    frozen = {ri.indicator_id: ri for ri in round_indicators(collection_round, unit)}
    problems: list[Problem] = []
    quarters = collection_round.quarters
    needs_evidence = any(ri.required_evidence for ri in frozen.values())
    if existing is None:
        existing = _year_actuals(
            collection_round,
            set(frozen) | {v.indicator_id for v in values},
            evidence=needs_evidence,
        )
    statuses = set(Actual.Status.values)
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
            # an actual below 0 only where the indicator allows it; its parts never
            if (
                number is not None
                and number < 0
                and not (number is item.value and ri.allows_negative)
            ):
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
        if item.text and ri.choices and item.text not in ri.choices:
            problems.append(
                Problem(
                    ri.indicator_id,
                    item.quarter,
                    _("'%(value)s' is not one of: %(allowed)s.")
                    % {"value": item.text, "allowed": ", ".join(ri.choices)},
                )
            )
        if item.status not in statuses:
            problems.append(Problem(ri.indicator_id, item.quarter, _("Unknown data status.")))
        required = ri.required_evidence
        if not required:
            continue
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
        for kind in required:
            if kind not in given:
                problems.append(
                    Problem(
                        ri.indicator_id,
                        item.quarter,
                        _("Evidence of kind '%(kind)s' is required.") % {"kind": kind},
                    )
                )
    problems.extend(_declines_without_explanation(collection_round, values, existing))
    if spending:
        allowed_subs = {s.pk for s in sub_activities_of(unit)}
        for item in spending:
            if item.sub_activity_id not in allowed_subs:
                problems.append(Problem(None, item.quarter, _("A budget line of another unit.")))
            elif item.amount < 0:
                problems.append(Problem(None, item.quarter, _("A negative amount is not allowed.")))
    return problems


def _declines_without_explanation(
    collection_round: CollectionRound,
    values: list[ValueInput],
    existing: dict[tuple[int, int], Actual],
) -> list[Problem]:
    """An actual whose achievement falls below the previous quarter's needs an explanation.

    ``existing`` holds the stored actuals of the year for (at least) the submitted indicators."""
    by_indicator: dict[int, list[ValueInput]] = {}
    for item in values:
        if not item.empty:
            by_indicator.setdefault(item.indicator_id, []).append(item)
    if not by_indicator:
        return []
    earlier = {
        (a.indicator_id, a.quarter + 1)
        for a in existing.values()
        if a.indicator_id in by_indicator
        and a.quarter < 4
        and (a.value is not None or a.text != "")
    } | {(item.indicator_id, item.quarter + 1) for items in by_indicator.values() for item in items}
    submitted = by_indicator
    by_indicator = {
        pk: [
            i
            for i in items
            if i.quarter > 1 and (pk, i.quarter) in earlier and not i.explanation.strip()
        ]
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


def _general_problems(
    collection_round: CollectionRound,
    unit: Unit,
    values: list[ValueInput],
    spending: list[SpendingInput],
    day: dt.date | None,
) -> list[Problem]:
    problems = []
    if not can_submit(collection_round, unit, day):
        problems.append(Problem(None, None, _("The fill window of this round is closed.")))
    if not round_indicators(collection_round, unit):
        problems.append(Problem(None, None, _("This unit has no indicators in this round.")))
    if all(item.empty for item in values) and not spending:
        problems.append(Problem(None, None, _("No figures were given.")))
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
    spending = spending or []
    return _general_problems(collection_round, unit, values, spending, day) + _validate(
        collection_round, unit, values, spending
    )


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
    actor = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
        if CollectionRound._meta.get_field("agency").is_cached(collection_round):
            locked.agency = collection_round.agency  # read only: saves a query
        frozen = round_indicators(locked, unit)
        # one read of the year's actuals serves every check and the write below
        existing = _year_actuals(
            locked,
            {ri.indicator_id for ri in frozen} | {v.indicator_id for v in values},
            evidence=any(ri.required_evidence for ri in frozen),
        )
        problems = _general_problems(locked, unit, values, spending, None) + _validate(
            locked, unit, values, spending, existing
        )
        if problems:
            raise SubmissionRejected(problems)
        last = (
            Submission.objects.filter(round=locked, unit=unit)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        version = (last or 0) + 1
        submission = Submission(
            round=locked,
            unit=unit,
            version=version,
            source=source,
            submitted_by=actor,
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
        _write_actuals(locked, submission, [v for v in values if not v.empty], existing, actor)
        _write_spending(locked, submission, spending)
        audit.record(
            "performance.actual.submitted",
            actor=user,
            obj=submission,
            agency_code=locked.agency.code,
            summary=f"{unit.code} {locked.period} v{version} ({source})",
            after=submission.values,
        )
    if locked.case_id and all_submitted(locked):
        # the round's own case; the engine completes its "collect" task if this user may
        actions.done(
            "collect",
            agency_id=locked.agency_id,
            case_id=locked.case_id,
            user=user,
            output=ActionOutput(
                str(locked),
                url=f"/kinerja/putaran/{locked.pk}/",
                object_type="performance.collectionround",
                object_id=str(locked.pk),
            ),
        )
    return submission


ACTUAL_FIELDS = [
    "value",
    "text",
    "numerator",
    "denominator",
    "status",
    "explanation",
    "submission",
    "updated_at",
]


def _write_actuals(
    collection_round: CollectionRound,
    submission: Submission,
    values: list[ValueInput],
    existing: dict[tuple[int, int], Actual],
    actor=None,
) -> None:
    """Upsert the quarterly actuals in bulk, each with its historical row ("+" for a new actual,
    "~" for a changed one). ``existing`` is the year's stored actuals read under the round's lock;
    it gains the new rows."""
    now = timezone.now()
    new, changed = [], []
    for item in values:
        actual = existing.get((item.indicator_id, item.quarter))
        if actual is None:
            actual = Actual(
                indicator_id=item.indicator_id, year=collection_round.year, quarter=item.quarter
            )
        actual.value, actual.text = item.value, item.text
        actual.numerator, actual.denominator = item.numerator, item.denominator
        actual.status, actual.explanation = item.status, item.explanation
        actual.submission = submission
        actual.updated_at = now
        (changed if actual.pk else new).append(actual)
    if new:
        created = _insert_rows(new, actor)
        if any(a.pk is None for a in created):  # a backend that returns no ids
            stored = _year_actuals(collection_round, {a.indicator_id for a in new}, evidence=False)
            created = [stored[(a.indicator_id, a.quarter)] for a in new]
        for actual in created:
            existing[(actual.indicator_id, actual.quarter)] = actual
    if changed:
        _update_rows(changed)
        # fields=[]: the rows are already written; this writes their historical rows ("~")
        bulk_update_with_history(changed, Actual, [], batch_size=500, default_user=actor)
    evidence = []
    for item in values:
        if not (item.evidence_link or item.evidence_text or item.evidence_files):
            continue
        actual = existing[(item.indicator_id, item.quarter)]
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
    if evidence:
        Evidence.objects.bulk_create(evidence)


HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type"}


def _insert_rows(new: list[Actual], actor) -> list[Actual]:
    """Insert new actuals with their "+" historical rows.

    On PostgreSQL one statement does both (``WITH created AS (INSERT ... RETURNING *) INSERT INTO
    <history> SELECT ... FROM created``), writing the row simple-history's
    ``bulk_create_with_history`` would write (same columns, one history date, the submitting
    user, no change reason); elsewhere, or when the historical model has columns this does not
    know, ``bulk_create_with_history`` itself."""
    history_model = Actual.history.model
    tracked = history_model.tracked_fields
    known = {history_model._meta.get_field(f.name).column for f in tracked} | HISTORY_COLUMNS
    conn = connections[Actual.objects.db]  # not the proxy: it is read for every value below
    if (
        conn.vendor != "postgresql"
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        or {f.column for f in history_model._meta.concrete_fields} != known | {"history_user_id"}
    ):
        return bulk_create_with_history(new, Actual, batch_size=500, default_user=actor)
    user = actor or history_model.get_default_history_user(new[0])
    meta = Actual._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = conn.ops.quote_name
    copied = [(qn(history_model._meta.get_field(f.name).column), qn(f.column)) for f in tracked]
    rows = [[f.get_db_prep_save(f.pre_save(a, add=True), conn) for f in fields] for a in new]
    with conn.cursor() as cursor:
        # one array per column (UNNEST): the statement's text does not grow with the rows
        cursor.execute(
            f"WITH created AS (INSERT INTO {qn(meta.db_table)} "  # noqa: S608 - names from the models, values as parameters
            f"({', '.join(qn(f.column) for f in fields)}) SELECT * FROM UNNEST("
            f"{', '.join(f'%s::{f.db_type(conn)}[]' for f in fields)}) RETURNING *), "
            f"history AS (INSERT INTO {qn(history_model._meta.db_table)} "
            f"({', '.join(h for h, _c in copied)}, history_date, history_change_reason, "
            f"history_type, history_user_id) "
            f"SELECT {', '.join(c for _h, c in copied)}, %s, NULL, '+', %s FROM created) "
            f"SELECT {qn(meta.pk.column)}, indicator_id, quarter FROM created",
            [list(column) for column in zip(*rows, strict=True)]
            + [timezone.now(), getattr(user, "pk", None)],
        )
        ids = {(indicator, quarter): pk for pk, indicator, quarter in cursor.fetchall()}
    for actual in new:  # one row per (indicator, year, quarter): a unique constraint
        actual.pk = ids[(actual.indicator_id, actual.quarter)]
        actual._state.adding, actual._state.db = False, conn.alias
    return new


def _update_rows(changed: list[Actual]) -> None:
    """Write ``ACTUAL_FIELDS`` of stored actuals: on PostgreSQL one ``UPDATE ... FROM UNNEST(...)``
    (Django's ``bulk_update`` builds a CASE per field and row, which cost more than the rest of
    an import); elsewhere ``bulk_update``."""
    conn = connections[Actual.objects.db]
    if conn.vendor != "postgresql":
        Actual.objects.bulk_update(changed, ACTUAL_FIELDS, batch_size=500)
        return
    meta = Actual._meta
    fields = [meta.pk] + [meta.get_field(name) for name in ACTUAL_FIELDS]
    qn = conn.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    columns = [qn(f.column) for f in fields]
    rows = [[f.get_db_prep_save(getattr(a, f.attname), conn) for f in fields] for a in changed]
    with conn.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = v.{c}' for c in columns[1:])} "  # noqa: S608 - names from the model, values as parameters
            f"FROM UNNEST({', '.join(f'%s::{f.db_type(conn)}[]' for f in fields)}) "
            f"AS v({', '.join(columns)}) WHERE {table}.{pk} = v.{pk}",
            [list(column) for column in zip(*rows, strict=True)],
        )


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
