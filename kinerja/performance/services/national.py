"""Achievement of a year for many agencies at once (a province, the nation): per-agency counts by
category and the average, streamed in a few queries with the fast path of the formulas.

It gives the figures of the per-agency service (:mod:`achievement`) for the year without its
explanations: the same indicators (those of a Renstra covering the year, not retired before
it), the same year target (the latest signed PK version's where the indicator is in it, else
the Renstra's; see :func:`achievement.latest_agreement`), the same actual to date (components
included) and the same pure formulas (:func:`formulas.achievement_value` for numbers,
:func:`formulas.lookup_achievement` for qualitative and milestone indicators), so it can cover
600.000 indicators in one pass with flat memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import FilteredRelation, Q, QuerySet

from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.models import (
    Actual,
    AgreementIndicator,
    CategoryScale,
    Indicator,
    LookupTable,
    PerformanceAgreement,
    PerformanceSettings,
)
from kinerja.performance.services.achievement import pick_scale_id

SIGNED = PerformanceAgreement.Status.SIGNED


@dataclass
class AgencyCounts:
    counts: dict[str, int] = field(default_factory=dict)
    total: Decimal = Decimal(0)
    computed: int = 0
    not_reported: int = 0
    not_computable: int = 0

    @property
    def average(self) -> Decimal | None:
        return formulas.round2(self.total / self.computed) if self.computed else None


def chosen_agreements(year: int, agency_ids: list[int] | None = None) -> dict[int, int]:
    """{agency id: id of the PK version whose targets count}: the latest signed version, else the
    latest draft (the rule of :func:`achievement.latest_agreement`)."""
    rows = PerformanceAgreement.objects.filter(year=year)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    best: dict[int, tuple[bool, int, int]] = {}
    for pk, agency_id, status, version in rows.values_list("pk", "agency_id", "status", "version"):
        key = (status == SIGNED, version, pk)
        if agency_id not in best or key > best[agency_id]:
            best[agency_id] = key
    return {agency_id: key[2] for agency_id, key in best.items()}


def _merge(rows: Iterator[tuple[Any, ...]], pk: int, state: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``rows`` (ordered by their first column) whose first column is ``pk``;
    ``state`` holds the stream's next row between calls."""
    found: list[tuple[Any, ...]] = []
    pending = state[0]
    while pending is not None and pending[0] < pk:
        pending = next(rows, None)
    while pending is not None and pending[0] == pk:
        found.append(pending)
        pending = next(rows, None)
    state[0] = pending
    return found


Bands = list[formulas.Band]
Rules = dict[int, tuple[Bands, Decimal | None]]  # {agency id: (bands, highest first; cap)}


def _sorted_bands(scale: formulas.Scale) -> Bands:
    return sorted(
        scale.bands, key=lambda b: (b.lower is None, -(b.lower if b.lower is not None else 0))
    )


def agency_rules(agency_ids: list[int] | None) -> Rules:
    """{agency id: (its category bands, highest first; its averaging cap)}, in four queries, by
    the rule of :func:`achievement.pick_scale_id` (own scale, region, province, default)."""
    scales = list(CategoryScale.objects.prefetch_related("bands").order_by("-pk"))
    bands_of = {s.pk: _sorted_bands(s.as_scale()) for s in scales}
    scale_of_region = {s.region_id: s.pk for s in scales if s.region_id}
    default_id = next((s.pk for s in reversed(scales) if s.is_default), None)
    coded = _sorted_bands(formulas.PERMENDAGRI_86_2017)
    settings = PerformanceSettings.objects.all()
    agencies = Agency.objects.all()
    if agency_ids is not None:
        settings = settings.filter(agency_id__in=agency_ids)
        agencies = agencies.filter(pk__in=agency_ids)
    own = {
        a: (scale, cap)
        for a, scale, cap in settings.values_list("agency_id", "scale_id", "averaging_cap")
    }
    rules = {}
    for pk, region_id, parent_id in agencies.values_list("pk", "region_id", "region__parent_id"):
        scale_id, cap = own.get(pk, (None, None))
        chosen = pick_scale_id(scale_id, region_id, parent_id, scale_of_region, default_id)
        rules[pk] = (bands_of[chosen] if chosen is not None else coded, cap)
    return rules


