from django.urls import path

from assessments.views import completions

urlpatterns = [
    path("completions/", completions.completion_lookup, name="completion-lookup"),
    path("completions/<int:pk>/", completions.completion_detail, name="completion-detail"),
]
