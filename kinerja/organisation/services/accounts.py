"""Officials' logins: the first password by invitation, the username rule, the account state an
office's administrator sees, and "Lupa kata sandi" (docs/accounts.md).

An invitation is either a link sent by e-mail (Django's token machinery with its own key salt:
the link dies when a password is set, or after ``KINERJA_INVITATION_DAYS``) or a short one-time
code printed for an office without e-mail, of which only a keyed hash is stored. A login made here
or by an import never has a usable password that someone else chose: it gets an unusable one
until its official sets their own.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core import audit
from kinerja.core.mail import address_of, send_notice
from kinerja.organisation.models import (
    TIME_ZONE_ABBREVIATIONS,
    Agency,
    Employee,
    Invitation,
)
from kinerja.organisation.nip import format_nip
from kinerja.organisation.services.agencies import create_login

# The account states of an official, as the agency page shows them.
NOT_INVITED, INVITED, ACTIVE = "not_invited", "invited", "active"
STATE_LABELS = {
    NOT_INVITED: gettext_lazy("not invited"),
    INVITED: gettext_lazy("invited"),
    ACTIVE: gettext_lazy("active"),
}

# One-time codes: 8 characters without the look-alikes 0/O, 1/I/L, printed as XXXX-XXXX.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Academic and religious titles written before a name; left out of a login made from the name.
NAME_TITLES = frozenset({"dr", "drs", "dra", "ir", "h", "hj", "prof", "drg", "apt", "ns"})


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens with their own salt and validity (``KINERJA_INVITATION_DAYS``).

    A token hashes the login's password field, so it dies as soon as a password is set."""

    key_salt = "kinerja.organisation.services.accounts.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            stamp, _hash = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        secrets_tried = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, s), token)
            for s in secrets_tried
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= validity().total_seconds()


invitation_tokens = InvitationTokenGenerator()


def validity() -> dt.timedelta:
    return dt.timedelta(days=settings.KINERJA_INVITATION_DAYS)


class InvalidCode(Exception):
    """The login and the code do not match an open invitation."""


# --- the username rule ---------------------------------------------------------------------


def username_base(employee: Employee) -> str:
    """The login an official gets when the administrator invites them and they have none:
    their NIP (18 digits) if they have one; otherwise the first two words of their name, without
    the titles before it (dr., H., Ir. ...) or after its first comma, in lower-case ASCII joined
    by a dot (``siti.rahmah``)."""
    if employee.nip:
        return employee.nip
    name = employee.full_name.split(",")[0]
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", folded) if w not in NAME_TITLES]
    return ".".join(words[:2]) or "pegawai"


def free_username(base: str) -> str:
    """``base``, or ``base2``, ``base3`` ... : the first no login has (case-insensitively)."""
    User = get_user_model()
    candidate, n = base, 2
    while User.objects.filter(username__iexact=candidate).exists():
        candidate, n = f"{base}{n}", n + 1
    return candidate


def ensure_login(employee: Employee, actor: Any) -> Any:
    """The employee's login; made (username rule above, unusable password) when they have none."""
    if employee.user_id is not None:
        return employee.user
    return create_login(employee, free_username(username_base(employee)), actor=actor)


# --- account states ------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    employee: Employee
    state: str
    address: str
    invited_until: dt.datetime | None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def username(self) -> str:
        user = self.employee.user
        return user.get_username() if user is not None else ""


def account_rows(agency: Agency) -> list[AccountRow]:
    """Every employee of the agency with the state of their login, by name."""
    employees = list(
        Employee.objects.filter(agency=agency).select_related("user").order_by("full_name")
    )
    now = timezone.now()
    open_until = dict(
        Invitation.objects.filter(
            user_id__in=[e.user_id for e in employees if e.user_id],
            used_at__isnull=True,
            expires_at__gt=now,
        )
        .values("user_id")
        .annotate(until=Max("expires_at"))
        .values_list("user_id", "until")
    )
    rows = []
    for e in employees:
        until = open_until.get(e.user_id) if e.user_id else None
        if e.user is not None and e.user.has_usable_password():
            state = ACTIVE
        else:
            state = INVITED if until else NOT_INVITED
        rows.append(AccountRow(e, state, address_of(e.user) or e.email, until))
    return rows