PLAN = "objective__plan"


def year_counts(
    year: int,
    agency_ids: Iterable[int] | None = None,
    chunk_size: int = 20000,
) -> dict[int, AgencyCounts]:
    """{agency id: counts by category, average} for ``year``, from the quarterly actuals, each
    agency rated on its own scale with its own averaging cap, as the per-agency service does.

    Three streams ordered by indicator (the indicators with their Renstra target, the targets
    of the chosen PK versions, and the reported actuals) are merged, so memory stays flat
    however many indicators there are.
    """
    ids = None if agency_ids is None else list(agency_ids)
    indicators = Indicator.objects.active_in(year)
    if ids is not None:
        indicators = indicators.filter(**{f"{PLAN}__agency_id__in": ids})
    chosen = chosen_agreements(year, ids)
    scoring = _Scoring(_negative_defaults(ids), _lookup_tables(indicators))
    indicator_rows = _indicator_stream(indicators, year, chunk_size)
    streams = _Streams(
        chosen, _agreement_stream(chosen, chunk_size), _actual_stream(year, ids, chunk_size)
    )
    rules = agency_rules(ids)
    result: dict[int, AgencyCounts] = defaultdict(AgencyCounts)
    for row in indicator_rows:
        indicator = _IndicatorRow._make(row)
        target = streams.target(indicator)
        reported, actual_text = streams.actual(indicator)
        status, score = scoring.score(indicator, target, reported, actual_text)
        _count(result[indicator.agency_id], status, score, rules, indicator.agency_id)
    return dict(result)


class _IndicatorRow(NamedTuple):
    """A row of the indicator stream: what scoring needs, with the Renstra target of the year."""

    pk: int
    polarity: str
    formula: str
    aggregation: str
    kind: str
    numerator_label: str
    denominator_label: str
    multiplier: Decimal
    table_id: int | None
    agency_id: int
    target: Decimal | None
    upper: Decimal | None
    target_text: str


class _Target(NamedTuple):
    value: Decimal | None
    upper: Decimal | None
    text: str


def _indicator_stream(
    indicators: QuerySet[Indicator], year: int, chunk_size: int
) -> Iterator[tuple[Any, ...]]:
    """The indicators by id, in the shape of :class:`_IndicatorRow`."""
    renstra = FilteredRelation("targets", condition=Q(targets__year=year))
    return (
        indicators.annotate(renstra=renstra)
        .order_by("pk")
        .values_list(
            "pk",
            "polarity",
            "formula",
            "aggregation",
            "target_kind",
            "numerator_label",
            "denominator_label",
            "multiplier",
            "lookup_table_id",
            f"{PLAN}__agency_id",
            "renstra__value",
            "renstra__upper",
            "renstra__text",
        )
        .iterator(chunk_size)
    )


def _agreement_stream(chosen: dict[int, int], chunk_size: int) -> Iterator[tuple[Any, ...]]:
    """The targets of the chosen PK versions by indicator id."""
    if not chosen:
        return iter(())
    return (
        AgreementIndicator.objects.filter(agreement_id__in=list(chosen.values()))
        .order_by("indicator_id")
        .values_list("indicator_id", "agreement_id", "value", "upper", "text")
        .iterator(chunk_size)
    )


def _actual_stream(year: int, ids: list[int] | None, chunk_size: int) -> Iterator[tuple[Any, ...]]:
    """The year's reported actuals (a value, components or a text) by indicator id and quarter."""
    actuals = Actual.objects.filter(year=year).filter(
        Q(value__isnull=False) | Q(numerator__isnull=False) | ~Q(text="")
    )
    if ids is not None:
        actuals = actuals.filter(**{f"indicator__{PLAN}__agency_id__in": ids})
    return (
        actuals.order_by("indicator_id", "quarter")
        .values_list("indicator_id", "value", "text", "numerator", "denominator")
        .iterator(chunk_size)
    )


