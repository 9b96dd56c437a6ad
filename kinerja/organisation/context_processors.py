from __future__ import annotations

from django.http import HttpRequest

from kinerja.organisation.access import employee_of


def agency(request: HttpRequest) -> dict:
    """``my_agency``: the agency of the logged-in employee, for the links in the page header."""
    employee = employee_of(getattr(request, "user", None))
    return {"my_agency": employee.agency if employee is not None else None}
