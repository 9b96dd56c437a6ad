from __future__ import annotations

from django.http import HttpRequest

from kinerja import __version__
from kinerja.core import hooks


def kinerja(request: HttpRequest) -> dict:
    """What every page's header needs: the version and the user's open-task count.

    The count is None (and not shown) until the procedures layer registers its counter.
    """
    return {
        "kinerja_version": __version__,
        "open_task_count": hooks.open_task_count(getattr(request, "user", None)),
    }
