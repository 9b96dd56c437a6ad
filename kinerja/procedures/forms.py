from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SopUploadForm(forms.Form):
    file = forms.FileField(
        label=_("SOP file (YAML)"),
        help_text=_(
            "A new SOP, or a revision of one: a file with the same key becomes its next "
            "version. The format is described in docs/sop-format.md."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml", "data-testid": "sop-file"}),
    )
