from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "kinerja.performance"
    label = "performance"
    verbose_name = _("Performance")
    # `kinerja demo` calls each app's loader in INSTALLED_APPS order.
    demo_loader = "kinerja.performance.demo.load"

    def ready(self) -> None:
        from kinerja.performance import actions

        actions.register_all()
