"""The head's signature (after every initial) and the verification of a signed PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.documents import common, contract, signing
from kinerja.documents.models import Approval, DocumentVersion, SigningCredential
from kinerja.documents.services.versions import holding_for, next_initial
from kinerja.organisation.models import Employee, PositionHolding


def _pdf_to_sign(version: DocumentVersion) -> bytes:
    """The PDF the signature signs: the page made with the draft, laid out now (a generated
    version), or the final PDF kept with the version (an upload, a kind signed outside the
    product); a version made before drafts were marked has only its PDF, which then carried the
    QR and the footer itself. Its hash must be the one stored when the version was made."""
    source = version.final_pdf or version.final_html or version.pdf
    if not source:
        raise ValidationError(_("The version has no PDF to sign."))
    with source.open("rb") as handle:
        content: bytes = handle.read()
    if version.final_sha256 and common.sha256(content) != version.final_sha256:
        raise ValidationError(_("The PDF to sign is not the one made with this version."))
    if not version.final_pdf and version.final_html:
        return contract.pdf_from_html(content.decode())
    return content


def sign_version(version: DocumentVersion, *, actor: Any, passphrase: str) -> DocumentVersion:
    """The head (or Plt./Plh.) signs the latest version's PDF; the signed PDF never changes."""
    document = version.document
    agency = document.agency
    if holding_for(actor, agency, document.signer_position) is None:
        raise PermissionDenied(_("Only the signing official can sign."))
    if version.is_signed:
        raise ValidationError(_("The version is already signed."))
    pdf = _pdf_to_sign(version)  # laying a page out takes seconds: not inside the transaction
    with transaction.atomic():
        version = _lock_signable(version)
        holding = holding_for(actor, agency, document.signer_position)
        if holding is None:
            raise PermissionDenied(_("Only the signing official can sign."))
        credential = _credential_of(holding.employee)
        block = common.signature_block(agency, agency.today(), holding.position)
        verify_at = _printed_verification_url(version)
        try:
            signed = signing.sign_pdf(
                pdf,
                credential,
                passphrase,
                _stamp_text(block, holding.employee, verify_at),
                reason=document.title,
                location=block.place,
                qr_png=common.qr_png(verify_at) if verify_at else None,
            )
        except signing.SigningError as exc:
            raise ValidationError(_("The certificate could not be opened: %s") % exc) from None
        _store_signed(version, signed, holding, block, actor)
    return version


def _lock_signable(version: DocumentVersion) -> DocumentVersion:
    """The version locked for the signature, once more checked: not signed yet, the latest one,
    every initial given."""
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_signed:
        raise ValidationError(_("The version is already signed."))
    if version != version.document.latest_version():
        raise ValidationError(_("Only the latest version can be signed."))
    if next_initial(version) is not None:
        raise ValidationError(_("The initials are not complete."))
    return version


def _credential_of(employee: Employee) -> SigningCredential:
    try:
        return employee.signing_credential
    except SigningCredential.DoesNotExist:
        raise ValidationError(_("No signing certificate is configured for you.")) from None


def _printed_verification_url(version: DocumentVersion) -> str:
    """The verification address stamped beside the signature ("" when the page has its own QR).

    A file the product did not lay out (an upload, the SOP print) carries no QR of its own
    version: the QR is stamped beside the text, and the address printed for those who cannot
    scan."""
    document = version.document
    laid_out = contract.get(document.kind)(document.agency, document.year).lays_out_marks
    if version.source == DocumentVersion.Source.UPLOADED or not laid_out:
        return common.verification_url(version.token)
    return ""


def _stamp_text(block: common.SignatureBlock, employee: Employee, verify_at: str) -> str:
    """The visible stamp: signed electronically by whom, in which office, and where to verify."""
    return "\n".join(
        line
        for line in (
            "Ditandatangani secara elektronik oleh",
            f"{block.title}",
            employee.full_name,
            employee.rank_display,
            f"NIP. {employee.nip_display}" if employee.nip else "",
            f"Verifikasi: {verify_at}" if verify_at else "",
        )
        if line
    )


def _store_signed(
    version: DocumentVersion,
    signed: bytes,
    holding: PositionHolding,
    block: common.SignatureBlock,
    actor: Any,
) -> None:
    """Keep the signed PDF and its hash on the version, the signature among its approvals, and
    the audit entry."""
    document = version.document
    agency = document.agency
    employee = holding.employee
    name = f"{document.kind}_{agency.code}_{document.period}_v{version.number}_signed.pdf"
    version.signed_pdf.save(name, ContentFile(signed), save=False)
    version.signed_sha256 = common.sha256(signed)
    version.signed_at = timezone.now()
    version.save()
    Approval.objects.create(
        version=version,
        kind=Approval.Kind.SIGN,
        order=1,
        position_code=holding.position.code,
        title=block.title,
        name=employee.full_name,
        rank=employee.rank_display,
        nip=employee.nip_display,
        user=actor,
    )
    audit.record(
        "documents.version.signed",
        actor=actor,
        obj=version,
        agency_code=agency.code,
        summary=f"{document.title} v{version.number} {block.title}",
        after={"signed_sha256": version.signed_sha256},
    )


@dataclass
class Verification:
    version: DocumentVersion | None
    check: signing.PdfCheck

    @property
    def identical(self) -> bool:
        return self.version is not None and self.version.signed_sha256 == self.check.sha256


def verify_upload(data: bytes, token: str | None = None) -> Verification:
    """Is ``data`` byte for byte a signed version (the one of ``token`` if given)?"""
    check = signing.check_pdf(data)
    versions = DocumentVersion.objects.filter(signed_sha256=check.sha256)
    if token:
        versions = versions.filter(token=token)
    return Verification(version=versions.select_related("document__agency").first(), check=check)
