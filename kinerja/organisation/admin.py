from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kinerja.organisation.models import (
    Agency,
    AgencyRole,
    Employee,
    Position,
    PositionHolding,
    Region,
    RegionRole,
    Team,
    TeamMember,
    Unit,
)


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "code", "time_zone", "require_two_factor")
    list_filter = ("require_two_factor",)
    search_fields = ("name", "code")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "region", "time_zone")
    list_filter = ("region", "kind")
    search_fields = ("name", "code")
    fieldsets = (
        (None, {"fields": ("region", "name", "code", "kind", "time_zone")}),
        (
            _("Letterhead"),
            {
                "fields": (
                    "letterhead_lines",
                    "logo",
                    "address",
                    "postal_code",
                    "phone",
                    "email",
                    "website",
                    "head_title",
                )
            },
        ),
        (
            _("Tasks and functions (Bab I of the annual report)"),
            {"fields": ("main_task", "functions")},
        ),
    )


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "parent", "agency")
    list_filter = ("agency",)
    search_fields = ("name", "code")


class HoldingInline(admin.TabularInline):
    model = PositionHolding
    extra = 0
    autocomplete_fields = ("employee",)


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "unit", "kind", "is_head", "shared", "agency")
    list_filter = ("agency", "kind")
    search_fields = ("name", "code")
    inlines = [HoldingInline]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "nip_display", "employee_type", "rank", "agency", "user")
    list_filter = ("agency", "employee_type")
    search_fields = ("full_name", "nip")


@admin.register(PositionHolding)
class PositionHoldingAdmin(SimpleHistoryAdmin):
    list_display = ("position", "employee", "kind", "start", "end")
    list_filter = ("kind", "position__agency")


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ("employee",)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "agency", "decree", "decree_date")
    inlines = [TeamMemberInline]


@admin.register(RegionRole)
class RegionRoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "region", "role")


@admin.register(AgencyRole)
class AgencyRoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "agency", "role")
