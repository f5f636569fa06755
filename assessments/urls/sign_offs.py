"""The assessor's pages: the sign-off queue, a decision on an item, a reversal."""

from django.urls import path

from assessments.views import sign_offs as views

urlpatterns = [
    path("sign-offs/", views.sign_off_queue, name="sign-off-queue"),
    path("evidence/<int:pk>/decide/", views.evidence_decide, name="evidence-decide"),
    path("evidence/<int:pk>/reverse/", views.evidence_reverse, name="evidence-reverse"),
]
