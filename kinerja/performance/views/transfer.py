"""Plan export and import pages (XLSX)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kinerja.core.uploads import validate_upload
from kinerja.core.xlsx import InvalidFile
from kinerja.performance import access
from kinerja.performance.models import StrategicPlan
from kinerja.performance.services.planning.transfer import exporting, importing


@login_required
@require_safe
def plan_export(request: HttpRequest, code: str) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    plan = StrategicPlan.objects.filter(agency=agency).first()
    if plan is None:
        raise Http404
    buffer = io.BytesIO()
    exporting.export_plan(plan).save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"renstra-{agency.code}-{plan.start_year}-{plan.end_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_import(request: HttpRequest, code: str) -> HttpResponse:
    agency = access.get_agency_for_planner(request.user, code)
    issues, errors = [], []
    upload = request.FILES.get("file")
    if request.method == "POST" and upload:
        try:
            validate_upload(upload, ("xlsx",))
            summary = importing.import_plan(agency, upload, request.user)
        except ValidationError as exc:
            errors = exc.messages
        except InvalidFile as exc:
            issues = exc.issues
        else:
            messages.success(
                request,
                _("Imported %(indicators)d indicators and %(targets)d targets.")
                % {"indicators": summary.indicators, "targets": summary.targets},
            )
            return redirect("performance:agency", code=code)
    return render(
        request,
        "performance/plan_import.html",
        {"agency": agency, "issues": issues, "errors": errors},
    )
