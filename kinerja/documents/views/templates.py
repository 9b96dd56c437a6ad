"""The agency administrator's page of Word templates: download, replace, revert."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.documents.services import templates
from kinerja.organisation.access import get_agency_for_admin

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_http_methods(["GET", "POST"])
def word_templates(request, code: str):
    agency = get_agency_for_admin(request.user, code)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        try:
            if request.POST.get("what") == "revert":
                templates.revert_template(agency, kind, actor=request.user)
                messages.success(request, _("The default template is used again."))
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError(_("Choose a DOCX file to upload."))
                templates.replace_template(agency, kind, upload, actor=request.user)
                messages.success(request, _("The template is replaced; the next version uses it."))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("documents:templates", code=code)
    return render(
        request,
        "documents/templates.html",
        {
            "agency": agency,
            "kinds": templates.overview(agency),
            "history": templates.history(agency),
        },
    )


@login_required
def template_download(request, code: str, kind: str, which: str):
    agency = get_agency_for_admin(request.user, code)
    if kind not in templates.template_kinds() or which not in ("default", "current"):
        raise Http404
    data = (
        templates.default_bytes(kind)
        if which == "default"
        else templates.current_bytes(agency, kind)
    )
    response = HttpResponse(data, content_type=DOCX_TYPE)
    name = f"{kind}_{'bawaan' if which == 'default' else agency.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
