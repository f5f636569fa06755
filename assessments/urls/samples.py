"""The moderation sample: choosing finished portfolios, and the anonymised pack."""

from django.urls import path

from assessments.views import samples as views

urlpatterns = [
    path("moderation-sample/", views.moderation_sample, name="moderation-sample"),
    path("moderation-sample/pack/", views.moderation_sample_pack, name="moderation-sample-pack"),
]
