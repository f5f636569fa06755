"""Direct observations and feedback requests, under /assessments/."""

from django.urls import path

from assessments.views import feedback, observations

urlpatterns = [
    path(
        "enrolments/<int:pk>/observations/new/",
        observations.observation_create,
        name="observation-create",
    ),
    path(
        "observations/<int:pk>/reflection/",
        observations.observation_reflect,
        name="observation-reflect",
    ),
    path(
        "observations/<int:pk>/correct/",
        observations.observation_correct,
        name="observation-correct",
    ),
    path(
        "enrolments/<int:pk>/feedback-requests/",
        feedback.feedback_request_list,
        name="feedback-request-list",
    ),
    path(
        "enrolments/<int:pk>/feedback-requests/new/",
        feedback.feedback_request_create,
        name="feedback-request-create",
    ),
    path(
        "feedback-requests/<int:pk>/",
        feedback.feedback_request_detail,
        name="feedback-request-detail",
    ),
    path(
        "feedback-requests/<int:pk>/withdraw/",
        feedback.feedback_request_withdraw,
        name="feedback-request-withdraw",
    ),
]
