"""Write audit entries. Services call :func:`record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from kinerja.core.models import AuditEntry


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    agency_code: str = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` (a dotted code) to ``obj``."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        agency_code=agency_code,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        before=before,
        after=after,
    )
