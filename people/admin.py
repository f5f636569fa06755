from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from people.models import RoleMembership, Team, User


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    extra = 0
    fields = ["role", "granted_on"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "team", "employment_type", "is_active"]
    list_filter = ["is_active", "employment_type", "team"]
    search_fields = ["full_name", "email", "swe_registration_number"]
    inlines = [RoleMembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["full_name", "swe_registration_number", "employment_type", "team"]},
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "manager", "standard_full_caseload"]
