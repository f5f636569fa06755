"""Web pages for programmes: thin shells over selectors and services."""

from programmes.views.caseload_import import (
    caseload_import_page,
    import_profile_create,
    import_profile_list,
)
from programmes.views.caseloads import (
    breach_acknowledge,
    breach_list,
    breach_resolve,
    caseload,
    caseload_record,
    protected_time_create,
)
from programmes.views.cohorts import (
    cohort_create,
    cohort_detail,
    cohort_export,
    cohort_import,
    cohort_list,
    enrolment_create,
    home,
)
from programmes.views.dashboard import dashboard, dashboard_export
from programmes.views.dashboard_figures import dashboard_figures
from programmes.views.documents import document_create, document_download, document_remove
from programmes.views.enrolments import (
    enrolment_detail,
    enrolment_end,
    enrolment_update,
    extension_create,
    pause_create,
    pause_end,
)
from programmes.views.reports import funding_claim, workforce_export, workforce_summary
from programmes.views.rules import programme_detail, programme_list, programme_variant_create

__all__ = [
    "breach_acknowledge",
    "breach_list",
    "breach_resolve",
    "caseload",
    "caseload_import_page",
    "caseload_record",
    "cohort_create",
    "cohort_detail",
    "cohort_export",
    "cohort_import",
    "cohort_list",
    "dashboard",
    "dashboard_export",
    "dashboard_figures",
    "document_create",
    "document_download",
    "document_remove",
    "enrolment_create",
    "enrolment_detail",
    "enrolment_end",
    "enrolment_update",
    "extension_create",
    "funding_claim",
    "home",
    "import_profile_create",
    "import_profile_list",
    "pause_create",
    "pause_end",
    "programme_detail",
    "programme_list",
    "programme_variant_create",
    "protected_time_create",
    "workforce_export",
    "workforce_summary",
]
