from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The running half of the procedures layer: cases, tasks, calendar, SLA, meetings."""

    name = "kinerja.cases"
    label = "cases"
    verbose_name = _("Cases")
    demo_loader = "kinerja.cases.demo.load"

    def ready(self) -> None:
        from kinerja.cases import calendar_admin, meetings, panels, signals
        from kinerja.cases.access import action_context, open_task_count
        from kinerja.core import actions
        from kinerja.core.hooks import Slot, register_panel, register_task_counter

        register_task_counter(open_task_count)
        actions.register_task_resolver(action_context)
        actions.register(meetings.ACTION)
        register_panel(Slot.HOME, panels.home_tasks)
        register_panel(Slot.HEADER, panels.header_notifications)
        register_panel(Slot.AGENCY_ADMIN, calendar_admin.agency_admin_link)
        signals.connect()
