"""The Rencana Aksi page's form: quarter targets and activities of each indicator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from kinerja.performance.forms.fields import TargetFields, located
from kinerja.performance.forms.planning import lookup_labels
from kinerja.performance.models import Indicator


class ActionPlanForm(forms.Form):
    """Targets up to each quarter and the activities behind them, per indicator."""

    def __init__(self, *args, indicators: list[Indicator], existing: dict, **kw):
        super().__init__(*args, **kw)
        self.indicators = indicators
        for indicator in indicators:
            for quarter in (1, 2, 3, 4):
                prefix = f"q{indicator.pk}_{quarter}"
                row = existing.get((indicator.pk, quarter))
                TargetFields.add(self, prefix, f"{indicator.code} TW {quarter}", row)
                self.fields[f"{prefix}_activities"] = forms.CharField(
                    label=located(f"{indicator.code} TW {quarter}", gettext_lazy("Activities")),
                    required=False,
                    max_length=4000,
                    initial=row.activities if row else "",
                    widget=forms.Textarea(attrs={"rows": 2, "style": "min-height: 3rem"}),
                )

    def rows(self) -> list[tuple[Indicator, list[list[forms.BoundField]]]]:
        return [
            (
                i,
                [
                    [
                        self[f"q{i.pk}_{q}_{name}"]
                        for name in ("value", "upper", "text", "activities")
                    ]
                    for q in (1, 2, 3, 4)
                ],
            )
            for i in self.indicators
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.values: dict[int, dict[int, dict[str, Any]]] = {}
        for indicator in self.indicators:
            labels = lookup_labels(indicator)
            quarters = {}
            for quarter in (1, 2, 3, 4):
                prefix = f"q{indicator.pk}_{quarter}"
                where = f"{indicator.code} TW {quarter}"
                target = TargetFields.check(self, prefix, where, indicator.target_kind, labels)
                quarters[quarter] = {
                    **(target or {"value": None, "upper": None, "text": ""}),
                    "activities": (data.get(f"{prefix}_activities") or "").strip(),
                }
            self.values[indicator.pk] = quarters
        return data
