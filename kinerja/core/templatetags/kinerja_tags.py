"""Template filters for Indonesian formats: ``{{ d|tanggal }}``, ``{{ x|angka:2 }}``."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kinerja.core import hooks
from kinerja.core.formats import format_date_id, format_datetime_id, format_number_id

register = template.Library()


def _locale() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@register.filter
def tanggal(value):
    return format_date_id(value, _locale())


@register.filter
def waktu(value):
    if value is None:
        return ""
    return format_datetime_id(timezone.localtime(value), _locale())


@register.filter
def angka(value, decimals=2):
    try:
        return format_number_id(value, int(decimals), _locale())
    except (TypeError, ValueError):
        return value


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **objects):
    """The panels higher layers registered for ``slot`` (see ``kinerja.core.hooks``)."""
    return mark_safe(hooks.render_panels(slot, context.get("request"), **objects))
