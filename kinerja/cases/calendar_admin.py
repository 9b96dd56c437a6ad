"""The calendar overrides page: an agency's administrator keeps the holidays of its region.

The government revises cuti bersama during the year, so the national list of the ``holidays``
package is not the last word: an administrator adds a day off or turns a holiday into a working
day for the agency's region, with a reason, or takes an override back. Every change is in the
audit log and takes effect at once on :func:`kinerja.cases.workcal.calendar_for`, hence on every
due time computed after it. Services first, then the thin page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kinerja.cases.calendar import national_holidays
from kinerja.cases.models import CalendarOverride
from kinerja.core import audit
from kinerja.core.models import AuditEntry
from kinerja.organisation.access import can_administer, get_agency_for_admin
from kinerja.organisation.models import Agency, Region

CLEAR = "clear"  # back to the national calendar: the override is taken away


@dataclass(frozen=True)
class CalendarDay:
    """One line of the year's list: a national holiday, an override, or both."""

    day: dt.date
    holiday: str  # the national name, "" if none
    off: bool  # a day off once the overrides are applied
    override: CalendarOverride | None
    inherited: bool  # the override belongs to the province, not to the region itself


def year_days(agency: Agency, year: int) -> list[CalendarDay]:
    """National holidays and cuti bersama of ``year`` plus the overrides of the agency's region
    and its province (the region's own wins), in date order."""
    region = agency.region
    overrides: dict[dt.date, CalendarOverride] = {}
    rows = CalendarOverride.objects.filter(
        region_id__in=[i for i in (region.parent_id, region.pk) if i], day__year=year
    ).select_related("region", "created_by")
    for row in sorted(rows, key=lambda r: r.region_id == region.pk):
        overrides[row.day] = row
    holidays = national_holidays(year)
    days = []
    for day in sorted(set(holidays) | set(overrides)):
        override = overrides.get(day)
        off = override.kind == CalendarOverride.Kind.DAY_OFF if override else True
        days.append(
            CalendarDay(
                day=day,
                holiday=holidays.get(day, ""),
                off=off,
                override=override,
                inherited=bool(override and override.region_id != region.pk),
            )
        )
    return days


def _summary(region: Region, day: dt.date, text: str) -> str:
    return f"{region.code} {day.isoformat()}: {text}"


def change_day(agency: Agency, day: dt.date, kind: str, reason: str, *, actor) -> None:
    """Make ``day`` a day off (``off``) or a working day (``work``) in the agency's region, or
    take the region's override back (``clear``). The reason is required and kept."""
    if not can_administer(actor, agency):
        raise ValidationError(_("Only the agency's administrator can change its calendar."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the change (e.g. the SKB that revised it)."))
    if kind not in (CalendarOverride.Kind.DAY_OFF, CalendarOverride.Kind.WORKING_DAY, CLEAR):
        raise ValidationError(_("Choose what the day becomes."))
    region = agency.region
    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update().filter(region=region, day=day)
        old = existing.first()
        before = {"kind": old.kind, "reason": old.reason} if old else None
        if kind == CLEAR:
            if old is None:
                raise ValidationError(
                    _("%(day)s has no override in %(region)s.")
                    % {"day": day.isoformat(), "region": region.name}
                )
            old.delete()
            audit.record(
                "case.calendar.cleared",
                actor=actor,
                obj=None,
                agency_code=agency.code,
                summary=_summary(region, day, reason),
                before={"region": region.code, "day": day.isoformat(), **(before or {})},
                after={"region": region.code, "day": day.isoformat(), "reason": reason},
            )
            return
        override, _created = CalendarOverride.objects.update_or_create(
            region=region,
            day=day,
            defaults={"kind": kind, "reason": reason, "created_by": actor},
        )
        audit.record(
            "case.calendar.changed",
            actor=actor,
            obj=override,
            agency_code=agency.code,
            summary=_summary(region, day, f"{kind} · {reason}"),
            before={"region": region.code, "day": day.isoformat(), **before} if before else None,
            after={"region": region.code, "day": day.isoformat(), "kind": kind, "reason": reason},
        )


def history(agency: Agency, year: int, limit: int = 50) -> list[AuditEntry]:
    """The changes to the calendar of the agency's region in ``year``, newest first."""
    return list(
        AuditEntry.objects.filter(
            action__startswith="case.calendar.",
            summary__startswith=f"{agency.region.code} {year}-",
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


class DayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=gettext_lazy("The day becomes"),
        choices=[
            (CalendarOverride.Kind.DAY_OFF, gettext_lazy("a day off (holiday added)")),
            (CalendarOverride.Kind.WORKING_DAY, gettext_lazy("a working day (holiday removed)")),
            (CLEAR, gettext_lazy("as in the national calendar (override taken back)")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)


@login_required
@require_http_methods(["GET", "POST"])
def overrides_page(request, code: str):
    agency = get_agency_for_admin(request.user, code)
    try:
        year = int(request.GET.get("tahun") or agency.today().year)
    except ValueError:
        year = agency.today().year
    form = DayForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            day = form.cleaned_data["day"]
            try:
                change_day(
                    agency,
                    day,
                    form.cleaned_data["kind"],
                    form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The calendar is changed."))
                url = reverse("cases:calendar", args=[agency.code])
                return redirect(f"{url}?tahun={day.year}")
        else:
            messages.error(request, _("Check the form."))
    return render(
        request,
        "cases/calendar_overrides.html",
        {
            "agency": agency,
            "region": agency.region,
            "year": year,
            "years": [year - 1, year, year + 1],
            "days": year_days(agency, year),
            "history": history(agency, year),
            "form": form,
        },
    )


def agency_admin_link(request: HttpRequest, agency: Agency | None = None, **_context: Any) -> str:
    """The link on the agency page, for its administrators only."""
    if agency is None or not can_administer(getattr(request, "user", None), agency):
        return ""
    return render_to_string("cases/calendar_link.html", {"agency": agency})
