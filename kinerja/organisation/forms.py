from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.uploads import validate_upload
from kinerja.organisation.models import Agency, Employee


class StructureUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Structure file (.xlsx)"),
        help_text=_(
            "Sheets Unit, Jabatan, Pegawai, Pemangku Jabatan and (optional) Tim, as in the export."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, ("xlsx",))
        return upload


class AgencyForm(forms.ModelForm):
    """An agency's record as its regional administrator (or its own administrator) keeps it.
    The code is given once, when the agency is created: letter and SOP numbers print it."""

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "kind",
            "time_zone",
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
            "letterhead_lines",
            "head_title",
            "logo",
            "main_task",
            "functions",
        ]
        widgets = {
            "letterhead_lines": forms.Textarea(attrs={"rows": 3}),
            "main_task": forms.Textarea(attrs={"rows": 3}),
            "functions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        login = obj.user.username if obj.user else _("no login")
        return f"{obj.full_name} ({login})"


class AdministratorForm(forms.Form):
    """Name an employee of the agency its administrator; one without a login gets one (with no
    password: they set it themselves). A new office has no employees yet: its first
    administrator is entered here by name (and NIP, e-mail) instead."""

    employee = EmployeeChoiceField(
        label=_("Employee"), queryset=Employee.objects.none(), required=False
    )
    full_name = forms.CharField(
        label=_("Or a new employee: full name"),
        max_length=255,
        required=False,
        help_text=_("With academic titles, as printed; only when the employee is not listed."),
    )
    nip = forms.CharField(label=_("NIP"), max_length=21, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    username = forms.CharField(
        label=_("New login"),
        max_length=150,
        required=False,
        help_text=_("Only for an employee who has no login yet, e.g. dinkes.budi."),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["employee"]
        assert isinstance(field, EmployeeChoiceField)
        field.queryset = Employee.objects.filter(agency=agency).select_related("user")

    def clean(self):
        data = super().clean() or {}
        employee = data.get("employee")
        new_name = (data.get("full_name") or "").strip()
        if employee is None and not new_name:
            self.add_error("employee", _("Choose an employee, or enter a new one's full name."))
        elif employee is not None and new_name:
            self.add_error(
                "full_name", _("Either choose an employee or enter a new one, not both.")
            )
        needs_login = new_name or (employee is not None and employee.user is None)
        if needs_login and not data.get("username"):
            self.add_error("username", _("This employee has no login yet: give one."))
        return data
