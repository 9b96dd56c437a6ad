"""HTTP API v1: thin views over the same accessors and services as the pages and the CLI.

Each view parses input, asks the layer's accessor whether the user may see the object (404 when
not, as in the pages), calls the service, and returns the serializer's shape.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kinerja.api import serializers as s
from kinerja.cases import services as case_services
from kinerja.cases.access import (
    get_case_for_user,
    get_task_for_actor,
    get_task_for_user,
    my_open_tasks,
)
from kinerja.cases.models import Task
from kinerja.cases.serialize import case_to_dict, task_to_dict
from kinerja.core.periods import Period, PeriodError
from kinerja.documents.access import get_agency as get_document_agency
from kinerja.documents.models import LetterNumber
from kinerja.organisation.access import agencies_visible_to
from kinerja.performance.access import get_agency_for_reader
from kinerja.performance.serialize import achievement_to_dict
from kinerja.performance.services import achievement

TASK_RELATIONS = (
    "step",
    "position",
    "team",
    "assignee",
    "delegated_to",
    "completed_as",
    "case__agency",
)


def _visible(lookup, *args):
    """Call a layer's accessor; its Http404 becomes the API's 404 with a JSON body."""
    try:
        return lookup(*args)
    except Http404:
        raise NotFound(_("Not found, or not visible to you.")) from None


@extend_schema(responses=s.AgencySerializer(many=True), tags=["organisation"])
@api_view(["GET"])
def agencies(request: Request) -> Response:
    """The agencies the caller works for (all of them for a superuser)."""
    rows = agencies_visible_to(request.user).select_related("region").order_by("code")
    return Response(s.AgencySerializer(rows, many=True).data)


@extend_schema(
    parameters=[
        OpenApiParameter("period", str, required=True, description="2025, 2025-S1 or 2025-Q3")
    ],
    responses=s.AchievementSerializer,
    tags=["performance"],
)
@api_view(["GET"])
def agency_achievement(request: Request, code: str) -> Response:
    """Achievement of every indicator of the agency for a period, computed now (not stored)."""
    agency = _visible(get_agency_for_reader, request.user, code)
    try:
        period = Period.parse(request.query_params.get("period", ""))
    except PeriodError as exc:
        raise ApiValidationError({"period": [str(exc)]}) from None
    results = achievement.compute(agency, period)
    summary = achievement.summarize(agency, results)
    data = achievement_to_dict(agency, period, results, summary)
    return Response(s.AchievementSerializer(data).data)


@extend_schema(
    parameters=[OpenApiParameter("year", int, description="Only this year's numbers.")],
    responses=s.LetterNumberSerializer(many=True),
    tags=["documents"],
)
@api_view(["GET"])
def agency_letters(request: Request, code: str) -> Response:
    """The agency's letter register, newest first, voided numbers included with their reason."""
    agency = _visible(get_document_agency, request.user, code)
    rows = LetterNumber.objects.filter(agency=agency).order_by("-year", "-sequence")
    year = request.query_params.get("year")
    if year:
        if not year.isdigit():
            raise ApiValidationError({"year": [_("The year must be a number, e.g. 2024.")]})
        rows = rows.filter(year=int(year))
    return Response(s.LetterNumberSerializer(rows, many=True).data)


@extend_schema(responses=s.TaskSerializer(many=True), tags=["cases"])
@api_view(["GET"])
def my_tasks(request: Request) -> Response:
    """The caller's open tasks, earliest due first (the inbox)."""
    tasks = (
        my_open_tasks(request.user)
        .select_related(*TASK_RELATIONS)
        .prefetch_related("candidates", "files", "joint_with")
        .order_by("due_at", "pk")
    )
    return Response(s.TaskSerializer([task_to_dict(t) for t in tasks], many=True).data)


@extend_schema(responses=s.TaskSerializer, tags=["cases"])
@api_view(["GET"])
def task_detail(request: Request, pk: int) -> Response:
    task = _visible(get_task_for_user, request.user, pk)
    return Response(s.TaskSerializer(task_to_dict(task)).data)


@extend_schema(request=s.CompleteTaskSerializer, responses=s.TaskSerializer, tags=["cases"])
@api_view(["POST"])
def task_complete(request: Request, pk: int) -> Response:
    """Complete a task as its holder (or the official it was delegated to), as the page does.

    The page's accessor decides: 404 when the caller does not see the task, 403 (with its
    message, through DRF's own handler) when they see it but may not complete it."""
    _visible(get_task_for_actor, request.user, pk)
    body = s.CompleteTaskSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        task = case_services.complete_task(
            pk,
            request.user,
            outcome=body.validated_data.get("outcome"),
            reason=body.validated_data["reason"],
            note=body.validated_data["note"],
        )
    except ValidationError as exc:
        raise ApiValidationError(exc.messages) from None
    except case_services.CaseError as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    task = Task.objects.select_related(*TASK_RELATIONS).get(pk=task.pk)
    return Response(s.TaskSerializer(task_to_dict(task)).data)


@extend_schema(responses=s.CaseSerializer, tags=["cases"])
@api_view(["GET"])
def case_detail(request: Request, pk: int) -> Response:
    """A case with its tasks and its history."""
    case = _visible(get_case_for_user, request.user, pk)
    return Response(s.CaseSerializer(case_to_dict(case)).data)
