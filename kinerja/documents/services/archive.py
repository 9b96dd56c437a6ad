"""The archive (immutable, hashed, per agency/year/kind) and the e-review ZIP package."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.formats import format_datetime_id
from kinerja.documents.common import sha256
from kinerja.documents.models import ArchiveEntry, Document, DocumentVersion
from kinerja.organisation.models import Agency

# What the e-SAKIP review upload expects (DOMAIN.md §4), in the package's order.
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


def _version_bytes(version: DocumentVersion) -> tuple[bytes, str]:
    for fieldfile in (version.signed_pdf, version.pdf, version.docx):
        if fieldfile:
            with fieldfile.open("rb") as handle:
                return handle.read(), PurePath(fieldfile.name).suffix.lstrip(".")
    raise ValidationError(_("The version has no file."))


def archive_bytes(
    agency: Agency,
    year: int,
    kind: str,
    title: str,
    filename: str,
    data: bytes,
    *,
    actor=None,
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
    version: DocumentVersion, *, actor=None, case_id: int | None = None
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
    """The latest signed version, or the latest version of a document that is never signed."""
    signed = document.versions.exclude(signed_sha256="").order_by("-number").first()
    return signed or document.latest_version()


def archive_case(case_id: int, *, actor=None) -> list[ArchiveEntry]:
    """When a case finishes: archive the final version of each of its documents."""
    entries = []
    for document in Document.objects.filter(case_id=case_id):
        version = final_version(document)
        if version is not None:
            entries.append(archive_version(version, actor=actor, case_id=case_id))
    return entries


@dataclass
class PackageFile:
    name: str
    kind: str
    title: str
    sha256: str
    size: int
    source: str
    data: bytes = field(repr=False, default=b"")


@dataclass
class Package:
    agency: str
    year: int
    files: list[PackageFile]
    missing: list[dict[str, str]]
    created_at: dt.datetime

    def manifest(self) -> dict:
        return {
            "agency": self.agency,
            "year": self.year,
            "created_at": self.created_at.isoformat(),
            "files": [{k: v for k, v in f.__dict__.items() if k != "data"} for f in self.files],
            "missing": self.missing,
        }


def _source_for(agency: Agency, year: int, kind: str) -> tuple[bytes, str, str, str] | None:
    entry = (
        ArchiveEntry.objects.filter(agency=agency, year=year, kind=kind)
        .order_by("-archived_at", "-pk")
        .first()
    )
    if entry is not None:
        with entry.file.open("rb") as handle:
            data = handle.read()
        return data, PurePath(entry.filename).suffix.lstrip("."), entry.title, "archive"
    documents = Document.objects.filter(agency=agency, year=year, kind=kind).order_by("-created_at")
    for document in documents:
        version = document.versions.exclude(signed_sha256="").order_by("-number").first()
        if version is None and kind == "cover_letter":
            version = document.versions.filter(letter_number__isnull=False).last()
        if version is None and kind in SIGNED_ELSEWHERE:
            version = (
                document.versions.filter(source=DocumentVersion.Source.UPLOADED)
                .exclude(pdf="")
                .order_by("-number")
                .first()
            )
        if version is not None:
            data, ext = _version_bytes(version)
            return data, ext, document.title, f"version {version.number}"
    return _print_from_data(agency, year, kind)


# Planning documents the product holds as data: printed for the package when no file exists.
PRINTABLE = {"pk": "pk_print", "renstra": "renstra", "iku": "iku", "rencana_aksi": "rencana_aksi"}


def _print_from_data(agency: Agency, year: int, kind: str) -> tuple[bytes, str, str, str] | None:
    from kinerja.documents import contract

    identifier = PRINTABLE.get(kind)
    if identifier is None:
        return None
    printable = contract.get(identifier)(agency, year, str(year))
    if not printable.available():
        return None
    data, images = printable.build()
    return printable.render_pdf(data, images), "pdf", "", "printed from the data"


def build_package(agency: Agency, year: int) -> Package:
    files: list[PackageFile] = []
    missing: list[dict[str, str]] = []
    for index, (kind, label, title) in enumerate(PACKAGE_ITEMS, start=1):
        found = _source_for(agency, year, kind)
        if found is None:
            missing.append({"kind": kind, "title": title})
            continue
        data, ext, doc_title, source = found
        files.append(
            PackageFile(
                name=f"{index:02d}_{label}_{agency.code}_{year}.{ext}",
                kind=kind,
                title=doc_title or title,
                sha256=sha256(data),
                size=len(data),
                source=source,
                data=data,
            )
        )
    return Package(agency.code, year, files, missing, timezone.now())


def package_zip(agency: Agency, year: int, *, actor=None) -> tuple[bytes, Package]:
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
    for number, item in enumerate(package.files, start=1):
        lines.append(f"{number}. {item.name} - {item.title} ({item.size} bita)")
        lines.append(f"   SHA-256 {item.sha256}")
    lines.append("")
    if package.missing:
        lines.append("Belum ada:")
        lines.extend(f"- {m['title']}" for m in package.missing)
    else:
        lines.append("Semua dokumen lengkap.")
    return "\n".join(lines) + "\n"
