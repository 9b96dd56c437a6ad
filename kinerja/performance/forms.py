"""Forms of the planning edit pages: parse Indonesian numbers and say what is wrong where.

Targets, quarter targets and amounts are dynamic fields named after the row they belong to
(``t2025_value``, ``q12_3_upper``, ``c7``) so that every error sits next to its cell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.formats import format_number_id
from kinerja.core.xlsx import NumberError, parse_number_id
from kinerja.organisation.models import Agency, Position, Unit
from kinerja.performance import formulas
from kinerja.performance.models import (
    Goal,
    Indicator,
    LookupTable,
    Objective,
    PerformanceAgreement,
    Program,
    StrategicPlan,
    SubActivity,
)
from kinerja.performance.services.plan_edit import INDICATOR_FIELDS, LookupSpec
from kinerja.performance.services.plan_structure import (
    GOAL_FIELDS,
    OBJECTIVE_FIELDS,
    goal_problems,
    objective_problems,
)

MAX_DECIMALS = 4


def show_number(value: Decimal | None) -> str:
    """A stored number as a person types it: ``1.234.567,5``, no trailing zeros. A whole number
    of one thousands group is shown without its dot (``4880``, not ``4.880``, which the parser
    refuses as ambiguous), so that what a page shows reads back as the same number."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    places = min(places, MAX_DECIMALS)
    if places == 0 and 1000 <= abs(value) < 1_000_000:
        return format_number_id(value, 0).replace(".", "")
    return format_number_id(value, places)


class NumberInput(forms.TextInput):
    """A text box for numbers typed the Indonesian way (``1.234.567,89``)."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return show_number(value)
        return super().format_value(value)


class IdNumberField(forms.Field):
    """A decimal typed as ``1.234,56``, ``85,5%`` or ``1234.56``; empty is None."""

    widget = NumberInput
    default_error_messages = {
        "invalid": gettext_lazy("'%(value)s' is not a number; write e.g. 1.234,56."),
        "places": gettext_lazy("Use at most %(places)d decimals."),
        "digits": gettext_lazy("The number is too large."),
        "negative": gettext_lazy("Write 0 or more."),
    }

    def __init__(
        self,
        *,
        places: int = MAX_DECIMALS,
        digits: int = 20,
        minimum: Decimal | None = None,
        money: bool = False,
        **kw,
    ):
        kw.setdefault("required", False)
        super().__init__(**kw)
        self.places, self.digits, self.minimum, self.money = places, digits, minimum, money

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_number_id(value, money=self.money)
        except NumberError as exc:
            if exc.code != "invalid":  # ambiguous, exponent, too many digits: the parser's words
                raise forms.ValidationError(exc.message, code=exc.code) from None
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise forms.ValidationError(
                self.error_messages["places"], code="places", params={"places": self.places}
            )
        if abs(number) >= Decimal(10) ** (self.digits - self.places):
            raise forms.ValidationError(self.error_messages["digits"], code="digits")
        if self.minimum is not None and number < self.minimum:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return number


def located(where: str, label: Any) -> Any:
    """A field label naming its row, e.g. ``2025 · Target``, for the page's error summary."""
    return format_lazy("{} · {}", where, label)


def money_field(**kw) -> IdNumberField:
    return IdNumberField(places=2, digits=18, minimum=Decimal(0), money=True, **kw)


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
    if not indicator.lookup_table_id:
        return None
    return [e.label for e in indicator.lookup_table.entries.all()]


