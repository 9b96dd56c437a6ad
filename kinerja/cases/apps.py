from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The running half of the procedures layer: cases, tasks, calendar, SLA, meetings."""

    name = "kinerja.cases"
    label = "cases"
    verbose_name = _("Cases")
