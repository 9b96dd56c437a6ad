"""DOCX to PDF with LibreOffice headless, for a drafter's own edited DOCX that must be signed.

The binary is ``soffice`` on the PATH unless ``KINERJA_SOFFICE`` names another; a conversion may
take at most ``KINERJA_SOFFICE_TIMEOUT`` seconds (default 180). Each conversion runs with its own
LibreOffice profile in a temporary folder, so conversions running at the same time (two web
processes, a batch) do not wait for or break each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from kinerja.core.env import env_int, env_str


class ConversionError(Exception):
    """The DOCX could not be turned into a PDF; the message is for the user (translated)."""


def soffice_binary() -> str | None:
    """The LibreOffice binary to run, or None when it is not installed."""
    name = env_str("KINERJA_SOFFICE", "soffice")
    return shutil.which(name)


def docx_to_pdf(docx: bytes, *, timeout: int | None = None) -> bytes:
    binary = soffice_binary()
    if binary is None:
        raise ConversionError(
            _(
                "The server cannot convert DOCX to PDF: LibreOffice (%(name)s) is not installed. "
                "Ask the administrator to install the Debian package libreoffice-writer-nogui or "
                "to set KINERJA_SOFFICE; meanwhile upload the PDF together with the DOCX."
            )
            % {"name": env_str("KINERJA_SOFFICE", "soffice")}
        )
    limit = timeout or env_int("KINERJA_SOFFICE_TIMEOUT", 180, minimum=5)
    with tempfile.TemporaryDirectory(prefix="kinerja-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            finished = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                command, capture_output=True, timeout=limit, check=False, cwd=folder
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(
                _("Converting the DOCX to PDF took longer than %(seconds)d seconds.")
                % {"seconds": limit}
            ) from None
        result = folder / "out" / "document.pdf"
        if finished.returncode != 0 or not result.exists():
            detail = (finished.stderr or finished.stdout).decode(errors="replace").strip()[-300:]
            raise ConversionError(
                _("LibreOffice could not convert the DOCX to PDF (is it a valid Word file?): %s")
                % (detail or finished.returncode)
            )
        return result.read_bytes()
