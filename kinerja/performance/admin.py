"""Master-data editing of planning records (PK, Rencana Aksi, budget, scales) in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kinerja.performance import models as m


class TargetInline(admin.TabularInline):
    model = m.Target
    extra = 0


@admin.register(m.Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "objective", "polarity", "aggregation", "is_key", "unit"]
    list_filter = ["objective__plan__agency", "polarity", "aggregation", "is_key"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


class AgreementIndicatorInline(admin.TabularInline):
    model = m.AgreementIndicator
    extra = 0


class AgreementProgramInline(admin.TabularInline):
    model = m.AgreementProgram
    extra = 0


@admin.register(m.PerformanceAgreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "year", "version", "status", "signed_on"]
    list_filter = ["agency", "year", "status"]
    inlines = [AgreementIndicatorInline, AgreementProgramInline]


class ActionPlanTargetInline(admin.TabularInline):
    model = m.ActionPlanTarget
    extra = 0


@admin.register(m.ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "year"]
    inlines = [ActionPlanTargetInline]


class BandInline(admin.TabularInline):
    model = m.CategoryBand
    extra = 0


@admin.register(m.CategoryScale)
class ScaleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "is_default"]
    inlines = [BandInline]


class LookupEntryInline(admin.TabularInline):
    model = m.LookupEntry
    extra = 0


@admin.register(m.LookupTable)
class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "mode"]
    inlines = [LookupEntryInline]


for model in (
    m.StrategicPlan,
    m.Goal,
    m.Objective,
    m.Program,
    m.Activity,
    m.SubActivity,
    m.BudgetCeiling,
    m.Spending,
    m.PerformanceSettings,
    m.Actual,
    m.ObjectiveAnalysis,
):
    admin.site.register(model, SimpleHistoryAdmin)
