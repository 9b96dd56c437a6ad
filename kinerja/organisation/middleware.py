from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.organisation.access import employee_of
from kinerja.organisation.services import two_factor


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


# Pages a login that still owes its second step may open: the step itself, leaving, the language.
_ALWAYS_OPEN = frozenset({"logout", "set_language"})
_VERIFY_OPEN = _ALWAYS_OPEN | {"accounts:verify"}
_ENROL_OPEN = _ALWAYS_OPEN | {"accounts:two_factor"}


class TwoFactorMiddleware:
    """No page before the second step (docs/accounts.md): a login with a confirmed device that
    has not given a code in this session is sent to "Verifikasi dua langkah" (the code page), and
    one that the region's policy requires to have a device and has none is sent to the set-up
    page; the API answers 403 instead. Once a session is found to owe nothing, that is remembered
    in the session until the next login, so other requests cost no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if request.session.get(two_factor.CHECKED_SESSION_KEY) == user.pk:
            return None
        if two_factor.owes_nothing(user):
            request.session[two_factor.CHECKED_SESSION_KEY] = user.pk
            return None
        if two_factor.has_device(user):
            open_names, target = _VERIFY_OPEN, "accounts:verify"
        elif two_factor.required_for(user):
            open_names, target = _ENROL_OPEN, "accounts:two_factor"
        else:
            request.session[two_factor.CHECKED_SESSION_KEY] = user.pk
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in open_names:
            return None
        if name.startswith("api:"):
            return JsonResponse(
                {"detail": _("Complete the two-factor login in the browser first.")}, status=403
            )
        return redirect_to_login(request.get_full_path(), reverse(target))


def _forget_check(sender, request, user, **kwargs) -> None:
    """A new login is checked again: a device or the policy may be new since."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(two_factor.CHECKED_SESSION_KEY, None)


user_logged_in.connect(_forget_check, dispatch_uid="kinerja-two-factor-forget-check")
