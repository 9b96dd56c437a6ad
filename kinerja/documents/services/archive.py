"""The archive (immutable, hashed, per agency/year/kind) and the e-review ZIP package.

Only final documents go into either: a version signed in the product, or, for a document signed
outside it (the APIP's review statement), the signed file uploaded as a version. A draft is never
archived, and the package never takes one as if it were final: its manifest names each item that
is missing or not signed. Planning documents the product only holds as data (Renstra, IKU,
Rencana Aksi) may go in as a print of the data, marked KONSEP and listed as not signed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.formats import format_datetime_id
from kinerja.documents.common import sha256
from kinerja.documents.models import ArchiveEntry, Document, DocumentVersion
from kinerja.organisation.models import Agency

if TYPE_CHECKING:
    from kinerja.cases.models import Case, Task

# What the e-SAKIP review upload expects (docs/domain.md §4), in the package's order.
PACKAGE_ITEMS: list[tuple[str, str, str]] = [
    ("lkjip", "LKjIP", "Laporan Kinerja Instansi Pemerintah (bertanda tangan)"),
    ("pk", "PK", "Perjanjian Kinerja"),
    ("renstra", "RENSTRA", "Rencana Strategis"),
    ("iku", "IKU", "Indikator Kinerja Utama"),
    ("rencana_aksi", "RENCANA-AKSI", "Rencana Aksi"),
    ("cover_letter", "SURAT-PENGANTAR", "Surat Pengantar"),
    ("review_statement", "PERNYATAAN-TELAH-DIREVIU", "Pernyataan Telah Direviu (APIP)"),
]
# Kinds signed outside the product (by the APIP): the uploaded signed file is the final one.
SIGNED_ELSEWHERE = {"review_statement"}


def is_final(version: DocumentVersion) -> bool:
    """Signed in the product, or the signed file of a kind signed outside it (an upload)."""
    if version.is_signed:
        return True
    return (
        version.document.kind in SIGNED_ELSEWHERE
        and version.source == DocumentVersion.Source.UPLOADED
        and bool(version.pdf)
    )


def _version_bytes(version: DocumentVersion) -> tuple[bytes, str]:
    """The final file of a final version: the signed PDF (or the uploaded signed statement)."""
    fieldfile = version.signed_pdf if version.is_signed else version.pdf
    if not is_final(version) or not fieldfile:
        raise ValidationError(_("Only a signed version is archived or sent for review."))
    with fieldfile.open("rb") as handle:
        return handle.read(), PurePath(fieldfile.name or "").suffix.lstrip(".")


def archive_bytes(
    agency: Agency,
    year: int,
    kind: str,
    title: str,
    filename: str,
    data: bytes,
    *,
    actor: Any = None,
    version: DocumentVersion | None = None,
    case_id: int | None = None,
) -> ArchiveEntry:
    """Keep ``data`` in the archive; the same file twice is archived once."""
    digest = sha256(data)
    existing = ArchiveEntry.objects.filter(
        agency=agency, year=year, kind=kind, sha256=digest
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        entry = ArchiveEntry(
            agency=agency,
            year=year,
            kind=kind,
            title=title,
            filename=filename,
            sha256=digest,
            size=len(data),
            version=version,
            case_id=case_id,
            archived_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        entry.file.save(filename, ContentFile(data), save=False)
        entry.save()
        audit.record(
            "documents.archived",
            actor=actor,
            obj=entry,
            agency_code=agency.code,
            summary=f"{kind} {year}: {filename}",
            after={"sha256": digest},
        )
    return entry


def archive_version(
    version: DocumentVersion, *, actor: Any = None, case_id: int | None = None
) -> ArchiveEntry:
    document = version.document
    data, ext = _version_bytes(version)
    filename = f"{document.kind}_{document.agency.code}_{document.period}_v{version.number}.{ext}"
    return archive_bytes(
        document.agency,
        document.year,
        document.kind,
        document.title,
        filename,
        data,
        actor=actor,
        version=version,
        case_id=case_id if case_id is not None else document.case_id,
    )


def final_version(document: Document) -> DocumentVersion | None:
    """The latest final version of ``document`` (see :func:`is_final`), or None."""
    signed = document.versions.exclude(signed_sha256="").order_by("-number").first()
    if signed is not None or document.kind not in SIGNED_ELSEWHERE:
        return signed
    return (
        document.versions.filter(source=DocumentVersion.Source.UPLOADED)
        .exclude(pdf="")
        .order_by("-number")
        .first()
    )


def archive_task(case: Case) -> Task | None:
    """The case's task of the SOP step bound to ``archive`` (the latest, if it came twice)."""
    return case.tasks.filter(step__action="archive").order_by("-created_at", "-pk").first()


