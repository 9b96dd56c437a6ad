from __future__ import annotations

from django.http import HttpRequest

from kinerja.organisation.access import employee_of
from kinerja.organisation.models import AgencyRole


def agency(request: HttpRequest) -> dict:
    """``my_agency``: for the links in the page header, the agency of the logged-in employee, or
    for an administrator who is not an employee (``<office>.admin``) the agency they administer."""
    user = getattr(request, "user", None)
    employee = employee_of(user)
    if employee is not None:
        return {"my_agency": employee.agency}
    if not getattr(user, "is_authenticated", False):
        return {"my_agency": None}
    role = (
        AgencyRole.objects.filter(user=user)
        .select_related("agency")
        .order_by("agency__code")
        .first()
    )
    return {"my_agency": role.agency if role else None}
