"""Assessment pages, one module of routes per part, all in the "assessments" namespace."""

from django.urls import include, path

app_name = "assessments"
urlpatterns = [
    path("", include("assessments.urls.frameworks")),
    path("", include("assessments.urls.evidence")),
    path("", include("assessments.urls.sign_offs")),
    path("", include("assessments.urls.observations")),
    path("", include("assessments.urls.reviews")),
    path("", include("assessments.urls.samples")),
    path("", include("assessments.urls.completions")),
]
