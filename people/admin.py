from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from people.models import Notification, PrivacyEvent, RoleMembership, Team, TwoFactorDevice, User


class AuditedModelAdmin(SimpleHistoryAdmin):
    """Shows a record's history and never changes it.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the revert button: a POST to the history form
    would still save the old version. Refuse it here, for every audited model's admin.
    """

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


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
            {
                "fields": [
                    "full_name",
                    "swe_registration_number",
                    "qualified_on",
                    "employment_type",
                    "team",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "manager", "standard_full_caseload"]


@admin.register(PrivacyEvent)
class PrivacyEventAdmin(admin.ModelAdmin):
    """The privacy record, to read: nobody adds, changes or deletes an entry by hand."""

    list_display = ["at", "kind", "subject_id", "actor"]
    list_filter = ["kind"]
    search_fields = ["=subject_id"]
    readonly_fields = ["at", "kind", "subject_id", "actor", "detail"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PrivacyEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PrivacyEvent | None = None) -> bool:
        return False


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Someone who lost their phone is helped by deleting their app here; nothing else.

    The secret is never shown, and nobody adds or changes an app for someone else.
    """

    list_display = ["user", "confirmed_at"]
    search_fields = ["user__full_name", "user__email"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: TwoFactorDevice | None = None
    ) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """To read: notifications are written by the reminder jobs and sent by delivery."""

    list_display = ["created_at", "recipient", "kind", "email_status", "attempts", "read_at"]
    list_filter = ["kind", "email_status"]
    search_fields = ["recipient__email", "=subject_key"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@login_not_required
def sign_in_through_footing(
    request: HttpRequest, extra_context: dict | None = None
) -> HttpResponse:
    """The admin's own sign-in form would skip two-step verification: send people to ours.

    The lockout still applies either way; the second step is only asked for on our page.
    """
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(next_url, login_url=reverse("people:login"))


admin.site.login = sign_in_through_footing
