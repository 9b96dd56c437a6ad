"""Document pages: list, detail with versions, review, initials, signature; verification."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kinerja.core import actions
from kinerja.core.downloads import file_response
from kinerja.core.periods import Period, PeriodError
from kinerja.core.uploads import validate_upload
from kinerja.documents import access, contract
from kinerja.documents.actions import NAMES, finish
from kinerja.documents.models import Document, DocumentVersion
from kinerja.documents.services import cover, signoff, versions
from kinerja.documents.services.signoff import verify_upload
from kinerja.organisation.access import can_administer
from kinerja.performance.access import is_planner


def _error(request, exc: Exception) -> None:
    text = "; ".join(getattr(exc, "messages", [])) or str(exc) or _("Not allowed.")
    messages.error(request, text)


def _finished(request, task_id: int | None) -> None:
    if task_id:
        messages.info(request, _("The task of the SOP step is completed."))


@login_required
@require_http_methods(["GET", "POST"])
def agency_documents(request, code: str):
    agency = access.get_agency(request.user, code)
    if request.method == "POST":
        agency = access.get_agency_for_editor(request.user, code)  # 403 unless a planner
        kind = request.POST.get("kind", "")
        period = request.POST.get("period", "").strip()
        try:
            parsed = Period.parse(period)
            if kind not in contract.kinds():
                raise ValidationError(_("Unknown kind of document."))
            document = versions.create_document(
                agency, kind, parsed.year, period=parsed.code, actor=request.user
            )
        except (PeriodError, ValidationError) as exc:
            _error(request, exc)
            return redirect("documents:agency", code=code)
        return redirect("documents:document", pk=document.pk)
    documents = Document.objects.filter(agency=agency).order_by("-year", "kind", "-created_at")
    return render(
        request,
        "documents/agency.html",
        {
            "agency": agency,
            "documents": documents,
            "kinds": [(k, cls.title) for k, cls in contract.kinds().items()],
            "can_administer": can_administer(request.user, agency),
            "can_edit": is_planner(request.user, agency),
        },
    )


@login_required
@require_safe
def document_detail(request, pk: int):
    document = access.get_document_for_user(request.user, pk)
    all_versions = list(
        document.versions.order_by("-number").prefetch_related("comments", "approvals")
    )
    latest = all_versions[0] if all_versions else None
    due = versions.next_initial(latest) if latest else None
    may_initial = bool(due and versions.holding_for(request.user, document.agency, due))
    may_sign = bool(
        latest
        and not latest.is_signed
        and due is None
        and versions.holding_for(request.user, document.agency, document.signer_position)
    )
    kind = contract.get(document.kind)
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "versions": all_versions,
            "latest": latest,
            "due": due,
            "may_initial": may_initial,
            "may_sign": may_sign,
            "sections": kind.sections,
            "text_options": [
                (key, label, document.options.get(key, "")) for key, label in kind.text_options
            ],
            "can_edit": is_planner(request.user, document.agency)
            or access.signs_off(request.user, document),
            "is_letter": document.kind == "cover_letter",
            "report_kind": document.kind in ("lkjip", "periodic_report"),
            "signed_elsewhere": not kind.signed_in_agency,
        },
    )


@login_required
@require_POST
def version_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Every change on a document page: generate, upload, comment, review done, initial, sign,
    number, cover letter. One view, each change one service call (:data:`CHANGES`). The work of
    an SOP step is reported for the document's own agency and case (the engine finds the task)."""
    document = access.get_document_for_editor(request.user, pk)  # 404, or 403 for a reader
    url = reverse("documents:document", args=[document.pk])
    change = CHANGES.get(what)
    if change is None:
        raise Http404
    try:
        outcome = change(request, document)
        if isinstance(outcome, HttpResponse):
            return outcome
        if outcome is not None:
            _finished(
                request,
                finish(
                    outcome.action,
                    agency_id=document.agency_id,
                    case_id=document.case_id,
                    user=request.user,
                    label=outcome.label,
                    url=url,
                    obj=outcome.obj,
                ),
            )
    except (ValidationError, PermissionDenied) as exc:  # a service's rule: said on the page
        _error(request, exc)
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(url)