def may_archive(user: Any, case: Case) -> bool:
    """Whoever may do the case's archive step: its holder (or the one it was delegated or
    offered to), as the engine decides for every task; nobody before the case reaches it."""
    from kinerja.cases.access import may_act

    task = archive_task(case)
    return task is not None and may_act(user, task)[0]


@dataclass
class ArchiveResult:
    entries: list[ArchiveEntry]
    not_final: list[Document]  # documents of the case with no signed version: not archived


def archive_case(case: Case, *, actor: Any) -> ArchiveResult:
    """The archive step: archive the final version of each document of the case (its own
    agency's documents only). Documents without a signed version stay out, and are named."""
    if not may_archive(actor, case):
        raise PermissionDenied(_("Only the official of the archive step may archive this case."))
    result = ArchiveResult([], [])
    documents = Document.objects.filter(agency_id=case.agency_id, case_id=case.pk)
    for document in documents.select_related("agency").order_by("kind", "pk"):
        version = final_version(document)
        if version is None:
            result.not_final.append(document)
        else:
            result.entries.append(archive_version(version, actor=actor, case_id=case.pk))
    return result


@dataclass
class PackageFile:
    name: str
    kind: str
    title: str
    sha256: str
    size: int
    source: str
    signed: bool
    status: str
    data: bytes = field(repr=False, default=b"")


STATUS_SIGNED = "signed"
STATUS_SIGNED_ELSEWHERE = "signed outside the product (uploaded)"
STATUS_PRINTED = "printed from the data, not signed"


@dataclass
class Package:
    agency: str
    year: int
    files: list[PackageFile]
    missing: list[dict[str, str]]  # each: kind, title, reason ("missing" or "unsigned"), detail
    created_at: dt.datetime

    def manifest(self) -> dict:
        return {
            "agency": self.agency,
            "year": self.year,
            "created_at": self.created_at.isoformat(),
            "files": [{k: v for k, v in f.__dict__.items() if k != "data"} for f in self.files],
            "missing": self.missing,
        }


@dataclass
class _Found:
    data: bytes
    ext: str
    title: str
    source: str
    signed: bool
    status: str


def _latest_final(agency: Agency, year: int, kind: str) -> DocumentVersion | None:
    """The latest final version among the agency's documents of ``kind`` and ``year``."""
    versions = DocumentVersion.objects.filter(
        document__agency=agency, document__year=year, document__kind=kind
    ).select_related("document")
    signed = versions.exclude(signed_sha256="").order_by("-signed_at", "-pk").first()
    if signed is not None or kind not in SIGNED_ELSEWHERE:
        return signed
    uploads = versions.filter(source=DocumentVersion.Source.UPLOADED).exclude(pdf="")
    return uploads.order_by("-created_at", "-pk").first()


def _source_for(agency: Agency, year: int, kind: str) -> _Found | dict[str, str]:
    """The item's final file, or why there is none (``reason`` missing or unsigned)."""
    version = _latest_final(agency, year, kind)
    if version is not None:
        data, ext = _version_bytes(version)
        return _Found(
            data,
            ext,
            version.document.title,
            f"version {version.number}",
            version.is_signed,
            STATUS_SIGNED if version.is_signed else STATUS_SIGNED_ELSEWHERE,
        )
    latest = (
        DocumentVersion.objects.filter(
            document__agency=agency, document__year=year, document__kind=kind
        )
        .select_related("document")
        .order_by("-created_at", "-pk")
        .first()
    )
    printed = _print_from_data(agency, year, kind)
    if printed is not None:
        return printed
    if latest is not None:
        return {
            "reason": "unsigned",
            "detail": f"{latest.document.title} v{latest.number} belum ditandatangani",
        }
    return {"reason": "missing", "detail": "belum ada dokumennya"}


