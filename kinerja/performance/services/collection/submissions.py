"""A unit's submission of a round: every check (with the reasons located by indicator and quarter),
then the new immutable version, its actuals with their history, its spending and the audit entry,
all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
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
    RoundIndicator,
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

STATUSES = frozenset(Actual.Status.values)
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
    collection_round: CollectionRound, indicator_ids: Iterable[int], *, evidence: bool
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
    """The problems of the figures themselves: each value against its frozen indicator, declines
    without an explanation, and the budget lines. ``existing`` is the year's stored actuals when
    the caller has read them."""
    frozen = {ri.indicator_id: ri for ri in round_indicators(collection_round, unit)}
    if existing is None:
        existing = _year_actuals(
            collection_round,
            set(frozen) | {v.indicator_id for v in values},
            evidence=any(ri.required_evidence for ri in frozen.values()),
        )
    problems: list[Problem] = []
    for item in values:
        problems += _value_problems(
            item, frozen.get(item.indicator_id), collection_round.quarters, existing
        )
    problems.extend(_declines_without_explanation(collection_round, values, existing))
    problems.extend(_spending_problems(unit, spending))
    return problems


def _value_problems(
    item: ValueInput,
    ri: RoundIndicator | None,
    quarters: Sequence[int],
    existing: dict[tuple[int, int], Actual],
) -> list[Problem]:
    """The problems of one quarterly value: not the unit's indicator, not the round's quarter, or
    (when it gives a figure) a figure its indicator refuses and evidence it lacks."""
    if ri is None:
        return [Problem(item.indicator_id, item.quarter, _("This indicator is not this unit's."))]
    if item.quarter not in quarters:
        return [Problem(ri.indicator_id, item.quarter, _("This quarter is not in the round."))]
    if item.empty:
        return []
    return _figure_problems(item, ri) + _missing_evidence(item, ri, existing)


def _figure_problems(item: ValueInput, ri: RoundIndicator) -> list[Problem]:
    """A negative number where the indicator allows none, a value above its largest, a text not
    among its choices, an unknown data status."""
    problems = []
    for number in (item.value, item.numerator, item.denominator):
        # an actual below 0 only where the indicator allows it; its parts never
        if number is not None and number < 0 and not (number is item.value and ri.allows_negative):
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
    if item.status not in STATUSES:
        problems.append(Problem(ri.indicator_id, item.quarter, _("Unknown data status.")))
    return problems


def _missing_evidence(
    item: ValueInput, ri: RoundIndicator, existing: dict[tuple[int, int], Actual]
) -> list[Problem]:
    """A problem for each evidence kind the indicator requires that neither this value nor the
    stored actual of its quarter gives."""
    if not ri.required_evidence:
        return []
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
    return [
        Problem(
            ri.indicator_id,
            item.quarter,
            _("Evidence of kind '%(kind)s' is required.") % {"kind": kind},
        )
        for kind in ri.required_evidence
        if kind not in given
    ]


def _spending_problems(unit: Unit, spending: list[SpendingInput]) -> list[Problem]:
    """A budget line of another unit, or a negative amount."""
    if not spending:
        return []
    allowed_subs = {s.pk for s in sub_activities_of(unit)}
    problems = []
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
    submitted: dict[int, list[ValueInput]] = {}
    for item in values:
        if not item.empty:
            submitted.setdefault(item.indicator_id, []).append(item)
    unexplained = _unexplained(submitted, existing)
    if not unexplained:
        return []
    achievements = _QuarterAchievements(collection_round, list(unexplained), submitted)
    problems = []
    for indicator_id, items in unexplained.items():
        for item in items:
            now = achievements.at(item.quarter)[indicator_id].result
            before = achievements.at(item.quarter - 1)[indicator_id].result
            if _declined(now, before):
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


def _declined(now: formulas.Result, before: formulas.Result) -> bool:
    """Whether a computed achievement is below the previous quarter's computed one."""
    return (
        now.computed
        and before.computed
        and now.value is not None
        and before.value is not None
        and now.value < before.value
    )