def _negative_defaults(ids: list[int] | None) -> dict[int, str]:
    """{agency id: its default formula for negative indicators}, where it is not N1."""
    settings = PerformanceSettings.objects.exclude(negative_formula=formulas.N1)
    if ids is not None:
        settings = settings.filter(agency_id__in=ids)
    return dict(settings.values_list("agency_id", "negative_formula"))


def _lookup_tables(indicators: QuerySet[Indicator]) -> dict[int, formulas.LookupTable]:
    """The conversion tables the indicators use, by id."""
    return {
        t.pk: t.as_table()
        for t in LookupTable.objects.filter(
            pk__in=indicators.filter(lookup_table__isnull=False).values("lookup_table_id")
        ).prefetch_related("entries")
    }


class _Streams:
    """The PK target and actual streams, read along the indicator stream (all ordered by id)."""

    def __init__(
        self,
        chosen: dict[int, int],
        pk_rows: Iterator[tuple[Any, ...]],
        actual_rows: Iterator[tuple[Any, ...]],
    ) -> None:
        self.chosen = chosen
        self.pk_rows = pk_rows
        self.actual_rows = actual_rows
        self.pk_state: list[Any] = [next(pk_rows, None)]
        self.actual_state: list[Any] = [next(actual_rows, None)]

    def target(self, indicator: _IndicatorRow) -> _Target:
        """The chosen PK version's target where the indicator is in it, else the Renstra's."""
        target = _Target(indicator.target, indicator.upper, indicator.target_text)
        for _i, agreement_id, value, upper, text in _merge(
            self.pk_rows, indicator.pk, self.pk_state
        ):
            if self.chosen.get(indicator.agency_id) == agreement_id:
                target = _Target(value, upper, text)
        return target

    def actual(self, indicator: _IndicatorRow) -> tuple[list[Decimal], str]:
        """The reported quarterly values (components computed) and the last actual text."""
        reported = []
        actual_text = ""
        for _i, value, text, numerator, denominator in _merge(
            self.actual_rows, indicator.pk, self.actual_state
        ):
            # Indicator.has_components
            if value is None and indicator.numerator_label and indicator.denominator_label:
                value = formulas.component_value(numerator, denominator, indicator.multiplier)
            if value is not None:
                reported.append(value)
            if text:
                actual_text = text
        return reported, actual_text


@dataclass
class _Scoring:
    """Scores an indicator's year by the fast path of the formulas (lookup tables aside)."""

    negative_default: dict[int, str]
    tables: dict[int, formulas.LookupTable]

    def score(
        self, indicator: _IndicatorRow, target: _Target, reported: list[Decimal], actual_text: str
    ) -> tuple[str, Decimal | None]:
        """(status, value) of the achievement, as :func:`achievement.compute` gives them."""
        if indicator.kind == Indicator.TargetKind.LOOKUP:
            table = self.tables.get(indicator.table_id or 0)
            if table is None:
                return formulas.NOT_COMPUTABLE, None
            found = formulas.lookup_achievement(table, target.text, actual_text or None)
            return found.status, found.value
        formula: str | None = indicator.formula
        if indicator.polarity == formulas.NEGATIVE and not formula:
            formula = self.negative_default.get(indicator.agency_id)
        status, score, _formula = formulas.achievement_value(
            target.value,
            formulas.aggregate_value(reported, indicator.aggregation),
            indicator.polarity,
            formula or None,
            target.upper if indicator.kind == Indicator.TargetKind.RANGE else None,
        )
        return status, score


def _count(
    counts: AgencyCounts, status: str, score: Decimal | None, rules: Rules, agency_id: int
) -> None:
    """Count one indicator in its agency's band (on the agency's scale) or as not computed."""
    if status == formulas.COMPUTED:
        assert score is not None  # a computed achievement has a value
        bands, cap = rules[agency_id]
        for band in bands:
            if band.lower is None or score > band.lower:
                counts.counts[band.code] = counts.counts.get(band.code, 0) + 1
                break
        counts.total += min(score, cap) if cap is not None else score
        counts.computed += 1
    elif status == formulas.NOT_REPORTED:
        counts.not_reported += 1
    else:
        counts.not_computable += 1
