"""Evidence pages: an enrolment's list, writing, autosave, submitting, deleting, attachment."""

from django.urls import path

from assessments.views import evidence as views

urlpatterns = [
    path("enrolments/<int:pk>/evidence/", views.evidence_list, name="evidence-list"),
    path("enrolments/<int:pk>/evidence/new/", views.evidence_create, name="evidence-create"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence-detail"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence-edit"),
    path("evidence/<int:pk>/autosave/", views.evidence_autosave, name="evidence-autosave"),
    path("evidence/<int:pk>/submit/", views.evidence_submit, name="evidence-submit"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("evidence/<int:pk>/attachment/", views.evidence_attachment, name="evidence-attachment"),
]