# Planning documents the product holds as data, printed for the package when no signed file
# exists: marked KONSEP and listed as not signed. The PK is not among them: it is signed in the
# product, and a print of it without signatures is not the agreement.
PRINTABLE = {"renstra": "renstra", "iku": "iku", "rencana_aksi": "rencana_aksi"}


def _print_from_data(agency: Agency, year: int, kind: str) -> _Found | None:
    from kinerja.documents import contract

    identifier = PRINTABLE.get(kind)
    if identifier is None:
        return None
    printable = contract.get(identifier)(agency, year, str(year))
    if not printable.available():
        return None
    data, images = printable.build()  # no version: a draft, marked KONSEP
    return _Found(
        printable.render_pdf(data, images),
        "pdf",
        "",
        "printed from the data",
        False,
        STATUS_PRINTED,
    )


def build_package(agency: Agency, year: int) -> Package:
    files: list[PackageFile] = []
    missing: list[dict[str, str]] = []
    for index, (kind, label, title) in enumerate(PACKAGE_ITEMS, start=1):
        found = _source_for(agency, year, kind)
        if isinstance(found, dict):
            missing.append({"kind": kind, "title": title, **found})
            continue
        files.append(
            PackageFile(
                name=f"{index:02d}_{label}_{agency.code}_{year}.{found.ext}",
                kind=kind,
                title=found.title or title,
                sha256=sha256(found.data),
                size=len(found.data),
                source=found.source,
                signed=found.signed,
                status=found.status,
                data=found.data,
            )
        )
    return Package(agency.code, year, files, missing, timezone.now())


def package_zip(agency: Agency, year: int, *, actor: Any = None) -> tuple[bytes, Package]:
    """The e-review ZIP: the files, ``manifest.json`` and ``DAFTAR-ISI.txt``."""
    package = build_package(agency, year)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in package.files:
            archive.writestr(item.name, item.data)
        archive.writestr(
            "manifest.json", json.dumps(package.manifest(), indent=2, ensure_ascii=False)
        )
        archive.writestr("DAFTAR-ISI.txt", human_list(agency, package))
    audit.record(
        "documents.package.built",
        actor=actor,
        agency_code=agency.code,
        summary=f"e-review {year}: {len(package.files)} files, {len(package.missing)} missing",
    )
    return buffer.getvalue(), package


def human_list(agency: Agency, package: Package) -> str:
    lines = [
        f"Paket e-Reviu SAKIP {agency.name} Tahun {package.year}",
        f"Dibuat: {format_datetime_id(package.created_at.astimezone(agency.tzinfo))} "
        f"{agency.time_zone_abbreviation}",
        "",
        "Berkas:",
    ]
    states = {
        STATUS_SIGNED: "bertanda tangan elektronik",
        STATUS_SIGNED_ELSEWHERE: "bertanda tangan di luar aplikasi (diunggah)",
        STATUS_PRINTED: "cetakan dari data, KONSEP, belum ditandatangani",
    }
    for number, item in enumerate(package.files, start=1):
        lines.append(f"{number}. {item.name} - {item.title} ({item.size} bita)")
        lines.append(f"   {states.get(item.status, item.status)}; SHA-256 {item.sha256}")
    lines.append("")
    unsigned = [m for m in package.missing if m.get("reason") == "unsigned"]
    absent = [m for m in package.missing if m.get("reason") != "unsigned"]
    if unsigned:
        lines.append("Belum ditandatangani (tidak dimasukkan ke paket):")
        lines.extend(f"- {m['title']}: {m['detail']}" for m in unsigned)
    if absent:
        lines.append("Belum ada:")
        lines.extend(f"- {m['title']}" for m in absent)
    if not package.missing:
        lines.append("Semua dokumen lengkap.")
    return "\n".join(lines) + "\n"
