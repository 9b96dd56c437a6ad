"""Forms of the plan pages: an indicator with its targets and lookup table, goals, objectives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.xlsx import NumberError, parse_number_id
from kinerja.organisation.models import Agency, Unit
from kinerja.performance import formulas
from kinerja.performance.forms.fields import (
    MAX_DECIMALS,
    IdNumberField,
    TargetFields,
    choose_from,
    show_number,
)
from kinerja.performance.models import Goal, Indicator, LookupTable, Objective, StrategicPlan
from kinerja.performance.services.planning.plans import INDICATOR_FIELDS, LookupSpec
from kinerja.performance.services.planning.structure import (
    GOAL_FIELDS,
    OBJECTIVE_FIELDS,
    goal_problems,
    objective_problems,
)


def parse_lookup(text: str) -> list[tuple[str, Decimal]]:
    """Lines ``label = score`` (e.g. ``Ditetapkan = 100``) into entries; ValidationError names
    the line of every problem."""
    entries: list[tuple[str, Decimal]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, score = line.rpartition("=")
        label = label.strip()
        if not sep or not label or not score.strip():
            problems.append(
                _("Line %(line)d: write 'label = score', e.g. 'Ditetapkan = 100'.")
                % {"line": number}
            )
            continue
        try:
            value = parse_number_id(score)
        except NumberError as exc:
            problems.append(
                _("Line %(line)d: '%(value)s' is not a number.")
                % {"line": number, "value": score.strip()}
                if exc.code == "invalid"
                else _("Line %(line)d: %(problem)s") % {"line": number, "problem": exc.message}
            )
            continue
        if label.lower() in seen:
            problems.append(
                _("Line %(line)d: the label '%(label)s' is given twice.")
                % {"line": number, "label": label}
            )
            continue
        if len(label) > 120:
            problems.append(_("Line %(line)d: the label is too long.") % {"line": number})
            continue
        seen.add(label.lower())
        entries.append((label, value))
    if not problems and len(entries) < 2:
        problems.append(_("Give at least two entries, one per line."))
    if problems:
        raise forms.ValidationError(problems)
    return entries


def lookup_text(table: LookupTable | None) -> str:
    if table is None:
        return ""
    return "\n".join(f"{e.label} = {show_number(e.score)}" for e in table.entries.all())


def lookup_labels(indicator: Indicator) -> list[str] | None:
    """The labels of the indicator's lookup table, the text targets it accepts (None: no table)."""
    table = indicator.lookup_table if indicator.lookup_table_id else None
    if table is None:
        return None
    return [e.label for e in table.entries.all()]


