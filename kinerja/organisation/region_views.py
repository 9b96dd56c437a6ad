"""The regional administrator's pages (docs/regions.md): the region's agencies, a new agency,
an agency's record and its administrators. Thin: access through ``access``, changes through
``services.agencies``, every change a POST."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kinerja.organisation import access
from kinerja.organisation.forms import AdministratorForm, AgencyForm
from kinerja.organisation.models import Agency, AgencyRole
from kinerja.organisation.services import agencies as services
from kinerja.organisation.services import two_factor


def _refused(form: BaseForm, exc: ValidationError) -> None:
    """A service's refusal shown on the form: by field where the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        for message in (m for e in errors for m in e.messages):
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_safe
def region_detail(request, region: str):
    found = access.get_region_for_admin(request.user, region)
    agencies = (
        Agency.objects.filter(region=found).prefetch_related("roles__user").order_by("kind", "name")
    )
    return render(
        request,
        "organisation/region_detail.html",
        {"region": found, "agencies": agencies},
    )


@login_required
@require_http_methods(["POST"])
def region_two_factor(request, region: str):
    """Require (or stop requiring) two-step verification of the region's administrators and
    signers (docs/accounts.md)."""
    found = access.get_region_for_admin(request.user, region)
    required = request.POST.get("required") == "1"
    two_factor.set_policy(found, required, actor=request.user)
    text = (
        _("Two-step verification is now required of the administrators and signers of %(r)s.")
        if required
        else _("Two-step verification is now optional in %(r)s.")
    )
    messages.success(request, text % {"r": found.name})
    return redirect("organisation:region", region=found.code)


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request, region: str):
    found = access.get_region_for_admin(request.user, region)
    form = AgencyForm(
        request.POST or None,
        request.FILES or None,
        instance=Agency(region=found, time_zone=found.time_zone),
        creating=True,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agency = services.create_agency(
                found,
                code=data.pop("code"),
                name=data.pop("name"),
                kind=data.pop("kind"),
                actor=request.user,
                **{k: v for k, v in data.items() if v not in (None, False)},
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Agency %(name)s created.") % {"name": agency.name})
            return redirect("organisation:agency", code=agency.code)
    return render(
        request,
        "organisation/agency_form.html",
        {"region": found, "form": form, "agency": None},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, code: str):
    agency = access.get_agency_for_manager(request.user, code)
    form = AgencyForm(request.POST or None, request.FILES or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if "logo" in fields and fields["logo"] is False:  # "clear" ticked
            fields["logo"] = ""
        try:
            changed = services.update_agency(agency, actor=request.user, **fields)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            if changed:
                messages.success(request, _("The agency's data is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("organisation:agency", code=agency.code)
    return render(
        request,
        "organisation/agency_form.html",
        {"region": agency.region, "form": form, "agency": agency},
        status=422 if form.errors else 200,
    )


def _agency_for_region_admin(user, code: str) -> Agency:
    """The agency if the user administers its region: naming an office's administrators is the
    region's; the office's own administrator sees the page refused (403)."""
    agency = access.get_agency_for_structure(user, code)
    if not access.can_administer_region(user, agency.region):
        raise PermissionDenied
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def agency_admins(request, code: str):
    agency = _agency_for_region_admin(request.user, code)
    form = AdministratorForm(request.POST or None, agency=agency)
    if request.method == "POST" and request.POST.get("revoke"):
        role = AgencyRole.objects.filter(
            agency=agency, role=AgencyRole.Role.ADMIN, pk=request.POST["revoke"]
        ).first()
        if role is None:
            raise Http404
        services.revoke_agency_admin(agency, role.user, actor=request.user)
        messages.success(
            request,
            _("%(login)s is no longer administrator of %(agency)s.")
            % {"login": role.user.get_username(), "agency": agency.code},
        )
        return redirect("organisation:agency_admins", code=agency.code)
    if request.method == "POST" and form.is_valid():
        try:
            _grant(request.user, agency, form)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            return redirect("organisation:agency_admins", code=agency.code)
    return render(
        request,
        "organisation/agency_admins.html",
        {
            "agency": agency,
            "form": form,
            "roles": agency.roles.filter(role=AgencyRole.Role.ADMIN)
            .select_related("user__employee")
            .order_by("user__username"),
        },
        status=422 if form.errors else 200,
    )


def _grant(actor, agency: Agency, form: AdministratorForm) -> None:
    """The employee (entered here when new) and their login (made when missing) named
    administrator: all or nothing."""
    data = form.cleaned_data
    with transaction.atomic():
        employee = data["employee"] or services.add_employee(
            agency, data["full_name"], nip=data["nip"], email=data["email"], actor=actor
        )
        user = employee.user or services.create_login(employee, data["username"], actor=actor)
        services.grant_agency_admin(agency, user, actor=actor)
