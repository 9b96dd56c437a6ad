"""A small request limit for forms that are not logins (django-axes guards those): at most
``limit`` requests of one key in a fixed window, counted in Django's cache.

The default cache is the process's memory, so each web worker counts on its own; a shared cache
(``CACHES``) makes the limit hold across workers (docs/configuration.md)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request of ``key`` in ``scope``; False once more than ``limit`` were made in the
    current window of ``window`` seconds."""
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
    name = f"kinerja-throttle:{scope}:{digest}"
    if cache.add(name, 1, window):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between the two calls
        cache.set(name, 1, window)
        return True
    return count <= limit