class TargetFields:
    """Adds value/upper/text fields for one target and checks them against the kind of target."""

    @staticmethod
    def add(form: forms.Form, prefix: str, where: str, initial: Any = None) -> None:
        form.fields[f"{prefix}_value"] = IdNumberField(
            label=located(where, gettext_lazy("Target")), initial=getattr(initial, "value", None)
        )
        form.fields[f"{prefix}_upper"] = IdNumberField(
            label=located(where, gettext_lazy("Upper bound")),
            initial=getattr(initial, "upper", None),
        )
        form.fields[f"{prefix}_text"] = forms.CharField(
            label=located(where, gettext_lazy("Grade or milestone")),
            required=False,
            max_length=120,
            initial=getattr(initial, "text", ""),
        )

    @staticmethod
    def check(
        form: forms.Form,
        prefix: str,
        where: str,
        kind: str,
        labels: list[str] | None,
        required: bool = False,
    ) -> dict[str, Any] | None:
        """The cleaned target of ``prefix``; adds errors naming ``where``; None when empty."""
        data = form.cleaned_data
        value, upper = data.get(f"{prefix}_value"), data.get(f"{prefix}_upper")
        text = (data.get(f"{prefix}_text") or "").strip()
        if any(f"{prefix}_{n}" in form.errors for n in ("value", "upper", "text")):
            return None
        if kind == Indicator.TargetKind.LOOKUP:
            if value is not None or upper is not None:
                form.add_error(
                    f"{prefix}_text",
                    _("%(where)s: a grade or milestone target is text from the lookup table.")
                    % {"where": where},
                )
                return None
            if text and labels is not None and text not in labels:
                form.add_error(
                    f"{prefix}_text",
                    _("%(where)s: '%(value)s' is not in the lookup table (%(labels)s).")
                    % {"where": where, "value": text, "labels": ", ".join(labels)},
                )
                return None
            if not text:
                if required:
                    form.add_error(
                        f"{prefix}_text", _("%(where)s: give the target.") % {"where": where}
                    )
                return None
            return {"value": None, "upper": None, "text": text}
        if text:
            form.add_error(
                f"{prefix}_text",
                _("%(where)s: only a grade or milestone indicator takes a text target.")
                % {"where": where},
            )
            return None
        if kind == Indicator.TargetKind.RANGE:
            if (value is None) != (upper is None):
                form.add_error(
                    f"{prefix}_upper" if upper is None else f"{prefix}_value",
                    _("%(where)s: a range target needs both the lower and the upper bound.")
                    % {"where": where},
                )
                return None
            if value is not None and upper is not None and value > upper:
                form.add_error(
                    f"{prefix}_upper",
                    _("%(where)s: the lower bound %(low)s is above the upper bound %(high)s.")
                    % {"where": where, "low": show_number(value), "high": show_number(upper)},
                )
                return None
        elif upper is not None:
            form.add_error(
                f"{prefix}_upper",
                _("%(where)s: only a range target has an upper bound.") % {"where": where},
            )
            return None
        if value is None:
            if required:
                form.add_error(
                    f"{prefix}_value", _("%(where)s: give the target.") % {"where": where}
                )
            return None
        return {"value": value, "upper": upper, "text": ""}


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
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)
        if not adding:
            del self.fields["code"]
        targets = {t.year: t for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in years:
            TargetFields.add(self, f"t{year}", str(year), targets.get(year))
        table = self.instance.lookup_table if self.instance.pk else None
        self.fields["lookup_entries"].initial = lookup_text(table)
        self.fields["lookup_mode"].initial = table.mode if table else LookupTable.Mode.DIRECT

    def definition_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self._meta.fields if name in self.fields]

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
        data = super().clean()
        polarity = data.get("polarity")
        formula = data.get("formula") or ""
        kind = data.get("target_kind")
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
        labels: list[str] | None = None
        self.lookup: LookupSpec | None = None
        if kind == Indicator.TargetKind.LOOKUP:
            try:
                entries = parse_lookup(data.get("lookup_entries") or "")
            except forms.ValidationError as exc:
                self.add_error("lookup_entries", exc)
            else:
                labels = [label for label, _score in entries]
                self.lookup = LookupSpec(data.get("lookup_mode") or "direct", entries)
        self.targets: dict[int, dict[str, Any]] = {}
        if kind:
            for year in self.years:
                target = TargetFields.check(self, f"t{year}", str(year), kind, labels)
                self.targets[year] = target or {"value": None, "upper": None, "text": ""}
        return data

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}


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
        self.fields["first_party"].queryset = positions
        self.fields["second_party"].queryset = positions
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
        data = super().clean()
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
        data = super().clean()
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