class IndicatorForm(forms.ModelForm):
    """An indicator's definition, its lookup table (docs/domain.md §5.4) and its yearly targets."""

    lookup_mode = forms.ChoiceField(
        label=gettext_lazy("How the lookup table scores"),
        choices=LookupTable.Mode.choices,
        required=False,
    )
    lookup_entries = forms.CharField(
        label=gettext_lazy("Lookup table"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One entry per line: label = score, e.g. 'Ditetapkan = 100'."),
    )

    class Meta:
        model = Indicator
        fields = ["code", *INDICATOR_FIELDS]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "name": forms.TextInput(),
        }

    def __init__(self, *args, agency: Agency, years: list[int], adding: bool = False, **kw):
        super().__init__(*args, **kw)
        self.years = years
        self.adding = adding
        for name in ("max_value", "baseline", "end_target", "national_standard"):
            self.fields[name] = IdNumberField(
                label=self.fields[name].label, initial=getattr(self.instance, name, None)
            )
        choose_from(self, "unit", Unit.objects.filter(agency=agency))
        if not adding:
            del self.fields["code"]
        targets = {t.year: t for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in years:
            TargetFields.add(self, f"t{year}", str(year), targets.get(year))
        table = self.instance.lookup_table if self.instance.pk else None
        self.fields["lookup_entries"].initial = lookup_text(table)
        self.fields["lookup_mode"].initial = table.mode if table else LookupTable.Mode.DIRECT

    def definition_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (self._meta.fields or ()) if name in self.fields]

    def target_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (y, self[f"t{y}_value"], self[f"t{y}_upper"], self[f"t{y}_text"]) for y in self.years
        ]

    def clean_decimals(self) -> int:
        value = self.cleaned_data["decimals"]
        if value is None or not 0 <= value <= MAX_DECIMALS:
            raise forms.ValidationError(
                _("Decimals must be from 0 to %(max)d.") % {"max": MAX_DECIMALS}
            )
        return value

    def clean_baseline_year(self) -> int | None:
        value = self.cleaned_data.get("baseline_year")
        if value is not None and not 1900 < value < 2200:
            raise forms.ValidationError(_("Write a year such as 2020."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("target_kind")
        self._check_formula(data.get("polarity"), data.get("formula") or "", kind)
        labels = self._read_lookup(data, kind)
        self.targets: dict[int, dict[str, Any]] = {}
        if kind:
            for year in self.years:
                target = TargetFields.check(self, f"t{year}", str(year), kind, labels)
                self.targets[year] = target or {"value": None, "upper": None, "text": ""}
        return data

    def _check_formula(self, polarity: str | None, formula: str, kind: str | None) -> None:
        """The formula fits the polarity, and the lookup formula a grade or milestone target."""
        if formula in (formulas.N1, formulas.N2) and polarity == formulas.POSITIVE:
            self.add_error(
                "formula", _("N1 and N2 are for negative indicators; a positive one uses P.")
            )
        if formula == formulas.P and polarity == formulas.NEGATIVE:
            self.add_error(
                "formula", _("P is for positive indicators; a negative one uses N1 or N2.")
            )
        if formula == formulas.LOOKUP and kind != Indicator.TargetKind.LOOKUP:
            self.add_error(
                "target_kind", _("The lookup formula needs a grade or milestone target.")
            )

    def _read_lookup(self, data: dict[str, Any], kind: str | None) -> list[str] | None:
        """Set ``self.lookup``, the table of a grade or milestone indicator; its labels (None: no
        table, or one that does not parse)."""
        self.lookup: LookupSpec | None = None
        if kind != Indicator.TargetKind.LOOKUP:
            return None
        try:
            entries = parse_lookup(data.get("lookup_entries") or "")
        except forms.ValidationError as exc:
            self.add_error("lookup_entries", exc)
            return None
        self.lookup = LookupSpec(data.get("lookup_mode") or "direct", entries)
        return [label for label, _score in entries]

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in (self._meta.fields or ())}


class RetireForm(forms.Form):
    retired_on = forms.DateField(
        label=gettext_lazy("Retired from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=dt.date.today,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "style": "min-height: 3rem"}),
    )


def _coded(row: Goal | Objective) -> str:
    return f"{row.code} {row.statement}"


class GoalForm(forms.ModelForm):
    """A goal (tujuan) of a Renstra: its code and statement."""

    class Meta:
        model = Goal
        fields = list(GOAL_FIELDS)
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: StrategicPlan, **kw):
        super().__init__(*args, **kw)
        self.plan = plan

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        current = self.instance if self.instance.pk else None
        for name, message in goal_problems(self.plan, data, current).items():
            self.add_error(name, message)
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in GOAL_FIELDS}


class ObjectiveForm(forms.ModelForm):
    """An objective (sasaran) of a Renstra: level, place under its goal and parent, owning unit."""

    class Meta:
        model = Objective
        fields = list(OBJECTIVE_FIELDS)
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}
        labels = {"goal": gettext_lazy("Goal"), "parent": gettext_lazy("Parent objective")}
        help_texts = {
            "parent": gettext_lazy(
                "A program objective sits under a strategic objective, an activity objective "
                "under a program objective; a strategic objective has none."
            )
        }

    def __init__(self, *args, plan: StrategicPlan, **kw):
        super().__init__(*args, **kw)
        self.plan = plan
        choose_from(self, "goal", plan.goals.all(), _coded)
        parents = plan.objectives.exclude(level=Objective.Level.ACTIVITY)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        choose_from(self, "parent", parents, _coded)
        choose_from(self, "unit", Unit.objects.filter(agency=plan.agency))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        current = self.instance if self.instance.pk else None
        for name, message in objective_problems(self.plan, data, current).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in OBJECTIVE_FIELDS}