def _unexplained(
    submitted: dict[int, list[ValueInput]], existing: dict[tuple[int, int], Actual]
) -> dict[int, list[ValueInput]]:
    """The submitted values, by indicator, that follow a quarter with an actual (stored or
    submitted) and come without an explanation: the ones whose decline must be looked at."""
    earlier = {
        (a.indicator_id, a.quarter + 1)
        for a in existing.values()
        if a.indicator_id in submitted and a.quarter < 4 and (a.value is not None or a.text != "")
    } | {(item.indicator_id, item.quarter + 1) for items in submitted.values() for item in items}
    unexplained = {
        pk: [
            i
            for i in items
            if i.quarter > 1 and (pk, i.quarter) in earlier and not i.explanation.strip()
        ]
        for pk, items in submitted.items()
    }
    return {pk: items for pk, items in unexplained.items() if items}


class _QuarterAchievements:
    """The achievement of some indicators up to each quarter of the round's year, with the
    submitted figures in place of the stored ones; each quarter computed once, when asked."""

    def __init__(
        self,
        collection_round: CollectionRound,
        indicator_ids: list[int],
        submitted: dict[int, list[ValueInput]],
    ) -> None:
        self.collection_round = collection_round
        self.indicators = list(
            Indicator.objects.filter(pk__in=indicator_ids).select_related(
                "objective", "lookup_table"
            )
        )
        self.overrides = {
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
        self.cache: dict[int, dict[int, achievement.IndicatorResult]] = {}

    def at(self, quarter: int) -> dict[int, achievement.IndicatorResult]:
        """The results up to ``quarter``, by indicator id."""
        if quarter not in self.cache:
            results = achievement.compute(
                self.collection_round.agency,
                Period(self.collection_round.year, "quarter", quarter),
                self.indicators,
                overrides=self.overrides,
                explain=False,
            )
            self.cache[quarter] = {r.indicator.pk: r for r in results}
        return self.cache[quarter]


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
    user: Any = None,
    *,
    spending: list[SpendingInput] | None = None,
    source: str = Submission.Source.WEB,
    file: UploadedFile | None = None,
) -> Submission:
    """Store a unit's figures as a new, immutable submission version; all or nothing."""
    spending = spending or []
    actor = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        locked = _lock_round(collection_round)
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
        submission = _new_version(locked, unit, values, spending, source, actor, file)
        _write_actuals(locked, submission, [v for v in values if not v.empty], existing, actor)
        _write_spending(locked, submission, spending)
        audit.record(
            "performance.actual.submitted",
            actor=user,
            obj=submission,
            agency_code=locked.agency.code,
            summary=f"{unit.code} {locked.period} v{submission.version} ({source})",
            after=submission.values,
        )
    if locked.case_id and all_submitted(locked):
        _report_collected(locked, user)
    return submission


def _lock_round(collection_round: CollectionRound) -> CollectionRound:
    """The round locked for the submission's transaction: one unit's submission at a time."""
    locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
    if CollectionRound._meta.get_field("agency").is_cached(collection_round):
        locked.agency = collection_round.agency  # read only: saves a query
    return locked


def _new_version(
    locked: CollectionRound,
    unit: Unit,
    values: list[ValueInput],
    spending: list[SpendingInput],
    source: str,
    actor: Any,
    file: UploadedFile | None,
) -> Submission:
    """Save the unit's next submission version: what was given, as given, and the file."""
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
    return submission


def _report_collected(locked: CollectionRound, user: Any) -> None:
    """Every unit has submitted: tell the round's own case, whose engine completes its "collect"
    task if this user may."""
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
    actor: Any = None,
) -> None:
    """Upsert the quarterly actuals in bulk, each with its historical row ("+" for a new actual,
    "~" for a changed one). ``existing`` is the year's stored actuals read under the round's lock;
    it gains the new rows."""
    now = timezone.now()
    new: list[Actual] = []
    changed: list[Actual] = []
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
        for actual in _created(collection_round, new, actor):
            existing[(actual.indicator_id, actual.quarter)] = actual
    if changed:
        _update_rows(changed)
        # fields=[]: the rows are already written; this writes their historical rows ("~")
        bulk_update_with_history(changed, Actual, [], batch_size=500, default_user=actor)
    _write_evidence(submission, values, existing)


