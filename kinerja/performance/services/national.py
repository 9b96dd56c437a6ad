"""Achievement of a year for many agencies at once (a province, the nation): per-agency counts by
category and the average, streamed in a few queries with the fast path of the formulas.

The per-agency service (:mod:`achievement`) builds explanations and reads the PK and Rencana Aksi
targets; this one reads the Renstra year targets and numeric indicators only (lookup indicators
are left to the per-agency service) so it can cover 600.000 indicators in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.performance import formulas
from kinerja.performance.models import Actual, Indicator, Target


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
    """{agency id: counts by category, average} for ``year``, from the quarterly actuals."""
    indicators = Indicator.objects.active_in(year).exclude(target_kind="lookup")
    actuals = Actual.objects.filter(year=year, value__isnull=False)
    targets = Target.objects.filter(year=year)
    if agency_ids is not None:
        ids = list(agency_ids)
        indicators = indicators.filter(objective__plan__agency_id__in=ids)
        actuals = actuals.filter(indicator__objective__plan__agency_id__in=ids)
        targets = targets.filter(indicator__objective__plan__agency_id__in=ids)
    target_of = {
        i: (v, u)
        for i, v, u in targets.values_list("indicator_id", "value", "upper").iterator(chunk_size)
    }
    values: dict[int, list[Decimal]] = defaultdict(list)
    for indicator_id, value in (
        actuals.order_by("indicator_id", "quarter")
        .values_list("indicator_id", "value")
        .iterator(chunk_size)
    ):
        values[indicator_id].append(value)
    bands = sorted(
        scale.bands, key=lambda b: (b.lower is None, -(b.lower if b.lower is not None else 0))
    )
    result: dict[int, AgencyCounts] = defaultdict(AgencyCounts)
    for pk, agency_id, polarity, formula, aggregation, kind in indicators.values_list(
        "pk",
        "objective__plan__agency_id",
        "polarity",
        "formula",
        "aggregation",
        "target_kind",
    ).iterator(chunk_size):
        target, upper = target_of.get(pk, (None, None))
        actual = formulas.aggregate_value(values.pop(pk, ()), aggregation)
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
