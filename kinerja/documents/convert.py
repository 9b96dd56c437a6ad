"""DOCX to PDF with LibreOffice headless, for a drafter's own edited DOCX that must be signed.

The binary is ``soffice`` on the PATH unless ``KINERJA_SOFFICE`` names another; a conversion may
take at most ``KINERJA_SOFFICE_TIMEOUT`` seconds (default 180). Each conversion runs with its own
LibreOffice profile in a temporary folder, so conversions running at the same time (two web
processes, a batch) do not wait for or break each other.

An uploaded DOCX is untrusted: a picture can be linked (not embedded) from any address, and
LibreOffice would fetch it from the server (SSRF). So, before LibreOffice sees the file, every
external relationship except a hyperlink is removed and the fields that pull content from
elsewhere (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE) are emptied; LibreOffice then runs in an empty
network namespace (``unshare --net``) where the system allows it, with no proxy in its
environment and a profile that never updates links.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from kinerja.core.env import env_int, env_str


class ConversionError(Exception):
    """The DOCX could not be turned into a PDF; the message is for the user (translated)."""


def soffice_binary() -> str | None:
    """The LibreOffice binary to run, or None when it is not installed."""
    name = env_str("KINERJA_SOFFICE", "soffice")
    return shutil.which(name)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# A field that pulls content from elsewhere when it is updated.
_LINKING_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.I)


def _xml(data: bytes):
    from lxml import etree

    # no DTD was accepted (kinerja.core.archives); no entity is resolved, nothing fetched
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree, etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from None


# LibreOffice's settings for a conversion: never update links, block linked pictures.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def _without_external(rels: bytes) -> bytes:
    """A relationships part without its external relationships, hyperlinks kept (a hyperlink is
    followed only by a reader's click, never by the converter)."""
    etree, root = _xml(rels)
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or etree.QName(element).localname != "Relationship":
            continue
        external = (element.get("TargetMode") or "").strip().lower() == "external"
        if external and not (element.get("Type") or "").endswith("/hyperlink"):
            element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_linking_fields(part: bytes) -> bytes:
    """A Word XML part whose INCLUDEPICTURE, INCLUDETEXT, LINK and DDE fields are emptied (the
    field's last result, if any, stays as text)."""
    if b"instr" not in part:
        return part
    etree, root = _xml(part)
    changed = False
    for element in root.iter(f"{{{W_NS}}}instrText"):
        if _LINKING_FIELD.match(element.text or ""):
            element.text, changed = "", True
    for element in root.iter(f"{{{W_NS}}}fldSimple"):
        if _LINKING_FIELD.match(element.get(f"{{{W_NS}}}instr") or ""):
            element.set(f"{{{W_NS}}}instr", "")
            changed = True
    if not changed:
        return part
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def external_links(docx: bytes) -> list[tuple[str, str]]:
    """(part, address) of every external relationship but hyperlinks, and of every linking
    field: what :func:`without_external_links` removes."""
    found: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith(".rels"):
                addresses = _external_targets(data)
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                addresses = _linking_fields(data)
            else:
                addresses = []
            found.extend((info.filename, address) for address in addresses)
    return found


def _external_targets(rels: bytes) -> list[str]:
    """The targets of a relationships part's external relationships, hyperlinks aside."""
    etree, root = _xml(rels)
    return [
        element.get("Target") or ""
        for element in root.iter()
        if isinstance(element.tag, str)
        and etree.QName(element).localname == "Relationship"
        and (element.get("TargetMode") or "").strip().lower() == "external"
        and not (element.get("Type") or "").endswith("/hyperlink")
    ]


def _linking_fields(part: bytes) -> list[str]:
    """The instructions of a Word XML part's linking fields (INCLUDEPICTURE, LINK, DDE, ...)."""
    if b"instr" not in part:
        return []
    _etree, root = _xml(part)
    found = []
    for element in root.iter(f"{{{W_NS}}}instrText", f"{{{W_NS}}}fldSimple"):
        text = element.text or element.get(f"{{{W_NS}}}instr") or ""
        if _LINKING_FIELD.match(text):
            found.append(text.strip())
    return found


def without_external_links(docx: bytes) -> bytes:
    """``docx`` with every external relationship but hyperlinks removed and every linking field
    emptied; the other parts are copied unchanged. The archive was checked within its limits
    (kinerja.core.archives) before: each part is read at most up to its declared size."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".rels"):
                data = _without_external(data)
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                data = _without_linking_fields(data)
            target.writestr(info, data)
    return out.getvalue()


@functools.cache
def network_isolation() -> tuple[str, ...] | None:
    """The command prefix that runs a process in an empty network namespace (only its own
    loopback), or None when this system allows neither form of ``unshare``."""
    binary = shutil.which("unshare")
    if binary is None:
        return None
    for prefix in ((binary, "--net"), (binary, "--net", "--map-root-user")):
        try:
            probe = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [*prefix, "true"], capture_output=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return None


def _offline_environment(folder: Path) -> dict[str, str]:
    """The environment of the converter: the process's own, without any proxy setting."""
    proxies = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy"}
    env = {k: v for k, v in os.environ.items() if k.lower() not in proxies}
    env["HOME"] = str(folder)
    return env


def docx_to_pdf(docx: bytes, *, timeout: int | None = None, clean: bool = True) -> bytes:
    """The PDF of ``docx``. ``clean=False`` skips :func:`without_external_links` (tests prove
    the network isolation alone with it)."""
    binary = _soffice_or_refuse()
    limit = timeout or env_int("KINERJA_SOFFICE_TIMEOUT", 180, minimum=5)
    if clean:
        docx = _cleaned(docx)
    with tempfile.TemporaryDirectory(prefix="kinerja-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        settings_file = folder / "profile" / "user" / "registrymodifications.xcu"
        settings_file.parent.mkdir(parents=True)
        settings_file.write_text(PROFILE_SETTINGS, encoding="utf-8")
        return _run_soffice(binary, folder, source, limit)


def _soffice_or_refuse() -> str:
    """The LibreOffice binary; ConversionError (saying what to install) when there is none."""
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
    return binary


def _cleaned(docx: bytes) -> bytes:
    """``docx`` without external links; ConversionError when it is not a Word file."""
    try:
        return without_external_links(docx)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ConversionError(
            _("LibreOffice could not convert the DOCX to PDF (is it a valid Word file?): %s") % exc
        ) from None


def _run_soffice(binary: str, folder: Path, source: Path, limit: int) -> bytes:
    """Convert ``source`` with LibreOffice in ``folder`` (its own profile, offline, isolated
    from the network where the system allows it), within ``limit`` seconds."""
    command = [
        *(network_isolation() or ()),
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
            command,
            capture_output=True,
            timeout=limit,
            check=False,
            cwd=folder,
            env=_offline_environment(folder),
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
