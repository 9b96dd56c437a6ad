"""Checks every uploaded file passes before anything reads it: size, extension, real content type."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# The first bytes each accepted kind starts with (a DOCX and an XLSX are ZIP files).
MAGIC = {
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "yaml": None,
    "yml": None,
    "txt": None,
}


def validate_upload(
    upload: UploadedFile, allowed: tuple[str, ...], max_mb: int | None = None
) -> str:
    """Return the file's extension if it is allowed, not too large and is what it claims to be."""
    limit = (max_mb or settings.KINERJA_MAX_UPLOAD_MB) * 1024 * 1024
    size = upload.size or 0  # None only for a file whose size is not known yet: none here
    if size > limit:
        raise ValidationError(
            _("The file is %(size).1f MB; at most %(limit)d MB is allowed.")
            % {"size": size / 1024 / 1024, "limit": limit // 1024 // 1024}
        )
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Files of type .%(ext)s are not accepted here; use %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(f".{a}" for a in allowed)}
        )
    signatures = MAGIC.get(extension)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("The content of the file is not a .%(ext)s file.") % {"ext": extension}
        )
    if signatures is None and b"\x00" in upload.read(4096):
        upload.seek(0)
        raise ValidationError(_("The file is not a text file."))
    upload.seek(0)
    return extension
