from django.contrib import admin

from kinerja.documents.models import (
    ArchiveEntry,
    Document,
    DocumentTemplate,
    LetterNumber,
    LetterRegister,
    SigningCredential,
)


@admin.register(LetterRegister)
class LetterRegisterAdmin(admin.ModelAdmin):
    list_display = ("agency", "pattern", "unit_code", "default_classification")


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """An office replaces a kind's Word template here (docs/documents-templates.md)."""

    list_display = ("agency", "kind", "active", "uploaded_at")
    list_filter = ("kind", "active")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterNumber)
class LetterNumberAdmin(ReadOnlyAdmin):
    list_display = ("number", "agency", "year", "sequence", "status", "letter_date")
    list_filter = ("status", "year")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "kind", "period", "created_at")


@admin.register(ArchiveEntry)
class ArchiveEntryAdmin(ReadOnlyAdmin):
    list_display = ("filename", "agency", "year", "kind", "sha256", "archived_at")


@admin.register(SigningCredential)
class SigningCredentialAdmin(ReadOnlyAdmin):
    list_display = ("employee", "fingerprint", "self_signed", "created_at")
