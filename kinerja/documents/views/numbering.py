"""The agency's letter numbering, kept by whoever manages the agency's master data (its
administrator or the regional administrator, ``organisation.access.get_agency_for_manager``);
linked from the agency page through the ``agency_admin`` panel slot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kinerja.documents.models import LetterRegister
from kinerja.documents.numbering import LetterParts, format_number
from kinerja.documents.services.letters import register_or_default, update_register
from kinerja.organisation.access import can_manage_agency, get_agency_for_manager
from kinerja.organisation.models import Agency


class RegisterForm(forms.Form):
    """The register's fields; their rules are the service's (:func:`update_register`)."""

    pattern = forms.CharField(label=gettext_lazy("Numbering pattern"), max_length=200)
    unit_code = forms.CharField(
        label=gettext_lazy("Unit code"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Empty: the agency's code."),
    )
    default_classification = forms.CharField(
        label=gettext_lazy("Default classification code"), max_length=40
    )


def example_number(register: LetterRegister, agency: Agency) -> str:
    """The first number of this year as the pattern prints it."""
    today = agency.today()
    parts = LetterParts(
        kode=register.default_classification,
        urut=1,
        unit=register.effective_unit_code,
        year=today.year,
        month=today.month,
    )
    try:
        return format_number(register.pattern, parts)
    except ValueError:
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def numbering(request, code: str):
    agency = get_agency_for_manager(request.user, code)
    register = register_or_default(agency)
    initial = {
        "pattern": register.pattern,
        "unit_code": register.unit_code,
        "default_classification": register.default_classification,
    }
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_register(agency, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field, [m for e in errors for m in e.messages])
        else:
            if changed:
                messages.success(request, _("The letter numbering is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("documents:numbering", code=agency.code)
    return render(
        request,
        "documents/numbering.html",
        {"agency": agency, "form": form, "example": example_number(register, agency)},
        status=422 if form.errors else 200,
    )


def numbering_link(request: HttpRequest, agency: Agency | None = None, **_context: Any) -> str:
    """The link on the agency page, for whoever manages the agency."""
    if agency is None or not can_manage_agency(getattr(request, "user", None), agency):
        return ""
    return render_to_string("documents/numbering_link.html", {"agency": agency})
