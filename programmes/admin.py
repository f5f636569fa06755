from django.contrib import admin

from people.admin import AuditedModelAdmin
from programmes.models import Cohort, Enrolment, Programme


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    """Leads with admin access may add a local variant; the model's clean() checks the rules."""

    list_display = ["name", "code", "status", "duration_months", "based_on"]
    list_filter = ["status"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "intake_on"]
    readonly_fields = ["programme", "name", "intake_on", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # cohorts open through the service, which the web pages call


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedModelAdmin):
    """Read-only: enrolments change through services, so every change leaves its history."""

    list_display = ["worker", "cohort", "started_on", "fte", "status"]
    list_filter = ["status", "cohort"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
