"""``{% load cases_tags %}``: times in the agency's zone, the "my tasks" panel for the home page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import template
from django.db.models import Count, Window
from django.utils import timezone
from django.utils.translation import get_language

if TYPE_CHECKING:
    from kinerja.cases.models import Task

register = template.Library()


MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "en": "January February March April May June July August September October November December",
}
_MONTHS = {code: names.split() for code, names in MONTHS.items()}


@register.filter
def agency_time(value: dt.datetime | None, agency) -> str:
    """``3 Maret 2025 08.15 WITA``: the moment in the agency's own time zone.

    Written by hand rather than through Babel: the inbox prints many of these per page.
    """
    if value is None:
        return ""
    locale = "en" if (get_language() or "id").startswith("en") else "id"
    local = value.astimezone(agency.tzinfo)
    month = _MONTHS[locale][local.month - 1]
    return f"{local.day} {month} {local.year} {local:%H.%M} {agency.time_zone_abbreviation}"


@register.filter
def hours(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    return f"{minutes / 60:.1f}".replace(".", ",")


@register.filter
def is_late(task, now=None) -> bool:
    now = now or timezone.now()
    if task.due_at is None:
        return False
    if task.completed_at:
        return task.completed_at > task.due_at
    return now > task.due_at


@register.inclusion_tag("cases/my_tasks_panel.html", takes_context=True)
def my_tasks_panel(context, limit: int = 10):
    """The open tasks of the logged-in official, by due time (for the home page)."""
    from kinerja.cases.access import my_open_tasks
    from kinerja.cases.queries import inbox_rows, load_rows
    from kinerja.organisation.access import employee_of

    request = context.get("request")
    user = getattr(request, "user", None)
    tasks = (
        load_rows(inbox_rows(my_open_tasks(user))[:limit], employee_of(user))
        if user is not None
        else []
    )
    return {"tasks": tasks, "now": timezone.now(), "request": request}


@register.inclusion_tag("cases/notifications_menu.html", takes_context=True)
def notifications_menu(context, limit: int = 10):
    """Unread reminders of the logged-in user, for the page header."""
    from kinerja.cases.models import Notification
    from kinerja.cases.queries import NOTE_FIELDS

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread": 0}
    # One query: the newest unread ones, each carrying the number of all unread (a window).
    rows = list(
        Notification.objects.filter(user=user, read_at__isnull=True)
        .annotate(unread=Window(Count("pk")))
        .values_list(*NOTE_FIELDS, "unread")[:limit]
    )
    return {
        "unread": rows[0][-1] if rows else 0,
        "items": notification_items(rows, 50),
    }


def _truncate(text: str, width: int) -> str:
    """What ``|truncatechars:width`` prints, without a template lookup per row."""
    return text if len(text) <= width else text[: width - 1] + "…"


@register.simple_tag
def notification_items(rows, width: int = 70, kind_tag: bool = False):
    """``<li>`` per notification (``NOTE_FIELDS`` rows), rendered in Python: the header shows
    them on every page."""
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext as _

    from kinerja.cases.models import Notification, _url_prefix

    if not rows:
        return format_html('<li class="muted">{}</li>', _("None."))
    kinds = dict(Notification.Kind.choices)
    prefix = _url_prefix("cases:task")
    if kind_tag:
        return format_html_join(
            "",
            '<li><span class="tag">{}</span> <a href="{}{}/">{}. {}</a></li>',
            ((kinds[r[0]], prefix, r[1], r[2], _truncate(r[3], width)) for r in rows),
        )
    return format_html_join(
        "",
        '<li><a href="{}{}/">{}: {}. {}</a></li>',
        ((prefix, r[1], kinds[r[0]], r[2], _truncate(r[3], width)) for r in rows),
    )


@register.simple_tag
def case_links(rows):
    """The running cases of the inbox (``(id, title, agency code)`` rows), one ``<li>`` each."""
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext as _

    from kinerja.cases.models import _url_prefix

    prefix = _url_prefix("cases:case")
    html = format_html_join(
        "",
        '<li><a href="{}{}/" data-testid="case-link">{}</a> <span class="muted">{}</span></li>',
        ((prefix, pk, title, code) for pk, title, code in rows),
    )
    return html or format_html('<li class="muted">{}</li>', _("None."))


@dataclass(frozen=True)
class TaskLine:
    """One row of the task table (``cases/_task_table.html``): the task and what its cells show
    besides the task's own fields."""

    task: Task
    due: str
    late: bool
    tags: list[tuple[str, str]]  # (CSS class, label) of the tags after the task's link
    agency_code: str
    who: str


@register.inclusion_tag("cases/_task_table.html")
def task_rows(tasks: Iterable[Task], now: dt.datetime | None = None, testid: str = "task-table"):
    """The task table of the inbox (the product's busiest page) and of the home panel: the
    cells' values are worked out here, once per row of ``queries.load_rows``, and the template
    lays them out."""
    now = now or timezone.now()
    return {"testid": testid, "rows": [_task_line(task, now) for task in tasks]}


def _task_line(task: Task, now: dt.datetime) -> TaskLine:
    from django.utils.translation import gettext as _

    agency = task.case.agency
    tags = []
    if task.return_reason:
        tags.append(("tag tag-late", _("sent back")))
    if task.shared and not task.assignee_id:
        tags.append(("tag", _("offered")))
    return TaskLine(
        task=task,
        due=agency_time(task.due_at, agency) if task.due_at else "-",
        late=task.due_at is not None and now > task.due_at,
        tags=tags,
        agency_code=agency.code,
        who=_official(task),
    )


def _official(task: Task) -> str:
    """Who works on the task: the official, else the team or the position, else a dash."""
    if task.worker:
        return task.worker.full_name
    if task.team_id and task.team is not None:
        return task.team.name
    if task.position_id and task.position is not None:
        return task.position.name
    return "-"
