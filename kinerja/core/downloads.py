"""Sending a stored file to the person a view has already checked.

Stored files (drafts, signed reports, evidence, SOP uploads) are never published by the web server:
each download view checks who asks, then calls :func:`file_response`. With
``KINERJA_X_ACCEL_PREFIX`` set (e.g. ``/_berkas/``) the response carries no bytes but an
``X-Accel-Redirect`` to nginx's ``internal`` location for the media folder, so nginx sends the file
and the Python process is free at once; otherwise Django streams the file itself.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header


def file_response(
    stored: FieldFile, *, filename: str, as_attachment: bool = True, content_type: str = ""
) -> HttpResponseBase:
    """The response that delivers ``stored`` under ``filename``; call it only after the check."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "KINERJA_X_ACCEL_PREFIX", "")
    if prefix and isinstance(stored.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(stored.name or "")
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:  # None only for an inline file without a name
            response["Content-Disposition"] = disposition
        return response
    return FileResponse(
        stored.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
