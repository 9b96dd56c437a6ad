"""Forms of the budget pages: the pagu and quarterly spending of sub-activities, a budget line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.formats import format_number_id
from kinerja.organisation.models import Agency, Unit
from kinerja.performance.forms.fields import choose_from, located, money_field
from kinerja.performance.models import Objective, SubActivity


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
        super().clean()
        data = self.cleaned_data
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
        choose_from(self, "objective", Objective.objects.filter(plan__agency=agency))
        choose_from(self, "unit", Unit.objects.filter(agency=agency))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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
