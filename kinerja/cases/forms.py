from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import Period, PeriodError


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    """Offer ``choices`` in the form's choice field ``name`` (``form.fields`` holds plain Fields
    for the type checker)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class StartCaseForm(forms.Form):
    sop = forms.ChoiceField(label=_("SOP"))
    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("2024, 2024-S1 or 2024-Q3")
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "sop",
            [(str(v.pk), f"{v.sop.agency.code} · {v.number or ''} {v.name}") for v in versions],
        )

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"]).code
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("ya", _("Yes (Ya)")), ("tidak", _("No (Tidak)"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Output note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DelegateForm(forms.Form):
    to = forms.ChoiceField(label=_("To"))
    instruction = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self, "to", [(str(e.pk), e.full_name) for e in targets])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AnnotateForm(forms.Form):
    text = forms.CharField(label=_("Remark"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=255)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 2}))
    invited = forms.MultipleChoiceField(
        label=_("Invited"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self, "invited", [(str(e.pk), e.full_name) for e in people])


class MinutesForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Attended"), widget=forms.CheckboxSelectMultiple, required=False
    )
    minutes = forms.CharField(label=_("Minutes (Notulensi)"), widget=forms.Textarea, required=False)
    file = forms.FileField(
        label=_("or upload the minutes (PDF or DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self, "attended", [(str(e.pk), e.full_name) for e in people])


class InvitationNumberForm(forms.Form):
    classification = forms.CharField(
        label=_("Classification code"),
        max_length=40,
        required=False,
        help_text=_("005 = Undangan (Permendagri 83/2022)"),
    )