class BudgetForm(forms.Form):
    """The pagu and the quarterly spending (realisasi) of every sub-activity for a year."""

    def __init__(self, *args, subs: list[SubActivity], ceilings: dict, spending: dict, **kw):
        super().__init__(*args, **kw)
        self.subs = subs
        for sub in subs:
            self.fields[f"c{sub.pk}"] = money_field(
                label=located(sub.code, gettext_lazy("Ceiling (pagu)")),
                initial=ceilings.get(sub.pk),
            )
            for quarter in (1, 2, 3, 4):
                self.fields[f"s{sub.pk}_{quarter}"] = money_field(
                    label=located(
                        sub.code, gettext_lazy("Spent in TW %(quarter)d") % {"quarter": quarter}
                    ),
                    initial=spending.get((sub.pk, quarter)),
                )

    def rows(self) -> list[tuple[SubActivity, forms.BoundField, list[forms.BoundField]]]:
        return [
            (s, self[f"c{s.pk}"], [self[f"s{s.pk}_{q}"] for q in (1, 2, 3, 4)]) for s in self.subs
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.values: dict[int, dict[str, Any]] = {}
        for sub in self.subs:
            ceiling = data.get(f"c{sub.pk}")
            spending = {q: data.get(f"s{sub.pk}_{q}") for q in (1, 2, 3, 4)}
            total = sum((a for a in spending.values() if a is not None), Decimal(0))
            if any(n in self.errors for n in [f"c{sub.pk}"] + [f"s{sub.pk}_{q}" for q in spending]):
                continue
            if total and ceiling is None:
                self.add_error(
                    f"c{sub.pk}",
                    _("%(line)s: give the ceiling before the spending.") % {"line": sub.code},
                )
                continue
            if ceiling is not None and total > ceiling:
                self.add_error(
                    f"s{sub.pk}_4",
                    _(
                        "%(line)s: the spending of the year (Rp %(spent)s) is above the ceiling "
                        "(Rp %(ceiling)s)."
                    )
                    % {
                        "line": sub.code,
                        "spent": format_number_id(total, 2),
                        "ceiling": format_number_id(ceiling, 2),
                    },
                )
                continue
            self.values[sub.pk] = {"ceiling": ceiling, "spending": spending}
        return data


class BudgetLineForm(forms.Form):
    """Add a program, activity and sub-activity, or rename them (found by their codes)."""

    program_code = forms.CharField(label=gettext_lazy("Program code"), max_length=40)
    program_name = forms.CharField(label=gettext_lazy("Program"), max_length=500)
    objective = forms.ModelChoiceField(
        label=gettext_lazy("Objective it serves"), queryset=Objective.objects.none(), required=False
    )
    activity_code = forms.CharField(label=gettext_lazy("Activity code"), max_length=40)
    activity_name = forms.CharField(label=gettext_lazy("Activity"), max_length=500)
    sub_code = forms.CharField(label=gettext_lazy("Sub-activity code"), max_length=40)
    sub_name = forms.CharField(label=gettext_lazy("Sub-activity"), max_length=500)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, agency: Agency, **kw):
        super().__init__(*args, **kw)
        self.fields["objective"].queryset = Objective.objects.filter(plan__agency=agency)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        program, activity = data.get("program_code", ""), data.get("activity_code", "")
        sub = data.get("sub_code", "")
        if program and activity and not activity.startswith(program):
            self.add_error(
                "activity_code",
                _("The activity code %(code)s does not start with the program code %(program)s.")
                % {"code": activity, "program": program},
            )
        if activity and sub and not sub.startswith(activity):
            self.add_error(
                "sub_code",
                _(
                    "The sub-activity code %(code)s does not start with the activity code %(activity)s."
                )
                % {"code": sub, "activity": activity},
            )
        return data


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
        data = super().clean()
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
        self.fields["goal"].queryset = plan.goals.all()
        self.fields["goal"].label_from_instance = _coded
        parents = plan.objectives.exclude(level=Objective.Level.ACTIVITY)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = _coded
        self.fields["unit"].queryset = Unit.objects.filter(agency=plan.agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        current = self.instance if self.instance.pk else None
        for name, message in objective_problems(self.plan, data, current).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in OBJECTIVE_FIELDS}
