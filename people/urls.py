from django.urls import include, path

from people import invitation_views, notification_views, privacy_views, views

app_name = "people"
# Signing in and out, and the rest of a person's own account, under /accounts/.
account_patterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/turn-off/", views.two_factor_turn_off, name="two-factor-turn-off"),
    path("password-reset/", views.PasswordResetRequestView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetNewPasswordView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteNoticeView.as_view(),
        name="password-reset-complete",
    ),
    # An assessor from outside the authority follows their invitation link to choose a password.
    path(
        "invitation/<uidb64>/<token>/",
        invitation_views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
]
urlpatterns = [
    path("accounts/", include(account_patterns)),
    # A programme lead's pages about people, under /people/.
    path("people/", privacy_views.person_list, name="person-list"),
    path("people/<int:pk>/subject-access/", privacy_views.subject_access, name="subject-access"),
    path("people/assessors/", invitation_views.assessor_list, name="assessor-list"),
    path("people/assessors/invite/", invitation_views.assessor_invite, name="assessor-invite"),
    path(
        "people/assessors/<int:pk>/resend/",
        invitation_views.invitation_resend,
        name="invitation-resend",
    ),
    # A person's own notifications, and a lead's page of those that could not be sent.
    path("notifications/", notification_views.inbox, name="inbox"),
    path("notifications/read/", notification_views.notifications_all_read, name="inbox-all-read"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification-settings",
    ),
    path("notifications/failed/", notification_views.failed_list, name="notification-failed"),
    path(
        "notifications/<int:pk>/retry/",
        notification_views.notification_retry,
        name="notification-retry",
    ),
]
