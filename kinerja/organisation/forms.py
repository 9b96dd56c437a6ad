from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.uploads import validate_upload


class StructureUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Structure file (.xlsx)"),
        help_text=_("Sheets Unit, Jabatan, Pegawai and Pemangku Jabatan, as in the export."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, ("xlsx",))
        return upload
