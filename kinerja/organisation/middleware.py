from __future__ import annotations

from django.utils import timezone

from kinerja.organisation.access import employee_of


class AgencyTimezoneMiddleware:
    """Show times in the time zone of the user's agency (WIB, WITA or WIT)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        employee = employee_of(getattr(request, "user", None))
        if employee is not None:
            timezone.activate(employee.agency.time_zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