def _created(collection_round: CollectionRound, new: list[Actual], actor: Any) -> list[Actual]:
    """Insert the new actuals; the rows as stored, with their ids."""
    created = _insert_rows(new, actor)
    if any(a.pk is None for a in created):  # a backend that returns no ids
        stored = _year_actuals(collection_round, {a.indicator_id for a in new}, evidence=False)
        created = [stored[(a.indicator_id, a.quarter)] for a in new]
    return created


def _write_evidence(
    submission: Submission, values: list[ValueInput], existing: dict[tuple[int, int], Actual]
) -> None:
    """The evidence given with the values (links and texts in bulk, files one by one, stored)."""
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


def _insert_rows(new: list[Actual], actor: Any) -> list[Actual]:
    """Insert new actuals with their "+" historical rows.

    On PostgreSQL one statement does both (``WITH created AS (INSERT ... RETURNING *) INSERT INTO
    <history> SELECT ... FROM created``), writing the row simple-history's
    ``bulk_create_with_history`` would write (same columns, one history date, the submitting
    user, no change reason); elsewhere, or when the historical model has columns this does not
    know, ``bulk_create_with_history`` itself."""
    conn = connections[Actual.objects.db]  # not the proxy: it is read for every value below
    if not _history_in_one_statement(conn):
        created: list[Actual] = bulk_create_with_history(
            new, Actual, batch_size=500, default_user=actor
        )
        return created
    ids = _insert_with_history(conn, new, actor)
    for actual in new:  # one row per (indicator, year, quarter): a unique constraint
        actual.pk = ids[(actual.indicator_id, actual.quarter)]
        actual._state.adding, actual._state.db = False, conn.alias
    return new


def _history_in_one_statement(conn: BaseDatabaseWrapper) -> bool:
    """Whether ``_insert_with_history`` can write the actuals and their historical rows: on
    PostgreSQL, with history on, and a historical model of only the columns it knows."""
    history_model = Actual.history.model
    known = {
        history_model._meta.get_field(f.name).column for f in history_model.tracked_fields
    } | HISTORY_COLUMNS
    return (
        conn.vendor == "postgresql"
        and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and {f.column for f in history_model._meta.concrete_fields} == known | {"history_user_id"}
    )


def _insert_with_history(
    conn: BaseDatabaseWrapper, new: list[Actual], actor: Any
) -> dict[tuple[int, int], int]:
    """Insert the actuals and their "+" historical rows in one statement; the new ids by
    (indicator, quarter)."""
    history_model = Actual.history.model
    user = actor or history_model.get_default_history_user(new[0])
    meta = Actual._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn: Callable[[Any], str] = conn.ops.quote_name  # a column's name is typed str | None
    copied = [
        (qn(history_model._meta.get_field(f.name).column), qn(f.column))
        for f in history_model.tracked_fields
    ]
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
        return {(indicator, quarter): pk for pk, indicator, quarter in cursor.fetchall()}


def _update_rows(changed: list[Actual]) -> None:
    """Write ``ACTUAL_FIELDS`` of stored actuals: on PostgreSQL one ``UPDATE ... FROM UNNEST(...)``
    (Django's ``bulk_update`` builds a CASE per field and row, which cost more than the rest of
    an import); elsewhere ``bulk_update``."""
    conn = connections[Actual.objects.db]
    if conn.vendor != "postgresql":
        Actual.objects.bulk_update(changed, ACTUAL_FIELDS, batch_size=500)
        return
    meta = Actual._meta
    fields = [meta.pk] + [cast("Field[Any, Any]", meta.get_field(name)) for name in ACTUAL_FIELDS]
    qn: Callable[[Any], str] = conn.ops.quote_name  # a column's name is typed str | None
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
    """Upsert the quarterly spending of the budget lines, each with its historical row."""
    if not spending:
        return
    existing = {
        (s.sub_activity_id, s.quarter): s
        for s in Spending.objects.filter(
            sub_activity_id__in={s.sub_activity_id for s in spending}, year=collection_round.year
        )
    }
    new: list[Spending] = []
    changed: list[Spending] = []
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
