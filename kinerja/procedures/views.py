"""Pages of the SOP registry. Thin: check access through ``access``, call a service, render."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kinerja.core.uploads import validate_upload
from kinerja.organisation.access import get_agency_for_user
from kinerja.procedures import access
from kinerja.procedures.bpmn import export_bpmn
from kinerja.procedures.document import DEFAULT_STEPS_PER_PAGE, context, render_pdf
from kinerja.procedures.forms import SopUploadForm
from kinerja.procedures.models import SopVersion
from kinerja.procedures.services import approve_version, import_sop
from kinerja.procedures.sopfile import InvalidSopFile, size_problem


def _filename(version: SopVersion, extension: str) -> str:
    base = (version.number or version.sop.key).replace("/", "-").replace(" ", "")
    return f"SOP-{base}-v{version.version}.{extension}"


@login_required
@require_safe
def registry(request, code: str | None = None):
    """Every SOP the user may read, by agency; search by number or name, filter by status."""
    sops = access.sops_visible_to(request.user).select_related("agency")
    agency = None
    if code:
        agency = access.agencies_with_sops_for(request.user).filter(code=code).first()
        if agency is None:
            agency = get_agency_for_user(request.user, code)  # 404 unless the user works there
        sops = sops.filter(agency=agency)
    query = request.GET.get("q", "").strip()
    if query:
        sops = sops.filter(Q(name__icontains=query) | Q(number__icontains=query))
    status = request.GET.get("status", "")
    rows = []
    for sop in sops.order_by("agency__name", "number", "name"):
        versions = list(access.versions_visible_to(request.user, sop))
        effective = next((v for v in versions if v.status == SopVersion.Status.EFFECTIVE), None)
        draft = next((v for v in versions if v.status == SopVersion.Status.DRAFT), None)
        if status == "draft" and draft is None:
            continue
        if status == "effective" and effective is None:
            continue
        rows.append({"sop": sop, "effective": effective, "draft": draft})
    return render(
        request,
        "procedures/registry.html",
        {
            "rows": rows,
            "agency": agency,
            "query": query,
            "status": status,
            "can_upload": agency is not None and access.can_upload(request.user, agency),
            "agencies": access.agencies_with_sops_for(request.user),
        },
    )


def _version_from(request, code: str, pk: int, number: int | None = None):
    sop = access.get_sop_for_user(request.user, code, pk)
    if number is None and request.GET.get("v", "").isdigit():
        number = int(request.GET["v"])
    return sop, access.get_version_for_user(request.user, sop, number)


def _steps_per_page(request) -> int:
    try:
        return max(1, min(30, int(request.GET.get("per_page", DEFAULT_STEPS_PER_PAGE))))
    except ValueError:
        return DEFAULT_STEPS_PER_PAGE


@login_required
@require_safe
def sop_detail(request, code: str, pk: int):
    sop, version = _version_from(request, code, pk)
    per_page = _steps_per_page(request)
    document = context(version, per_page)
    document["link_related"] = True
    return render(
        request,
        "procedures/sop_detail.html",
        {
            **document,
            "sop": sop,
            "version": version,
            "versions": access.versions_visible_to(request.user, sop),
            "can_approve": version.is_draft and access.can_approve(request.user, sop.agency),
            "can_upload": access.can_upload(request.user, sop.agency),
            "per_page": per_page,
        },
    )


@login_required
@require_safe
def sop_pdf(request, code: str, pk: int, number: int):
    _sop, version = _version_from(request, code, pk, number)
    response = HttpResponse(render_pdf(version, _steps_per_page(request)), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "pdf")}"'
    return response


@login_required
@require_safe
def sop_yaml(request, code: str, pk: int, number: int):
    _sop, version = _version_from(request, code, pk, number)
    response = HttpResponse(version.source_yaml, "application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "yaml")}"'
    return response


@login_required
@require_safe
def sop_bpmn(request, code: str, pk: int, number: int):
    _sop, version = _version_from(request, code, pk, number)
    response = HttpResponse(export_bpmn(version), "application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "bpmn")}"'
    return response


@login_required
@require_safe
def sop_versions(request, code: str, pk: int):
    """The version history, and the differences between two versions' files."""
    sop = access.get_sop_for_user(request.user, code, pk)
    versions = list(access.versions_visible_to(request.user, sop))
    by_number = {v.version: v for v in versions}
    diff = None
    old = new = None
    if len(versions) > 1:
        try:
            new = by_number[int(request.GET.get("b", versions[0].version))]
            old = by_number[int(request.GET.get("a", versions[1].version))]
        except (KeyError, ValueError):
            old = new = None
        if old and new:
            diff = [
                {
                    "text": line,
                    "kind": "add"
                    if line.startswith("+") and not line.startswith("+++")
                    else "del"
                    if line.startswith("-") and not line.startswith("---")
                    else "hunk"
                    if line.startswith("@@")
                    else "",
                }
                for line in difflib.unified_diff(
                    old.source_yaml.splitlines(),
                    new.source_yaml.splitlines(),
                    f"v{old.version}",
                    f"v{new.version}",
                    lineterm="",
                )
            ]
    return render(
        request,
        "procedures/sop_versions.html",
        {"sop": sop, "versions": versions, "diff": diff, "old": old, "new": new},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sop_upload(request, code: str):
    """Upload a new SOP or a revision of one (same key) as a draft version."""
    agency = access.get_agency_for_upload(request.user, code)
    problems = []
    form = SopUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload, ("yaml", "yml"))
            too_large = size_problem(upload.size or 0)
            if too_large is not None:  # refused before a byte is decoded or parsed
                raise InvalidSopFile([too_large])
            result = import_sop(upload.read().decode("utf-8"), agency=agency, user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except InvalidSopFile as exc:
            problems = exc.problems
        else:
            version = result.version
            if result.unchanged:
                messages.info(
                    request,
                    _("The file is the same as version %(n)s; nothing changed.")
                    % {"n": version.version},
                )
            else:
                messages.success(
                    request,
                    _("Version %(n)s of %(name)s was saved as a draft.")
                    % {"n": version.version, "name": version.name},
                )
            return redirect(f"{version.sop.get_absolute_url()}?v={version.version}")
    return render(
        request,
        "procedures/sop_upload.html",
        {"agency": agency, "form": form, "problems": problems},
    )


@login_required
@require_POST
def sop_approve(request, code: str, pk: int, number: int):
    sop, version = _version_from(request, code, pk, number)
    if not access.can_approve(request.user, sop.agency):
        raise PermissionDenied
    try:
        approve_version(version, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Version %(n)s is now the effective version.") % {"n": version.version}
        )
    return redirect(sop.get_absolute_url())
