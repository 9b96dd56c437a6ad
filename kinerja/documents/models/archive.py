"""The archive: final documents, immutable, with their hashes, per agency, year and kind."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def _archive_path(instance: ArchiveEntry, filename: str) -> str:
    return f"archive/{instance.agency.code}/{instance.year}/{instance.kind}/{filename}"


class ArchiveEntry(models.Model):
    agency = models.ForeignKey(
        "organisation.Agency", on_delete=models.PROTECT, related_name="archive_entries"
    )
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(upload_to=_archive_path, max_length=300)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_id = models.PositiveIntegerField(null=True, blank=True)
    archived_at = models.DateTimeField(auto_now_add=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")
        ordering = ["agency", "-year", "kind", "-archived_at"]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.kind} {self.filename}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("An archived document never changes."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An archived document is never deleted."))
