from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kinerja.api"
    label = "api"
    verbose_name = _("HTTP API")

    def ready(self) -> None:
        from kinerja.api import schema  # noqa: F401  (registers the OpenAPI auth extension)
