from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kinerja import __version__
from kinerja.core import hooks


def kinerja(request: HttpRequest) -> dict:
    """What every page's header needs: the version and the user's open-task count."""
    return {
        "kinerja_version": __version__,
        "open_task_count": SimpleLazyObject(lambda: hooks.open_task_count(request.user)),
    }
