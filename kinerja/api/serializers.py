"""The shapes the API returns, so the OpenAPI description is the contract.

Cases, tasks and achievement are built by the same dictionary functions the command line's
``--json`` uses (``kinerja.cases.serialize``, ``kinerja.performance.serialize``); these serializers
describe those dictionaries and pass every response through them, so the schema cannot drift from
what is sent (tests/api compares them).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def DecimalText() -> serializers.CharField:
    """A decimal as exact text with a dot ("184.75"): never a float, never re-rounded."""
    return serializers.CharField(allow_null=True, help_text="Decimal number as text, e.g. 184.75")


class AgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField(source="region.name")
    time_zone = serializers.CharField()


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    step = serializers.IntegerField()
    activity = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    position = serializers.CharField(allow_null=True)
    team = serializers.CharField(allow_null=True)
    holder = serializers.CharField(allow_null=True)
    held_as = serializers.CharField(allow_null=True)
    delegated_to = serializers.CharField(allow_null=True)
    worker = serializers.CharField(allow_null=True)
    offered_to = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    time_standard = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_by = serializers.CharField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    return_reason = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True)
    files = serializers.ListField(child=serializers.CharField())
    action = serializers.CharField(allow_null=True)
    action_output = serializers.JSONField(allow_null=True)
    batch = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The tasks of one step of an each lane share a batch; the step is done when all are."
        ),
    )
    joint_with = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("A joint step: the officials of the other lanes it is done together with."),
    )


class CaseEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    who = serializers.CharField(allow_null=True)
    task = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    text = serializers.CharField(allow_null=True)


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    agency = serializers.CharField()
    sop = serializers.IntegerField()
    sop_number = serializers.CharField()
    sop_version = serializers.IntegerField()
    period = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField(allow_null=True)
    parent_task = serializers.IntegerField(allow_null=True)
    tasks = TaskSerializer(many=True)
    events = CaseEventSerializer(many=True)


class CompleteTaskSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["ya", "tidak"],
        required=False,
        allow_null=True,
        help_text=_("At a decision: ya or tidak."),
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    actual = DecimalText()
    target = DecimalText()
    category = serializers.CharField(allow_null=True)
    data_status = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    value = DecimalText()
    formula = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_null=True, allow_blank=True)
    year_value = DecimalText()
    end_target = DecimalText()
    end_target_upper = DecimalText()
    progress = DecimalText()
    progress_formula = serializers.CharField(allow_blank=True)


class AchievementSummarySerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    average = DecimalText()
    cap = DecimalText()
    not_reported = serializers.IntegerField()
    not_computable = serializers.IntegerField()


class BudgetAmountsSerializer(serializers.Serializer):
    ceiling = DecimalText()
    spent = DecimalText()
    absorption = DecimalText()


class ProgramBudgetSerializer(BudgetAmountsSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BudgetSerializer(BudgetAmountsSerializer):
    year = serializers.IntegerField()
    up_to_quarter = serializers.IntegerField()
    programs = ProgramBudgetSerializer(many=True)


class AchievementSerializer(serializers.Serializer):
    agency = serializers.CharField()
    period = serializers.CharField()
    indicators = IndicatorResultSerializer(many=True)
    summary = AchievementSummarySerializer()
    budget = BudgetSerializer()


class LetterNumberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    year = serializers.IntegerField()
    sequence = serializers.IntegerField()
    classification = serializers.CharField()
    subject = serializers.CharField(allow_blank=True)
    addressee = serializers.CharField(allow_blank=True)
    letter_date = serializers.DateField()
    issued_at = serializers.DateTimeField()
    status = serializers.CharField()
    void_reason = serializers.CharField(allow_blank=True)
