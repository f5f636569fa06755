"""Pages for people without an account: giving feedback through a link or a short code."""

from django.urls import path

from assessments.views import feedback

app_name = "feedback"
urlpatterns = [
    path("", feedback.feedback_start, name="start"),
    path("thank-you/", feedback.feedback_done, name="done"),
    path("<str:token>/", feedback.feedback_give, name="give"),
]
