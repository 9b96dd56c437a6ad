from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kinerja.documents"
    label = "documents"
    verbose_name = _("Documents")
    demo_loader = "kinerja.documents.demo.load"

    def ready(self) -> None:
        # Importing the kinds package registers every document kind (their ``@register``);
        # the registry (``contract``) never imports its kinds.
        import kinerja.documents.kinds  # noqa: F401
        from kinerja.core.hooks import Slot, register_panel
        from kinerja.documents import actions
        from kinerja.documents.kinds import meeting
        from kinerja.documents.views.numbering import numbering_link

        actions.register_all()
        meeting.connect()
        register_panel(Slot.AGENCY_ADMIN, numbering_link)
