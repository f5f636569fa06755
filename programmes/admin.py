from django.contrib import admin
from django.http import HttpRequest

from people.admin import AuditedModelAdmin
from programmes.models import (
    CaseloadBreach,
    CaseloadImportProfile,
    CaseloadSnapshot,
    Cohort,
    Enrolment,
    Programme,
    ProtectedTimeEntry,
)


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


class ReadOnlyAuditedAdmin(AuditedModelAdmin):
    """To read, with its history: these records change only through their services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Caseload figures, breaches and protected time: the services audit each change, and detection
# and the scheduled jobs depend on the rows being what they recorded.
@admin.register(CaseloadSnapshot)
class CaseloadSnapshotAdmin(ReadOnlyAuditedAdmin):
    list_display = ["as_of", "enrolment", "open_cases", "child_protection_cases", "source"]
    list_filter = ["source"]
    list_select_related = ["enrolment__worker", "enrolment__cohort"]


@admin.register(CaseloadBreach)
class CaseloadBreachAdmin(ReadOnlyAuditedAdmin):
    list_display = ["detected_on", "enrolment", "status", "open_cases", "cap", "plan_due_on"]
    list_filter = ["status"]
    list_select_related = ["enrolment__worker", "enrolment__cohort"]


@admin.register(ProtectedTimeEntry)
class ProtectedTimeEntryAdmin(ReadOnlyAuditedAdmin):
    list_display = ["on", "enrolment", "hours", "kind"]
    list_filter = ["kind"]
    list_select_related = ["enrolment__worker", "enrolment__cohort"]


@admin.register(CaseloadImportProfile)
class CaseloadImportProfileAdmin(ReadOnlyAuditedAdmin):
    list_display = ["name", "created_by", "created_at"]
    list_select_related = ["created_by"]
