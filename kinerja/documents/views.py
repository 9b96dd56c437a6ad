"""Pages of the documents layer. Thin: parse, check access, call a service, render."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from kinerja.core.uploads import validate_upload
from kinerja.documents.models import DocumentVersion
from kinerja.documents.services.signoff import verify_upload


@require_http_methods(["GET", "POST"])
def verify(request, token: str):
    """Public: a QR opens this page; anyone may check whether a PDF is the signed one."""
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__agency"), token=token
    )
    result = None
    error = ""
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            validate_upload(upload, ("pdf",))
            result = verify_upload(upload.read(), token)
        except Exception as exc:
            error = str(getattr(exc, "message", exc))
    return render(
        request,
        "documents/verify.html",
        {
            "version": version,
            "document": version.document,
            "approvals": version.approvals.all(),
            "result": result,
            "error": error,
        },
    )
