"""What the procedures layer shows on other layers' pages, through ``kinerja.core.hooks``.

Panels render without ``request=``: that would run every context processor again (the header's
task count among them) for each panel of each page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from kinerja.cases.templatetags.cases_tags import my_tasks_panel, notifications_menu


def home_tasks(request: HttpRequest, **_context: Any) -> str:
    """The official's open tasks on the home page."""
    context = my_tasks_panel({"request": request})
    return render_to_string("cases/my_tasks_panel.html", context)


def header_notifications(request: HttpRequest, **_context: Any) -> str:
    """Unread reminders in the page header."""
    context = notifications_menu({"request": request})
    return render_to_string("cases/notifications_menu.html", context)
