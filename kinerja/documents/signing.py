"""PAdES signatures with pyHanko and the officials' PKCS#12 certificates; verification.

The demo creates a self-signed certificate per signing official (under the var directory); a
production set-up replaces it with the official's BSrE certificate or a TTE gateway adapter
(docs/domain.md §10). A self-signed certificate validates only against itself as trust root.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from kinerja.documents.common import sha256
from kinerja.documents.models import SigningCredential
from kinerja.organisation.models import Employee


def signing_dir() -> Path:
    return Path(settings.KINERJA_SIGNING_DIR)


def create_self_signed_credential(employee: Employee, passphrase: str) -> SigningCredential:
    """A self-signed certificate for ``employee`` in a PKCS#12 file protected by ``passphrase``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _self_signed_certificate(key, _subject(employee))
    path = _write_p12(employee, key, cert, passphrase)
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    credential, _created = SigningCredential.objects.update_or_create(
        employee=employee,
        defaults={
            "p12_path": str(path),
            "certificate_pem": pem,
            "fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
            "self_signed": True,
        },
    )
    return credential


def _subject(employee: Employee) -> x509.Name:
    """The certificate's subject: the employee's name, agency, country and NIP (when known)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, employee.full_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, employee.agency.name[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            *([x509.NameAttribute(NameOID.SERIAL_NUMBER, employee.nip)] if employee.nip else []),
        ]
    )


def _self_signed_certificate(key: rsa.RSAPrivateKey, name: x509.Name) -> x509.Certificate:
    """A certificate of ``name`` signed by its own ``key``, valid from yesterday for three years,
    for signatures and non-repudiation (its own trust root: a CA that signs only itself)."""
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )


def _write_p12(
    employee: Employee, key: rsa.RSAPrivateKey, cert: x509.Certificate, passphrase: str
) -> Path:
    """Store the key and certificate as the employee's PKCS#12 file (readable by the owner
    only), protected by ``passphrase``."""
    directory = signing_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"employee-{employee.pk}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=employee.full_name.encode(),
            key=key,
            cert=cert,
            cas=None,
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    path.chmod(0o600)
    return path


class SigningError(Exception):
    pass


def _off_loop(function, *args, **kwargs):
    """pyHanko's synchronous API calls ``asyncio.run``; inside a running event loop (ASGI, a
    browser driver) run it in a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(
    pdf: bytes,
    credential: SigningCredential,
    passphrase: str,
    stamp_text: str,
    *,
    reason: str,
    location: str,
    qr_png: bytes | None = None,
) -> bytes:
    """Sign ``pdf`` (PAdES) with a visible stamp on the last page; returns the signed bytes.

    ``qr_png`` (a file the product did not lay out, e.g. an uploaded DOCX converted to PDF, has no
    QR of its own): the verification QR is drawn left of the stamp, as an image, before signing.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    try:
        signer = signers.SimpleSigner.load_pkcs12(
            pfx_file=credential.p12_path, passphrase=passphrase.encode()
        )
    except (OSError, ValueError) as exc:
        raise SigningError(str(exc)) from None
    if signer is None:
        raise SigningError("wrong passphrase or unreadable certificate")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if qr_png is not None:
        _stamp_qr(writer, qr_png)
    meta = signers.PdfSignatureMetadata(
        field_name="TTE", reason=reason, location=location, name=credential.employee.full_name
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=TextStampStyle(stamp_text=stamp_text + "\n%(ts)s", border_width=1),
        new_field_spec=fields.SigFieldSpec(sig_field_name="TTE", on_page=-1, box=(325, 6, 570, 56)),
    )
    out = io.BytesIO()
    _off_loop(pdf_signer.sign_pdf, writer, output=out)
    return out.getvalue()


# The QR beside the signature stamp: 70 pt (about 25 mm) square, left of the stamp's box.
QR_BOX = (250, 6, 320, 76)


def _stamp_qr(writer, qr_png: bytes) -> None:
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import TextStamp, TextStampStyle

    with Image.open(io.BytesIO(qr_png)) as image:
        qr = PdfImage(image.convert("L"), writer=writer)
    x1, y1, x2, y2 = QR_BOX
    style = TextStampStyle(stamp_text="", border_width=0, background=qr, background_opacity=1)
    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    TextStamp(writer, style, box=BoxConstraints(x2 - x1, y2 - y1)).apply(last_page, x1, y1)


@dataclass
class SignatureCheck:
    signer: str
    signed_at: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    fingerprint: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_file


@dataclass
class PdfCheck:
    sha256: str
    readable: bool = True
    error: str = ""
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)


def check_pdf(data: bytes) -> PdfCheck:
    """Validate every signature of ``data`` against the certificates registered in the product."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    result = PdfCheck(sha256=sha256(data))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged file is an answer, not a crash
        result.readable, result.error = False, str(exc)
        return result
    for sig in embedded:
        try:
            cert = sig.signer_cert
            fingerprint = cert.sha256.hex()
            credential = SigningCredential.objects.filter(fingerprint=fingerprint).first()
            roots = [asn1_x509.Certificate.load(cert.dump())] if credential else []
            status = _off_loop(validate_pdf_signature, sig, ValidationContext(trust_roots=roots))
            result.signatures.append(
                SignatureCheck(
                    signer=cert.subject.human_friendly,
                    signed_at=status.signer_reported_dt,
                    intact=bool(status.intact),
                    valid=bool(status.valid),
                    trusted=bool(status.trusted) and credential is not None,
                    covers_whole_file=sig.coverage.name == "ENTIRE_FILE",
                    fingerprint=fingerprint,
                )
            )
        except Exception as exc:
            result.error = str(exc)
            result.signatures.append(SignatureCheck("?", None, False, False, False, False, ""))
    return result