# --- inviting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteOutcome:
    """What inviting one official did: ``mailed`` (a link to ``address``), ``code`` (a one-time
    ``code`` to print, shown only here), ``no_address`` (nothing sent: print a code instead) or
    ``active`` (they already have a password: nothing done)."""

    username: str
    name: str
    nip: str
    status: str
    address: str = ""
    code: str = ""
    expires_at: dt.datetime | None = None

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip) if self.nip else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "login": self.username,
            "name": self.name,
            "nip": self.nip,
            "status": self.status,
            "address": self.address,
            "code": self.code,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


@dataclass(frozen=True)
class _Invitee:
    """Who is invited: the login, and what the list and the message say of them."""

    user: Any
    name: str
    nip: str
    agency: Agency | None
    address: str

    def outcome(self, status: str, **fields: Any) -> InviteOutcome:
        return InviteOutcome(self.user.get_username(), self.name, self.nip, status, **fields)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def hash_code(code: str) -> str:
    """The keyed hash stored for a code (spaces, dashes and case do not matter)."""
    normalized = re.sub(r"[^A-Z0-9]", "", code.upper())
    digest = salted_hmac("kinerja.organisation.activation-code", normalized, algorithm="sha256")
    return digest.hexdigest()


def invitation_url(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    return settings.SITE_URL + reverse("accounts:invitation", args=[uid, token])


def invite(employee: Employee, *, actor: Any, code: bool = False) -> InviteOutcome:
    """Invite one official: make their login if missing, then e-mail them a link (``code``
    false) or issue a one-time code to print (``code`` true; an older open code is replaced).
    An official who already has a password is left alone."""
    with transaction.atomic():
        user = ensure_login(employee, actor)
        invitee = _Invitee(
            user,
            employee.full_name,
            employee.nip or "",
            employee.agency,
            address_of(user) or employee.email,
        )
        outcome = _invite(invitee, actor=actor, code=code)
    return _deliver(invitee, outcome)


def invite_login(user: Any, *, actor: Any, code: bool = False) -> InviteOutcome:
    """Invite a login that is no employee's (a regional administrator made by the operator):
    as :func:`invite`, with the login's own name and address."""
    name = user.get_full_name() or user.get_username()
    invitee = _Invitee(user, name, "", None, user.email)
    with transaction.atomic():
        outcome = _invite(invitee, actor=actor, code=code)
    return _deliver(invitee, outcome)


def _invite(invitee: _Invitee, *, actor: Any, code: bool) -> InviteOutcome:
    user = invitee.user
    if user.has_usable_password():
        return invitee.outcome(ACTIVE)
    now = timezone.now()
    expires = now + validity()
    fields = {"user": user, "agency": invitee.agency, "expires_at": expires}
    if code:
        Invitation.objects.filter(user=user, used_at__isnull=True).exclude(code_hash="").update(
            used_at=now
        )
        plain = new_code()
        Invitation.objects.create(**fields, created_by=_login(actor), code_hash=hash_code(plain))
        _audit("account.invitation.code", actor, invitee, _("one-time code"))
        return invitee.outcome("code", code=format_code(plain), expires_at=expires)
    if not invitee.address:
        return invitee.outcome("no_address")
    Invitation.objects.create(**fields, created_by=_login(actor), sent_to=invitee.address)
    _audit("account.invitation.mailed", actor, invitee, invitee.address)
    return invitee.outcome("mailed", address=invitee.address, expires_at=expires)


def _deliver(invitee: _Invitee, outcome: InviteOutcome) -> InviteOutcome:
    """Send the link once the invitation is stored (a failure to store it sends nothing)."""
    if outcome.status == "mailed" and outcome.expires_at is not None:
        _send_invitation(invitee, outcome.expires_at)
    return outcome


def invite_agency(agency: Agency, *, actor: Any, code: bool = False) -> list[InviteOutcome]:
    """Invite every employee of the agency who has no usable password yet, by name."""
    employees = Employee.objects.filter(agency=agency).select_related("user", "agency")
    pending = [e for e in employees if e.user is None or not e.user.has_usable_password()]
    return [invite(e, actor=actor, code=code) for e in sorted(pending, key=_by_name)]


def _by_name(employee: Employee) -> str:
    return employee.full_name.lower()


def _login(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(action: str, actor: Any, invitee: _Invitee, detail: str) -> None:
    audit.record(
        action,
        actor=actor,
        obj=invitee.user,
        agency_code=invitee.agency.code if invitee.agency else "",
        summary=f"{invitee.name} ({invitee.user.get_username()}): {detail}",
    )


def _send_invitation(invitee: _Invitee, expires: dt.datetime) -> None:
    agency = invitee.agency
    zone = agency.time_zone if agency else settings.TIME_ZONE
    until = timezone.localtime(expires, zoneinfo.ZoneInfo(zone))
    by = (
        _("The administrator of %(agency)s has made you an account in Kinerja.")
        % {"agency": agency.name}
        if agency
        else _("An administrator has made you an account in Kinerja.")
    )
    send_notice(
        _("Your Kinerja account"),
        [
            _("Dear %(name)s,") % {"name": invitee.name},
            "",
            by,
            _("Your login: %(login)s") % {"login": invitee.user.get_username()},
            _("Open this link to choose your password (valid until %(until)s, once):")
            % {"until": f"{until:%d-%m-%Y %H:%M} {TIME_ZONE_ABBREVIATIONS.get(zone, zone)}"},
            invitation_url(invitee.user),
            "",
            _("If you did not expect this message, ignore it."),
        ],
        [invitee.address],
    )


# --- setting the first password ------------------------------------------------------------


def set_first_password(user: Any, password: str, *, via: str) -> None:
    """Set the password an official chose, and close every open invitation of theirs."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        audit.record("account.activated", actor=user, obj=user, summary=via)


def activate_with_code(username: str, code: str, password: str) -> Any:
    """The login ``username`` gets ``password`` if ``code`` is its open one-time code.

    Raises :class:`InvalidCode` (login unknown, code wrong, used, replaced or expired: one answer
    for all) or the password validators' ``ValidationError``; the code stays open then."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username, is_active=True).first()
        if user is None or not _open_code(user, code):
            raise InvalidCode
        password_validation.validate_password(password, user)
        set_first_password(user, password, via="code")
    return user


def _open_code(user: Any, code: str) -> bool:
    digest = hash_code(code)
    stored = Invitation.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exclude(code_hash="")
    return any(constant_time_compare(i.code_hash, digest) for i in stored)


# --- "Lupa kata sandi" ---------------------------------------------------------------------


def reset_candidates(login_or_email: str) -> list[Any]:
    """The active logins that ``login_or_email`` names: by login, by the login's e-mail or by its
    employee record's e-mail (case-insensitive). A login not activated yet is one too: the link
    to its address is as good as an invitation."""
    value = login_or_email.strip()
    if not value:
        return []
    User = get_user_model()
    users = User.objects.filter(
        Q(username__iexact=value) | Q(email__iexact=value) | Q(employee__email__iexact=value),
        is_active=True,
    ).select_related("employee")
    return list(users.distinct())


def send_reset_links(login_or_email: str) -> int:
    """E-mail a reset link to each login that ``login_or_email`` names and that has an address;
    how many were sent (never shown to the visitor)."""
    sent = 0
    for user in reset_candidates(login_or_email):
        address = address_of(user)
        if not address:
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse("accounts:reset_confirm", args=[uid, token])
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        sent += send_notice(
            _("Resetting your Kinerja password"),
            [
                _("Someone asked to reset the password of the Kinerja login %(login)s.")
                % {"login": user.get_username()},
                _("Open this link to choose a new one (valid for %(hours)d hours, once):")
                % {"hours": hours},
                link,
                "",
                _("If it was not you, ignore this message: your password stays as it is."),
            ],
            [address],
        )
        audit.record("account.reset.requested", obj=user, summary=address)
    return sent


def record_reset(user: Any) -> None:
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    audit.record("account.reset.done", actor=user, obj=user)