@dataclass(frozen=True)
class StepWork:
    """A change that finishes the work of an SOP step: the action and the record it made."""

    action: str
    label: str
    obj: Any


def _posted_version(request: HttpRequest, document: Document) -> DocumentVersion:
    """The version the form names, which must be one of ``document`` (404 otherwise)."""
    version = access.get_version_for_user(request.user, request.POST.get("version", ""))
    if version.document_id != document.pk:
        raise Http404
    return version


def _generate(request: HttpRequest, document: Document) -> StepWork:
    version = versions.generate_version(
        document, actor=request.user, note=request.POST.get("note", "")
    )
    return StepWork("draft_report", str(version), version)


def _upload(request: HttpRequest, document: Document) -> StepWork:
    version = versions.upload_version(
        document,
        actor=request.user,
        docx_file=request.FILES.get("docx"),
        pdf_file=request.FILES.get("pdf"),
        note=request.POST.get("note", ""),
    )
    return StepWork("draft_report", str(version), version)


def _comment(request: HttpRequest, document: Document) -> None:
    versions.add_comment(
        _posted_version(request, document),
        request.POST.get("section", ""),
        request.POST.get("text", ""),
        actor=request.user,
    )


def _reviewed(request: HttpRequest, document: Document) -> StepWork:
    version = _posted_version(request, document)
    versions.finish_review(version, actor=request.user)
    return StepWork("review_report", str(version), version)


def _initial(request: HttpRequest, document: Document) -> StepWork:
    version = _posted_version(request, document)
    versions.initial_version(version, actor=request.user)
    return StepWork("initial", str(version), version)


def _sign(request: HttpRequest, document: Document) -> StepWork:
    version = _posted_version(request, document)
    signoff.sign_version(version, actor=request.user, passphrase=request.POST.get("passphrase", ""))
    return StepWork("sign", str(version), version)


def _number(request: HttpRequest, document: Document) -> StepWork:
    version = cover.number_cover_letter(
        document,
        actor=request.user,
        classification=request.POST.get("classification") or None,
    )
    return StepWork("number_letter", version.document.options["number"], version)


def _texts(request: HttpRequest, document: Document) -> None:
    kind = contract.get(document.kind)
    versions.update_text_options(
        document,
        {key: request.POST.get(key, "") for key, _label in kind.text_options},
        actor=request.user,
    )


def _cover(request: HttpRequest, document: Document) -> HttpResponse:
    letter = cover.cover_letter_for(document, actor=request.user)
    return redirect("documents:document", letter.pk)


# The changes a document page posts (``what`` in the URL). Each returns the SOP step's work it
# finished, a response of its own, or None.
CHANGES: dict[str, Callable[[HttpRequest, Document], StepWork | HttpResponse | None]] = {
    "generate": _generate,
    "upload": _upload,
    "comment": _comment,
    "reviewed": _reviewed,
    "initial": _initial,
    "sign": _sign,
    "number": _number,
    "texts": _texts,
    "cover": _cover,
}


@login_required
@require_safe
def download(request, pk: int, fmt: str):
    """A version's files: the draft (``docx``, ``pdf``: marked KONSEP) and the signed PDF. The
    final PDF is never served before it is signed, except for a kind signed outside the product
    (``final``: the clean copy the APIP signs)."""
    version = access.get_version_for_user(request.user, pk)
    files = {"docx": version.docx, "pdf": version.pdf, "signed": version.signed_pdf}
    if not contract.get(version.document.kind).signed_in_agency:
        files["final"] = version.final_pdf
    fieldfile = files.get(fmt)
    if not fieldfile:
        raise Http404
    return file_response(fieldfile, filename=PurePath(fieldfile.name or "").name)


