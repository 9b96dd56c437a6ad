"""The letter register and the archive with the e-review package."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kinerja.cases.access import get_case_for_user
from kinerja.documents import access
from kinerja.documents.actions import finish
from kinerja.documents.models import ArchiveEntry, LetterNumber
from kinerja.documents.services.archive import (
    PACKAGE_ITEMS,
    archive_case,
    build_package,
    package_zip,
)
from kinerja.documents.services.letters import issue_letter_number, register_for, void_letter_number
from kinerja.organisation.access import can_administer
from kinerja.performance.access import is_planner


@login_required
@require_http_methods(["GET", "POST"])
def letters(request, code: str):
    agency = access.get_agency(request.user, code)
    register = register_for(agency)
    year = int(request.GET.get("year") or agency.today().year)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "void":
                letter = access.get_letter_number(agency, request.POST.get("letter", ""))
                if not (
                    letter.issued_by_id == request.user.pk or can_administer(request.user, agency)
                ):
                    raise PermissionDenied(
                        _("Only the issuer or an administrator may void a number.")
                    )
                void_letter_number(letter, request.POST.get("reason", ""), actor=request.user)
            else:
                letter = issue_letter_number(
                    agency,
                    request.POST.get("classification") or None,
                    actor=request.user,
                    subject=request.POST.get("subject", ""),
                    addressee=request.POST.get("addressee", ""),
                )
                messages.success(request, letter.number)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(reverse("documents:letters", args=[code]) + f"?year={year}")
    return render(
        request,
        "documents/letters.html",
        {
            "agency": agency,
            "register": register,
            "year": year,
            "letters": LetterNumber.objects.filter(agency=agency, year=year).order_by("-sequence"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def archive(request, code: str):
    agency = access.get_agency(request.user, code)
    year = int(request.GET.get("year") or agency.today().year - 1)
    task = request.GET.get("task", "")
    case = request.GET.get("case", "")
    if request.method == "POST":
        # The case through the cases layer's accessor (404 unless the user works for its
        # agency), and it must be this page's agency; the service checks the archive step.
        case = get_case_for_user(request.user, request.POST.get("case", ""))
        if case.agency_id != agency.pk:
            raise Http404
        result = archive_case(case, actor=request.user)  # PermissionDenied: 403
        entries = result.entries
        messages.success(
            request,
            ngettext("%d document archived.", "%d documents archived.", len(entries))
            % len(entries),
        )
        if result.not_final:
            messages.warning(
                request,
                _("Not archived, no signed version yet: %(titles)s")
                % {"titles": ", ".join(d.title for d in result.not_final)},
            )
        url = reverse("documents:archive", args=[code]) + f"?year={year}"
        # the engine finds the case's open archive task and checks the user may complete it
        finish(
            "archive",
            agency_id=agency.pk,
            case_id=case.pk,
            user=request.user,
            label=_("Archive"),
            url=url,
        )
        return redirect(url)
    package = build_package(agency, year)
    return render(
        request,
        "documents/archive.html",
        {
            "agency": agency,
            "year": year,
            "entries": ArchiveEntry.objects.filter(agency=agency).order_by(
                "-year", "kind", "-archived_at"
            ),
            "package": package,
            "may_build_package": is_planner(request.user, agency),
            "items": PACKAGE_ITEMS,
            "task": task,
            "case": case,
        },
    )


@login_required
@require_http_methods(["POST"])
def package(request, code: str, year: int):
    """The e-review ZIP, built now for whoever makes the office's documents (a planning official
    or the head): building it is recorded in the audit log, so it is a POST."""
    agency = access.get_agency_for_editor(request.user, code)
    data, _package = package_zip(agency, year, actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="e-reviu_{agency.code}_{year}.zip"'
    return response
