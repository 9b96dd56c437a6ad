"""Template filters for Indonesian formats: ``{{ d|tanggal }}``, ``{{ x|angka:2 }}``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.template import Context
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kinerja.core import hooks
from kinerja.core.formats import format_date_id, format_datetime_id, format_number_id

register = template.Library()


def _locale() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@register.filter
def tanggal(value: dt.date | None) -> str:
    return format_date_id(value, _locale())


@register.filter
def waktu(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime_id(timezone.localtime(value), _locale())


@register.filter
def angka(value: Any, decimals: int | str = 2) -> Any:
    """``value`` in the Indonesian format with ``decimals`` places; unchanged when it is not a
    number (a template may pass text)."""
    try:
        return format_number_id(value, int(decimals), _locale())
    except (TypeError, ValueError):
        return value


@register.simple_tag(takes_context=True)
def panels(context: Context, slot: str, **objects: Any) -> SafeString:
    """The panels higher layers registered for ``slot`` (see ``kinerja.core.hooks``); none in a
    template rendered without a request (a panel is for the user of the page)."""
    request = context.get("request")
    if request is None:
        return mark_safe("")
    return mark_safe(hooks.render_panels(slot, request, **objects))
