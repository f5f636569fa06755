from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/", views.cohort_list, name="cohort-list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.dashboard_export, name="dashboard-export"),
    path("dashboard/figures/", views.dashboard_figures, name="dashboard-figures"),
    path("cohorts/new/", views.cohort_create, name="cohort-create"),
    path("cohorts/import/", views.cohort_import, name="cohort-import"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:pk>/export.csv", views.cohort_export, name="cohort-export"),
    path("cohorts/<int:pk>/enrol/", views.enrolment_create, name="enrolment-create"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("enrolments/<int:pk>/change/", views.enrolment_update, name="enrolment-update"),
    path("enrolments/<int:pk>/end/", views.enrolment_end, name="enrolment-end"),
    path("enrolments/<int:pk>/pauses/new/", views.pause_create, name="pause-create"),
    path("enrolments/<int:pk>/pauses/<int:pause_pk>/end/", views.pause_end, name="pause-end"),
    path("enrolments/<int:pk>/extensions/new/", views.extension_create, name="extension-create"),
    path("enrolments/<int:pk>/documents/new/", views.document_create, name="document-create"),
    path(
        "enrolments/<int:pk>/documents/<int:document_pk>/download/",
        views.document_download,
        name="document-download",
    ),
    path(
        "enrolments/<int:pk>/documents/<int:document_pk>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path("enrolments/<int:pk>/caseload/", views.caseload, name="caseload"),
    path("enrolments/<int:pk>/caseload/new/", views.caseload_record, name="caseload-record"),
    path(
        "enrolments/<int:pk>/protected-time/new/",
        views.protected_time_create,
        name="protected-time-create",
    ),
    path("breaches/", views.breach_list, name="breach-list"),
    path("breaches/<int:pk>/acknowledge/", views.breach_acknowledge, name="breach-acknowledge"),
    path("breaches/<int:pk>/resolve/", views.breach_resolve, name="breach-resolve"),
    path("caseloads/import/", views.caseload_import_page, name="caseload-import"),
    path("caseloads/profiles/", views.import_profile_list, name="import-profile-list"),
    path("caseloads/profiles/new/", views.import_profile_create, name="import-profile-create"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme-detail"),
    path(
        "programmes/<slug:code>/variant/",
        views.programme_variant_create,
        name="programme-variant-create",
    ),
    path("workforce/", views.workforce_summary, name="workforce-summary"),
    path("programmes/<slug:code>/workforce.csv", views.workforce_export, name="workforce-export"),
    path("cohorts/<int:pk>/funding-claim.csv", views.funding_claim, name="funding-claim"),
]
