from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "kinerja.organisation"
    label = "organisation"
    verbose_name = _("Organisation")
    # `kinerja demo` calls each app's loader in INSTALLED_APPS order.
    demo_loader = "kinerja.organisation.demo.load"
