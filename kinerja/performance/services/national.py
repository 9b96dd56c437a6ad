"""Achievement of a year for many agencies at once (a province, the nation): per-agency counts by
category and the average, streamed in a few queries with the fast path of the formulas.

The per-agency service (:mod:`achievement`) builds explanations and reads the PK and Rencana Aksi
targets; this one reads the Renstra year targets of numeric indicators only (an indicator with no
target for the year, or a lookup indicator, is left to the per-agency service) so it can cover
600.000 indicators in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from kinerja.performance import formulas
from kinerja.performance.models import Actual, Target


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


def year_counts(
    year: int,
    agency_ids: Iterable[int] | None = None,
    scale: formulas.Scale = formulas.PERMENDAGRI_86_2017,
    cap: Decimal | None = None,
    chunk_size: int = 20000,
) -> dict[int, AgencyCounts]:
    """{agency id: counts by category, average} for ``year``, from the quarterly actuals.

    Two streams ordered by indicator (year targets with their indicator, and the reported
    actuals) are merged, so memory stays flat however many indicators there are.
    """
    plan = "indicator__objective__plan"
    targets = (
        Target.objects.filter(
            year=year,
            **{f"{plan}__start_year__lte": year, f"{plan}__end_year__gte": year},
        )
        .exclude(indicator__target_kind="lookup")
        .filter(Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__year__gte=year))
    )
    actuals = Actual.objects.filter(year=year, value__isnull=False)
    if agency_ids is not None:
        ids = list(agency_ids)
        targets = targets.filter(**{f"{plan}__agency_id__in": ids})
        actuals = actuals.filter(**{f"{plan}__agency_id__in": ids})
    target_rows = (
        targets.order_by("indicator_id")
        .values_list(
            "indicator_id",
            "value",
            "upper",
            "indicator__polarity",
            "indicator__formula",
            "indicator__aggregation",
            "indicator__target_kind",
            f"{plan}__agency_id",
        )
        .iterator(chunk_size)
    )
    actual_rows = (
        actuals.order_by("indicator_id", "quarter")
        .values_list("indicator_id", "value")
        .iterator(chunk_size)
    )
    bands = sorted(
        scale.bands, key=lambda b: (b.lower is None, -(b.lower if b.lower is not None else 0))
    )
    result: dict[int, AgencyCounts] = defaultdict(AgencyCounts)
    pending = next(actual_rows, None)
    for pk, target, upper, polarity, formula, aggregation, kind, agency_id in target_rows:
        reported = []
        while pending is not None and pending[0] < pk:
            pending = next(actual_rows, None)
        while pending is not None and pending[0] == pk:
            reported.append(pending[1])
            pending = next(actual_rows, None)
        actual = formulas.aggregate_value(reported, aggregation)
        status, value, _formula = formulas.achievement_value(
            target, actual, polarity, formula or None, upper if kind == "range" else None
        )
        counts = result[agency_id]
        if status == formulas.COMPUTED:
            for band in bands:
                if band.lower is None or value > band.lower:
                    counts.counts[band.code] = counts.counts.get(band.code, 0) + 1
                    break
            counts.total += min(value, cap) if cap is not None else value
            counts.computed += 1
        elif status == formulas.NOT_REPORTED:
            counts.not_reported += 1
        else:
            counts.not_computable += 1
    return dict(result)
