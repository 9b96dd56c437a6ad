"""The address of the person at the keyboard, also behind the reverse proxy.

Behind nginx every request arrives from the proxy's address, so login throttling keyed on
``REMOTE_ADDR`` would lock an official out because of someone else's wrong passwords. The proxy
appends the address it saw to ``X-Forwarded-For``; the client can write anything before it. So the
header is read only when the operator says how many proxies stand in front
(``KINERJA_TRUSTED_PROXY_COUNT``), only from those proxies (``KINERJA_TRUSTED_PROXIES``, when set),
and from the right: the entry the outermost trusted proxy added is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as the outermost trusted proxy saw it (``REMOTE_ADDR`` otherwise)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = getattr(settings, "KINERJA_TRUSTED_PROXY_COUNT", 0)
    trusted = getattr(settings, "KINERJA_TRUSTED_PROXIES", [])
    if count <= 0 or (trusted and remote not in trusted):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    # chain[-1] is the proxy next to us; each trusted proxy added the address before it.
    candidate = chain[-(count + 1)] if len(chain) > count else chain[0]
    return _valid(candidate) or remote
