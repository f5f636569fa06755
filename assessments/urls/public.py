"""Pages for people without an account: giving feedback through a link or a short code."""

from django.urls import path  # noqa: F401 - routes are added below

app_name = "feedback"
urlpatterns: list = []
