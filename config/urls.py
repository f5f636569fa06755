from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api import api_root_urls
from config.health import healthz
from config.history import record_history
from config.pages import accessibility_statement, privacy_notice

urlpatterns = [
    path("", include("programmes.urls")),
    path("", include("people.urls")),  # /accounts/… and /people/…
    path("supervision/", include("supervision.urls")),
    path("assessments/", include("assessments.urls")),
    path("feedback/", include("assessments.urls.public")),  # no account needed
    path("healthz", healthz, name="healthz"),
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        record_history,
        name="record-history",
    ),
    path("api/v1/", include(api_root_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # Sign-in additions (password reset, two-factor, single sign-on) go below this line.
    # Password reset and two-step verification are in people/urls.py, under /accounts/.
    path("oidc/", include("people.oidc_urls")),  # no routes unless OIDC_RP_CLIENT_ID is set
    # Privacy and information pages go below this line.
    path("privacy/", privacy_notice, name="privacy-notice"),
    path("accessibility/", accessibility_statement, name="accessibility-statement"),
]

# Error pages in the service's style, each with the request's reference (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
