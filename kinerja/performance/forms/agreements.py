"""Forms of the performance agreement (PK) pages: a draft's header, indicators and programs,
an amendment, a signature."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.organisation.models import Position
from kinerja.performance.forms.fields import TargetFields, choose_from, located, money_field
from kinerja.performance.forms.planning import lookup_labels
from kinerja.performance.models import Indicator, PerformanceAgreement, Program


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2, "style": "min-height: 3rem"}),
        help_text=gettext_lazy("e.g. Perubahan APBD, a change of the organisation."),
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=dt.date.today,
    )


class AgreementForm(forms.Form):
    """A draft PK version: the parties, the chosen indicators with targets, the programs."""

    first_party = forms.ModelChoiceField(
        label=gettext_lazy("First party"), queryset=Position.objects.none()
    )
    second_party = forms.ModelChoiceField(
        label=gettext_lazy("Second party (superior)"),
        queryset=Position.objects.none(),
        required=False,
    )
    second_party_title = forms.CharField(
        label=gettext_lazy("Second party title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("e.g. Bupati Balangan"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "style": "min-height: 3rem"}),
    )

    def __init__(
        self,
        *args,
        agreement: PerformanceAgreement,
        indicators: list[Indicator],
        programs: list[Program],
        **kw,
    ):
        chosen = {r.indicator_id: r for r in agreement.indicators.all()}
        funded = {r.program_id: r for r in agreement.programs.all()}
        kw.setdefault(
            "initial",
            {
                "first_party": agreement.first_party_id,
                "second_party": agreement.second_party_id,
                "second_party_title": agreement.second_party_title,
                "reason": agreement.reason,
            },
        )
        super().__init__(*args, **kw)
        positions = Position.objects.filter(agency=agreement.agency)
        choose_from(self, "first_party", positions)
        choose_from(self, "second_party", positions)
        self.indicators, self.programs = indicators, programs
        for indicator in indicators:
            self.fields[f"i{indicator.pk}"] = forms.BooleanField(
                required=False, initial=indicator.pk in chosen, label=indicator.code
            )
            TargetFields.add(self, f"i{indicator.pk}", indicator.code, chosen.get(indicator.pk))
        for program in programs:
            row = funded.get(program.pk)
            self.fields[f"p{program.pk}"] = forms.BooleanField(
                required=False, initial=row is not None, label=program.code
            )
            self.fields[f"p{program.pk}_budget"] = money_field(
                label=located(program.code, gettext_lazy("Budget (Rp)")),
                initial=row.budget if row else None,
            )
            self.fields[f"p{program.pk}_note"] = forms.CharField(
                label=located(program.code, gettext_lazy("Note")),
                required=False,
                max_length=255,
                initial=row.note if row else "",
            )

    def indicator_rows(self) -> list[tuple[Indicator, list[forms.BoundField]]]:
        return [
            (
                i,
                [self[f"i{i.pk}{suffix}"] for suffix in ("", "_value", "_upper", "_text")],
            )
            for i in self.indicators
        ]

    def program_rows(self) -> list[tuple[Program, list[forms.BoundField]]]:
        return [
            (p, [self[f"p{p.pk}{suffix}"] for suffix in ("", "_budget", "_note")])
            for p in self.programs
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.chosen_indicators: dict[int, dict[str, Any]] = {}
        for indicator in self.indicators:
            if not data.get(f"i{indicator.pk}"):
                continue
            labels = lookup_labels(indicator)
            target = TargetFields.check(
                self, f"i{indicator.pk}", indicator.code, indicator.target_kind, labels, True
            )
            if target is not None:
                self.chosen_indicators[indicator.pk] = target
        if not any(data.get(f"i{i.pk}") for i in self.indicators):
            raise forms.ValidationError(_("Choose at least one indicator."))
        self.chosen_programs: dict[int, dict[str, Any]] = {}
        for program in self.programs:
            if not data.get(f"p{program.pk}"):
                continue
            budget = data.get(f"p{program.pk}_budget")
            if budget is None:
                if f"p{program.pk}_budget" not in self.errors:
                    self.add_error(
                        f"p{program.pk}_budget",
                        _("%(code)s: give the program's budget.") % {"code": program.code},
                    )
                continue
            self.chosen_programs[program.pk] = {
                "budget": budget,
                "note": data.get(f"p{program.pk}_note", ""),
            }
        return data
