"""Pages of the organisation layer. Thin: check access through ``access``, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kinerja.core.xlsx import InvalidFile
from kinerja.organisation import access
from kinerja.organisation.forms import StructureUploadForm
from kinerja.organisation.queries import organisation_tree
from kinerja.organisation.services.structure import export_structure, import_structure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def home(request):
    employee = access.employee_of(request.user)
    return render(
        request,
        "organisation/home.html",
        {
            "employee": employee,
            "holdings": access.holdings_of(request.user),
            "agencies": access.agencies_visible_to(request.user).select_related("region"),
            "regions": access.regions_administered_by(request.user),
        },
    )


@login_required
@require_safe
def agency_detail(request, code: str):
    agency = access.get_agency_for_structure(request.user, code)
    day = agency.today()
    return render(
        request,
        "organisation/agency_detail.html",
        {
            "agency": agency,
            "tree": organisation_tree(agency, day),
            "day": day,
            "can_administer": access.can_administer(request.user, agency),
            "can_manage": access.can_manage_agency(request.user, agency),
            "can_name_admins": access.can_administer_region(request.user, agency.region),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def structure_import(request, code: str):
    agency = access.get_agency_for_manager(request.user, code)
    issues = []
    form = StructureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_structure(agency, form.cleaned_data["file"], actor=request.user)
        except InvalidFile as exc:
            issues = exc.issues
        else:
            messages.success(
                request,
                _(
                    "Imported %(units)d units, %(positions)d positions, %(employees)d employees and "
                    "%(holdings)d holdings."
                )
                % summary.as_dict(),
            )
            return redirect("organisation:agency", code=agency.code)
    return render(
        request,
        "organisation/structure_import.html",
        {
            "agency": agency,
            "form": form,
            "issues": issues,
        },
        status=422 if issues else 200,
    )


@login_required
@require_safe
def structure_export(request, code: str):
    agency = access.get_agency_for_structure(request.user, code)
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="struktur-{agency.code}-{stamp}.xlsx"'
    export_structure(agency).save(response)
    return response
