from django.contrib import admin
from django.http import HttpRequest

from people.admin import AuditedModelAdmin
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession


class ReadOnlyInline(admin.TabularInline):
    """Shown with their session, changed only through the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class SupervisionActionInline(ReadOnlyInline):
    model = SupervisionAction
    fields = ["description", "owner", "due_on", "done_on", "done_by"]
    readonly_fields = fields


class SupervisionAmendmentInline(ReadOnlyInline):
    model = SupervisionAmendment
    fields = ["amended_at", "amended_by", "reason", "changes"]
    readonly_fields = fields


@admin.register(SupervisionSession)
class SupervisionSessionAdmin(AuditedModelAdmin):
    """Read-only: sessions are signed, countersigned and amended through the services, so every
    change leaves its history and a signed record changes only by an amendment with a reason."""

    list_display = ["held_on", "enrolment", "supervisor", "kind", "minutes", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["enrolment__worker", "enrolment__cohort", "supervisor"]
    inlines = [SupervisionActionInline, SupervisionAmendmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