@login_required
@require_safe
def compare(request, pk: int):
    document = access.get_document_for_user(request.user, pk)
    try:
        old = document.versions.get(number=int(request.GET.get("a", 0)))
        new = document.versions.get(number=int(request.GET.get("b", 0)))
    except (DocumentVersion.DoesNotExist, ValueError):
        raise Http404 from None
    return render(
        request,
        "documents/compare.html",
        {"document": document, "old": old, "new": new, "diff": versions.compare_versions(old, new)},
    )


def _report_of(agency, context: actions.ActionContext) -> tuple[str, Document | None]:
    """The kind of report the case's period calls for, and the one already made for the case."""
    period = Period.parse(context.period)
    kind = "lkjip" if period.kind == "year" else "periodic_report"
    found = Document.objects.filter(
        agency=agency, kind=kind, period=period.code, case_id=context.case_id
    ).first()
    return kind, found


@login_required
@require_http_methods(["GET", "POST"])
def action_start(request, agency_id: int, name: str):
    """Where a task bound to one of the documents actions opens its work: the report of the
    task's case (and its cover letter for ``number_letter``), or the archive page. The task comes
    through the engine (``core.actions.resolve_task``: 404 unless the user may complete it), the
    case and period from that task, never from the query. A GET only shows; the document is
    made by the POST of the page's button."""
    if name not in NAMES:
        raise Http404
    agency = access.get_agency_by_id(request.user, agency_id)
    task = request.POST.get("task") if request.method == "POST" else request.GET.get("task")
    context = actions.resolve_task(task or "", request.user, name)
    if context.agency_id != agency.pk:
        raise Http404
    if name == "archive":
        url = reverse("documents:archive", args=[agency.code])
        year = Period.parse(context.period).year
        return redirect(f"{url}?task={context.task_id}&case={context.case_id}&year={year}")
    kind, report = _report_of(agency, context)
    letter = None
    if report is not None and name == "number_letter":
        letter = Document.objects.filter(
            agency=agency, kind="cover_letter", year=report.year, case_id=report.case_id
        ).first()
    target = letter if name == "number_letter" else report
    if target is not None:
        return redirect("documents:document", target.pk)
    if request.method == "POST":
        period = Period.parse(context.period)
        with transaction.atomic():
            if report is None:
                report = versions.create_document(
                    agency,
                    kind,
                    period.year,
                    period=period.code,
                    actor=request.user,
                    case_id=context.case_id,
                )
            target = (
                cover.cover_letter_for(report, actor=request.user)
                if name == "number_letter"
                else report
            )
        return redirect("documents:document", target.pk)
    kind_title = contract.get("cover_letter" if name == "number_letter" else kind).title
    return render(
        request,
        "documents/action_start.html",
        {
            "agency": agency,
            "action": actions.get(name),
            "context": context,
            "kind_title": kind_title,
            "period": Period.parse(context.period),
        },
    )


@login_required
@require_POST
def meeting_document(request, meeting_id: int):
    """The invitation or attendance list of a meeting scheduled in a case, as a document."""
    from kinerja.documents.kinds.meeting import MEETING_KINDS
    from kinerja.documents.kinds.meeting import meeting_document as document_of

    meeting = access.get_meeting_for_editor(request.user, meeting_id)  # 404, or 403
    kind = request.POST.get("kind", "")
    if kind not in MEETING_KINDS:
        raise Http404
    document = document_of(meeting, kind, actor=request.user)
    return redirect("documents:document", document.pk)


@require_http_methods(["GET", "POST"])
def verify(request, token: str):
    """Public: a QR opens this page; anyone may check whether a PDF is the signed one."""
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__agency"), token=token
    )
    result = None
    error = ""
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            validate_upload(upload, ("pdf",))
            result = verify_upload(upload.read(), token)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    return render(
        request,
        "documents/verify.html",
        {
            "version": version,
            "document": version.document,
            "approvals": version.approvals.all(),
            "result": result,
            "error": error,
        },
    )
