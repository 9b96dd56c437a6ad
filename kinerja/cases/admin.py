from django.contrib import admin

from kinerja.cases.models import AgencyWorkingHours, CalendarOverride, Case, CaseEvent, Task


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Days an administrator adds or removes per region (the SKB 3 Menteri gets revised)."""

    list_display = ("day", "region", "kind", "reason")
    list_filter = ("region", "kind")
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AgencyWorkingHours)
class AgencyWorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("agency", "start", "end", "weekdays")


class ReadOnly(admin.ModelAdmin):
    """Cases change only through the services; the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("title", "agency", "period", "status", "started_at")
    list_filter = ("status", "agency")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("__str__", "case", "status", "assignee", "due_at")
    list_filter = ("status",)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnly):
    list_display = ("at", "case", "kind", "employee")
