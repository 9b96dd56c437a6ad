"""Pages of the organisation layer. Thin: check access through ``access``, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kinerja.core.xlsx import InvalidFile
from kinerja.organisation import access
from kinerja.organisation.forms import StructureUploadForm
from kinerja.organisation.models import Employee
from kinerja.organisation.queries import organisation_tree
from kinerja.organisation.services import accounts
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
    can_administer = access.can_administer(request.user, agency)
    can_manage = access.can_manage_agency(request.user, agency)
    return render(
        request,
        "organisation/agency_detail.html",
        {
            "agency": agency,
            "tree": organisation_tree(agency, day),
            "day": day,
            "can_administer": can_administer,
            "can_manage": can_manage,
            "can_name_admins": access.can_administer_region(request.user, agency.region),
            "accounts": accounts.account_rows(agency) if can_manage else None,
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


def _invitees(request, agency) -> list[Employee]:
    """The employee the form names (``employee``), or with ``all`` every one without a password;
    only employees of ``agency`` (another agency's id is a 404)."""
    if request.POST.get("all"):
        return [
            row.employee for row in accounts.account_rows(agency) if row.state != accounts.ACTIVE
        ]
    try:
        return [
            Employee.objects.select_related("user", "agency").get(
                agency=agency, pk=int(request.POST.get("employee", ""))
            )
        ]
    except (ValueError, Employee.DoesNotExist):
        raise Http404 from None


@login_required
@require_http_methods(["POST"])
def invite(request, code: str):
    """E-mail invitation links to one official or to all who have no password yet."""
    agency = access.get_agency_for_manager(request.user, code)
    outcomes = [accounts.invite(e, actor=request.user) for e in _invitees(request, agency)]
    mailed = [o for o in outcomes if o.status == "mailed"]
    unreachable = [o for o in outcomes if o.status == "no_address"]
    if mailed:
        messages.success(
            request,
            _("Invitation sent to %(names)s.") % {"names": ", ".join(o.address for o in mailed)},
        )
    if unreachable:
        messages.warning(
            request,
            _("No e-mail address for %(names)s: print activation codes for them.")
            % {"names": ", ".join(o.name for o in unreachable)},
        )
    if not mailed and not unreachable:
        messages.info(request, _("Nobody to invite: every official has a password."))
    return redirect(f"{reverse('organisation:agency', args=[agency.code])}#akun")


@login_required
@require_http_methods(["POST"])
def activation_codes(request, code: str):
    """One-time codes for one official or all without a password, as a page to print (the codes
    are shown this once; printing again makes new ones)."""
    agency = access.get_agency_for_manager(request.user, code)
    outcomes = [
        accounts.invite(e, actor=request.user, code=True) for e in _invitees(request, agency)
    ]
    return render(
        request,
        "organisation/accounts/activation_codes.html",
        {
            "agency": agency,
            "outcomes": [o for o in outcomes if o.status == "code"],
            "activate_url": settings.SITE_URL + reverse("accounts:activate"),
            "valid_days": settings.KINERJA_INVITATION_DAYS,
        },
    )
