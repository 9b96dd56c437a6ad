"""The SOP document (issue 3), wrapped in the contract: same versions, sign-off and archive.

Its layout belongs to the procedures layer (``kinerja.procedures.document``); this kind only
fetches the SOP version named in the options (``{"sop_version": <id>}``) and prints it. There is no
Word template for it: the SOP is a PDF only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.documents.contract import DocumentKind, Images, register


@register
class SopDocument(DocumentKind):
    identifier = "sop"
    title = _("SOP document")
    label_id = "Dokumen SOP"  # the document as printed (Indonesian)
    formats = ("pdf",)
    docx_template = ""
    html_template = ""
    sections = ("Identitas", "Diagram alir")

    def _version(self):
        from kinerja.procedures.models import SopVersion

        return SopVersion.objects.select_related("sop").get(
            pk=self.options["sop_version"], sop__agency=self.agency
        )

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        data["sop_version"] = self.options.get("sop_version")
        return data

    def render_docx(self, data, images, template=None) -> bytes:
        raise NotImplementedError("The SOP document is printed as PDF only.")

    def render_pdf(self, data: dict[str, Any], images: Images) -> bytes:
        from kinerja.procedures.document import render_pdf

        return render_pdf(self._version())
