"""The account pages (docs/accounts.md): "Aktivasi akun" (one-time code), the invitation link,
"Lupa kata sandi", the second step of a login and "Verifikasi dua langkah" (set-up).

Every form where a code or a password is typed is throttled: a wrong code counts as a failed
login of that username for django-axes (the same lock-out as the login page), the codes of the
second step are also slowed down per device by django-otp, and reset requests are limited per
address and per login (``kinerja.core.throttle``).
"""

from __future__ import annotations

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from kinerja.core import throttle
from kinerja.core.clientip import client_ip
from kinerja.organisation import account_forms
from kinerja.organisation.services import accounts, two_factor

KEY_SIGNING_SALT = "kinerja.organisation.two-factor-secret"
SECRET_MAX_AGE = 15 * 60  # seconds to scan the code and type the first number
RESET_WINDOW = 3600


def _locked_out(request: HttpRequest):
    """django-axes's lock-out page, for a form that is not the login form."""
    if request.user.is_authenticated:
        logout(request)
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60)
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_time": _("%(minutes)d minutes") % {"minutes": minutes}},
        status=429,
    )


def _allowed(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_allowed(request, {"username": username})


def _failed(request: HttpRequest, username: str) -> bool:
    """Count a wrong code as a failed login of ``username``; True once that locks it out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


# --- first password ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activate(request):
    """Aktivasi akun: login, one-time code, new password."""
    form = account_forms.ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["login"].strip()
        if not _allowed(request, username):
            return _locked_out(request)
        try:
            accounts.activate_with_code(
                username, form.cleaned_data["code"], form.cleaned_data["new_password1"]
            )
        except accounts.InvalidCode:
            if _failed(request, username):
                return _locked_out(request)
            form.add_error(
                None, _("The login and the code do not match, or the code is used or expired.")
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            messages.success(request, _("Your password is set. Log in with it."))
            return redirect("login")
    status = 422 if form.errors else 200
    return render(request, "organisation/accounts/activate.html", {"form": form}, status=status)


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: choose the first password (the link then dies)."""

    token_generator = accounts.invitation_tokens
    template_name = "organisation/accounts/set_password.html"
    success_url = reverse_lazy("login")
    extra_context = {"title_kind": "invitation"}

    def form_valid(self, form):
        accounts.set_first_password(form.user, form.cleaned_data["new_password1"], via="link")
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Log in with it."))
        return HttpResponseRedirect(self.get_success_url())


# --- Lupa kata sandi -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reset_request(request):
    """Lupa kata sandi: the same answer whether or not the login or address exists."""
    form = account_forms.ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["login"]
        rate = settings.KINERJA_RESET_RATE
        by_address = throttle.allow("reset-ip", client_ip(request), limit=rate, window=RESET_WINDOW)
        by_login = throttle.allow("reset-login", value, limit=rate, window=RESET_WINDOW)
        if by_address and by_login:
            accounts.send_reset_links(value)
            return redirect("accounts:reset_sent")
        form.add_error(None, _("Too many requests. Try again in an hour."))
        return render(
            request, "organisation/accounts/reset_request.html", {"form": form}, status=429
        )
    return render(request, "organisation/accounts/reset_request.html", {"form": form})


@require_http_methods(["GET"])
def reset_sent(request):
    return render(request, "organisation/accounts/reset_sent.html")


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "organisation/accounts/set_password.html"
    success_url = reverse_lazy("login")
    extra_context = {"title_kind": "reset"}

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.record_reset(form.user)
        messages.success(self.request, _("Your new password is set. Log in with it."))
        return response


# --- second step of a login ----------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of a login: a code of the authenticator app or a recovery code."""
    user = request.user
    if user.is_verified() or not two_factor.has_device(user):
        return redirect(_next_url(request))
    form = account_forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _allowed(request, user.get_username()):
            return _locked_out(request)
        device = two_factor.verify(user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        if _failed(request, user.get_username()):
            return _locked_out(request)
        form.add_error("otp_token", _("The code is wrong or has already been used."))
    return render(
        request,
        "organisation/accounts/verify.html",
        {"form": form, "next": request.GET.get("next", ""), "second_step": True},
        status=422 if form.errors else 200,
    )


# --- Verifikasi dua langkah (set-up) -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up the authenticator app, make new recovery codes, or turn the second factor off."""
    user = request.user
    if two_factor.has_device(user):
        return _manage(request)
    if request.method == "POST" and request.POST.get("action") == "enrol":
        return _enrol(request)
    return _enrol_page(request, account_forms.EnrolForm())


def _enrol_page(request, form, secret: str | None = None, status: int = 200):
    secret = secret or two_factor.new_secret()
    form.initial["secret"] = signing.dumps(secret, salt=KEY_SIGNING_SALT)
    if form.is_bound:  # keep the same secret: the app has already read it
        form.data = form.data.copy()
        form.data["secret"] = form.initial["secret"]
    uri = two_factor.config_url(request.user, secret)
    required = two_factor.required_for(request.user)
    context = {
        "form": form,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=4),
        "secret_text": two_factor.secret_text(secret),
        "required": required,
        # a login the policy holds here sees no menu, tasks or notices until it is set up
        "second_step": required,
    }
    return render(request, "organisation/accounts/two_factor_enrol.html", context, status=status)


def _enrol(request):
    form = account_forms.EnrolForm(request.POST)
    if not form.is_valid():
        return _enrol_page(request, form, status=422)
    try:
        secret = signing.loads(
            form.cleaned_data["secret"], salt=KEY_SIGNING_SALT, max_age=SECRET_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, _("The set-up page expired; scan the new code."))
        return redirect("accounts:two_factor")
    username = request.user.get_username()
    if not _allowed(request, username):
        return _locked_out(request)
    enrolled = two_factor.enrol(request.user, secret, form.cleaned_data["otp_token"])
    if enrolled is None:
        if _failed(request, username):
            return _locked_out(request)
        form.add_error("otp_token", _("The code does not match. Check the phone's clock."))
        return _enrol_page(request, form, secret, status=422)
    device, codes = enrolled
    otp_login(request, device)
    return render(request, "organisation/accounts/recovery_codes.html", {"codes": codes})


def _manage(request):
    user = request.user
    required = two_factor.required_for(user)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "codes":
        codes = two_factor.new_recovery_codes(user)
        return render(request, "organisation/accounts/recovery_codes.html", {"codes": codes})
    form = account_forms.TokenForm(request.POST if action == "remove" else None)
    if action == "remove" and form.is_valid():
        if not _allowed(request, user.get_username()):
            return _locked_out(request)
        if two_factor.verify(user, form.cleaned_data["otp_token"]) is not None:
            two_factor.remove(user, actor=user)
            request.session.pop(two_factor.CHECKED_SESSION_KEY, None)
            messages.success(request, _("Two-factor login is turned off."))
            return redirect("accounts:two_factor")
        if _failed(request, user.get_username()):
            return _locked_out(request)
        form.add_error("otp_token", _("The code is wrong or has already been used."))
    context = {
        "form": form,
        "required": required,
        "device": two_factor.app_device(user),
        "remaining": two_factor.remaining_recovery_codes(user),
    }
    status = 422 if form.errors else 200
    return render(request, "organisation/accounts/two_factor_manage.html", context, status=status)
