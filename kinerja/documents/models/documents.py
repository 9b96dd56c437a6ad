"""Documents, their numbered immutable versions, review comments, initials and signatures."""

from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def _version_path(instance: DocumentVersion, filename: str) -> str:
    document = instance.document
    return f"documents/{document.agency.code}/{document.year}/{document.kind}/{filename}"


def _template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"documents/templates/{instance.agency.code}/{instance.kind}/{filename}"


TOKEN_ALPHABET = string.ascii_letters + string.digits


def new_token() -> str:
    """The version's verification token: 24 letters and digits (about 143 bits). No '-' or '_':
    the address is printed in the footer and wraps at the page edge, where a hyphen reads as a
    line-break hyphen (to people and to text extraction alike)."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(24))


class Document(models.Model):
    """One document of a kind (LKjIP 2024, its cover letter, ...) that goes through versions."""

    agency = models.ForeignKey(
        "organisation.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, help_text=_("2024, 2024-S1, 2024-Q3"))
    title = models.CharField(_("title"), max_length=300)
    options = models.JSONField(_("options"), default=dict, blank=True)
    initial_positions = models.JSONField(
        _("initials in order"),
        default=list,
        blank=True,
        help_text=_("Codes of the positions that initial (paraf), in the SOP's order."),
    )
    signer_position = models.CharField(_("signing position"), max_length=40, blank=True)
    case_id = models.PositiveIntegerField(_("case"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["agency", "-year", "kind", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    """A numbered version: generated or uploaded; never overwritten, never changed once signed.

    Its files, all made when the version is made and never changed afterwards:

    * ``docx`` and ``pdf``: the draft everyone reads and downloads before the signature. Each page
      (PDF) and each header (DOCX) says KONSEP; no QR, no footer claiming validity.
    * ``final_html``: for a generated version signed in the product, the page to sign: the same
      data as the draft, rendered in the same pass, with the verification QR in the signature
      block and the UU ITE footer and without the KONSEP mark.
      :func:`~kinerja.documents.services.signoff.sign_version` lays it out as the PDF it signs
      (so each version is laid out as a PDF once when it is made, not twice).
    * ``final_pdf``: the PDF to sign, when it is a file already: an uploaded version keeps the
      office's own PDF here (the QR is stamped on it at signing); a kind signed outside the
      product (the APIP's review statement) keeps its clean copy, with neither QR nor footer,
      which is the only final file anybody downloads before a signature.
    * ``final_sha256``: the hash of ``final_pdf``, or of ``final_html`` when that is the source.
    * ``signed_pdf``: ``final_pdf`` signed (PAdES), with its hash.
    """

    class Source(models.TextChoices):
        GENERATED = "generated", _("Generated")
        UPLOADED = "uploaded", _("Uploaded")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    docx = models.FileField(_("DOCX"), upload_to=_version_path, max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_version_path, max_length=300, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    final_pdf = models.FileField(
        _("PDF to sign"), upload_to=_version_path, max_length=300, blank=True
    )
    final_html = models.FileField(
        _("page to sign"), upload_to=_version_path, max_length=300, blank=True
    )
    final_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    signed_pdf = models.FileField(
        _("signed PDF"), upload_to=_version_path, max_length=300, blank=True
    )
    signed_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    letter_number = models.ForeignKey(
        "documents.LetterNumber", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    FROZEN = (
        "document_id",
        "number",
        "source",
        "docx",
        "pdf",
        "final_pdf",
        "final_html",
        "docx_sha256",
        "pdf_sha256",
        "final_sha256",
    )

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            old = DocumentVersion.objects.get(pk=self.pk)
            if old.signed_sha256:
                raise ValidationError(_("A signed version never changes."))
            for field in self.FROZEN:
                if str(getattr(old, field)) != str(getattr(self, field)):
                    raise ValidationError(_("A version's files never change; make a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A version is never deleted."))

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_sha256)


class ReviewComment(models.Model):
    """A reviewer's comment on one section of a version (seed 001 step 7, seed 004 steps 7-8)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=200)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at"]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:40]}"


class Approval(models.Model):
    """An initial (paraf) or the signature on a version, with who signed as what and when."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial (paraf)")
        SIGN = "sign", _("Signature")

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="approvals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    order = models.PositiveIntegerField()
    position_code = models.CharField(max_length=40)
    title = models.CharField(_("position as printed"), max_length=300)
    name = models.CharField(max_length=255)
    rank = models.CharField(max_length=100, blank=True)
    nip = models.CharField(max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "order"], name="approval_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title} {self.name}"


class SigningCredential(models.Model):
    """An official's signing certificate (PKCS#12 file outside the database, public cert here)."""

    employee = models.OneToOneField(
        "organisation.Employee", on_delete=models.CASCADE, related_name="signing_credential"
    )
    p12_path = models.CharField(_("PKCS#12 file"), max_length=500)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    fingerprint = models.CharField(max_length=64)
    self_signed = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.employee} ({self.fingerprint[:12]})"


class DocumentTemplate(models.Model):
    """An office's own Word template for a kind, replacing the product's default."""

    agency = models.ForeignKey(
        "organisation.Agency", on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField(_("kind"), max_length=40)
    file = models.FileField(_("Word template"), upload_to=_template_path, max_length=300)
    active = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.kind}"
