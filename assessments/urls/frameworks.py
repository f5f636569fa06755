from django.urls import path

from assessments.views import coverage, frameworks

urlpatterns = [
    path("frameworks/", frameworks.framework_list, name="framework-list"),
    path("frameworks/<int:pk>/", frameworks.framework_detail, name="framework-detail"),
    path(
        "enrolments/<int:pk>/framework/",
        frameworks.enrolment_framework,
        name="enrolment-framework",
    ),
    path("enrolments/<int:pk>/coverage/", coverage.coverage, name="coverage"),
    path("assessees/", coverage.assessee_list, name="assessee-list"),
]
