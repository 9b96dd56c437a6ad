"""Two-factor login (docs/accounts.md): an authenticator app (TOTP, RFC 6238) through django-otp,
ten single-use recovery codes, and the regions' policy.

Policy: a region with ``require_two_factor`` requires a second factor of its administrators (the
holders of the region's ADMIN role, and of an agency's ADMIN role) and its signers (whoever holds, definitive, Plt. or Plh., the
head position of one of its agencies: ``Position.is_head`` with no unit). The flag is the
agency's own region's: a province's flag does not reach its regencies.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from kinerja.core import audit
from kinerja.organisation.models import AgencyRole, PositionHolding, Region, RegionRole

# The session remembers that its login needs no second step (the middleware), until a new login.
CHECKED_SESSION_KEY = "kinerja_two_factor_checked"
RECOVERY_CODES = 10
APP_DEVICE = "Aplikasi autentikator"
RECOVERY_DEVICE = "Kode pemulihan"


def required_for(user: Any) -> bool:
    """Does the policy of a region require this login to have a second factor?"""
    if not getattr(user, "is_authenticated", False):
        return False
    admin = AgencyRole.objects.filter(
        user=user, role=AgencyRole.Role.ADMIN, agency__region__require_two_factor=True
    )
    regional_admin = RegionRole.objects.filter(
        user=user, role=RegionRole.Role.ADMIN, region__require_two_factor=True
    )
    if admin.exists() or regional_admin.exists():
        return True
    return (
        PositionHolding.objects.active_on(timezone.localdate())
        .filter(
            employee__user=user,
            position__is_head=True,
            position__unit__isnull=True,
            position__agency__region__require_two_factor=True,
        )
        .exists()
    )


def set_policy(region: Region, required: bool, *, actor: Any = None) -> bool:
    """Require (or stop requiring) a second factor of the region's administrators and signers;
    True if that changed anything. Takes effect at each official's next login."""
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region.pk)
        if region.require_two_factor == required:
            return False
        region.require_two_factor = required
        region.save(update_fields=["require_two_factor"])
        audit.record(
            "region.two_factor.required" if required else "region.two_factor.optional",
            actor=actor,
            obj=region,
            summary=region.code,
        )
    return True


def owes_nothing(user: Any) -> bool:
    """True when the login has no confirmed device and no region requires a second factor of
    anyone: the usual case, answered with one query (the middleware asks it on each new
    session before the full checks below)."""
    mine = {"user_id": OuterRef("pk"), "confirmed": True}
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            policy=Exists(Region.objects.filter(require_two_factor=True)),
            app=Exists(TOTPDevice.objects.filter(**mine)),
            codes=Exists(StaticDevice.objects.filter(**mine)),
        )
        .values_list("policy", "app", "codes")
        .first()
    )
    return flags is not None and not any(flags)


def has_device(user: Any) -> bool:
    """Has the login a confirmed second factor?"""
    return bool(user_has_device(user, confirmed=True))


def app_device(user: Any) -> Any:
    """The login's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def new_secret() -> str:
    """A fresh TOTP key: 20 random bytes, hex-encoded as django-otp stores them."""
    return str(random_hex(20))


def config_url(user: Any, key: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return str(TOTPDevice(user=user, key=key).config_url)


def secret_text(key: str) -> str:
    """The key as an app's "enter a setup key" field takes it: base32, in groups of four."""
    text = b32encode(unhexlify(key.encode())).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def check_new_code(key: str, token: str) -> TOTP | None:
    """The TOTP state that ``token`` matches for ``key`` (this step or one either side)."""
    try:
        value = int(token.strip().replace(" ", ""))
        totp = TOTP(unhexlify(key.encode()), 30, 0, 6, 0)
    except ValueError:
        return None
    totp.time = time.time()
    return totp if totp.verify(value, tolerance=1) else None


def enrol(user: Any, key: str, token: str) -> tuple[Any, list[str]] | None:
    """Confirm the authenticator app with ``key`` by a code it shows: the login's earlier second
    factors are replaced, ten recovery codes made. None if the code does not match."""
    matched = check_new_code(key, token)
    if matched is None:
        return None
    with transaction.atomic():
        _remove_devices(user)
        device = TOTPDevice.objects.create(
            user=user,
            name=APP_DEVICE,
            key=key,
            confirmed=True,
            last_t=matched.t(),
            drift=matched.drift,
        )
        codes = _recovery_codes(user)
        audit.record("account.two_factor.enrolled", actor=user, obj=user)
    return device, codes


def new_recovery_codes(user: Any) -> list[str]:
    """Ten new recovery codes; the earlier ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes(user)
        audit.record("account.two_factor.recovery_codes", actor=user, obj=user)
    return codes


def _recovery_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def remove(user: Any, *, actor: Any) -> None:
    """Turn the second factor off (the app and the recovery codes)."""
    with transaction.atomic():
        _remove_devices(user)
        audit.record("account.two_factor.removed", actor=actor, obj=user)


def _remove_devices(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def verify(user: Any, token: str) -> Any:
    """The device that accepts ``token`` (a code of the app, or an unused recovery code, which
    is then spent), or None. Each device counts its failures and makes the next try wait
    (django-otp's throttling: 1, 2, 4 ... seconds)."""
    token = token.strip().replace(" ", "").replace("-", "")
    if not token:
        return None
    app_code = len(token) == 6 and token.isdigit()  # else a recovery code
    kind = TOTPDevice if app_code else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and device.verify_token(
                token if app_code else token.lower()
            ):
                return device
    return None


def remaining_recovery_codes(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())
