from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("supervisees/", views.supervisee_list, name="supervisee-list"),
    path("compliance/", views.compliance, name="compliance"),
    path("enrolments/<int:pk>/", views.enrolment_sessions, name="enrolment-sessions"),
    path("enrolments/<int:pk>/record/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/sign/", views.session_sign, name="session-sign"),
    path("sessions/<int:pk>/countersign/", views.session_countersign, name="session-countersign"),
    path("sessions/<int:pk>/amend/", views.session_amend, name="session-amend"),
    path("sessions/<int:pk>/actions/add/", views.action_create, name="action-create"),
    path("actions/<int:pk>/remove/", views.action_remove, name="action-remove"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
]
