"""Collection round pages: open a round, its status, a unit's web form, form download and upload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kinerja.core import actions
from kinerja.core.actions import ActionOutput
from kinerja.core.downloads import file_response
from kinerja.core.periods import Period, PeriodError
from kinerja.core.uploads import validate_upload
from kinerja.core.xlsx import InvalidFile, Issue, NumberError, parse_number_id
from kinerja.organisation.models import Agency, Unit
from kinerja.performance import access
from kinerja.performance.models import (
    Actual,
    BudgetCeiling,
    CollectionRound,
    Evidence,
    RoundIndicator,
    Spending,
)
from kinerja.performance.services.collection import (
    rounds,
    submissions,
    workbook_import,
    workbooks,
)
from kinerja.performance.services.collection.submissions import EVIDENCE_TYPES

ROUND_ACTIONS = ("generate_forms", "distribute_forms", "collect")


def _round_task(request: HttpRequest, agency: Agency) -> actions.ActionContext:
    """The task a round page was opened for (``?task=&step=`` of the action's link, or the same
    fields posted back), resolved by the engine: 404 unless the user may complete that open
    task, bound to that round action, of this very agency."""
    data = request.POST if request.method == "POST" else request.GET
    step = data.get("step", "")
    if step not in ROUND_ACTIONS:
        raise Http404
    context = actions.resolve_task(data.get("task", ""), request.user, step)
    if context.agency_id != agency.pk:
        raise Http404
    return context


@login_required
@require_http_methods(["GET", "POST"])
def round_start(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Where the actions generate_forms, distribute_forms and collect land from a task: the round
    of the task's period, once it serves the task's case. A GET only shows; opening a round or
    making an existing round serve the case is a POST."""
    agency = access.get_agency_by_id(request.user, agency_id)
    context = _round_task(request, agency)
    period = Period.parse(context.period)
    found = CollectionRound.objects.filter(agency=agency, period=period.code).first()
    if found is None:
        return open_round(request, agency.code, context)
    if found.case_id != context.case_id:
        if request.method == "POST":
            rounds.serve_case(found, context.case_id, request.user)
            return redirect("performance:round", pk=found.pk)
        return render(
            request,
            "performance/round_serve.html",
            {"round": found, "context": context, "step": request.GET.get("step", "")},
        )
    return redirect("performance:round", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def open_round(
    request: HttpRequest, code: str, context: actions.ActionContext | None = None
) -> HttpResponse:
    """Open a round. From a task (``round_start``) the period and the case are the task's."""
    agency = access.get_agency_for_planner(request.user, code)
    error = ""
    data = request.POST if request.method == "POST" else request.GET
    period_code = context.period if context else data.get("period", "")
    if request.method == "POST":
        try:
            period = Period.parse(period_code)
            fill = request.POST.get("fill_until")
            review = request.POST.get("review_until")
            opened = rounds.open_round(
                agency,
                period,
                request.user,
                fill_until=dt.date.fromisoformat(fill) if fill else None,
                review_until=dt.date.fromisoformat(review) if review else None,
                case_id=context.case_id if context else None,
            )
        except (PeriodError, ValueError, rounds.RoundError) as exc:
            error = str(exc)
        else:
            messages.success(request, _("The round is open."))
            return redirect("performance:round", pk=opened.pk)
    return render(
        request,
        "performance/round_open.html",
        {
            "agency": agency,
            "period": period_code,
            "context": context,
            "step": data.get("step", ""),
            "error": error,
            "action": reverse("performance:round_start", args=[agency.pk])
            if context
            else reverse("performance:round_open", args=[agency.code]),
        },
    )


@login_required
@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_round_for_user(request.user, pk)
    planner = access.is_planner(request.user, found.agency)
    if not planner:
        units = access.form_units_for(request.user, found)
        if not units:
            raise Http404
        return redirect("performance:unit_form", pk=found.pk, unit_code=units[0].code)
    return render(
        request,
        "performance/round_detail.html",
        {
            "round": found,
            "rows": rounds.status(found),
            "today": found.agency.today(),
            "all_submitted": rounds.all_submitted(found),
            "review_open": rounds.review_open(found),
        },
    )


@login_required
@require_POST
def round_remind(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    found = access.get_round_for_planner(request.user, pk)
    unit = get_object_or_404(found.agency.units, code=unit_code)
    try:
        reminder = rounds.remind(found, unit, request.user)
    except rounds.RoundError as exc:
        messages.error(request, str(exc))
    else:
        _reminded(request, unit, reminder.recipients)
    return redirect("performance:round", pk=pk)


def _reminded(request: HttpRequest, unit, recipients: list[str]) -> None:
    if recipients:
        messages.success(
            request,
            _("A reminder was sent to %(unit)s (%(to)s).")
            % {"unit": unit.name, "to": ", ".join(recipients)},
        )
    else:
        messages.warning(
            request,
            _("No e-mail address is known for the head of %(unit)s; the reminder was recorded.")
            % {"unit": unit.name},
        )


@login_required
@require_POST
def round_review(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    """The reviewing official accepts the unit's latest version or returns it with a reason."""
    found = access.get_round_for_planner(request.user, pk)
    unit = get_object_or_404(found.agency.units, code=unit_code)
    version = request.POST.get("version", "")
    decision = request.POST.get("decision")
    if decision not in ("accept", "return") or not version.isdigit():
        raise Http404
    try:
        if decision == "accept":
            rounds.accept(found, unit, int(version), request.user)
        else:
            rounds.return_submission(
                found, unit, int(version), request.POST.get("reason", ""), request.user
            )
    except rounds.RoundError as exc:
        messages.error(request, f"{unit.name}: {exc}")
    else:
        messages.success(
            request,
            (
                _("The submission of %(unit)s was accepted.")
                if decision == "accept"
                else _("The submission of %(unit)s was returned to the unit.")
            )
            % {"unit": unit.name},
        )
    return redirect("performance:round", pk=pk)


@login_required
@require_POST
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_round_for_planner(request.user, pk)
    try:
        until = dt.date.fromisoformat(request.POST.get("until", ""))
        rounds.reopen(found, until, request.POST.get("reason", ""), request.user)
    except (ValueError, rounds.RoundError) as exc:
        messages.error(request, str(exc) or _("Give a valid date."))
    else:
        messages.success(request, _("The fill window is open again."))
    return redirect("performance:round", pk=pk)


@login_required
@require_POST
def round_mark(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The official confirms the forms were generated or distributed; the engine completes the
    step's task of the case the round serves, if this official may complete it."""
    if step not in ("generate_forms", "distribute_forms"):
        raise Http404
    found = access.get_round_for_planner(request.user, pk)
    rounds.mark(found, step, request.user)
    completed = actions.done(
        step,
        agency_id=found.agency_id,
        case_id=found.case_id,
        user=request.user,
        output=ActionOutput(
            str(found),
            url=reverse("performance:round", args=[found.pk]),
            object_type="performance.collectionround",
            object_id=str(found.pk),
        ),
    )
    messages.success(request, _("Recorded."))
    if completed:
        messages.info(request, _("The task of the SOP step is completed."))
    return redirect("performance:round", pk=pk)


@login_required
@require_safe
def form_download(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    found, unit = access.get_unit_form(request.user, pk, unit_code)
    response = HttpResponse(
        workbooks.form_bytes(found, unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{workbooks.form_filename(found, unit)}"'
    )
    return response


@login_required
@require_safe
def evidence_file(
    request: HttpRequest, pk: int, unit_code: str, evidence_id: int
) -> HttpResponseBase:
    """An evidence file of a unit's submission, for whoever may see that unit's form (others
    404): stored files are never published by the web server."""
    found, unit = access.get_unit_form(request.user, pk, unit_code)
    evidence = get_object_or_404(
        Evidence.objects.exclude(file=""),
        pk=evidence_id,
        submission__round=found,
        submission__unit=unit,
    )
    return file_response(evidence.file, filename=PurePath(evidence.file.name or "").name)


def _number(text: str, errors: list[str], label: str, *, money: bool = False) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_number_id(text, money=money)
    except NumberError as exc:  # the parser names the input and says what is wrong
        errors.append(f"{label}: {exc.message}")
        return None


def _plain_number(value: Decimal | None) -> str:
    """A stored number as typed back into an input: no exponent, no trailing zeros."""
    return "" if value is None else f"{value.normalize():f}"


def _shown(a: Actual | None) -> str:
    """What a stored actual shows: its text, else its number."""
    return "" if a is None else (a.text or _plain_number(a.value))


def _rows(found: CollectionRound, unit: Unit, post: QueryDict | None = None) -> list[dict]:
    """One row per indicator of the unit's form: a cell per quarter (an input for the round's
    quarters, the stored figure for earlier ones; what was posted when the form comes back with
    errors), and the data status, explanation and evidence of the round's actuals."""
    frozen = rounds.round_indicators(found, unit)
    actuals = {
        (a.indicator_id, a.quarter): a
        for a in Actual.objects.filter(
            indicator_id__in=[ri.indicator_id for ri in frozen], year=found.year
        ).prefetch_related("evidence")
    }
    rows = []
    for ri in frozen:
        cells = [_cell(found, ri, q, actuals.get((ri.indicator_id, q)), post) for q in range(1, 5)]
        current = [actuals.get((ri.indicator_id, q)) for q in found.quarters]
        first = next((a for a in current if a is not None), None)
        rows.append(
            {
                "ri": ri,
                "cells": cells,
                "status": first.status if first else "sementara",
                "explanation": first.explanation if first else "",
                "evidence": [e for a in current if a is not None for e in a.evidence.all()],
            }
        )
    return rows


def _cell(
    found: CollectionRound,
    ri: RoundIndicator,
    quarter: int,
    a: Actual | None,
    post: QueryDict | None,
) -> dict[str, Any]:
    """One quarter's cell of an indicator's row."""
    name = f"v-{ri.pk}-{quarter}"
    shown = _shown(a)
    return {
        "quarter": quarter,
        "input": quarter in found.quarters,
        "name": name,
        "value": post.get(name, "") if post is not None else shown,
        "numerator": "" if a is None else _plain_number(a.numerator),
        "denominator": "" if a is None else _plain_number(a.denominator),
        "earlier": None if quarter in found.quarters else shown,
    }


def _budget_rows(found: CollectionRound, unit) -> list[dict]:
    subs = rounds.sub_activities_of(unit)
    ceilings = dict(
        BudgetCeiling.objects.filter(sub_activity__in=subs, year=found.year).values_list(
            "sub_activity_id", "amount"
        )
    )
    spent = {
        (s.sub_activity_id, s.quarter): s.amount
        for s in Spending.objects.filter(sub_activity__in=subs, year=found.year)
    }
    return [
        {
            "sub": s,
            "ceiling": ceilings.get(s.pk),
            "cells": [
                {
                    "quarter": q,
                    "name": f"b-{s.pk}-{q}",
                    "input": q in found.quarters,
                    "value": spent.get((s.pk, q)),
                }
                for q in range(1, 5)
            ],
        }
        for s in subs
    ]


@login_required
def unit_form(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    """The web form of a unit: the same content as the XLSX; submit figures or upload the file."""
    found, unit = access.get_unit_form(request.user, pk, unit_code)
    errors: list[str] = []
    issues: list[Issue] = []
    uploaded = request.FILES.get("file")
    if request.method == "POST" and uploaded:
        submitted, issues = _submit_upload(request, uploaded, found, unit, errors)
        if submitted:
            messages.success(request, _("The form was imported and submitted."))
            return redirect("performance:unit_form", pk=pk, unit_code=unit_code)
    elif request.method == "POST":
        values = _typed_values(request, found, unit, errors)
        spending = _typed_spending(request, found, unit, errors)
        if not errors:
            try:
                submissions.submit(found, unit, values, request.user, spending=spending)
            except submissions.SubmissionRejected as exc:
                errors = _problem_messages(found, unit, exc.problems)
            else:
                messages.success(request, _("Your figures were submitted."))
                return redirect("performance:unit_form", pk=pk, unit_code=unit_code)
    return render(
        request,
        "performance/unit_form.html",
        {
            "round": found,
            "unit": unit,
            "rows": _rows(found, unit, request.POST if errors else None),
            "budget_rows": _budget_rows(found, unit),
            "errors": errors,
            "issues": issues,
            "open": rounds.can_submit(found, unit),
            "returned": rounds.returned(found, unit),
            "submissions": found.submissions.filter(unit=unit).select_related("review"),
            "statuses": Actual.Status.choices,
            "planner": access.is_planner(request.user, found.agency),
        },
    )


def _submit_upload(
    request: HttpRequest,
    uploaded: UploadedFile,
    found: CollectionRound,
    unit: Unit,
    errors: list[str],
) -> tuple[bool, list[Issue]]:
    """Submit the uploaded workbook (with its evidence files, or a ZIP of both) as the unit's
    figures: whether it was submitted, and the located issues of a refused workbook (a refused
    file's messages go to ``errors``). A workbook of another unit is refused with 403."""
    try:
        validate_upload(uploaded, ("xlsx", "zip"))
        upload, evidence = workbook_import.unpack(uploaded, request.FILES.getlist("evidence"))
        validate_upload(upload, ("xlsx",))
        form_unit, values, spending = workbook_import.read_form(found, upload, evidence)
        if form_unit != unit:
            raise PermissionDenied
        submissions.submit(
            found,
            unit,
            values,
            request.user,
            spending=spending,
            source="upload",
            file=upload,
        )
    except ValidationError as exc:
        errors.extend(exc.messages)
    except InvalidFile as exc:
        return False, exc.issues
    except submissions.SubmissionRejected as exc:
        return False, workbook_import._locate(found, unit, exc.problems)
    else:
        return True, []
    return False, []


def _typed_values(
    request: HttpRequest, found: CollectionRound, unit: Unit, errors: list[str]
) -> list[submissions.ValueInput]:
    """The figures typed in the web form, a ValueInput per indicator and quarter of the round,
    with the evidence given beside them; what cannot be read goes to ``errors``."""
    values = []
    for ri in rounds.round_indicators(found, unit):
        status = request.POST.get(f"s-{ri.pk}", "sementara")
        explanation = request.POST.get(f"e-{ri.pk}", "")
        link = request.POST.get(f"l-{ri.pk}", "").strip()
        note = request.POST.get(f"t-{ri.pk}", "").strip()
        files = request.FILES.getlist(f"f-{ri.pk}")
        for upload in files:
            try:
                validate_upload(upload, EVIDENCE_TYPES)
            except ValidationError as exc:
                errors.extend(f"{ri.code}: {m}" for m in exc.messages)
        for q in found.quarters:
            item = _typed_value(request, ri, q, errors)
            item.status, item.explanation = status, explanation
            if not item.empty:
                item.evidence_link, item.evidence_text, item.evidence_files = link, note, files
            values.append(item)
    return values


def _typed_value(
    request: HttpRequest, ri: RoundIndicator, quarter: int, errors: list[str]
) -> submissions.ValueInput:
    """One quarter's typed figure of an indicator: a choice's text or a number, and its parts."""
    raw = request.POST.get(f"v-{ri.pk}-{quarter}", "").strip()
    item = submissions.ValueInput(ri.indicator_id, quarter)
    label = f"{ri.code} TW {quarter}"
    if ri.choices:
        item.text = raw
    else:
        item.value = _number(raw, errors, label)
    if ri.has_components:
        item.numerator = _number(request.POST.get(f"n-{ri.pk}-{quarter}", ""), errors, label)
        item.denominator = _number(request.POST.get(f"d-{ri.pk}-{quarter}", ""), errors, label)
    return item


def _typed_spending(
    request: HttpRequest, found: CollectionRound, unit: Unit, errors: list[str]
) -> list[submissions.SpendingInput]:
    """The amounts typed for the unit's budget lines in the round's quarters."""
    spending = []
    for row in _budget_rows(found, unit):
        for cell in row["cells"]:
            if cell["input"]:
                amount = _number(
                    request.POST.get(cell["name"], ""), errors, row["sub"].code, money=True
                )
                if amount is not None:
                    spending.append(
                        submissions.SpendingInput(row["sub"].pk, cell["quarter"], amount)
                    )
    return spending


def _problem_messages(
    found: CollectionRound, unit: Unit, problems: list[submissions.Problem]
) -> list[str]:
    """The reasons a submission was refused, each prefixed with its indicator and quarter."""
    codes = {ri.indicator_id: ri.code for ri in rounds.round_indicators(found, unit)}
    return [
        (f"{codes.get(p.indicator_id, '')} TW {p.quarter}: " if p.indicator_id else "") + p.message
        for p in problems
    ]
