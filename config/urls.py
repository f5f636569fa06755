from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api import api_root_urls
from config.health import healthz

urlpatterns = [
    path("", include("programmes.urls")),
    path("accounts/", include("people.urls")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_root_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # Sign-in additions (password reset, two-factor, single sign-on) go below this line.
    # Privacy and information pages go below this line.
]
